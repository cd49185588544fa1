; Variables bound to values, and every place where a value is given a name that may read like a
; credential's: declarations, assignments, struct fields and map entries.
(short_var_declaration
  left: (expression_list . (identifier) @assignment.name @binding.name)
  right: (expression_list . (_) @assignment.value @binding.value))

(assignment_statement
  left: (expression_list . (identifier) @assignment.name @binding.name)
  right: (expression_list . (_) @assignment.value @binding.value))

(assignment_statement
  left: (expression_list . (selector_expression field: (field_identifier) @assignment.name))
  right: (expression_list . (_) @assignment.value))

(var_spec
  name: (identifier) @assignment.name @binding.name
  value: (expression_list . (_) @assignment.value @binding.value))

(const_spec
  name: (identifier) @assignment.name @binding.name
  value: (expression_list . (_) @assignment.value @binding.value))

(keyed_element
  key: (literal_element [(identifier) (interpreted_string_literal)] @assignment.name)
  value: (literal_element (_) @assignment.value))
