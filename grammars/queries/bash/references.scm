; Variable expansions, recorded by variable name: $NAME and ${NAME} (with any default or operator).
(simple_expansion (variable_name) @reference.name) @reference

(expansion (variable_name) @reference.name) @reference
