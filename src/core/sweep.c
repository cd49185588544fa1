/*
 * The sweep itself: listing repositories, choosing a shard, and running one `nhiscan inventory`
 * child process per repository on a pool of threads. sweep.h describes the outputs and the
 * guarantees.
 *
 * Each worker thread takes the next repository and decides from the state whether it is up to
 * date. If not, the worker clones it when it is a URL and runs the child with its output in the
 * repository's log file. Then it records the result in the state under the pool's mutex.
 */
#include "core/context.h"
#include "core/sweep_private.h"
#include "source/worktree.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef NHISCAN_VERSION
#define NHISCAN_VERSION "0.0.0-dev"
#endif

/* Maximum length of the slug in an id. The 8 hex digits after it keep ids distinct. */
#define MAX_SLUG 40

/* NOTE: at most this many repositories at a time; more would only queue on the same cores. */
#define MAX_JOBS 256

/* The largest --threads value that the inventory command accepts. */
#define MAX_CHILD_THREADS 64

/* How often a worker checks whether its child process has finished or run out of time. */
#define WAIT_POLL_NS (20 * 1000 * 1000)

void core_sweep_repo_free(struct nhi_sweep_repo *repo)
{
	if (!repo)
		return;
	free(repo->key);
	free(repo->id);
	free(repo->location);
	free(repo);
}

static void free_failure(void *item)
{
	struct nhi_sweep_failure *failure = item;

	free(failure->key);
	free(failure->message);
	free(failure);
}

void core_sweep_result_dispose(struct nhi_sweep_result *result)
{
	nhi_vec_dispose_all(&result->failures, free_failure);
}

/* "scheme://..." is a URL, and so is git's scp-like "host:path", whose colon comes before any slash. */
static bool is_url(const char *text)
{
	const char *colon = strchr(text, ':');
	const char *slash = strchr(text, '/');

	return strstr(text, "://") || (colon && colon > text && (!slash || colon < slash));
}

/* Write to out the last path component of key, without ".git", in [A-Za-z0-9._-]. */
static void make_slug(char out[MAX_SLUG + 1], const char *key)
{
	size_t end = strlen(key);
	size_t start;
	size_t len = 0;

	while (end > 0 && key[end - 1] == '/')
		end--;
	if (end >= 4 && strncmp(key + end - 4, ".git", 4) == 0)
		end -= 4;
	start = end;
	while (start > 0 && key[start - 1] != '/' && key[start - 1] != ':')
		start--;

	for (size_t i = start; i < end && len < MAX_SLUG; i++) {
		char c = key[i];
		bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    c == '.' || c == '_' || c == '-';

		out[len++] = keep ? c : '-';
	}
	/* A slug of dots only would name the folder itself or its parent. */
	if (len == 0 || strspn(out, ".") == len) {
		memcpy(out, "repo", 4);
		len = 4;
	}
	out[len] = '\0';
}

static int make_id(char **out, const char *key)
{
	unsigned char digest[32];
	char hex[9];
	char slug[MAX_SLUG + 1];
	size_t size;

	make_slug(slug, key);
	nhi_sha256(digest, key, strlen(key));
	nhi_hex_encode(hex, digest, 4);
	size = strlen(slug) + 1 + sizeof(hex);
	if (!(*out = malloc(size)))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	snprintf(*out, size, "%s-%s", slug, hex);
	return 0;
}

static int add_repo(struct nhi_vec *repos, const char *key, const char *location, bool remote)
{
	struct nhi_sweep_repo *repo = calloc(1, sizeof(*repo));
	int error = 0;

	if (!repo)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	repo->remote = remote;
	if (!(repo->key = strdup(key)) || !(repo->location = strdup(location)))
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
	if (error == 0)
		error = make_id(&repo->id, key);
	if (error == 0)
		error = nhi_vec_push(repos, repo);
	if (error < 0)
		core_sweep_repo_free(repo);
	return error;
}

static bool exists(const char *dir, const char *name, bool want_dir)
{
	char *path = nhi_path_join(dir, name);
	struct stat st;
	bool found = path && stat(path, &st) == 0 && (!want_dir || S_ISDIR(st.st_mode));

	free(path);
	return found;
}

/* A work tree has .git (a folder, or a file in a linked work tree); a bare repository has HEAD and objects/. */
static bool is_repository(const char *path)
{
	return exists(path, ".git", false) || (exists(path, "HEAD", false) && exists(path, "objects", true));
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int core_sweep_list_dir(struct nhi_vec *repos, const char *dir)
{
	struct nhi_vec names = NHI_VEC_INIT;
	struct dirent *entry;
	DIR *handle = opendir(dir);
	int error = 0;

	if (!handle)
		return nhi_error_set(errno == ENOENT ? NHI_ENOTFOUND : NHI_EIO, "cannot read folder '%s': %s", dir,
				     strerror(errno));
	while ((entry = readdir(handle)) != NULL) {
		char *name;

		if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
			continue;
		if (!(name = strdup(entry->d_name)) || (error = nhi_vec_push(&names, name)) < 0) {
			free(name);
			error = nhi_error_set(NHI_ENOMEM, "out of memory");
			goto done;
		}
	}
	nhi_vec_sort(&names, compare_names);

	for (size_t i = 0; i < names.count && error == 0; i++) {
		char *path = nhi_path_join(dir, names.items[i]);

		if (!path)
			error = nhi_error_set(NHI_ENOMEM, "out of memory");
		else if (is_repository(path) && sweep_state_valid_field(names.items[i]))
			error = add_repo(repos, names.items[i], path, false);
		free(path);
	}

done:
	closedir(handle);
	nhi_vec_dispose_all(&names, NULL);
	return error;
}

/*
 * Return true when url has a password in its user information ("scheme://user:password@host").
 * The key of a repository is written to the outputs, so such a URL would leak the password.
 */
static bool has_password(const char *url)
{
	const char *authority = strstr(url, "://");
	const char *end;
	const char *at;

	if (!authority)
		return false;
	authority += 3;
	end = authority + strcspn(authority, "/?#");
	at = memchr(authority, '@', (size_t)(end - authority));
	return at && memchr(authority, ':', (size_t)(at - authority));
}

/* Strip spaces and tabs at both ends of line[0, *len) and return the new start. */
static const char *trim(const char *line, size_t *len)
{
	while (*len > 0 && (line[0] == ' ' || line[0] == '\t')) {
		line++;
		(*len)--;
	}
	while (*len > 0 && (line[*len - 1] == ' ' || line[*len - 1] == '\t' || line[*len - 1] == '\r'))
		(*len)--;
	return line;
}

int core_sweep_list_file(struct nhi_vec *repos, const char *path, const char *data, size_t len)
{
	struct model_idmap seen = MODEL_IDMAP_INIT;
	const char *line = data;
	size_t number = 0;
	int error = 0;

	while (error == 0 && line < data + len) {
		const char *end = memchr(line, '\n', (size_t)(data + len - line));
		size_t line_len = end ? (size_t)(end - line) : (size_t)(data + len - line);
		const char *text = trim(line, &line_len);
		char *key;

		number++;
		line = end ? end + 1 : data + len;
		if (line_len == 0 || text[0] == '#' || model_idmap_get(&seen, text, line_len))
			continue;
		if (memchr(text, '\t', line_len) || memchr(text, '\0', line_len)) {
			error = nhi_error_set(NHI_EINVALID, "%s:%zu: a repository path or URL cannot contain a tab or NUL",
					      path, number);
			break;
		}
		if (!(key = strndup(text, line_len))) {
			error = nhi_error_set(NHI_ENOMEM, "out of memory");
			break;
		}
		if (has_password(key)) {
			free(key);
			/* The message leaves the line out because it contains the password. */
			error = nhi_error_set(NHI_EINVALID,
					      "%s:%zu: the URL contains a password, which the sweep would write into its outputs; clone the repository with a credential helper and sweep the folder instead",
					      path, number);
			break;
		}
		/* The map only records which lines were seen; the value is any non-NULL pointer. */
		error = model_idmap_put(&seen, text, line_len, repos);
		if (error == 0)
			error = add_repo(repos, key, key, is_url(key));
		free(key);
	}
	model_idmap_dispose(&seen);
	return error;
}

int core_sweep_parse_shard(unsigned *index, unsigned *count, const char *text)
{
	char *end = NULL;
	unsigned long k, n;

	errno = 0;
	k = strtoul(text, &end, 10);
	if (errno || end == text || *end != '/' || text[0] == '-')
		return nhi_error_set(NHI_EINVALID, "invalid shard '%s'; use K/N with 1 <= K <= N, like 2/8", text);
	text = end + 1;
	n = strtoul(text, &end, 10);
	if (errno || end == text || *end != '\0' || text[0] == '-' || k < 1 || n < k || n > UINT32_MAX)
		return nhi_error_set(NHI_EINVALID, "invalid shard '%s'; use K/N with 1 <= K <= N, like 2/8", text);
	*index = (unsigned)k;
	*count = (unsigned)n;
	return 0;
}

bool core_sweep_in_shard(const char *key, unsigned index, unsigned count)
{
	unsigned char digest[32];
	uint64_t value = 0;

	if (count <= 1)
		return true;
	/* The first 64 bits of SHA-256 spread keys evenly and are the same on every machine. */
	nhi_sha256(digest, key, strlen(key));
	for (size_t i = 0; i < 8; i++)
		value = value << 8 | digest[i];
	return value % count == index - 1;
}

void core_sweep_select_shard(struct nhi_vec *repos, unsigned index, unsigned count)
{
	size_t kept = 0;

	for (size_t i = 0; i < repos->count; i++) {
		struct nhi_sweep_repo *repo = repos->items[i];

		if (core_sweep_in_shard(repo->key, index, count))
			repos->items[kept++] = repo;
		else
			core_sweep_repo_free(repo);
	}
	repos->count = kept;
}

/* The pool's shared state; everything below the mutex is guarded by it. */
struct sweep_pool {
	const struct nhi_vec *repos;
	const struct nhi_sweep_options *options;
	char *settings;
	char *clone_dir;
	char child_threads[16];  /* each child's share of the CPUs, at least 1 */
	pthread_mutex_t lock;
	size_t next;
	struct sweep_state *state;
	FILE *state_file;
	char *state_path;
	struct nhi_sweep_result *result;
	int fatal;               /* a failure that stops the sweep, like a full disk */
	char fatal_message[512];
};

/* The paths of one repository's outputs. */
struct repo_paths {
	char *dir;        /* OUT/repos/ID */
	char *inventory;  /* OUT/repos/ID/nhi-inventory.yaml */
	char *log;        /* OUT/logs/ID.log */
	char *clone;      /* the clone of a URL, else NULL */
};

static void dispose_paths(struct repo_paths *paths)
{
	free(paths->dir);
	free(paths->inventory);
	free(paths->log);
	free(paths->clone);
}

static int make_paths(struct repo_paths *paths, const struct sweep_pool *pool, const struct nhi_sweep_repo *repo)
{
	struct nhi_buf log = NHI_BUF_INIT;
	char *repos_dir = nhi_path_join(pool->options->output_dir, "repos");
	int error = 0;

	memset(paths, 0, sizeof(*paths));
	if (!repos_dir || !(paths->dir = nhi_path_join(repos_dir, repo->id)) ||
	    !(paths->inventory = nhi_path_join(paths->dir, NHI_SWEEP_INVENTORY_FILE)) ||
	    (repo->remote && !(paths->clone = nhi_path_join(pool->clone_dir, repo->id))) ||
	    nhi_buf_printf(&log, "%s/logs/%s.log", pool->options->output_dir, repo->id) < 0)
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
	else
		paths->log = nhi_buf_detach(&log);
	free(repos_dir);
	nhi_buf_dispose(&log);
	return error;
}

/* Fill argv (at least 11 slots) with the child's command line. threads is its --threads value. */
static void build_argv(const char **argv, const struct nhi_sweep_options *options, const char *threads,
		       const char *output, const char *path)
{
	size_t argc = 0;

	argv[argc++] = options->nhiscan;
	argv[argc++] = "inventory";
	argv[argc++] = "--quiet";
	argv[argc++] = options->history ? "--git" : "--no-git";
	argv[argc++] = "--threads";
	argv[argc++] = threads;
	argv[argc++] = "--output";
	argv[argc++] = output;
	argv[argc++] = "--";
	argv[argc++] = path;
	argv[argc] = NULL;
}

/*
 * Wait for pid and store its wait status; kill it when timeout_seconds (0: none) pass first.
 * NOTE: no test covers the timeout, because no known input makes an inventory hang.
 */
static int wait_child(int *status, pid_t pid, unsigned timeout_seconds, const char *key)
{
	struct timespec start, now;
	const struct timespec pause = { 0, WAIT_POLL_NS };

	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		pid_t done = waitpid(pid, status, timeout_seconds ? WNOHANG : 0);

		if (done == pid)
			return 0;
		if (done < 0 && errno != EINTR)
			return nhi_error_set(NHI_ERROR, "cannot wait for the inventory of '%s': %s", key, strerror(errno));
		if (done == 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (now.tv_sec - start.tv_sec >= (time_t)timeout_seconds) {
				kill(pid, SIGKILL);
				waitpid(pid, status, 0);
				return nhi_error_set(NHI_ERROR, "the inventory of '%s' took longer than %u s and was stopped",
						     key, timeout_seconds);
			}
			nanosleep(&pause, NULL);
		}
	}
}

/* Run `nhiscan inventory` on path with its output in paths; fail unless it wrote the inventory. */
static int run_inventory(const struct sweep_pool *pool, const struct nhi_sweep_repo *repo,
			 const struct repo_paths *paths, const char *path)
{
	const struct nhi_sweep_options *options = pool->options;
	posix_spawn_file_actions_t actions;
	const char *argv[11];
	struct stat st;
	pid_t pid;
	int status = 0;
	int error;

	build_argv(argv, options, pool->child_threads, paths->inventory, path);
	if (posix_spawn_file_actions_init(&actions) != 0)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, paths->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
	error = posix_spawn(&pid, options->nhiscan, &actions, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (error != 0)
		return nhi_error_set(NHI_ERROR, "cannot run '%s': %s", options->nhiscan, strerror(error));

	if ((error = wait_child(&status, pid, options->timeout_seconds, repo->key)) < 0)
		return error;
	if (WIFSIGNALED(status))
		return nhi_error_set(NHI_ERROR, "the inventory of '%s' was killed by signal %d; see '%s'", repo->key,
				     WTERMSIG(status), paths->log);
	/* Exit status 1 reports findings or risks; only 2 and above mean that the inventory failed. */
	if (WEXITSTATUS(status) > 1 || stat(paths->inventory, &st) < 0)
		return nhi_error_set(NHI_ERROR, "the inventory of '%s' failed with exit status %d; see '%s'", repo->key,
				     WEXITSTATUS(status), paths->log);
	return 0;
}

/* Return true when the state records that repo was swept at head with these settings. */
static bool is_up_to_date(struct sweep_pool *pool, const struct nhi_sweep_repo *repo, const char *head,
			  const struct repo_paths *paths)
{
	const struct sweep_state_entry *entry;
	struct stat st;
	bool current;

	if (pool->options->force)
		return false;
	pthread_mutex_lock(&pool->lock);
	entry = sweep_state_find(pool->state, repo->key);
	current = entry && strcmp(entry->status, SWEEP_STATUS_OK) == 0 && strcmp(entry->head, head) == 0 &&
		  strcmp(entry->settings, pool->settings) == 0 && strcmp(entry->id, repo->id) == 0;
	pthread_mutex_unlock(&pool->lock);
	return current && stat(paths->inventory, &st) == 0;
}

/* Sweep one repository; *head receives the commit swept. Fails with a message for the state. */
static int sweep_repo(enum nhi_sweep_outcome *outcome, char **head, struct sweep_pool *pool,
		      const struct nhi_sweep_repo *repo, const struct repo_paths *paths)
{
	const char *path = repo->remote ? paths->clone : repo->location;
	int error;

	*outcome = NHI_SWEEP_FAILED;
	error = repo->remote ? sweep_remote_head(head, repo->location) : sweep_local_head(head, repo->location);
	if (error < 0)
		return error;
	/* Clones have a work tree, but a local bare repository has nothing to scan without --git. */
	if (!repo->remote && !pool->options->history && source_is_git_dir(repo->location))
		return nhi_error_set(NHI_EINVALID, "'%s' is a bare git repository, which holds no "
				     "work-tree files; use --git to scan its history", repo->key);
	if (is_up_to_date(pool, repo, *head, paths)) {
		*outcome = NHI_SWEEP_SKIPPED;
		return 0;
	}

	if (repo->remote) {
		/* The remote may have moved since it was listed: record what the clone holds. */
		if ((error = nhi_fs_mkdir_p(pool->clone_dir)) < 0 ||
		    (error = sweep_clone(repo->location, paths->clone)) < 0)
			return error;
		free(*head);
		*head = NULL;
		if ((error = sweep_local_head(head, paths->clone)) < 0)
			return error;
	}
	if ((error = nhi_fs_mkdir_p(paths->dir)) < 0)
		return error;
	if (unlink(paths->inventory) < 0 && errno != ENOENT)
		return nhi_error_set(NHI_EIO, "cannot remove '%s': %s", paths->inventory, strerror(errno));
	if ((error = run_inventory(pool, repo, paths, path)) < 0)
		return error;
	*outcome = NHI_SWEEP_SCANNED;
	return 0;
}

static int add_failure(struct nhi_sweep_result *result, const char *key, const char *message)
{
	struct nhi_sweep_failure *failure = calloc(1, sizeof(*failure));

	if (!failure || !(failure->key = strdup(key)) || !(failure->message = strdup(message)) ||
	    nhi_vec_push(&result->failures, failure) < 0) {
		if (failure)
			free_failure(failure);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	return 0;
}

/* Record the outcome of one repository in the state, the result and the progress; under the lock. */
static int record_outcome(struct sweep_pool *pool, const struct nhi_sweep_repo *repo, enum nhi_sweep_outcome outcome,
			  const char *head, const char *message)
{
	struct nhi_sweep_result *result = pool->result;
	struct sweep_state_entry entry = { repo->id, (char *)(head ? head : "unknown"),
					   outcome == NHI_SWEEP_FAILED ? SWEEP_STATUS_FAILED : SWEEP_STATUS_OK,
					   pool->settings, repo->key };
	struct nhi_sweep_progress progress;
	int error = 0;

	if (outcome == NHI_SWEEP_SCANNED)
		result->scanned++;
	else if (outcome == NHI_SWEEP_SKIPPED)
		result->skipped++;
	else
		result->failed++;

	if (outcome != NHI_SWEEP_SKIPPED) {
		if ((error = sweep_state_put(pool->state, &entry)) == 0)
			error = sweep_state_append(pool->state_file, pool->state_path, &entry);
	}
	if (error == 0 && outcome == NHI_SWEEP_FAILED)
		error = add_failure(result, repo->key, message);

	if (pool->options->progress) {
		progress.done = result->scanned + result->skipped + result->failed;
		progress.total = result->total;
		progress.skipped = result->skipped;
		progress.failed = result->failed;
		progress.repo = repo;
		progress.outcome = outcome;
		progress.message = message;
		pool->options->progress(pool->options->progress_payload, &progress);
	}
	return error;
}

static void *run_worker(void *payload)
{
	struct sweep_pool *pool = payload;

	for (;;) {
		const struct nhi_sweep_repo *repo;
		struct repo_paths paths;
		enum nhi_sweep_outcome outcome = NHI_SWEEP_FAILED;
		char *head = NULL;
		const char *message = NULL;
		int error;

		pthread_mutex_lock(&pool->lock);
		repo = pool->fatal == 0 && pool->next < pool->repos->count ? pool->repos->items[pool->next++] : NULL;
		pthread_mutex_unlock(&pool->lock);
		if (!repo)
			break;

		nhi_error_clear();
		if ((error = make_paths(&paths, pool, repo)) == 0)
			error = sweep_repo(&outcome, &head, pool, repo, &paths);
		if (error < 0) {
			message = nhi_error_last();
			/* A failed repository leaves no output folder, as in a merge of the shards. */
			if (paths.dir)
				rmdir(paths.dir);
		}

		pthread_mutex_lock(&pool->lock);
		error = record_outcome(pool, repo, outcome, head, message);
		if (error < 0 && pool->fatal == 0) {
			pool->fatal = error;
			snprintf(pool->fatal_message, sizeof(pool->fatal_message), "%s", nhi_error_last());
		}
		pthread_mutex_unlock(&pool->lock);
		dispose_paths(&paths);
		free(head);
	}
	return NULL;
}

static unsigned choose_jobs(const struct nhi_sweep_options *options, size_t repos)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned jobs = options->jobs ? options->jobs : (online > 0 ? (unsigned)online : 1);

	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if (jobs > repos)
		jobs = repos ? (unsigned)repos : 1;
	return jobs;
}

/* Children that each start a thread per CPU would fight over the CPUs, so they share them. */
static void share_cpus(struct sweep_pool *pool, unsigned jobs)
{
	long online = sysconf(_SC_NPROCESSORS_ONLN);
	long share = online > (long)jobs ? online / (long)jobs : 1L;

	snprintf(pool->child_threads, sizeof(pool->child_threads), "%ld",
		 share > MAX_CHILD_THREADS ? (long)MAX_CHILD_THREADS : share);
}

static int run_pool(struct sweep_pool *pool)
{
	unsigned jobs = choose_jobs(pool->options, pool->repos->count);
	pthread_t threads[MAX_JOBS];
	unsigned started = 0;
	int error = 0;

	share_cpus(pool, jobs);
	for (; started < jobs; started++) {
		if ((error = pthread_create(&threads[started], NULL, run_worker, pool)) != 0) {
			error = nhi_error_set(NHI_ERROR, "cannot start a thread: %s", strerror(error));
			break;
		}
	}
	/* With no thread at all, nothing would ever run: do the work on this one. */
	if (started == 0)
		run_worker(pool);
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	if (pool->fatal)
		return nhi_error_set(pool->fatal, "%s", pool->fatal_message);
	return started == 0 ? error : 0;
}

/* Keep in kept the state entries of the listed repositories, sorted, and write them to path. */
static int compact_state(struct sweep_state *kept, const struct sweep_state *state, const struct nhi_vec *repos,
			 const char *path)
{
	int error = 0;

	for (size_t i = 0; i < repos->count && error == 0; i++) {
		const struct nhi_sweep_repo *repo = repos->items[i];
		const struct sweep_state_entry *entry = sweep_state_find(state, repo->key);

		if (entry)
			error = sweep_state_put(kept, entry);
	}
	if (error == 0) {
		sweep_state_sort(kept);
		error = sweep_state_write(kept, path);
	}
	return error;
}

static int compare_failures(const void *a, const void *b)
{
	const struct nhi_sweep_failure *x = *(const struct nhi_sweep_failure *const *)a;
	const struct nhi_sweep_failure *y = *(const struct nhi_sweep_failure *const *)b;

	return strcmp(x->key, y->key);
}

static int make_settings(char **out, const struct nhi_sweep_options *options)
{
	struct nhi_buf text = NHI_BUF_INIT;

	if (nhi_buf_printf(&text, "nhiscan-%s inventory%s", NHISCAN_VERSION, options->history ? " --git" : "") < 0)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	/* Spaces would do, but one word per field keeps the file easy to cut. */
	for (char *p = text.ptr; *p; p++)
		if (*p == ' ')
			*p = ',';
	*out = nhi_buf_detach(&text);
	return 0;
}

static int open_outputs(struct sweep_pool *pool)
{
	const struct nhi_sweep_options *options = pool->options;
	struct nhi_buf logs = NHI_BUF_INIT;
	int error;

	if ((error = nhi_buf_printf(&logs, "%s/logs", options->output_dir)) < 0 ||
	    (error = nhi_fs_mkdir_p(logs.ptr)) < 0)
		goto done;
	if (!(pool->state_path = nhi_path_join(options->output_dir, NHI_SWEEP_STATE_FILE))) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	if ((error = sweep_state_load(pool->state, pool->state_path)) < 0)
		goto done;
	/* "e": the children must not inherit the state file. */
	if (!(pool->state_file = fopen(pool->state_path, "ae")))
		error = nhi_error_set(NHI_EIO, "cannot open '%s': %s", pool->state_path, strerror(errno));

done:
	nhi_buf_dispose(&logs);
	return error;
}

/*
 * Compile the built-in rules into the on-disk cache before the children start: with a cold
 * cache, every child started before the first one finishes would compile the same database,
 * which costs seconds of CPU each. A failure here is left for the children to report.
 */
static void warm_rule_cache(const char *output_dir)
{
	struct nhi_context ctx = { 0 };
	struct nhi_context_options options = { 0 };

	options.root = output_dir;
	options.no_config = true;
	core_context_open(&ctx, &options);
	core_context_close(&ctx);
	nhi_error_clear();
}

int core_sweep_run(struct nhi_sweep_result *out, const struct nhi_vec *repos,
		   const struct nhi_sweep_options *options)
{
	struct sweep_state state = { NHI_VEC_INIT, MODEL_IDMAP_INIT };
	struct sweep_state kept = { NHI_VEC_INIT, MODEL_IDMAP_INIT };
	struct sweep_pool pool = { 0 };
	int error;

	git_libgit2_init();
	pool.repos = repos;
	pool.options = options;
	pool.state = &state;
	pool.result = out;
	out->total = repos->count;
	pthread_mutex_init(&pool.lock, NULL);

	if ((error = make_settings(&pool.settings, options)) < 0)
		goto done;
	pool.clone_dir = options->clone_dir ? strdup(options->clone_dir) : nhi_path_join(options->output_dir, "clones");
	if (!pool.clone_dir) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	if ((error = open_outputs(&pool)) < 0)
		goto done;
	if (repos->count > 1)
		warm_rule_cache(options->output_dir);
	if ((error = run_pool(&pool)) < 0)
		goto done;

	nhi_vec_sort(&out->failures, compare_failures);
	if ((error = compact_state(&kept, &state, repos, pool.state_path)) < 0)
		goto done;
	error = sweep_org_write(&out->reused_credentials, options->output_dir, &kept);

done:
	if (pool.state_file)
		fclose(pool.state_file);
	pthread_mutex_destroy(&pool.lock);
	sweep_state_dispose(&state);
	sweep_state_dispose(&kept);
	free(pool.state_path);
	free(pool.clone_dir);
	free(pool.settings);
	git_libgit2_shutdown();
	return error;
}
