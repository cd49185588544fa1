; Environment lookups, recorded by variable name: os.environ["NAME"], os.environ.get("NAME"),
; os.getenv("NAME"), and environ[...] or getenv(...) imported from os. The callee is matched by
; its text rather than by nested patterns, because every level of nesting makes tree-sitter's
; query compilation slower (see docs/BENCHMARKS.md).
((subscript
  value: [(attribute) (identifier)] @_environ
  subscript: (string) @reference.name) @reference
 (#any-of? @_environ "os.environ" "environ"))

((call
  function: [(attribute) (identifier)] @_function
  arguments: (argument_list . (string) @reference.name)) @reference
 (#any-of? @_function "os.getenv" "os.getenvb" "getenv" "os.environ.get" "os.environ.setdefault"
  "os.environ.pop" "environ.get" "environ.setdefault" "environ.pop"))
