/*
 * The commit graph of a history scan: every commit reachable from a set of tips, read from the
 * object database, with parent links, and an oldest-first topological order over it.
 *
 * libgit2's revision walker stops at the first commit it cannot read, and libgit2 1.5 does not
 * read the shallow file, so it fails on every shallow clone. This graph treats a missing or
 * damaged parent as the end of that line of history instead, and the commit above it becomes a
 * root, as git does at a shallow boundary. A warning names the missing commit unless the shallow
 * file lists the boundary.
 *
 * Tips may be excluded, as in BASE..HEAD: commits reachable from an excluded tip are marked
 * NHI_GIT_COMMIT_UNINTERESTING. Loading goes newest first by committer date and stops once every
 * queued commit is excluded, so a range over a long history reads only the commits near it.
 *
 * Memory: about 110 bytes per commit loaded; trees are not kept.
 */
#ifndef NHI_GIT_GRAPH_H
#define NHI_GIT_GRAPH_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "git/object.h"
#include "git/oidmap.h"
#include "git/warnings.h"

/* No commit: a blob that only a tag or the object database reaches. */
#define NHI_GIT_NO_COMMIT UINT32_MAX

enum nhi_git_commit_flag {
	NHI_GIT_COMMIT_UNINTERESTING = 1 << 0, /* reachable from an excluded tip */
	NHI_GIT_COMMIT_QUEUED = 1 << 1,        /* was put in the loading queue */
	NHI_GIT_COMMIT_IN_QUEUE = 1 << 2,      /* is in the loading queue now */
	NHI_GIT_COMMIT_EXPANDED = 1 << 3,      /* its parents are loaded and linked */
	NHI_GIT_COMMIT_BOUNDARY = 1 << 4,      /* a parent could not be read */
};

struct nhi_git_commit {
	git_oid id;
	git_oid tree;
	int64_t time;          /* committer time */
	uint32_t first_link;   /* index of the first parent in the graph's links */
	uint32_t parent_count; /* parents named by the commit, readable or not */
	uint32_t flags;
};

struct nhi_git_graph {
	git_odb *odb;                     /* borrowed */
	struct nhi_git_warnings *warnings; /* borrowed */
	struct nhi_git_commit *commits;
	size_t count, alloc;
	/* Per parent of each commit: its index, or NHI_GIT_NO_COMMIT when it cannot be read. */
	uint32_t *links;
	git_oid *link_ids;                /* parent ids, also of parents that cannot be read */
	size_t link_count, link_alloc;
	struct nhi_git_oidmap index;      /* commit id -> index in commits */
	struct nhi_git_oidmap shallow;    /* boundary commits listed in the shallow file */
	uint32_t *queue;                  /* max-heap on committer time */
	size_t queue_count, queue_alloc;
	size_t queued_interesting;
	bool limited;                     /* an excluded tip was added */
	struct nhi_git_commit_header header;
	size_t shallow_boundaries;        /* parents that the shallow file lists as missing */
};

int nhi_git_graph_init(struct nhi_git_graph *graph, git_repository *repo, struct nhi_git_warnings *warnings);

/*
 * Add a commit to start from. A tip that cannot be read becomes a warning and is left out;
 * excluded tips make their ancestors uninteresting.
 */
int nhi_git_graph_add_tip(struct nhi_git_graph *graph, const git_oid *id, bool excluded);

/* Read the commits reachable from the tips, as far as the exclusions require. */
int nhi_git_graph_load(struct nhi_git_graph *graph);

/*
 * Store in *out (caller frees) the indices of every loaded commit that is not uninteresting.
 * Parents come before children, and otherwise older committer times come first.
 */
int nhi_git_graph_sort(uint32_t **out, size_t *out_count, const struct nhi_git_graph *graph);

/* Return the index of the parent-th parent of commit, or NHI_GIT_NO_COMMIT when unreadable. */
uint32_t nhi_git_graph_parent(const struct nhi_git_graph *graph, uint32_t commit, uint32_t parent);

/*
 * Return true when a parent of commit could not be read, storing the first such parent's id in
 * *parent and in *shallow whether the shallow file lists commit as a boundary. Before commit is
 * expanded, this returns false.
 */
bool nhi_git_graph_missing_parent(git_oid *parent, bool *shallow, const struct nhi_git_graph *graph, uint32_t commit);

void nhi_git_graph_dispose(struct nhi_git_graph *graph);

#endif
