; Method calls whose callee the SDK table of src/extract/code_sdk.c may know:
; OpenAI::Client.new(access_token: ...), MCP::Server.new(name: ..., tools: [...]).
(call
  receiver: (_)? @call.receiver
  method: (identifier) @call.function
  arguments: (argument_list)? @call.arguments) @call
