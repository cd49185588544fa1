; Variables bound to values, and every place where a value is given a name that may read like a
; credential's: declarations, assignments, object members and setter calls such as setApiKey("...").
(variable_declarator
  name: (identifier) @assignment.name @binding.name
  value: (_) @assignment.value @binding.value)

(assignment_expression
  left: (identifier) @assignment.name @binding.name
  right: (_) @assignment.value @binding.value)

(assignment_expression
  left: (member_expression property: (property_identifier) @assignment.name)
  right: (_) @assignment.value)

(pair
  key: [(property_identifier) (string)] @assignment.name
  value: (_) @assignment.value)

(call_expression
  function: (member_expression property: (property_identifier) @assignment.name)
  arguments: (arguments . (string) @assignment.value .))
