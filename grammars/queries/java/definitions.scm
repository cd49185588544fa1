; Methods annotated as tools: @Tool of LangChain4j and Spring AI.
(method_declaration
  (modifiers
    [(annotation name: (identifier) @definition.decorator)
     (marker_annotation name: (identifier) @definition.decorator)])
  name: (identifier) @definition.name) @definition
