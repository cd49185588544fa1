/*
 * File helpers; see fs.h.
 */
#include "util/fs.h"
#include "util/error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Initial buffer for a descriptor whose size is unknown, such as a pipe. */
#define READ_CHUNK ((size_t)64 << 10)

int nhi_fs_read_fd(char **out, size_t *out_len, int fd, const char *name, size_t max_size)
{
	/* Room for max_size bytes, one more to detect a longer input, and the NUL. */
	size_t limit = max_size + 2;
	size_t alloc = READ_CHUNK, done = 0;
	struct stat st;
	char *data = NULL;
	int error = 0;

	/* A regular file's size is a good first guess; one more byte proves the end. */
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size < max_size)
		alloc = (size_t)st.st_size + 2;
	if (alloc > limit)
		alloc = limit;
	if (!(data = malloc(alloc)))
		return nhi_error_set(NHI_ENOMEM, "out of memory reading '%s'", name);

	for (;;) {
		ssize_t got;

		if (done + 1 == alloc) {
			size_t grown_size = alloc * 2 < limit ? alloc * 2 : limit;
			char *grown = realloc(data, grown_size);

			if (!grown) {
				error = nhi_error_set(NHI_ENOMEM, "out of memory reading '%s'", name);
				goto done;
			}
			data = grown;
			alloc = grown_size;
		}
		got = read(fd, data + done, alloc - 1 - done);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			error = nhi_error_set(NHI_EIO, "cannot read '%s': %s", name, strerror(errno));
			goto done;
		}
		if (got == 0)
			break;
		done += (size_t)got;
		if (done > max_size) {
			error = nhi_error_set(NHI_EINVALID, "'%s' is larger than %zu bytes", name, max_size);
			goto done;
		}
	}
	data[done] = '\0';

	*out = data;
	*out_len = done;
	data = NULL;

done:
	free(data);
	return error;
}

int nhi_fs_read_file(char **out, size_t *out_len, const char *path, size_t max_size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int error;

	if (fd < 0)
		return nhi_error_set(errno == ENOENT ? NHI_ENOTFOUND : NHI_EIO, "cannot open '%s': %s",
				     path, strerror(errno));
	error = nhi_fs_read_fd(out, out_len, fd, path, max_size);
	close(fd);
	return error;
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *bytes = data;

	while (len > 0) {
		ssize_t put = write(fd, bytes, len);

		if (put < 0 && errno == EINTR)
			continue;
		if (put < 0)
			return -1;
		bytes += put;
		len -= (size_t)put;
	}
	return 0;
}

/* Write data to a temporary file next to path, then rename it over path. */
static int replace_file(const char *path, const void *data, size_t len)
{
	size_t tmp_len = strlen(path) + 16;
	char *tmp = malloc(tmp_len);
	int fd = -1;
	int error = 0;

	if (!tmp)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	snprintf(tmp, tmp_len, "%s.tmp.XXXXXX", path);

	fd = mkstemp(tmp);
	if (fd < 0) {
		error = nhi_error_set(NHI_EIO, "cannot create a temporary file next to '%s': %s",
				      path, strerror(errno));
		goto done;
	}
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		error = nhi_error_set(NHI_EIO, "cannot write '%s': %s", tmp, strerror(errno));
		goto done;
	}
	fchmod(fd, 0644);
	if (close(fd) < 0) {
		fd = -1;
		error = nhi_error_set(NHI_EIO, "cannot write '%s': %s", tmp, strerror(errno));
		goto done;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		error = nhi_error_set(NHI_EIO, "cannot rename '%s' to '%s': %s", tmp, path,
				      strerror(errno));
		goto done;
	}

done:
	if (fd >= 0)
		close(fd);
	if (error < 0)
		unlink(tmp);
	free(tmp);
	return error;
}

/* Write data straight into path, for devices and pipes that a rename would replace. */
static int write_in_place(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
	int error = 0;

	if (fd < 0)
		return nhi_error_set(NHI_EIO, "cannot open '%s': %s", path, strerror(errno));
	if (write_all(fd, data, len) < 0)
		error = nhi_error_set(NHI_EIO, "cannot write '%s': %s", path, strerror(errno));
	if (close(fd) < 0 && error == 0)
		error = nhi_error_set(NHI_EIO, "cannot write '%s': %s", path, strerror(errno));
	return error;
}

int nhi_fs_write_atomic(const char *path, const void *data, size_t len)
{
	struct stat st, link;
	char *target;
	int error;

	if (stat(path, &st) < 0)
		return replace_file(path, data, len);
	if (!S_ISREG(st.st_mode))
		return S_ISDIR(st.st_mode) ? nhi_error_set(NHI_EINVALID, "'%s' is a folder", path)
					   : write_in_place(path, data, len);
	if (lstat(path, &link) < 0 || !S_ISLNK(link.st_mode))
		return replace_file(path, data, len);

	/* A link to a regular file: replace the file it points to and keep the link. */
	if (!(target = realpath(path, NULL)))
		return nhi_error_set(NHI_EIO, "cannot resolve '%s': %s", path, strerror(errno));
	error = replace_file(target, data, len);
	free(target);
	return error;
}

int nhi_fs_mkdir_p(const char *path)
{
	char *copy = strdup(path);
	int error = 0;

	if (!copy)
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	for (char *p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;

		char saved = *p;

		*p = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
			error = nhi_error_set(NHI_EIO, "cannot create folder '%s': %s", copy,
					      strerror(errno));
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}

	free(copy);
	return error;
}

char *nhi_path_join(const char *a, const char *b)
{
	size_t alen = strlen(a);
	size_t blen = strlen(b);
	char *out = malloc(alen + blen + 2);

	if (!out)
		return NULL;
	memcpy(out, a, alen);
	if (alen && a[alen - 1] != '/')
		out[alen++] = '/';
	memcpy(out + alen, b, blen + 1);
	return out;
}
