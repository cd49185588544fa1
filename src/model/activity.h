/*
 * Which commit authors are still active: the e-mail addresses that authored a commit in a
 * window of time before HEAD. The inventory uses it to flag credentials whose owners have not
 * committed for a year, a sign that they left and that what they set up is no longer rotated.
 *
 * The window ends at the commit time of HEAD, not at the clock of the machine, so that the
 * inventory stays a function of the repository: regenerating it later gives the same file, and
 * `check` does not start failing on a pull request only because a date passed.
 *
 * The history is read with libgit2 through git/repo.h, which runs nothing that the repository
 * configures; the walk goes from HEAD, newest commit first, and stops at the first commit older
 * than the window.
 */
#ifndef NHI_MODEL_ACTIVITY_H
#define NHI_MODEL_ACTIVITY_H

#include <stdbool.h>

#include "model/idmap.h"

/* The window of the owner check: 365 days. */
#define NHI_ACTIVITY_WINDOW_SECONDS (365LL * 24 * 60 * 60)

struct model_activity {
	long long head_time;          /* commit time of HEAD, seconds since the epoch */
	long long window_start;       /* head_time minus the window */
	struct model_idmap emails;    /* lower-case author e-mail -> non-NULL, for authors in the window */
};

/*
 * Walk the history of the repository at path. Fails with NHI_ENOTFOUND when path is not a
 * repository; a repository without commits leaves every author inactive.
 */
int model_activity_load(struct model_activity *out, const char *path, long long window_seconds);

/* Return true when email (any case) authored a commit in the window. */
bool model_activity_is_active(const struct model_activity *activity, const char *email);

void model_activity_dispose(struct model_activity *activity);

#endif
