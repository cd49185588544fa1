/*
 * Opening a repository that nhiscan scans but does not trust. Every git mode opens its
 * repositories here, so the hardening lives in one place:
 *
 *   - libgit2 never runs hooks, filter drivers, textconv, fsmonitor or any other command from
 *     the repository's config or attributes, and nhiscan reads blobs raw, so opening the
 *     repository runs nothing from it;
 *   - PATH must itself be a work tree (with .git inside) or a git folder: no search upwards, so
 *     a repository planted in a parent folder is never picked up instead;
 *   - ownership is not checked, so a CI job can scan a checkout made by another user. The check
 *     exists to stop git from running a stranger's config commands, and libgit2 runs none;
 *   - GIT_DIR and related environment variables are ignored.
 */
#ifndef NHI_GIT_REPO_H
#define NHI_GIT_REPO_H

#include <git2.h>

/* Open the repository at path; fails with NHI_ENOTFOUND when path is not a repository. */
int nhi_git_repo_open(git_repository **out, const char *path);

/*
 * Find the repository that contains the folder start, searching upwards as git does, and store in
 * *out (heap) its work tree, or its git folder when it is bare. Fails with NHI_ENOTFOUND when no
 * folder up to the file system root is in a repository. For a PATH the user left out: one the
 * user names is used as given (see above).
 */
int nhi_git_repo_find_top(char **out, const char *start);

/*
 * Record libgit2's last error as this thread's nhiscan error with the given code and prefix
 * ("cannot read tree 1a2b...") and return code.
 */
int nhi_git_error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Return libgit2's last error message, or "unknown error". */
const char *nhi_git_error_message(void);

#endif
