/*
 * A stretch of a buffer that a git delta copied unchanged from its base buffer. The git reader
 * produces these (git/packread.h) and the matcher uses them to skip what it matched before
 * (match/engine.h), so neither module needs the other's types.
 */
#ifndef NHI_UTIL_SPAN_H
#define NHI_UTIL_SPAN_H

#include <stddef.h>

/* length bytes at source in the base are the same as length bytes at target. */
struct nhi_copy_span {
	size_t target;
	size_t source;
	size_t length;
};

#endif
