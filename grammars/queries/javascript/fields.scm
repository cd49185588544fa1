; Class fields of JavaScript, whose name may read like a credential's: class C { apiKey = "..." }.
(field_definition
  property: (property_identifier) @assignment.name
  value: (_) @assignment.value)
