/*
 * Hyperscan candidate search and PCRE2 confirmation; see engine.h.
 *
 * Hyperscan reports only where a match ends. For each reported end, PCRE2 searches a window that
 * starts one maximum match width before it, the earliest place a match ending there can begin.
 * The end of the confirmed match is recorded, and later ends of the same rule inside that match
 * are skipped. So each secret costs one PCRE2 call, however many end offsets a variable-length
 * pattern produces. Rules with keywords are found through their keywords instead (see
 * keyword_pattern()), and PCRE2 then searches the stretch after each keyword.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include "match/engine.h"
#include "match/cache.h"
#include "match/filter.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/vec.h"

#include <ctype.h>
#include <hs/hs.h>
#include <limits.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Changing how patterns are compiled must change this, so that old cache files are not used. */
#define ENGINE_VERSION "nhiscan-engine-5"
#define HS_FLAGS (HS_FLAG_MULTILINE)
#define PCRE2_FLAGS (PCRE2_MULTILINE)
/* Window for a rule whose width Hyperscan reports as unbounded. */
#define UNBOUNDED_WIDTH 4096
/*
 * Rules whose candidates reach back at most this far form the narrow tier of a delta search,
 * whose windows reach this far around each change. All 433 built-in rules do: the generic
 * assignments reach about 610 bytes, and the wider rules have keywords or a short prefilter.
 */
#define NARROW_WIDTH 640
/* Ovector pairs per match; a pattern with more groups still has its first ones reported. */
#define MATCH_GROUPS 32
/* How many match widths past a failed candidate one PCRE2 search also clears. */
#define CONFIRM_LOOKAHEAD 3
/* Backtracking steps PCRE2 may take per call, so a pathological line cannot stall a thread. */
#define PCRE2_MATCH_LIMIT 1000000

struct compiled_pattern {
	pcre2_code *code;  /* set once, atomically; NULL until first use */
	int secret_group;  /* 0 for the whole match */
};

struct nhi_matcher {
	const struct nhi_rule_set *rules;
	struct nhi_matcher_options options;
	hs_database_t *db;
	hs_scratch_t *prototype;
	uint32_t *widths;
	/* Delta searches (see scan_delta()): the two tiers of rules and their databases. */
	bool *wide;                /* per rule: wider than NARROW_WIDTH */
	size_t wide_count;
	size_t narrow_margin, wide_margin;
	hs_database_t *wide_db;    /* built on the first delta search */
	pthread_mutex_t wide_lock;
	int wide_state;            /* 0 not built yet, 1 built, -1 failed with wide_error */
	int wide_error;
	struct compiled_pattern *patterns;
	struct nhi_matcher_stats stats;
};

struct delta_tier;

struct nhi_match_scratch {
	nhi_matcher *matcher;
	hs_scratch_t *hs;
	pcre2_match_data *match_data;
	pcre2_match_context *match_context;
	size_t *covered_until; /* per rule: end of the last confirmed match in this buffer */
	size_t *open_run;      /* per rule: 1 + index of its last run in keep, or 0 */
	struct nhi_match_candidates *keep; /* NULL: candidates are not kept */
	/* state of a delta search */
	struct nhi_match_candidates delta_candidates, narrow_candidates, wide_candidates;
	const struct delta_tier *tier;
	size_t window_start, window_first, window_last;
	bool has_wide_space;   /* hs is large enough for the wide tier's database */
	/* state of the current scan */
	const char *data;
	size_t len;
	struct nhi_match_list *out;
	int error;
};

static double elapsed_ms(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) * 1e3 + (double)(now.tv_nsec - start->tv_nsec) / 1e6;
}

static void compute_key(unsigned char key[32], const struct nhi_rule_set *rules)
{
	struct nhi_sha256 ctx;
	const char *hs_ver = hs_version();

	nhi_sha256_init(&ctx);
	nhi_sha256_update(&ctx, ENGINE_VERSION, sizeof(ENGINE_VERSION));
	nhi_sha256_update(&ctx, hs_ver, strlen(hs_ver) + 1);
	for (size_t i = 0; i < rules->count; i++) {
		const struct nhi_rule *rule = &rules->rules[i];

		nhi_sha256_update(&ctx, rule->id, strlen(rule->id) + 1);
		nhi_sha256_update(&ctx, rule->pattern, strlen(rule->pattern) + 1);
		if (rule->prefilter)
			nhi_sha256_update(&ctx, rule->prefilter, strlen(rule->prefilter) + 1);
		for (size_t k = 0; k < rule->keyword_count; k++)
			nhi_sha256_update(&ctx, rule->keywords[k], strlen(rule->keywords[k]) + 1);
	}
	nhi_sha256_final(&ctx, key);
}

static int describe_compile_error(const struct nhi_rule_set *rules, hs_compile_error_t *err)
{
	int error;

	if (err->expression >= 0 && (size_t)err->expression < rules->count) {
		const struct nhi_rule *rule = &rules->rules[err->expression];

		error = nhi_error_set(NHI_EINVALID, "%s:%zu: pattern of rule '%s' is not supported by Hyperscan: %s; avoid lookaround and back-references",
				      rule->source_path, rule->source_line, rule->id, err->message);
	} else {
		error = nhi_error_set(NHI_EINVALID, "cannot compile the rule database: %s", err->message);
	}
	hs_free_compile_error(err);
	return error;
}

static int measure_widths(uint32_t *widths, const struct nhi_rule_set *rules)
{
	for (size_t i = 0; i < rules->count; i++) {
		hs_expr_info_t *info = NULL;
		hs_compile_error_t *err = NULL;

		if (hs_expression_info(rules->rules[i].pattern, HS_FLAGS, &info, &err) != HS_SUCCESS) {
			err->expression = (int)i;
			return describe_compile_error(rules, err);
		}
		widths[i] = info->max_width == UINT32_MAX ? UNBOUNDED_WIDTH : info->max_width;
		free(info);
	}
	return 0;
}

/*
 * Return a copy of pattern for Hyperscan that matches a superset of what it matches: repeats
 * with an upper bound above RELAX_MAX_UPPER lose that bound, and exact counts above
 * RELAX_MAX_EXACT become at-least counts. Hyperscan unrolls bounded repeats into automaton
 * states, so rules like PEM blocks with {64,8192} cost seconds each to compile, while the
 * unbounded form costs almost nothing. The loss of precision is harmless because PCRE2 confirms
 * every candidate with the exact pattern, in a window as wide as the exact pattern's maximum.
 */
#define RELAX_MAX_UPPER 12
#define RELAX_MAX_EXACT 64

static bool parse_repeat(const char *p, unsigned long *lo, unsigned long *hi, bool *has_comma, size_t *len)
{
	char *end;

	if (*p != '{' || p[1] < '0' || p[1] > '9')
		return false;
	*lo = strtoul(p + 1, &end, 10);
	*has_comma = *end == ',';
	*hi = *lo;
	if (*has_comma) {
		end++;
		*hi = (*end >= '0' && *end <= '9') ? strtoul(end, &end, 10) : ULONG_MAX;
	}
	if (*end != '}')
		return false;
	*len = (size_t)(end + 1 - p);
	return true;
}

static char *relax_pattern(const char *pattern)
{
	size_t n = strlen(pattern);
	char *out = malloc(n * 2 + 16);
	size_t o = 0;
	bool in_class = false;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		unsigned long lo, hi;
		bool has_comma;
		size_t len;

		if (pattern[i] == '\\' && i + 1 < n) {
			out[o++] = pattern[i++];
			out[o++] = pattern[i++];
		} else if (in_class) {
			in_class = pattern[i] != ']';
			out[o++] = pattern[i++];
		} else if (pattern[i] == '[') {
			in_class = true;
			out[o++] = pattern[i++];
			/* A ']' first in a class (or after '^') is a literal, not the end. */
			if (pattern[i] == '^')
				out[o++] = pattern[i++];
			if (pattern[i] == ']')
				out[o++] = pattern[i++];
		} else if (parse_repeat(pattern + i, &lo, &hi, &has_comma, &len) &&
			   ((has_comma && hi != ULONG_MAX && hi > RELAX_MAX_UPPER) ||
			    (!has_comma && lo > RELAX_MAX_EXACT))) {
			o += (size_t)snprintf(out + o, 32, "{%lu,}", has_comma ? lo : RELAX_MAX_EXACT);
			i += len;
		} else {
			out[o++] = pattern[i++];
		}
	}
	out[o] = '\0';
	return out;
}

/*
 * For a rule with keywords, Hyperscan looks for the keywords alone, as case-insensitive literals.
 * A match only counts near a keyword anyway. Such rules are the generic-looking ones, like a
 * 32-character token next to a provider's name, and their full patterns have no literal for
 * Hyperscan to anchor on. Scanning for those patterns cost more than all other rules together.
 */
static char *keyword_pattern(const struct nhi_rule *rule)
{
	struct nhi_buf out = NHI_BUF_INIT;
	int error = nhi_buf_puts(&out, "(?i)(?:");

	for (size_t k = 0; k < rule->keyword_count && error == 0; k++) {
		if (k)
			error = nhi_buf_putc(&out, '|');
		for (const char *p = rule->keywords[k]; *p && error == 0; p++) {
			if (!isalnum((unsigned char)*p))
				error = nhi_buf_printf(&out, "\\x%02x", (unsigned char)*p);
			else
				error = nhi_buf_putc(&out, *p);
		}
	}
	if (error == 0)
		error = nhi_buf_putc(&out, ')');
	if (error < 0) {
		nhi_buf_dispose(&out);
		return NULL;
	}
	return nhi_buf_detach(&out);
}

/* Return the index of the ')' that closes the group opened by the '(' at pattern[open]. */
static size_t find_group_close(const char *pattern, size_t open)
{
	bool in_class = false;
	int depth = 0;

	for (size_t i = open; pattern[i]; i++) {
		if (pattern[i] == '\\' && pattern[i + 1]) {
			i++;
			continue;
		}
		if (in_class)
			in_class = pattern[i] != ']';
		else if (pattern[i] == '[')
			in_class = true;
		else if (pattern[i] == '(')
			depth++;
		else if (pattern[i] == ')' && --depth == 0)
			return i;
	}
	return SIZE_MAX;
}

/* Return the index of the '(' that opens the group closed by the ')' at pattern[close]. */
static size_t find_group_open(const char *pattern, size_t close)
{
	int depth = 0;

	for (size_t i = close + 1; i-- > 0;) {
		size_t slashes = 0;

		while (i > slashes && pattern[i - slashes - 1] == '\\')
			slashes++;
		if (slashes % 2)
			continue;
		if (pattern[i] == ')')
			depth++;
		else if (pattern[i] == '(' && --depth == 0)
			return i;
	}
	return SIZE_MAX;
}

/*
 * Drop what precedes the secret at the start of a Hyperscan pattern: a leading "\b", or a
 * leading group with "^" among its alternatives, such as "(?:^|[^A-Za-z0-9_.-])". The reported
 * end stays where it was, and the PCRE2 window starts one match width before it, so it still
 * contains the context. Such a test in front of a long repeat slows Hyperscan like one behind it.
 */
static void strip_leading_context(char *pattern)
{
	size_t close;

	if (strncmp(pattern, "\\b", 2) == 0) {
		memmove(pattern, pattern + 2, strlen(pattern + 2) + 1);
		return;
	}
	if (strncmp(pattern, "(?:^|", 5) != 0)
		return;
	close = find_group_close(pattern, 0);
	if (close != SIZE_MAX)
		memmove(pattern, pattern + close + 1, strlen(pattern + close + 1) + 1);
}

/* Length of a character class with its repeat at p ("[a-z0-9]{16}"), or 0 if there is none at p. */
static size_t class_atom_length(const char *p)
{
	unsigned long lo, hi;
	bool has_comma;
	size_t i = 1, len;

	if (p[0] != '[')
		return 0;
	if (p[i] == '^')
		i++;
	if (p[i] == ']')
		i++;
	for (; p[i] && p[i] != ']'; i++)
		if (p[i] == '\\' && p[i + 1])
			i++;
	if (p[i] != ']')
		return 0;
	i++;
	if (parse_repeat(p + i, &lo, &hi, &has_comma, &len))
		return i + len;
	return i + (p[i] == '+' || p[i] == '*' || p[i] == '?');
}

/*
 * Drop the character classes that a pattern starts with, inside its first group if it opens
 * with one: "([A-Za-z0-9]{14}\\.atlasv1\\." becomes "(\\.atlasv1\\.". Hyperscan then anchors
 * on the first literal, instead of running an automaton over every byte for a class that matches
 * most of them. Like the leading context, what is dropped stays inside the PCRE2 window.
 */
static void strip_leading_classes(char *pattern)
{
	char *p = pattern[0] == '(' && pattern[1] != '?' ? pattern + 1 : pattern;
	size_t skip = 0, len;

	while ((len = class_atom_length(p + skip)) > 0)
		skip += len;
	if (skip)
		memmove(p, p + skip, strlen(p + skip) + 1);
}

/*
 * Drop what follows the secret at the end of a Hyperscan pattern: a final "\b", or a final
 * group with "$" among its alternatives, such as "(?:[^A-Za-z0-9_-]|$)". Hyperscan then reports
 * the end of the secret instead of the end of the whole match, one character earlier at most.
 * PCRE2 still checks that context, since its window reaches one match width past the reported
 * end. Five rules with a class repeat next to such a test cost Hyperscan more than all other
 * rules together (docs/BENCHMARKS.md).
 */
static void strip_trailing_context(char *pattern)
{
	size_t n = strlen(pattern);
	size_t open;

	if (n > 2 && strcmp(pattern + n - 2, "\\b") == 0 && pattern[n - 3] != '\\') {
		pattern[n - 2] = '\0';
		return;
	}
	if (n < 4 || pattern[n - 1] != ')' || pattern[n - 2] != '$' || pattern[n - 3] != '|')
		return;
	open = find_group_open(pattern, n - 1);
	if (open != SIZE_MAX && open > 0 && strncmp(pattern + open, "(?:", 3) == 0)
		pattern[open] = '\0';
}

/* A pattern that Hyperscan accepts and that cannot match the empty string. */
static bool matches_something(const char *pattern)
{
	hs_expr_info_t *info = NULL;
	hs_compile_error_t *err = NULL;
	bool ok;

	if (hs_expression_info(pattern, HS_FLAGS, &info, &err) != HS_SUCCESS) {
		hs_free_compile_error(err);
		return false;
	}
	ok = info->min_width > 0;
	free(info);
	return ok;
}

static char *hyperscan_pattern(const struct nhi_rule *rule)
{
	char *pattern, *stripped;

	if (rule->prefilter)
		return strdup(rule->prefilter);
	if (rule->keyword_count)
		return keyword_pattern(rule);
	if (!(pattern = relax_pattern(rule->pattern)) || !(stripped = strdup(pattern)))
		return pattern;

	/* Keep the full pattern when the stripped one would be invalid or match nothing. */
	strip_trailing_context(stripped);
	strip_leading_context(stripped);
	strip_leading_classes(stripped);
	if (!matches_something(stripped)) {
		free(stripped);
		return pattern;
	}
	free(pattern);
	return stripped;
}

static void free_patterns(char **patterns, size_t count)
{
	for (size_t i = 0; patterns && i < count; i++)
		free(patterns[i]);
	free(patterns);
}

/* Compile the rules that select marks, or all of them when select is NULL, into one database. */
static int compile_database(hs_database_t **out, const struct nhi_rule_set *rules, const bool *select)
{
	char **patterns = calloc(rules->count, sizeof(*patterns));
	unsigned *flags = calloc(rules->count, sizeof(*flags));
	unsigned *ids = calloc(rules->count, sizeof(*ids));
	hs_compile_error_t *err = NULL;
	unsigned count = 0;
	int error = 0;

	if (!patterns || !flags || !ids) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < rules->count; i++) {
		if (select && !select[i])
			continue;
		if (!(patterns[count] = hyperscan_pattern(&rules->rules[i]))) {
			error = nhi_error_set(NHI_ENOMEM, "out of memory");
			goto done;
		}
		flags[count] = HS_FLAGS;
		ids[count++] = (unsigned)i;
	}

	if (hs_compile_multi((const char *const *)patterns, flags, ids, count, HS_MODE_BLOCK, NULL, out, &err) !=
	    HS_SUCCESS) {
		if (err->expression >= 0 && (unsigned)err->expression < count)
			err->expression = (int)ids[err->expression];
		error = describe_compile_error(rules, err);
	}

done:
	free_patterns(patterns, rules->count);
	free(flags);
	free(ids);
	return error;
}

static int build_database(nhi_matcher *matcher)
{
	unsigned char key[32];
	const char *dir = matcher->options.cache_dir;
	int error;

	compute_key(key, matcher->rules);
	if (dir && match_cache_load(&matcher->db, matcher->widths, matcher->rules->count, dir, key) == 0) {
		matcher->stats.cache_hit = true;
		return 0;
	}

	if ((error = measure_widths(matcher->widths, matcher->rules)) < 0)
		return error;
	if ((error = compile_database(&matcher->db, matcher->rules, NULL)) < 0)
		return error;

	/* A cache that cannot be written only costs the next run its start-up time. */
	if (dir && match_cache_store(dir, key, matcher->db, matcher->widths, matcher->rules->count) < 0)
		nhi_error_clear();
	return 0;
}

/*
 * Return how far back from a candidate's end the bytes reach that decide whether Hyperscan
 * reports it for rule i. That is the rule's width, or the width of its Hyperscan pattern when
 * that is bounded and shorter, as a keyword list or a short prefilter is.
 */
static size_t measure_reach(const nhi_matcher *matcher, size_t i)
{
	size_t reach = matcher->widths[i];
	hs_expr_info_t *info = NULL;
	hs_compile_error_t *err = NULL;
	char *pattern;

	if (reach <= NARROW_WIDTH || !(pattern = hyperscan_pattern(&matcher->rules->rules[i])))
		return reach;
	if (hs_expression_info(pattern, HS_FLAGS, &info, &err) == HS_SUCCESS) {
		if (info->max_width < reach)
			reach = info->max_width;
		free(info);
	} else {
		hs_free_compile_error(err);
	}
	free(pattern);
	return reach;
}

/*
 * Sort the rules into the two tiers of a delta search (see scan_delta()). Each tier's margin is
 * the context its candidates depend on: the farthest reach of its rules, plus the two bytes
 * that a boundary test or an anchor looks at.
 */
static void measure_margins(nhi_matcher *matcher)
{
	const struct nhi_rule_set *rules = matcher->rules;
	size_t narrow = 0, wide = 0;

	matcher->wide_count = 0;
	for (size_t i = 0; i < rules->count; i++) {
		size_t reach = measure_reach(matcher, i);

		for (size_t k = 0; k < rules->rules[i].keyword_count; k++)
			if (strlen(rules->rules[i].keywords[k]) > reach)
				reach = strlen(rules->rules[i].keywords[k]);
		matcher->wide[i] = reach > NARROW_WIDTH;
		matcher->wide_count += matcher->wide[i];
		if (matcher->wide[i] && reach > wide)
			wide = reach;
		else if (!matcher->wide[i] && reach > narrow)
			narrow = reach;
	}
	matcher->narrow_margin = narrow + 2;
	matcher->wide_margin = wide + 2;
}

/* Derive the cache key of the wide tier's database from the rule set's key. */
static void compute_wide_key(unsigned char key[32], const struct nhi_rule_set *rules)
{
	static const char salt[] = "wide tier";
	struct nhi_sha256 ctx;
	unsigned char full[32];

	compute_key(full, rules);
	nhi_sha256_init(&ctx);
	nhi_sha256_update(&ctx, full, sizeof(full));
	nhi_sha256_update(&ctx, salt, sizeof(salt));
	nhi_sha256_final(&ctx, key);
}

/* Load or compile the database of the wide tier's rules alone. */
static int build_wide_database(nhi_matcher *matcher)
{
	const char *dir = matcher->options.cache_dir;
	uint32_t *widths = calloc(matcher->wide_count ? matcher->wide_count : 1, sizeof(*widths));
	unsigned char key[32];
	size_t count = 0;
	int error = 0;

	if (!widths)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (size_t i = 0; i < matcher->rules->count; i++)
		if (matcher->wide[i])
			widths[count++] = matcher->widths[i];
	compute_wide_key(key, matcher->rules);
	if (dir && match_cache_load(&matcher->wide_db, widths, count, dir, key) == 0)
		goto done;
	if ((error = compile_database(&matcher->wide_db, matcher->rules, matcher->wide)) < 0)
		goto done;
	if (dir && match_cache_store(dir, key, matcher->wide_db, widths, count) < 0)
		nhi_error_clear();

done:
	free(widths);
	return error;
}

/* Build the wide tier's database on the first delta search; the result is kept, error or not. */
static int prepare_wide_database(nhi_matcher *matcher)
{
	int error;

	if (__atomic_load_n(&matcher->wide_state, __ATOMIC_ACQUIRE) != 0)
		return matcher->wide_state < 0 ? matcher->wide_error : 0;
	pthread_mutex_lock(&matcher->wide_lock);
	if (matcher->wide_state == 0) {
		measure_margins(matcher);
		error = matcher->wide_count ? build_wide_database(matcher) : 0;
		matcher->wide_error = error;
		__atomic_store_n(&matcher->wide_state, error < 0 ? -1 : 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&matcher->wide_lock);
	return matcher->wide_state < 0 ? matcher->wide_error : 0;
}

int match_matcher_new(nhi_matcher **out, const struct nhi_rule_set *rules,
		      const struct nhi_matcher_options *options)
{
	nhi_matcher *matcher = calloc(1, sizeof(*matcher));
	struct timespec start;
	int error = 0;

	clock_gettime(CLOCK_MONOTONIC, &start);
	if (!matcher)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if (rules->count == 0) {
		error = nhi_error_set(NHI_EINVALID, "no signatures are loaded; check NHISCAN_SIGNATURES_DIR and --signatures");
		goto done;
	}

	matcher->rules = rules;
	matcher->options = *options;
	pthread_mutex_init(&matcher->wide_lock, NULL);
	matcher->widths = calloc(rules->count, sizeof(*matcher->widths));
	matcher->patterns = calloc(rules->count, sizeof(*matcher->patterns));
	matcher->wide = calloc(rules->count, sizeof(*matcher->wide));
	if (!matcher->widths || !matcher->patterns || !matcher->wide) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}

	if ((error = build_database(matcher)) < 0)
		goto done;
	if (hs_alloc_scratch(matcher->db, &matcher->prototype) != HS_SUCCESS) {
		error = nhi_error_set(NHI_ENOMEM, "cannot allocate Hyperscan scratch space");
		goto done;
	}
	matcher->stats.build_ms = elapsed_ms(&start);

	*out = matcher;
	matcher = NULL;

done:
	match_matcher_free(matcher);
	return error;
}

void match_matcher_free(nhi_matcher *matcher)
{
	if (!matcher)
		return;
	hs_free_database(matcher->wide_db);
	free(matcher->wide);
	pthread_mutex_destroy(&matcher->wide_lock);
	if (matcher->patterns)
		for (size_t i = 0; i < matcher->rules->count; i++)
			pcre2_code_free(matcher->patterns[i].code);
	hs_free_scratch(matcher->prototype);
	hs_free_database(matcher->db);
	free(matcher->patterns);
	free(matcher->widths);
	free(matcher);
}

const struct nhi_matcher_stats *match_matcher_stats(const nhi_matcher *matcher)
{
	return &matcher->stats;
}

static int compile_pcre2(pcre2_code **out, int *secret_group, const struct nhi_rule *rule)
{
	int errcode;
	PCRE2_SIZE erroffset;
	PCRE2_UCHAR message[256];
	uint32_t captures = 0;
	pcre2_code *code;
	int named;

	code = pcre2_compile((PCRE2_SPTR)rule->pattern, PCRE2_ZERO_TERMINATED, PCRE2_FLAGS, &errcode,
			     &erroffset, NULL);
	if (!code) {
		pcre2_get_error_message(errcode, message, sizeof(message));
		return nhi_error_set(NHI_EINVALID, "%s:%zu: pattern of rule '%s' is invalid at offset %zu: %s",
				     rule->source_path, rule->source_line, rule->id, (size_t)erroffset,
				     (char *)message);
	}
	pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);

	named = pcre2_substring_number_from_name(code, (PCRE2_SPTR) "secret");
	pcre2_pattern_info(code, PCRE2_INFO_CAPTURECOUNT, &captures);
	*secret_group = named > 0 ? named : (captures > 0 ? 1 : 0);
	*out = code;
	return 0;
}

/* Compile the rule's PCRE2 pattern on first use; threads that race keep the first result. */
static int get_pattern(struct compiled_pattern **out, nhi_matcher *matcher, size_t rule_index)
{
	struct compiled_pattern *pattern = &matcher->patterns[rule_index];
	pcre2_code *code = __atomic_load_n(&pattern->code, __ATOMIC_ACQUIRE);
	pcre2_code *expected = NULL;
	int group = 0;
	int error;

	if (code) {
		*out = pattern;
		return 0;
	}
	if ((error = compile_pcre2(&code, &group, &matcher->rules->rules[rule_index])) < 0)
		return error;

	__atomic_store_n(&pattern->secret_group, group, __ATOMIC_RELAXED);
	if (!__atomic_compare_exchange_n(&pattern->code, &expected, code, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		pcre2_code_free(code);
	*out = pattern;
	return 0;
}

int match_check_pattern(const struct nhi_rule *rule)
{
	hs_expr_info_t *info = NULL;
	hs_compile_error_t *err = NULL;
	pcre2_code *code = NULL;
	int group;
	int error;

	if ((error = compile_pcre2(&code, &group, rule)) < 0)
		return error;
	pcre2_code_free(code);

	if (hs_expression_info(rule->pattern, HS_FLAGS, &info, &err) != HS_SUCCESS) {
		error = nhi_error_set(NHI_EINVALID, "%s:%zu: pattern of rule '%s' is not supported by Hyperscan: %s",
				      rule->source_path, rule->source_line, rule->id, err->message);
		hs_free_compile_error(err);
		return error;
	}
	if (info->max_width == UINT32_MAX)
		error = nhi_error_set(NHI_EINVALID, "%s:%zu: pattern of rule '%s' has no maximum width; bound every repetition, for example {1,200} instead of +",
				      rule->source_path, rule->source_line, rule->id);
	free(info);
	if (error == 0 && rule->prefilter && !matches_something(rule->prefilter))
		error = nhi_error_set(NHI_EINVALID, "%s:%zu: prefilter of rule '%s' is not a Hyperscan pattern that matches at least one character",
				      rule->source_path, rule->source_line, rule->id);
	return error;
}

/* Name the filter of passes_filters() that drops the match, or NULL when none does. */
static const char *name_dropping_filter(const struct nhi_rule *rule, const char *data, size_t len,
					const struct nhi_match *match)
{
	const char *secret = data + match->secret_start;
	size_t secret_len = match->secret_end - match->secret_start;

	if (match_is_placeholder(secret, secret_len))
		return "the value reads as a placeholder (see Placeholders in docs/SIGNATURES.md)";
	if (rule->entropy_min > 0 && match_entropy(secret, secret_len) < rule->entropy_min)
		return "the value's entropy is below the rule's 'entropy'";
	if (!match_has_keyword(rule, data, match->start, match->end))
		return "none of the rule's keywords is in the match or the 256 bytes before it";
	if (match_line_is_allowed(data, len, match->secret_start))
		return "its line carries an allow comment";
	return NULL;
}

int match_explain_miss(const struct nhi_rule *rule, const char *text, const char **reason)
{
	pcre2_match_data *data = NULL;
	pcre2_code *code = NULL;
	struct nhi_match match = { 0 };
	size_t len = strlen(text);
	int group, rc, error;

	*reason = "the pattern does not match it";
	if ((error = compile_pcre2(&code, &group, rule)) < 0)
		return error;
	if (!(data = pcre2_match_data_create_from_pattern(code, NULL))) {
		pcre2_code_free(code);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}

	rc = pcre2_match(code, (PCRE2_SPTR)text, len, 0, 0, data, NULL);
	if (rc > 0) {
		PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(data);

		if (group >= rc || ovector[2 * group] == PCRE2_UNSET)
			group = 0;
		match.start = ovector[0];
		match.end = ovector[1];
		match.secret_start = ovector[2 * group];
		match.secret_end = ovector[2 * group + 1];
		*reason = name_dropping_filter(rule, text, len, &match);
		if (!*reason)
			*reason = "a more specific rule's match overlaps it";
	}
	pcre2_match_data_free(data);
	pcre2_code_free(code);
	return 0;
}

int match_scratch_new(nhi_match_scratch **out, nhi_matcher *matcher)
{
	nhi_match_scratch *scratch = calloc(1, sizeof(*scratch));
	int error = 0;

	if (!scratch)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	scratch->matcher = matcher;
	scratch->match_data = pcre2_match_data_create(MATCH_GROUPS, NULL);
	scratch->match_context = pcre2_match_context_create(NULL);
	scratch->covered_until = calloc(matcher->rules->count, sizeof(size_t));
	scratch->open_run = calloc(matcher->rules->count, sizeof(size_t));
	if (!scratch->match_data || !scratch->match_context || !scratch->covered_until || !scratch->open_run) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	pcre2_set_match_limit(scratch->match_context, PCRE2_MATCH_LIMIT);

	if (hs_clone_scratch(matcher->prototype, &scratch->hs) != HS_SUCCESS) {
		error = nhi_error_set(NHI_ENOMEM, "cannot allocate Hyperscan scratch space");
		goto done;
	}

	*out = scratch;
	scratch = NULL;

done:
	match_scratch_free(scratch);
	return error;
}

void match_scratch_free(nhi_match_scratch *scratch)
{
	if (!scratch)
		return;
	hs_free_scratch(scratch->hs);
	pcre2_match_data_free(scratch->match_data);
	pcre2_match_context_free(scratch->match_context);
	free(scratch->covered_until);
	free(scratch->open_run);
	match_candidates_dispose(&scratch->delta_candidates);
	match_candidates_dispose(&scratch->narrow_candidates);
	match_candidates_dispose(&scratch->wide_candidates);
	free(scratch);
}

static int push_match(struct nhi_match_list *list, const struct nhi_match *match)
{
	int error;

	if ((error = nhi_array_reserve(&list->items, &list->alloc, list->count + 1, sizeof(*list->items))) < 0)
		return error;
	list->items[list->count++] = *match;
	return 0;
}

void match_list_clear(struct nhi_match_list *list)
{
	list->count = 0;
}

void match_list_dispose(struct nhi_match_list *list)
{
	free(list->items);
	memset(list, 0, sizeof(*list));
}

/* Apply the checks of filter.h; returns true when the match should be reported. */
static bool passes_filters(const struct nhi_rule *rule, const char *data, size_t len,
			   const struct nhi_match *match)
{
	const char *secret = data + match->secret_start;
	size_t secret_len = match->secret_end - match->secret_start;

	if (match_is_placeholder(secret, secret_len))
		return false;
	if (rule->entropy_min > 0 && match_entropy(secret, secret_len) < rule->entropy_min)
		return false;
	if (!match_has_keyword(rule, data, match->start, match->end))
		return false;
	return !match_line_is_allowed(data, len, match->secret_start);
}

/* Turn the PCRE2 match in the scratch's match data into a reported match, if it passes. */
static int report_match(nhi_match_scratch *scratch, size_t rule_index, struct compiled_pattern *pattern,
			int rc)
{
	const struct nhi_rule *rule = &scratch->matcher->rules->rules[rule_index];
	PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(scratch->match_data);
	int group = __atomic_load_n(&pattern->secret_group, __ATOMIC_RELAXED);
	struct nhi_match match;

	if (group >= rc || ovector[2 * group] == PCRE2_UNSET)
		group = 0;

	match.rule = rule_index;
	match.start = ovector[0];
	match.end = ovector[1];
	match.secret_start = ovector[2 * group];
	match.secret_end = ovector[2 * group + 1];
	match.validated = -1;
	if (match.secret_end <= match.secret_start)
		return 0;

	if (!scratch->matcher->options.keep_filtered &&
	    !passes_filters(rule, scratch->data, scratch->len, &match))
		return 0;
	if (rule->validator != NHI_VALIDATOR_NONE)
		match.validated = match_validate(rule->validator, scratch->data + match.secret_start,
						 match.secret_end - match.secret_start);
	return push_match(scratch->out, &match);
}

/* A pattern hit ending at `end`: the match ends there, so it starts at most one width before. */
static int confirm_pattern_hit(nhi_match_scratch *scratch, size_t rule_index, size_t end)
{
	nhi_matcher *matcher = scratch->matcher;
	size_t width = matcher->widths[rule_index];
	size_t window_start = end > width ? end - width : 0;
	size_t reach = end + width + CONFIRM_LOOKAHEAD * width;
	size_t subject_len = reach < scratch->len ? reach : scratch->len;
	size_t *covered = &scratch->covered_until[rule_index];
	struct compiled_pattern *pattern;
	PCRE2_SIZE *ovector;
	int rc, error;

	if (window_start < *covered)
		window_start = *covered;
	if ((error = get_pattern(&pattern, matcher, rule_index)) < 0)
		return error;

	rc = pcre2_match(pattern->code, (PCRE2_SPTR)scratch->data, subject_len, window_start, 0,
			 scratch->match_data, scratch->match_context);
	ovector = pcre2_get_ovector_pointer(scratch->match_data);

	/*
	 * PCRE2 returns the leftmost match, and any match that starts at least one width before
	 * the subject's end fits in the subject. So when none is found, or one only at or after
	 * `end`, no match starts before that point, and later hits of this rule that end there
	 * need no search. Long runs of characters that end a Hyperscan match at every byte, like
	 * base64 padding, then cost one search per CONFIRM_LOOKAHEAD widths instead of one per byte.
	 */
	if (rc == PCRE2_ERROR_NOMATCH) {
		size_t searched = subject_len == scratch->len ? subject_len : subject_len - width;

		if (*covered < searched)
			*covered = searched;
		return 0;
	}
	if (rc >= 0 && ovector[0] >= end) {
		if (*covered < ovector[0])
			*covered = ovector[0];
		return 0;
	}
	if (rc < 0 || ovector[1] <= ovector[0])
		return 0;
	*covered = ovector[1];
	return report_match(scratch, rule_index, pattern, rc);
}

/*
 * A keyword hit ending at `end`: a match may contain the keyword or start up to KEYWORD_WINDOW
 * bytes after it, so every PCRE2 match in that stretch is a candidate.
 */
static int confirm_keyword_hit(nhi_match_scratch *scratch, size_t rule_index, size_t end)
{
	nhi_matcher *matcher = scratch->matcher;
	size_t width = matcher->widths[rule_index];
	size_t last_start = end + MATCH_KEYWORD_WINDOW;
	size_t offset = end > width ? end - width : 0;
	size_t subject_len = last_start + width < scratch->len ? last_start + width : scratch->len;
	struct compiled_pattern *pattern;
	int error;

	if (offset < scratch->covered_until[rule_index])
		offset = scratch->covered_until[rule_index];
	if ((error = get_pattern(&pattern, matcher, rule_index)) < 0)
		return error;

	while (offset < subject_len) {
		int rc = pcre2_match(pattern->code, (PCRE2_SPTR)scratch->data, subject_len, offset, 0,
				     scratch->match_data, scratch->match_context);
		PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(scratch->match_data);

		if (rc < 0 || ovector[0] > last_start)
			break;
		offset = ovector[1] > ovector[0] ? ovector[1] : ovector[0] + 1;
		scratch->covered_until[rule_index] = offset;
		if (ovector[1] > ovector[0] && (error = report_match(scratch, rule_index, pattern, rc)) < 0)
			return error;
	}
	/* Later hits of this keyword need not search again what this one covered. */
	if (scratch->covered_until[rule_index] < last_start)
		scratch->covered_until[rule_index] = last_start;
	return 0;
}

/*
 * Return true when Hyperscan searches the rule's keywords, so that a candidate ends at a
 * keyword and the match may start after it. A rule with a prefilter as well is searched by
 * the prefilter, and its keywords only filter the matches.
 */
static bool hits_keywords(const struct nhi_rule *rule)
{
	return rule->keyword_count && !rule->prefilter;
}

static int confirm_candidate(nhi_match_scratch *scratch, size_t rule_index, size_t end)
{
	if (hits_keywords(&scratch->matcher->rules->rules[rule_index]))
		return confirm_keyword_hit(scratch, rule_index, end);
	return confirm_pattern_hit(scratch, rule_index, end);
}

/*
 * Add the candidates of rule ending at every offset from first to last to list, extending the
 * rule's last run when it can.
 */
static int record_candidate(struct nhi_match_candidates *list, size_t *open_run, uint32_t rule, uint32_t first,
			    uint32_t last)
{
	size_t open = open_run[rule];
	int error;

	if (open && list->items[open - 1].last + 1 == first &&
	    last - list->items[open - 1].first < MATCH_CANDIDATE_RUN) {
		list->items[open - 1].last = last;
		return 0;
	}
	if ((error = nhi_array_reserve(&list->items, &list->alloc, list->count + 1, sizeof(*list->items))) < 0)
		return error;
	list->items[list->count++] = (struct nhi_match_candidate){ rule, first, last };
	open_run[rule] = list->count;
	return 0;
}

/* Confirm a candidate of rule id ending at end, unless it is disabled or already covered. */
static int take_candidate(nhi_match_scratch *scratch, unsigned id, size_t end)
{
	const bool *disabled = scratch->matcher->options.disabled;

	if (disabled && disabled[id])
		return 0;
	if (end <= scratch->covered_until[id] && !hits_keywords(&scratch->matcher->rules->rules[id]))
		return 0;
	return confirm_candidate(scratch, id, end);
}

static int on_hyperscan_match(unsigned int id, unsigned long long from, unsigned long long to,
			      unsigned int flags, void *context)
{
	nhi_match_scratch *scratch = context;

	(void)from;
	(void)flags;
	if (scratch->keep &&
	    (scratch->error = record_candidate(scratch->keep, scratch->open_run, id, (uint32_t)to, (uint32_t)to)) < 0)
		return 1;
	scratch->error = take_candidate(scratch, id, (size_t)to);
	return scratch->error < 0 ? 1 : 0;
}

static int compare_matches(const void *a, const void *b)
{
	const struct nhi_match *x = a, *y = b;

	if (x->secret_start != y->secret_start)
		return x->secret_start < y->secret_start ? -1 : 1;
	if (x->secret_end != y->secret_end)
		return x->secret_end > y->secret_end ? -1 : 1;
	return x->rule < y->rule ? -1 : (x->rule > y->rule);
}

/* Which of two overlapping matches to drop: a generic rule yields to a specific one, a shorter
 * secret to a longer one, and an equal one to the rule listed first. */
static bool loses_to(const struct nhi_rule_set *rules, const struct nhi_match *a,
		     const struct nhi_match *b)
{
	bool a_generic = rules->rules[a->rule].generic;
	bool b_generic = rules->rules[b->rule].generic;
	size_t a_len = a->secret_end - a->secret_start;
	size_t b_len = b->secret_end - b->secret_start;

	if (a_generic != b_generic)
		return a_generic;
	if (a_len != b_len)
		return a_len < b_len;
	return a->rule > b->rule;
}

/* Drop matches whose secret overlaps a stronger match; the list is sorted by secret offset. */
static void resolve_overlaps(const struct nhi_rule_set *rules, struct nhi_match_list *list, size_t first)
{
	size_t n = list->count - first;
	struct nhi_match *items = list->items + first;
	bool *dropped = calloc(n ? n : 1, sizeof(bool));
	size_t kept = 0;

	if (!dropped)
		return;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = i + 1; j < n && items[j].secret_start < items[i].secret_end; j++) {
			if (dropped[i] || dropped[j])
				continue;
			if (loses_to(rules, &items[j], &items[i]))
				dropped[j] = true;
			else
				dropped[i] = true;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (!dropped[i])
			items[kept++] = items[i];
	list->count = first + kept;
	free(dropped);
}

/* Start a scan of data: no rule has covered anything, and no run is open. */
static void begin_scan(nhi_match_scratch *scratch, const char *data, size_t len, struct nhi_match_list *out,
		       struct nhi_match_candidates *keep)
{
	size_t rules = scratch->matcher->rules->count;

	memset(scratch->covered_until, 0, rules * sizeof(size_t));
	memset(scratch->open_run, 0, rules * sizeof(size_t));
	scratch->data = data;
	scratch->len = len;
	scratch->out = out;
	scratch->keep = keep;
	scratch->error = 0;
	if (keep)
		keep->count = 0;
}

static int check_hyperscan(nhi_match_scratch *scratch, hs_error_t rc)
{
	if (scratch->error < 0)
		return scratch->error;
	if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED)
		return nhi_error_set(NHI_ERROR, "Hyperscan scan failed with code %d", (int)rc);
	return 0;
}

/* One pass of a delta search: the rules of one width class and their database. */
struct delta_tier {
	const hs_database_t *db;
	size_t margin;  /* context before a candidate's end: the widest rule of the class, plus 2 */
	bool wide;
	struct nhi_match_candidates *list;
};

/* A candidate of a window search: kept when its rule is of the tier and it ends in the window's own stretch. */
static int on_window_match(unsigned int id, unsigned long long from, unsigned long long to,
			   unsigned int flags, void *context)
{
	nhi_match_scratch *scratch = context;
	size_t end = scratch->window_start + (size_t)to;

	(void)from;
	(void)flags;
	if (end < scratch->window_first || end > scratch->window_last ||
	    scratch->matcher->wide[id] != scratch->tier->wide)
		return 0;
	scratch->error = record_candidate(scratch->tier->list, scratch->open_run, id, (uint32_t)end, (uint32_t)end);
	return scratch->error < 0 ? 1 : 0;
}

/*
 * Search with Hyperscan for the candidates of the tier that end between first and last, with the
 * tier's margin of bytes before first and two after last as their context.
 */
static int search_window(nhi_match_scratch *scratch, size_t first, size_t last)
{
	size_t margin = scratch->tier->margin;
	size_t start = first > margin ? first - margin : 0;
	size_t stop = last + 2 < scratch->len ? last + 2 : scratch->len;
	hs_error_t rc;

	scratch->window_start = start;
	scratch->window_first = first;
	scratch->window_last = last;
	rc = hs_scan(scratch->tier->db, scratch->data + start, (unsigned)(stop - start), 0, scratch->hs,
		     on_window_match, scratch);
	return check_hyperscan(scratch, rc);
}

/* Index of the first base run that may reach offset `from`: runs are ordered and bounded. */
static size_t find_first_run(const struct nhi_match_candidates *base, size_t from)
{
	size_t lo = 0, hi = base->count;
	size_t floor = from > MATCH_CANDIDATE_RUN ? from - MATCH_CANDIDATE_RUN : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (base->items[mid].first < floor)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Take the base's candidates of the tier that end between first and last of copy's target, moved there. */
static int inherit_candidates(nhi_match_scratch *scratch, const struct nhi_match_candidates *base,
			      const struct nhi_copy_span *copy, size_t first, size_t last)
{
	size_t source_first = copy->source + (first - copy->target);
	size_t source_last = copy->source + (last - copy->target);
	int error;

	for (size_t i = find_first_run(base, source_first); i < base->count; i++) {
		const struct nhi_match_candidate *run = &base->items[i];
		size_t from = run->first > source_first ? run->first : source_first;
		size_t to = run->last < source_last ? run->last : source_last;

		if (run->first > source_last)
			break;
		if (from > to || scratch->matcher->wide[run->rule] != scratch->tier->wide)
			continue;
		from = from - copy->source + copy->target;
		to = to - copy->source + copy->target;
		if ((error = record_candidate(scratch->tier->list, scratch->open_run, run->rule, (uint32_t)from,
					      (uint32_t)to)) < 0)
			return error;
	}
	return 0;
}

/*
 * Collect the candidates of one tier of a delta. The ends that lie a full margin inside a copied
 * stretch, and two bytes before its end, come from the base. Every other end is searched again.
 */
static int collect_tier(nhi_match_scratch *scratch, const struct nhi_match_delta *delta,
			const struct delta_tier *tier)
{
	size_t dirty_from = 1;
	int error;

	scratch->tier = tier;
	tier->list->count = 0;
	for (size_t i = 0; i < delta->copy_count; i++) {
		const struct nhi_copy_span *copy = &delta->copies[i];
		size_t first = copy->target + tier->margin, last;

		if (copy->length < tier->margin + 2 + 1 || copy->target + copy->length > scratch->len)
			continue;
		last = copy->target + copy->length - 2;
		if (first > dirty_from && (error = search_window(scratch, dirty_from, first - 1)) < 0)
			return error;
		if ((error = inherit_candidates(scratch, delta->base, copy, first, last)) < 0)
			return error;
		dirty_from = last + 1;
	}
	if (dirty_from <= scratch->len)
		return search_window(scratch, dirty_from, scratch->len);
	return 0;
}

/* Merge two candidate lists, each in the order of first offsets, into out. */
static int merge_candidates(struct nhi_match_candidates *out, const struct nhi_match_candidates *a,
			    const struct nhi_match_candidates *b)
{
	size_t i = 0, j = 0;
	int error;

	if ((error = nhi_array_reserve(&out->items, &out->alloc, a->count + b->count, sizeof(*out->items))) < 0)
		return error;
	out->count = 0;
	while (i < a->count || j < b->count) {
		if (j == b->count || (i < a->count && a->items[i].first <= b->items[j].first))
			out->items[out->count++] = a->items[i++];
		else
			out->items[out->count++] = b->items[j++];
	}
	return 0;
}

/* Confirm every collected candidate, as the Hyperscan callback does for a whole search. */
static int confirm_collected(nhi_match_scratch *scratch, const struct nhi_match_candidates *list)
{
	int error;

	for (size_t i = 0; i < list->count; i++) {
		const struct nhi_match_candidate *run = &list->items[i];

		for (size_t end = run->first; end <= run->last; end++) {
			if ((error = take_candidate(scratch, run->rule, end)) < 0)
				return error;
			/* Ends up to what the rule's last search covered need no search. */
			if (!hits_keywords(&scratch->matcher->rules->rules[run->rule]) &&
			    scratch->covered_until[run->rule] > end)
				end = scratch->covered_until[run->rule] < run->last ? scratch->covered_until[run->rule]
										    : run->last;
		}
	}
	return 0;
}

/* Build the wide tier's database if needed, and make the scratch large enough for it. */
static int prepare_wide_scratch(nhi_match_scratch *scratch)
{
	nhi_matcher *matcher = scratch->matcher;
	int error;

	if (scratch->has_wide_space)
		return 0;
	if ((error = prepare_wide_database(matcher)) < 0)
		return error;
	if (matcher->wide_db && hs_alloc_scratch(matcher->wide_db, &scratch->hs) != HS_SUCCESS)
		return nhi_error_set(NHI_ENOMEM, "cannot allocate Hyperscan scratch space");
	scratch->has_wide_space = true;
	return 0;
}

/*
 * Search a delta in two tiers. Most rules are narrow, so their windows around each change are
 * short. Rules wider than NARROW_WIDTH with no short prefilter search longer windows with a
 * database of their own. A tier keeps only its own rules' candidates, from its windows and
 * from the base.
 */
static int scan_delta(nhi_match_scratch *scratch, const struct nhi_match_delta *delta,
		      struct nhi_match_candidates *keep)
{
	nhi_matcher *matcher = scratch->matcher;
	struct nhi_match_candidates *list = keep ? keep : &scratch->delta_candidates;
	struct delta_tier narrow = { matcher->db, matcher->narrow_margin, false, &scratch->narrow_candidates };
	struct delta_tier wide = { matcher->wide_db, matcher->wide_margin, true, &scratch->wide_candidates };
	int error;

	wide.list->count = 0;
	if ((error = collect_tier(scratch, delta, &narrow)) < 0 ||
	    (matcher->wide_db && (error = collect_tier(scratch, delta, &wide)) < 0) ||
	    (error = merge_candidates(list, narrow.list, wide.list)) < 0)
		return error;
	return confirm_collected(scratch, list);
}

/* Order the matches appended since first and drop the weaker of overlapping ones. */
static void finish_matches(const nhi_matcher *matcher, struct nhi_match_list *out, size_t first)
{
	if (out->count == first)
		return;
	qsort(out->items + first, out->count - first, sizeof(*out->items), compare_matches);
	if (!matcher->options.keep_overlaps)
		resolve_overlaps(matcher->rules, out, first);
}

int match_scan_delta(nhi_matcher *matcher, nhi_match_scratch *scratch, const char *data, size_t len,
		     const struct nhi_match_delta *delta, struct nhi_match_candidates *keep,
		     struct nhi_match_list *out)
{
	size_t first = out->count;
	int error;

	/* Hyperscan takes an unsigned int length; larger buffers are rejected by the caller's limit. */
	if (len > UINT32_MAX)
		return nhi_error_set(NHI_EINVALID, "buffer of %zu bytes is too large to scan", len);

	begin_scan(scratch, data, len, out, keep);
	if (delta && delta->base) {
		if ((error = prepare_wide_scratch(scratch)) < 0)
			return error;
		error = scan_delta(scratch, delta, keep);
	} else {
		hs_error_t rc = hs_scan(matcher->db, data, (unsigned)len, 0, scratch->hs, on_hyperscan_match, scratch);

		error = check_hyperscan(scratch, rc);
	}
	if (error < 0)
		return error;
	finish_matches(matcher, out, first);
	return 0;
}

int match_scan(nhi_matcher *matcher, nhi_match_scratch *scratch, const char *data, size_t len,
	       struct nhi_match_list *out)
{
	return match_scan_delta(matcher, scratch, data, len, NULL, NULL, out);
}

void match_candidates_dispose(struct nhi_match_candidates *candidates)
{
	free(candidates->items);
	memset(candidates, 0, sizeof(*candidates));
}
