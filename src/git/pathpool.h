/*
 * Interned paths. A history contains many versions of each file, and every queued blob needs the
 * path where it was first seen. The pool stores each distinct path once, so the queue keeps a
 * pointer instead of a copy. Returned strings stay valid and unchanged until the pool is
 * disposed, so other threads may read them while the owner keeps interning.
 */
#ifndef NHI_GIT_PATHPOOL_H
#define NHI_GIT_PATHPOOL_H

#include <stddef.h>
#include <stdint.h>

struct nhi_git_pathpool {
	struct pathpool_entry *table;  /* open addressing, capacity slots */
	size_t capacity;               /* 0 or a power of two */
	size_t count;
	struct pathpool_chunk *chunks; /* string storage, newest first */
};

/* Store *out = the pool's copy of path[0..len), adding it when absent. */
int nhi_git_pathpool_intern(const char **out, struct nhi_git_pathpool *pool, const char *path, size_t len);

void nhi_git_pathpool_dispose(struct nhi_git_pathpool *pool);

#endif
