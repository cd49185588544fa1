; Variables bound to values, and assignments whose name may read like a credential's:
; NAME=value, export NAME="value", local NAME='value'.
(variable_assignment
  name: (variable_name) @assignment.name @binding.name
  value: (_) @assignment.value @binding.value)
