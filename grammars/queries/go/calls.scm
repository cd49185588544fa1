; Calls whose callee the SDK table of src/extract/code_sdk.c may know, such as
; server.NewMCPServer("name", "1.0.0") and openai.NewClient(option.WithAPIKey(...)), and composite
; literals that configure a client, such as &mcp.CommandTransport{Command: exec.Command("npx")}.
(call_expression
  function: [(identifier) (selector_expression)] @call.function
  arguments: (argument_list) @call.arguments) @call

(composite_literal
  type: [(type_identifier) (qualified_type)] @call.function
  body: (literal_value) @call.arguments) @call
