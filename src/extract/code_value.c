/*
 * Reading syntax nodes as values: string literals, environment references, calls, and the
 * options of a call (keyword arguments, object literal members, Go option functions and
 * composite literals, Java builder methods).
 *
 * Node type names differ between grammars, but rarely in meaning, so one table of type names
 * serves every language. For example, "pair" is an object member in JavaScript and a hash member
 * in Ruby, while "keyword_argument" exists only in Python and "keyed_element" only in Go.
 */
#include "extract/code_internal.h"
#include "util/error.h"

#include <ctype.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* How many bindings value reading follows (x = y; y = z; ...) before it gives up. */
#define BINDING_DEPTH_MAX 4

static bool type_is(TSNode node, const char *type)
{
	return strcmp(ts_node_type(node), type) == 0;
}

static bool type_in(TSNode node, const char *const *types)
{
	const char *type = ts_node_type(node);

	for (size_t i = 0; types[i]; i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	return false;
}

static TSNode field(TSNode node, const char *name)
{
	return ts_node_child_by_field_name(node, name, (uint32_t)strlen(name));
}

int code_array_push(struct code_array *array, const void *item, size_t size)
{
	if (array->count == array->alloc) {
		size_t alloc = array->alloc ? array->alloc * 2 : 16;
		void *grown = realloc(array->items, alloc * size);

		if (!grown)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		array->items = grown;
		array->alloc = alloc;
	}
	memcpy((char *)array->items + array->count * size, item, size);
	array->count++;
	return 0;
}

static void dispose_array(struct code_array *array)
{
	free(array->items);
	memset(array, 0, sizeof(*array));
}

void code_file_dispose(struct code_file *file)
{
	for (size_t i = 0; i < file->entities.count; i++)
		free(CODE_ITEM(&file->entities, struct code_entity, i).tools);
	dispose_array(&file->references);
	dispose_array(&file->bindings);
	dispose_array(&file->calls);
	dispose_array(&file->assignments);
	dispose_array(&file->definitions);
	dispose_array(&file->comments);
	dispose_array(&file->docstrings);
	dispose_array(&file->entities);
	dispose_array(&file->reported);
	free(file->line_starts);
	file->line_starts = NULL;
}

struct code_text code_node_text(const struct code_file *file, TSNode node)
{
	struct code_text text = { file->file.data, 0 };
	uint32_t start, end;

	if (ts_node_is_null(node))
		return text;
	start = ts_node_start_byte(node);
	end = ts_node_end_byte(node);
	if (end > file->file.len || start > end)
		return text;
	text.ptr = file->file.data + start;
	text.len = end - start;
	return text;
}

void code_text_copy(char *out, size_t size, struct code_text text)
{
	size_t len = text.len < size - 1 ? text.len : size - 1;

	memcpy(out, text.ptr, len);
	out[len] = '\0';
}

struct parse_pos code_pos(TSPoint point)
{
	struct parse_pos pos = { (size_t)point.row + 1, (size_t)point.column + 1 };

	return pos;
}

/* Children that hold a literal's characters; any other named child is an interpolation. */
static const char *const content_types[] = {
	"string_content", "string_fragment", "escape_sequence", "interpreted_string_literal_content",
	"raw_string_literal_content", NULL,
};

static const char *const string_types[] = {
	"string", "string_literal", "interpreted_string_literal", "raw_string_literal", "raw_string",
	"template_string", NULL,
};

/* The text between the first and the last content child, or an empty text after the quotes. */
static bool read_quoted(struct code_text *out, const struct code_file *file, TSNode node)
{
	uint32_t count = ts_node_named_child_count(node);
	TSNode first = { 0 }, last = { 0 };

	for (uint32_t i = 0; i < count; i++) {
		TSNode child = ts_node_named_child(node, i);

		if (type_is(child, "string_start") || type_is(child, "string_end"))
			continue;
		if (!type_in(child, content_types))
			return false;
		if (ts_node_is_null(first))
			first = child;
		last = child;
	}
	if (ts_node_is_null(first)) {
		*out = code_node_text(file, node);
		out->len = 0;
		return true;
	}
	out->ptr = file->file.data + ts_node_start_byte(first);
	out->len = ts_node_end_byte(last) - ts_node_start_byte(first);
	return true;
}

bool code_string_literal(struct code_text *out, const struct code_file *file, TSNode node)
{
	struct code_text text;

	if (ts_node_is_null(node))
		return false;
	if (type_is(node, "raw_string")) {
		/* Bash single quotes: no children, no escapes. */
		text = code_node_text(file, node);
		if (text.len < 2)
			return false;
		out->ptr = text.ptr + 1;
		out->len = text.len - 2;
		return true;
	}
	if (type_is(node, "word") || type_is(node, "hash_key_symbol") || type_is(node, "string_fragment") ||
	    type_is(node, "string_content")) {
		*out = code_node_text(file, node);
		return true;
	}
	if (type_is(node, "simple_symbol")) {
		*out = code_node_text(file, node);
		if (out->len > 0 && out->ptr[0] == ':') {
			out->ptr++;
			out->len--;
		}
		return true;
	}
	if (type_in(node, string_types))
		return read_quoted(out, file, node);
	return false;
}

/* Index of the first record of array (sorted by start byte) that starts at or after start. */
static size_t lower_bound(const struct code_array *array, size_t size, size_t node_offset, uint32_t start)
{
	size_t low = 0, high = array->count;

	while (low < high) {
		size_t middle = (low + high) / 2;
		const TSNode *node = (const TSNode *)((const char *)array->items + middle * size + node_offset);

		if (ts_node_start_byte(*node) < start)
			low = middle + 1;
		else
			high = middle;
	}
	return low;
}

size_t code_reference_at(const struct code_file *file, TSNode node)
{
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);

	for (size_t i = lower_bound(&file->references, sizeof(struct code_reference), offsetof(struct code_reference, node), start);
	     i < file->references.count; i++) {
		TSNode candidate = CODE_ITEM(&file->references, struct code_reference, i).node;

		if (ts_node_start_byte(candidate) != start)
			break;
		if (ts_node_end_byte(candidate) == end)
			return i + 1;
	}
	return 0;
}

size_t code_reference_within(const struct code_file *file, TSNode node)
{
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);
	size_t i = lower_bound(&file->references, sizeof(struct code_reference), offsetof(struct code_reference, node), start);

	if (i < file->references.count &&
	    ts_node_end_byte(CODE_ITEM(&file->references, struct code_reference, i).node) <= end)
		return i + 1;
	return 0;
}

size_t code_call_at(const struct code_file *file, TSNode node)
{
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);

	for (size_t i = lower_bound(&file->calls, sizeof(struct code_call), offsetof(struct code_call, node), start);
	     i < file->calls.count; i++) {
		TSNode candidate = CODE_ITEM(&file->calls, struct code_call, i).node;

		if (ts_node_start_byte(candidate) != start)
			break;
		if (ts_node_end_byte(candidate) == end)
			return i + 1;
	}
	return 0;
}

/* Wrappers that do not change a value: (x), await x, x!, x as T, &x, x.build() is not one. */
static TSNode unwrap(TSNode node)
{
	static const char *const wrappers[] = {
		"parenthesized_expression", "await_expression", "await", "non_null_expression", "as_expression",
		"satisfies_expression", "literal_element", "expression_list", "type_assertion", NULL,
	};

	for (int i = 0; i < 8 && !ts_node_is_null(node); i++) {
		if (type_in(node, wrappers) || (type_is(node, "unary_expression") && ts_node_named_child_count(node) == 1)) {
			if (ts_node_named_child_count(node) == 0)
				break;
			node = ts_node_named_child(node, 0);
			continue;
		}
		break;
	}
	return node;
}

static bool text_equals(struct code_text a, struct code_text b)
{
	return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0;
}

/* The binding of name: the last one before node, or else the first one after it. */
static const struct code_binding *find_binding(const struct code_file *file, struct code_text name, TSNode node)
{
	const struct code_binding *found = NULL;
	uint32_t at = ts_node_start_byte(node);

	for (size_t i = 0; i < file->bindings.count; i++) {
		const struct code_binding *binding = &CODE_ITEM(&file->bindings, struct code_binding, i);

		if (!text_equals(binding->name, name))
			continue;
		if (binding->name.ptr - file->file.data >= (ptrdiff_t)at)
			return found ? found : binding;
		found = binding;
	}
	return found;
}

static const char *const name_types[] = {
	"identifier", "constant", "instance_variable", "class_variable", "global_variable", "variable_name",
	"shorthand_property_identifier", NULL,
};

/* Expressions whose value is built from their parts, so that a reference inside makes them one. */
static const char *const composed_types[] = {
	"binary_expression", "boolean_operator", "conditional_expression", "ternary_expression",
	"string", "template_string", "interpreted_string_literal", "string_literal", "concatenated_string",
	"concatenation", NULL,
};

static void read_value(struct code_value *out, const struct code_file *file, TSNode node, int depth)
{
	const struct code_binding *binding;

	memset(out, 0, sizeof(*out));
	node = unwrap(node);
	out->node = node;
	if (ts_node_is_null(node))
		return;
	if ((out->reference = code_reference_at(file, node)) != 0) {
		out->kind = CODE_VALUE_REFERENCE;
	} else if (code_string_literal(&out->text, file, node)) {
		out->kind = CODE_VALUE_LITERAL;
	} else if (type_in(node, composed_types) && (out->reference = code_reference_within(file, node)) != 0) {
		out->kind = CODE_VALUE_REFERENCE;
	} else if ((out->call = code_call_at(file, node)) != 0) {
		out->kind = CODE_VALUE_CALL;
	} else if (type_in(node, name_types) && depth < BINDING_DEPTH_MAX &&
		   (binding = find_binding(file, code_node_text(file, node), node)) != NULL) {
		if (!ts_node_is_null(binding->reference)) {
			out->kind = CODE_VALUE_REFERENCE;
			out->reference = code_reference_at(file, binding->reference);
		} else if (!ts_node_eq(binding->value, node)) {
			read_value(out, file, binding->value, depth + 1);
		}
	} else {
		out->kind = CODE_VALUE_OTHER;
	}
}

void code_value_read(struct code_value *out, const struct code_file *file, TSNode node)
{
	read_value(out, file, node, 0);
	if (out->kind == CODE_VALUE_NONE && !ts_node_is_null(out->node))
		out->kind = CODE_VALUE_OTHER;
}

/* Lower-case the letters and digits of key; drop a Go or Java "With" prefix (WithAPIKey, withName). */
static void normalize_key(char *out, size_t size, struct code_text key)
{
	size_t used = 0;

	if (key.len > 4 && (strncmp(key.ptr, "With", 4) == 0 || strncmp(key.ptr, "with", 4) == 0) &&
	    isupper((unsigned char)key.ptr[4])) {
		key.ptr += 4;
		key.len -= 4;
	}
	for (size_t i = 0; i < key.len && used + 1 < size; i++)
		if (isalnum((unsigned char)key.ptr[i]))
			out[used++] = (char)tolower((unsigned char)key.ptr[i]);
	out[used] = '\0';
}

/* The text of a key node: the contents of a quoted key, a symbol without its colon, or a name. */
static struct code_text key_text(const struct code_file *file, TSNode key)
{
	struct code_text text;

	key = unwrap(key);
	if (code_string_literal(&text, file, key))
		return text;
	return code_node_text(file, key);
}

static void add_option(struct code_options *out, const struct code_file *file, struct code_text key, TSNode value,
		       TSNode arguments)
{
	struct code_option *option;

	if (out->count == CODE_OPTIONS_MAX || ts_node_is_null(value))
		return;
	option = &out->items[out->count++];
	code_text_copy(option->raw_key, sizeof(option->raw_key), key);
	normalize_key(option->key, sizeof(option->key), key);
	option->value = value;
	option->arguments = arguments;
}

static const char *const object_types[] = { "object", "dictionary", "hash", "literal_value", NULL };
static const char *const member_types[] = { "pair", "keyword_argument", "keyed_element", NULL };

/* Option values that are themselves groups of options and are read as if written at the top. */
static bool is_nested_group(const char *key)
{
	static const char *const groups[] = {
		"params", "transport", "options", "config", "configuration", "clientoptions", "serverparams",
		"requestinit", NULL,
	};

	for (size_t i = 0; groups[i]; i++)
		if (strcmp(key, groups[i]) == 0)
			return true;
	return false;
}

static void add_members(struct code_options *out, const struct code_file *file, TSNode object, int depth);

static void add_member(struct code_options *out, const struct code_file *file, TSNode member, int depth)
{
	TSNode key = field(member, "key"), value = field(member, "value");
	struct code_value resolved;

	if (ts_node_is_null(key))
		key = field(member, "name");
	if (ts_node_is_null(key) || ts_node_is_null(value))
		return;
	add_option(out, file, key_text(file, key), value, (TSNode){ 0 });
	if (depth > 0 || !is_nested_group(out->items[out->count - 1].key))
		return;
	code_value_read(&resolved, file, value);
	if (!ts_node_is_null(resolved.node) && type_in(resolved.node, object_types))
		add_members(out, file, resolved.node, depth + 1);
}

static void add_members(struct code_options *out, const struct code_file *file, TSNode object, int depth)
{
	uint32_t count = ts_node_named_child_count(object);

	for (uint32_t i = 0; i < count; i++) {
		TSNode child = ts_node_named_child(object, i);

		if (type_in(child, member_types))
			add_member(out, file, child, depth);
		else if (type_is(child, "shorthand_property_identifier"))
			add_option(out, file, code_node_text(file, child), child, (TSNode){ 0 });
	}
}

/* Go: &pkg.Type{Field: value} passes its fields as options. */
static bool add_composite(struct code_options *out, const struct code_file *file, TSNode node)
{
	TSNode body;

	if (type_is(node, "unary_expression") && ts_node_named_child_count(node) == 1)
		node = ts_node_named_child(node, 0);
	if (!type_is(node, "composite_literal"))
		return false;
	body = field(node, "body");
	if (!ts_node_is_null(body))
		add_members(out, file, body, 0);
	return true;
}

/* Go and langchaingo option functions: option.WithAPIKey(value), openai.WithModel("gpt-4o"). */
static bool add_option_call(struct code_options *out, const struct code_file *file, TSNode node)
{
	size_t index = code_call_at(file, node);
	const struct code_call *call;
	const char *last;
	TSNode arguments;

	if (!index)
		return false;
	call = &CODE_ITEM(&file->calls, struct code_call, index - 1);
	last = strrchr(call->callee, '.');
	last = last ? last + 1 : call->callee;
	if (strncmp(last, "With", 4) != 0 || !isupper((unsigned char)last[4]) || ts_node_is_null(call->arguments))
		return false;
	arguments = call->arguments;
	if (ts_node_named_child_count(arguments) == 0)
		return false;
	add_option(out, file, (struct code_text){ last, strlen(last) }, ts_node_named_child(arguments, 0), arguments);
	return true;
}

static void add_positional(struct code_options *out, TSNode node)
{
	if (out->positional_count < CODE_POSITIONAL_MAX)
		out->positional[out->positional_count++] = node;
}

static void add_argument(struct code_options *out, const struct code_file *file, TSNode argument, unsigned family)
{
	static const char *const skipped[] = {
		"comment", "line_comment", "block_comment", "command_name", "variable_assignment", "file_redirect",
		"herestring_redirect", "heredoc_redirect", NULL,
	};

	if (type_in(argument, skipped))
		return;
	if (type_in(argument, member_types)) {
		add_member(out, file, argument, 0);
	} else if (type_in(argument, object_types) && family != CODE_FAMILY_BASH) {
		add_members(out, file, argument, 0);
	} else if (family == CODE_FAMILY_GO && add_composite(out, file, argument)) {
		return;
	} else if (family == CODE_FAMILY_GO && add_option_call(out, file, argument)) {
		return;
	} else {
		add_positional(out, argument);
	}
}

/* Java builders: Type.builder().apiKey(key).modelName("x").build() passes each method as an option. */
static TSNode add_chain(struct code_options *out, const struct code_file *file, TSNode node)
{
	for (;;) {
		TSNode parent = ts_node_parent(node), name, arguments;

		if (ts_node_is_null(parent) || !type_is(parent, "method_invocation") ||
		    !ts_node_eq(field(parent, "object"), node))
			return node;
		name = field(parent, "name");
		arguments = field(parent, "arguments");
		if (!ts_node_is_null(arguments) && ts_node_named_child_count(arguments) > 0)
			add_option(out, file, code_node_text(file, name), ts_node_named_child(arguments, 0), arguments);
		node = parent;
	}
}

void code_options_collect(struct code_options *out, const struct code_file *file, const struct code_call *call,
			  bool chain, TSNode *outer)
{
	TSNode arguments = call->arguments;

	memset(out, 0, sizeof(*out));
	*outer = call->node;
	if (ts_node_is_null(arguments) && type_is(call->node, "command"))
		arguments = call->node;
	if (!ts_node_is_null(arguments)) {
		uint32_t count = ts_node_named_child_count(arguments);

		for (uint32_t i = 0; i < count; i++)
			add_argument(out, file, ts_node_named_child(arguments, i), file->info->family);
	}
	if (chain)
		*outer = add_chain(out, file, call->node);
}

const struct code_option *code_options_find(const struct code_options *options, const char *const *keys)
{
	for (size_t k = 0; keys[k]; k++)
		for (size_t i = 0; i < options->count; i++)
			if (strcmp(options->items[i].key, keys[k]) == 0)
				return &options->items[i];
	return NULL;
}

TSNode code_options_positional(const struct code_options *options, unsigned position)
{
	if (position == 0 || position > options->positional_count)
		return (TSNode){ 0 };
	return options->positional[position - 1];
}
