/*
 * Display form of paths and names read from git objects. A tree entry name may hold any byte but
 * NUL and '/', and an author name almost any byte too, so they can be invalid UTF-8 or hold
 * control characters that would break a terminal line or a report. Such bytes are written as
 * \xNN; valid UTF-8 passes unchanged. A file with such a name is still scanned: skipping it
 * would let an odd name hide a secret. The working-tree scan and the text report use the same
 * form for file names on disk, which may hold the same bytes.
 */
#ifndef NHI_GIT_PATH_H
#define NHI_GIT_PATH_H

#include <stdbool.h>

#include "util/buf.h"

/* Replace out with the display form of path and set *escaped when any byte was escaped. */
int nhi_git_path_display(struct nhi_buf *out, const char *path, bool *escaped);

#endif
