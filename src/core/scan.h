/*
 * Scan orchestration: the working tree is listed, its files are read and matched on every core,
 * and the matches become findings in one sorted list. The git modes reuse core_scan_buffer() for
 * blobs that come from the object database.
 */
#ifndef NHI_CORE_SCAN_H
#define NHI_CORE_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/context.h"
#include "source/worktree.h"
#include "util/vec.h"

/* Default largest file that is read, in bytes: larger files are skipped and counted. */
#define NHI_DEFAULT_MAX_FILE_SIZE ((size_t)10 << 20)

struct nhi_scan_options {
	unsigned threads;        /* 0: one per online CPU */
	size_t max_file_size;    /* 0: NHI_DEFAULT_MAX_FILE_SIZE */
};

struct nhi_scan_stats {
	size_t files_scanned;
	size_t bytes_scanned;
	size_t skipped_binary;
	size_t skipped_large;
	size_t unreadable;
	size_t allowed;          /* findings dropped by allow-fingerprints */
	struct nhi_walk_stats walk;
	double elapsed_ms;
};

struct nhi_scan_report {
	struct nhi_vec findings; /* struct nhi_finding *, sorted */
	struct nhi_vec facts;    /* struct nhi_fact *, sorted: what the extractors learned */
	struct nhi_vec warnings; /* char *, one line each, sorted */
	struct nhi_scan_stats stats;
};

int core_scan_worktree(struct nhi_scan_report *out, struct nhi_context *ctx, const char *root,
		       const struct nhi_scan_options *options);

/* Per-thread working memory for core_scan_buffer(). */
struct nhi_scan_worker {
	nhi_match_scratch *scratch;
	struct nhi_match_list matches;
	size_t allowed;
};

int core_scan_worker_init(struct nhi_scan_worker *worker, struct nhi_context *ctx);
void core_scan_worker_dispose(struct nhi_scan_worker *worker);

/* Match data (labelled path) and append a struct nhi_finding * to findings for each match. */
int core_scan_buffer(struct nhi_vec *findings, struct nhi_scan_worker *worker, struct nhi_context *ctx,
		     const char *path, const char *data, size_t len);

/*
 * core_scan_buffer() for a blob that may be a delta of a blob scanned before: see
 * match_scan_delta() for delta and keep.
 */
int core_scan_delta(struct nhi_vec *findings, struct nhi_scan_worker *worker, struct nhi_context *ctx,
		    const char *path, const char *data, size_t len, const struct nhi_match_delta *delta,
		    struct nhi_match_candidates *keep);

/* Return true when the first bytes of data contain a NUL, as git decides a file is binary. */
bool core_looks_binary(const char *data, size_t len);

void core_scan_report_dispose(struct nhi_scan_report *report);

#endif
