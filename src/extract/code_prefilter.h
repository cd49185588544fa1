/*
 * The cheap test that decides whether a source file is worth parsing. One Hyperscan database of
 * expressions (agent framework and SDK names, MCP, environment lookups, and a credential-like
 * name assigned a literal) is scanned once over the file and stops at the first hit that counts.
 * The database is built once and shared, and each thread brings its own scratch.
 */
#ifndef NHI_EXTRACT_CODE_PREFILTER_H
#define NHI_EXTRACT_CODE_PREFILTER_H

#include <stdbool.h>
#include <stddef.h>

struct code_prefilter_scratch;

/*
 * Load the database from cache_dir (the rule cache folder, or NULL for none), or compile it and
 * store it there. Call once, before any match.
 */
int code_prefilter_build(const char *cache_dir);

/*
 * Set *out to true when data matches one of the expressions. *scratch is the calling thread's
 * scratch: NULL on the first call, allocated here and kept by the caller.
 */
int code_prefilter_match(bool *out, struct code_prefilter_scratch **scratch, const char *data, size_t len);

void code_prefilter_scratch_free(struct code_prefilter_scratch *scratch);

#endif
