/*
 * The git scan modes. Each reads a repository through libgit2, without running git or anything
 * that the repository configures. Blobs are scanned with core_scan_buffer() on a pool of threads,
 * each with its own struct nhi_scan_worker and repository handle, and the results fill a
 * struct nhi_scan_report as core_scan_worktree() does:
 *
 *   history  every blob reachable from any reference, the stash and HEAD, each scanned once;
 *            each finding carries the commit that introduced its blob at its path
 *   staged   what the index adds relative to HEAD; only findings on added lines
 *   range    what the commits of BASE..HEAD add, each finding with the commit that added it
 *
 * Findings are reported once per path, rule and secret: when later versions of a file still
 * hold a secret, the finding of the earliest version (by commit order) is kept. Binary blobs
 * (a NUL in the first 8000 bytes, git's own test) are skipped and counted, as in the working
 * tree and as gitleaks does: decoding them is out of scope and their byte runs mostly give
 * false positives. Missing, damaged and over-limit blobs become warnings; the scan goes on.
 * A scan that could read nothing at all fails with NHI_ENOTFOUND, keeping its warnings in the
 * report: no reference resolved to a readable commit, or every blob it tried was unreadable.
 *
 * The commit that introduced a finding may have a parent that cannot be read (a shallow clone's
 * boundary, a missing commit), or an older version of the path may be unreadable. The secret may
 * then be older than that commit, so the finding's earlier_unreadable names that parent or blob.
 *
 * Report statistics: files_scanned and bytes_scanned count blobs; unreadable counts missing or
 * damaged blobs; walk.symlinks counts symbolic links skipped; walk.ignored counts paths left
 * out by skip-paths.
 */
#ifndef NHI_CORE_SCAN_GIT_H
#define NHI_CORE_SCAN_GIT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/context.h"
#include "core/scan.h"

/* Snapshot handed to the progress callback. */
struct nhi_git_progress {
	const char *unit;        /* "blobs" or "commits" */
	size_t done;             /* units scanned */
	size_t total;            /* units found so far */
	bool total_known;        /* false while the history is still being listed */
	size_t bytes_scanned;
	double elapsed_ms;
	bool finished;           /* the last call of the scan */
};

typedef void (*nhi_git_progress_fn)(void *payload, const struct nhi_git_progress *progress);

struct nhi_git_scan_options {
	unsigned threads;            /* 0: one per online CPU */
	size_t max_blob_size;        /* 0: NHI_DEFAULT_MAX_FILE_SIZE */
	bool all_objects;            /* history: also objects that no reference reaches */
	bool no_stash;               /* history: leave out refs/stash and its reflog */
	const char *range;           /* range: "BASE..HEAD" */
	const char *since;           /* range: REV, meaning REV..HEAD; used when range is NULL */
	/* Called from the calling thread about every 100 ms and once at the end; NULL for none. */
	nhi_git_progress_fn progress;
	void *progress_payload;
};

/* Scan the whole history of the repository at path (a work tree or a git folder). */
int core_scan_git_history(struct nhi_scan_report *out, struct nhi_context *ctx, const char *path,
			  const struct nhi_git_scan_options *options);

/* Scan the changes staged in the index of the work tree at path. */
int core_scan_git_staged(struct nhi_scan_report *out, struct nhi_context *ctx, const char *path,
			 const struct nhi_git_scan_options *options);

/* Scan the lines added by the commits of options->range, or of options->since..HEAD. */
int core_scan_git_range(struct nhi_scan_report *out, struct nhi_context *ctx, const char *path,
			const struct nhi_git_scan_options *options);

#endif
