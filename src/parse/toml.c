/*
 * TOML reader over tree-sitter-toml; see toml.h.
 *
 * The grammar gives a flat list of pairs, tables and arrays of tables. The reader keeps a
 * "current table" while it walks that list, as TOML's own semantics do. Syntax errors are
 * checked on the whole tree first, so the builders only see valid input.
 */
#include "parse/toml.h"
#include "parse/grammar.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A dotted key longer than this is rejected: real configuration keys have a handful of parts. */
#define MAX_KEY_PARTS 32
/* Nested arrays and inline tables deeper than this are rejected, because the builders recurse. */
#define MAX_DEPTH 100

struct toml_reader {
	struct parse_doc *doc;
	const char *path;
	const char *data;
};

struct key_part {
	const char *text;
	struct parse_pos pos;
};

struct key_path {
	struct key_part parts[MAX_KEY_PARTS];
	size_t count;
	size_t line; /* for messages */
};

static struct parse_pos point_to_pos(TSPoint point)
{
	struct parse_pos pos = { (size_t)point.row + 1, (size_t)point.column + 1 };

	return pos;
}

static size_t node_line(TSNode node)
{
	return (size_t)ts_node_start_point(node).row + 1;
}

static int reject(const struct toml_reader *reader, size_t line, const char *problem)
{
	return nhi_error_set(NHI_EINVALID, "%s:%zu: invalid TOML: %s", reader->path, line, problem);
}

/* Fail on the first ERROR or MISSING node of the tree. */
static int check_syntax(const struct toml_reader *reader, TSNode root)
{
	TSTreeCursor cursor = ts_tree_cursor_new(root);
	int error = 0;

	if (!ts_node_has_error(root))
		goto done;
	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cursor);

		if (ts_node_is_missing(node)) {
			error = nhi_error_set(NHI_EINVALID, "%s:%zu: invalid TOML: missing %s",
					      reader->path, node_line(node), ts_node_type(node));
			goto done;
		}
		if (strcmp(ts_node_type(node), "ERROR") == 0) {
			error = reject(reader, node_line(node), "syntax error");
			goto done;
		}
		if (ts_node_has_error(node) && ts_tree_cursor_goto_first_child(&cursor))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&cursor))
			if (!ts_tree_cursor_goto_parent(&cursor))
				goto done;
	}

done:
	ts_tree_cursor_delete(&cursor);
	return error;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode \uXXXX, \UXXXXXXXX or \xHH at text[*at] (just after the letter); 0 when invalid. */
static size_t decode_hex_escape(char *out, const char *text, size_t len, size_t *at, size_t digits)
{
	unsigned long cp = 0;

	if (*at + digits > len)
		return 0;
	for (size_t i = 0; i < digits; i++) {
		int digit = hex_digit(text[*at + i]);

		if (digit < 0)
			return 0;
		cp = cp * 16 + (unsigned long)digit;
	}
	*at += digits;
	return parse_utf8_encode(out, cp);
}

/* After a line-ending backslash in a multi-line basic string: skip whitespace and newlines. */
static bool skip_line_continuation(const char *text, size_t len, size_t *at)
{
	size_t i = *at;

	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	if (i >= len || (text[i] != '\n' && text[i] != '\r'))
		return false;
	while (i < len && strchr(" \t\r\n", text[i]))
		i++;
	*at = i;
	return true;
}

/* Hex digits of the \U, \u and \x escapes. */
static size_t escape_digits(char letter)
{
	if (letter == 'U')
		return 8;
	return letter == 'u' ? 4 : 2;
}

/* Decode the body of a basic string; escapes never make the text longer. */
static char *decode_basic(struct parse_doc *doc, const char *text, size_t len, bool multiline, size_t *out_len)
{
	char *out = parse_doc_alloc(doc, len + 1);
	size_t n = 0, i = 0;

	if (!out)
		return NULL;
	while (i < len) {
		char c = text[i++];
		size_t written;

		if (c != '\\' || i >= len) {
			out[n++] = c;
			continue;
		}
		if (multiline && skip_line_continuation(text, len, &i))
			continue;
		c = text[i++];
		switch (c) {
		case 'b': out[n++] = '\b'; break;
		case 't': out[n++] = '\t'; break;
		case 'n': out[n++] = '\n'; break;
		case 'f': out[n++] = '\f'; break;
		case 'r': out[n++] = '\r'; break;
		case 'e': out[n++] = '\033'; break;
		case 'u':
		case 'U':
		case 'x':
			written = decode_hex_escape(out + n, text, len, &i, escape_digits(c));
			if (written == 0) {
				out[n++] = '\\';
				out[n++] = c;
			}
			n += written;
			break;
		default: out[n++] = c; break;
		}
	}
	out[n] = '\0';
	*out_len = n;
	return out;
}

/* Build a string value from the node text, which includes its quotes. */
static struct parse_value *build_string(const struct toml_reader *reader, TSNode node)
{
	struct parse_value *value = parse_doc_new_value(reader->doc, PARSE_STRING);
	const char *raw = reader->data + ts_node_start_byte(node);
	size_t raw_len = ts_node_end_byte(node) - ts_node_start_byte(node);
	bool multiline = raw_len >= 6 && (strncmp(raw, "\"\"\"", 3) == 0 || strncmp(raw, "'''", 3) == 0);
	size_t quote = multiline ? 3 : 1;
	const char *body = raw + quote;
	size_t body_len = raw_len >= 2 * quote ? raw_len - 2 * quote : 0;
	char *text;

	if (!value)
		return NULL;
	value->start = point_to_pos(ts_node_start_point(node));
	value->start.column += quote;
	value->end = point_to_pos(ts_node_end_point(node));
	value->end.column -= quote;
	/* A newline right after the opening delimiter of a multi-line string is not part of it. */
	if (multiline && body_len && (body[0] == '\n' || (body[0] == '\r' && body_len > 1 && body[1] == '\n'))) {
		size_t skip = body[0] == '\n' ? 1 : 2;

		body += skip;
		body_len -= skip;
		value->start.line++;
		value->start.column = 1;
	}
	if (raw[0] == '\'') {
		text = parse_doc_strndup(reader->doc, body, body_len);
		value->text_len = body_len;
	} else {
		text = decode_basic(reader->doc, body, body_len, multiline, &value->text_len);
	}
	if (!text)
		return NULL;
	value->text = text;
	return value;
}

static struct parse_value *build_scalar(const struct toml_reader *reader, TSNode node, enum parse_type type)
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

static bool is_comment(TSNode node)
{
	return strcmp(ts_node_type(node), "comment") == 0;
}

static bool is_key_node(TSNode node)
{
	const char *type = ts_node_type(node);

	return strcmp(type, "bare_key") == 0 || strcmp(type, "quoted_key") == 0 ||
	       strcmp(type, "dotted_key") == 0;
}

/* Append the parts of a bare, quoted or dotted key to path, left to right. */
static int collect_key(const struct toml_reader *reader, TSNode node, struct key_path *path)
{
	const char *type = ts_node_type(node);
	uint32_t count = ts_node_named_child_count(node);

	if (strcmp(type, "dotted_key") == 0) {
		for (uint32_t i = 0; i < count; i++) {
			int error = collect_key(reader, ts_node_named_child(node, i), path);

			if (error < 0)
				return error;
		}
		return 0;
	}
	if (path->count == MAX_KEY_PARTS)
		return reject(reader, node_line(node), "dotted key has too many parts");

	struct key_part *part = &path->parts[path->count];
	size_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);

	if (strcmp(type, "quoted_key") == 0) {
		struct parse_value *quoted = build_string(reader, node);

		if (!quoted)
			return NHI_ENOMEM;
		part->text = quoted->text;
		part->pos = quoted->start;
	} else {
		part->text = parse_doc_strndup(reader->doc, reader->data + start, end - start);
		if (!part->text)
			return NHI_ENOMEM;
		part->pos = point_to_pos(ts_node_start_point(node));
	}
	path->count++;
	return 0;
}

static struct parse_member *find_member(struct parse_value *object, const char *key)
{
	for (size_t i = 0; i < object->count; i++)
		if (object->members[i].key && strcmp(object->members[i].key, key) == 0)
			return &object->members[i];
	return NULL;
}

/*
 * Step from table into the table named part, creating it when absent. Through an array of
 * tables the step goes into its last element, as TOML defines for `[a.b]` after `[[a]]`.
 */
static int descend(const struct toml_reader *reader, struct parse_value **table,
		   const struct key_part *part, size_t line)
{
	struct parse_member *member = find_member(*table, part->text);
	struct parse_value *next;

	if (member) {
		next = member->value;
		if (next->type == PARSE_ARRAY && next->count && next->members[next->count - 1].value->type == PARSE_OBJECT)
			next = next->members[next->count - 1].value;
		if (next->type != PARSE_OBJECT)
			return reject(reader, line, "a key is used both as a value and as a table");
		*table = next;
		return 0;
	}
	next = parse_doc_new_value(reader->doc, PARSE_OBJECT);
	if (!next)
		return NHI_ENOMEM;
	next->start = part->pos;
	next->end = part->pos;
	if (parse_value_append(reader->doc, *table, part->text, part->pos, next) < 0)
		return NHI_ENOMEM;
	*table = next;
	return 0;
}

static struct parse_value *build_value(const struct toml_reader *reader, TSNode node, int depth);

static int append_pair(const struct toml_reader *reader, struct parse_value *table, TSNode pair, int depth)
{
	uint32_t count = ts_node_named_child_count(pair);
	struct key_path path = { .count = 0, .line = node_line(pair) };
	TSNode key_node = { 0 }, value_node = { 0 };
	struct parse_value *value;
	int error;

	for (uint32_t i = 0; i < count; i++) {
		TSNode child = ts_node_named_child(pair, i);

		if (is_comment(child))
			continue;
		if (ts_node_is_null(key_node) && is_key_node(child))
			key_node = child;
		else
			value_node = child;
	}
	if (ts_node_is_null(key_node) || ts_node_is_null(value_node))
		return reject(reader, path.line, "key without a value");
	if ((error = collect_key(reader, key_node, &path)) < 0)
		return error;
	for (size_t i = 0; i + 1 < path.count; i++)
		if ((error = descend(reader, &table, &path.parts[i], path.line)) < 0)
			return error;
	if (find_member(table, path.parts[path.count - 1].text))
		return reject(reader, path.line, "a key is defined twice");
	if (!(value = build_value(reader, value_node, depth + 1)))
		return nhi_error_last_code();
	return parse_value_append(reader->doc, table, path.parts[path.count - 1].text,
				  path.parts[path.count - 1].pos, value);
}

static struct parse_value *build_array(const struct toml_reader *reader, TSNode node, int depth)
{
	struct parse_value *array = parse_doc_new_value(reader->doc, PARSE_ARRAY);
	struct parse_pos no_key = { 0, 0 };
	TSTreeCursor cursor = ts_tree_cursor_new(node);
	bool more;

	if (!array)
		goto done;
	array->start = point_to_pos(ts_node_start_point(node));
	array->end = point_to_pos(ts_node_end_point(node));
	for (more = ts_tree_cursor_goto_first_child(&cursor); more; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
		TSNode child = ts_tree_cursor_current_node(&cursor);
		struct parse_value *element;

		if (!ts_node_is_named(child) || is_comment(child))
			continue;
		element = build_value(reader, child, depth + 1);
		if (!element || parse_value_append(reader->doc, array, NULL, no_key, element) < 0) {
			array = NULL;
			goto done;
		}
	}

done:
	ts_tree_cursor_delete(&cursor);
	return array;
}

static struct parse_value *build_inline_table(const struct toml_reader *reader, TSNode node, int depth)
{
	struct parse_value *table = parse_doc_new_value(reader->doc, PARSE_OBJECT);
	TSTreeCursor cursor = ts_tree_cursor_new(node);
	bool more;

	if (!table)
		goto done;
	table->start = point_to_pos(ts_node_start_point(node));
	table->end = point_to_pos(ts_node_end_point(node));
	for (more = ts_tree_cursor_goto_first_child(&cursor); more; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
		TSNode child = ts_tree_cursor_current_node(&cursor);

		if (strcmp(ts_node_type(child), "pair") != 0)
			continue;
		if (append_pair(reader, table, child, depth) < 0) {
			table = NULL;
			goto done;
		}
	}

done:
	ts_tree_cursor_delete(&cursor);
	return table;
}

static struct parse_value *build_value(const struct toml_reader *reader, TSNode node, int depth)
{
	const char *type = ts_node_type(node);

	if (depth > MAX_DEPTH) {
		reject(reader, node_line(node), "nested too deeply");
		return NULL;
	}
	if (strcmp(type, "string") == 0)
		return build_string(reader, node);
	if (strcmp(type, "array") == 0)
		return build_array(reader, node, depth);
	if (strcmp(type, "inline_table") == 0)
		return build_inline_table(reader, node, depth);
	if (strcmp(type, "integer") == 0 || strcmp(type, "float") == 0)
		return build_scalar(reader, node, PARSE_NUMBER);
	if (strcmp(type, "boolean") == 0)
		return build_scalar(reader, node, PARSE_BOOL);
	return build_scalar(reader, node, PARSE_DATETIME);
}

/* Find the header key of a table or array-of-tables node. */
static TSNode find_header_key(TSNode node)
{
	uint32_t count = ts_node_named_child_count(node);

	for (uint32_t i = 0; i < count; i++) {
		TSNode child = ts_node_named_child(node, i);

		if (is_key_node(child))
			return child;
	}
	return (TSNode){ 0 };
}

/* Open `[a.b]` (or `[[a.b]]` when is_array) from the root; *out is the table its pairs go to. */
static int open_table(const struct toml_reader *reader, TSNode node, bool is_array, struct parse_value **out)
{
	struct key_path path = { .count = 0, .line = node_line(node) };
	TSNode key = find_header_key(node);
	struct parse_value *table = reader->doc->root;
	int error;

	if (ts_node_is_null(key))
		return reject(reader, path.line, "table without a name");
	if ((error = collect_key(reader, key, &path)) < 0)
		return error;
	for (size_t i = 0; i + (is_array ? 1 : 0) < path.count; i++)
		if ((error = descend(reader, &table, &path.parts[i], path.line)) < 0)
			return error;
	if (is_array) {
		const struct key_part *last = &path.parts[path.count - 1];
		struct parse_member *member = find_member(table, last->text);
		struct parse_value *array = member ? member->value : parse_doc_new_value(reader->doc, PARSE_ARRAY);
		struct parse_value *element = parse_doc_new_value(reader->doc, PARSE_OBJECT);

		if (!array || !element)
			return NHI_ENOMEM;
		if (array->type != PARSE_ARRAY)
			return reject(reader, path.line, "an array of tables reuses the name of a value");
		array->start = array->count ? array->start : last->pos;
		element->start = element->end = last->pos;
		if (!member && parse_value_append(reader->doc, table, last->text, last->pos, array) < 0)
			return NHI_ENOMEM;
		if (parse_value_append(reader->doc, array, NULL, last->pos, element) < 0)
			return NHI_ENOMEM;
		table = element;
	}
	*out = table;
	return 0;
}

/* Add the pairs of a table node to the table its header named. */
static int fill_table(const struct toml_reader *reader, TSNode node, bool is_array)
{
	struct parse_value *table = NULL;
	TSTreeCursor cursor = ts_tree_cursor_new(node);
	int error;
	bool more;

	if ((error = open_table(reader, node, is_array, &table)) < 0)
		goto done;
	for (more = ts_tree_cursor_goto_first_child(&cursor); more; more = ts_tree_cursor_goto_next_sibling(&cursor)) {
		TSNode child = ts_tree_cursor_current_node(&cursor);

		if (strcmp(ts_node_type(child), "pair") == 0 && (error = append_pair(reader, table, child, 0)) < 0)
			goto done;
	}

done:
	ts_tree_cursor_delete(&cursor);
	return error;
}

static int build_document(const struct toml_reader *reader, TSNode root)
{
	TSTreeCursor cursor = ts_tree_cursor_new(root);
	int error = 0;
	bool more;

	for (more = ts_tree_cursor_goto_first_child(&cursor); more && error == 0;
	     more = ts_tree_cursor_goto_next_sibling(&cursor)) {
		TSNode child = ts_tree_cursor_current_node(&cursor);
		const char *type = ts_node_type(child);

		if (strcmp(type, "pair") == 0)
			error = append_pair(reader, reader->doc->root, child, 0);
		else if (strcmp(type, "table") == 0)
			error = fill_table(reader, child, false);
		else if (strcmp(type, "table_array_element") == 0)
			error = fill_table(reader, child, true);
	}
	ts_tree_cursor_delete(&cursor);
	return error;
}

int parse_toml_load(struct parse_doc *out, const char *path, const char *data, size_t len)
{
	struct toml_reader reader = { out, path, data };
	const TSLanguage *language = NULL;
	TSParser *parser = NULL;
	TSTree *tree = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if (len > UINT32_MAX)
		return nhi_error_set(NHI_EINVALID, "%s:1: invalid TOML: larger than 4 GiB", path);
	if ((error = parse_grammar_find(&language, "toml")) < 0)
		goto done;
	parser = ts_parser_new();
	if (!parser || !ts_parser_set_language(parser, language)) {
		error = nhi_error_set(NHI_ERROR, "cannot set up the TOML parser");
		goto done;
	}
	tree = ts_parser_parse_string(parser, NULL, data, (uint32_t)len);
	if (!tree) {
		error = nhi_error_set(NHI_ERROR, "%s: the TOML parser failed", path);
		goto done;
	}
	if ((error = check_syntax(&reader, ts_tree_root_node(tree))) < 0)
		goto done;
	out->root = parse_doc_new_value(out, PARSE_OBJECT);
	if (!out->root) {
		error = NHI_ENOMEM;
		goto done;
	}
	out->root->start.line = out->root->start.column = 1;
	error = build_document(&reader, ts_tree_root_node(tree));

done:
	if (error < 0)
		out->root = NULL;
	ts_tree_delete(tree);
	ts_parser_delete(parser);
	return error;
}
