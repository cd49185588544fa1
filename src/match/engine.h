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
#include "util/span.h"

#include <stdint.h>

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

/*
 * A run of Hyperscan candidates for one rule: a match of its prefilter ends at every offset
 * from first to last. A long run, such as the one a stretch of base64 gives, is split every
 * MATCH_CANDIDATE_RUN offsets, so that a search by offset can start near its target.
 */
#define MATCH_CANDIDATE_RUN 4096
struct nhi_match_candidate {
	uint32_t rule;
	uint32_t first, last;
};

/* Candidates of one buffer, in the order of their first offset. */
struct nhi_match_candidates {
	struct nhi_match_candidate *items;
	size_t count;
	size_t alloc;
};

/* The stretches that a buffer shares with a base buffer scanned before, for match_scan_delta(). */
struct nhi_match_delta {
	const struct nhi_match_candidates *base; /* kept when the base was scanned */
	const struct nhi_copy_span *copies;      /* in target order, not overlapping */
	size_t copy_count;
};

/*
 * Search like match_scan(), with two additions. With keep, store the candidates of data there,
 * for a delta of data scanned later. With delta, Hyperscan searches only near the bytes that
 * data does not share with the base, and the base's candidates are used for the rest. A
 * candidate that matters ends a prefilter match no longer than the rule's width (or than a
 * bounded prefilter's own width). It depends only on that many bytes before it and two after,
 * so the matches are those of a whole search.
 *
 * NOTE: a derived prefilter without an upper bound can also end a match longer than the rule's
 * width. Such a candidate is kept only when it lies near a change, but PCRE2 could not confirm
 * a match farther back than one width from it anyway, and a shorter candidate inside every
 * confirmed match stands for it. tests/unit/match/test_delta.c compares both searches.
 */
int match_scan_delta(nhi_matcher *matcher, nhi_match_scratch *scratch, const char *data, size_t len,
		     const struct nhi_match_delta *delta, struct nhi_match_candidates *keep,
		     struct nhi_match_list *out);

void match_candidates_dispose(struct nhi_match_candidates *candidates);

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
