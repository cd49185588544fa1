/*
 * Jenkinsfile credential bindings, read from the Groovy text without a Groovy parser.
 *
 * Declarative and scripted pipelines name credentials in a few fixed call shapes, which a
 * scan for their keywords finds: `NAME = credentials('id')` in `environment {}`,
 * `credentialsId: 'id'` inside withCredentials bindings (string, usernamePassword,
 * sshUserPrivateKey, file ...) and steps such as git, `sshagent(['id'])` and
 * `docker.withRegistry('url', 'id')`. Each becomes a ci.secret fact keyed by the credential id
 * with store "jenkins" and the binding as its flow; `stage('name')` becomes a ci.job fact. A
 * literal credential assigned in an `environment {}` block becomes a ci.hardcoded-credential
 * finding. NOTE: keywords inside comments and strings are read as code, like the rest.
 */
#include "extract/ci_common.h"
#include "extract/extractors.h"
#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* How far back from `credentialsId` the enclosing call is searched for, in bytes. */
#define CALL_LOOKBEHIND 512
/* Literal values longer than this are not read from environment blocks. */
#define MAX_LITERAL 1024

struct jenkins_scan {
	struct ci_context ctx;
	struct extract_cursor cursor;
	const char *text;
	size_t len;
};

static size_t skip_spaces(const char *text, size_t len, size_t at)
{
	while (at < len && (text[at] == ' ' || text[at] == '\t'))
		at++;
	return at;
}

/* Read a '...' or "..." string at text[at]; return the offset after it, or 0 when none is there. */
static size_t read_quoted(const char *text, size_t len, size_t at, size_t *start, size_t *end)
{
	char quote;

	if (at >= len || (text[at] != '\'' && text[at] != '"'))
		return 0;
	quote = text[at];
	for (size_t i = at + 1; i < len && text[i] != '\n'; i++) {
		if (text[i] == '\\') {
			i++;
			continue;
		}
		if (text[i] == quote) {
			*start = at + 1;
			*end = i;
			return i + 1;
		}
	}
	return 0;
}

static void copy_span(char *out, size_t size, const char *text, size_t start, size_t end)
{
	size_t n = end - start < size - 1 ? end - start : size - 1;

	memcpy(out, text + start, n);
	out[n] = '\0';
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* The identifier that ends right before text[end] (after optional spaces), into out. */
static void read_word_before(const char *text, size_t end, char *out, size_t size)
{
	size_t stop, start;

	while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t'))
		end--;
	stop = end;
	while (end > 0 && (is_word_char(text[end - 1]) || text[end - 1] == '.'))
		end--;
	start = end;
	copy_span(out, size, text, start, stop);
}

static int add_binding(struct jenkins_scan *scan, size_t start, size_t end, const char *binding,
		       const char *variable, struct nhi_fact **out)
{
	char id[EXTRACT_NAME_MAX], secret_ref[EXTRACT_REF_MAX];
	struct parse_pos pos = extract_offset_pos(scan->ctx.file, &scan->cursor, start);
	struct extract_reference ref;
	struct nhi_fact *fact;
	int error;

	copy_span(id, sizeof(id), scan->text, start, end);
	if (!*id || strstr(id, "${"))
		return 0;
	if ((error = ci_add_secret(&scan->ctx, &fact, id, NULL, pos, "jenkins", binding, "reference")) < 0 ||
	    (error = extract_attr(fact, "variable", variable && *variable ? variable : NULL)) < 0)
		return error;
	memset(&ref, 0, sizeof(ref));
	ref.store = "jenkins";
	memcpy(ref.name, id, sizeof(ref.name));
	if ((error = extract_add_reference(scan->ctx.file, &ref, extract_ref(secret_ref, "ci.secret", id), pos)) < 0)
		return error;
	if (out)
		*out = fact;
	return 0;
}

/* `NAME = credentials('id')` */
static int read_credentials_call(struct jenkins_scan *scan, size_t at)
{
	size_t open = skip_spaces(scan->text, scan->len, at + 11), start, end, before = at;
	char variable[EXTRACT_NAME_MAX] = "";

	if (open >= scan->len || scan->text[open] != '(' ||
	    !read_quoted(scan->text, scan->len, skip_spaces(scan->text, scan->len, open + 1), &start, &end))
		return 0;
	while (before > 0 && (scan->text[before - 1] == ' ' || scan->text[before - 1] == '\t'))
		before--;
	if (before > 0 && scan->text[before - 1] == '=')
		read_word_before(scan->text, before - 1, variable, sizeof(variable));
	return add_binding(scan, start, end, "environment", variable, NULL);
}

/* Find the '(' of the call that encloses offset, looking back at most CALL_LOOKBEHIND bytes. */
static bool find_enclosing_call(const char *text, size_t at, size_t *open)
{
	size_t limit = at > CALL_LOOKBEHIND ? at - CALL_LOOKBEHIND : 0;
	int depth = 0;

	while (at > limit) {
		char c = text[--at];

		if (c == ')' || c == ']')
			depth++;
		else if ((c == '(' || c == '[') && depth > 0)
			depth--;
		else if (c == '(') {
			*open = at;
			return true;
		}
	}
	return false;
}

/* The value of `name: 'value'` inside text[from, to), into out. */
static void read_named_argument(const char *text, size_t from, size_t to, const char *name, char *out, size_t size)
{
	size_t n = strlen(name);

	out[0] = '\0';
	for (size_t at = from; at + n < to; at++) {
		size_t colon, start, end;

		if (strncmp(text + at, name, n) != 0 || (at > from && is_word_char(text[at - 1])))
			continue;
		colon = skip_spaces(text, to, at + n);
		if (colon >= to || text[colon] != ':')
			continue;
		if (read_quoted(text, to, skip_spaces(text, to, colon + 1), &start, &end))
			copy_span(out, size, text, start, end);
		return;
	}
}

static size_t find_call_end(const char *text, size_t len, size_t open)
{
	int depth = 0;

	for (size_t i = open; i < len; i++) {
		if (text[i] == '(')
			depth++;
		else if (text[i] == ')' && --depth == 0)
			return i;
	}
	return len;
}

/* `credentialsId: 'id'` inside a binding or a step: the call names the binding. */
static int read_credentials_id(struct jenkins_scan *scan, size_t at)
{
	static const char *const variable_names[] = {
		"variable", "usernameVariable", "passwordVariable", "keyFileVariable", "passphraseVariable", NULL,
	};
	size_t colon = skip_spaces(scan->text, scan->len, at + 13), start, end, open = 0, close;
	char binding[EXTRACT_NAME_MAX] = "step", variable[EXTRACT_NAME_MAX];
	struct nhi_fact *fact = NULL;
	int error;

	if (colon >= scan->len || (scan->text[colon] != ':' && scan->text[colon] != '=') ||
	    !read_quoted(scan->text, scan->len, skip_spaces(scan->text, scan->len, colon + 1), &start, &end))
		return 0;
	if (find_enclosing_call(scan->text, at, &open))
		read_word_before(scan->text, open, binding, sizeof(binding));
	if ((error = add_binding(scan, start, end, *binding ? binding : "step", NULL, &fact)) < 0 || !fact || !open)
		return error;
	close = find_call_end(scan->text, scan->len, open);
	for (int i = 0; variable_names[i]; i++) {
		read_named_argument(scan->text, open, close, variable_names[i], variable, sizeof(variable));
		if (*variable && (error = extract_attr(fact, "variable", variable)) < 0)
			return error;
	}
	return 0;
}

/* `sshagent(['id', ...])` and `sshagent(credentials: ['id'])`: every string in the brackets. */
static int read_sshagent(struct jenkins_scan *scan, size_t at)
{
	size_t open = skip_spaces(scan->text, scan->len, at + 8);
	size_t close = open < scan->len && scan->text[open] == '(' ? find_call_end(scan->text, scan->len, open) : open;
	int error = 0;

	for (size_t i = open; i < close && error == 0; i++) {
		size_t start, end, next;

		if ((next = read_quoted(scan->text, close, i, &start, &end)) == 0)
			continue;
		error = add_binding(scan, start, end, "sshagent", NULL, NULL);
		i = next - 1;
	}
	return error;
}

/* `docker.withRegistry('url', 'id')`: the second string. */
static int read_with_registry(struct jenkins_scan *scan, size_t at)
{
	size_t open = skip_spaces(scan->text, scan->len, at + 12), start, end, next;

	if (open >= scan->len || scan->text[open] != '(')
		return 0;
	next = read_quoted(scan->text, scan->len, skip_spaces(scan->text, scan->len, open + 1), &start, &end);
	if (!next)
		return 0;
	next = skip_spaces(scan->text, scan->len, next);
	if (next >= scan->len || scan->text[next] != ',')
		return 0;
	if (!read_quoted(scan->text, scan->len, skip_spaces(scan->text, scan->len, next + 1), &start, &end))
		return 0;
	return add_binding(scan, start, end, "withRegistry", NULL, NULL);
}

static int read_stage(struct jenkins_scan *scan, size_t at)
{
	size_t open = skip_spaces(scan->text, scan->len, at + 5), start, end;
	char name[EXTRACT_NAME_MAX], job_ref[EXTRACT_REF_MAX];

	if (at > 0 && is_word_char(scan->text[at - 1]))
		return 0;
	if (open >= scan->len || scan->text[open] != '(' ||
	    !read_quoted(scan->text, scan->len, skip_spaces(scan->text, scan->len, open + 1), &start, &end))
		return 0;
	copy_span(name, sizeof(name), scan->text, start, end);
	return ci_add_job(&scan->ctx, name, extract_offset_pos(scan->ctx.file, &scan->cursor, at), job_ref, NULL);
}

/* One `NAME = 'value'` line of an environment block. */
static int check_environment_line(struct jenkins_scan *scan, size_t line_start, size_t line_end)
{
	size_t name_start = skip_spaces(scan->text, line_end, line_start), name_end = name_start, equals, start, end;
	char name[EXTRACT_NAME_MAX], literal[MAX_LITERAL];
	struct parse_value value;

	while (name_end < line_end && is_word_char(scan->text[name_end]))
		name_end++;
	equals = skip_spaces(scan->text, line_end, name_end);
	if (name_end == name_start || equals >= line_end || scan->text[equals] != '=')
		return 0;
	if (!read_quoted(scan->text, line_end, skip_spaces(scan->text, line_end, equals + 1), &start, &end) ||
	    end - start >= sizeof(literal))
		return 0;
	copy_span(name, sizeof(name), scan->text, name_start, name_end);
	copy_span(literal, sizeof(literal), scan->text, start, end);
	memset(&value, 0, sizeof(value));
	value.type = PARSE_STRING;
	value.text = literal;
	value.text_len = end - start;
	value.start = extract_offset_pos(scan->ctx.file, &scan->cursor, start);
	value.end = extract_offset_pos(scan->ctx.file, &scan->cursor, end);
	return ci_check_variable(&scan->ctx, name, extract_offset_pos(scan->ctx.file, &scan->cursor, name_start),
				 &value, "environment", NULL, NULL);
}

/* `environment { ... }`: check each line up to the closing brace. */
static int read_environment_block(struct jenkins_scan *scan, size_t at)
{
	size_t open = at + 11;
	int depth = 1, error = 0;

	while (open < scan->len && isspace((unsigned char)scan->text[open]))
		open++;
	if (open >= scan->len || scan->text[open] != '{' || (at > 0 && is_word_char(scan->text[at - 1])))
		return 0;
	for (size_t line_start = open + 1, i = open + 1; i < scan->len && depth > 0 && error == 0; i++) {
		if (scan->text[i] == '{')
			depth++;
		else if (scan->text[i] == '}')
			depth--;
		if (scan->text[i] == '\n' || depth == 0) {
			error = check_environment_line(scan, line_start, i);
			line_start = i + 1;
		}
	}
	return error;
}

static bool keyword_at(const struct jenkins_scan *scan, size_t at, const char *keyword)
{
	size_t n = strlen(keyword);

	return at + n <= scan->len && memcmp(scan->text + at, keyword, n) == 0;
}

int extract_jenkinsfile(const struct extract_file *file)
{
	struct jenkins_scan scan = { .cursor = EXTRACT_CURSOR_INIT, .text = file->data, .len = file->len };
	struct parse_value none = { 0 };
	int error;

	if ((error = ci_begin(&scan.ctx, file, "jenkins", &none, NULL)) < 0)
		return error;
	for (size_t at = 0; at < scan.len && error == 0; at++) {
		if (scan.text[at] != 'c' && scan.text[at] != 's' && scan.text[at] != 'd' && scan.text[at] != 'e')
			continue;
		if (keyword_at(&scan, at, "credentialsId"))
			error = read_credentials_id(&scan, at);
		else if (keyword_at(&scan, at, "credentials") && (at == 0 || !is_word_char(scan.text[at - 1])))
			error = read_credentials_call(&scan, at);
		else if (keyword_at(&scan, at, "sshagent"))
			error = read_sshagent(&scan, at);
		else if (keyword_at(&scan, at, "docker.withRegistry"))
			error = read_with_registry(&scan, at + 7);
		else if (keyword_at(&scan, at, "stage"))
			error = read_stage(&scan, at);
		else if (keyword_at(&scan, at, "environment"))
			error = read_environment_block(&scan, at);
	}
	return error;
}
