/*
 * Commit ranges for the pull-request mode; see range.h.
 */
#include "git/range.h"
#include "git/repo.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

/* Resolve one revision to a commit id; revparse reads refs and objects and runs nothing. */
static int resolve_commit(git_oid *out, git_repository *repo, const char *revision)
{
	git_object *object = NULL, *commit = NULL;
	int error = 0;

	if (git_revparse_single(&object, repo, revision) < 0) {
		error = nhi_git_error_set(NHI_ENOTFOUND, "cannot resolve revision '%s'", revision);
		goto done;
	}
	if (git_object_peel(&commit, object, GIT_OBJECT_COMMIT) < 0) {
		error = nhi_git_error_set(NHI_EINVALID, "revision '%s' does not name a commit", revision);
		goto done;
	}
	git_oid_cpy(out, git_object_id(commit));

done:
	git_object_free(commit);
	git_object_free(object);
	return error;
}

/* Split "BASE..HEAD" at its "..", with HEAD for an empty side. */
static int split_range(char **base, char **head, const char *spec)
{
	const char *dots = strstr(spec, "..");

	*base = *head = NULL;
	if (!dots || strstr(spec, "...") || strstr(dots + 2, ".."))
		return nhi_error_set(NHI_EINVALID,
				     "invalid range '%s'; use BASE..HEAD, for example origin/main..HEAD", spec);
	*base = dots == spec ? strdup("HEAD") : strndup(spec, (size_t)(dots - spec));
	*head = dots[2] ? strdup(dots + 2) : strdup("HEAD");
	if (!*base || !*head) {
		free(*base);
		free(*head);
		*base = *head = NULL;
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	return 0;
}

static int resolve_ends(git_oid *base, git_oid *head, git_repository *repo, const char *spec, bool since)
{
	char *base_name = NULL, *head_name = NULL;
	int error;

	if (since) {
		if ((error = resolve_commit(base, repo, spec)) < 0)
			return error;
		return resolve_commit(head, repo, "HEAD");
	}
	if ((error = split_range(&base_name, &head_name, spec)) < 0)
		return error;
	if ((error = resolve_commit(base, repo, base_name)) == 0)
		error = resolve_commit(head, repo, head_name);
	free(base_name);
	free(head_name);
	return error;
}

int nhi_git_range_load(struct nhi_git_range *range, git_repository *repo, const char *spec, bool since,
		       struct nhi_git_warnings *warnings)
{
	git_oid base, head;
	int error;

	memset(range, 0, sizeof(*range));
	if ((error = resolve_ends(&base, &head, repo, spec, since)) < 0 ||
	    (error = nhi_git_graph_init(&range->graph, repo, warnings)) < 0 ||
	    (error = nhi_git_graph_add_tip(&range->graph, &head, false)) < 0 ||
	    (error = nhi_git_graph_add_tip(&range->graph, &base, true)) < 0 ||
	    (error = nhi_git_graph_load(&range->graph)) < 0)
		return error;
	return nhi_git_graph_sort(&range->order, &range->count, &range->graph);
}

const struct nhi_git_commit *nhi_git_range_commit(const struct nhi_git_range *range, size_t position)
{
	return &range->graph.commits[range->order[position]];
}

int nhi_git_range_parent_trees(git_oid **out, size_t *count, const struct nhi_git_range *range, size_t position)
{
	uint32_t index = range->order[position];
	const struct nhi_git_commit *commit = &range->graph.commits[index];
	git_oid *trees = calloc(commit->parent_count ? commit->parent_count : 1, sizeof(*trees));
	size_t n = 0;

	*out = NULL;
	*count = 0;
	if (!trees)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < commit->parent_count; i++) {
		uint32_t parent = nhi_git_graph_parent(&range->graph, index, i);

		if (parent != NHI_GIT_NO_COMMIT)
			git_oid_cpy(&trees[n++], &range->graph.commits[parent].tree);
	}
	*out = trees;
	*count = n;
	return 0;
}

void nhi_git_range_dispose(struct nhi_git_range *range)
{
	nhi_git_graph_dispose(&range->graph);
	free(range->order);
	memset(range, 0, sizeof(*range));
}
