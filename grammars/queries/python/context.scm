; Comments and docstrings: a signature finding inside one is documentation more often than a secret.
(comment) @comment

(expression_statement . (string) @docstring .)
