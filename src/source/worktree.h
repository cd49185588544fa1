/*
 * The working-tree source: lists the regular files under a folder that a scan should read,
 * honouring .gitignore when the folder is inside a git work tree, the project's skip-paths, and
 * never following symbolic links (so a link loop cannot trap the walk). As in git, a file in the
 * git index is never ignored, even when it matches .gitignore, and an ignored folder that contains
 * such files is entered for them alone. Listing is single-threaded and cheap; reading and
 * matching happen later on all cores.
 */
#ifndef NHI_SOURCE_WORKTREE_H
#define NHI_SOURCE_WORKTREE_H

#include <stdbool.h>
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
	size_t unreadable; /* folders and entries that could not be read while walking */
};

/*
 * Append a struct nhi_file_entry for each file to out, in path order. Folders, rule files and a
 * git index that cannot be read are skipped, each with a message appended to warnings (heap
 * strings). Paths in those messages are in display form (see git/path.h). Fails when root does not exist,
 * when root is a folder that cannot be read, and with NHI_EINVALID when root is a git directory
 * (see source_is_git_dir()). When root is not a folder, out receives one entry named after the
 * last component of root. Root itself is never checked against the ignore rules, because the
 * user named it.
 */
int source_worktree_list(struct nhi_vec *out, struct nhi_walk_stats *stats, struct nhi_vec *warnings,
			 const char *root, const struct nhi_settings *settings);

void source_file_entry_free(void *entry);

/*
 * Return whether path is a git directory, the folder that git itself keeps its objects, refs and
 * HEAD in: a bare repository, or the .git folder of a work tree. Such a folder contains no work-tree
 * files, so only the git modes can scan it. The test is git's own: a HEAD file and the objects
 * and refs folders. A folder that also has a .git entry is a work tree.
 */
bool source_is_git_dir(const char *path);

/* Return the top folder of the git work tree that contains path, or NULL when there is none. */
char *source_find_worktree_top(const char *path);

#endif
