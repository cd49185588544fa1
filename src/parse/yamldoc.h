/*
 * Thin helpers over libyaml's document API. A file is loaded whole into a yaml_document_t
 * (libyaml keeps every node's line and column), and these helpers look up mapping keys and
 * scalars so that loaders can report "file:line" for every bad value.
 */
#ifndef NHI_PARSE_YAMLDOC_H
#define NHI_PARSE_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

struct nhi_yamldoc {
	yaml_document_t doc;
	bool loaded;
	char *path; /* for messages */
};

/*
 * Parse the first document of data. A syntax error fails with NHI_EINVALID and a message
 * "path:line:column: problem". An empty input yields a document whose root is NULL.
 */
int nhi_yamldoc_load(struct nhi_yamldoc *out, const char *path, const char *data, size_t len);
void nhi_yamldoc_dispose(struct nhi_yamldoc *ydoc);

yaml_node_t *nhi_yamldoc_root(struct nhi_yamldoc *ydoc);
yaml_node_t *nhi_yamldoc_node(struct nhi_yamldoc *ydoc, int index);

/* Return the value node of key in a mapping node, or NULL when absent or not a mapping. */
yaml_node_t *nhi_yamldoc_get(struct nhi_yamldoc *ydoc, yaml_node_t *mapping, const char *key);

/* Return a scalar's text (NUL-terminated by libyaml), or NULL when node is not a scalar. */
const char *nhi_yamldoc_scalar(yaml_node_t *node);

/* 1-based line of a node. */
size_t nhi_yamldoc_line(yaml_node_t *node);

#endif
