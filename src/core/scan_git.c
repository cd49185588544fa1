/*
 * The git scan modes on a pool of threads; see scan_git.h.
 *
 * Each mode gives the pool a way to take the next job and a way to run it. History jobs are
 * blobs, which the calling thread queues while it walks the history, so scanning starts with the
 * first commit. Staged jobs are the changed files of the index. Range jobs are commits: a thread
 * lists the changes of its commit and scans them. Every thread owns a repository handle, since
 * libgit2 objects are not shared between threads, and a scratch for the matcher. Each thread also
 * keeps its own findings and warnings, which are merged and sorted when all threads are done, so
 * the output does not depend on thread timing.
 */
#include "core/scan_git.h"
#include "core/finding.h"
#include "git/diff.h"
#include "git/graph.h"
#include "git/history.h"
#include "git/loose.h"
#include "git/packorder.h"
#include "git/packread.h"
#include "git/path.h"
#include "git/pathpool.h"
#include "git/provenance.h"
#include "git/range.h"
#include "git/repo.h"
#include "git/warnings.h"
#include "util/buf.h"
#include "util/error.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_THREADS 64
/* Fewer jobs than this run on one thread: a pre-commit hook does not pay for starting more. */
#define SMALL_JOB_COUNT 8
/*
 * Queued blobs are handed to the threads in batches sorted by pack position (see
 * git/packorder.h): a full batch, or a smaller one when the threads have run out of work.
 * Reading curl's blobs in walk order sorted within batches of 4096 took 16.9 s of CPU, against
 * 19.0 s in walk order and 14.9 s in full pack order (bench/read-order.sh).
 */
#define SORT_BATCH 4096
#define SORT_BATCH_IDLE 256
/*
 * Bytes of rebuilt pack objects, and of the candidates kept with them, that the history scan's
 * threads share. 64 MiB saved about 0.5 s of CPU on curl's history and peaked 20 to 30 MB
 * higher (docs/BENCHMARKS.md).
 */
#define PACK_CACHE_BYTES ((size_t)32 << 20)
#define PROGRESS_INTERVAL_MS 100.0

/* A blob of the history, queued for the threads. */
struct blob_job {
	git_oid id;
	const char *path;   /* interned in the scan's path pool */
	uint32_t commit;    /* walk position of the introducing commit, or NHI_GIT_NO_COMMIT */
	uint64_t pack_key;  /* read order, from nhi_git_pack_order_key() */
};

/* A finding and the position of its commit, for keeping the earliest of duplicates. */
struct hit {
	struct nhi_finding *finding;
	uint32_t commit;
	const char *path;   /* interned in the scan's path pool, in the history mode */
};

/*
 * A blob of the history that could not be read. A secret found in a later version of the same
 * path may have been introduced in it, so that attribution is marked as uncertain.
 */
struct unread_blob {
	const char *path;   /* interned in the scan's path pool */
	uint32_t commit;
	git_oid id;
};

struct scan_thread;

struct git_scan {
	struct nhi_context *ctx;
	const char *path;
	const struct nhi_git_scan_options *options;
	size_t max_blob_size;
	git_repository *repo;                    /* the calling thread's handle */
	int (*take)(struct scan_thread *thread); /* 1 when a job was taken, 0 when none is left */
	int (*run)(struct scan_thread *thread);
	const git_oid *(*commit_id)(const struct git_scan *scan, uint32_t position);
	/* The commit graph and the graph index of a walk position; NULL in the staged mode. */
	const struct nhi_git_graph *(*graph_of)(const struct git_scan *scan, uint32_t position, uint32_t *index);
	/* Fail when the scan could read nothing of what it was asked to scan; NULL for no check. */
	int (*check_read)(const struct git_scan *scan, const struct nhi_scan_stats *stats);

	/* Jobs counted up front (staged, range): the next index is taken atomically. */
	size_t job_count;
	size_t next_job;
	size_t unlisted_commits;                 /* range: commits whose changes could not be listed */

	/* History: blobs queued while the walk goes on; guarded by lock. */
	bool streaming;                          /* jobs come from the queue */
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct blob_job *queue;
	size_t queue_count, queue_alloc, queue_next;
	size_t queue_ready;                      /* jobs before this index are sorted and handed out */
	struct nhi_git_pack_order pack_order;
	struct nhi_git_pack_cache *pack_cache;   /* NULL: every blob is read through libgit2 */
	bool listing_done;
	unsigned running;
	struct nhi_git_pathpool paths;

	/* Mode data. */
	struct nhi_git_history history;
	struct nhi_git_range range;
	struct nhi_vec changes;                  /* staged: struct nhi_git_change * */

	/* Progress, updated atomically by the threads. */
	const char *unit;
	size_t units_done;
	size_t bytes_done;
	struct timespec start;
	double last_progress_ms;
	struct nhi_git_warnings warnings;        /* from the calling thread */
	struct nhi_vec unread;                   /* history: every thread's struct unread_blob * */
};

struct scan_thread {
	struct git_scan *scan;
	pthread_t thread;
	git_repository *repo;
	git_odb *odb;
	struct nhi_git_pack_reader pack;         /* history: its cache is NULL without packs */
	struct nhi_scan_worker worker;
	struct nhi_vec found;                    /* struct nhi_finding *, from the current blob */
	struct nhi_vec hits;                     /* struct hit * */
	struct nhi_git_warnings warnings;
	struct nhi_scan_stats stats;
	struct nhi_git_lines lines, base_lines;
	struct nhi_buf display;
	struct nhi_vec changes;                  /* range: the changes of the current commit */
	struct nhi_vec unread;                   /* struct unread_blob * */
	size_t job;
	struct blob_job blob;
	int error;
	char *message;                           /* this thread's error message */
};

static double elapsed_ms(const struct git_scan *scan)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - scan->start.tv_sec) * 1e3 + (double)(now.tv_nsec - scan->start.tv_nsec) / 1e6;
}

/* Call the progress callback when PROGRESS_INTERVAL_MS has passed, or always when finished. */
static void report_progress(struct git_scan *scan, size_t total, bool total_known, bool finished)
{
	const struct nhi_git_scan_options *options = scan->options;
	struct nhi_git_progress progress;
	double now;

	if (!options->progress)
		return;
	now = elapsed_ms(scan);
	if (!finished && now - scan->last_progress_ms < PROGRESS_INTERVAL_MS)
		return;
	scan->last_progress_ms = now;
	progress.unit = scan->unit;
	progress.done = __atomic_load_n(&scan->units_done, __ATOMIC_RELAXED);
	progress.total = total;
	progress.total_known = total_known;
	progress.bytes_scanned = __atomic_load_n(&scan->bytes_done, __ATOMIC_RELAXED);
	progress.elapsed_ms = now;
	progress.finished = finished;
	options->progress(options->progress_payload, &progress);
}

/* Report progress with the mode's total; only the calling thread reports. */
static void report_scan_progress(struct git_scan *scan, bool finished)
{
	if (scan->streaming)
		report_progress(scan, scan->queue_count, scan->listing_done, finished);
	else
		report_progress(scan, scan->job_count, true, finished);
}

static const char *short_id(char *buf, size_t size, const git_oid *id)
{
	if (!id)
		return "";
	git_oid_tostr(buf, size, id);
	return buf;
}

/* Warn about a blob: "blob 1a2b3c4d5e6f at 'path' in commit 9f8e7d6c5b4a <problem>". */
static int warn_blob(struct scan_thread *t, enum nhi_git_warning_kind kind, const git_oid *id, uint32_t commit,
		     const char *problem)
{
	const git_oid *commit_id = t->scan->commit_id(t->scan, commit);
	char blob_hex[13], commit_hex[13];

	return nhi_git_warnings_add(&t->warnings, kind, "blob %s at '%s'%s%s %s",
				    short_id(blob_hex, sizeof(blob_hex), id), t->display.ptr,
				    commit_id ? " in commit " : "",
				    short_id(commit_hex, sizeof(commit_hex), commit_id), problem);
}

/* Set t->display to the printable form of path, warning when bytes had to be escaped. */
static int make_display_path(struct scan_thread *t, const char *path)
{
	bool escaped = false;
	int error;

	if ((error = nhi_git_path_display(&t->display, path, &escaped)) < 0 || !escaped)
		return error;
	return nhi_git_warnings_add(&t->warnings, NHI_GIT_WARN_PATH,
				    "path '%s' is not valid UTF-8 or contains control characters; it is scanned and shown with \\x escapes",
				    t->display.ptr);
}

/*
 * Read a blob for scanning, or store NULL in *out after recording why it is skipped: missing,
 * damaged, or over the size limit. The size is read from the object header first, so a huge
 * blob is never inflated.
 */
static int load_blob(git_blob **out, struct scan_thread *t, const git_oid *id, uint32_t commit)
{
	char problem[512];
	git_object_t type;
	size_t size;
	int error;

	*out = NULL;
	error = git_odb_read_header(&size, &type, t->odb, id);
	if (error == GIT_ENOTFOUND) {
		t->stats.unreadable++;
		return warn_blob(t, NHI_GIT_WARN_MISSING, id, commit, "is missing from the object database; skipped");
	}
	if (error < 0 || type != GIT_OBJECT_BLOB) {
		t->stats.unreadable++;
		snprintf(problem, sizeof(problem), "cannot be read (%s); skipped",
			 error < 0 ? nhi_git_error_message() : "not a blob");
		return warn_blob(t, NHI_GIT_WARN_CORRUPT, id, commit, problem);
	}
	if (size > t->scan->max_blob_size) {
		t->stats.skipped_large++;
		snprintf(problem, sizeof(problem), "is %zu bytes, over the %zu-byte limit of --max-blob-size; skipped",
			 size, t->scan->max_blob_size);
		return warn_blob(t, NHI_GIT_WARN_LARGE, id, commit, problem);
	}
	if (git_blob_lookup(out, t->repo, id) < 0) {
		t->stats.unreadable++;
		snprintf(problem, sizeof(problem), "cannot be read (%s); skipped",
			 nhi_git_error_message());
		return warn_blob(t, NHI_GIT_WARN_CORRUPT, id, commit, problem);
	}
	return 0;
}

/*
 * Set t->lines to the lines of blob that are new relative to every base of change. A base that
 * cannot be read or is over the size limit is left out, which counts its lines as new: a
 * finding too many is better than a secret hidden behind an unreadable base.
 */
static int find_added_lines(struct scan_thread *t, const struct nhi_git_change *change, git_blob *blob)
{
	int error;

	t->lines.count = 0;
	if ((error = nhi_git_lines_push(&t->lines, 1, SIZE_MAX)) < 0)
		return error;
	for (size_t i = 0; i < change->base_count && error == 0; i++) {
		git_blob *base = NULL;

		if ((error = load_blob(&base, t, &change->bases[i], change->commit)) < 0 || !base)
			continue;
		if ((error = nhi_git_lines_added(&t->base_lines, base, blob)) == 0)
			error = nhi_git_lines_intersect(&t->lines, &t->base_lines);
		git_blob_free(base);
	}
	return error;
}

/* Move the findings of the current blob into t->hits, keeping only those on added lines. */
static int add_unread(struct nhi_vec *list, const char *path, uint32_t commit, const git_oid *id)
{
	struct unread_blob *unread = malloc(sizeof(*unread));

	if (!unread)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	unread->path = path;
	unread->commit = commit;
	git_oid_cpy(&unread->id, id);
	if (nhi_vec_push(list, unread) < 0) {
		free(unread);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	return 0;
}

static int keep_hits(struct scan_thread *t, uint32_t commit, const char *path,
		     const struct nhi_git_lines *lines)
{
	int error = 0;

	for (size_t i = 0; i < t->found.count; i++) {
		struct nhi_finding *finding = t->found.items[i];
		struct hit *hit = NULL;

		if (error < 0 || (lines && !nhi_git_lines_overlap(lines, finding->line, finding->end_line))) {
			core_finding_free(finding);
			continue;
		}
		if (!(hit = malloc(sizeof(*hit)))) {
			error = nhi_error_set(NHI_ENOMEM, "out of memory");
			core_finding_free(finding);
			continue;
		}
		hit->finding = finding;
		hit->commit = commit;
		hit->path = path;
		if ((error = nhi_vec_push(&t->hits, hit)) < 0) {
			core_finding_free(finding);
			free(hit);
		}
	}
	t->found.count = 0;
	return error;
}

/*
 * Return true for the id of the empty blob. `git add -N` puts it in the index without writing
 * it to the object database, so reading it would give a false missing-object warning.
 */
static bool is_empty_blob(const git_oid *id)
{
	git_oid empty;

	git_oid_fromstr(&empty, "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
	return git_oid_equal(id, &empty);
}

/* The options of a scan_content() call beyond the content itself. */
struct content_plan {
	const struct nhi_git_change *change;  /* staged and range: keep only the lines it adds */
	git_blob *blob;                       /* the blob of the change, for the diff */
	const struct nhi_match_delta *delta;  /* history: what the blob shares with its base */
	struct nhi_match_candidates *keep;    /* history: where to keep the candidates */
	bool searched;                        /* set when keep has every candidate of the content */
};

/*
 * Scan the content of a blob at path. With a change, only findings on lines that the change adds
 * are kept; the diff is computed only when the blob has findings.
 */
static int scan_content(struct scan_thread *t, const char *data, size_t len, const char *path, uint32_t commit,
			struct content_plan *plan)
{
	const struct nhi_git_lines *lines = NULL;
	int error;

	if (len > 0 && core_looks_binary(data, len)) {
		t->stats.skipped_binary++;
		return 0;
	}
	t->stats.files_scanned++;
	t->stats.bytes_scanned += len;
	__atomic_fetch_add(&t->scan->bytes_done, len, __ATOMIC_RELAXED);
	/* An empty blob has nothing to match, and its content pointer may be NULL. */
	if (len == 0) {
		plan->searched = true;
		return 0;
	}

	t->found.count = 0;
	error = core_scan_delta(&t->found, &t->worker, t->scan->ctx, t->display.ptr, data, len, plan->delta,
				plan->keep);
	plan->searched = error == 0;
	if (error == 0 && t->found.count && plan->change && plan->change->base_count) {
		error = find_added_lines(t, plan->change, plan->blob);
		lines = &t->lines;
	}
	if (error < 0) {
		for (size_t i = 0; i < t->found.count; i++)
			core_finding_free(t->found.items[i]);
		t->found.count = 0;
		return error;
	}
	return keep_hits(t, commit, path, lines);
}

/* Scan one blob at path, read through libgit2; see scan_content() for change. */
static int scan_blob(struct scan_thread *t, const git_oid *id, const char *path, uint32_t commit,
		     const struct nhi_git_change *change)
{
	struct content_plan plan = { change, NULL, NULL, NULL, false };
	size_t unreadable = t->stats.unreadable;
	int error;

	if (is_empty_blob(id))
		return 0;
	if ((error = make_display_path(t, path)) < 0 || (error = load_blob(&plan.blob, t, id, commit)) < 0)
		goto done;
	if (!plan.blob) {
		if (t->stats.unreadable > unreadable && commit != NHI_GIT_NO_COMMIT)
			error = add_unread(&t->unread, path, commit, id);
		goto done;
	}
	error = scan_content(t, git_blob_rawcontent(plan.blob), (size_t)git_blob_rawsize(plan.blob), path, commit,
			     &plan);

done:
	git_blob_free(plan.blob);
	return error;
}

static void free_candidates(void *data)
{
	match_candidates_dispose(data);
	free(data);
}

/* Give back the unused room of a candidate list that is about to be kept. */
static int shrink_candidates(struct nhi_match_candidates *list)
{
	struct nhi_match_candidate *items;

	if (list->alloc == list->count)
		return 0;
	if (list->count == 0) {
		free(list->items);
		list->items = NULL;
		list->alloc = 0;
		return 0;
	}
	if (!(items = realloc(list->items, list->count * sizeof(*items))))
		return -1;
	list->items = items;
	list->alloc = list->count;
	return 0;
}

/*
 * Scan a history blob read from a pack; 1 when done, 0 when libgit2 should read it instead. The
 * candidates found are kept with the cached blob, so that a later delta on it searches only
 * what it changes.
 */
static int scan_packed_blob(struct scan_thread *t, const struct blob_job *job)
{
	struct nhi_git_pack_object object;
	struct nhi_match_delta delta = { NULL, NULL, 0 };
	struct content_plan plan = { NULL, NULL, &delta, NULL, false };
	int error;

	/* libgit2 reads again what is not a blob or over the size limit, and warns about it. */
	if (!t->pack.cache || job->pack_key == NHI_GIT_PACK_KEY_NONE ||
	    nhi_git_pack_read(&object, &t->pack, job->pack_key) < 0)
		return 0;
	if (object.type != GIT_OBJECT_BLOB) {
		nhi_git_pack_release(&t->pack, &object);
		return 0;
	}

	delta.base = nhi_git_pack_base_attachment(&t->pack, &object);
	delta.copies = object.copies;
	delta.copy_count = object.copy_count;
	if (!(plan.keep = calloc(1, sizeof(*plan.keep)))) {
		nhi_git_pack_release(&t->pack, &object);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	if ((error = make_display_path(t, job->path)) == 0)
		error = scan_content(t, object.data, object.size, job->path, job->commit, &plan);
	/* An empty list is kept too, because it means that a delta on this blob has no base candidates. */
	if (error == 0 && plan.searched && shrink_candidates(plan.keep) == 0)
		nhi_git_pack_attach(&t->pack, &object, plan.keep,
				    sizeof(*plan.keep) + plan.keep->alloc * sizeof(*plan.keep->items), free_candidates);
	else
		free_candidates(plan.keep);
	nhi_git_pack_release(&t->pack, &object);
	return error < 0 ? error : 1;
}

static void *run_thread(void *arg)
{
	struct scan_thread *t = arg;
	struct git_scan *scan = t->scan;

	while (t->error == 0 && scan->take(t) > 0)
		t->error = scan->run(t);
	if (t->error < 0)
		t->message = strdup(nhi_error_last());

	pthread_mutex_lock(&scan->lock);
	scan->running--;
	pthread_cond_broadcast(&scan->cond);
	pthread_mutex_unlock(&scan->lock);
	return NULL;
}

static int init_thread(struct scan_thread *t, struct git_scan *scan)
{
	int error;

	t->scan = scan;
	if ((error = core_scan_worker_init(&t->worker, scan->ctx)) < 0 ||
	    (error = nhi_git_repo_open(&t->repo, scan->path)) < 0)
		return error;
	if (git_repository_odb(&t->odb, t->repo) < 0)
		return nhi_git_error_set(NHI_ERROR, "cannot open the object database of '%s'", scan->path);
	if (scan->pack_cache && nhi_git_pack_reader_init(&t->pack, scan->pack_cache) < 0)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	t->pack.max_size = scan->max_blob_size;
	return 0;
}

static void dispose_thread(struct scan_thread *t)
{
	for (size_t i = 0; i < t->hits.count; i++) {
		struct hit *hit = t->hits.items[i];

		/* merge_threads() leaves NULL where it moved a hit out. */
		if (hit)
			core_finding_free(hit->finding);
		free(hit);
	}
	nhi_vec_dispose(&t->hits);
	nhi_vec_dispose_all(&t->found, (void (*)(void *))core_finding_free);
	nhi_vec_dispose_all(&t->changes, nhi_git_change_free);
	nhi_vec_dispose_all(&t->unread, free);
	nhi_git_warnings_dispose(&t->warnings);
	nhi_git_lines_dispose(&t->lines);
	nhi_git_lines_dispose(&t->base_lines);
	nhi_buf_dispose(&t->display);
	core_scan_worker_dispose(&t->worker);
	nhi_git_pack_reader_dispose(&t->pack);
	git_odb_free(t->odb);
	git_repository_free(t->repo);
	free(t->message);
}

static unsigned choose_threads(const struct nhi_git_scan_options *options, size_t jobs, bool jobs_known)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = options->threads ? options->threads : (online > 0 ? (unsigned)online : 1);

	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (jobs_known && jobs < SMALL_JOB_COUNT)
		threads = 1;
	return threads;
}

static int start_threads(struct git_scan *scan, struct scan_thread *threads, unsigned count, unsigned *started)
{
	int error = 0;

	*started = 0;
	for (unsigned i = 0; i < count; i++)
		if ((error = init_thread(&threads[i], scan)) < 0)
			return error;
	pthread_mutex_lock(&scan->lock);
	for (; *started < count; (*started)++) {
		if (pthread_create(&threads[*started].thread, NULL, run_thread, &threads[*started]) != 0) {
			error = nhi_error_set(NHI_ERROR, "cannot start a scan thread: %s", strerror(errno));
			break;
		}
		scan->running++;
	}
	pthread_mutex_unlock(&scan->lock);
	return error;
}

/* Wait for the threads, reporting progress from this thread while they run. */
static void wait_threads(struct git_scan *scan, struct scan_thread *threads, unsigned started)
{
	pthread_mutex_lock(&scan->lock);
	while (scan->running > 0) {
		struct timespec deadline;

		clock_gettime(CLOCK_REALTIME, &deadline);
		deadline.tv_nsec += 100 * 1000 * 1000;
		if (deadline.tv_nsec >= 1000000000L) {
			deadline.tv_sec++;
			deadline.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&scan->cond, &scan->lock, &deadline);
		pthread_mutex_unlock(&scan->lock);
		report_scan_progress(scan, false);
		pthread_mutex_lock(&scan->lock);
	}
	pthread_mutex_unlock(&scan->lock);
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i].thread, NULL);
}

static void add_stats(struct nhi_scan_stats *to, const struct scan_thread *t)
{
	to->files_scanned += t->stats.files_scanned;
	to->bytes_scanned += t->stats.bytes_scanned;
	to->skipped_binary += t->stats.skipped_binary;
	to->skipped_large += t->stats.skipped_large;
	to->unreadable += t->stats.unreadable;
	to->allowed += t->worker.allowed;
}

/* Move each thread's hits, warnings and counts into hits, scan->warnings and stats. */
static int merge_threads(struct nhi_vec *hits, struct nhi_scan_stats *stats, struct git_scan *scan,
			 struct scan_thread *threads, unsigned count)
{
	int error = 0;

	for (unsigned i = 0; i < count; i++) {
		struct scan_thread *t = &threads[i];

		if (error == 0 && t->error < 0)
			error = nhi_error_set(t->error, "%s", t->message ? t->message : "scan failed");
		for (size_t j = 0; j < t->hits.count && error == 0; j++) {
			if ((error = nhi_vec_push(hits, t->hits.items[j])) == 0)
				t->hits.items[j] = NULL;
		}
		if (error == 0)
			t->hits.count = 0;
		for (size_t j = 0; j < t->unread.count && error == 0; j++) {
			if ((error = nhi_vec_push(&scan->unread, t->unread.items[j])) == 0)
				t->unread.items[j] = NULL;
		}
		if (error == 0)
			error = nhi_git_warnings_merge(&scan->warnings, &t->warnings);
		add_stats(stats, t);
	}
	return error;
}

/*
 * Run the pool. While produce is not NULL, the calling thread runs it (the history walk) and
 * the threads take jobs as they are queued.
 */
static int run_pool(struct nhi_vec *hits, struct nhi_scan_stats *stats, struct git_scan *scan, unsigned count,
		    int (*produce)(struct git_scan *scan))
{
	struct scan_thread *threads = calloc(count, sizeof(*threads));
	unsigned started = 0;
	int error, produce_error = 0;

	if (!threads)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	error = start_threads(scan, threads, count, &started);
	if (produce && error == 0)
		produce_error = produce(scan);

	pthread_mutex_lock(&scan->lock);
	scan->listing_done = true;
	scan->queue_ready = scan->queue_count;
	pthread_cond_broadcast(&scan->cond);
	pthread_mutex_unlock(&scan->lock);
	wait_threads(scan, threads, started);

	if (error == 0)
		error = produce_error;
	if (error == 0)
		error = merge_threads(hits, stats, scan, threads, count);
	for (unsigned i = 0; i < count; i++)
		dispose_thread(&threads[i]);
	free(threads);
	return error;
}

static int compare_hits(const void *a, const void *b)
{
	const struct hit *x = *(const struct hit *const *)a;
	const struct hit *y = *(const struct hit *const *)b;
	int cmp;

	if ((cmp = strcmp(x->finding->path, y->finding->path)) != 0 ||
	    (cmp = strcmp(x->finding->rule_id, y->finding->rule_id)) != 0 ||
	    (cmp = strcmp(x->finding->fingerprint, y->finding->fingerprint)) != 0)
		return cmp;
	if (x->commit != y->commit)
		return x->commit < y->commit ? -1 : 1;
	/* Same commit: the same blob at one path, so order by position for a stable choice. */
	if (x->finding->line != y->finding->line)
		return x->finding->line < y->finding->line ? -1 : 1;
	return x->finding->column < y->finding->column ? -1 : x->finding->column > y->finding->column;
}

static bool same_secret(const struct hit *a, const struct hit *b)
{
	return strcmp(a->finding->path, b->finding->path) == 0 && strcmp(a->finding->rule_id, b->finding->rule_id) == 0 &&
	       strcmp(a->finding->fingerprint, b->finding->fingerprint) == 0;
}

static int compare_unread(const void *a, const void *b)
{
	const struct unread_blob *x = *(const struct unread_blob *const *)a;
	const struct unread_blob *y = *(const struct unread_blob *const *)b;

	if (x->path != y->path)
		return (uintptr_t)x->path < (uintptr_t)y->path ? -1 : 1;
	return x->commit < y->commit ? -1 : x->commit > y->commit;
}

/* Return the oldest unread blob at path, from a list sorted by compare_unread(), or NULL. */
static const struct unread_blob *find_oldest_unread(const struct nhi_vec *list, const char *path)
{
	struct unread_blob *const *items = (struct unread_blob *const *)list->items;
	size_t lo = 0, hi = list->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((uintptr_t)items[mid]->path < (uintptr_t)path)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < list->count && items[lo]->path == path ? items[lo] : NULL;
}

/* Set the finding's earlier_unreadable to the formatted text. */
static int set_earlier_unreadable(struct nhi_finding *finding, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int set_earlier_unreadable(struct nhi_finding *finding, const char *fmt, ...)
{
	struct nhi_buf note = NHI_BUF_INIT;
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = nhi_buf_vprintf(&note, fmt, ap);
	va_end(ap);
	if (error < 0)
		return error;
	finding->earlier_unreadable = nhi_buf_detach(&note);
	return 0;
}

/*
 * When an older version of the hit's path could not be read, the secret may have been added
 * there rather than in the hit's commit. Record that in the finding, naming the unread blob.
 */
static int note_unread_history(struct hit *hit, const struct git_scan *scan)
{
	const struct unread_blob *unread = hit->path ? find_oldest_unread(&scan->unread, hit->path) : NULL;
	char blob_hex[13], commit_hex[13];

	if (!unread || unread->commit >= hit->commit)
		return 0;
	git_oid_tostr(blob_hex, sizeof(blob_hex), &unread->id);
	git_oid_tostr(commit_hex, sizeof(commit_hex), scan->commit_id(scan, unread->commit));
	return set_earlier_unreadable(hit->finding, "blob %s in commit %s", blob_hex, commit_hex);
}

/*
 * When a parent of the hit's commit cannot be read (a shallow clone's boundary, a commit missing
 * from the object database), the secret may be older than that commit. Record that in the
 * finding, naming the first unreadable parent.
 */
static int note_missing_parent(struct hit *hit, const struct git_scan *scan)
{
	const struct nhi_git_graph *graph;
	char parent_hex[13], commit_hex[13];
	git_oid parent;
	bool shallow = false;
	uint32_t index;

	if (hit->finding->earlier_unreadable || !scan->graph_of ||
	    !(graph = scan->graph_of(scan, hit->commit, &index)) ||
	    !nhi_git_graph_missing_parent(&parent, &shallow, graph, index))
		return 0;
	git_oid_tostr(parent_hex, sizeof(parent_hex), &parent);
	git_oid_tostr(commit_hex, sizeof(commit_hex), &graph->commits[index].id);
	return set_earlier_unreadable(hit->finding, "parent %s of commit %s, %s", parent_hex, commit_hex,
				      shallow ? "beyond the boundary of the shallow clone"
					      : "missing from the repository");
}

/*
 * Keep the earliest hit of each path, rule and secret, attach its commit, author and date, and
 * move its finding into out. Frees every hit.
 */
static int report_hits(struct nhi_vec *out, struct nhi_vec *hits, const struct git_scan *scan)
{
	const struct hit *last_kept = NULL;
	int error = 0;

	nhi_vec_sort(hits, compare_hits);
	for (size_t i = 0; i < hits->count; i++) {
		struct hit *hit = hits->items[i];
		const git_oid *commit = scan->commit_id(scan, hit->commit);

		if (error < 0 || (last_kept && same_secret(last_kept, hit))) {
			core_finding_free(hit->finding);
			continue;
		}
		last_kept = hit;
		if (commit && (error = note_unread_history(hit, scan)) == 0 &&
		    (error = note_missing_parent(hit, scan)) == 0)
			error = nhi_git_provenance_fill(hit->finding, scan->repo, commit);
		if (error == 0 && (error = nhi_vec_push(out, hit->finding)) == 0)
			continue;
		core_finding_free(hit->finding);
	}
	/* last_kept points into hits until the loop ends, so the hits are freed only now. */
	nhi_vec_dispose_all(hits, NULL);
	nhi_vec_sort(out, core_finding_compare);
	return error;
}

static int init_scan(struct git_scan *scan, struct nhi_scan_report *out, struct nhi_context *ctx, const char *path,
		     const struct nhi_git_scan_options *options)
{
	memset(out, 0, sizeof(*out));
	memset(scan, 0, sizeof(*scan));
	clock_gettime(CLOCK_MONOTONIC, &scan->start);
	scan->ctx = ctx;
	scan->path = path;
	scan->options = options;
	scan->max_blob_size = options->max_blob_size ? options->max_blob_size : NHI_DEFAULT_MAX_FILE_SIZE;
	pthread_mutex_init(&scan->lock, NULL);
	pthread_cond_init(&scan->cond, NULL);
	return nhi_git_repo_open(&scan->repo, path);
}

/* Fill the report from the pool's results, then release the scan. */
static int finish_scan(struct nhi_scan_report *out, struct git_scan *scan, struct nhi_vec *hits, int error)
{
	nhi_vec_sort(&scan->unread, compare_unread);
	if (error == 0)
		error = report_hits(&out->findings, hits, scan);
	if (error == 0)
		error = nhi_git_warnings_finish(&out->warnings, &scan->warnings);
	/* The warnings stay in the report, because they explain why nothing could be read. */
	if (error == 0 && scan->check_read)
		error = scan->check_read(scan, &out->stats);
	for (size_t i = 0; i < hits->count; i++) {
		struct hit *hit = hits->items[i];

		core_finding_free(hit->finding);
		free(hit);
	}
	nhi_vec_dispose(hits);
	if (error == 0)
		report_scan_progress(scan, true);
	out->stats.elapsed_ms = elapsed_ms(scan);

	nhi_git_history_dispose(&scan->history);
	nhi_git_range_dispose(&scan->range);
	nhi_vec_dispose_all(&scan->changes, nhi_git_change_free);
	nhi_git_pathpool_dispose(&scan->paths);
	nhi_git_warnings_dispose(&scan->warnings);
	nhi_vec_dispose_all(&scan->unread, free);
	free(scan->queue);
	git_repository_free(scan->repo);
	pthread_mutex_destroy(&scan->lock);
	pthread_cond_destroy(&scan->cond);
	return error;
}

/* Count the blobs that could be read, whether scanned or skipped as binary or too large. */
static size_t count_read_blobs(const struct nhi_scan_stats *stats)
{
	return stats->files_scanned + stats->skipped_binary + stats->skipped_large;
}

/* Count the warnings about objects or references that could not be read. */
static size_t count_read_problems(const struct git_scan *scan)
{
	const size_t *counts = scan->warnings.counts;

	return counts[NHI_GIT_WARN_MISSING] + counts[NHI_GIT_WARN_CORRUPT] + counts[NHI_GIT_WARN_REF];
}

/* Fail with "cannot read the <subject> of '<path>': <problem>; <advice>". */
static int fail_unreadable(const struct git_scan *scan, const char *subject, const char *problem)
{
	return nhi_error_set(NHI_ENOTFOUND,
			     "cannot read the %s of '%s': %s; the object database is damaged or incomplete, so run 'git fsck' in it or clone the repository again",
			     subject, scan->path, problem);
}

/*
 * Fail when nothing of the history could be read: no reference resolved to a readable commit,
 * no root tree could be read, or every blob was unreadable. A history that only lacks some
 * objects (a partial clone, a copy without its large blobs) passes.
 */
static int check_history_read(const struct git_scan *scan, const struct nhi_scan_stats *stats)
{
	const struct nhi_git_history *history = &scan->history;
	char problem[128];

	if (count_read_blobs(stats) > 0 || count_read_problems(scan) == 0)
		return 0;
	if (history->graph.count == 0 && history->object_tips.count == 0)
		return fail_unreadable(scan, "history", "no reference resolves to a readable commit");
	if (stats->unreadable > 0) {
		snprintf(problem, sizeof(problem), "none of its %zu blobs could be read", stats->unreadable);
		return fail_unreadable(scan, "history", problem);
	}
	if (history->order_count > 0 && history->stats.trees == 0) {
		snprintf(problem, sizeof(problem), "none of the trees of its %zu commits could be read", history->order_count);
		return fail_unreadable(scan, "history", problem);
	}
	return 0;
}

/* History mode. */

static const git_oid *history_commit_id(const struct git_scan *scan, uint32_t position)
{
	return nhi_git_history_commit_id(&scan->history, position);
}

static const struct nhi_git_graph *history_graph_of(const struct git_scan *scan, uint32_t position, uint32_t *index)
{
	if (position == NHI_GIT_NO_COMMIT || position >= scan->history.order_count)
		return NULL;
	*index = scan->history.order[position];
	return &scan->history.graph;
}

static int take_blob(struct scan_thread *t)
{
	struct git_scan *scan = t->scan;
	int has_job;

	pthread_mutex_lock(&scan->lock);
	while (scan->queue_next == scan->queue_ready && !scan->listing_done)
		pthread_cond_wait(&scan->cond, &scan->lock);
	has_job = scan->queue_next < scan->queue_ready;
	if (has_job)
		t->blob = scan->queue[scan->queue_next++];
	pthread_mutex_unlock(&scan->lock);
	return has_job;
}

/*
 * Scan the loose copy of a packed blob that the pack reader could not read; 1 when done, 0 when
 * there is none. git reads such a copy when the packed one is damaged, and so does the scan.
 */
static int scan_loose_copy(struct scan_thread *t, const struct blob_job *job)
{
	struct content_plan plan = { NULL, NULL, NULL, NULL, false };
	git_object_t type;
	void *data = NULL;
	size_t len;
	int error;

	if (!t->pack.cache || job->pack_key == NHI_GIT_PACK_KEY_NONE ||
	    nhi_git_loose_read(&data, &len, &type, t->repo, &job->id) < 0) {
		git_error_clear();
		return 0;
	}
	if (type != GIT_OBJECT_BLOB || len > t->scan->max_blob_size) {
		free(data);
		return 0;
	}
	if ((error = make_display_path(t, job->path)) == 0)
		error = scan_content(t, data, len, job->path, job->commit, &plan);
	free(data);
	return error < 0 ? error : 1;
}

/* Scan a history blob: from its pack, else from its loose copy, else through libgit2. */
static int run_blob(struct scan_thread *t)
{
	int error = 0;

	if (!is_empty_blob(&t->blob.id)) {
		error = scan_packed_blob(t, &t->blob);
		if (error == 0)
			error = scan_loose_copy(t, &t->blob);
		if (error == 0)
			error = scan_blob(t, &t->blob.id, t->blob.path, t->blob.commit, NULL);
		else if (error > 0)
			error = 0;
	}

	__atomic_fetch_add(&t->scan->units_done, 1, __ATOMIC_RELAXED);
	return error;
}

static int compare_pack_keys(const void *a, const void *b)
{
	const struct blob_job *x = a, *y = b;

	return x->pack_key < y->pack_key ? -1 : x->pack_key > y->pack_key;
}

/* Sort the queued jobs that no thread has seen yet by pack position and hand them out. */
static void release_jobs(struct git_scan *scan)
{
	size_t pending = scan->queue_count - scan->queue_ready;

	if (pending == 0)
		return;
	qsort(scan->queue + scan->queue_ready, pending, sizeof(*scan->queue), compare_pack_keys);
	scan->queue_ready = scan->queue_count;
	pthread_cond_broadcast(&scan->cond);
}

static int queue_blob(void *payload, const struct nhi_git_history_visit *visit)
{
	struct git_scan *scan = payload;
	const char *path;
	int error = 0;

	if ((error = nhi_git_pathpool_intern(&path, &scan->paths, visit->path, visit->path_len)) < 0)
		return error;
	pthread_mutex_lock(&scan->lock);
	if (scan->queue_count == scan->queue_alloc) {
		size_t alloc = scan->queue_alloc ? scan->queue_alloc * 2 : 4096;
		struct blob_job *queue = realloc(scan->queue, alloc * sizeof(*queue));

		if (!queue) {
			error = nhi_error_set(NHI_ENOMEM, "out of memory");
			goto done;
		}
		scan->queue = queue;
		scan->queue_alloc = alloc;
	}
	git_oid_cpy(&scan->queue[scan->queue_count].id, visit->blob);
	scan->queue[scan->queue_count].path = path;
	scan->queue[scan->queue_count].commit = visit->commit;
	scan->queue[scan->queue_count].pack_key = nhi_git_pack_order_key(&scan->pack_order, visit->blob);
	scan->queue_count++;
	if (scan->queue_count - scan->queue_ready >= SORT_BATCH ||
	    (scan->queue_next == scan->queue_ready &&
	     scan->queue_count - scan->queue_ready >= SORT_BATCH_IDLE))
		release_jobs(scan);

done:
	pthread_mutex_unlock(&scan->lock);
	return error;
}

static int on_history_commit(void *payload, size_t done, size_t total)
{
	report_scan_progress(payload, false);
	return 0;
}

static bool skips_history_path(void *payload, const char *path)
{
	struct git_scan *scan = payload;

	return config_settings_skips_path(&scan->ctx->settings, path);
}

static int walk_history(struct git_scan *scan)
{
	const struct nhi_git_history_callbacks callbacks = {
		queue_blob, on_history_commit, skips_history_path, scan,
	};
	struct nhi_git_pack_reader reader;
	bool has_reader = scan->pack_cache && nhi_git_pack_reader_init(&reader, scan->pack_cache) == 0;

	unsigned flags = (scan->options->all_objects ? NHI_GIT_HISTORY_ALL_OBJECTS : 0) |
			 (scan->options->no_stash ? NHI_GIT_HISTORY_NO_STASH : 0);
	int error = nhi_git_history_walk(&scan->history, scan->repo, flags, &callbacks, &scan->warnings,
					 has_reader ? &reader : NULL);

	if (has_reader)
		nhi_git_pack_reader_dispose(&reader);
	pthread_mutex_lock(&scan->lock);
	release_jobs(scan);
	pthread_mutex_unlock(&scan->lock);
	return error;
}

int core_scan_git_history(struct nhi_scan_report *out, struct nhi_context *ctx, const char *path,
			  const struct nhi_git_scan_options *options)
{
	struct nhi_vec hits = NHI_VEC_INIT;
	struct git_scan scan;
	int error;

	if ((error = init_scan(&scan, out, ctx, path, options)) == 0) {
		scan.streaming = true;
		scan.take = take_blob;
		scan.run = run_blob;
		scan.commit_id = history_commit_id;
		scan.graph_of = history_graph_of;
		scan.check_read = check_history_read;
		scan.unit = "blobs";
		nhi_git_pack_order_load(&scan.pack_order, scan.repo, &scan.warnings);
		/* Without the cache, every blob is read through libgit2, only more slowly. */
		if (nhi_git_pack_cache_new(&scan.pack_cache, &scan.pack_order, PACK_CACHE_BYTES) < 0)
			scan.pack_cache = NULL;
		error = run_pool(&hits, &out->stats, &scan, choose_threads(options, 0, false), walk_history);
		nhi_git_pack_cache_free(scan.pack_cache);
		nhi_git_pack_order_dispose(&scan.pack_order);
		out->stats.walk.symlinks = scan.history.stats.symlinks;
		out->stats.walk.ignored = scan.history.stats.skipped_paths;
	}
	return finish_scan(out, &scan, &hits, error);
}

/* Staged and range modes: jobs counted up front. */

static int take_counted(struct scan_thread *t)
{
	size_t index = __atomic_fetch_add(&t->scan->next_job, 1, __ATOMIC_RELAXED);

	if (index >= t->scan->job_count)
		return 0;
	t->job = index;
	return 1;
}

static const git_oid *no_commit_id(const struct git_scan *scan, uint32_t position)
{
	return NULL;
}

/* Fail when every staged blob that was tried could not be read. */
static int check_staged_read(const struct git_scan *scan, const struct nhi_scan_stats *stats)
{
	char problem[128];

	if (count_read_blobs(stats) > 0 || stats->unreadable == 0)
		return 0;
	snprintf(problem, sizeof(problem), "none of the %zu staged blobs could be read", stats->unreadable);
	return fail_unreadable(scan, "staged changes", problem);
}

static int run_staged_change(struct scan_thread *t)
{
	const struct nhi_git_change *change = t->scan->changes.items[t->job];
	int error = scan_blob(t, &change->blob, change->path, change->commit, change);

	__atomic_fetch_add(&t->scan->units_done, 1, __ATOMIC_RELAXED);
	return error;
}

int core_scan_git_staged(struct nhi_scan_report *out, struct nhi_context *ctx, const char *path,
			 const struct nhi_git_scan_options *options)
{
	struct nhi_vec hits = NHI_VEC_INIT;
	struct git_scan scan;
	int error;

	if ((error = init_scan(&scan, out, ctx, path, options)) < 0)
		goto done;
	if (git_repository_is_bare(scan.repo)) {
		error = nhi_error_set(NHI_EINVALID, "'%s' is a bare repository, which has no index; --staged needs a work tree", path);
		goto done;
	}
	if ((error = nhi_git_changes_staged(&scan.changes, scan.repo, &scan.warnings)) < 0)
		goto done;
	scan.take = take_counted;
	scan.run = run_staged_change;
	scan.commit_id = no_commit_id;
	scan.check_read = check_staged_read;
	scan.unit = "files";
	scan.job_count = scan.changes.count;
	error = run_pool(&hits, &out->stats, &scan, choose_threads(options, scan.job_count, true), NULL);

done:
	return finish_scan(out, &scan, &hits, error);
}

static const git_oid *range_commit_id(const struct git_scan *scan, uint32_t position)
{
	if (position == NHI_GIT_NO_COMMIT || position >= scan->range.count)
		return NULL;
	return &nhi_git_range_commit(&scan->range, position)->id;
}

static const struct nhi_git_graph *range_graph_of(const struct git_scan *scan, uint32_t position, uint32_t *index)
{
	if (position == NHI_GIT_NO_COMMIT || position >= scan->range.count)
		return NULL;
	*index = scan->range.order[position];
	return &scan->range.graph;
}

/* Fail when no commit of the range could be listed, or every blob tried could not be read. */
static int check_range_read(const struct git_scan *scan, const struct nhi_scan_stats *stats)
{
	char problem[128];

	if (count_read_blobs(stats) > 0)
		return 0;
	if (scan->range.count > 0 && scan->unlisted_commits == scan->range.count) {
		snprintf(problem, sizeof(problem), "the changes of none of its %zu commits could be listed", scan->range.count);
		return fail_unreadable(scan, "commit range", problem);
	}
	if (stats->unreadable > 0) {
		snprintf(problem, sizeof(problem), "none of its %zu changed blobs could be read", stats->unreadable);
		return fail_unreadable(scan, "commit range", problem);
	}
	return 0;
}

/* List the changes of one commit of the range and scan each. */
static int run_range_commit(struct scan_thread *t)
{
	const struct nhi_git_range *range = &t->scan->range;
	const struct nhi_git_commit *commit = nhi_git_range_commit(range, t->job);
	git_oid *parent_trees = NULL;
	size_t parent_count = 0;
	int error;

	nhi_vec_dispose_all(&t->changes, nhi_git_change_free);
	if ((error = nhi_git_range_parent_trees(&parent_trees, &parent_count, range, t->job)) < 0)
		goto done;
	error = nhi_git_changes_commit(&t->changes, t->repo, &commit->tree, parent_trees, parent_count, (uint32_t)t->job);
	/* A missing or damaged tree skips this commit only. */
	if (error < 0 && error != NHI_ENOMEM) {
		char hex[GIT_OID_HEXSZ + 1];

		__atomic_fetch_add(&t->scan->unlisted_commits, 1, __ATOMIC_RELAXED);
		error = nhi_git_warnings_add(&t->warnings, NHI_GIT_WARN_CORRUPT, "cannot list the changes of commit %s: %s; skipped",
					     short_id(hex, sizeof(hex), &commit->id), nhi_error_last());
		goto done;
	}
	for (size_t i = 0; i < t->changes.count && error == 0; i++) {
		const struct nhi_git_change *change = t->changes.items[i];

		error = scan_blob(t, &change->blob, change->path, change->commit, change);
	}

done:
	free(parent_trees);
	__atomic_fetch_add(&t->scan->units_done, 1, __ATOMIC_RELAXED);
	return error;
}

int core_scan_git_range(struct nhi_scan_report *out, struct nhi_context *ctx, const char *path,
			const struct nhi_git_scan_options *options)
{
	const char *spec = options->range ? options->range : options->since;
	struct nhi_vec hits = NHI_VEC_INIT;
	struct git_scan scan;
	int error;

	if ((error = init_scan(&scan, out, ctx, path, options)) < 0)
		goto done;
	if (!spec) {
		error = nhi_error_set(NHI_EINVALID, "a range scan needs a range or a revision");
		goto done;
	}
	if ((error = nhi_git_range_load(&scan.range, scan.repo, spec, !options->range, &scan.warnings)) < 0)
		goto done;
	scan.take = take_counted;
	scan.run = run_range_commit;
	scan.commit_id = range_commit_id;
	scan.graph_of = range_graph_of;
	scan.check_read = check_range_read;
	scan.unit = "commits";
	scan.job_count = scan.range.count;
	error = run_pool(&hits, &out->stats, &scan, choose_threads(options, scan.job_count, true), NULL);

done:
	return finish_scan(out, &scan, &hits, error);
}
