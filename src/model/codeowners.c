/*
 * CODEOWNERS loading and matching; see codeowners.h.
 */
#include "model/codeowners.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* A CODEOWNERS file larger than this is not one; GitHub itself ignores files over 3 MB. */
#define MAX_CODEOWNERS_SIZE ((size_t)3 << 20)

static const char *const locations[] = {
	".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS", ".gitlab/CODEOWNERS",
};

static void free_rule(void *item)
{
	struct model_codeowners_rule *rule = item;

	if (!rule)
		return;
	nhi_vec_dispose_all(&rule->owners, NULL);
	free(rule->pattern);
	free(rule);
}

void model_codeowners_dispose(struct model_codeowners *codeowners)
{
	nhi_vec_dispose_all(&codeowners->rules, free_rule);
	free(codeowners->path);
	codeowners->path = NULL;
}

static int push_token(struct nhi_vec *vec, const char *start, size_t len)
{
	char *token = strndup(start, len);
	int error;

	if (!token)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if ((error = nhi_vec_push(vec, token)) < 0)
		free(token);
	return error;
}

/* Split line[0, len) into whitespace-separated tokens up to a '#' comment; "\#" and "\ " escape. */
static int split_tokens(struct nhi_vec *out, const char *line, size_t len)
{
	size_t i = 0;
	int error = 0;

	while (i < len && error == 0) {
		size_t start;

		while (i < len && isspace((unsigned char)line[i]))
			i++;
		if (i >= len || line[i] == '#')
			break;
		start = i;
		while (i < len && !isspace((unsigned char)line[i]) && line[i] != '#')
			i += line[i] == '\\' && i + 1 < len ? 2 : 1;
		error = push_token(out, line + start, i - start);
	}
	return error;
}

static int parse_line(struct model_codeowners *out, const char *line, size_t len, size_t number)
{
	struct nhi_vec tokens = NHI_VEC_INIT;
	struct model_codeowners_rule *rule = NULL;
	int error;

	if ((error = split_tokens(&tokens, line, len)) < 0 || tokens.count == 0)
		goto done;
	/* GitLab section headers, "[Section]" or "^[Optional section]", apply to the lines below. */
	if (((char *)tokens.items[0])[0] == '[' || ((char *)tokens.items[0])[0] == '^')
		goto done;
	if (!(rule = calloc(1, sizeof(*rule)))) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	rule->line = number;
	rule->pattern = tokens.items[0];
	tokens.items[0] = NULL;
	for (size_t i = 1; i < tokens.count && error == 0; i++) {
		if ((error = nhi_vec_push(&rule->owners, tokens.items[i])) == 0)
			tokens.items[i] = NULL;
	}
	if (error == 0 && (error = nhi_vec_push(&out->rules, rule)) == 0)
		rule = NULL;

done:
	free_rule(rule);
	nhi_vec_dispose_all(&tokens, NULL);
	return error;
}

int model_codeowners_parse(struct model_codeowners *out, const char *path, const char *data, size_t len)
{
	size_t number = 0;
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (path && !(out->path = strdup(path)))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (const char *line = data; line < data + len && error == 0;) {
		const char *end = memchr(line, '\n', (size_t)(data + len - line));
		size_t line_len = end ? (size_t)(end - line) : (size_t)(data + len - line);

		number++;
		error = parse_line(out, line, line_len, number);
		line += line_len + 1;
	}
	if (error < 0)
		model_codeowners_dispose(out);
	return error;
}

int model_codeowners_load(struct model_codeowners *out, const char *root)
{
	char *data = NULL, *full = NULL;
	size_t len = 0;
	int error = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < sizeof(locations) / sizeof(locations[0]); i++) {
		if (!(full = nhi_path_join(root, locations[i])))
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		error = nhi_fs_read_file(&data, &len, full, MAX_CODEOWNERS_SIZE);
		free(full);
		if (error == NHI_ENOTFOUND)
			continue;
		if (error < 0)
			return error;
		error = model_codeowners_parse(out, locations[i], data, len);
		free(data);
		return error;
	}
	nhi_error_clear();
	return 0;
}

/* Match a bracket class at p against c; *end receives the character after the class. */
static bool match_class(const char *p, char c, const char **end)
{
	bool negate = p[1] == '!' || p[1] == '^';
	const char *q = p + 1 + negate;
	bool matched = false;

	/* A ']' right after the opening bracket is a member, as in gitignore. */
	do {
		if (q[1] == '-' && q[2] && q[2] != ']') {
			matched |= c >= q[0] && c <= q[2];
			q += 3;
		} else {
			matched |= c == *q;
			q++;
		}
	} while (*q && *q != ']');
	*end = *q ? q + 1 : q;
	return matched != negate;
}

/*
 * Match a glob against text. start is the beginning of the pattern, so that "**" is known to
 * stand at the start of a component. Backtracking is bounded by the pattern's stars, and
 * CODEOWNERS patterns are short.
 */
static bool match_glob(const char *start, const char *p, const char *t)
{
	for (;;) {
		if (*p == '\0')
			return *t == '\0';
		if (p[0] == '*' && p[1] == '*' && (p == start || p[-1] == '/') && (p[2] == '/' || p[2] == '\0')) {
			if (p[2] == '\0')
				return true;
			/* "**\/" matches zero or more whole components. */
			for (const char *s = t;; s++) {
				if (match_glob(start, p + 3, s))
					return true;
				if (!(s = strchr(s, '/')))
					return false;
			}
		}
		if (*p == '*') {
			while (*p == '*')
				p++;
			for (const char *s = t;; s++) {
				if (match_glob(start, p, s))
					return true;
				if (*s == '\0' || *s == '/')
					return false;
			}
		}
		if (*t == '\0')
			return false;
		if (*p == '?') {
			if (*t == '/')
				return false;
		} else if (*p == '[' && strchr(p + 1, ']')) {
			const char *end;

			if (*t == '/' || !match_class(p, *t, &end))
				return false;
			p = end;
			t++;
			continue;
		} else {
			if (*p == '\\' && p[1])
				p++;
			if (*p != *t)
				return false;
		}
		p++;
		t++;
	}
}

bool model_codeowners_pattern_matches(const char *pattern, const char *path)
{
	struct nhi_buf full = NHI_BUF_INIT;
	size_t len = strlen(pattern);
	bool anchored = pattern[0] == '/';
	bool folder_only = len > 0 && pattern[len - 1] == '/';
	const char *body = pattern + anchored;
	size_t body_len = len - anchored - (folder_only && len > (size_t)anchored);
	bool matched = false;

	if (body_len == 0)
		return false;
	if (memchr(body, '/', body_len))
		anchored = true;
	if ((!anchored && nhi_buf_puts(&full, "**/") < 0) || nhi_buf_put(&full, body, body_len) < 0)
		goto done;
	/* The pattern names the path itself, unless it only names folders. */
	if (!folder_only)
		matched = match_glob(full.ptr, full.ptr, path);
	/*
	 * Or it names a folder that the path is inside. GitHub departs from gitignore for a pattern
	 * that ends in a slash and a star: it matches the files of that folder, not those of its
	 * subfolders.
	 */
	if (!matched && !(body_len >= 2 && body[body_len - 2] == '/' && body[body_len - 1] == '*') &&
	    nhi_buf_puts(&full, "/**") == 0)
		matched = match_glob(full.ptr, full.ptr, path);

done:
	nhi_buf_dispose(&full);
	return matched;
}

const struct model_codeowners_rule *model_codeowners_match(const struct model_codeowners *codeowners,
							   const char *path)
{
	for (size_t i = codeowners->rules.count; i > 0; i--) {
		const struct model_codeowners_rule *rule = codeowners->rules.items[i - 1];

		if (model_codeowners_pattern_matches(rule->pattern, path))
			return rule;
	}
	return NULL;
}
