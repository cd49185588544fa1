/*
 * Recording of query matches: each match becomes a call, an environment reference, a binding,
 * an assignment, a comment or docstring span, or a decorated definition of the file's state.
 * A callee is normalized so that one SDK table fits every language: whitespace, arguments and
 * type arguments are dropped, and "::", "?." and "->" become ".".
 */
#include "extract/code_internal.h"
#include "util/error.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Skip the bracketed group that starts at text[i]; return the index after its closing bracket. */
static size_t skip_group(struct code_text text, size_t i)
{
	char open = text.ptr[i], close = '>';
	int depth = 0;

	if (open == '(')
		close = ')';
	else if (open == '[')
		close = ']';

	for (; i < text.len; i++) {
		if (text.ptr[i] == open)
			depth++;
		else if (text.ptr[i] == close && --depth == 0)
			return i + 1;
	}
	return text.len;
}

/* Append the normalized form of text to out (size bytes), from *used on. */
static void append_normalized(char *out, size_t size, size_t *used, struct code_text text)
{
	for (size_t i = 0; i < text.len && *used + 1 < size;) {
		char c = text.ptr[i];

		if (c == '(' || c == '[' || c == '<') {
			i = skip_group(text, i);
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '&' || c == '*' || c == '@') {
			i++;
		} else if ((c == ':' && i + 1 < text.len && text.ptr[i + 1] == ':') ||
			   (c == '?' && i + 1 < text.len && text.ptr[i + 1] == '.') ||
			   (c == '-' && i + 1 < text.len && text.ptr[i + 1] == '>')) {
			out[(*used)++] = '.';
			i += 2;
		} else {
			out[(*used)++] = c;
			i++;
		}
	}
	out[*used] = '\0';
}

static void normalize_callee(char *out, size_t size, const struct code_file *file, TSNode receiver, TSNode function)
{
	struct code_text text = code_node_text(file, function);
	size_t used = 0;

	out[0] = '\0';
	if (!ts_node_is_null(receiver)) {
		append_normalized(out, size, &used, code_node_text(file, receiver));
		if (used + 1 < size)
			out[used++] = '.';
	}
	/* A shell command may be called by its path: /usr/bin/curl is curl. */
	if (file->info->family == CODE_FAMILY_BASH) {
		const char *slash = memrchr(text.ptr, '/', text.len);

		if (slash) {
			text.len -= (size_t)(slash + 1 - text.ptr);
			text.ptr = slash + 1;
		}
	}
	append_normalized(out, size, &used, text);
}

static int collect_call(struct code_file *file, const struct code_match *match)
{
	struct code_call call;

	memset(&call, 0, sizeof(call));
	call.node = match->nodes[CODE_CAPTURE_CALL];
	call.function = match->nodes[CODE_CAPTURE_CALL_FUNCTION];
	call.receiver = match->nodes[CODE_CAPTURE_CALL_RECEIVER];
	call.arguments = match->nodes[CODE_CAPTURE_CALL_ARGUMENTS];
	if (ts_node_is_null(call.function))
		return 0;
	normalize_callee(call.callee, sizeof(call.callee), file, call.receiver, call.function);
	return code_array_push(&file->calls, &call, sizeof(call));
}

/* Read a variable's name from a reference's name node: "NAME", NAME or "${NAME:default}". */
static void read_reference_name(char *out, size_t size, const struct code_file *file, TSNode node)
{
	struct code_text text;
	struct extract_reference reference;

	if (!code_string_literal(&text, file, node))
		text = code_node_text(file, node);
	if (memchr(text.ptr, '$', text.len) && extract_find_reference(&reference, text.ptr, text.len)) {
		snprintf(out, size, "%s", reference.name);
		return;
	}
	code_text_copy(out, size, text);
}

static int collect_reference(struct code_file *file, const struct code_match *match)
{
	struct code_reference reference;
	struct code_binding binding;
	int error;

	memset(&reference, 0, sizeof(reference));
	reference.node = match->nodes[CODE_CAPTURE_REFERENCE];
	if (ts_node_is_null(match->nodes[CODE_CAPTURE_REFERENCE_NAME]))
		return 0;
	read_reference_name(reference.name, sizeof(reference.name), file, match->nodes[CODE_CAPTURE_REFERENCE_NAME]);
	if (reference.name[0] == '\0')
		return 0;
	if ((error = code_array_push(&file->references, &reference, sizeof(reference))) < 0)
		return error;
	/* const { OPENAI_API_KEY } = process.env binds the name to the reference. */
	if (ts_node_is_null(match->nodes[CODE_CAPTURE_BINDING_NAME]) || !ts_node_is_null(match->nodes[CODE_CAPTURE_BINDING_VALUE]))
		return 0;
	memset(&binding, 0, sizeof(binding));
	binding.name = code_node_text(file, match->nodes[CODE_CAPTURE_BINDING_NAME]);
	binding.reference = reference.node;
	return code_array_push(&file->bindings, &binding, sizeof(binding));
}

static int collect_binding(struct code_file *file, const struct code_match *match)
{
	struct code_binding binding;

	memset(&binding, 0, sizeof(binding));
	binding.name = code_node_text(file, match->nodes[CODE_CAPTURE_BINDING_NAME]);
	binding.value = match->nodes[CODE_CAPTURE_BINDING_VALUE];
	return code_array_push(&file->bindings, &binding, sizeof(binding));
}

static int collect_pair(struct code_file *file, const struct code_match *match)
{
	struct code_pair pair = { match->nodes[CODE_CAPTURE_ASSIGNMENT_NAME], match->nodes[CODE_CAPTURE_ASSIGNMENT_VALUE] };

	return code_array_push(&file->assignments, &pair, sizeof(pair));
}

static int collect_span(struct code_array *spans, TSNode node)
{
	struct code_span span = { ts_node_start_byte(node), ts_node_end_byte(node) };

	return code_array_push(spans, &span, sizeof(span));
}

static int collect_definition(struct code_file *file, const struct code_match *match)
{
	struct code_definition definition = {
		match->nodes[CODE_CAPTURE_DEFINITION], match->nodes[CODE_CAPTURE_DEFINITION_DECORATOR],
		match->nodes[CODE_CAPTURE_DEFINITION_NAME],
	};

	if (ts_node_is_null(definition.decorator) || ts_node_is_null(definition.name))
		return 0;
	return code_array_push(&file->definitions, &definition, sizeof(definition));
}

int code_collect_match(void *payload, const struct code_match *match)
{
	struct code_file *file = payload;
	const TSNode *nodes = match->nodes;
	int error = 0;

	if (!ts_node_is_null(nodes[CODE_CAPTURE_CALL]) && (error = collect_call(file, match)) < 0)
		return error;
	if (!ts_node_is_null(nodes[CODE_CAPTURE_REFERENCE]) && (error = collect_reference(file, match)) < 0)
		return error;
	if (!ts_node_is_null(nodes[CODE_CAPTURE_BINDING_NAME]) && !ts_node_is_null(nodes[CODE_CAPTURE_BINDING_VALUE]) &&
	    (error = collect_binding(file, match)) < 0)
		return error;
	if (!ts_node_is_null(nodes[CODE_CAPTURE_ASSIGNMENT_NAME]) && !ts_node_is_null(nodes[CODE_CAPTURE_ASSIGNMENT_VALUE]) &&
	    (error = collect_pair(file, match)) < 0)
		return error;
	if (!ts_node_is_null(nodes[CODE_CAPTURE_COMMENT]) && (error = collect_span(&file->comments, nodes[CODE_CAPTURE_COMMENT])) < 0)
		return error;
	if (!ts_node_is_null(nodes[CODE_CAPTURE_DOCSTRING]) &&
	    (error = collect_span(&file->docstrings, nodes[CODE_CAPTURE_DOCSTRING])) < 0)
		return error;
	if (!ts_node_is_null(nodes[CODE_CAPTURE_DEFINITION]))
		error = collect_definition(file, match);
	return error;
}

/* Order by start byte, the longer node first, so that lookups can bisect. */
static int compare_nodes(TSNode a, TSNode b)
{
	uint32_t start_a = ts_node_start_byte(a), start_b = ts_node_start_byte(b);
	uint32_t end_a = ts_node_end_byte(a), end_b = ts_node_end_byte(b);

	if (start_a != start_b)
		return start_a < start_b ? -1 : 1;
	if (end_a != end_b)
		return end_a > end_b ? -1 : 1;
	return 0;
}

static int compare_calls(const void *a, const void *b)
{
	return compare_nodes(((const struct code_call *)a)->node, ((const struct code_call *)b)->node);
}

static int compare_references(const void *a, const void *b)
{
	return compare_nodes(((const struct code_reference *)a)->node, ((const struct code_reference *)b)->node);
}

/* Drop records whose node equals the previous one's; size is the record size, node at offset. */
static void drop_duplicates(struct code_array *array, size_t size, size_t offset)
{
	char *items = array->items;
	size_t kept = 0;

	for (size_t i = 0; i < array->count; i++) {
		const TSNode *node = (const TSNode *)(items + i * size + offset);

		if (kept > 0 && ts_node_eq(*node, *(const TSNode *)(items + (kept - 1) * size + offset)))
			continue;
		if (kept != i)
			memcpy(items + kept * size, items + i * size, size);
		kept++;
	}
	array->count = kept;
}

void code_collect_finish(struct code_file *file)
{
	/* Two patterns may match one node, such as os.environ.get() for a call and a reference. */
	if (file->calls.count > 1) {
		qsort(file->calls.items, file->calls.count, sizeof(struct code_call), compare_calls);
		drop_duplicates(&file->calls, sizeof(struct code_call), offsetof(struct code_call, node));
	}
	if (file->references.count > 1) {
		qsort(file->references.items, file->references.count, sizeof(struct code_reference), compare_references);
		drop_duplicates(&file->references, sizeof(struct code_reference), offsetof(struct code_reference, node));
	}
}
