/*
 * The commits of a pull request: those reachable from HEAD and not from BASE, oldest first,
 * as `git log BASE..HEAD` lists them. Built on the commit graph, so a shallow clone (the
 * default checkout of many CI systems) works as far as its history goes.
 */
#ifndef NHI_GIT_RANGE_H
#define NHI_GIT_RANGE_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "git/graph.h"
#include "git/warnings.h"

struct nhi_git_range {
	struct nhi_git_graph graph;
	uint32_t *order;   /* commit indices in the range, parents first */
	size_t count;
};

/*
 * Resolve spec and load the commits in it. spec is "BASE..HEAD" (an empty side means HEAD), or
 * with since set, a single revision REV meaning REV..HEAD. Fails with NHI_EINVALID on a spec
 * that is not of that form and NHI_ENOTFOUND when a revision does not resolve.
 */
int nhi_git_range_load(struct nhi_git_range *range, git_repository *repo, const char *spec, bool since,
		       struct nhi_git_warnings *warnings);

/* Return the commit at position (0 is the oldest). */
const struct nhi_git_commit *nhi_git_range_commit(const struct nhi_git_range *range, size_t position);

/*
 * Store in *out (caller frees) the tree ids of the readable parents of the commit at position,
 * first parent first. A commit whose parents are missing (a shallow boundary) has none, so
 * everything in it counts as added, as git shows it.
 */
int nhi_git_range_parent_trees(git_oid **out, size_t *count, const struct nhi_git_range *range, size_t position);

void nhi_git_range_dispose(struct nhi_git_range *range);

#endif
