; Decorated functions: @mcp.tool() registers a tool on a FastMCP server, @tool, @function_tool
; and @kernel_function declare agent tools.
(decorated_definition
  (decorator [(identifier) (attribute) (call)] @definition.decorator)
  definition: (function_definition name: (identifier) @definition.name)) @definition
