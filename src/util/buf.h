/*
 * A growable byte buffer that always keeps a NUL after its contents, so that the bytes can be
 * passed to C string functions when they hold text. Used by every writer to build output before
 * it is written in one piece.
 */
#ifndef NHI_UTIL_BUF_H
#define NHI_UTIL_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct nhi_buf {
	char *ptr;    /* NULL until the first append; then NUL-terminated */
	size_t size;  /* bytes used, not counting the NUL */
	size_t alloc; /* bytes allocated */
};

#define NHI_BUF_INIT { NULL, 0, 0 }

/* Make room for extra more bytes; returns NHI_ENOMEM on failure. */
int nhi_buf_grow(struct nhi_buf *buf, size_t extra);
int nhi_buf_put(struct nhi_buf *buf, const void *data, size_t len);
int nhi_buf_puts(struct nhi_buf *buf, const char *str);
int nhi_buf_putc(struct nhi_buf *buf, char c);
int nhi_buf_printf(struct nhi_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int nhi_buf_vprintf(struct nhi_buf *buf, const char *fmt, va_list ap);

/* Empty the buffer but keep its memory. */
void nhi_buf_clear(struct nhi_buf *buf);

/* Hand the contents to the caller, who frees them; the buffer is left empty. */
char *nhi_buf_detach(struct nhi_buf *buf);

void nhi_buf_dispose(struct nhi_buf *buf);

#endif
