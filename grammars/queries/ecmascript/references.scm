; Environment lookups, recorded by variable name: process.env.NAME, process.env["NAME"],
; import.meta.env.NAME, Bun.env.NAME, Deno.env.get("NAME") and const { NAME } = process.env.
; The object is matched by its text rather than by nested patterns, because every level of
; nesting makes tree-sitter's query compilation slower (see docs/BENCHMARKS.md).
((member_expression
  object: (member_expression) @_object
  property: (property_identifier) @reference.name) @reference
 (#any-of? @_object "process.env" "import.meta.env" "Bun.env"))

((subscript_expression
  object: (member_expression) @_object
  index: (string) @reference.name) @reference
 (#any-of? @_object "process.env" "import.meta.env" "Bun.env"))

((call_expression
  function: (member_expression) @_function
  arguments: (arguments . (string) @reference.name)) @reference
 (#eq? @_function "Deno.env.get"))

((variable_declarator
  name: (object_pattern (shorthand_property_identifier_pattern) @reference.name @binding.name)
  value: (member_expression) @_object) @reference
 (#any-of? @_object "process.env" "import.meta.env" "Bun.env"))
