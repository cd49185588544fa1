/*
 * What a commit or the index adds: the file versions it writes, each with the versions it
 * replaces, and the line numbers that are new in it. The staged and range modes scan each new
 * version whole and keep only the findings on added lines. A secret that was already there is
 * therefore not reported again, and a finding's line and column are those of the new file.
 *
 * Renames are detected (as git does by default), so a file that moves without changes adds
 * nothing. For a merge, a line counts as added only when it is new relative to every parent,
 * as in git's combined diff: a merge reports what its resolution introduced, not what it merged.
 */
#ifndef NHI_GIT_DIFF_H
#define NHI_GIT_DIFF_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "git/warnings.h"
#include "util/vec.h"

/* One file version that a commit or the index adds. */
struct nhi_git_change {
	char *path;
	git_oid blob;
	git_oid *bases;      /* versions it replaces: only lines new relative to each of them count */
	size_t base_count;   /* 0: every line is new */
	uint32_t commit;     /* caller's index of the commit, or NHI_GIT_NO_COMMIT for the index */
};

void nhi_git_change_free(void *change);

/*
 * Append a struct nhi_git_change * to out for each file that the index adds or changes relative
 * to HEAD; with no commit yet, every file in the index. Conflicted entries become warnings.
 */
int nhi_git_changes_staged(struct nhi_vec *out, git_repository *repo, struct nhi_git_warnings *warnings);

/*
 * Append the files that a commit adds or changes relative to its parents, given by their tree
 * ids (none for a root commit), tagging each change with commit.
 */
int nhi_git_changes_commit(struct nhi_vec *out, git_repository *repo, const git_oid *tree,
			   const git_oid *parent_trees, size_t parent_count, uint32_t commit);

/* Inclusive, 1-based line ranges, sorted and disjoint. */
struct nhi_git_line_range {
	size_t first;
	size_t last;
};

struct nhi_git_lines {
	struct nhi_git_line_range *ranges;
	size_t count;
	size_t alloc;
};

/* Replace out with the lines of new_blob that are not in old_blob, by a line diff. */
int nhi_git_lines_added(struct nhi_git_lines *out, git_blob *old_blob, git_blob *new_blob);

/* Keep in lines only what is also in other. */
int nhi_git_lines_intersect(struct nhi_git_lines *lines, const struct nhi_git_lines *other);

/* Return true when some line in [first, last] is in lines. */
bool nhi_git_lines_overlap(const struct nhi_git_lines *lines, size_t first, size_t last);

int nhi_git_lines_push(struct nhi_git_lines *lines, size_t first, size_t last);

void nhi_git_lines_dispose(struct nhi_git_lines *lines);

#endif
