; Variables bound to values, and every place where a value is given a name that may read like a
; credential's: fields, locals, assignments, and builder or setter calls with one string argument,
; such as .apiKey("...") or setPassword("...").
(variable_declarator
  name: (identifier) @assignment.name @binding.name
  value: (_) @assignment.value @binding.value)

(assignment_expression
  left: (identifier) @assignment.name @binding.name
  right: (_) @assignment.value @binding.value)

(assignment_expression
  left: (field_access field: (identifier) @assignment.name)
  right: (_) @assignment.value)

(method_invocation
  name: (identifier) @assignment.name
  arguments: (argument_list . (string_literal) @assignment.value .))
