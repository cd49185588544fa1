; Method calls and constructors whose callee the SDK table of src/extract/code_sdk.c may know:
; OpenAIOkHttpClient.builder(), McpServer.sync(transport), new StdioClientTransport(params).
; A builder's options are the methods called on its result, which the extractor follows upward.
(method_invocation
  object: (_)? @call.receiver
  name: (identifier) @call.function
  arguments: (argument_list) @call.arguments) @call

(object_creation_expression
  type: (_) @call.function
  arguments: (argument_list) @call.arguments) @call
