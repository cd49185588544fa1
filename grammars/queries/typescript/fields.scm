; Class fields of TypeScript, whose name may read like a credential's: private apiKey = "...".
(public_field_definition
  name: (property_identifier) @assignment.name
  value: (_) @assignment.value)
