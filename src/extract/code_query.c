/*
 * The compiled tree-sitter queries of the code extractor, one per language.
 *
 * A language's query is the concatenation of the .scm files in its folder of grammars/queries/,
 * taken from the table that the build embeds, so that one cursor pass finds every construct.
 * It is compiled on first use under a lock and never changes afterwards, so threads share it.
 *
 * The tree-sitter 0.20 runtime leaves text predicates to the caller. This file evaluates #eq?,
 * #not-eq?, #any-of?, #not-any-of?, #match? and #not-match? (PCRE2 syntax). It rejects any other
 * predicate when compiling, because a predicate that nothing evaluates would match everything.
 */
#include "extract/code_internal.h"
#include "parse/grammar.h"
#include "util/buf.h"
#include "util/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUERY_PREFIX "grammars/queries/"
/* Capture ids that are not ours: helper captures for predicates, named "_something". */
#define CAPTURE_HELPER (-1)

enum predicate_op {
	PREDICATE_EQ,
	PREDICATE_ANY_OF,
	PREDICATE_MATCH,
};

struct predicate {
	enum predicate_op op;
	bool negated;
	uint32_t capture;
	bool other_is_capture;  /* #eq? @a @b */
	uint32_t other_capture;
	const char **strings;   /* owned array of pointers into the query's string table */
	size_t string_count;
	pcre2_code *regex;
};

struct pattern_predicates {
	struct predicate *items;
	size_t count;
};

struct code_query {
	TSQuery *query;
	int *capture_map;       /* capture id -> enum code_capture or CAPTURE_HELPER */
	struct pattern_predicates *patterns;
	uint32_t pattern_count;
};

static const char *const capture_names[CODE_CAPTURE_COUNT] = {
	[CODE_CAPTURE_CALL] = "call",
	[CODE_CAPTURE_CALL_FUNCTION] = "call.function",
	[CODE_CAPTURE_CALL_RECEIVER] = "call.receiver",
	[CODE_CAPTURE_CALL_ARGUMENTS] = "call.arguments",
	[CODE_CAPTURE_REFERENCE] = "reference",
	[CODE_CAPTURE_REFERENCE_NAME] = "reference.name",
	[CODE_CAPTURE_BINDING_NAME] = "binding.name",
	[CODE_CAPTURE_BINDING_VALUE] = "binding.value",
	[CODE_CAPTURE_ASSIGNMENT_NAME] = "assignment.name",
	[CODE_CAPTURE_ASSIGNMENT_VALUE] = "assignment.value",
	[CODE_CAPTURE_COMMENT] = "comment",
	[CODE_CAPTURE_DOCSTRING] = "docstring",
	[CODE_CAPTURE_DEFINITION] = "definition",
	[CODE_CAPTURE_DEFINITION_DECORATOR] = "definition.decorator",
	[CODE_CAPTURE_DEFINITION_NAME] = "definition.name",
};

static pthread_mutex_t compile_lock = PTHREAD_MUTEX_INITIALIZER;
static struct code_query queries[CODE_LANGUAGE_COUNT];
/* 0 before the first compile, 1 when ready, or the negative error code of a failed compile. */
static int query_states[CODE_LANGUAGE_COUNT];
static char query_messages[CODE_LANGUAGE_COUNT][512];

/* Start offset of an embedded file in a language's concatenated query source, for error messages. */
struct source_part {
	const char *name;
	size_t offset;
};

/* True when name is a .scm file directly in the folder[0, folder_len) of grammars/queries/. */
static bool is_query_file_of(const char *name, const char *folder, size_t folder_len)
{
	size_t prefix = strlen(QUERY_PREFIX), len = strlen(name);

	return strncmp(name, QUERY_PREFIX, prefix) == 0 && strncmp(name + prefix, folder, folder_len) == 0 &&
	       name[prefix + folder_len] == '/' && !strchr(name + prefix + folder_len + 1, '/') &&
	       len > 4 && strcmp(name + len - 4, ".scm") == 0;
}

static bool is_query_file_in(const char *name, const char *folders)
{
	while (*folders) {
		size_t len = strcspn(folders, " ");

		if (is_query_file_of(name, folders, len))
			return true;
		folders += len;
		while (*folders == ' ')
			folders++;
	}
	return false;
}

/* Concatenate the embedded .scm files of folders into source; parts records where each begins. */
static int assemble_source(struct nhi_buf *source, struct source_part *parts, size_t max_parts, size_t *part_count,
			   const char *folders)
{
	int error;

	*part_count = 0;
	for (size_t i = 0; i < nhi_embedded_queries_count; i++) {
		const struct nhi_embedded_file *entry = &nhi_embedded_queries[i];

		if (!is_query_file_in(entry->name, folders))
			continue;
		if (*part_count == max_parts)
			return nhi_error_set(NHI_EINVALID, "too many query files for the folders '%s' of '%s'", folders, QUERY_PREFIX);
		parts[*part_count].name = entry->name;
		parts[*part_count].offset = source->size;
		(*part_count)++;
		if ((error = nhi_buf_put(source, entry->data, entry->len)) < 0 ||
		    (error = nhi_buf_putc(source, '\n')) < 0)
			return error;
	}
	if (*part_count == 0)
		return nhi_error_set(NHI_ENOTFOUND, "no query file of the folders '%s' of '%s' was compiled into nhiscan",
				     folders, QUERY_PREFIX);
	return 0;
}

static const char *describe_query_error(TSQueryError type)
{
	switch (type) {
	case TSQueryErrorSyntax: return "syntax error";
	case TSQueryErrorNodeType: return "unknown node type";
	case TSQueryErrorField: return "unknown field";
	case TSQueryErrorCapture: return "unknown capture";
	case TSQueryErrorStructure: return "impossible pattern structure";
	case TSQueryErrorLanguage: return "incompatible language";
	default: return "error";
	}
}

/* Record a compile error at offset of the concatenated source, named by file, line and column. */
static int fail_at(const char *source, size_t offset, const struct source_part *parts, size_t part_count,
		   const char *grammar, const char *problem)
{
	size_t part = 0, line = 1, column = 1;

	while (part + 1 < part_count && parts[part + 1].offset <= offset)
		part++;
	for (size_t i = parts[part].offset; i < offset; i++) {
		if (source[i] == '\n') {
			line++;
			column = 1;
		} else {
			column++;
		}
	}
	return nhi_error_set(NHI_EINVALID, "query '%s' line %zu column %zu: %s for the '%s' grammar; a query may only "
			     "use node types and fields of the grammar version pinned in grammars/manifest.txt",
			     parts[part].name, line, column, problem, grammar);
}

static int map_captures(struct code_query *query)
{
	uint32_t count = ts_query_capture_count(query->query);

	query->capture_map = calloc(count ? count : 1, sizeof(*query->capture_map));
	if (!query->capture_map)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (uint32_t id = 0; id < count; id++) {
		uint32_t len;
		const char *name = ts_query_capture_name_for_id(query->query, id, &len);
		int found = CAPTURE_HELPER;

		for (int known = 0; known < CODE_CAPTURE_COUNT && name[0] != '_'; known++)
			if (strlen(capture_names[known]) == len && strncmp(capture_names[known], name, len) == 0)
				found = known;
		if (found == CAPTURE_HELPER && name[0] != '_')
			return nhi_error_set(NHI_EINVALID, "unknown capture '@%.*s' in the code queries; use one of "
					     "the captures of capture_names in src/extract/code_query.c or start a "
					     "helper capture's name with '_'", (int)len, name);
		query->capture_map[id] = found;
	}
	return 0;
}

static const char *step_string(const TSQuery *query, const TSQueryPredicateStep *step)
{
	uint32_t len;

	return ts_query_string_value_for_id(query, step->value_id, &len);
}

static int compile_regex(struct predicate *predicate, const char *pattern)
{
	int code;
	PCRE2_SIZE offset;

	predicate->regex = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &code, &offset, NULL);
	if (!predicate->regex)
		return nhi_error_set(NHI_EINVALID, "invalid regular expression '%s' in a #match? predicate of the "
				     "code queries (PCRE2 error %d at offset %zu)", pattern, code, (size_t)offset);
	return 0;
}

/* Read one predicate from steps[0, count): the operator, a capture, then strings or a capture. */
static int read_predicate(struct predicate *out, const TSQuery *query, const TSQueryPredicateStep *steps, uint32_t count)
{
	const char *op;

	memset(out, 0, sizeof(*out));
	if (count < 3 || steps[0].type != TSQueryPredicateStepTypeString || steps[1].type != TSQueryPredicateStepTypeCapture)
		return nhi_error_set(NHI_EINVALID, "a predicate of the code queries must name a capture first");
	op = step_string(query, &steps[0]);
	out->negated = strncmp(op, "not-", 4) == 0;
	if (out->negated)
		op += 4;
	if (strcmp(op, "eq?") == 0)
		out->op = PREDICATE_EQ;
	else if (strcmp(op, "any-of?") == 0)
		out->op = PREDICATE_ANY_OF;
	else if (strcmp(op, "match?") == 0)
		out->op = PREDICATE_MATCH;
	else
		return nhi_error_set(NHI_EINVALID, "unsupported predicate '#%s' in the code queries; use #eq?, "
				     "#any-of? or #match?, optionally with not-", step_string(query, &steps[0]));
	out->capture = steps[1].value_id;
	if (out->op == PREDICATE_EQ && steps[2].type == TSQueryPredicateStepTypeCapture) {
		out->other_is_capture = true;
		out->other_capture = steps[2].value_id;
		return 0;
	}
	out->strings = calloc(count - 2, sizeof(*out->strings));
	if (!out->strings)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (uint32_t i = 2; i < count; i++) {
		if (steps[i].type != TSQueryPredicateStepTypeString)
			return nhi_error_set(NHI_EINVALID, "predicate '#%s' of the code queries takes strings after its capture", op);
		out->strings[out->string_count++] = step_string(query, &steps[i]);
	}
	if (out->op == PREDICATE_MATCH)
		return compile_regex(out, out->strings[0]);
	return 0;
}

static int read_pattern_predicates(struct pattern_predicates *out, const TSQuery *query, uint32_t pattern)
{
	uint32_t step_count, start = 0;
	const TSQueryPredicateStep *steps = ts_query_predicates_for_pattern(query, pattern, &step_count);
	int error;

	for (uint32_t i = 0; i < step_count; i++) {
		struct predicate *grown;

		if (steps[i].type != TSQueryPredicateStepTypeDone)
			continue;
		grown = realloc(out->items, (out->count + 1) * sizeof(*out->items));
		if (!grown)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		out->items = grown;
		memset(&out->items[out->count], 0, sizeof(out->items[0]));
		out->count++;
		if ((error = read_predicate(&out->items[out->count - 1], query, steps + start, i - start)) < 0)
			return error;
		start = i + 1;
	}
	return 0;
}

static int read_predicates(struct code_query *query)
{
	int error;

	query->pattern_count = ts_query_pattern_count(query->query);
	query->patterns = calloc(query->pattern_count ? query->pattern_count : 1, sizeof(*query->patterns));
	if (!query->patterns)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < query->pattern_count; i++)
		if ((error = read_pattern_predicates(&query->patterns[i], query->query, i)) < 0)
			return error;
	return 0;
}

static void release_query(struct code_query *query)
{
	for (uint32_t i = 0; query->patterns && i < query->pattern_count; i++) {
		for (size_t j = 0; j < query->patterns[i].count; j++) {
			free(query->patterns[i].items[j].strings);
			pcre2_code_free(query->patterns[i].items[j].regex);
		}
		free(query->patterns[i].items);
	}
	free(query->patterns);
	free(query->capture_map);
	if (query->query)
		ts_query_delete(query->query);
	memset(query, 0, sizeof(*query));
}

static int compile_query(struct code_query *out, enum code_language language)
{
	const struct code_language_info *info = code_language_get(language);
	struct nhi_buf source = NHI_BUF_INIT;
	struct source_part parts[32];
	size_t part_count;
	const TSLanguage *grammar;
	uint32_t error_offset = 0;
	TSQueryError error_type = TSQueryErrorNone;
	int error;

	if ((error = parse_grammar_find(&grammar, info->grammar)) < 0 ||
	    (error = assemble_source(&source, parts, sizeof(parts) / sizeof(parts[0]), &part_count, info->query_folders)) < 0)
		goto done;
	out->query = ts_query_new(grammar, source.ptr, (uint32_t)source.size, &error_offset, &error_type);
	if (!out->query) {
		error = fail_at(source.ptr, error_offset, parts, part_count, info->grammar, describe_query_error(error_type));
		goto done;
	}
	if ((error = map_captures(out)) < 0 || (error = read_predicates(out)) < 0)
		goto done;

done:
	if (error < 0)
		release_query(out);
	nhi_buf_dispose(&source);
	return error;
}

int code_query_get(const struct code_query **out, enum code_language language)
{
	int state = __atomic_load_n(&query_states[language], __ATOMIC_ACQUIRE);

	if (state == 0) {
		pthread_mutex_lock(&compile_lock);
		state = query_states[language];
		if (state == 0) {
			state = compile_query(&queries[language], language);
			if (state < 0)
				snprintf(query_messages[language], sizeof(query_messages[language]), "%s", nhi_error_last());
			else
				state = 1;
			__atomic_store_n(&query_states[language], state, __ATOMIC_RELEASE);
		}
		pthread_mutex_unlock(&compile_lock);
	}
	if (state < 0)
		return nhi_error_set(state, "%s", query_messages[language]);
	*out = &queries[language];
	return 0;
}

static bool find_capture(TSNode *out, const TSQueryMatch *match, uint32_t id)
{
	for (uint16_t i = 0; i < match->capture_count; i++) {
		if (match->captures[i].index == id) {
			*out = match->captures[i].node;
			return true;
		}
	}
	return false;
}

static bool text_equals(const char *data, TSNode node, const char *text)
{
	uint32_t start = ts_node_start_byte(node), end = ts_node_end_byte(node);

	return strlen(text) == end - start && memcmp(data + start, text, end - start) == 0;
}

static bool regex_matches(const pcre2_code *regex, const char *data, TSNode node)
{
	pcre2_match_data *match_data = pcre2_match_data_create_from_pattern(regex, NULL);
	uint32_t start = ts_node_start_byte(node);
	int status;

	if (!match_data)
		return false;
	status = pcre2_match(regex, (PCRE2_SPTR)(data + start), ts_node_end_byte(node) - start, 0, 0, match_data, NULL);
	pcre2_match_data_free(match_data);
	return status >= 0;
}

static bool predicate_holds(const struct predicate *predicate, const TSQueryMatch *match, const char *data)
{
	TSNode node, other;
	bool holds = false;

	if (!find_capture(&node, match, predicate->capture))
		return true;
	switch (predicate->op) {
	case PREDICATE_EQ:
		if (predicate->other_is_capture) {
			if (!find_capture(&other, match, predicate->other_capture))
				return true;
			holds = ts_node_end_byte(node) - ts_node_start_byte(node) == ts_node_end_byte(other) - ts_node_start_byte(other) &&
				memcmp(data + ts_node_start_byte(node), data + ts_node_start_byte(other),
				       ts_node_end_byte(node) - ts_node_start_byte(node)) == 0;
		} else {
			holds = text_equals(data, node, predicate->strings[0]);
		}
		break;
	case PREDICATE_ANY_OF:
		for (size_t i = 0; i < predicate->string_count && !holds; i++)
			holds = text_equals(data, node, predicate->strings[i]);
		break;
	case PREDICATE_MATCH:
		holds = regex_matches(predicate->regex, data, node);
		break;
	}
	return holds != predicate->negated;
}

static bool match_holds(const struct code_query *query, const TSQueryMatch *match, const char *data)
{
	const struct pattern_predicates *predicates = &query->patterns[match->pattern_index];

	for (size_t i = 0; i < predicates->count; i++)
		if (!predicate_holds(&predicates->items[i], match, data))
			return false;
	return true;
}

int code_query_run(const struct code_query *query, TSQueryCursor *cursor, TSNode root, const char *data,
		   code_match_fn fn, void *payload)
{
	TSQueryMatch match;
	int error;

	ts_query_cursor_exec(cursor, query->query, root);
	while (ts_query_cursor_next_match(cursor, &match)) {
		struct code_match reduced;

		if (!match_holds(query, &match, data))
			continue;
		memset(&reduced, 0, sizeof(reduced));
		for (uint16_t i = 0; i < match.capture_count; i++) {
			int capture = query->capture_map[match.captures[i].index];

			if (capture != CAPTURE_HELPER && ts_node_is_null(reduced.nodes[capture]))
				reduced.nodes[capture] = match.captures[i].node;
		}
		if ((error = fn(payload, &reduced)) < 0)
			return error;
	}
	return 0;
}
