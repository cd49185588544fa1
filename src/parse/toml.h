/*
 * TOML documents read with the tree-sitter TOML grammar into the value tree of parse/json.h.
 *
 * Tables (`[a.b]`), arrays of tables (`[[a]]`), dotted keys and inline tables become nested
 * objects, so `[mcp_servers.github]` is found as root["mcp_servers"]["github"]. Strings are
 * decoded (basic, literal and both multi-line forms); integers, floats and booleans keep their
 * text, and dates become PARSE_DATETIME. A table's position is the position of its header key.
 */
#ifndef NHI_PARSE_TOML_H
#define NHI_PARSE_TOML_H

#include "parse/json.h"

/*
 * Parse data as TOML into out. A syntax error, or a key that TOML forbids to define twice in a
 * way that cannot be merged, fails with NHI_EINVALID and the message
 * "path:line: invalid TOML: problem"; out then has no root. Call parse_doc_dispose() either way.
 */
int parse_toml_load(struct parse_doc *out, const char *path, const char *data, size_t len);

#endif
