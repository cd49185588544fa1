/*
 * The git operations of a sweep, through libgit2: the HEAD of a local repository, the HEAD of a
 * remote without cloning it, and a fresh clone. Reading a remote's HEAD costs one reference
 * advertisement, so a resumed sweep skips an unchanged remote cheaply. Local paths and file://
 * URLs need no network. Other URLs use libgit2's transports with no credentials, so only
 * public repositories can be cloned.
 */
#include "core/sweep_private.h"
#include "git/repo.h"
#include "util/error.h"

#include <errno.h>
#include <ftw.h>
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNBORN_HEAD "unborn"

/* File descriptors that nftw may keep open. Deeper folders still work, only more slowly. */
#define WALK_OPEN_FOLDERS 32

static int set_git_error(const char *what, const char *where)
{
	const git_error *e = git_error_last();

	return nhi_error_set(NHI_ERROR, "cannot %s '%s': %s", what, where,
			     e && e->message ? e->message : "unknown error");
}

static int format_oid(char **out, const git_oid *oid)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), oid);
	if (!(*out = strdup(hex)))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	return 0;
}

int sweep_local_head(char **head, const char *path)
{
	git_repository *repo = NULL;
	git_oid oid;
	int error;

	if ((error = nhi_git_repo_open(&repo, path)) < 0)
		return error;
	if (git_repository_head_unborn(repo) == 1) {
		*head = strdup(UNBORN_HEAD);
		error = *head ? 0 : nhi_error_set(NHI_ENOMEM, "out of memory");
	} else if (git_reference_name_to_id(&oid, repo, "HEAD") < 0) {
		error = set_git_error("resolve HEAD of", path);
	} else {
		error = format_oid(head, &oid);
	}
	git_repository_free(repo);
	return error;
}

/* Store in *head the id that the connected remote advertises for HEAD, or "unborn" (no HEAD). */
static int read_advertised_head(char **head, git_remote *remote, const char *url)
{
	const git_remote_head **refs = NULL;
	size_t count = 0;

	*head = NULL;
	if (git_remote_ls(&refs, &count, remote) < 0)
		return set_git_error("list the references of", url);
	for (size_t i = 0; i < count; i++)
		if (strcmp(refs[i]->name, "HEAD") == 0)
			return format_oid(head, &refs[i]->oid);
	if (!(*head = strdup(UNBORN_HEAD)))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	return 0;
}

int sweep_remote_head(char **head, const char *url)
{
	git_remote *remote = NULL;
	int error = 0;

	if (git_remote_create_detached(&remote, url) < 0) {
		error = set_git_error("read the remote", url);
		goto done;
	}
	if (git_remote_connect(remote, GIT_DIRECTION_FETCH, NULL, NULL, NULL) < 0) {
		error = set_git_error("list the references of", url);
		goto done;
	}
	error = read_advertised_head(head, remote, url);

done:
	git_remote_free(remote);
	return error;
}

/* Detach the clone's HEAD at the remote's HEAD and check it out. */
static int check_out_head(git_repository *repo, const char *head, const char *url)
{
	git_checkout_options options;
	git_oid oid;

	if (strcmp(head, UNBORN_HEAD) == 0)
		return 0;
	if (git_oid_fromstr(&oid, head) < 0 || git_repository_set_head_detached(repo, &oid) < 0)
		return set_git_error("set HEAD of the clone of", url);
	if (git_checkout_options_init(&options, GIT_CHECKOUT_OPTIONS_VERSION) < 0)
		return set_git_error("check out the clone of", url);
	options.checkout_strategy = GIT_CHECKOUT_FORCE;
	if (git_checkout_head(repo, &options) < 0)
		return set_git_error("check out the clone of", url);
	return 0;
}

/*
 * Clone url into path: every branch under refs/remotes/origin/, the tags, and a detached HEAD
 * at the remote's HEAD, checked out. The remote is anonymous and ignores url.*.insteadOf
 * rewrites, so libgit2 neither writes nor searches the configuration for it: in libgit2 1.5.1
 * (Debian 12), both go through code that leaks PCRE2 match data, as AddressSanitizer reports.
 */
int sweep_clone(const char *url, const char *path)
{
	char *refspec_list[] = { "+refs/heads/*:refs/remotes/origin/*" };
	git_strarray refspecs = { refspec_list, 1 };
	git_remote_create_options create;
	git_fetch_options fetch;
	git_repository *repo = NULL;
	git_remote *remote = NULL;
	char *head = NULL;
	int error;

	if ((error = sweep_remove_tree(path)) < 0)
		return error;
	if (git_repository_init(&repo, path, 0) < 0 || git_remote_create_options_init(&create, GIT_REMOTE_CREATE_OPTIONS_VERSION) < 0) {
		error = set_git_error("clone", url);
		goto done;
	}
	create.repository = repo;
	create.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if (git_remote_create_with_opts(&remote, url, &create) < 0 ||
	    git_fetch_options_init(&fetch, GIT_FETCH_OPTIONS_VERSION) < 0) {
		error = set_git_error("clone", url);
		goto done;
	}
	fetch.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_ALL;
	if (git_remote_connect(remote, GIT_DIRECTION_FETCH, NULL, NULL, NULL) < 0) {
		error = set_git_error("clone", url);
		goto done;
	}
	if ((error = read_advertised_head(&head, remote, url)) < 0)
		goto done;
	if (git_remote_download(remote, &refspecs, &fetch) < 0 ||
	    git_remote_update_tips(remote, NULL, 0, GIT_REMOTE_DOWNLOAD_TAGS_ALL, NULL) < 0) {
		error = set_git_error("clone", url);
		goto done;
	}
	error = check_out_head(repo, head, url);

done:
	free(head);
	git_remote_free(remote);
	git_repository_free(repo);
	return error;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *walk)
{
	return remove(path) < 0 ? -1 : 0;
}

int sweep_remove_tree(const char *path)
{
	if (nftw(path, remove_entry, WALK_OPEN_FOLDERS, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT)
		return nhi_error_set(NHI_EIO, "cannot remove '%s': %s", path, strerror(errno));
	return 0;
}
