; Variables bound to values, so that an argument can be followed to what it holds, and every
; place where a value is given a name that may read like a credential's.
(assignment
  left: (identifier) @assignment.name @binding.name
  right: (_) @assignment.value @binding.value)

(assignment
  left: (attribute attribute: (identifier) @assignment.name)
  right: (_) @assignment.value)

(keyword_argument
  name: (identifier) @assignment.name
  value: (_) @assignment.value)

(pair
  key: (string) @assignment.name
  value: (_) @assignment.value)

(default_parameter
  name: (identifier) @assignment.name
  value: (_) @assignment.value)

(typed_default_parameter
  name: (identifier) @assignment.name
  value: (_) @assignment.value)
