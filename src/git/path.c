/*
 * Display form of git paths; see path.h.
 */
#include "git/path.h"

#include <stddef.h>

/* Return the length of the valid UTF-8 sequence at p (RFC 3629), or 0 when it is not valid. */
static size_t utf8_length(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		/* No overlong forms (E0 80..9F) and no UTF-16 surrogates (ED A0..BF). */
		if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f))
			return 0;
		return (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		/* No overlong forms (F0 80..8F) and nothing above U+10FFFF (F4 90..). */
		if ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] > 0x8f))
			return 0;
		return (p[1] & 0xc0) == 0x80 && (p[2] & 0xc0) == 0x80 && (p[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

int nhi_git_path_display(struct nhi_buf *out, const char *path, bool *escaped)
{
	const unsigned char *p = (const unsigned char *)path;
	int error = 0;

	*escaped = false;
	nhi_buf_clear(out);
	/* The NUL terminator stops every check in utf8_length(), so reads stay inside the string. */
	while (*p && error == 0) {
		size_t len = utf8_length(p);

		if (len == 0 || *p < 0x20 || *p == 0x7f) {
			error = nhi_buf_printf(out, "\\x%02x", *p);
			*escaped = true;
			len = 1;
		} else {
			error = nhi_buf_put(out, p, len);
		}
		p += len;
	}
	if (error == 0 && !out->ptr)
		error = nhi_buf_puts(out, "");
	return error;
}
