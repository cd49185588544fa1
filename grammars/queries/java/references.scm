; Environment lookups, recorded by variable name: System.getenv("NAME") and Spring's
; @Value("${NAME}") placeholders.
((method_invocation
  object: (identifier) @_system
  name: (identifier) @_getenv
  arguments: (argument_list . (string_literal) @reference.name)) @reference
 (#eq? @_system "System")
 (#eq? @_getenv "getenv"))

((annotation
  name: (identifier) @_value
  arguments: (annotation_argument_list . (string_literal) @reference.name)) @reference
 (#eq? @_value "Value")
 (#match? @reference.name "^\"\\$\\{"))
