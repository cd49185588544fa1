/*
 * The value tree's arena and accessors, and the JSON reader over tree-sitter-json; see json.h.
 *
 * tree-sitter recovers from every syntax error, so the reader first walks the tree for ERROR and
 * MISSING nodes. A trailing comma is accepted, and any other error rejects the file. Only then
 * are values built from the named nodes that remain.
 */
#include "parse/json.h"
#include "parse/grammar.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Arena blocks are at least this large, so a typical settings file needs one or two mallocs. */
#define ARENA_BLOCK_MIN 16384
/* Deeper nesting than this is rejected: no configuration needs it, and the builders recurse. */
#define MAX_DEPTH 200

struct parse_arena_block {
	struct parse_arena_block *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

void *parse_doc_alloc(struct parse_doc *doc, size_t size)
{
	struct parse_arena_block *block = doc->blocks;
	size_t aligned = (size + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);

	if (!block || block->size - block->used < aligned) {
		size_t capacity = aligned > ARENA_BLOCK_MIN ? aligned : ARENA_BLOCK_MIN;

		block = malloc(sizeof(*block) + capacity);
		if (!block) {
			nhi_error_set(NHI_ENOMEM, "out of memory");
			return NULL;
		}
		block->used = 0;
		block->size = capacity;
		block->next = doc->blocks;
		doc->blocks = block;
	}
	void *memory = (char *)block->data + block->used;

	block->used += aligned;
	memset(memory, 0, aligned);
	return memory;
}

void parse_doc_dispose(struct parse_doc *doc)
{
	struct parse_arena_block *block = doc->blocks;

	while (block) {
		struct parse_arena_block *next = block->next;

		free(block);
		block = next;
	}
	doc->blocks = NULL;
	doc->root = NULL;
}

char *parse_doc_strndup(struct parse_doc *doc, const char *text, size_t len)
{
	char *copy = parse_doc_alloc(doc, len + 1);

	if (!copy)
		return NULL;
	memcpy(copy, text, len);
	copy[len] = '\0';
	return copy;
}

struct parse_value *parse_doc_new_value(struct parse_doc *doc, enum parse_type type)
{
	struct parse_value *value = parse_doc_alloc(doc, sizeof(*value));

	if (!value)
		return NULL;
	value->type = type;
	value->text = "";
	return value;
}

int parse_value_append(struct parse_doc *doc, struct parse_value *container, const char *key,
		       struct parse_pos key_pos, struct parse_value *value)
{
	if (container->count == container->alloc) {
		/* The arena cannot grow in place, so a full array is copied; doubling keeps that linear. */
		size_t alloc = container->alloc ? container->alloc * 2 : 4;
		struct parse_member *members = parse_doc_alloc(doc, alloc * sizeof(*members));

		if (!members)
			return NHI_ENOMEM;
		if (container->count)
			memcpy(members, container->members, container->count * sizeof(*members));
		container->members = members;
		container->alloc = alloc;
	}
	container->members[container->count].key = key;
	container->members[container->count].key_pos = key_pos;
	container->members[container->count].value = value;
	container->count++;
	return 0;
}

const struct parse_member *parse_value_member(const struct parse_value *object, const char *key)
{
	if (!object || object->type != PARSE_OBJECT)
		return NULL;
	for (size_t i = 0; i < object->count; i++)
		if (object->members[i].key && strcmp(object->members[i].key, key) == 0)
			return &object->members[i];
	return NULL;
}

const struct parse_value *parse_value_get(const struct parse_value *object, const char *key)
{
	const struct parse_member *member = parse_value_member(object, key);

	return member ? member->value : NULL;
}

const char *parse_value_scalar(const struct parse_value *value)
{
	if (!value || value->type == PARSE_ARRAY || value->type == PARSE_OBJECT)
		return NULL;
	return value->text;
}

const char *parse_value_string(const struct parse_value *value)
{
	return value && value->type == PARSE_STRING ? value->text : NULL;
}

bool parse_value_is_object(const struct parse_value *value)
{
	return value && value->type == PARSE_OBJECT;
}

bool parse_value_is_array(const struct parse_value *value)
{
	return value && value->type == PARSE_ARRAY;
}

size_t parse_utf8_encode(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp >= 0xd800 && cp <= 0xdfff)
		return 0;
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	if (cp > 0x10ffff)
		return 0;
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The JSON reader. */

struct json_reader {
	struct parse_doc *doc;
	const char *path;
	const char *data;
	size_t len;
};

static struct parse_pos point_to_pos(TSPoint point)
{
	struct parse_pos pos = { (size_t)point.row + 1, (size_t)point.column + 1 };

	return pos;
}

/* Skip whitespace and comments forward from offset; return the offset of the next token. */
static size_t skip_blank_forward(const char *data, size_t len, size_t offset)
{
	while (offset < len) {
		if (strchr(" \t\r\n", data[offset])) {
			offset++;
		} else if (offset + 1 < len && data[offset] == '/' && data[offset + 1] == '/') {
			while (offset < len && data[offset] != '\n')
				offset++;
		} else if (offset + 1 < len && data[offset] == '/' && data[offset + 1] == '*') {
			const char *close = memmem(data + offset + 2, len - offset - 2, "*/", 2);

			offset = close ? (size_t)(close - data) + 2 : len;
		} else {
			break;
		}
	}
	return offset;
}

/*
 * Return the last non-blank byte before offset. Comments are not skipped here: a trailing
 * comma followed by a comment on its line is found from the comma side instead.
 */
static char previous_byte(const char *data, size_t offset)
{
	while (offset > 0 && strchr(" \t\r\n", data[offset - 1]))
		offset--;
	return offset > 0 ? data[offset - 1] : '\0';
}

/* An ERROR node that contains only a comma, right before a closing bracket, is a trailing comma. */
static bool is_trailing_comma_error(const struct json_reader *reader, TSNode node)
{
	size_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
	size_t next;

	start = skip_blank_forward(reader->data, end, start);
	if (start >= end || reader->data[start] != ',')
		return false;
	if (skip_blank_forward(reader->data, end, start + 1) != end)
		return false;
	next = skip_blank_forward(reader->data, reader->len, end);
	return next < reader->len && (reader->data[next] == '}' || reader->data[next] == ']');
}

/* tree-sitter-json marks `[1,]` with a MISSING value between the comma and the bracket. */
static bool is_trailing_comma_missing(const struct json_reader *reader, TSNode node)
{
	size_t at = ts_node_start_byte(node);
	size_t next = skip_blank_forward(reader->data, reader->len, at);

	if (ts_node_end_byte(node) != at || previous_byte(reader->data, at) != ',')
		return false;
	return next < reader->len && (reader->data[next] == '}' || reader->data[next] == ']');
}

static bool is_error_node(TSNode node)
{
	return strcmp(ts_node_type(node), "ERROR") == 0;
}

static int reject_node(const struct json_reader *reader, TSNode node)
{
	size_t line = (size_t)ts_node_start_point(node).row + 1;
	size_t at = ts_node_start_byte(node), end = ts_node_end_byte(node);

	/* tree-sitter often starts the ERROR node at the comma before the bad token: report the token's line. */
	while (at < end) {
		size_t next = skip_blank_forward(reader->data, end, at);

		if (next < end && reader->data[next] == ',')
			next++;
		if (next == at)
			break;
		for (size_t i = at; i < next; i++)
			line += reader->data[i] == '\n';
		at = next;
	}

	if (ts_node_is_missing(node))
		return nhi_error_set(NHI_EINVALID, "%s:%zu: invalid JSON: missing %s", reader->path,
				     line, ts_node_type(node));
	return nhi_error_set(NHI_EINVALID, "%s:%zu: invalid JSON: syntax error", reader->path, line);
}

/* Walk the whole tree and fail on the first error that is not a trailing comma. */
static int check_syntax(const struct json_reader *reader, TSNode root)
{
	TSTreeCursor cursor = ts_tree_cursor_new(root);
	int error = 0;

	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cursor);
		bool descend = ts_node_has_error(node);

		if (is_error_node(node)) {
			if (!is_trailing_comma_error(reader, node)) {
				error = reject_node(reader, node);
				goto done;
			}
			descend = false;
		} else if (ts_node_is_missing(node) && !is_trailing_comma_missing(reader, node)) {
			error = reject_node(reader, node);
			goto done;
		}
		if (descend && ts_tree_cursor_goto_first_child(&cursor))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&cursor))
			if (!ts_tree_cursor_goto_parent(&cursor))
				goto done;
	}

done:
	ts_tree_cursor_delete(&cursor);
	return error;
}

static int read_hex4(const char *text, size_t len, size_t at, unsigned long *out)
{
	unsigned long value = 0;

	if (at + 4 > len)
		return -1;
	for (size_t i = at; i < at + 4; i++) {
		char c = text[i];
		int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			    c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (digit < 0)
			return -1;
		value = value * 16 + (unsigned long)digit;
	}
	*out = value;
	return 0;
}

/* Decode a \u escape at text[at] (just after the 'u'), joining surrogate pairs. */
static size_t decode_unicode_escape(char *out, const char *text, size_t len, size_t *at)
{
	unsigned long cp, low;

	if (read_hex4(text, len, *at, &cp) < 0)
		return 0;
	*at += 4;
	if (cp >= 0xd800 && cp <= 0xdbff && *at + 6 <= len && text[*at] == '\\' &&
	    text[*at + 1] == 'u' && read_hex4(text, len, *at + 2, &low) == 0 &&
	    low >= 0xdc00 && low <= 0xdfff) {
		cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
		*at += 6;
	}
	return parse_utf8_encode(out, cp);
}

/* Decode the text between a JSON string's quotes; bad escapes are kept as they are. */
static char *decode_json_string(struct parse_doc *doc, const char *text, size_t len, size_t *out_len)
{
	/* Escapes never grow: \uXXXX (6 bytes) yields at most 3, a surrogate pair (12) 4. */
	char *out = parse_doc_alloc(doc, len + 1);
	size_t n = 0, i = 0;

	if (!out)
		return NULL;
	while (i < len) {
		char c = text[i++];

		if (c != '\\' || i >= len) {
			out[n++] = c;
			continue;
		}
		c = text[i++];
		switch (c) {
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'r': out[n++] = '\r'; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'u': {
			size_t written = decode_unicode_escape(out + n, text, len, &i);

			if (written == 0) {
				out[n++] = '\\';
				out[n++] = 'u';
			}
			n += written;
			break;
		}
		default: out[n++] = c; break;
		}
	}
	out[n] = '\0';
	*out_len = n;
	return out;
}

static struct parse_value *build_value(const struct json_reader *reader, TSNode node, int depth);

static struct parse_value *build_string(const struct json_reader *reader, TSNode node)
{
	struct parse_value *value = parse_doc_new_value(reader->doc, PARSE_STRING);
	size_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
	char *text;

	if (!value)
		return NULL;
	/* The node spans the quotes; a string cut short by a syntax error was rejected already. */
	if (end >= start + 2) {
		start++;
		end--;
	}
	text = decode_json_string(reader->doc, reader->data + start, end - start, &value->text_len);
	if (!text)
		return NULL;
	value->text = text;
	value->start = point_to_pos(ts_node_start_point(node));
	value->end = point_to_pos(ts_node_end_point(node));
	value->start.column++;
	value->end.column--;
	return value;
}

static struct parse_value *build_scalar(const struct json_reader *reader, TSNode node,
					enum parse_type type)
{
	struct parse_value *value = parse_doc_new_value(reader->doc, type);
	size_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);

	if (!value)
		return NULL;
	value->text = parse_doc_strndup(reader->doc, reader->data + start, end - start);
	if (!value->text)
		return NULL;
	value->text_len = end - start;
	value->start = point_to_pos(ts_node_start_point(node));
	value->end = point_to_pos(ts_node_end_point(node));
	return value;
}

/* Children that carry no value: comments, accepted trailing commas, MISSING placeholders. */
static bool is_skipped_child(TSNode child)
{
	return ts_node_is_extra(child) || ts_node_is_missing(child) || is_error_node(child) ||
	       strcmp(ts_node_type(child), "comment") == 0;
}

/*
 * Return the next named child that carries a value, moving cursor; false at the end. A cursor
 * is used because ts_node_named_child(i) scans from the first child on every call.
 */
static bool next_value_child(TSTreeCursor *cursor, bool *started, TSNode *out)
{
	for (;;) {
		bool moved = *started ? ts_tree_cursor_goto_next_sibling(cursor) :
					ts_tree_cursor_goto_first_child(cursor);

		*started = true;
		if (!moved)
			return false;
		*out = ts_tree_cursor_current_node(cursor);
		if (ts_node_is_named(*out) && !is_skipped_child(*out))
			return true;
	}
}

static struct parse_value *build_array(const struct json_reader *reader, TSNode node, int depth)
{
	struct parse_value *array = parse_doc_new_value(reader->doc, PARSE_ARRAY);
	struct parse_pos no_key = { 0, 0 };
	TSTreeCursor cursor = ts_tree_cursor_new(node);
	bool started = false;
	TSNode child;

	if (!array)
		goto done;
	array->start = point_to_pos(ts_node_start_point(node));
	array->end = point_to_pos(ts_node_end_point(node));
	while (next_value_child(&cursor, &started, &child)) {
		struct parse_value *element = build_value(reader, child, depth + 1);

		if (!element || parse_value_append(reader->doc, array, NULL, no_key, element) < 0) {
			array = NULL;
			goto done;
		}
	}

done:
	ts_tree_cursor_delete(&cursor);
	return array;
}

static int append_pair(const struct json_reader *reader, struct parse_value *object, TSNode pair, int depth)
{
	TSNode key_node = ts_node_child_by_field_name(pair, "key", 3);
	TSNode value_node = ts_node_child_by_field_name(pair, "value", 5);
	struct parse_value *key, *value;

	if (ts_node_is_null(key_node) || ts_node_is_null(value_node) || ts_node_is_missing(value_node))
		return 0;
	if (!(key = build_value(reader, key_node, depth + 1)) ||
	    !(value = build_value(reader, value_node, depth + 1)))
		return nhi_error_last_code();
	return parse_value_append(reader->doc, object, key->text, key->start, value);
}

static struct parse_value *build_object(const struct json_reader *reader, TSNode node, int depth)
{
	struct parse_value *object = parse_doc_new_value(reader->doc, PARSE_OBJECT);
	TSTreeCursor cursor = ts_tree_cursor_new(node);
	bool started = false;
	TSNode child;

	if (!object)
		goto done;
	object->start = point_to_pos(ts_node_start_point(node));
	object->end = point_to_pos(ts_node_end_point(node));
	while (next_value_child(&cursor, &started, &child)) {
		if (strcmp(ts_node_type(child), "pair") != 0)
			continue;
		if (append_pair(reader, object, child, depth) < 0) {
			object = NULL;
			goto done;
		}
	}

done:
	ts_tree_cursor_delete(&cursor);
	return object;
}

static struct parse_value *build_value(const struct json_reader *reader, TSNode node, int depth)
{
	const char *type = ts_node_type(node);

	if (depth > MAX_DEPTH) {
		nhi_error_set(NHI_EINVALID, "%s:%zu: invalid JSON: nested deeper than %d levels",
			      reader->path, (size_t)ts_node_start_point(node).row + 1, MAX_DEPTH);
		return NULL;
	}
	if (strcmp(type, "object") == 0)
		return build_object(reader, node, depth);
	if (strcmp(type, "array") == 0)
		return build_array(reader, node, depth);
	if (strcmp(type, "string") == 0)
		return build_string(reader, node);
	if (strcmp(type, "number") == 0)
		return build_scalar(reader, node, PARSE_NUMBER);
	if (strcmp(type, "true") == 0 || strcmp(type, "false") == 0)
		return build_scalar(reader, node, PARSE_BOOL);
	return build_scalar(reader, node, PARSE_NULL);
}

/* Return the document's one value, skipping comments; a null node for an empty document. */
static TSNode find_document_value(TSNode root)
{
	uint32_t count = ts_node_named_child_count(root);

	for (uint32_t i = 0; i < count; i++) {
		TSNode child = ts_node_named_child(root, i);

		if (!is_skipped_child(child))
			return child;
	}
	return (TSNode){ 0 };
}

static int build_document(struct json_reader *reader, TSTree *tree)
{
	TSNode root = ts_tree_root_node(tree);
	TSNode value;
	int error;

	if ((error = check_syntax(reader, root)) < 0)
		return error;
	value = find_document_value(root);
	if (ts_node_is_null(value))
		return 0;
	reader->doc->root = build_value(reader, value, 0);
	/* The builders record their own error: nesting too deep or out of memory. */
	return reader->doc->root ? 0 : nhi_error_last_code();
}

int parse_json_load(struct parse_doc *out, const char *path, const char *data, size_t len)
{
	struct json_reader reader = { out, path, data, len };
	const TSLanguage *language = NULL;
	TSParser *parser = NULL;
	TSTree *tree = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if (len > UINT32_MAX)
		return nhi_error_set(NHI_EINVALID, "%s:1: invalid JSON: larger than 4 GiB", path);
	if ((error = parse_grammar_find(&language, "json")) < 0)
		goto done;

	parser = ts_parser_new();
	if (!parser || !ts_parser_set_language(parser, language)) {
		error = nhi_error_set(NHI_ERROR, "cannot set up the JSON parser");
		goto done;
	}
	tree = ts_parser_parse_string(parser, NULL, data, (uint32_t)len);
	if (!tree) {
		error = nhi_error_set(NHI_ERROR, "%s: the JSON parser failed", path);
		goto done;
	}
	error = build_document(&reader, tree);

done:
	if (error < 0)
		out->root = NULL;
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	return error;
}
