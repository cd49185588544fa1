/*
 * The starting points of a whole-history scan: every reference (branches, tags, remote-tracking
 * refs, notes, refs/stash), HEAD even when detached, and every entry of the stash's reflog,
 * since `git stash` keeps older stashes only there. Each is peeled through annotated tags.
 * Commits become tips of the commit graph; a tag that names a tree or a blob directly is
 * returned separately, since no commit contains it.
 */
#ifndef NHI_GIT_REFS_H
#define NHI_GIT_REFS_H

#include <git2.h>
#include <stdbool.h>

#include "git/graph.h"
#include "git/warnings.h"
#include "util/vec.h"

/* A reference that names a tree or a blob instead of a commit. */
struct nhi_git_object_tip {
	git_oid id;
	git_object_t type;  /* GIT_OBJECT_TREE or GIT_OBJECT_BLOB */
	char *refname;
};

/*
 * Add every reference's commit to graph as a tip and append a struct nhi_git_object_tip * to
 * object_tips for each tree or blob. Without with_stash, refs/stash and its reflog are left out.
 * A reference that cannot be resolved becomes a warning.
 */
int nhi_git_refs_add_tips(struct nhi_git_graph *graph, struct nhi_vec *object_tips, git_repository *repo,
			  bool with_stash, struct nhi_git_warnings *warnings);

void nhi_git_object_tip_free(void *tip);

#endif
