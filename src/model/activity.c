/*
 * Author activity from the commit history; see activity.h.
 */
#include "model/activity.h"
#include "git/graph.h"
#include "git/repo.h"
#include "util/error.h"

#include <ctype.h>
#include <git2.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * Load the commits reachable from head. A missing parent or a shallow clone's boundary ends that
 * line of history. The graph's warnings are dropped: the history scan that the inventory runs
 * before this starts from HEAD too, so it has already reported the same missing commits.
 */
static int load_graph(struct nhi_git_graph *graph, git_repository *repo, const git_oid *head)
{
	struct nhi_git_warnings warnings = { 0 };
	int error;

	if ((error = nhi_git_graph_init(graph, repo, &warnings)) == 0 &&
	    (error = nhi_git_graph_add_tip(graph, head, false)) == 0)
		error = nhi_git_graph_load(graph);
	graph->warnings = NULL;
	nhi_git_warnings_dispose(&warnings);
	return error;
}

static int record_commit_author(struct model_activity *activity, git_repository *repo, const git_oid *id)
{
	git_commit *commit = NULL;
	int error;

	if (git_commit_lookup(&commit, repo, id) < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot read commit %s", git_oid_tostr_s(id));
	error = record_author(activity, commit);
	git_commit_free(commit);
	return error;
}

/* Record the authors of the commits reachable from HEAD whose commit time is in the window. */
static int walk_history(struct model_activity *activity, git_repository *repo, long long window_seconds)
{
	struct nhi_git_graph graph;
	git_oid head;
	uint32_t head_index;
	int error = 0, status;

	memset(&graph, 0, sizeof(graph));
	/* An unborn HEAD has no commits, so every author is inactive. */
	if (git_repository_head_unborn(repo) == 1)
		goto done;
	if ((status = git_reference_name_to_id(&head, repo, "HEAD")) == GIT_EUNBORNBRANCH || status == GIT_ENOTFOUND)
		goto done;
	if (status < 0) {
		error = nhi_git_error_set(NHI_ERROR, "cannot read HEAD");
		goto done;
	}
	if ((error = load_graph(&graph, repo, &head)) < 0)
		goto done;
	if (!nhi_git_oidmap_get(&graph.index, &head, &head_index)) {
		error = nhi_error_set(NHI_ENOTFOUND, "cannot read commit %s at HEAD; run 'git fsck' to find out why",
				      git_oid_tostr_s(&head));
		goto done;
	}

	activity->head_time = graph.commits[head_index].time;
	activity->window_start = activity->head_time - window_seconds;
	for (size_t i = 0; i < graph.count && error == 0; i++) {
		const struct nhi_git_commit *commit = &graph.commits[i];

		if (commit->time < activity->window_start)
			continue;
		/* The unreadable parents of a commit in the window may be in the window too. */
		if (commit->flags & NHI_GIT_COMMIT_BOUNDARY)
			activity->incomplete = true;
		error = record_commit_author(activity, repo, &commit->id);
	}

done:
	nhi_git_graph_dispose(&graph);
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
	active = activity->incomplete || model_idmap_get(&activity->emails, lower, strlen(lower)) != NULL;
	free(lower);
	return active;
}

void model_activity_dispose(struct model_activity *activity)
{
	model_idmap_dispose(&activity->emails);
}
