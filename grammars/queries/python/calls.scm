; Calls whose callee the SDK table of src/extract/code_sdk.c may know: FastMCP("name"),
; Agent(name=..., tools=[...]), openai.OpenAI(api_key=...), server.tool(...).
(call
  function: [(identifier) (attribute)] @call.function
  arguments: (argument_list) @call.arguments) @call
