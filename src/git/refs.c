/*
 * Reference enumeration for the history scan; see refs.h.
 */
#include "git/refs.h"
#include "git/repo.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define STASH_REF "refs/stash"

void nhi_git_object_tip_free(void *tip)
{
	struct nhi_git_object_tip *object_tip = tip;

	if (!object_tip)
		return;
	free(object_tip->refname);
	free(object_tip);
}

static int push_object_tip(struct nhi_vec *object_tips, const git_object *object, const char *refname)
{
	struct nhi_git_object_tip *tip = calloc(1, sizeof(*tip));
	int error;

	if (!tip || !(tip->refname = strdup(refname))) {
		nhi_git_object_tip_free(tip);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	git_oid_cpy(&tip->id, git_object_id(object));
	tip->type = git_object_type(object);
	if ((error = nhi_vec_push(object_tips, tip)) < 0)
		nhi_git_object_tip_free(tip);
	return error;
}

/* Peel ref to a commit, tree or blob and record it; an unborn HEAD is silently empty. */
static int add_reference(struct nhi_git_graph *graph, struct nhi_vec *object_tips, git_reference *ref,
			 struct nhi_git_warnings *warnings)
{
	const char *name = git_reference_name(ref);
	git_object *object = NULL;
	int error;

	error = git_reference_peel(&object, ref, GIT_OBJECT_ANY);
	if (error == GIT_EUNBORNBRANCH || (error == GIT_ENOTFOUND && strcmp(name, "HEAD") == 0))
		return 0;
	if (error < 0)
		return nhi_git_warnings_add(warnings, NHI_GIT_WARN_REF, "cannot resolve reference '%s': %s; skipped",
					    name, nhi_git_error_message());

	switch (git_object_type(object)) {
	case GIT_OBJECT_COMMIT:
		error = nhi_git_graph_add_tip(graph, git_object_id(object), false);
		break;
	case GIT_OBJECT_TREE:
	case GIT_OBJECT_BLOB:
		error = push_object_tip(object_tips, object, name);
		break;
	default:
		error = nhi_git_warnings_add(warnings, NHI_GIT_WARN_REF, "reference '%s' names an object of an unknown type; skipped", name);
		break;
	}
	git_object_free(object);
	return error;
}

static int add_all_references(struct nhi_git_graph *graph, struct nhi_vec *object_tips, git_repository *repo,
			      bool with_stash, struct nhi_git_warnings *warnings)
{
	git_reference_iterator *iterator = NULL;
	git_reference *ref = NULL;
	int error;

	if (git_reference_iterator_new(&iterator, repo) < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot list the references");
	while ((error = git_reference_next(&ref, iterator)) == 0) {
		if (with_stash || strcmp(git_reference_name(ref), STASH_REF) != 0)
			error = add_reference(graph, object_tips, ref, warnings);
		git_reference_free(ref);
		if (error < 0)
			goto done;
	}
	/* A damaged packed-refs file can end the listing early; what was listed is still scanned. */
	if (error == GIT_ITEROVER)
		error = 0;
	else
		error = nhi_git_warnings_add(warnings, NHI_GIT_WARN_REF, "cannot list every reference: %s; the rest are skipped",
					     nhi_git_error_message());

done:
	git_reference_iterator_free(iterator);
	return error;
}

static int add_head(struct nhi_git_graph *graph, struct nhi_vec *object_tips, git_repository *repo,
		    struct nhi_git_warnings *warnings)
{
	git_reference *head = NULL;
	int error;

	error = git_reference_lookup(&head, repo, "HEAD");
	if (error == GIT_ENOTFOUND)
		return 0;
	if (error < 0)
		return nhi_git_warnings_add(warnings, NHI_GIT_WARN_REF, "cannot read HEAD: %s; skipped", nhi_git_error_message());
	error = add_reference(graph, object_tips, head, warnings);
	git_reference_free(head);
	return error;
}

/* Every stash, not only the newest: `git stash` keeps the others as reflog entries of refs/stash. */
static int add_stash_reflog(struct nhi_git_graph *graph, git_repository *repo, struct nhi_git_warnings *warnings)
{
	git_reflog *reflog = NULL;
	int error = 0;

	if (git_reflog_read(&reflog, repo, STASH_REF) < 0)
		return nhi_git_warnings_add(warnings, NHI_GIT_WARN_REF, "cannot read the stash reflog: %s; older stashes skipped",
					    nhi_git_error_message());
	for (size_t i = 0; i < git_reflog_entrycount(reflog) && error >= 0; i++) {
		const git_reflog_entry *entry = git_reflog_entry_byindex(reflog, i);

		error = nhi_git_graph_add_tip(graph, git_reflog_entry_id_new(entry), false);
	}
	git_reflog_free(reflog);
	return error;
}

int nhi_git_refs_add_tips(struct nhi_git_graph *graph, struct nhi_vec *object_tips, git_repository *repo,
			  bool with_stash, struct nhi_git_warnings *warnings)
{
	int error;

	if ((error = add_all_references(graph, object_tips, repo, with_stash, warnings)) < 0 ||
	    (error = add_head(graph, object_tips, repo, warnings)) < 0)
		return error;
	return with_stash ? add_stash_reflog(graph, repo, warnings) : 0;
}
