; Variables bound to values, and every place where a value is given a name that may read like a
; credential's: variables and constants, attribute writers (config.api_key = ...) and hash pairs.
(assignment
  left: [(identifier) (constant) (instance_variable) (class_variable) (global_variable)] @assignment.name @binding.name
  right: (_) @assignment.value @binding.value)

(assignment
  left: (call method: (identifier) @assignment.name)
  right: (_) @assignment.value)

(pair
  key: [(hash_key_symbol) (simple_symbol) (string)] @assignment.name
  value: (_) @assignment.value)
