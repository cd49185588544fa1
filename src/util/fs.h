/*
 * File helpers: whole-file reads with a size limit, and writes that go to a temporary name in
 * the same folder and are renamed into place, so that a reader never sees half a file.
 */
#ifndef NHI_UTIL_FS_H
#define NHI_UTIL_FS_H

#include <stddef.h>

/*
 * Read path to its end into a NUL-terminated heap buffer; a pipe such as /dev/stdin or a
 * shell's <(...) works too. More than max_size bytes fail with NHI_EINVALID; a missing file
 * fails with NHI_ENOTFOUND.
 */
int nhi_fs_read_file(char **out, size_t *out_len, const char *path, size_t max_size);

/* Read an open descriptor to its end, like nhi_fs_read_file(); name is used in messages. */
int nhi_fs_read_fd(char **out, size_t *out_len, int fd, const char *name, size_t max_size);

/*
 * Write data to path through a temporary file and rename(2). A symbolic link to a regular file
 * keeps the link and replaces its target. A path that is not a regular file, such as /dev/null,
 * a terminal or a pipe, is written in place, since a rename would replace the device itself.
 */
int nhi_fs_write_atomic(const char *path, const void *data, size_t len);

/* Create path and its missing parents with mode 0700 for cache folders. */
int nhi_fs_mkdir_p(const char *path);

/* Return a heap copy of a + "/" + b, or NULL when out of memory. */
char *nhi_path_join(const char *a, const char *b);

#endif
