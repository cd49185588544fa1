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
 * configures. The commits reachable from HEAD are loaded through the commit graph of git/graph.h,
 * which stops at missing commits and at a shallow clone's boundary, so a shallow clone works as
 * far as its history goes. Every commit behind HEAD is loaded, not only those in the window.
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
	/* The window reaches past a missing commit or a shallow clone's boundary. */
	bool incomplete;
};

/*
 * Walk the history of the repository at path. Fails with NHI_ENOTFOUND when path is not a
 * repository; a repository without commits leaves every author inactive.
 */
int model_activity_load(struct model_activity *out, const char *path, long long window_seconds);

/*
 * Return true when email (any case) authored a commit in the window, or when the window is
 * incomplete. An author missing from a shallow clone has not necessarily left, so `check` in a
 * shallow CI clone keeps the owners active that the full history shows active.
 * NOTE: an inventory built in such a clone therefore flags no owner as inactive.
 */
bool model_activity_is_active(const struct model_activity *activity, const char *email);

void model_activity_dispose(struct model_activity *activity);

#endif
