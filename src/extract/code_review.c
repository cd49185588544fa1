/*
 * What the syntax tree shows about credentials: string literals assigned to credential-like
 * names (the code.credential-assignment finding), environment variables read for credentials
 * (credential.reference facts), and signature findings that sit in a comment, a docstring or an
 * environment lookup rather than in a value.
 *
 * A literal counts as a credential when it is at least 8 bytes long, has no whitespace, is no
 * URL, path, placeholder, variable reference, JSON or markup, is not a phrase of words and short
 * numbers (a name, a host or a test value such as "test-api-key-123"), has at least 3 bits of
 * entropy per byte (the most that 8 distinct characters reach), and either mixes letters and
 * digits or reaches 4 bits per byte.
 *
 * Test code contains made-up credentials. A literal in a test file, or under a test or fixture
 * folder, looks made up when it contains a word such as "fake" or "test" or repeats a character
 * four times. It also does when it contains a run such as "1234" or has less than 3.5 bits of
 * entropy per byte. Such a literal is still reported, with severity low and the reason. So is
 * the finding of a generic signature rule on it, which matched only because of the name. A value
 * that a specific signature matches, such as a GitHub token, keeps its finding unchanged.
 */
#include "extract/code_internal.h"
#include "core/finding.h"
#include "match/filter.h"
#include "util/buf.h"
#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define LITERAL_LENGTH_MIN 8
#define LITERAL_ENTROPY_MIN 3.0
#define LETTERS_ONLY_ENTROPY_MIN 4.0

static const struct extract_rule assignment_rule = {
	"code.credential-assignment", "Credential literal assigned in source code", "code.credential-assignment",
	"code", NHI_SEVERITY_MEDIUM,
	"Revoke the credential, then read it at run time from the environment or a secret manager instead of "
	"writing it into the source.",
	NULL,
};

static bool has_letter_and_digit(struct code_text text)
{
	bool letter = false, digit = false;

	for (size_t i = 0; i < text.len; i++) {
		letter |= isalpha((unsigned char)text.ptr[i]) != 0;
		digit |= isdigit((unsigned char)text.ptr[i]) != 0;
	}
	return letter && digit;
}

static bool has_space(struct code_text text)
{
	for (size_t i = 0; i < text.len; i++)
		if (isspace((unsigned char)text.ptr[i]))
			return true;
	return false;
}

static bool is_hex_escape(struct code_text text, size_t i)
{
	return text.ptr[i] == '%' && i + 2 < text.len && isxdigit((unsigned char)text.ptr[i + 1]) &&
	       isxdigit((unsigned char)text.ptr[i + 2]);
}

/* True when run (letters only) is written like a word: all lower case, all upper case or Capitalized. */
static bool is_word(const char *run, size_t len)
{
	size_t upper = 0;

	for (size_t i = 0; i < len; i++)
		upper += isupper((unsigned char)run[i]) != 0;
	return upper == 0 || upper == len || (upper == 1 && isupper((unsigned char)run[0]));
}

/*
 * True for words and short numbers joined by punctuation, such as "test-api-key-123",
 * "HANDOFF_SCHEMA_SECRET_4207", "4.getcroc.com:9009", "sandbox#2" or
 * "croc-best-relay=two%3A9009": names, hosts and phrases. Generated credentials mix letters and
 * digits, or cases, within their runs.
 */
static bool looks_like_phrase(struct code_text text)
{
	size_t words = 0, numbers = 0, i = 0;

	while (i < text.len) {
		size_t start = i, digits = 0;

		while (i < text.len && isalnum((unsigned char)text.ptr[i]))
			digits += isdigit((unsigned char)text.ptr[i++]) != 0;
		if (i > start && digits == i - start && digits > 4)
			return false;
		numbers += i > start && digits == i - start;
		if (i > start && digits > 0 && digits < i - start)
			return false;
		if (i > start && digits == 0) {
			if (!is_word(text.ptr + start, i - start))
				return false;
			words++;
		}
		if (i < text.len && is_hex_escape(text, i))
			i += 3;
		else if (i < text.len)
			i++;
	}
	return words >= 2 || (words == 1 && numbers >= 1);
}

bool code_review_is_secret(struct code_text text)
{
	struct extract_reference reference;
	double entropy;

	if (text.len < LITERAL_LENGTH_MIN || has_space(text) || match_is_placeholder(text.ptr, text.len))
		return false;
	/* JSON, markup and templates: the credential, if any, is a member inside. */
	if (memchr(text.ptr, '{', text.len) || memchr(text.ptr, '"', text.len) || memchr(text.ptr, '<', text.len))
		return false;
	if (looks_like_phrase(text))
		return false;
	if (extract_find_reference(&reference, text.ptr, text.len) || memmem(text.ptr, text.len, "://", 3))
		return false;
	if (text.ptr[0] == '/' || text.ptr[0] == '~' || (text.len > 1 && text.ptr[0] == '.' && text.ptr[1] == '/'))
		return false;
	entropy = match_entropy(text.ptr, text.len);
	if (entropy < LITERAL_ENTROPY_MIN)
		return false;
	return has_letter_and_digit(text) || entropy >= LETTERS_ONLY_ENTROPY_MIN;
}

/* The position of text.ptr, counted from node's start, which must come before it. */
static struct parse_pos position_in(const struct code_file *file, TSNode node, const char *at)
{
	TSPoint point = ts_node_start_point(node);
	const char *p = file->file.data + ts_node_start_byte(node);

	for (; p < at; p++) {
		if (*p == '\n') {
			point.row++;
			point.column = 0;
		} else {
			point.column++;
		}
	}
	return code_pos(point);
}

static bool span_contains(const struct code_array *spans, uint32_t start, uint32_t end)
{
	for (size_t i = 0; i < spans->count; i++) {
		const struct code_span *span = &CODE_ITEM(spans, struct code_span, i);

		if (span->start <= start && end <= span->end)
			return true;
	}
	return false;
}

/* A signature finding of this file on the same span; the two describe one secret. */
static struct nhi_finding *find_signature_finding(const struct code_file *file, struct parse_pos start,
						  struct parse_pos end)
{
	for (size_t i = file->findings_begin; i < file->findings_end; i++) {
		struct nhi_finding *finding = file->file.out->findings->items[i];

		if (finding->line == start.line && finding->column < end.column && start.column < finding->end_column)
			return finding;
	}
	return NULL;
}

static int name_signature_finding(struct nhi_finding *finding, const char *name)
{
	struct nhi_buf message = NHI_BUF_INIT;
	int error;

	if (finding->message)
		return 0;
	if ((error = nhi_buf_printf(&message, "assigned to '%s'", name)) == 0)
		finding->message = nhi_buf_detach(&message);
	nhi_buf_dispose(&message);
	return error;
}

/* Replace the finding's message with the one built in message, which is left empty. */
static void replace_message(struct nhi_finding *finding, struct nhi_buf *message)
{
	free(finding->message);
	finding->message = nhi_buf_detach(message);
}

/* Folder names that contain tests or their fixtures, compared without regard to case. */
static const char *const test_folders[] = {
	"test", "tests", "__tests__", "spec", "specs", "testdata", "test_data", "test-data", "fixtures", "fixture",
	"__fixtures__", "__mocks__", NULL,
};

static bool has_suffix(const char *text, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);

	return len >= n && strncmp(text + len - n, suffix, n) == 0;
}

/*
 * True for test file names: test_x.py, x_test.go, x_spec.rb, x.test.ts, x.spec.js, XTest.java,
 * XTests.java, conftest.py and x.bats.
 */
static bool is_test_file_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	size_t stem = dot ? (size_t)(dot - name) : strlen(name);

	if (strncmp(name, "test_", 5) == 0 || strcmp(name, "conftest.py") == 0 || (dot && strcmp(dot, ".bats") == 0))
		return true;
	if (has_suffix(name, stem, "_test") || has_suffix(name, stem, "_spec"))
		return true;
	if (strstr(name, ".test.") || strstr(name, ".spec."))
		return true;
	/* Java and Kotlin name test classes FooTest or FooTests. The capital T keeps out "Latest". */
	return (stem > 4 && has_suffix(name, stem, "Test")) || (stem > 5 && has_suffix(name, stem, "Tests"));
}

/* True when path (relative, '/'-separated) is a test file or lies in a test or fixture folder. */
static bool is_test_path(const char *path)
{
	const char *name = path;

	for (const char *slash; (slash = strchr(name, '/')) != NULL; name = slash + 1) {
		size_t len = (size_t)(slash - name);

		for (size_t i = 0; test_folders[i]; i++)
			if (strlen(test_folders[i]) == len && strncasecmp(name, test_folders[i], len) == 0)
				return true;
	}
	return is_test_file_name(name);
}

/* Words that made-up values in tests contain. Each is rare in random text of the usual lengths. */
static const char *const placeholder_words[] = {
	"test", "fake", "dummy", "example", "sample", "mock", "changeme", "placeholder", "fixture", "xxx", "foo", NULL,
};

/* Room for the reason that describe_placeholder() writes. */
#define PLACEHOLDER_REASON_MAX 96

/*
 * Entropy below which a value in a test file counts as made up, in bits per byte. NOTE: random
 * values shorter than about 16 characters often fall below it too, so a short real credential in
 * a test file is lowered as well.
 */
#define PLACEHOLDER_ENTROPY_MAX 3.5

/* Characters repeated this many times in a row, or this many consecutive ones ("1234"), mark a made-up value. */
#define PLACEHOLDER_RUN_MIN 4

/* True when text has PLACEHOLDER_RUN_MIN letters or digits in a row that each add step to the one before. */
static bool has_placeholder_run(struct code_text text, int step)
{
	size_t run = 1;

	for (size_t i = 1; i < text.len; i++) {
		bool both_alnum = isalnum((unsigned char)text.ptr[i]) && isalnum((unsigned char)text.ptr[i - 1]);

		if (both_alnum && (unsigned char)text.ptr[i] == (unsigned char)text.ptr[i - 1] + step)
			run++;
		else
			run = 1;
		if (run >= PLACEHOLDER_RUN_MIN)
			return true;
	}
	return false;
}

/*
 * Write to out (size bytes) why literal looks like a placeholder, and return true; return false
 * when it does not. The reason never quotes the value.
 */
static bool describe_placeholder(char *out, size_t size, struct code_text literal)
{
	double entropy = match_entropy(literal.ptr, literal.len);

	for (size_t i = 0; placeholder_words[i]; i++) {
		size_t n = strlen(placeholder_words[i]);

		for (size_t at = 0; at + n <= literal.len; at++) {
			if (strncasecmp(literal.ptr + at, placeholder_words[i], n) == 0) {
				snprintf(out, size, "it contains '%s'", placeholder_words[i]);
				return true;
			}
		}
	}
	if (has_placeholder_run(literal, 0)) {
		snprintf(out, size, "it repeats a character %d times in a row", PLACEHOLDER_RUN_MIN);
		return true;
	}
	if (has_placeholder_run(literal, 1)) {
		snprintf(out, size, "it contains %d consecutive characters such as 1234 or abcd", PLACEHOLDER_RUN_MIN);
		return true;
	}
	if (entropy < PLACEHOLDER_ENTROPY_MAX) {
		snprintf(out, size, "its entropy is %.2f bits per byte, below %.1f", entropy, PLACEHOLDER_ENTROPY_MAX);
		return true;
	}
	return false;
}

/* Lower a credential-assignment finding of a test file whose value looks made up, with the reason. */
static int lower_test_placeholder(struct nhi_finding *finding, const char *name, const char *reason)
{
	struct nhi_buf message = NHI_BUF_INIT;
	int error;

	finding->severity = NHI_SEVERITY_LOW;
	if ((error = nhi_buf_printf(&message, "string literal assigned to '%s' in a test file looks like a "
				    "placeholder because %s, so the severity was lowered to low", name, reason)) == 0)
		replace_message(finding, &message);
	nhi_buf_dispose(&message);
	return error;
}

int code_review_literal(struct code_file *file, const char *name, TSNode node, struct code_text literal)
{
	uint32_t start = (uint32_t)(literal.ptr - file->file.data);
	struct code_span span = { start, start + (uint32_t)literal.len };
	struct nhi_vec *findings = file->file.out->findings;
	char reason[PLACEHOLDER_REASON_MAX];
	struct parse_pos from, to;
	struct nhi_finding *signature;
	bool placeholder;
	size_t before;
	int error;

	if (span_contains(&file->reported, span.start, span.end) || !code_review_is_secret(literal))
		return 0;
	if ((error = code_array_push(&file->reported, &span, sizeof(span))) < 0)
		return error;
	from = position_in(file, node, literal.ptr);
	to = position_in(file, node, literal.ptr + literal.len);
	placeholder = is_test_path(file->file.path) && describe_placeholder(reason, sizeof(reason), literal);
	/* A generic rule matched only the credential-like name; a specific format is kept as it is. */
	if ((signature = find_signature_finding(file, from, to)) != NULL && placeholder &&
	    strncmp(signature->rule_id, "generic.", 8) == 0)
		return lower_test_placeholder(signature, name, reason);
	if (signature)
		return name_signature_finding(signature, name);
	before = findings->count;
	if ((error = extract_secret_finding(&file->file, &assignment_rule, literal.ptr, literal.len, from, to,
					    "high-entropy string literal assigned to '%s' in %s code", name,
					    file->info->name)) < 0)
		return error;
	/* The allow comment drops the finding, so there may be none to lower. */
	if (findings->count == before || !placeholder)
		return 0;
	return lower_test_placeholder(findings->items[before], name, reason);
}

/* The name of an assignment target: a quoted key's contents, a symbol without its colon, or the text. */
static void read_name(char *out, size_t size, const struct code_file *file, TSNode node)
{
	struct code_text text;

	if (!code_string_literal(&text, file, node))
		text = code_node_text(file, node);
	code_text_copy(out, size, text);
}

int code_review_assignments(struct code_file *file)
{
	int error;

	for (size_t i = 0; i < file->assignments.count; i++) {
		const struct code_pair *pair = &CODE_ITEM(&file->assignments, struct code_pair, i);
		char name[EXTRACT_NAME_MAX];
		struct code_value value;

		read_name(name, sizeof(name), file, pair->name);
		if (!extract_name_is_credential(name))
			continue;
		code_value_read(&value, file, pair->value);
		if (value.kind == CODE_VALUE_REFERENCE) {
			CODE_ITEM(&file->references, struct code_reference, value.reference - 1).credential_use = true;
			continue;
		}
		/* Only a literal written right there: x = "..." is reported once, not at every use of x. */
		if (value.kind != CODE_VALUE_LITERAL || !ts_node_eq(value.node, pair->value))
			continue;
		if ((error = code_review_literal(file, name, value.node, value.text)) < 0)
			return error;
	}
	return 0;
}

static const char *fact_type(enum code_entity_kind kind)
{
	switch (kind) {
	case CODE_MCP_SERVER: return "mcp.server";
	case CODE_MCP_CLIENT: return "mcp.client";
	case CODE_AGENT: return "agent";
	default: return "model.client";
	}
}

int code_review_references(struct code_file *file)
{
	char key[EXTRACT_REF_MAX], parent[EXTRACT_REF_MAX];
	struct nhi_fact *fact;
	int error;

	for (size_t i = 0; i < file->references.count; i++) {
		const struct code_reference *reference = &CODE_ITEM(&file->references, struct code_reference, i);
		const struct code_entity *user = NULL;

		if (!reference->credential_use && !extract_name_is_credential(reference->name))
			continue;
		if (reference->user)
			user = &CODE_ITEM(&file->entities, struct code_entity, reference->user - 1);
		snprintf(key, sizeof(key), "env:%s", reference->name);
		if ((error = extract_fact(&fact, &file->file, "credential.reference", key,
					  user ? extract_ref(parent, fact_type(user->kind), user->key) : NULL,
					  code_pos(ts_node_start_point(reference->node)))) < 0 ||
		    (error = extract_attr(fact, "store", "env")) < 0 ||
		    (error = extract_attr(fact, "name", reference->name)) < 0 ||
		    (error = extract_attr(fact, "language", file->info->name)) < 0 ||
		    (error = extract_attr(fact, "usage", reference->credential_use ? "credential" : "lookup")) < 0)
			return error;
	}
	return 0;
}

static int build_line_starts(struct code_file *file)
{
	size_t count = 1;
	const char *data = file->file.data, *end = data + file->file.len;

	if (file->line_starts)
		return 0;
	for (const char *p = data; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		count++;
	file->line_starts = malloc(count * sizeof(*file->line_starts));
	if (!file->line_starts)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	file->line_starts[0] = 0;
	file->line_count = 1;
	for (const char *p = data; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
		file->line_starts[file->line_count++] = (size_t)(p - data) + 1;
	return 0;
}

/* The byte offset of a 1-based line and column, or false when it lies outside the file. */
static bool offset_of(const struct code_file *file, size_t line, size_t column, uint32_t *out)
{
	size_t offset;

	if (line == 0 || line > file->line_count || column == 0)
		return false;
	offset = file->line_starts[line - 1] + column - 1;
	if (offset > file->file.len)
		return false;
	*out = (uint32_t)offset;
	return true;
}

int code_review_find_signatures(struct code_span *out, size_t max, size_t *count, struct code_file *file,
				struct code_text text)
{
	const char *data = file->file.data;
	uint32_t start, end;
	int error;

	*count = 0;
	if (file->findings_begin == file->findings_end || text.ptr < data || text.ptr + text.len > data + file->file.len)
		return 0;
	if ((error = build_line_starts(file)) < 0)
		return error;
	start = (uint32_t)(text.ptr - data);
	end = start + (uint32_t)text.len;
	for (size_t i = file->findings_begin; i < file->findings_end && *count < max; i++) {
		const struct nhi_finding *finding = file->file.out->findings->items[i];
		uint32_t from, to;

		if (!offset_of(file, finding->line, finding->column, &from) ||
		    !offset_of(file, finding->end_line, finding->end_column, &to) || to <= start || from >= end)
			continue;
		out[(*count)++] = (struct code_span){ (from > start ? from : start) - start, (to < end ? to : end) - start };
	}
	return 0;
}

static bool overlaps_reference(const struct code_file *file, uint32_t start, uint32_t end)
{
	for (size_t i = 0; i < file->references.count; i++) {
		TSNode node = CODE_ITEM(&file->references, struct code_reference, i).node;

		if (ts_node_start_byte(node) < end && start < ts_node_end_byte(node))
			return true;
	}
	return false;
}

/* The environment variable that a string around [start, end) interpolates, or NULL. */
static const char *interpolated_reference(const struct code_file *file, uint32_t start, uint32_t end)
{
	static const char *const string_types[] = {
		"string", "template_string", "interpreted_string_literal", "string_literal", NULL,
	};
	TSNode node = ts_node_descendant_for_byte_range(file->root, start, end);

	for (int depth = 0; depth < 4 && !ts_node_is_null(node); depth++, node = ts_node_parent(node)) {
		for (size_t i = 0; string_types[i]; i++) {
			size_t reference;

			if (strcmp(ts_node_type(node), string_types[i]) != 0)
				continue;
			reference = code_reference_within(file, node);
			return reference ? CODE_ITEM(&file->references, struct code_reference, reference - 1).name : NULL;
		}
	}
	return NULL;
}

/* Lower a finding that its context shows to be documentation, with the reason. */
static int lower_finding(struct nhi_finding *finding, const char *where)
{
	struct nhi_buf message = NHI_BUF_INIT;
	int error;

	/* A token with a valid checksum was issued by its provider, and a comment does not make it harmless. */
	if (finding->validated == 1) {
		error = nhi_buf_printf(&message, "found in a %s, but its checksum is valid, so it is likely a live "
				       "credential", where);
	} else {
		finding->severity = NHI_SEVERITY_LOW;
		error = nhi_buf_printf(&message, "found in a %s, so the severity was lowered to low; revoke it if it is "
				       "a live credential", where);
	}
	if (error == 0)
		replace_message(finding, &message);
	nhi_buf_dispose(&message);
	return error;
}

/* Lower a finding whose string interpolates an environment variable: the match is only part of the value. */
static int lower_interpolated(struct nhi_finding *finding, const char *variable)
{
	struct nhi_buf message = NHI_BUF_INIT;
	int error;

	finding->severity = NHI_SEVERITY_LOW;
	if ((error = nhi_buf_printf(&message, "the value is built from the environment variable '%s', so the match "
				    "is only part of it and the severity was lowered to low", variable)) == 0)
		replace_message(finding, &message);
	nhi_buf_dispose(&message);
	return error;
}

/* Review one signature finding; *drop is set when the match is an environment lookup, not a value. */
static int review_finding(struct code_file *file, struct nhi_finding *finding, bool *drop)
{
	uint32_t start, end;
	const char *variable;

	*drop = false;
	if (!offset_of(file, finding->line, finding->column, &start) ||
	    !offset_of(file, finding->end_line, finding->end_column, &end) || end < start)
		return 0;
	if (overlaps_reference(file, start, end)) {
		*drop = true;
		return 0;
	}
	if (span_contains(&file->comments, start, end))
		return lower_finding(finding, "comment");
	if (span_contains(&file->docstrings, start, end))
		return lower_finding(finding, "docstring");
	if ((variable = interpolated_reference(file, start, end)) != NULL)
		return lower_interpolated(finding, variable);
	return 0;
}

int code_review_findings(struct code_file *file)
{
	struct nhi_vec *findings = file->file.out->findings;
	size_t kept = file->findings_begin, removed = 0;
	int error = 0;

	if (file->findings_begin == file->findings_end)
		return 0;
	if ((error = build_line_starts(file)) < 0)
		return error;
	for (size_t i = file->findings_begin; i < findings->count; i++) {
		struct nhi_finding *finding = findings->items[i];
		bool drop = false;

		if (i < file->findings_end && error == 0)
			error = review_finding(file, finding, &drop);
		if (drop) {
			/* The "secret" is the text of os.environ["NAME"] or $NAME: no value to report. */
			core_finding_free(finding);
			removed++;
			continue;
		}
		findings->items[kept++] = finding;
	}
	findings->count = kept;
	file->findings_end -= removed;
	return error;
}
