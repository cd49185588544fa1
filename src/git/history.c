/*
 * Whole-history blob enumeration; see history.h for why the first sight of a blob is its
 * introduction.
 */
#include "git/history.h"
#include "git/object.h"
#include "git/refs.h"
#include "git/repo.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

/*
 * Deepest folder nesting walked. Real projects stay far below it; the limit keeps a crafted
 * tree from exhausting the stack through the walk's recursion (about 200 bytes per level).
 */
#define MAX_TREE_DEPTH 2048
/* Room for "'path' in commit 1a2b3c4d5e6f" in a warning; longer paths are cut. */
#define LOCATION_MAX 512

static int walk_tree(struct nhi_git_history *history, const git_oid *tree_id, unsigned depth);

/* Return a short, printable location of the path being walked for a warning. */
static const char *where(const struct nhi_git_history *history, char *buf, size_t size)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (history->commit == NHI_GIT_NO_COMMIT) {
		snprintf(buf, size, "'%s'", history->path.size ? history->path.ptr : "/");
		return buf;
	}
	git_oid_tostr(hex, sizeof(hex), nhi_git_history_commit_id(history, history->commit));
	snprintf(buf, size, "'%s' in commit %.12s", history->path.size ? history->path.ptr : "/", hex);
	return buf;
}

/* Warn "<what> <id> at <location> <problem>", for instance "tree 1a2b... at 'src' is missing; skipped". */
static int warn_object(struct nhi_git_history *history, enum nhi_git_warning_kind kind, const char *what,
		       const git_oid *id, const char *problem)
{
	char hex[13], location[LOCATION_MAX];

	/* Twelve hex digits, like the commit ids in these messages: enough to paste into git show. */
	git_oid_tostr(hex, sizeof(hex), id);
	return nhi_git_warnings_add(history->warnings, kind, "%s %s at %s %s", what, hex,
				    where(history, location, sizeof(location)), problem);
}

/* Slots of each table of recently found ids. */
#define RECENT_SLOTS (1u << 15)

static size_t recent_slot(const git_oid *id)
{
	uint32_t hash;

	memcpy(&hash, id->id, sizeof(hash));
	return hash & (RECENT_SLOTS - 1);
}

/* Return true when id is in map, looking in its table of recent ids first. */
static bool was_seen(const struct nhi_git_oidmap *map, git_oid *recent, const git_oid *id)
{
	git_oid *slot = &recent[recent_slot(id)];

	/* The table starts zeroed, and the zero id is never a real object. */
	if (memcmp(slot->id, id->id, GIT_OID_RAWSZ) == 0 && !git_oid_is_zero(id))
		return true;
	if (!nhi_git_oidmap_get(map, id, NULL))
		return false;
	git_oid_cpy(slot, id);
	return true;
}

static bool skips(const struct nhi_git_history *history, const char *path)
{
	const struct nhi_git_history_callbacks *callbacks = history->callbacks;

	return callbacks->skip_path && callbacks->skip_path(callbacks->payload, path);
}

static int visit_file(struct nhi_git_history *history, const git_oid *id)
{
	struct nhi_git_history_visit visit;
	int inserted;

	if (was_seen(&history->seen_blobs, history->recent_blobs, id))
		return 0;
	/* A skipped path does not mark the blob: the same content elsewhere is still scanned. */
	if (skips(history, history->path.ptr)) {
		history->stats.skipped_paths++;
		return 0;
	}
	if ((inserted = nhi_git_oidmap_insert(&history->seen_blobs, id, 0, NULL)) < 0)
		return inserted;
	history->stats.blobs++;
	visit.blob = id;
	visit.path = history->path.ptr;
	visit.path_len = history->path.size;
	visit.commit = history->commit;
	return history->callbacks->on_blob(history->callbacks->payload, &visit);
}

static int visit_folder(struct nhi_git_history *history, const git_oid *id, unsigned depth)
{
	int inserted;

	if (was_seen(&history->seen_trees, history->recent_trees, id))
		return 0;
	if (skips(history, history->path.ptr)) {
		history->stats.skipped_paths++;
		return 0;
	}
	if ((inserted = nhi_git_oidmap_insert(&history->seen_trees, id, 0, NULL)) < 0)
		return inserted;
	if (depth + 1 > MAX_TREE_DEPTH)
		return warn_object(history, NHI_GIT_WARN_CORRUPT, "tree", id, "is nested too deeply; skipped");
	return walk_tree(history, id, depth + 1);
}

/* Warn once per submodule path, not once per version of the superproject's tree. */
static int visit_submodule(struct nhi_git_history *history, const git_oid *id)
{
	size_t known = history->submodule_paths.count;
	const char *interned;
	int error;

	history->stats.submodules++;
	if ((error = nhi_git_pathpool_intern(&interned, &history->submodule_paths, history->path.ptr,
					     history->path.size)) < 0)
		return error;
	if (history->submodule_paths.count == known)
		return 0;
	return warn_object(history, NHI_GIT_WARN_SUBMODULE, "submodule commit", id,
			   "belongs to another repository; not scanned");
}

static int visit_entry(struct nhi_git_history *history, const struct nhi_git_tree_entry *entry, unsigned depth)
{
	switch (nhi_git_entry_kind_of(entry->mode)) {
	case NHI_GIT_ENTRY_TREE:
		return visit_folder(history, &entry->id, depth);
	case NHI_GIT_ENTRY_FILE:
		return visit_file(history, &entry->id);
	case NHI_GIT_ENTRY_SYMLINK:
		history->stats.symlinks++;
		return 0;
	case NHI_GIT_ENTRY_GITLINK:
		return visit_submodule(history, &entry->id);
	default:
		return warn_object(history, NHI_GIT_WARN_CORRUPT, "entry", &entry->id, "has an unknown file mode; skipped");
	}
}

/* A tree being walked, read through the pack reader or through libgit2. */
struct tree_data {
	const char *data;
	size_t size;
	struct nhi_git_pack_object packed;
	git_odb_object *object;
};

static bool read_packed_tree(struct tree_data *tree, struct nhi_git_history *history, const git_oid *tree_id)
{
	if (!history->pack || nhi_git_pack_read_id(&tree->packed, history->pack, tree_id) < 0)
		return false;
	if (tree->packed.type != GIT_OBJECT_TREE) {
		nhi_git_pack_release(history->pack, &tree->packed);
		return false;
	}
	tree->data = tree->packed.data;
	tree->size = tree->packed.size;
	return true;
}

static int read_tree(struct tree_data *tree, struct nhi_git_history *history, const git_oid *tree_id)
{
	int error;

	memset(tree, 0, sizeof(*tree));
	if (read_packed_tree(tree, history, tree_id))
		return 0;
	error = git_odb_read(&tree->object, history->odb, tree_id);
	if (error == GIT_ENOTFOUND)
		return warn_object(history, NHI_GIT_WARN_MISSING, "tree", tree_id, "is missing; skipped");
	if (error < 0 || git_odb_object_type(tree->object) != GIT_OBJECT_TREE) {
		git_odb_object_free(tree->object);
		tree->object = NULL;
		return warn_object(history, NHI_GIT_WARN_CORRUPT, "tree", tree_id, "is damaged or not a tree; skipped");
	}
	tree->data = git_odb_object_data(tree->object);
	tree->size = git_odb_object_size(tree->object);
	return 0;
}

static void release_tree(struct tree_data *tree, struct nhi_git_history *history)
{
	if (tree->packed.entry)
		nhi_git_pack_release(history->pack, &tree->packed);
	git_odb_object_free(tree->object);
}

static int walk_tree(struct nhi_git_history *history, const git_oid *tree_id, unsigned depth)
{
	struct nhi_git_tree_reader reader;
	struct nhi_git_tree_entry entry;
	struct tree_data tree;
	size_t base = history->path.size;
	int error, more;

	if ((error = read_tree(&tree, history, tree_id)) < 0 || !tree.data)
		goto done;
	history->stats.trees++;
	nhi_git_tree_reader_init(&reader, tree.data, tree.size);
	while ((more = nhi_git_tree_next(&entry, &reader)) > 0) {
		if ((base && (error = nhi_buf_putc(&history->path, '/')) < 0) ||
		    (error = nhi_buf_put(&history->path, entry.name, entry.name_len)) < 0)
			goto done;
		error = visit_entry(history, &entry, depth);
		history->path.size = base;
		history->path.ptr[base] = '\0';
		if (error < 0)
			goto done;
	}
	if (more < 0)
		error = warn_object(history, NHI_GIT_WARN_CORRUPT, "tree", tree_id, "is damaged; its remaining entries are skipped");

done:
	release_tree(&tree, history);
	return error;
}

/* Walk a root tree with an empty path, unless an earlier commit had the same tree. */
static int walk_root(struct nhi_git_history *history, const git_oid *tree_id)
{
	int inserted;

	nhi_buf_clear(&history->path);
	if ((inserted = nhi_git_oidmap_insert(&history->seen_trees, tree_id, 0, NULL)) <= 0)
		return inserted;
	return walk_tree(history, tree_id, 0);
}

static int walk_commits(struct nhi_git_history *history)
{
	const struct nhi_git_history_callbacks *callbacks = history->callbacks;
	int error = 0;

	for (size_t i = 0; i < history->order_count && error >= 0; i++) {
		const struct nhi_git_commit *commit = &history->graph.commits[history->order[i]];

		history->commit = (uint32_t)i;
		history->stats.commits++;
		error = walk_root(history, &commit->tree);
		if (error >= 0 && callbacks->on_commit)
			error = callbacks->on_commit(callbacks->payload, i + 1, history->order_count);
	}
	history->commit = NHI_GIT_NO_COMMIT;
	return error;
}

/* Trees and blobs that a tag names directly: no commit contains them. */
static int walk_object_tips(struct nhi_git_history *history)
{
	int error = 0;

	for (size_t i = 0; i < history->object_tips.count && error >= 0; i++) {
		const struct nhi_git_object_tip *tip = history->object_tips.items[i];

		if (tip->type == GIT_OBJECT_TREE) {
			error = walk_root(history, &tip->id);
			continue;
		}
		nhi_buf_clear(&history->path);
		if ((error = nhi_buf_puts(&history->path, tip->refname)) >= 0)
			error = visit_file(history, &tip->id);
	}
	return error;
}

struct odb_scan {
	struct nhi_git_history *history;
	git_odb *odb;
	struct nhi_vec commits;   /* git_oid *: every commit in the object database */
	int error;
};

static int collect_commit(const git_oid *id, void *payload)
{
	struct odb_scan *scan = payload;
	git_object_t type;
	size_t size;
	git_oid *copy;

	if (git_odb_read_header(&size, &type, scan->odb, id) < 0 || type != GIT_OBJECT_COMMIT)
		return 0;
	if (!(copy = malloc(sizeof(*copy)))) {
		scan->error = nhi_error_set(NHI_ENOMEM, "out of memory");
		return -1;
	}
	git_oid_cpy(copy, id);
	if ((scan->error = nhi_vec_push(&scan->commits, copy)) < 0) {
		free(copy);
		return -1;
	}
	return 0;
}

/* Add every commit of the object database as a tip, reachable or not. */
static int add_every_commit(struct nhi_git_history *history)
{
	struct odb_scan scan = { history, history->odb, NHI_VEC_INIT, 0 };
	int error;

	if (git_odb_foreach(history->odb, collect_commit, &scan) < 0 && scan.error == 0)
		scan.error = nhi_git_error_set(NHI_ERROR, "cannot list the object database");
	for (size_t i = 0; i < scan.commits.count && scan.error >= 0; i++)
		scan.error = nhi_git_graph_add_tip(&history->graph, scan.commits.items[i], false);
	error = scan.error;
	nhi_vec_dispose_all(&scan.commits, NULL);
	return error;
}

static int visit_unreachable(const git_oid *id, void *payload)
{
	struct odb_scan *scan = payload;
	struct nhi_git_history *history = scan->history;
	char hex[GIT_OID_HEXSZ + 1];
	git_object_t type;
	size_t size;

	if (nhi_git_oidmap_get(&history->seen_blobs, id, NULL) || nhi_git_oidmap_get(&history->seen_trees, id, NULL) ||
	    nhi_git_oidmap_get(&history->graph.index, id, NULL))
		return 0;
	if (git_odb_read_header(&size, &type, scan->odb, id) < 0 || type != GIT_OBJECT_BLOB)
		return 0;
	git_oid_tostr(hex, sizeof(hex), id);
	nhi_buf_clear(&history->path);
	if ((scan->error = nhi_buf_puts(&history->path, hex)) >= 0 &&
	    (scan->error = visit_file(history, id)) >= 0)
		history->stats.unreachable_blobs++;
	return scan->error < 0 ? -1 : 0;
}

/*
 * Blobs that no walked tree contains. NOTE: trees that no commit reaches are not walked, so
 * their blobs are reported under their id instead of a path.
 */
static int walk_unreachable_blobs(struct nhi_git_history *history)
{
	struct odb_scan scan = { history, history->odb, NHI_VEC_INIT, 0 };

	if (git_odb_foreach(history->odb, visit_unreachable, &scan) < 0 && scan.error == 0)
		scan.error = nhi_git_error_set(NHI_ERROR, "cannot list the object database");
	return scan.error;
}

static int load_graph(struct nhi_git_history *history, git_repository *repo, unsigned flags)
{
	bool with_stash = !(flags & NHI_GIT_HISTORY_NO_STASH);
	int error;

	if ((error = nhi_git_graph_init(&history->graph, repo, history->warnings)) < 0 ||
	    (error = nhi_git_refs_add_tips(&history->graph, &history->object_tips, repo, with_stash,
					   history->warnings)) < 0)
		return error;
	if ((flags & NHI_GIT_HISTORY_ALL_OBJECTS) && (error = add_every_commit(history)) < 0)
		return error;
	if ((error = nhi_git_graph_load(&history->graph)) < 0)
		return error;
	return nhi_git_graph_sort(&history->order, &history->order_count, &history->graph);
}

int nhi_git_history_walk(struct nhi_git_history *history, git_repository *repo, unsigned flags,
			 const struct nhi_git_history_callbacks *callbacks, struct nhi_git_warnings *warnings,
			 struct nhi_git_pack_reader *pack)
{
	int error;

	memset(history, 0, sizeof(*history));
	history->pack = pack;
	history->recent_blobs = calloc(RECENT_SLOTS, sizeof(*history->recent_blobs));
	history->recent_trees = calloc(RECENT_SLOTS, sizeof(*history->recent_trees));
	if (!history->recent_blobs || !history->recent_trees)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	history->callbacks = callbacks;
	history->warnings = warnings;
	history->commit = NHI_GIT_NO_COMMIT;
	if (git_repository_odb(&history->odb, repo) < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot open the object database");

	if ((error = load_graph(history, repo, flags)) < 0 ||
	    (error = walk_commits(history)) < 0 ||
	    (error = walk_object_tips(history)) < 0)
		return error;
	if (flags & NHI_GIT_HISTORY_ALL_OBJECTS)
		error = walk_unreachable_blobs(history);
	return error;
}

const git_oid *nhi_git_history_commit_id(const struct nhi_git_history *history, uint32_t position)
{
	if (position == NHI_GIT_NO_COMMIT || position >= history->order_count)
		return NULL;
	return &history->graph.commits[history->order[position]].id;
}

void nhi_git_history_dispose(struct nhi_git_history *history)
{
	nhi_git_graph_dispose(&history->graph);
	free(history->order);
	git_odb_free(history->odb);
	nhi_git_oidmap_dispose(&history->seen_blobs);
	nhi_git_oidmap_dispose(&history->seen_trees);
	free(history->recent_blobs);
	free(history->recent_trees);
	nhi_git_pathpool_dispose(&history->submodule_paths);
	nhi_buf_dispose(&history->path);
	nhi_vec_dispose_all(&history->object_tips, nhi_git_object_tip_free);
	memset(history, 0, sizeof(*history));
}
