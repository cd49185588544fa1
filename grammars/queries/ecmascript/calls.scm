; Calls and constructors whose callee the SDK table of src/extract/code_sdk.c may know:
; new McpServer({...}), server.registerTool("name", ...), generateText({model, tools}).
(call_expression
  function: [(identifier) (member_expression)] @call.function
  arguments: (arguments) @call.arguments) @call

(new_expression
  constructor: [(identifier) (member_expression)] @call.function
  arguments: (arguments) @call.arguments) @call
