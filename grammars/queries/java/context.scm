; Comments, Javadoc included: a signature finding inside one is documentation more often than a secret.
(line_comment) @comment

(block_comment) @comment
