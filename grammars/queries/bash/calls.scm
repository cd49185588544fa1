; Commands that the SDK table of src/extract/code_sdk.c may know: `claude mcp add ...`,
; `claude -p ...`, curl to a model API. Their arguments are the command's other children.
(command
  name: (command_name) @call.function) @call
