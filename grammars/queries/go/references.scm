; Environment lookups, recorded by variable name: os.Getenv("NAME") and os.LookupEnv("NAME").
((call_expression
  function: (selector_expression) @_function
  arguments: (argument_list . [(interpreted_string_literal) (raw_string_literal)] @reference.name)) @reference
 (#any-of? @_function "os.Getenv" "os.LookupEnv"))
