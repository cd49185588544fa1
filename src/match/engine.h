/*
 * The matcher: one Hyperscan database for every rule finds candidates in a single pass, and
 * PCRE2 confirms each candidate on a window around it and extracts the secret. The database is
 * built once and cached on disk by the rule set's content hash (see cache.c); PCRE2 patterns are
 * compiled on first use, so a scan that hits three rules compiles three patterns.
 *
 * A matcher is immutable after match_matcher_new() and shared by all threads; each thread owns
 * a scratch from match_scratch_new().
 */
#ifndef NHI_MATCH_ENGINE_H
#define NHI_MATCH_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "config/rules.h"

typedef struct nhi_matcher nhi_matcher;
typedef struct nhi_match_scratch nhi_match_scratch;

struct nhi_match {
	size_t rule;         /* index in the rule set */
	size_t start, end;   /* the whole match, byte offsets */
	size_t secret_start; /* the secret inside it */
	size_t secret_end;
	int validated;       /* -1 when the rule has no validator, else 0 or 1 */
};

struct nhi_match_list {
	struct nhi_match *items;
	size_t count;
	size_t alloc;
};

struct nhi_matcher_options {
	const char *cache_dir; /* NULL: do not cache the compiled database */
	bool keep_overlaps;    /* report every rule's match even where a more specific rule matched */
	bool keep_filtered;    /* skip placeholder, entropy, keyword and allow-comment checks */
	const bool *disabled;  /* optional, one flag per rule: skip that rule */
};

struct nhi_matcher_stats {
	bool cache_hit;
	double build_ms;       /* time to compile or load the database */
};

int match_matcher_new(nhi_matcher **out, const struct nhi_rule_set *rules,
		      const struct nhi_matcher_options *options);
void match_matcher_free(nhi_matcher *matcher);
const struct nhi_matcher_stats *match_matcher_stats(const nhi_matcher *matcher);

int match_scratch_new(nhi_match_scratch **out, nhi_matcher *matcher);
void match_scratch_free(nhi_match_scratch *scratch);

/* Append the matches found in data to out, ordered by secret offset. */
int match_scan(nhi_matcher *matcher, nhi_match_scratch *scratch, const char *data, size_t len,
	       struct nhi_match_list *out);

/* Compile one rule's pattern in PCRE2 and Hyperscan; for `signatures check`. */
int match_check_pattern(const struct nhi_rule *rule);

/*
 * Say in *reason why rule finds nothing in text, for `signatures check`: its pattern does not
 * match, or a filter drops the match (placeholder, entropy, keyword, allow comment). Returns 0,
 * or a negative error code when the pattern does not compile.
 */
int match_explain_miss(const struct nhi_rule *rule, const char *text, const char **reason);

void match_list_clear(struct nhi_match_list *list);
void match_list_dispose(struct nhi_match_list *list);

#endif
