/*
 * OAuth scopes: the data file loader, and the scan of any text file for requested scopes;
 * see scopes.h and extractors.h.
 *
 * Scopes are found in two ways. Well-known scope URLs (https://www.googleapis.com/auth/... and
 * https://graph.microsoft.com/<Permission>) are unambiguous and found anywhere. Short scope names
 * ("repo", "chat:write", "Mail.Read") are words of ordinary code, so they count only inside a
 * scope declaration. A declaration starts after an identifier containing "scope" that is
 * assigned, passed or keyed (`scope=`, `scopes:`, `SCOPES = [`, `.scopes(`). It ends with its
 * line, its bracket or its indented YAML block. Inside it, a word counts only when the data file
 * lists it.
 */
#include "extract/scopes.h"
#include "config/embedded.h"
#include "extract/extractors.h"
#include "extract/yaml.h"
#include "util/error.h"
#include "util/fs.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The data file is small; anything larger is a mistake, not a table. */
#define SCOPES_FILE_MAX (1024 * 1024)
/* A scope declaration spans at most this many lines or bytes after its keyword. */
#define REGION_MAX_LINES 64
#define REGION_MAX_BYTES 8192
/* Maximum length of a scope word, in bytes; the scopes of the data file are under 100. */
#define TOKEN_MAX 200

static const struct extract_rule high_risk_rule = {
	"oauth.high-risk-scope", "High-risk OAuth scope requested", "oauth.high-risk-scope", "oauth",
	NHI_SEVERITY_HIGH,
	"Request the narrowest scope that does the job (read-only, a single resource, or per-file access), and record why a broad scope is needed where it stays.",
	NULL,
};

static const char google_prefix[] = "https://www.googleapis.com/auth/";
static const char graph_prefix[] = "https://graph.microsoft.com/";

struct scope_table {
	struct parse_doc doc;  /* owns every string of entries */
	struct extract_scope *entries;
	size_t count;
	int error;
	char message[512];
};

static struct scope_table table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static int parse_risk(enum nhi_severity *out, const char *text)
{
	if (!text)
		return -1;
	if (strcmp(text, "high") == 0)
		*out = NHI_SEVERITY_HIGH;
	else if (strcmp(text, "medium") == 0)
		*out = NHI_SEVERITY_MEDIUM;
	else if (strcmp(text, "low") == 0)
		*out = NHI_SEVERITY_LOW;
	else
		return -1;
	return 0;
}

static int read_entry(struct extract_scope *out, const char *path, const struct parse_value *item)
{
	out->scope = parse_value_string(parse_value_get(item, "scope"));
	out->provider = parse_value_string(parse_value_get(item, "provider"));
	out->reason = parse_value_string(parse_value_get(item, "reason"));
	out->line = item->start.line;
	if (!out->scope || !*out->scope || !out->provider || !out->reason)
		return nhi_error_set(NHI_EINVALID, "%s:%zu: a scope entry needs the strings 'scope', 'provider', 'risk' and 'reason'",
				     path, item->start.line);
	if (parse_risk(&out->risk, parse_value_string(parse_value_get(item, "risk"))) < 0)
		return nhi_error_set(NHI_EINVALID, "%s:%zu: risk of '%s' must be high, medium or low",
				     path, item->start.line, out->scope);
	return 0;
}

static int compare_entries(const void *a, const void *b)
{
	const struct extract_scope *x = a, *y = b;
	int cmp = strcmp(x->scope, y->scope);

	return cmp ? cmp : strcmp(x->provider, y->provider);
}

static int parse_table(const char *path, const char *data, size_t len)
{
	const struct parse_value *list;
	bool loaded = false;
	int error;

	if ((error = extract_yaml_load(&table.doc, path, data, len)) < 0)
		return error;
	loaded = table.doc.root != NULL;
	list = loaded ? parse_value_get(table.doc.root, "scopes") : NULL;
	if (!parse_value_is_array(list))
		return nhi_error_set(NHI_EINVALID, "%s:1: the scope data file must have a top-level 'scopes:' list", path);
	table.entries = calloc(list->count ? list->count : 1, sizeof(*table.entries));
	if (!table.entries)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (size_t i = 0; i < list->count; i++)
		if ((error = read_entry(&table.entries[i], path, list->members[i].value)) < 0)
			return error;
	table.count = list->count;
	qsort(table.entries, table.count, sizeof(*table.entries), compare_entries);
	return 0;
}

/* Read the development copy from $NHISCAN_SIGNATURES_DIR; *found is false when it has none. */
static int load_from_folder(const char *dir, bool *found)
{
	char *path = nhi_path_join(dir, "oauth-scopes.yml");
	char *data = NULL;
	size_t len = 0;
	int error;

	*found = false;
	if (!path)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	error = nhi_fs_read_file(&data, &len, path, SCOPES_FILE_MAX);
	if (error == NHI_ENOTFOUND) {
		error = 0;
		goto done;
	}
	if (error < 0)
		goto done;
	*found = true;
	error = parse_table(path, data, len);

done:
	free(data);
	free(path);
	return error;
}

static int load_embedded(void)
{
	for (size_t i = 0; i < nhi_embedded_signatures_count; i++) {
		const struct nhi_embedded_file *file = &nhi_embedded_signatures[i];

		if (strcmp(file->name, EXTRACT_SCOPES_FILE) == 0)
			return parse_table(file->name, (const char *)file->data, file->len);
	}
	return nhi_error_set(NHI_ENOTFOUND, "%s is not compiled into this binary; rebuild nhiscan", EXTRACT_SCOPES_FILE);
}

static void load_table(void)
{
	const char *dir = getenv("NHISCAN_SIGNATURES_DIR");
	bool found = false;
	int error = 0;

	if (dir && *dir)
		error = load_from_folder(dir, &found);
	if (error == 0 && !found)
		error = load_embedded();
	if (error < 0) {
		table.error = error;
		snprintf(table.message, sizeof(table.message), "%s", nhi_error_last());
	}
}

static int compare_key(const char *scope, size_t len, const struct extract_scope *entry)
{
	int cmp = strncmp(scope, entry->scope, len);

	if (cmp)
		return cmp;
	return entry->scope[len] ? -1 : 0;
}

int extract_scopes_find(const struct extract_scope **out, size_t *count, const char *scope, size_t len,
			const char *provider)
{
	size_t low = 0, high;

	pthread_once(&table_once, load_table);
	*out = NULL;
	*count = 0;
	if (table.error < 0)
		return nhi_error_set(table.error, "%s", table.message);
	high = table.count;
	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (compare_key(scope, len, &table.entries[mid]) > 0)
			low = mid + 1;
		else
			high = mid;
	}
	for (high = low; high < table.count && compare_key(scope, len, &table.entries[high]) == 0; high++)
		;
	/* Keep one provider's entries: they are adjacent, because entries sort by scope, then provider. */
	for (size_t i = low; provider && i < high; i++)
		if (strcmp(table.entries[i].provider, provider) == 0) {
			*out = &table.entries[i];
			*count = 1;
			return 0;
		}
	if (!provider && high > low) {
		*out = &table.entries[low];
		*count = high - low;
	}
	return 0;
}

static int report_high_risk(const struct extract_file *file, const char *scope, const char *providers,
			    const struct extract_scope *entry, struct parse_pos start, struct parse_pos end)
{
	struct extract_rule rule = high_risk_rule;

	rule.provider = entry->provider;
	return extract_finding(file, &rule, start, end, "requests the %s scope '%s': %s", providers, scope, entry->reason);
}

int extract_scope_record(const struct extract_file *file, const char *scope, const struct extract_scope *entries,
			 size_t count, const char *fallback_provider, const char *source,
			 struct parse_pos start, struct parse_pos end)
{
	const struct extract_scope *riskiest = count ? &entries[0] : NULL;
	char providers[256] = "";
	struct nhi_fact *fact;
	int error;

	for (size_t i = 0; i < count; i++) {
		size_t used = strlen(providers);

		snprintf(providers + used, sizeof(providers) - used, "%s%s", used ? "," : "", entries[i].provider);
		if (entries[i].risk > riskiest->risk)
			riskiest = &entries[i];
	}
	if ((error = extract_fact(&fact, file, "oauth.scope", scope, NULL, start)) < 0 ||
	    (error = extract_attr(fact, "provider", count ? providers : fallback_provider)) < 0 ||
	    (error = extract_attr(fact, "risk", riskiest ? config_severity_name(riskiest->risk) : "unknown")) < 0 ||
	    (error = extract_attr(fact, "reason", riskiest ? riskiest->reason : NULL)) < 0 ||
	    (error = extract_attr(fact, "source", source)) < 0)
		return error;
	if (!riskiest || riskiest->risk < NHI_SEVERITY_HIGH)
		return 0;
	return report_high_risk(file, scope, providers, riskiest, start, end);
}

/* The text scan. */

struct candidate {
	size_t offset;        /* of the scope as written */
	size_t len;
	size_t name_offset;   /* of the part looked up (the Graph permission after its URL prefix) */
	size_t name_len;
	const char *provider; /* google or microsoft for scope URLs, NULL for declared tokens */
};

struct scope_scan {
	const struct extract_file *file;
	struct candidate *items;
	size_t count;
	size_t alloc;
};

bool extract_scopes_may_occur(const char *data, size_t len)
{
	static const char *const needles[] = { "scope", "Scope", "SCOPE", "googleapis.com/auth/", "graph.microsoft.com/", NULL };

	for (int i = 0; needles[i]; i++)
		if (memmem(data, len, needles[i], strlen(needles[i])))
			return true;
	return false;
}

static int add_candidate(struct scope_scan *scan, const struct candidate *candidate)
{
	if (scan->count == scan->alloc) {
		size_t alloc = scan->alloc ? scan->alloc * 2 : 32;
		struct candidate *items = realloc(scan->items, alloc * sizeof(*items));

		if (!items)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		scan->items = items;
		scan->alloc = alloc;
	}
	scan->items[scan->count++] = *candidate;
	return 0;
}

static bool is_scope_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.' || c == ':' || c == '/' || c == '-' || c == '*';
}

/* `https://www.googleapis.com/auth/<name>` anywhere in the file. */
static int find_google_urls(struct scope_scan *scan)
{
	const char *data = scan->file->data, *end = data + scan->file->len;
	size_t prefix = sizeof(google_prefix) - 1;
	int error = 0;

	for (const char *at = data; error == 0 && (at = memmem(at, (size_t)(end - at), google_prefix, prefix)); at += prefix) {
		size_t n = prefix;
		struct candidate candidate;

		while (at + n < end && is_scope_char(at[n]) && at[n] != ':' && n < TOKEN_MAX)
			n++;
		while (n > prefix && (at[n - 1] == '.' || at[n - 1] == '/'))
			n--;
		if (n == prefix)
			continue;
		candidate = (struct candidate){ (size_t)(at - data), n, (size_t)(at - data), n, "google" };
		error = add_candidate(scan, &candidate);
	}
	return error;
}

/* `https://graph.microsoft.com/<Permission>`: a capitalized dotted name or `.default`. */
static int find_graph_urls(struct scope_scan *scan)
{
	const char *data = scan->file->data, *end = data + scan->file->len;
	size_t prefix = sizeof(graph_prefix) - 1;
	int error = 0;

	for (const char *at = data; error == 0 && (at = memmem(at, (size_t)(end - at), graph_prefix, prefix)); at += prefix) {
		const char *name = at + prefix;
		size_t n = 0;
		struct candidate candidate;

		while (name + n < end && (isalnum((unsigned char)name[n]) || name[n] == '.' || name[n] == '_') && n < TOKEN_MAX)
			n++;
		while (n > 0 && name[n - 1] == '.')
			n--;
		/* API paths (/v1.0/me) start in lower case; permissions are capitalized or ".default". */
		if (n == 0 || !(isupper((unsigned char)name[0]) || (n == 8 && strncmp(name, ".default", 8) == 0)) ||
		    !memchr(name, '.', n))
			continue;
		candidate = (struct candidate){ (size_t)(at - data), prefix + n, (size_t)(name - data), n, "microsoft" };
		error = add_candidate(scan, &candidate);
	}
	return error;
}

/* Return true when the identifier with "scope" at [start, end) is assigned, passed or keyed. */
static bool is_declaration(const char *data, size_t len, size_t end, size_t *value_start)
{
	size_t at = end;

	while (at < len && (data[at] == '"' || data[at] == '\''))
		at++;
	while (at < len && (data[at] == ' ' || data[at] == '\t'))
		at++;
	if (at >= len || !strchr(":=(", data[at]))
		return false;
	/* `scope == x` and `scope::` compare or qualify, they do not declare. */
	if (at + 1 < len && (data[at + 1] == '=' || (data[at] == ':' && data[at + 1] == ':')))
		return false;
	*value_start = at + 1;
	return true;
}

static size_t line_indent(const char *data, size_t line_start, size_t len)
{
	size_t at = line_start;

	while (at < len && (data[at] == ' ' || data[at] == '\t'))
		at++;
	return at - line_start;
}

static size_t find_line_start(const char *data, size_t at)
{
	while (at > 0 && data[at - 1] != '\n')
		at--;
	return at;
}

/* After `key:` with nothing else on its line: the following lines that are indented deeper. */
static size_t find_block_end(const char *data, size_t len, size_t keyword)
{
	size_t indent = line_indent(data, find_line_start(data, keyword), len);
	const char *newline = memchr(data + keyword, '\n', len - keyword);
	size_t at = newline ? (size_t)(newline - data) + 1 : len, end = at;

	for (int lines = 0; at < len && lines < REGION_MAX_LINES; lines++) {
		size_t next_indent = line_indent(data, at, len);
		const char *next = memchr(data + at, '\n', len - at);
		size_t line_end = next ? (size_t)(next - data) : len;

		if (at + next_indent < line_end && next_indent <= indent)
			break;
		end = line_end;
		at = next ? line_end + 1 : len;
	}
	return end;
}

/* From the value's start: to the end of the line, or on to the bracket that closes there. */
static size_t find_region_end(const char *data, size_t len, size_t keyword, size_t start)
{
	size_t limit = start + REGION_MAX_BYTES < len ? start + REGION_MAX_BYTES : len;
	size_t at = start;
	int depth = 0;
	bool blank = true;

	for (; at < limit; at++) {
		char c = data[at];

		if (c == '\n' && depth <= 0)
			break;
		if (strchr("([{", c))
			depth++;
		else if (strchr(")]}", c) && --depth < 0)
			break;
		else if ((c == '&' || c == ';') && depth <= 0)
			break;
		else if (c == '#' && blank)
			break;
		if (!isspace((unsigned char)c))
			blank = false;
	}
	if (blank && data[start - 1] == ':')
		return find_block_end(data, len, keyword);
	return at;
}

/* A token followed by ':' (after an optional quote) is a mapping key, not a scope. */
static bool is_mapping_key(const char *data, size_t len, size_t end)
{
	if (end > 0 && data[end - 1] == ':')
		return true;
	while (end < len && (data[end] == '"' || data[end] == '\''))
		end++;
	while (end < len && data[end] == ' ')
		end++;
	return end < len && data[end] == ':';
}

/* One word of a declaration, before the decision whether the declaration lists scopes. */
struct region_token {
	size_t start;
	size_t len;
	bool quoted;
	bool known;
};

/* Words of one declaration that are weighed; real scope lists are far shorter. */
#define REGION_TOKENS_MAX 128

struct region {
	struct region_token tokens[REGION_TOKENS_MAX];
	size_t count;
	bool any_quoted;
};

/* A word made of punctuation only, like the dash of a YAML list item, neither counts nor matches. */
static bool is_punctuation(const char *text, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (isalnum((unsigned char)text[i]))
			return false;
	return true;
}

static int add_token(struct scope_scan *scan, struct region *region, size_t start, size_t end, bool quoted)
{
	const char *data = scan->file->data;
	const struct extract_scope *entries;
	struct region_token *token;
	size_t count;
	int error;

	while (end > start && (data[end - 1] == '.' || data[end - 1] == ','))
		end--;
	if (end == start || end - start > TOKEN_MAX || region->count == REGION_TOKENS_MAX ||
	    is_punctuation(data + start, end - start) || is_mapping_key(data, scan->file->len, end))
		return 0;
	if ((error = extract_scopes_find(&entries, &count, data + start, end - start, NULL)) < 0)
		return error;
	token = &region->tokens[region->count++];
	*token = (struct region_token){ start, end - start, quoted, count > 0 };
	region->any_quoted |= quoted;
	return 0;
}

/*
 * Keep the known scopes of a region when it reads like a scope list. Where the region has
 * quoted strings only their words count (the rest is code: `def scopes(self, refresh_token)`),
 * and at least half of the counted words must be known scopes, which leaves out prose such as
 * `:param scopes: the scopes requested by the client`.
 */
static int keep_scope_list(struct scope_scan *scan, const struct region *region)
{
	size_t total = 0, known = 0;
	int error = 0;

	for (size_t i = 0; i < region->count; i++)
		if (region->tokens[i].quoted == region->any_quoted) {
			total++;
			known += region->tokens[i].known;
		}
	if (known == 0 || known * 2 < total)
		return 0;
	for (size_t i = 0; i < region->count && error == 0; i++) {
		const struct region_token *token = &region->tokens[i];
		struct candidate candidate = { token->start, token->len, token->start, token->len, NULL };

		if (token->known && token->quoted == region->any_quoted)
			error = add_candidate(scan, &candidate);
	}
	return error;
}

static int tokenize_region(struct scope_scan *scan, size_t start, size_t end)
{
	const char *data = scan->file->data;
	struct region region;
	char quote = 0;
	int error = 0;

	region.count = 0;
	region.any_quoted = false;
	for (size_t at = start; at < end && error == 0;) {
		size_t token_end = at;

		if (data[at] == '"' || data[at] == '\'' || data[at] == '`') {
			/* A quote opens a string, or closes the string its own kind opened. */
			if (!quote)
				quote = data[at];
			else if (quote == data[at])
				quote = 0;
			at++;
			continue;
		}
		/* %20 and %2C separate URL-encoded scope lists. */
		if (data[at] == '%' && at + 2 < end && isxdigit((unsigned char)data[at + 1])) {
			at += 3;
			continue;
		}
		if (!is_scope_char(data[at])) {
			at++;
			continue;
		}
		while (token_end < end && is_scope_char(data[token_end]))
			token_end++;
		error = add_token(scan, &region, at, token_end, quote != 0);
		at = token_end;
	}
	return error < 0 ? error : keep_scope_list(scan, &region);
}

static bool matches_scope_at(const char *data, size_t len, size_t at)
{
	return at + 5 <= len && strncasecmp(data + at, "scope", 5) == 0;
}

/* Find every scope declaration and the known scope names inside it. */
static int find_declared_scopes(struct scope_scan *scan)
{
	const char *data = scan->file->data;
	size_t len = scan->file->len, scanned = 0;
	int error = 0;

	for (size_t at = 0; at < len && error == 0; at++) {
		size_t end = at + 5, value_start, region_end;

		if ((data[at] != 's' && data[at] != 'S') || !matches_scope_at(data, len, at))
			continue;
		while (end < len && (isalnum((unsigned char)data[end]) || data[end] == '_' || data[end] == '-'))
			end++;
		/* A keyword inside a region already read adds nothing; skipping it keeps the scan linear. */
		if (at < scanned || !is_declaration(data, len, end, &value_start)) {
			at = end - 1;
			continue;
		}
		region_end = find_region_end(data, len, at, value_start);
		if (value_start < region_end)
			error = tokenize_region(scan, value_start, region_end);
		scanned = region_end;
		at = end - 1;
	}
	return error;
}

static int compare_candidates(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->len > y->len ? -1 : x->len < y->len;
}

static int record_candidates(struct scope_scan *scan)
{
	struct extract_cursor cursor = EXTRACT_CURSOR_INIT;
	size_t covered = 0;
	int error = 0;

	if (scan->count == 0)
		return 0;
	qsort(scan->items, scan->count, sizeof(*scan->items), compare_candidates);
	for (size_t i = 0; i < scan->count && error == 0; i++) {
		const struct candidate *c = &scan->items[i];
		const char *data = scan->file->data;
		const struct extract_scope *entries;
		char scope[TOKEN_MAX + 1];
		struct parse_pos start, end;
		size_t count;

		/* A declared token inside a scope URL found before is the same scope. */
		if (c->offset < covered)
			continue;
		covered = c->offset + c->len;
		snprintf(scope, sizeof(scope), "%.*s", (int)c->name_len, data + c->name_offset);
		if ((error = extract_scopes_find(&entries, &count, scope, strlen(scope), c->provider)) < 0)
			break;
		start = extract_offset_pos(scan->file, &cursor, c->offset);
		end = extract_offset_pos(scan->file, &cursor, c->offset + c->len);
		error = extract_scope_record(scan->file, scope, entries, count, c->provider ? c->provider : "unknown",
					     "text", start, end);
	}
	return error;
}

int extract_scopes_in_text(const struct extract_file *file)
{
	struct scope_scan scan = { file, NULL, 0, 0 };
	int error;

	if ((error = find_google_urls(&scan)) < 0 || (error = find_graph_urls(&scan)) < 0 ||
	    (error = find_declared_scopes(&scan)) < 0)
		goto done;
	error = record_candidates(&scan);

done:
	free(scan.items);
	return error;
}
