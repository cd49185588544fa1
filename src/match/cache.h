/*
 * On-disk cache of the compiled Hyperscan database. Compiling a few hundred patterns takes
 * seconds, far too long for a pre-commit hook, so the serialized database is stored under a name
 * derived from the rule set's content hash and the engine version. A file that is missing,
 * truncated, from another Hyperscan version or another CPU is ignored and rebuilt.
 */
#ifndef NHI_MATCH_CACHE_H
#define NHI_MATCH_CACHE_H

#include <hs/hs.h>
#include <stddef.h>
#include <stdint.h>

/* Return the cache folder: $XDG_CACHE_HOME/nhiscan, else $HOME/.cache/nhiscan, else NULL. */
char *match_cache_default_dir(void);

/* Load the database for key; returns NHI_ENOTFOUND on any miss, without a message worth showing. */
int match_cache_load(hs_database_t **out_db, uint32_t *widths, size_t count, const char *dir,
		     const unsigned char key[32]);

/* Store the database for key; failures are returned but callers may ignore them. */
int match_cache_store(const char *dir, const unsigned char key[32], const hs_database_t *db,
		      const uint32_t *widths, size_t count);

#endif
