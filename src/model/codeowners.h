/*
 * CODEOWNERS: who owns which paths of a repository. The file is looked for where GitHub looks,
 * in this order, and the first one found is used: .github/CODEOWNERS, CODEOWNERS,
 * docs/CODEOWNERS, then GitLab's .gitlab/CODEOWNERS. Each line is a pattern and its owners
 * (@user, @org/team or an e-mail address). For a path, the last line whose pattern matches
 * decides, so a matching line without owners leaves the path without an owner.
 *
 * Patterns follow gitignore: a pattern without a '/' (other than a trailing one) matches at any
 * depth; a leading or inner '/' anchors it at the root; a trailing '/' matches folders only; a
 * pattern that matches a folder matches everything under it, except that a pattern ending in a
 * slash and a star matches only the files directly in that folder, as GitHub documents; '*' and
 * '?' stay inside one path component, '**' spans components, and [a-z] is a class. GitLab's
 * [Section] headers are skipped.
 */
#ifndef NHI_MODEL_CODEOWNERS_H
#define NHI_MODEL_CODEOWNERS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/vec.h"

struct model_codeowners_rule {
	char *pattern;
	struct nhi_vec owners; /* char * */
	size_t line;
};

struct model_codeowners {
	char *path;            /* the file read, relative to the root; NULL when there is none */
	struct nhi_vec rules;  /* struct model_codeowners_rule *, in file order */
};

/* Load the CODEOWNERS file of the repository at root; no file leaves out empty, not an error. */
int model_codeowners_load(struct model_codeowners *out, const char *root);

/* Parse the text of a CODEOWNERS file; path names it in out->path. */
int model_codeowners_parse(struct model_codeowners *out, const char *path, const char *data, size_t len);

/* Return the rule that decides path (relative, '/'-separated), or NULL when none matches. */
const struct model_codeowners_rule *model_codeowners_match(const struct model_codeowners *codeowners,
							   const char *path);

/* Return true when a CODEOWNERS pattern matches path. */
bool model_codeowners_pattern_matches(const char *pattern, const char *path);

void model_codeowners_dispose(struct model_codeowners *codeowners);

#endif
