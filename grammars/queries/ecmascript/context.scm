; Comments, JSDoc included: a signature finding inside one is documentation more often than a secret.
(comment) @comment
