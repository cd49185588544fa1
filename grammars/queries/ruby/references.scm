; Environment lookups, recorded by variable name: ENV["NAME"], ENV.fetch("NAME") and ENV.key?("NAME").
; Children are wildcards checked by predicates, because specific node types inside these
; patterns made tree-sitter's query compilation several times slower (see docs/BENCHMARKS.md).
((element_reference
  object: (_) @_env
  .
  (_) @reference.name) @reference
 (#eq? @_env "ENV")
 (#match? @reference.name "^[\"']"))

((call
  receiver: (_) @_env
  method: (_) @_method
  arguments: (_ . (_) @reference.name)) @reference
 (#eq? @_env "ENV")
 (#any-of? @_method "fetch" "key?")
 (#match? @reference.name "^[\"']"))
