/*
 * The organisation sweep: build the inventory of many repositories, in parallel, and combine
 * them into one organisation inventory.
 *
 * A sweep lists repositories: the git repositories directly inside a folder, or the local paths
 * and clone URLs of a list file. It keeps the ones of its shard and runs `nhiscan inventory` on
 * each in a child process. A repository that crashes the scanner (or, with a timeout, hangs it)
 * then costs only its own entry. Outputs go to one folder:
 *
 *   OUT/sweep-state.tsv              one line per repository: id, HEAD, status, settings, key
 *   OUT/repos/ID/nhi-inventory.yaml  each repository's inventory
 *   OUT/org-inventory.yaml           the organisation inventory, built from the files above
 *   OUT/logs/ID.log                  what the child process printed (not compared or merged)
 *   OUT/clones/ID/                   clones of the URLs (another folder with clone_dir)
 *
 * Resuming: a repository whose HEAD and settings match its "ok" line in the state file is
 * skipped. The state file is appended to as each repository finishes, so an interrupted sweep
 * loses only the repositories in flight, and rewritten sorted at the end.
 *
 * Determinism: a repository's key is the text it was listed as (a folder's name inside the swept
 * folder, or a line of the list file), never an absolute path, so that shards on different
 * machines agree. The shard of a key, the id of its output folder and the order of every output
 * depend on the keys only; the state file and the organisation inventory hold no time stamps.
 * Hence merging the outputs of the N shards of a list gives the same bytes as one sweep of it.
 */
#ifndef NHI_CORE_SWEEP_H
#define NHI_CORE_SWEEP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/vec.h"

#define NHI_SWEEP_STATE_FILE "sweep-state.tsv"
#define NHI_SWEEP_ORG_FILE "org-inventory.yaml"
#define NHI_SWEEP_INVENTORY_FILE "nhi-inventory.yaml"

/* One repository to sweep. */
struct nhi_sweep_repo {
	char *key;       /* as listed: a folder name, a path or a clone URL */
	char *id;        /* name of its output folder: a slug of the key and 8 hex digits of its hash */
	char *location;  /* the path to open, or the URL to clone */
	bool remote;     /* location is a clone URL */
};

/* The outcome of one repository, passed to the progress callback. */
enum nhi_sweep_outcome {
	NHI_SWEEP_SCANNED,
	NHI_SWEEP_SKIPPED,  /* same HEAD and settings as the last successful sweep */
	NHI_SWEEP_FAILED,
};

struct nhi_sweep_progress {
	size_t done;
	size_t total;
	size_t skipped;
	size_t failed;
	const struct nhi_sweep_repo *repo; /* the repository that just finished */
	enum nhi_sweep_outcome outcome;
	const char *message;               /* why it failed, else NULL */
};

/* Called once per finished repository, from one thread at a time. */
typedef void (*nhi_sweep_progress_fn)(void *payload, const struct nhi_sweep_progress *progress);

struct nhi_sweep_options {
	const char *output_dir;
	const char *clone_dir;        /* NULL: OUTPUT_DIR/clones */
	const char *nhiscan;          /* the binary that builds each inventory */
	unsigned jobs;                /* repositories at a time; 0: one per online CPU */
	unsigned timeout_seconds;     /* stop a repository's inventory after this long; 0: never */
	bool history;                 /* build each inventory with --git */
	bool force;                   /* rescan repositories that the state records as up to date */
	nhi_sweep_progress_fn progress;
	void *progress_payload;
};

struct nhi_sweep_failure {
	char *key;
	char *message;
};

struct nhi_sweep_result {
	size_t total;               /* repositories swept (those of the shard) */
	size_t scanned;
	size_t skipped;
	size_t failed;
	struct nhi_vec failures;    /* struct nhi_sweep_failure *, in key order */
	size_t reused_credentials;  /* credentials found in two repositories or more */
};

/* Append the git repositories directly inside dir to repos (struct nhi_sweep_repo *), by name. */
int core_sweep_list_dir(struct nhi_vec *repos, const char *dir);

/*
 * Append the repositories of a list file, one local path or clone URL per line. Blank lines and
 * lines starting with '#' are skipped, and a repeated line is listed once. Relative paths are
 * relative to the current folder.
 */
int core_sweep_list_file(struct nhi_vec *repos, const char *path, const char *data, size_t len);

/* Parse "K/N" (1 <= K <= N) into *index and *count. */
int core_sweep_parse_shard(unsigned *index, unsigned *count, const char *text);

/* Return true when key belongs to shard index (1-based) of count. */
bool core_sweep_in_shard(const char *key, unsigned index, unsigned count);

/* Keep only the repositories of shard index of count in repos, freeing the others. */
void core_sweep_select_shard(struct nhi_vec *repos, unsigned index, unsigned count);

/* Sweep repos into options->output_dir and write the organisation inventory. */
int core_sweep_run(struct nhi_sweep_result *out, const struct nhi_vec *repos,
		   const struct nhi_sweep_options *options);

/*
 * Combine the output folders of several sweeps (the shards of one list) into output_dir: the
 * repositories' inventories, one state file and the organisation inventory built from them.
 * A key swept by two shards with different results fails with NHI_EINVALID.
 */
int core_sweep_merge(struct nhi_sweep_result *out, const char *output_dir, char *const *shard_dirs,
		     size_t shard_count);

void core_sweep_repo_free(struct nhi_sweep_repo *repo);
void core_sweep_result_dispose(struct nhi_sweep_result *result);

#endif
