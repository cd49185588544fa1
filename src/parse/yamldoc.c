/*
 * libyaml document helpers; see yamldoc.h.
 */
#include "parse/yamldoc.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

int nhi_yamldoc_load(struct nhi_yamldoc *out, const char *path, const char *data, size_t len)
{
	yaml_parser_t parser;
	int error = 0;

	memset(out, 0, sizeof(*out));
	out->path = strdup(path);
	if (!out->path)
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	if (!yaml_parser_initialize(&parser))
		return nhi_error_set(NHI_ENOMEM, "cannot initialize the YAML parser");
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);

	if (!yaml_parser_load(&parser, &out->doc)) {
		error = nhi_error_set(NHI_EINVALID, "%s:%zu:%zu: invalid YAML: %s%s%s", path,
				      parser.problem_mark.line + 1, parser.problem_mark.column + 1,
				      parser.problem ? parser.problem : "syntax error",
				      parser.context ? " " : "", parser.context ? parser.context : "");
		goto done;
	}
	out->loaded = true;

done:
	yaml_parser_delete(&parser);
	return error;
}

void nhi_yamldoc_dispose(struct nhi_yamldoc *ydoc)
{
	if (ydoc->loaded)
		yaml_document_delete(&ydoc->doc);
	ydoc->loaded = false;
	free(ydoc->path);
	ydoc->path = NULL;
}

yaml_node_t *nhi_yamldoc_root(struct nhi_yamldoc *ydoc)
{
	return ydoc->loaded ? yaml_document_get_root_node(&ydoc->doc) : NULL;
}

yaml_node_t *nhi_yamldoc_node(struct nhi_yamldoc *ydoc, int index)
{
	return yaml_document_get_node(&ydoc->doc, index);
}

yaml_node_t *nhi_yamldoc_get(struct nhi_yamldoc *ydoc, yaml_node_t *mapping, const char *key)
{
	yaml_node_pair_t *pair;

	if (!mapping || mapping->type != YAML_MAPPING_NODE)
		return NULL;

	for (pair = mapping->data.mapping.pairs.start; pair < mapping->data.mapping.pairs.top; pair++) {
		yaml_node_t *k = nhi_yamldoc_node(ydoc, pair->key);
		const char *text = nhi_yamldoc_scalar(k);

		if (text && strcmp(text, key) == 0)
			return nhi_yamldoc_node(ydoc, pair->value);
	}
	return NULL;
}

const char *nhi_yamldoc_scalar(yaml_node_t *node)
{
	if (!node || node->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)node->data.scalar.value;
}

size_t nhi_yamldoc_line(yaml_node_t *node)
{
	return node ? node->start_mark.line + 1 : 0;
}
