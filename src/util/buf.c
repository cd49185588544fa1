/*
 * Growable byte buffer; see buf.h.
 */
#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int nhi_buf_grow(struct nhi_buf *buf, size_t extra)
{
	size_t needed = buf->size + extra + 1;
	size_t alloc;
	char *ptr;

	if (needed < buf->size)
		return nhi_error_set(NHI_ENOMEM, "buffer size overflow");
	if (needed <= buf->alloc)
		return 0;

	alloc = buf->alloc ? buf->alloc : 64;
	while (alloc < needed)
		alloc = alloc + alloc / 2 + 64;

	ptr = realloc(buf->ptr, alloc);
	if (!ptr)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if (!buf->ptr)
		ptr[0] = '\0';
	buf->ptr = ptr;
	buf->alloc = alloc;
	return 0;
}

int nhi_buf_put(struct nhi_buf *buf, const void *data, size_t len)
{
	int error;

	if ((error = nhi_buf_grow(buf, len)) < 0)
		return error;
	if (len)
		memcpy(buf->ptr + buf->size, data, len);
	buf->size += len;
	buf->ptr[buf->size] = '\0';
	return 0;
}

int nhi_buf_puts(struct nhi_buf *buf, const char *str)
{
	return nhi_buf_put(buf, str, strlen(str));
}

int nhi_buf_putc(struct nhi_buf *buf, char c)
{
	return nhi_buf_put(buf, &c, 1);
}

int nhi_buf_vprintf(struct nhi_buf *buf, const char *fmt, va_list ap)
{
	va_list copy;
	int len;
	int error;

	va_copy(copy, ap);
	len = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (len < 0)
		return nhi_error_set(NHI_ERROR, "invalid format string");

	if ((error = nhi_buf_grow(buf, (size_t)len)) < 0)
		return error;
	vsnprintf(buf->ptr + buf->size, (size_t)len + 1, fmt, ap);
	buf->size += (size_t)len;
	return 0;
}

int nhi_buf_printf(struct nhi_buf *buf, const char *fmt, ...)
{
	va_list ap;
	int error;

	va_start(ap, fmt);
	error = nhi_buf_vprintf(buf, fmt, ap);
	va_end(ap);
	return error;
}

void nhi_buf_clear(struct nhi_buf *buf)
{
	buf->size = 0;
	if (buf->ptr)
		buf->ptr[0] = '\0';
}

char *nhi_buf_detach(struct nhi_buf *buf)
{
	char *ptr = buf->ptr;

	if (!ptr)
		ptr = calloc(1, 1);
	buf->ptr = NULL;
	buf->size = buf->alloc = 0;
	return ptr;
}

void nhi_buf_dispose(struct nhi_buf *buf)
{
	free(buf->ptr);
	buf->ptr = NULL;
	buf->size = buf->alloc = 0;
}
