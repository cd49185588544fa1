/*
 * Working-tree scan on a pool of threads; see scan.h.
 *
 * The file list is made first, then each thread takes the next file index from an atomic
 * counter, reads the file into its own reusable buffer and matches it with its own scratch.
 * Findings and warnings go to per-thread lists that are merged and sorted at the end, so the
 * output does not depend on thread timing.
 */
#include "core/scan.h"
#include "core/finding.h"
#include "extract/code.h"
#include "extract/extract.h"
#include "git/path.h"
#include "model/fact.h"
#include "model/secret.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Bytes inspected for a NUL, as git does to call a file binary. */
#define BINARY_PROBE 8000
#define MAX_THREADS 64

struct shared_state {
	struct nhi_context *ctx;
	const struct nhi_vec *files;
	const char *root;
	bool root_is_file;
	size_t max_file_size;
	size_t next;             /* atomic: next file index to take */
};

struct thread_state {
	struct shared_state *shared;
	pthread_t thread;
	struct nhi_scan_worker worker;
	struct nhi_vec findings;
	struct nhi_vec facts;
	struct nhi_vec warnings;
	struct nhi_scan_stats stats;
	struct nhi_buf content;
	int error;
};

bool core_looks_binary(const char *data, size_t len)
{
	return memchr(data, '\0', len < BINARY_PROBE ? len : BINARY_PROBE) != NULL;
}

int core_scan_worker_init(struct nhi_scan_worker *worker, struct nhi_context *ctx)
{
	memset(worker, 0, sizeof(*worker));
	return match_scratch_new(&worker->scratch, ctx->matcher);
}

void core_scan_worker_dispose(struct nhi_scan_worker *worker)
{
	match_scratch_free(worker->scratch);
	match_list_dispose(&worker->matches);
	memset(worker, 0, sizeof(*worker));
}

static char *dup_or_null(const char *text)
{
	return text ? strdup(text) : NULL;
}

/* Advance a (line, column) cursor from offset `from` to `to`. */
static void advance_position(const char *data, size_t from, size_t to, size_t *line, size_t *line_start)
{
	for (const char *p = data + from; (p = memchr(p, '\n', (size_t)(data + to - p))) != NULL; p++) {
		(*line)++;
		*line_start = (size_t)(p - data) + 1;
	}
}

static struct nhi_finding *make_finding(const struct nhi_rule *rule, const struct nhi_match *match,
					const char *path, const char *data)
{
	struct nhi_finding *finding = calloc(1, sizeof(*finding));
	const char *secret = data + match->secret_start;
	size_t secret_len = match->secret_end - match->secret_start;

	if (!finding)
		return NULL;
	finding->rule_id = strdup(rule->id);
	finding->rule_name = strdup(rule->name);
	finding->provider = strdup(rule->provider);
	finding->kind = strdup(rule->kind);
	finding->remediation = strdup(rule->remediation);
	finding->docs = dup_or_null(rule->docs);
	finding->path = strdup(path);
	finding->redacted = model_secret_redact(secret, secret_len);
	finding->severity = rule->severity;
	finding->validated = match->validated;
	/* A failed checksum is often test data or a truncated token: report it one level lower. */
	if (match->validated == 0 && finding->severity > NHI_SEVERITY_LOW)
		finding->severity--;
	model_secret_fingerprint(finding->fingerprint, secret, secret_len);

	if (!finding->rule_id || !finding->rule_name || !finding->provider || !finding->kind ||
	    !finding->remediation || !finding->path || !finding->redacted) {
		core_finding_free(finding);
		return NULL;
	}
	return finding;
}

int core_scan_buffer(struct nhi_vec *findings, struct nhi_scan_worker *worker, struct nhi_context *ctx,
		     const char *path, const char *data, size_t len)
{
	return core_scan_delta(findings, worker, ctx, path, data, len, NULL, NULL);
}

int core_scan_delta(struct nhi_vec *findings, struct nhi_scan_worker *worker, struct nhi_context *ctx,
		    const char *path, const char *data, size_t len, const struct nhi_match_delta *delta,
		    struct nhi_match_candidates *keep)
{
	size_t line = 1, line_start = 0, offset = 0;
	int error;

	match_list_clear(&worker->matches);
	if ((error = match_scan_delta(ctx->matcher, worker->scratch, data, len, delta, keep, &worker->matches)) < 0)
		return error;

	for (size_t i = 0; i < worker->matches.count; i++) {
		const struct nhi_match *match = &worker->matches.items[i];
		const struct nhi_rule *rule = &ctx->rules.rules[match->rule];
		struct nhi_finding *finding = make_finding(rule, match, path, data);

		if (!finding)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		if (config_settings_allows_fingerprint(&ctx->settings, finding->fingerprint)) {
			worker->allowed++;
			core_finding_free(finding);
			continue;
		}

		advance_position(data, offset, match->secret_start, &line, &line_start);
		offset = match->secret_start;
		finding->line = line;
		finding->column = match->secret_start - line_start + 1;

		size_t end_line = line, end_line_start = line_start;

		advance_position(data, match->secret_start, match->secret_end, &end_line, &end_line_start);
		finding->end_line = end_line;
		finding->end_column = match->secret_end - end_line_start + 1;

		if ((error = nhi_vec_push(findings, finding)) < 0) {
			core_finding_free(finding);
			return error;
		}
	}
	return 0;
}

/* Append message in display form, so that an odd file name cannot reach the terminal raw. */
static int push_warning(struct thread_state *state, const char *message)
{
	struct nhi_buf display = NHI_BUF_INIT;
	bool escaped;

	if (nhi_git_path_display(&display, message, &escaped) < 0 ||
	    nhi_vec_push(&state->warnings, display.ptr) < 0) {
		nhi_buf_dispose(&display);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	return 0;
}

/*
 * Open a file to scan. A file met while walking a folder is not followed when it has become a
 * symbolic link since the listing, and O_NONBLOCK keeps a FIFO put in its place from blocking.
 * The PATH that the user names is opened as cat(1) opens it, through links and blocking, so
 * that /dev/stdin, a process substitution and a link the user chose work.
 */
static int open_content(const struct shared_state *shared, const char *fullpath)
{
	if (shared->root_is_file)
		return open(fullpath, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	return open(fullpath, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
}

/* Record "cannot read '<path>': <reason>" as this thread's error, with path in display form. */
static int set_read_error(const char *path, int errnum)
{
	struct nhi_buf display = NHI_BUF_INIT;
	bool escaped;
	int error;

	if (nhi_git_path_display(&display, path, &escaped) < 0)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	error = nhi_error_set(NHI_EIO, "cannot read '%s': %s", display.ptr, strerror(errnum));
	nhi_buf_dispose(&display);
	return error;
}

/*
 * Read a file into the thread's buffer. A file met while walking that cannot be read becomes a
 * warning, not an error. When PATH itself is the file, it fails the scan, because then nothing
 * at all was scanned.
 */
static int read_content(struct thread_state *state, const char *fullpath, const char *relpath, bool *ok)
{
	struct nhi_buf *content = &state->content;
	int fd = open_content(state->shared, fullpath);
	struct nhi_buf message = NHI_BUF_INIT;
	int error = 0;

	*ok = false;
	nhi_buf_clear(content);
	if (fd < 0)
		goto unreadable;

	for (;;) {
		if ((error = nhi_buf_grow(content, 65536)) < 0)
			goto done;
		ssize_t got = read(fd, content->ptr + content->size, content->alloc - content->size - 1);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			goto unreadable;
		if (got == 0)
			break;
		content->size += (size_t)got;
		if (content->size > state->shared->max_file_size) {
			state->stats.skipped_large++;
			goto done;
		}
	}
	content->ptr[content->size] = '\0';
	*ok = true;
	goto done;

unreadable:
	if (state->shared->root_is_file) {
		error = set_read_error(state->shared->root, errno);
		goto done;
	}
	state->stats.unreadable++;
	if ((error = nhi_buf_printf(&message, "cannot read '%s': %s; skipped", relpath, strerror(errno))) == 0)
		error = push_warning(state, message.ptr);

done:
	nhi_buf_dispose(&message);
	if (fd >= 0)
		close(fd);
	return error;
}

/* Drop the findings from index `first` on whose fingerprint .nhiscan.yaml allows. */
static void drop_allowed(struct thread_state *state, size_t first)
{
	const struct nhi_settings *settings = &state->shared->ctx->settings;
	size_t kept = first;

	for (size_t i = first; i < state->findings.count; i++) {
		struct nhi_finding *finding = state->findings.items[i];

		if (finding->fingerprint[0] && config_settings_allows_fingerprint(settings, finding->fingerprint)) {
			state->worker.allowed++;
			core_finding_free(finding);
			continue;
		}
		state->findings.items[kept++] = finding;
	}
	state->findings.count = kept;
}

static int extract_content(struct thread_state *state, const char *path, bool has_secret_match)
{
	struct nhi_extract_output out = { &state->findings, &state->facts, &state->warnings };
	size_t first = state->findings.count;
	int error;

	/* The code extractor reviews the signature findings of path, so it runs while they are the last ones. */
	if (!state->shared->ctx->no_code &&
	    (error = extract_code_file(&out, path, state->content.ptr, state->content.size, has_secret_match)) < 0)
		return error;
	first = first < state->findings.count ? first : state->findings.count;
	if ((error = extract_file(&out, path, state->content.ptr, state->content.size)) < 0)
		return error;
	/* Extractor findings about literal secrets carry fingerprints that may be allow-listed too. */
	drop_allowed(state, first);
	return 0;
}

static int scan_file(struct thread_state *state, const struct nhi_file_entry *file)
{
	struct shared_state *shared = state->shared;
	char *fullpath = shared->root_is_file ? strdup(shared->root) : nhi_path_join(shared->root, file->path);
	bool ok = false;
	size_t findings_before;
	int error = 0;

	if (!fullpath)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if ((size_t)file->size > shared->max_file_size) {
		state->stats.skipped_large++;
		goto done;
	}
	if ((error = read_content(state, fullpath, file->path, &ok)) < 0 || !ok)
		goto done;
	if (core_looks_binary(state->content.ptr, state->content.size)) {
		state->stats.skipped_binary++;
		goto done;
	}

	state->stats.files_scanned++;
	state->stats.bytes_scanned += state->content.size;
	findings_before = state->findings.count;
	error = core_scan_buffer(&state->findings, &state->worker, shared->ctx, file->path,
				 state->content.ptr, state->content.size);
	if (error == 0)
		error = extract_content(state, file->path, state->findings.count > findings_before);

done:
	free(fullpath);
	return error;
}

static void *run_thread(void *arg)
{
	struct thread_state *state = arg;
	struct shared_state *shared = state->shared;

	for (;;) {
		size_t index = __atomic_fetch_add(&shared->next, 1, __ATOMIC_RELAXED);

		if (index >= shared->files->count)
			break;
		if ((state->error = scan_file(state, shared->files->items[index])) < 0) {
			/* Keep this thread's message: error messages are per thread. */
			push_warning(state, nhi_error_last());
			break;
		}
	}
	return NULL;
}

static unsigned choose_threads(const struct nhi_scan_options *options, size_t files)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned threads = options->threads ? options->threads : (online > 0 ? (unsigned)online : 1);

	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	/* Small scans, such as a pre-commit hook's, do not pay for extra threads. */
	if (files < 8)
		threads = 1;
	return threads;
}

static int merge_thread(struct nhi_scan_report *out, struct thread_state *state)
{
	int error = 0;

	for (size_t i = 0; i < state->findings.count && error == 0; i++)
		if ((error = nhi_vec_push(&out->findings, state->findings.items[i])) < 0)
			core_finding_free(state->findings.items[i]);
	for (size_t i = 0; i < state->facts.count && error == 0; i++)
		if ((error = nhi_vec_push(&out->facts, state->facts.items[i])) < 0)
			model_fact_free(state->facts.items[i]);
	for (size_t i = 0; i < state->warnings.count && error == 0; i++)
		if ((error = nhi_vec_push(&out->warnings, state->warnings.items[i])) < 0)
			free(state->warnings.items[i]);
	state->findings.count = state->facts.count = state->warnings.count = 0;

	out->stats.files_scanned += state->stats.files_scanned;
	out->stats.bytes_scanned += state->stats.bytes_scanned;
	out->stats.skipped_binary += state->stats.skipped_binary;
	out->stats.skipped_large += state->stats.skipped_large;
	out->stats.unreadable += state->stats.unreadable;
	out->stats.allowed += state->worker.allowed;
	return error;
}

static void dispose_thread(struct thread_state *state)
{
	core_scan_worker_dispose(&state->worker);
	nhi_vec_dispose_all(&state->findings, (void (*)(void *))core_finding_free);
	nhi_vec_dispose_all(&state->facts, (void (*)(void *))model_fact_free);
	nhi_vec_dispose_all(&state->warnings, NULL);
	nhi_buf_dispose(&state->content);
}

static int run_threads(struct nhi_scan_report *out, struct shared_state *shared, unsigned count)
{
	struct thread_state *states = calloc(count, sizeof(*states));
	unsigned started = 0;
	int error = 0;

	if (!states)
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	for (unsigned i = 0; i < count; i++) {
		states[i].shared = shared;
		if ((error = core_scan_worker_init(&states[i].worker, shared->ctx)) < 0)
			goto done;
	}
	for (; started < count; started++)
		if (pthread_create(&states[started].thread, NULL, run_thread, &states[started]) != 0) {
			error = nhi_error_set(NHI_ERROR, "cannot start a scan thread: %s", strerror(errno));
			break;
		}
	for (unsigned i = 0; i < started; i++)
		pthread_join(states[i].thread, NULL);

	for (unsigned i = 0; i < count; i++) {
		if (error == 0 && states[i].error < 0)
			error = nhi_error_set(states[i].error, "%s",
					      states[i].warnings.count ? (char *)states[i].warnings.items[states[i].warnings.count - 1] : "scan failed");
		if (merge_thread(out, &states[i]) < 0 && error == 0)
			error = NHI_ENOMEM;
	}

done:
	for (unsigned i = 0; i < count; i++)
		dispose_thread(&states[i]);
	free(states);
	return error;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int core_scan_worktree(struct nhi_scan_report *out, struct nhi_context *ctx, const char *root,
		       const struct nhi_scan_options *options)
{
	struct nhi_vec files = NHI_VEC_INIT;
	struct shared_state shared = { 0 };
	struct timespec start, end;
	struct stat st;
	int error;

	clock_gettime(CLOCK_MONOTONIC, &start);
	memset(out, 0, sizeof(*out));

	if ((error = source_worktree_list(&files, &out->stats.walk, &out->warnings, root, &ctx->settings)) < 0)
		goto done;

	shared.ctx = ctx;
	shared.files = &files;
	shared.root = root;
	shared.root_is_file = stat(root, &st) == 0 && !S_ISDIR(st.st_mode);
	shared.max_file_size = options->max_file_size ? options->max_file_size : NHI_DEFAULT_MAX_FILE_SIZE;

	out->stats.unreadable = out->stats.walk.unreadable;
	if ((error = run_threads(out, &shared, choose_threads(options, files.count))) < 0)
		goto done;
	nhi_vec_sort(&out->findings, core_finding_compare);
	nhi_vec_sort(&out->facts, model_fact_compare);
	nhi_vec_sort(&out->warnings, compare_strings);

done:
	clock_gettime(CLOCK_MONOTONIC, &end);
	out->stats.elapsed_ms = (double)(end.tv_sec - start.tv_sec) * 1e3 +
				(double)(end.tv_nsec - start.tv_nsec) / 1e6;
	nhi_vec_dispose_all(&files, source_file_entry_free);
	return error;
}

void core_scan_report_dispose(struct nhi_scan_report *report)
{
	nhi_vec_dispose_all(&report->findings, (void (*)(void *))core_finding_free);
	nhi_vec_dispose_all(&report->facts, (void (*)(void *))model_fact_free);
	nhi_vec_dispose_all(&report->warnings, NULL);
}
