/*
 * Commit graph loading and ordering; see graph.h.
 *
 * A commit is read when it is first named (as a tip or as a parent), which gives its committer
 * time. It then waits in a queue ordered newest first, and when it leaves the queue it is
 * expanded: its parents are read and linked. Exclusion marks spread down the parent links, also through
 * commits expanded earlier, so a commit reached from an excluded tip late (clock skew, long-lived
 * branches) is still excluded.
 */
#include "git/graph.h"
#include "git/repo.h"
#include "util/error.h"
#include "util/fs.h"

#include <stdlib.h>
#include <string.h>

/*
 * When only excluded commits are queued, expand this many more before stopping, because a commit
 * with a skewed clock may sit below them. git's revision.c uses the same margin (SLOP, 5).
 */
#define EXCLUSION_SLOP 5
/* Largest shallow file read: 41 bytes per boundary commit, so about 1.6 million boundaries. */
#define SHALLOW_FILE_MAX ((size_t)64 << 20)
#define HEX_ID_LEN 40

typedef bool (*heap_before)(const struct nhi_git_commit *commits, uint32_t a, uint32_t b);

static bool newer(const struct nhi_git_commit *commits, uint32_t a, uint32_t b)
{
	if (commits[a].time != commits[b].time)
		return commits[a].time > commits[b].time;
	return a < b;
}

static bool older(const struct nhi_git_commit *commits, uint32_t a, uint32_t b)
{
	if (commits[a].time != commits[b].time)
		return commits[a].time < commits[b].time;
	return a < b;
}

static void heap_sift_up(uint32_t *heap, size_t i, const struct nhi_git_commit *commits, heap_before before)
{
	while (i > 0) {
		size_t parent = (i - 1) / 2;
		uint32_t tmp;

		if (!before(commits, heap[i], heap[parent]))
			break;
		tmp = heap[i];
		heap[i] = heap[parent];
		heap[parent] = tmp;
		i = parent;
	}
}

static void heap_sift_down(uint32_t *heap, size_t count, const struct nhi_git_commit *commits, heap_before before)
{
	size_t i = 0;

	for (;;) {
		size_t left = 2 * i + 1, right = left + 1, best = i;
		uint32_t tmp;

		if (left < count && before(commits, heap[left], heap[best]))
			best = left;
		if (right < count && before(commits, heap[right], heap[best]))
			best = right;
		if (best == i)
			break;
		tmp = heap[i];
		heap[i] = heap[best];
		heap[best] = tmp;
		i = best;
	}
}

static int read_shallow_file(struct nhi_git_graph *graph, git_repository *repo)
{
	char *path = nhi_path_join(git_repository_commondir(repo), "shallow");
	char *data = NULL;
	size_t len = 0;
	int error;

	if (!path)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	error = nhi_fs_read_file(&data, &len, path, SHALLOW_FILE_MAX);
	if (error == NHI_ENOTFOUND) {
		nhi_error_clear();
		error = 0;
		goto done;
	}
	if (error < 0)
		goto done;

	for (const char *line = data; line + HEX_ID_LEN <= data + len && error >= 0;) {
		const char *eol = memchr(line, '\n', (size_t)(data + len - line));
		git_oid id;

		if (git_oid_fromstrn(&id, line, HEX_ID_LEN) == 0)
			error = nhi_git_oidmap_insert(&graph->shallow, &id, 0, NULL);
		if (!eol)
			break;
		line = eol + 1;
	}
	error = error < 0 ? error : 0;

done:
	free(data);
	free(path);
	return error;
}

int nhi_git_graph_init(struct nhi_git_graph *graph, git_repository *repo, struct nhi_git_warnings *warnings)
{
	memset(graph, 0, sizeof(*graph));
	graph->warnings = warnings;
	if (git_repository_odb(&graph->odb, repo) < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot open the object database");
	return read_shallow_file(graph, repo);
}

static int grow_commits(struct nhi_git_graph *graph)
{
	size_t alloc = graph->alloc ? graph->alloc * 2 : 1024;
	struct nhi_git_commit *commits;

	if (alloc >= NHI_GIT_NO_COMMIT)
		return nhi_error_set(NHI_EUNSUPPORTED, "more than %u commits in one history", NHI_GIT_NO_COMMIT - 1);
	if (!(commits = realloc(graph->commits, alloc * sizeof(*commits))))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	graph->commits = commits;
	graph->alloc = alloc;
	return 0;
}

static int reserve_links(struct nhi_git_graph *graph, size_t extra)
{
	size_t alloc = graph->link_alloc ? graph->link_alloc : 1024;
	uint32_t *links;
	git_oid *ids;

	while (alloc < graph->link_count + extra)
		alloc *= 2;
	if (alloc == graph->link_alloc)
		return 0;
	if (alloc >= NHI_GIT_NO_COMMIT)
		return nhi_error_set(NHI_EUNSUPPORTED, "more than %u parent links in one history", NHI_GIT_NO_COMMIT - 1);
	if (!(links = realloc(graph->links, alloc * sizeof(*links))))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	graph->links = links;
	if (!(ids = realloc(graph->link_ids, alloc * sizeof(*ids))))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	graph->link_ids = ids;
	graph->link_alloc = alloc;
	return 0;
}

/* Append a commit from the parsed header; its parents stay as ids until it is expanded. */
static int append_commit(uint32_t *out, struct nhi_git_graph *graph, const git_oid *id)
{
	const struct nhi_git_commit_header *header = &graph->header;
	struct nhi_git_commit *commit;
	int error;

	if (graph->count == graph->alloc && (error = grow_commits(graph)) < 0)
		return error;
	if ((error = reserve_links(graph, header->parent_count)) < 0)
		return error;

	commit = &graph->commits[graph->count];
	git_oid_cpy(&commit->id, id);
	git_oid_cpy(&commit->tree, &header->tree);
	commit->time = header->time;
	commit->first_link = (uint32_t)graph->link_count;
	commit->parent_count = (uint32_t)header->parent_count;
	commit->flags = 0;
	for (size_t i = 0; i < header->parent_count; i++) {
		graph->links[graph->link_count] = NHI_GIT_NO_COMMIT;
		git_oid_cpy(&graph->link_ids[graph->link_count++], &header->parents[i]);
	}
	if ((error = nhi_git_oidmap_insert(&graph->index, id, (uint32_t)graph->count, NULL)) < 0)
		return error;
	*out = (uint32_t)graph->count++;
	return 0;
}

/*
 * Find or read the commit id. Returns 0 with *out set, or NHI_ENOTFOUND / NHI_EINVALID when the
 * object is missing or is not a readable commit (the caller decides how to warn).
 */
static int load_commit(uint32_t *out, struct nhi_git_graph *graph, const git_oid *id)
{
	git_odb_object *object = NULL;
	int error;

	if (nhi_git_oidmap_get(&graph->index, id, out))
		return 0;
	error = git_odb_read(&object, graph->odb, id);
	if (error == GIT_ENOTFOUND)
		return NHI_ENOTFOUND;
	if (error < 0 || git_odb_object_type(object) != GIT_OBJECT_COMMIT ||
	    nhi_git_commit_header_parse(&graph->header, git_odb_object_data(object), git_odb_object_size(object)) < 0) {
		error = NHI_EINVALID;
		goto done;
	}
	error = append_commit(out, graph, id);

done:
	git_odb_object_free(object);
	return error;
}

static int push_queue(struct nhi_git_graph *graph, uint32_t index)
{
	struct nhi_git_commit *commit = &graph->commits[index];

	if (commit->flags & NHI_GIT_COMMIT_QUEUED)
		return 0;
	if (graph->queue_count == graph->queue_alloc) {
		size_t alloc = graph->queue_alloc ? graph->queue_alloc * 2 : 256;
		uint32_t *queue = realloc(graph->queue, alloc * sizeof(*queue));

		if (!queue)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		graph->queue = queue;
		graph->queue_alloc = alloc;
	}
	commit->flags |= NHI_GIT_COMMIT_QUEUED | NHI_GIT_COMMIT_IN_QUEUE;
	if (!(commit->flags & NHI_GIT_COMMIT_UNINTERESTING))
		graph->queued_interesting++;
	graph->queue[graph->queue_count++] = index;
	heap_sift_up(graph->queue, graph->queue_count - 1, graph->commits, newer);
	return 0;
}

static uint32_t pop_queue(struct nhi_git_graph *graph)
{
	uint32_t top = graph->queue[0];
	struct nhi_git_commit *commit = &graph->commits[top];

	graph->queue[0] = graph->queue[--graph->queue_count];
	heap_sift_down(graph->queue, graph->queue_count, graph->commits, newer);
	commit->flags &= ~(uint32_t)NHI_GIT_COMMIT_IN_QUEUE;
	if (!(commit->flags & NHI_GIT_COMMIT_UNINTERESTING))
		graph->queued_interesting--;
	return top;
}

/* Mark index and every expanded ancestor uninteresting. */
static int mark_uninteresting(struct nhi_git_graph *graph, uint32_t index)
{
	uint32_t *stack = NULL;
	size_t count = 0, alloc = 0;
	int error = 0;

	for (;;) {
		struct nhi_git_commit *commit = &graph->commits[index];

		if (!(commit->flags & NHI_GIT_COMMIT_UNINTERESTING)) {
			commit->flags |= NHI_GIT_COMMIT_UNINTERESTING;
			if (commit->flags & NHI_GIT_COMMIT_IN_QUEUE)
				graph->queued_interesting--;
			for (uint32_t i = 0; (commit->flags & NHI_GIT_COMMIT_EXPANDED) && i < commit->parent_count; i++) {
				uint32_t parent = graph->links[commit->first_link + i];

				if (parent == NHI_GIT_NO_COMMIT)
					continue;
				if (count == alloc) {
					uint32_t *grown = realloc(stack, (alloc = alloc ? alloc * 2 : 64) * sizeof(*stack));

					if (!grown) {
						error = nhi_error_set(NHI_ENOMEM, "out of memory");
						goto done;
					}
					stack = grown;
				}
				stack[count++] = parent;
			}
		}
		if (count == 0)
			break;
		index = stack[--count];
	}

done:
	free(stack);
	return error;
}

static int warn_unreadable(struct nhi_git_graph *graph, int code, const git_oid *id, const git_oid *child)
{
	char hex[GIT_OID_HEXSZ + 1], child_hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	if (code == NHI_ENOTFOUND && child && nhi_git_oidmap_get(&graph->shallow, child, NULL)) {
		graph->shallow_boundaries++;
		return 0;
	}
	if (!child)
		return nhi_git_warnings_add(graph->warnings, code == NHI_ENOTFOUND ? NHI_GIT_WARN_MISSING : NHI_GIT_WARN_CORRUPT,
					    "commit %s is %s; its history is not scanned", hex,
					    code == NHI_ENOTFOUND ? "missing" : "damaged or not a commit");
	git_oid_tostr(child_hex, sizeof(child_hex), child);
	return nhi_git_warnings_add(graph->warnings, code == NHI_ENOTFOUND ? NHI_GIT_WARN_MISSING : NHI_GIT_WARN_CORRUPT,
				    "commit %s (parent of %s) is %s; the history behind it is not scanned", hex,
				    child_hex, code == NHI_ENOTFOUND ? "missing" : "damaged or not a commit");
}

int nhi_git_graph_add_tip(struct nhi_git_graph *graph, const git_oid *id, bool excluded)
{
	uint32_t index;
	int error;

	error = load_commit(&index, graph, id);
	if (error == NHI_ENOTFOUND || error == NHI_EINVALID)
		return warn_unreadable(graph, error, id, NULL);
	if (error < 0)
		return error;
	if (excluded) {
		graph->limited = true;
		if ((error = mark_uninteresting(graph, index)) < 0)
			return error;
	}
	return push_queue(graph, index);
}

/* Read and link the parents of commit index, passing its exclusion down. */
static int expand_commit(struct nhi_git_graph *graph, uint32_t index)
{
	uint32_t count = graph->commits[index].parent_count;
	int error = 0;

	for (uint32_t i = 0; i < count && error >= 0; i++) {
		/* Re-read through the array each time: loading a parent may move it. */
		uint32_t link = graph->commits[index].first_link + i;
		git_oid parent_id;
		uint32_t parent;

		git_oid_cpy(&parent_id, &graph->link_ids[link]);
		error = load_commit(&parent, graph, &parent_id);
		if (error == NHI_ENOTFOUND || error == NHI_EINVALID) {
			graph->commits[index].flags |= NHI_GIT_COMMIT_BOUNDARY;
			error = warn_unreadable(graph, error, &parent_id, &graph->commits[index].id);
			continue;
		}
		if (error < 0)
			break;
		graph->links[link] = parent;
		if ((graph->commits[index].flags & NHI_GIT_COMMIT_UNINTERESTING) &&
		    (error = mark_uninteresting(graph, parent)) < 0)
			break;
		error = push_queue(graph, parent);
	}
	graph->commits[index].flags |= NHI_GIT_COMMIT_EXPANDED;
	return error;
}

int nhi_git_graph_load(struct nhi_git_graph *graph)
{
	int slop = EXCLUSION_SLOP;
	int error = 0;

	while (graph->queue_count > 0 && error >= 0) {
		if (graph->limited && graph->queued_interesting == 0) {
			if (slop-- == 0)
				break;
		} else {
			slop = EXCLUSION_SLOP;
		}
		error = expand_commit(graph, pop_queue(graph));
	}
	if (error >= 0 && graph->shallow_boundaries > 0)
		error = nhi_git_warnings_add(graph->warnings, NHI_GIT_WARN_OTHER,
					     "the repository is a shallow clone: history older than its %zu boundary commit%s is not in it and was not scanned",
					     graph->shallow_boundaries, graph->shallow_boundaries == 1 ? "" : "s");
	return error < 0 ? error : 0;
}

uint32_t nhi_git_graph_parent(const struct nhi_git_graph *graph, uint32_t commit, uint32_t parent)
{
	const struct nhi_git_commit *c = &graph->commits[commit];

	if (parent >= c->parent_count || !(c->flags & NHI_GIT_COMMIT_EXPANDED))
		return NHI_GIT_NO_COMMIT;
	return graph->links[c->first_link + parent];
}

bool nhi_git_graph_missing_parent(git_oid *parent, bool *shallow, const struct nhi_git_graph *graph, uint32_t commit)
{
	const struct nhi_git_commit *c = &graph->commits[commit];

	if (!(c->flags & NHI_GIT_COMMIT_BOUNDARY))
		return false;
	for (uint32_t i = 0; i < c->parent_count; i++) {
		if (graph->links[c->first_link + i] != NHI_GIT_NO_COMMIT)
			continue;
		git_oid_cpy(parent, &graph->link_ids[c->first_link + i]);
		*shallow = nhi_git_oidmap_get(&graph->shallow, &c->id, NULL);
		return true;
	}
	return false;
}

static bool in_order(const struct nhi_git_graph *graph, uint32_t index)
{
	return index != NHI_GIT_NO_COMMIT && !(graph->commits[index].flags & NHI_GIT_COMMIT_UNINTERESTING);
}

/* Children of each commit in the order, as offsets into one array (compressed rows). */
struct child_lists {
	uint32_t *start;    /* count + 1 offsets */
	uint32_t *children;
	uint32_t *pending;  /* parents not yet emitted, per commit */
};

static int build_child_lists(struct child_lists *out, const struct nhi_git_graph *graph)
{
	size_t n = graph->count;
	uint32_t *fill = NULL;
	int error = 0;

	out->start = calloc(n + 1, sizeof(uint32_t));
	out->pending = calloc(n ? n : 1, sizeof(uint32_t));
	out->children = malloc((graph->link_count ? graph->link_count : 1) * sizeof(uint32_t));
	fill = calloc(n ? n : 1, sizeof(uint32_t));
	if (!out->start || !out->pending || !out->children || !fill) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	for (uint32_t c = 0; c < n; c++)
		for (uint32_t p = 0; in_order(graph, c) && p < graph->commits[c].parent_count; p++) {
			uint32_t parent = nhi_git_graph_parent(graph, c, p);

			if (in_order(graph, parent)) {
				out->start[parent + 1]++;
				out->pending[c]++;
			}
		}
	for (size_t i = 0; i < n; i++)
		out->start[i + 1] += out->start[i];
	for (uint32_t c = 0; c < n; c++)
		for (uint32_t p = 0; in_order(graph, c) && p < graph->commits[c].parent_count; p++) {
			uint32_t parent = nhi_git_graph_parent(graph, c, p);

			if (in_order(graph, parent))
				out->children[out->start[parent] + fill[parent]++] = c;
		}

done:
	free(fill);
	return error;
}

static void dispose_child_lists(struct child_lists *lists)
{
	free(lists->start);
	free(lists->children);
	free(lists->pending);
}

int nhi_git_graph_sort(uint32_t **out, size_t *out_count, const struct nhi_git_graph *graph)
{
	struct child_lists lists = { 0 };
	uint32_t *order = NULL, *ready = NULL;
	size_t emitted = 0, ready_count = 0;
	int error;

	*out = NULL;
	*out_count = 0;
	if ((error = build_child_lists(&lists, graph)) < 0)
		goto done;
	order = malloc((graph->count ? graph->count : 1) * sizeof(*order));
	ready = malloc((graph->count ? graph->count : 1) * sizeof(*ready));
	if (!order || !ready) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}

	/* Kahn's algorithm; among commits whose parents are all emitted, the oldest goes first. */
	for (uint32_t c = 0; c < graph->count; c++)
		if (in_order(graph, c) && lists.pending[c] == 0) {
			ready[ready_count++] = c;
			heap_sift_up(ready, ready_count - 1, graph->commits, older);
		}
	while (ready_count > 0) {
		uint32_t c = ready[0];

		ready[0] = ready[--ready_count];
		heap_sift_down(ready, ready_count, graph->commits, older);
		order[emitted++] = c;
		for (uint32_t i = lists.start[c]; i < lists.start[c + 1]; i++) {
			uint32_t child = lists.children[i];

			if (--lists.pending[child] == 0) {
				ready[ready_count++] = child;
				heap_sift_up(ready, ready_count - 1, graph->commits, older);
			}
		}
	}
	*out = order;
	*out_count = emitted;
	order = NULL;

done:
	free(order);
	free(ready);
	dispose_child_lists(&lists);
	return error;
}

void nhi_git_graph_dispose(struct nhi_git_graph *graph)
{
	git_odb_free(graph->odb);
	free(graph->commits);
	free(graph->links);
	free(graph->link_ids);
	free(graph->queue);
	nhi_git_oidmap_dispose(&graph->index);
	nhi_git_oidmap_dispose(&graph->shallow);
	nhi_git_commit_header_dispose(&graph->header);
	memset(graph, 0, sizeof(*graph));
}
