/*
 * Repository opening and libgit2's process-wide settings; see repo.h for what the settings
 * guarantee. libgit2 is initialised once, on first use, and stays initialised until the process
 * exits. Its global options (cache sizes, pack windows) apply to every repository handle that
 * the scan threads open.
 */
#include "git/repo.h"
#include "git/loose.h"
#include "util/error.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Object cache limit, across all repository handles. libgit2's default of 256 MiB would fill up
 * with trees and commits that a history walk reads exactly once. 16 MiB leaves room for the trees
 * that a diff reads again, since a commit and its parent share most subtrees.
 */
#define OBJECT_CACHE_BYTES ((size_t)16 << 20)

/*
 * Pack data is read through mmap(2) windows, and mapped pages count in the resident set. These
 * two limits bound them: windows of 32 MiB, and at most 128 MiB mapped at once across all
 * threads. Past the limit, libgit2 unmaps the least recently used window. Reading curl's
 * history (a 200 MiB pack, matching turned off) took 21.8, 23.1 and 28.2 s of CPU with limits of
 * 256, 128 and 64 MiB, at a peak RSS of 226, 212 and 144 MiB (docs/BENCHMARKS.md).
 */
#define PACK_WINDOW_BYTES ((size_t)32 << 20)
#define PACK_MAPPED_LIMIT ((size_t)128 << 20)

static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_error;

/*
 * Repository extensions that change how git writes or fetches objects but not how existing
 * objects are read, so a read-only scan can open such repositories. libgit2 1.5 refuses them
 * by default; a partial clone (extensions.partialClone) is the common case.
 */
static const char *const readable_extensions[] = { "partialclone", "preciousobjects" };

static void init_libgit2(void)
{
	if (git_libgit2_init() < 0) {
		init_error = -1;
		return;
	}
	/*
	 * Hash verification re-hashes every object read. Reading every blob of curl's object
	 * database took 44 s of CPU with it and 20 s without (docs/BENCHMARKS.md), and git does not
	 * re-hash on ordinary reads either. zlib's checksum still rejects damaged object
	 * data, and a damaged object becomes a warning, not a finding.
	 */
	if (git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0) < 0 ||
	    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)OBJECT_CACHE_BYTES) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, PACK_WINDOW_BYTES) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, PACK_MAPPED_LIMIT) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_EXTENSIONS, readable_extensions,
			     sizeof(readable_extensions) / sizeof(readable_extensions[0])) < 0)
		init_error = -1;
}

const char *nhi_git_error_message(void)
{
	const git_error *error = git_error_last();

	return error && error->message ? error->message : "unknown error";
}

int nhi_git_error_set(int code, const char *fmt, ...)
{
	char prefix[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	return nhi_error_set(code, "%s: %s", prefix, nhi_git_error_message());
}

int nhi_git_repo_find_top(char **out, const char *start)
{
	git_buf found = { 0 };
	git_repository *repo = NULL;
	const char *top;
	int error;

	*out = NULL;
	pthread_once(&init_once, init_libgit2);
	if (init_error < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot initialise libgit2");

	error = git_repository_discover(&found, start, 0, NULL);
	if (error == GIT_ENOTFOUND)
		return nhi_error_set(NHI_ENOTFOUND,
				     "'%s' is not inside a git repository; run nhiscan in a work tree or pass its path",
				     start);
	if (error < 0 || git_repository_open_ext(&repo, found.ptr, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		error = nhi_git_error_set(NHI_ERROR, "cannot open the git repository that holds '%s'", start);
		goto done;
	}
	top = git_repository_workdir(repo) ? git_repository_workdir(repo) : git_repository_path(repo);
	if (!(*out = strdup(top)))
		error = nhi_error_set(NHI_ENOMEM, "out of memory");

done:
	git_repository_free(repo);
	git_buf_dispose(&found);
	return error;
}

int nhi_git_repo_open(git_repository **out, const char *path)
{
	unsigned flags = GIT_REPOSITORY_OPEN_NO_SEARCH;
	int error;

	*out = NULL;
	pthread_once(&init_once, init_libgit2);
	if (init_error < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot initialise libgit2");

	error = git_repository_open_ext(out, path, flags, NULL);
	if (error == GIT_ENOTFOUND && access(path, F_OK) < 0)
		return nhi_error_set(NHI_ENOTFOUND, "'%s' does not exist; check the path", path);
	if (error == GIT_ENOTFOUND)
		return nhi_error_set(NHI_ENOTFOUND,
				     "'%s' is not a git repository; pass the top folder of a work tree or a bare repository",
				     path);
	if (error < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot open git repository '%s'", path);

	if (nhi_git_loose_install(*out) < 0) {
		error = nhi_git_error_set(NHI_ERROR, "cannot read the objects of '%s'", path);
		git_repository_free(*out);
		*out = NULL;
		return error;
	}
	return 0;
}
