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

int nhi_fs_read_file(char **out, size_t *out_len, const char *path, size_t max_size)
{
	struct stat st;
	char *data = NULL;
	size_t done = 0;
	int fd = -1;
	int error = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error = nhi_error_set(errno == ENOENT ? NHI_ENOTFOUND : NHI_EIO,
				      "cannot open '%s': %s", path, strerror(errno));
		goto done;
	}
	if (fstat(fd, &st) < 0) {
		error = nhi_error_set(NHI_EIO, "cannot stat '%s': %s", path, strerror(errno));
		goto done;
	}
	if ((size_t)st.st_size > max_size) {
		error = nhi_error_set(NHI_EINVALID, "'%s' is larger than %zu bytes", path, max_size);
		goto done;
	}

	data = malloc((size_t)st.st_size + 1);
	if (!data) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory reading '%s'", path);
		goto done;
	}
	while (done < (size_t)st.st_size) {
		ssize_t got = read(fd, data + done, (size_t)st.st_size - done);

		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			error = nhi_error_set(NHI_EIO, "cannot read '%s': %s", path, strerror(errno));
			goto done;
		}
		if (got == 0)
			break;
		done += (size_t)got;
	}
	data[done] = '\0';

	*out = data;
	*out_len = done;
	data = NULL;

done:
	if (fd >= 0)
		close(fd);
	free(data);
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

int nhi_fs_write_atomic(const char *path, const void *data, size_t len)
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
