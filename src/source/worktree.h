/*
 * The working-tree source: lists the regular files under a folder that a scan should read,
 * honouring .gitignore when the folder is inside a git work tree, the project's skip-paths, and
 * never following symbolic links (so a link loop cannot trap the walk). Listing is single-threaded
 * and cheap; reading and matching happen later on all cores.
 */
#ifndef NHI_SOURCE_WORKTREE_H
#define NHI_SOURCE_WORKTREE_H

#include <stddef.h>
#include <sys/types.h>

#include "config/settings.h"
#include "util/vec.h"

struct nhi_file_entry {
	char *path;    /* relative to the scan root, '/' separated */
	off_t size;
};

struct nhi_walk_stats {
	size_t ignored;   /* by .gitignore or skip-paths */
	size_t symlinks;  /* not followed */
	size_t special;   /* devices, sockets, FIFOs */
};

/*
 * Append a struct nhi_file_entry for each file to out, in path order. Folders and rule files that
 * cannot be read are reported as messages appended to warnings (heap strings) and skipped. Fails
 * only when root itself cannot be read.
 */
int source_worktree_list(struct nhi_vec *out, struct nhi_walk_stats *stats, struct nhi_vec *warnings,
			 const char *root, const struct nhi_settings *settings);

void source_file_entry_free(void *entry);

/* Return the top folder of the git work tree that contains path, or NULL when there is none. */
char *source_find_worktree_top(const char *path);

#endif
