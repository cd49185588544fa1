/*
 * Changes of the index and of commits, and added-line ranges; see diff.h.
 *
 * Every diff here is computed from object ids and raw blob contents. No work tree is read, no
 * filter or textconv runs, and blob patches are made without paths, so attributes cannot mark
 * a file binary and hide its lines from the scan.
 */
#include "git/diff.h"
#include "git/graph.h"
#include "git/object.h"
#include "git/repo.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

/*
 * Largest number of added and deleted files paired up by rename detection, per diff. git's own
 * default is 1000 too. Setting it here keeps the repository's diff.renameLimit from changing
 * the result.
 */
#define RENAME_LIMIT 1000

void nhi_git_change_free(void *change)
{
	struct nhi_git_change *c = change;

	if (!c)
		return;
	free(c->path);
	free(c->bases);
	free(c);
}

static bool is_regular_file(uint32_t mode)
{
	return nhi_git_entry_kind_of(mode) == NHI_GIT_ENTRY_FILE;
}

static int push_base(struct nhi_git_change *change, const git_oid *id)
{
	git_oid *bases = realloc(change->bases, (change->base_count + 1) * sizeof(*bases));

	if (!bases)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	change->bases = bases;
	git_oid_cpy(&change->bases[change->base_count++], id);
	return 0;
}

/* Build a change from a delta whose new side is a regular file; NULL *out when it adds nothing. */
static int change_from_delta(struct nhi_git_change **out, const git_diff_delta *delta, uint32_t commit)
{
	struct nhi_git_change *change = calloc(1, sizeof(*change));
	int error = 0;

	*out = NULL;
	if (!change || !(change->path = strdup(delta->new_file.path))) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	git_oid_cpy(&change->blob, &delta->new_file.id);
	change->commit = commit;
	if (delta->status != GIT_DELTA_ADDED && is_regular_file(delta->old_file.mode)) {
		if (git_oid_equal(&delta->old_file.id, &delta->new_file.id))
			goto done;
		if ((error = push_base(change, &delta->old_file.id)) < 0)
			goto done;
	}
	*out = change;
	change = NULL;

done:
	nhi_git_change_free(change);
	return error;
}

/*
 * For a merge, compare the change with the same path in every other parent: an identical file
 * there means the merge took that side, so it adds nothing (*keep false).
 */
static int compare_other_parents(bool *keep, struct nhi_git_change *change, git_tree *const *parents, size_t count)
{
	int error = 0;

	*keep = true;
	for (size_t i = 1; i < count && error == 0; i++) {
		git_tree_entry *entry = NULL;

		if (git_tree_entry_bypath(&entry, parents[i], change->path) < 0)
			continue;
		if (git_oid_equal(git_tree_entry_id(entry), &change->blob))
			*keep = false;
		else if (is_regular_file((uint32_t)git_tree_entry_filemode_raw(entry)))
			error = push_base(change, git_tree_entry_id(entry));
		git_tree_entry_free(entry);
		if (!*keep)
			break;
	}
	return error;
}

static bool adds_content(const git_diff_delta *delta)
{
	switch (delta->status) {
	case GIT_DELTA_ADDED:
	case GIT_DELTA_MODIFIED:
	case GIT_DELTA_RENAMED:
	case GIT_DELTA_COPIED:
	case GIT_DELTA_TYPECHANGE:
		return is_regular_file(delta->new_file.mode);
	default:
		return false;
	}
}

static int collect_deltas(struct nhi_vec *out, git_diff *diff, git_tree *const *parents, size_t parent_count,
			  uint32_t commit)
{
	int error = 0;

	for (size_t i = 0; i < git_diff_num_deltas(diff) && error == 0; i++) {
		const git_diff_delta *delta = git_diff_get_delta(diff, i);
		struct nhi_git_change *change = NULL;
		bool keep = true;

		if (!adds_content(delta))
			continue;
		if ((error = change_from_delta(&change, delta, commit)) < 0 || !change)
			continue;
		if (parent_count > 1)
			error = compare_other_parents(&keep, change, parents, parent_count);
		if (error < 0 || !keep) {
			nhi_git_change_free(change);
			continue;
		}
		if ((error = nhi_vec_push(out, change)) < 0)
			nhi_git_change_free(change);
	}
	return error;
}

static int find_renames(git_diff *diff)
{
	git_diff_find_options options;

	git_diff_find_options_init(&options, GIT_DIFF_FIND_OPTIONS_VERSION);
	options.flags = GIT_DIFF_FIND_RENAMES;
	options.rename_limit = RENAME_LIMIT;
	if (git_diff_find_similar(diff, &options) < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot detect renames");
	return 0;
}

static void init_diff_options(git_diff_options *options)
{
	git_diff_options_init(options, GIT_DIFF_OPTIONS_VERSION);
	options->flags = GIT_DIFF_INCLUDE_TYPECHANGE;
	options->ignore_submodules = GIT_SUBMODULE_IGNORE_ALL;
}

static int warn_conflicts(git_diff *diff, struct nhi_git_warnings *warnings)
{
	int error = 0;

	for (size_t i = 0; i < git_diff_num_deltas(diff) && error == 0; i++) {
		const git_diff_delta *delta = git_diff_get_delta(diff, i);

		if (delta->status == GIT_DELTA_CONFLICTED)
			error = nhi_git_warnings_add(warnings, NHI_GIT_WARN_OTHER,
						     "'%s' has unresolved merge conflicts in the index; not scanned",
						     delta->new_file.path ? delta->new_file.path : delta->old_file.path);
	}
	return error;
}

/* Store HEAD's tree in *out, or NULL when HEAD has no commit yet. */
static int read_head_tree(git_tree **out, git_repository *repo)
{
	git_object *object = NULL;
	int error;

	*out = NULL;
	error = git_revparse_single(&object, repo, "HEAD^{tree}");
	if (error == GIT_ENOTFOUND || error == GIT_EUNBORNBRANCH)
		return 0;
	if (error < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot read the tree of HEAD");
	*out = (git_tree *)object;
	return 0;
}

/*
 * Open the index a commit is being made from. `git commit -a` and `git commit PATH` stage into a
 * temporary index and name it in GIT_INDEX_FILE for the hooks they run; otherwise it is the
 * repository's own index.
 */
static int open_index(git_index **out, git_repository *repo)
{
	const char *path = getenv("GIT_INDEX_FILE");

	if (path && *path) {
		if (git_index_open(out, path) < 0)
			return nhi_git_error_set(NHI_ERROR, "cannot read the index '%s' named by GIT_INDEX_FILE", path);
		return 0;
	}
	if (git_repository_index(out, repo) < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot read the index");
	return 0;
}

int nhi_git_changes_staged(struct nhi_vec *out, git_repository *repo, struct nhi_git_warnings *warnings)
{
	git_diff_options options;
	git_tree *head = NULL;
	git_index *index = NULL;
	git_diff *diff = NULL;
	int error;

	init_diff_options(&options);
	if ((error = read_head_tree(&head, repo)) < 0)
		goto done;
	if ((error = open_index(&index, repo)) < 0)
		goto done;
	if (git_diff_tree_to_index(&diff, repo, head, index, &options) < 0) {
		error = nhi_git_error_set(NHI_ERROR, "cannot compare the index with HEAD");
		goto done;
	}
	if ((error = find_renames(diff)) < 0 || (error = warn_conflicts(diff, warnings)) < 0)
		goto done;
	error = collect_deltas(out, diff, &head, head ? 1 : 0, NHI_GIT_NO_COMMIT);

done:
	git_diff_free(diff);
	git_index_free(index);
	git_tree_free(head);
	return error;
}

static int lookup_trees(git_tree **trees, git_repository *repo, const git_oid *ids, size_t count)
{
	char hex[GIT_OID_HEXSZ + 1];

	for (size_t i = 0; i < count; i++)
		if (git_tree_lookup(&trees[i], repo, &ids[i]) < 0)
			return nhi_git_error_set(NHI_ERROR, "cannot read tree %s",
						 git_oid_tostr(hex, sizeof(hex), &ids[i]));
	return 0;
}

int nhi_git_changes_commit(struct nhi_vec *out, git_repository *repo, const git_oid *tree,
			   const git_oid *parent_trees, size_t parent_count, uint32_t commit)
{
	git_tree **parents = calloc(parent_count ? parent_count : 1, sizeof(*parents));
	git_diff_options options;
	git_tree *new_tree = NULL;
	git_diff *diff = NULL;
	int error;

	init_diff_options(&options);
	if (!parents) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	if ((error = lookup_trees(&new_tree, repo, tree, 1)) < 0 ||
	    (error = lookup_trees(parents, repo, parent_trees, parent_count)) < 0)
		goto done;
	if (git_diff_tree_to_tree(&diff, repo, parent_count ? parents[0] : NULL, new_tree, &options) < 0) {
		error = nhi_git_error_set(NHI_ERROR, "cannot compare a commit with its parent");
		goto done;
	}
	if ((error = find_renames(diff)) < 0)
		goto done;
	error = collect_deltas(out, diff, parents, parent_count, commit);

done:
	for (size_t i = 0; parents && i < parent_count; i++)
		git_tree_free(parents[i]);
	free(parents);
	git_diff_free(diff);
	git_tree_free(new_tree);
	return error;
}

int nhi_git_lines_push(struct nhi_git_lines *lines, size_t first, size_t last)
{
	if (lines->count == lines->alloc) {
		size_t alloc = lines->alloc ? lines->alloc * 2 : 16;
		struct nhi_git_line_range *ranges = realloc(lines->ranges, alloc * sizeof(*ranges));

		if (!ranges)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		lines->ranges = ranges;
		lines->alloc = alloc;
	}
	lines->ranges[lines->count].first = first;
	lines->ranges[lines->count].last = last;
	lines->count++;
	return 0;
}

int nhi_git_lines_added(struct nhi_git_lines *out, git_blob *old_blob, git_blob *new_blob)
{
	git_diff_options options;
	git_patch *patch = NULL;
	int error = 0;

	out->count = 0;
	git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
	/* No context lines, so every new-side line of a hunk is an added line. */
	options.context_lines = 0;
	options.interhunk_lines = 0;
	options.flags = GIT_DIFF_FORCE_TEXT;
	if (git_patch_from_blobs(&patch, old_blob, NULL, new_blob, NULL, &options) < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot compare two versions of a file");

	for (size_t i = 0; i < git_patch_num_hunks(patch) && error == 0; i++) {
		const git_diff_hunk *hunk = NULL;
		size_t line_count = 0;

		if (git_patch_get_hunk(&hunk, &line_count, patch, i) < 0) {
			error = nhi_git_error_set(NHI_ERROR, "cannot read a diff hunk");
			break;
		}
		if (hunk->new_lines > 0)
			error = nhi_git_lines_push(out, (size_t)hunk->new_start,
						   (size_t)hunk->new_start + (size_t)hunk->new_lines - 1);
	}
	git_patch_free(patch);
	return error;
}

int nhi_git_lines_intersect(struct nhi_git_lines *lines, const struct nhi_git_lines *other)
{
	struct nhi_git_lines result = { 0 };
	size_t i = 0, j = 0;
	int error = 0;

	while (i < lines->count && j < other->count && error == 0) {
		const struct nhi_git_line_range *a = &lines->ranges[i], *b = &other->ranges[j];
		size_t first = a->first > b->first ? a->first : b->first;
		size_t last = a->last < b->last ? a->last : b->last;

		if (first <= last)
			error = nhi_git_lines_push(&result, first, last);
		if (a->last < b->last)
			i++;
		else
			j++;
	}
	if (error < 0) {
		nhi_git_lines_dispose(&result);
		return error;
	}
	nhi_git_lines_dispose(lines);
	*lines = result;
	return 0;
}

bool nhi_git_lines_overlap(const struct nhi_git_lines *lines, size_t first, size_t last)
{
	size_t low = 0, high = lines->count;

	/* Binary search for the first range that ends at or after first. */
	while (low < high) {
		size_t mid = low + (high - low) / 2;

		if (lines->ranges[mid].last < first)
			low = mid + 1;
		else
			high = mid;
	}
	return low < lines->count && lines->ranges[low].first <= last;
}

void nhi_git_lines_dispose(struct nhi_git_lines *lines)
{
	free(lines->ranges);
	memset(lines, 0, sizeof(*lines));
}
