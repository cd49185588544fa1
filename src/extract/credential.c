/*
 * Reference syntaxes, credential-like names and literal-secret checks; see credential.h.
 */
#include "extract/credential.h"
#include "match/filter.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/*
 * Thresholds for a value without a name, such as a bare command-line argument. In a sample of
 * 10,000 random strings per length (Python's random module), 99% of 32-character alphanumeric
 * strings scored at least 4.2 bits per character, while long identifiers such as
 * "projects-my-project-123-locations-us" score 3.5 to 4.0. NOTE: random hex strings score 3.6
 * at the median, so an unnamed hex token is left to the signature rules.
 */
#define UNNAMED_ENTROPY_MIN 4.2
#define UNNAMED_LENGTH_MIN 24
/* A credential-named value shorter than this is a flag, a port or a default, not a secret. */
#define NAMED_LENGTH_MIN 8

static void copy_name(struct extract_reference *out, const char *text, size_t len)
{
	if (len >= sizeof(out->name))
		len = sizeof(out->name) - 1;
	memcpy(out->name, text, len);
	out->name[len] = '\0';
}

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static const char *find_in(const char *text, size_t len, const char *needle)
{
	return memmem(text, len, needle, strlen(needle));
}

/* Read the name after prefix in expression[0, len) (like `secrets.` in `secrets.NPM_TOKEN`). */
static bool read_expression_name(struct extract_reference *out, const char *expression, size_t len,
				 const char *prefix, const char *store)
{
	const char *at = find_in(expression, len, prefix);
	const char *end;
	size_t n = 0;

	if (!at)
		return false;
	at += strlen(prefix);
	end = expression + len;
	/* secrets['NAME']: the prefix ends with the bracket, the quote follows. */
	if (at < end && (*at == '\'' || *at == '"'))
		at++;
	while (at + n < end && (is_name_char(at[n]) || at[n] == '-'))
		n++;
	out->store = store;
	copy_name(out, at, n);
	return true;
}

/* `${{ expression }}` of GitHub Actions (and Continue, which borrowed the syntax). */
static void describe_expression(struct extract_reference *out, const char *inner, size_t len)
{
	if (read_expression_name(out, inner, len, "secrets.", "secret") ||
	    read_expression_name(out, inner, len, "secrets[", "secret") ||
	    read_expression_name(out, inner, len, "inputs.", "input") ||
	    read_expression_name(out, inner, len, "vars.", "variable") ||
	    read_expression_name(out, inner, len, "env.", "env"))
		return;
	if (find_in(inner, len, "github.token")) {
		out->store = "secret";
		copy_name(out, "GITHUB_TOKEN", 12);
		return;
	}
	out->store = "expression";
	out->name[0] = '\0';
}

static size_t trim_span(const char *text, size_t len, size_t *start)
{
	size_t begin = 0;

	while (begin < len && isspace((unsigned char)text[begin]))
		begin++;
	while (len > begin && isspace((unsigned char)text[len - 1]))
		len--;
	*start = begin;
	return len - begin;
}

/* `${...}` forms: `${{ expr }}`, `${input:id}`, `${env:NAME}`, `${NAME}` and `${NAME:-default}`. */
static bool read_dollar_brace(struct extract_reference *out, const char *value, size_t len, size_t at)
{
	const char *body = value + at + 2;
	size_t rest = len - at - 2;
	const char *close;
	size_t start, n;

	if (rest > 0 && body[0] == '{') {
		close = find_in(body, rest, "}}");
		if (!close)
			return false;
		describe_expression(out, body + 1, (size_t)(close - body - 1));
		out->len = (size_t)(close + 2 - (value + at));
		return true;
	}
	close = memchr(body, '}', rest);
	if (!close)
		return false;
	n = trim_span(body, (size_t)(close - body), &start);
	body += start;
	out->len = (size_t)(close + 1 - (value + at));
	if (n > 6 && strncmp(body, "input:", 6) == 0) {
		out->store = "vscode-input";
		copy_name(out, body + 6, n - 6);
	} else if (n > 4 && strncmp(body, "env:", 4) == 0) {
		out->store = "env";
		copy_name(out, body + 4, n - 4);
	} else {
		size_t name_len = 0;

		while (name_len < n && is_name_char(body[name_len]))
			name_len++;
		if (name_len == 0)
			return false;
		out->store = "env";
		copy_name(out, body, name_len);
	}
	return true;
}

/* `$NAME` (shell) and `$(NAME)` (Azure Pipelines macro syntax). */
static bool read_dollar_name(struct extract_reference *out, const char *value, size_t len, size_t at)
{
	size_t start = at + 1, n = 0;

	if (start < len && value[start] == '(') {
		const char *close = memchr(value + start, ')', len - start);

		if (!close || close == value + start + 1)
			return false;
		out->store = "variable";
		copy_name(out, value + start + 1, (size_t)(close - value - start - 1));
		out->len = (size_t)(close + 1 - (value + at));
		return true;
	}
	if (start >= len || !(isalpha((unsigned char)value[start]) || value[start] == '_'))
		return false;
	while (start + n < len && is_name_char(value[start + n]))
		n++;
	out->store = "env";
	copy_name(out, value + start, n);
	out->len = n + 1;
	return true;
}

/* `{{ ... }}` templates (Helm, Go templates, LibreChat user variables). */
static bool read_template(struct extract_reference *out, const char *value, size_t len, size_t at)
{
	const char *close = find_in(value + at + 2, len - at - 2, "}}");
	size_t start, n;

	if (!close)
		return false;
	n = trim_span(value + at + 2, (size_t)(close - (value + at + 2)), &start);
	out->store = "template";
	copy_name(out, value + at + 2 + start, n);
	out->len = (size_t)(close + 2 - (value + at));
	return true;
}

/* `%NAME%` of Windows shells, only when it is the whole value. */
static bool read_percent(struct extract_reference *out, const char *value, size_t len)
{
	if (len < 3 || value[0] != '%' || value[len - 1] != '%')
		return false;
	for (size_t i = 1; i + 1 < len; i++)
		if (!is_name_char(value[i]))
			return false;
	out->store = "env";
	copy_name(out, value + 1, len - 2);
	out->offset = 0;
	out->len = len;
	return true;
}

bool extract_find_reference(struct extract_reference *out, const char *value, size_t len)
{
	memset(out, 0, sizeof(*out));
	for (size_t at = 0; at + 1 < len; at++) {
		bool found = false;

		if (value[at] == '$' && value[at + 1] == '{')
			found = read_dollar_brace(out, value, len, at);
		else if (value[at] == '$')
			found = read_dollar_name(out, value, len, at);
		else if (value[at] == '{' && value[at + 1] == '{')
			found = read_template(out, value, len, at);
		if (found) {
			out->offset = at;
			return true;
		}
	}
	return read_percent(out, value, len);
}

/* Words that make a name a credential's, compared without regard to case. */
static const char *const credential_words[] = {
	"token", "secret", "password", "passwd", "passphrase", "apikey", "api_key", "api-key",
	"accesskey", "access_key", "access-key", "privatekey", "private_key", "private-key",
	"credential", "authorization", "auth_key", "authkey", "bearer", "cookie", "session_key",
	"connection_string", "connectionstring", "client_secret", NULL,
};

/*
 * Words that make a credential-like name something else: where a token is fetched from, its
 * identifier or owner, or a count of language-model tokens.
 */
static const char *const non_credential_words[] = {
	"url", "uri", "endpoint", "host", "file", "path", "_id", "-id", "name", "user", "expir",
	"ttl", "type", "max_token", "max-token", "tokens", "tokenizer", "public", "publishable",
	"header", "env_var", "length", "timeout", "region", "helper", NULL,
};

static bool contains_word(const char *lower, const char *const *words)
{
	for (int i = 0; words[i]; i++)
		if (strstr(lower, words[i]))
			return true;
	return false;
}

/* Names that are a key on their own, or end in one: `key`, `X_KEY`, `x-key`, `--key`. */
static bool ends_with_key(const char *lower, size_t len)
{
	if (strcmp(lower, "key") == 0 || strcmp(lower, "pat") == 0 || strcmp(lower, "auth") == 0)
		return true;
	if (len > 4 && (strcmp(lower + len - 4, "_key") == 0 || strcmp(lower + len - 4, "-key") == 0))
		return true;
	return len > 4 && (strcmp(lower + len - 4, "_pat") == 0 || strcmp(lower + len - 4, "-pat") == 0);
}

bool extract_name_is_credential(const char *name)
{
	char lower[EXTRACT_NAME_MAX];
	size_t len = 0;

	if (!name)
		return false;
	while (*name == '-')
		name++;
	for (; name[len] && len + 1 < sizeof(lower); len++)
		lower[len] = (char)tolower((unsigned char)name[len]);
	lower[len] = '\0';
	if (len == 0 || contains_word(lower, non_credential_words))
		return false;
	return contains_word(lower, credential_words) || ends_with_key(lower, len);
}

void extract_secret_span(const char *value, size_t len, size_t *offset, size_t *secret_len)
{
	static const char *const schemes[] = { "bearer ", "basic ", "token ", "bot ", "apikey ", NULL };
	size_t start = 0;

	for (int i = 0; schemes[i]; i++) {
		size_t n = strlen(schemes[i]);

		if (len > n && strncasecmp(value, schemes[i], n) == 0) {
			start = n;
			break;
		}
	}
	while (start < len && value[start] == ' ')
		start++;
	*offset = start;
	*secret_len = len - start;
}

static bool has_char_in(const char *value, size_t len, const char *set)
{
	for (size_t i = 0; i < len; i++)
		if (strchr(set, value[i]))
			return true;
	return false;
}

static bool is_all_digits(const char *value, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!isdigit((unsigned char)value[i]))
			return false;
	return true;
}

static bool has_letter_and_digit(const char *value, size_t len)
{
	bool letter = false, digit = false;

	for (size_t i = 0; i < len; i++) {
		letter |= isalpha((unsigned char)value[i]) != 0;
		digit |= isdigit((unsigned char)value[i]) != 0;
	}
	return letter && digit;
}

/* Values that are clearly not secrets whatever their field: paths, URLs, words with spaces. */
static bool is_plain_setting(const char *value, size_t len)
{
	if (has_char_in(value, len, " \t\r\n") || is_all_digits(value, len))
		return true;
	if (value[0] == '/' || value[0] == '~' || (len > 1 && value[0] == '.' && value[1] == '/'))
		return true;
	return find_in(value, len, "://") != NULL;
}

bool extract_value_is_secret(const char *name, const char *value, size_t len)
{
	struct extract_reference reference;

	if (len < NAMED_LENGTH_MIN || extract_find_reference(&reference, value, len))
		return false;
	if (is_plain_setting(value, len) || match_is_placeholder(value, len))
		return false;
	if (extract_name_is_credential(name))
		return true;
	/* An unnamed value must look random: long, mixed letters and digits, no path or address. */
	if (len < UNNAMED_LENGTH_MIN || has_char_in(value, len, "/\\@:,;") || !has_letter_and_digit(value, len))
		return false;
	return match_entropy(value, len) >= UNNAMED_ENTROPY_MIN;
}

/* Query parameters that carry a credential besides the credential-like names. */
static bool is_secret_parameter(const char *name)
{
	static const char *const extra[] = { "sig", "signature", "access_token", "key", NULL };

	for (int i = 0; extra[i]; i++)
		if (strcasecmp(name, extra[i]) == 0)
			return true;
	return extract_name_is_credential(name);
}

/* `scheme://user:password@host`: the password, when the URL has one. */
static size_t find_userinfo_password(struct extract_url_secret *out, const char *url, size_t len)
{
	const char *scheme = find_in(url, len, "://");
	const char *authority, *end, *at, *colon;

	if (!scheme)
		return 0;
	authority = scheme + 3;
	end = authority;
	while (end < url + len && !strchr("/?#", *end))
		end++;
	at = NULL;
	for (const char *p = authority; p < end; p++)
		if (*p == '@')
			at = p;
	if (!at)
		return 0;
	colon = memchr(authority, ':', (size_t)(at - authority));
	if (!colon || colon + 1 == at)
		return 0;
	snprintf(out->name, sizeof(out->name), "password");
	out->offset = (size_t)(colon + 1 - url);
	out->len = (size_t)(at - colon - 1);
	return 1;
}

size_t extract_url_secrets(struct extract_url_secret *out, size_t max, const char *url, size_t len)
{
	const char *query = memchr(url, '?', len);
	size_t count = 0;

	if (max == 0)
		return 0;
	count += find_userinfo_password(out, url, len);
	if (!query)
		return count;
	for (const char *p = query + 1; p < url + len && count < max;) {
		const char *end = p, *equals;
		size_t name_len;

		while (end < url + len && *end != '&' && *end != '#')
			end++;
		equals = memchr(p, '=', (size_t)(end - p));
		if (equals && equals + 1 < end) {
			name_len = (size_t)(equals - p);
			if (name_len >= sizeof(out[count].name))
				name_len = sizeof(out[count].name) - 1;
			memcpy(out[count].name, p, name_len);
			out[count].name[name_len] = '\0';
			if (is_secret_parameter(out[count].name)) {
				out[count].offset = (size_t)(equals + 1 - url);
				out[count].len = (size_t)(end - equals - 1);
				count++;
			}
		}
		if (end >= url + len || *end == '#')
			break;
		p = end + 1;
	}
	return count;
}

void extract_redact_url(char *out, size_t size, const char *url)
{
	struct extract_url_secret secrets[8];
	size_t len = strlen(url), count = extract_url_secrets(secrets, 8, url, len), copied = 0, used = 0;

	out[0] = '\0';
	for (size_t i = 0; i < count; i++) {
		struct extract_reference ref;

		if (extract_find_reference(&ref, url + secrets[i].offset, secrets[i].len))
			continue;
		used += (size_t)snprintf(out + used, used < size ? size - used : 0, "%.*s****",
					 (int)(secrets[i].offset - copied), url + copied);
		copied = secrets[i].offset + secrets[i].len;
		if (used >= size)
			return;
	}
	snprintf(out + used, size - used, "%s", url + copied);
}

static bool is_local_host(const char *host, size_t len)
{
	static const char *const local[] = {
		"localhost", "127.0.0.1", "[::1]", "0.0.0.0", "host.docker.internal", NULL,
	};

	for (int i = 0; local[i]; i++)
		if (len == strlen(local[i]) && strncasecmp(host, local[i], len) == 0)
			return true;
	if (len > 10 && strncasecmp(host + len - 10, ".localhost", 10) == 0)
		return true;
	return len > 4 && strncmp(host, "127.", 4) == 0;
}

bool extract_url_is_insecure(const char *url)
{
	const char *host, *end;

	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "ws://", 5) != 0)
		return false;
	host = strstr(url, "://") + 3;
	for (const char *p = host; *p && !strchr("/?#", *p); p++)
		if (*p == '@')
			host = p + 1;
	end = host;
	if (*end == '[') {
		while (*end && *end != ']')
			end++;
		if (*end)
			end++;
	} else {
		while (*end && !strchr(":/?#", *end))
			end++;
	}
	return !is_local_host(host, (size_t)(end - host));
}
