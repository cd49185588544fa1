/*
 * Author activity from the commit history; see activity.h.
 */
#include "model/activity.h"
#include "git/repo.h"
#include "util/error.h"

#include <ctype.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>

/*
 * NOTE: at most this many commits are read. The walk stops at the window's start anyway; the
 * limit only bounds a repository whose commit dates are in the future or out of order.
 */
#define MAX_COMMITS 500000

/* Any non-NULL pointer marks an address as present. */
static char present;

static int lowercase_copy(char **out, const char *text)
{
	char *copy = strdup(text);

	if (!copy)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (char *p = copy; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	*out = copy;
	return 0;
}

static int record_author(struct model_activity *activity, const git_commit *commit)
{
	const git_signature *author = git_commit_author(commit);
	char *email = NULL;
	int error;

	if (!author || !author->email || !*author->email)
		return 0;
	if ((error = lowercase_copy(&email, author->email)) < 0)
		return error;
	error = model_idmap_put(&activity->emails, email, strlen(email), &present);
	free(email);
	return error;
}

/* Walk from HEAD, newest first, and record the authors of the commits in the window. */
static int walk_history(struct model_activity *activity, git_repository *repo, long long window_seconds)
{
	git_revwalk *walk = NULL;
	git_commit *commit = NULL;
	git_oid oid;
	size_t seen = 0;
	int error = 0, status;

	if (git_revwalk_new(&walk, repo) < 0 || git_revwalk_sorting(walk, GIT_SORT_TIME) < 0) {
		error = nhi_git_error_set(NHI_ERROR, "cannot walk the history");
		goto done;
	}
	/* libgit2 1.5 fails the push of an unborn HEAD with -1, so ask about it first. */
	if (git_repository_head_unborn(repo) == 1)
		goto done;
	if ((status = git_revwalk_push_head(walk)) == GIT_EUNBORNBRANCH || status == GIT_ENOTFOUND)
		goto done;
	if (status < 0) {
		error = nhi_git_error_set(NHI_ERROR, "cannot read HEAD");
		goto done;
	}

	while (seen++ < MAX_COMMITS && (status = git_revwalk_next(&oid, walk)) == 0) {
		long long when;

		if (git_commit_lookup(&commit, repo, &oid) < 0) {
			error = nhi_git_error_set(NHI_ERROR, "cannot read commit %s", git_oid_tostr_s(&oid));
			goto done;
		}
		when = (long long)git_commit_time(commit);
		if (seen == 1) {
			activity->head_time = when;
			activity->window_start = when - window_seconds;
		}
		if (when < activity->window_start)
			break;
		if ((error = record_author(activity, commit)) < 0)
			goto done;
		git_commit_free(commit);
		commit = NULL;
	}
	if (status < 0 && status != GIT_ITEROVER)
		error = nhi_git_error_set(NHI_ERROR, "cannot walk the history");

done:
	git_commit_free(commit);
	git_revwalk_free(walk);
	return error;
}

int model_activity_load(struct model_activity *out, const char *path, long long window_seconds)
{
	git_repository *repo = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = nhi_git_repo_open(&repo, path)) < 0)
		return error;
	error = walk_history(out, repo, window_seconds);
	git_repository_free(repo);
	if (error < 0)
		model_activity_dispose(out);
	return error;
}

bool model_activity_is_active(const struct model_activity *activity, const char *email)
{
	char *lower = NULL;
	bool active;

	if (!email || lowercase_copy(&lower, email) < 0)
		return false;
	active = model_idmap_get(&activity->emails, lower, strlen(lower)) != NULL;
	free(lower);
	return active;
}

void model_activity_dispose(struct model_activity *activity)
{
	model_idmap_dispose(&activity->emails);
}
