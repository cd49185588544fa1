/*
 * File helpers: whole-file reads with a size limit, and writes that go to a temporary name in
 * the same folder and are renamed into place, so that a reader never sees half a file.
 */
#ifndef NHI_UTIL_FS_H
#define NHI_UTIL_FS_H

#include <stddef.h>

/*
 * Read path into a NUL-terminated heap buffer. Files larger than max_size fail with
 * NHI_EINVALID; a missing file fails with NHI_ENOTFOUND.
 */
int nhi_fs_read_file(char **out, size_t *out_len, const char *path, size_t max_size);

/* Write data to path through a temporary file and rename(2). */
int nhi_fs_write_atomic(const char *path, const void *data, size_t len);

/* Create path and its missing parents with mode 0700 for cache folders. */
int nhi_fs_mkdir_p(const char *path);

/* Return a heap copy of a + "/" + b, or NULL when out of memory. */
char *nhi_path_join(const char *a, const char *b);

#endif
