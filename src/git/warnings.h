/*
 * Problems that a git scan reports and then steps over: a missing or damaged object, a blob over
 * the size limit, a submodule, a shallow history. One bad object never stops a scan.
 *
 * A partial clone can lack every blob, so a scan may meet the same problem a hundred thousand
 * times. The list keeps the first NHI_GIT_WARNINGS_LISTED messages of each kind and counts the
 * rest; nhi_git_warnings_finish() turns the counts into one summary line per kind.
 */
#ifndef NHI_GIT_WARNINGS_H
#define NHI_GIT_WARNINGS_H

#include <stddef.h>

#include "util/vec.h"

/* Messages kept per kind; the rest are only counted. */
#define NHI_GIT_WARNINGS_LISTED 20

enum nhi_git_warning_kind {
	NHI_GIT_WARN_MISSING,     /* an object the history names is not in the object database */
	NHI_GIT_WARN_CORRUPT,     /* an object cannot be read or parsed */
	NHI_GIT_WARN_LARGE,       /* a blob over the size limit */
	NHI_GIT_WARN_SUBMODULE,   /* a submodule entry: a commit of another repository */
	NHI_GIT_WARN_PATH,        /* a path that is not valid UTF-8 or contains control characters */
	NHI_GIT_WARN_REF,         /* a reference that cannot be resolved */
	NHI_GIT_WARN_OTHER,
	NHI_GIT_WARN_KIND_COUNT,
};

struct nhi_git_warnings {
	struct nhi_vec messages;                   /* struct nhi_git_warning *, in the order they happened */
	size_t counts[NHI_GIT_WARN_KIND_COUNT];    /* every warning, listed or not */
	size_t listed[NHI_GIT_WARN_KIND_COUNT];
};

struct nhi_git_warning {
	enum nhi_git_warning_kind kind;
	char text[];
};

/* Record a warning; returns NHI_ENOMEM only when the message cannot be stored. */
int nhi_git_warnings_add(struct nhi_git_warnings *warnings, enum nhi_git_warning_kind kind,
			 const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Move the messages and counts of src into dst, respecting dst's per-kind limit. */
int nhi_git_warnings_merge(struct nhi_git_warnings *dst, struct nhi_git_warnings *src);

/* Append copies of the messages in sorted order, then one line per kind with unlisted warnings, to out (char *). */
int nhi_git_warnings_finish(struct nhi_vec *out, struct nhi_git_warnings *warnings);

void nhi_git_warnings_dispose(struct nhi_git_warnings *warnings);

#endif
