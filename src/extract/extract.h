/*
 * Configuration extractors: GitHub Actions and other CI pipelines, MCP and agent client configs,
 * and OAuth scope declarations. The scan calls extract_file() for every text file after the
 * signature matcher; each extractor decides from the path (and cheaply from the content) whether
 * the file is one of its own, and appends facts for the inventory and findings for risky facts.
 */
#ifndef NHI_EXTRACT_EXTRACT_H
#define NHI_EXTRACT_EXTRACT_H

#include <stdbool.h>
#include <stddef.h>

#include "util/vec.h"

struct nhi_extract_output {
	struct nhi_vec *findings; /* struct nhi_finding * */
	struct nhi_vec *facts;    /* struct nhi_fact * */
	struct nhi_vec *warnings; /* char *: "path:line: problem" for malformed files */
};

/*
 * Extract from one file (path relative to the scan root). A malformed file is a warning, not an
 * error. Only running out of memory fails, or a missing or invalid OAuth scope data file
 * (signatures/oauth-scopes.yml), which is a broken installation rather than a bad input.
 * Callers may run it on many threads at once; see docs/FACTS.md for the facts it appends.
 */
int extract_file(const struct nhi_extract_output *out, const char *path, const char *data, size_t len);

#endif
