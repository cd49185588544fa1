/*
 * Blob enumeration for a whole-history scan: every blob reachable from every reference, each
 * reported once, together with the commit that introduced it and its path there.
 *
 * The commits are visited oldest first (parents before children), and each commit's tree is
 * walked skipping every tree and blob seen before. A blob is therefore first met in a commit
 * none of whose ancestors contains it: that commit introduced it, at the path where it is met.
 * Attribution costs nothing beyond the walk, and the walk reads each tree and each commit once.
 *
 * Memory: the commit graph (about 130 bytes per commit), one map entry per tree and blob id,
 * and the folders of one path. No tree's entries are kept after it is walked.
 *
 * Skipped and reported as counts or warnings: symbolic links (a link's blob holds only its
 * target path, which git never checks out as file content), submodule entries (commits of
 * another repository), entries with unknown modes, missing and damaged trees.
 */
#ifndef NHI_GIT_HISTORY_H
#define NHI_GIT_HISTORY_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "git/graph.h"
#include "git/oidmap.h"
#include "git/packread.h"
#include "git/pathpool.h"
#include "git/warnings.h"
#include "util/buf.h"
#include "util/vec.h"

/* One blob met for the first time. */
struct nhi_git_history_visit {
	const git_oid *blob;
	const char *path;   /* '/'-separated, valid only during the call */
	size_t path_len;
	uint32_t commit;    /* position in the walk order, or NHI_GIT_NO_COMMIT */
};

struct nhi_git_history_callbacks {
	int (*on_blob)(void *payload, const struct nhi_git_history_visit *visit);
	/* Called after each commit; returns < 0 to stop the walk. May be NULL. */
	int (*on_commit)(void *payload, size_t done, size_t total);
	/* Return true to leave a path (and for a folder, all below it) out. May be NULL. */
	bool (*skip_path)(void *payload, const char *path);
	void *payload;
};

struct nhi_git_history_stats {
	size_t commits;
	size_t trees;
	size_t blobs;
	size_t symlinks;
	size_t submodules;
	size_t skipped_paths;
	size_t unreachable_blobs;
};

struct nhi_git_history {
	struct nhi_git_graph graph;
	uint32_t *order;       /* commit indices, oldest first */
	size_t order_count;
	struct nhi_git_history_stats stats;
	/* Walk state. */
	git_odb *odb;
	struct nhi_git_pack_reader *pack;  /* reads trees from the packs when set */
	struct nhi_git_oidmap seen_blobs;
	struct nhi_git_oidmap seen_trees;
	/*
	 * The last ids found in each map, by hash. Consecutive versions of a folder share most
	 * entries, so most lookups end here, in a table small enough for the CPU's cache.
	 */
	git_oid *recent_blobs, *recent_trees;
	struct nhi_git_pathpool submodule_paths;
	struct nhi_buf path;
	struct nhi_vec object_tips;
	struct nhi_git_warnings *warnings;
	const struct nhi_git_history_callbacks *callbacks;
	uint32_t commit;       /* position being walked */
};

enum nhi_git_history_flags {
	/* Also commits and blobs that no reference reaches. */
	NHI_GIT_HISTORY_ALL_OBJECTS = 1 << 0,
	/* Leave out refs/stash and its reflog, which exist only in the clone where they were made. */
	NHI_GIT_HISTORY_NO_STASH = 1 << 1,
};

/*
 * Walk the history of repo and call callbacks->on_blob for each blob; with
 * NHI_GIT_HISTORY_ALL_OBJECTS in flags, also commits and blobs that no reference reaches
 * (amended or rebased commits, stashes that were dropped, blobs added to the index and never
 * committed). Blobs that no commit reaches are
 * visited with NHI_GIT_NO_COMMIT: a tagged blob with the tag's name as path, an unreachable
 * blob with its id as path. Damaged or missing objects and references become warnings. The walk
 * fails when memory runs out, when the object database or the reference list cannot be opened,
 * or when a callback fails. With pack, trees are read through that reader where the packs hold
 * them, and through libgit2 otherwise.
 */
int nhi_git_history_walk(struct nhi_git_history *history, git_repository *repo, unsigned flags,
			 const struct nhi_git_history_callbacks *callbacks, struct nhi_git_warnings *warnings,
			 struct nhi_git_pack_reader *pack);

/* Return the id of the commit at a walk position; valid until the history is disposed. */
const git_oid *nhi_git_history_commit_id(const struct nhi_git_history *history, uint32_t position);

void nhi_git_history_dispose(struct nhi_git_history *history);

#endif
