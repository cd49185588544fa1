/*
 * The OAuth scope table of signatures/oauth-scopes.yml, and the oauth.scope facts and
 * oauth.high-risk-scope findings made from it.
 *
 * The table is loaded once per process, on first use, from $NHISCAN_SIGNATURES_DIR when that
 * variable is set and names a folder with the file, and from the copy compiled into the binary
 * otherwise. After loading it is read-only, so every scan thread uses it without locks.
 */
#ifndef NHI_EXTRACT_SCOPES_H
#define NHI_EXTRACT_SCOPES_H

#include <stddef.h>

#include "config/rules.h"
#include "extract/emit.h"

/* The data file's name, relative to the repository and to $NHISCAN_SIGNATURES_DIR. */
#define EXTRACT_SCOPES_FILE "signatures/oauth-scopes.yml"

struct extract_scope {
	const char *scope;
	const char *provider;
	enum nhi_severity risk; /* LOW, MEDIUM or HIGH */
	const char *reason;
	size_t line;            /* in the data file */
};

/*
 * Find the entries for scope[0, len): *out points at the first of *count consecutive entries
 * (several when providers share a name), or *count is 0 for an unknown scope. provider, when
 * not NULL, keeps only that provider's entries. Fails only when the data file is missing from
 * the binary or invalid, with a "signatures/oauth-scopes.yml:line: ..." message.
 */
int extract_scopes_find(const struct extract_scope **out, size_t *count, const char *scope, size_t len,
			const char *provider);

/*
 * Record one requested scope: an oauth.scope fact and, for a high-risk scope, an
 * oauth.high-risk-scope finding. entries/count come from extract_scopes_find(); with count 0
 * the scope is recorded with risk "unknown" under fallback_provider. source names where the
 * scope was read ("text", "slack-manifest", "github-app-manifest").
 */
int extract_scope_record(const struct extract_file *file, const char *scope, const struct extract_scope *entries,
			 size_t count, const char *fallback_provider, const char *source,
			 struct parse_pos start, struct parse_pos end);

#endif
