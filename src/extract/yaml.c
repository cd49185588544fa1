/*
 * libyaml documents converted to the value tree; see yaml.h.
 *
 * libyaml's loader resolves an alias to the node of its anchor, so the conversion copies the
 * anchored subtree at every alias. Two limits keep hostile files cheap: a node budget
 * (exponential "billion laughs" expansions run out of it) and a depth limit (an alias inside
 * its own anchor makes a cycle that only the depth limit stops).
 */
#include "extract/yaml.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Deeper nesting is rejected; pipelines nest about ten levels. */
#define MAX_DEPTH 64
/* Nodes the conversion may create, beyond a fixed allowance, per byte of input. */
#define NODE_BUDGET_BASE 100000
#define NODE_BUDGET_PER_BYTE 4

struct yaml_reader {
	struct parse_doc *doc;
	const char *path;
	const char *data;
	size_t len;
	size_t *line_starts; /* byte offset of each line */
	size_t line_count;
	size_t budget;       /* nodes that may still be created */
	yaml_document_t *ydoc;
};

static int index_lines(struct yaml_reader *reader)
{
	size_t count = 1;

	for (const char *p = reader->data; (p = memchr(p, '\n', (size_t)(reader->data + reader->len - p))); p++)
		count++;
	reader->line_starts = malloc(count * sizeof(*reader->line_starts));
	if (!reader->line_starts)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	reader->line_starts[0] = 0;
	reader->line_count = 1;
	for (size_t i = 0; i < reader->len; i++)
		if (reader->data[i] == '\n')
			reader->line_starts[reader->line_count++] = i + 1;
	return 0;
}

static size_t utf8_length(unsigned char lead)
{
	if (lead < 0x80)
		return 1;
	if ((lead & 0xe0) == 0xc0)
		return 2;
	if ((lead & 0xf0) == 0xe0)
		return 3;
	if ((lead & 0xf8) == 0xf0)
		return 4;
	return 1;
}

/* Byte offset of a libyaml mark, whose column counts characters. */
static size_t mark_offset(const struct yaml_reader *reader, yaml_mark_t mark)
{
	size_t offset, end;

	if (mark.line >= reader->line_count)
		return reader->len;
	offset = reader->line_starts[mark.line];
	end = mark.line + 1 < reader->line_count ? reader->line_starts[mark.line + 1] : reader->len;
	for (size_t i = 0; i < mark.column && offset < end; i++)
		offset += utf8_length((unsigned char)reader->data[offset]);
	return offset < end ? offset : end;
}

static struct parse_pos offset_pos(const struct yaml_reader *reader, size_t line, size_t offset)
{
	struct parse_pos pos = { line + 1, 1 };

	if (line < reader->line_count && offset >= reader->line_starts[line])
		pos.column = offset - reader->line_starts[line] + 1;
	return pos;
}

static struct parse_pos mark_pos(const struct yaml_reader *reader, yaml_mark_t mark)
{
	return offset_pos(reader, mark.line, mark_offset(reader, mark));
}

/* A block scalar's text starts on the line after its `|` or `>` indicator, after the indent. */
static struct parse_pos block_scalar_start(const struct yaml_reader *reader, yaml_mark_t mark)
{
	size_t line = mark.line + 1, offset;

	if (line >= reader->line_count)
		return mark_pos(reader, mark);
	offset = reader->line_starts[line];
	while (offset < reader->len && (reader->data[offset] == ' ' || reader->data[offset] == '\t'))
		offset++;
	return offset_pos(reader, line, offset);
}

static bool is_number(const char *text)
{
	char *end = NULL;

	if (!*text)
		return false;
	strtod(text, &end);
	return end && *end == '\0';
}

/* The type of an untagged plain scalar under YAML 1.2's core schema. */
static enum parse_type plain_scalar_type(const char *text)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const bools[] = { "true", "True", "TRUE", "false", "False", "FALSE", NULL };

	for (int i = 0; nulls[i]; i++)
		if (strcmp(text, nulls[i]) == 0)
			return PARSE_NULL;
	for (int i = 0; bools[i]; i++)
		if (strcmp(text, bools[i]) == 0)
			return PARSE_BOOL;
	return is_number(text) ? PARSE_NUMBER : PARSE_STRING;
}

static struct parse_value *convert_node(struct yaml_reader *reader, int index, int depth);

static struct parse_value *convert_scalar(struct yaml_reader *reader, yaml_node_t *node)
{
	yaml_scalar_style_t style = node->data.scalar.style;
	bool quoted = style == YAML_SINGLE_QUOTED_SCALAR_STYLE || style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	bool block = style == YAML_LITERAL_SCALAR_STYLE || style == YAML_FOLDED_SCALAR_STYLE;
	const char *text = (const char *)node->data.scalar.value;
	struct parse_value *value;

	value = parse_doc_new_value(reader->doc, quoted || block ? PARSE_STRING : plain_scalar_type(text));
	if (!value)
		return NULL;
	value->text = parse_doc_strndup(reader->doc, text, node->data.scalar.length);
	if (!value->text)
		return NULL;
	value->text_len = node->data.scalar.length;
	value->start = block ? block_scalar_start(reader, node->start_mark) : mark_pos(reader, node->start_mark);
	value->end = mark_pos(reader, node->end_mark);
	if (quoted) {
		value->start.column++;
		if (value->end.column > 1)
			value->end.column--;
	}
	return value;
}

static struct parse_value *convert_sequence(struct yaml_reader *reader, yaml_node_t *node, int depth)
{
	struct parse_value *array = parse_doc_new_value(reader->doc, PARSE_ARRAY);

	if (!array)
		return NULL;
	array->start = mark_pos(reader, node->start_mark);
	array->end = mark_pos(reader, node->end_mark);
	for (yaml_node_item_t *item = node->data.sequence.items.start; item < node->data.sequence.items.top; item++) {
		struct parse_value *element = convert_node(reader, *item, depth + 1);

		if (!element || parse_value_append(reader->doc, array, NULL, element->start, element) < 0)
			return NULL;
	}
	return array;
}

static bool is_merge_key(yaml_node_t *key)
{
	return key && key->type == YAML_SCALAR_NODE && key->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	       strcmp((const char *)key->data.scalar.value, "<<") == 0;
}

/* Copy the members of source that target lacks: explicit keys override merged ones. */
static int merge_members(struct parse_doc *doc, struct parse_value *target, const struct parse_value *source)
{
	if (!parse_value_is_object(source))
		return 0;
	for (size_t i = 0; i < source->count; i++) {
		const struct parse_member *member = &source->members[i];

		if (parse_value_member(target, member->key))
			continue;
		if (parse_value_append(doc, target, member->key, member->key_pos, member->value) < 0)
			return NHI_ENOMEM;
	}
	return 0;
}

/* Apply `<<: *anchor` or `<<: [*a, *b]` to object (earlier sources win, as YAML specifies). */
static int apply_merge(struct yaml_reader *reader, struct parse_value *object, int value_index, int depth)
{
	struct parse_value *source = convert_node(reader, value_index, depth + 1);

	if (!source)
		return nhi_error_last_code();
	if (!parse_value_is_array(source))
		return merge_members(reader->doc, object, source);
	for (size_t i = 0; i < source->count; i++) {
		int error = merge_members(reader->doc, object, source->members[i].value);

		if (error < 0)
			return error;
	}
	return 0;
}

static int append_pairs(struct yaml_reader *reader, struct parse_value *object, yaml_node_t *node,
			int depth, bool merges)
{
	for (yaml_node_pair_t *pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = yaml_document_get_node(reader->ydoc, pair->key);
		struct parse_value *value;
		char *text;

		/* Complex keys (a mapping as a key) do not occur in the files we read. */
		if (!key || key->type != YAML_SCALAR_NODE || is_merge_key(key) != merges)
			continue;
		if (merges) {
			int error = apply_merge(reader, object, pair->value, depth);

			if (error < 0)
				return error;
			continue;
		}
		if (!(value = convert_node(reader, pair->value, depth + 1)))
			return nhi_error_last_code();
		/* Key texts belong to the libyaml document, which is deleted after conversion. */
		text = parse_doc_strndup(reader->doc, (const char *)key->data.scalar.value, key->data.scalar.length);
		if (!text || parse_value_append(reader->doc, object, text, mark_pos(reader, key->start_mark), value) < 0)
			return NHI_ENOMEM;
	}
	return 0;
}

static struct parse_value *convert_mapping(struct yaml_reader *reader, yaml_node_t *node, int depth)
{
	struct parse_value *object = parse_doc_new_value(reader->doc, PARSE_OBJECT);

	if (!object)
		return NULL;
	object->start = mark_pos(reader, node->start_mark);
	object->end = mark_pos(reader, node->end_mark);
	if (append_pairs(reader, object, node, depth, false) < 0 ||
	    append_pairs(reader, object, node, depth, true) < 0)
		return NULL;
	return object;
}

static struct parse_value *convert_node(struct yaml_reader *reader, int index, int depth)
{
	yaml_node_t *node = yaml_document_get_node(reader->ydoc, index);

	if (!node)
		return parse_doc_new_value(reader->doc, PARSE_NULL);
	if (depth > MAX_DEPTH || reader->budget == 0) {
		nhi_error_set(NHI_EINVALID, "%s:%zu: invalid YAML: %s", reader->path, node->start_mark.line + 1,
			      depth > MAX_DEPTH ? "nested too deeply, or an alias refers to itself" :
						  "aliases expand to too many nodes");
		return NULL;
	}
	reader->budget--;
	switch (node->type) {
	case YAML_SCALAR_NODE: return convert_scalar(reader, node);
	case YAML_SEQUENCE_NODE: return convert_sequence(reader, node, depth);
	case YAML_MAPPING_NODE: return convert_mapping(reader, node, depth);
	default: return parse_doc_new_value(reader->doc, PARSE_NULL);
	}
}

static int reject_syntax(const struct yaml_reader *reader, const yaml_parser_t *parser)
{
	/* libyaml's problem texts are fixed strings, never text of the file. */
	return nhi_error_set(NHI_EINVALID, "%s:%zu: invalid YAML: %s", reader->path,
			     parser->problem_mark.line + 1, parser->problem ? parser->problem : "syntax error");
}

/* Convert one loaded document and merge it into the result; documents after the first only add keys. */
static int add_document(struct yaml_reader *reader, yaml_document_t *ydoc)
{
	struct parse_value *root;

	reader->ydoc = ydoc;
	root = convert_node(reader, 1, 0);
	if (!root)
		return nhi_error_last_code();
	if (!reader->doc->root)
		reader->doc->root = root;
	else if (parse_value_is_object(reader->doc->root))
		return merge_members(reader->doc, reader->doc->root, root);
	return 0;
}

static int load_documents(struct yaml_reader *reader, yaml_parser_t *parser)
{
	for (;;) {
		yaml_document_t ydoc;
		int error;

		if (!yaml_parser_load(parser, &ydoc))
			return reject_syntax(reader, parser);
		if (!yaml_document_get_root_node(&ydoc)) {
			yaml_document_delete(&ydoc);
			return 0;
		}
		error = add_document(reader, &ydoc);
		yaml_document_delete(&ydoc);
		if (error < 0)
			return error;
	}
}

int extract_yaml_load(struct parse_doc *out, const char *path, const char *data, size_t len)
{
	struct yaml_reader reader = { out, path, data, len, NULL, 0, 0, NULL };
	yaml_parser_t parser;
	bool parser_ready = false;
	int error;

	memset(out, 0, sizeof(*out));
	reader.budget = NODE_BUDGET_BASE + NODE_BUDGET_PER_BYTE * len;
	if ((error = index_lines(&reader)) < 0)
		goto done;
	if (!yaml_parser_initialize(&parser)) {
		error = nhi_error_set(NHI_ENOMEM, "cannot initialize the YAML parser");
		goto done;
	}
	parser_ready = true;
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	error = load_documents(&reader, &parser);

done:
	if (error < 0)
		out->root = NULL;
	if (parser_ready)
		yaml_parser_delete(&parser);
	free(reader.line_starts);
	return error;
}
