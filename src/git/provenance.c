/*
 * Commit, author and date of a finding; see provenance.h.
 */
#include "git/provenance.h"
#include "git/path.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "2024-05-01T09:30:00+02:00" plus room for a five-digit year. */
#define ISO_TIME_MAX 40

int nhi_git_format_time(char *out, size_t size, const git_time *when)
{
	int offset = when->offset;
	char sign = offset < 0 ? '-' : '+';
	time_t local = (time_t)(when->time + (git_time_t)offset * 60);
	struct tm tm;
	int written;

	if (offset < 0)
		offset = -offset;
	if (!gmtime_r(&local, &tm))
		return nhi_error_set(NHI_EINVALID, "commit time %lld is out of range", (long long)when->time);
	written = snprintf(out, size, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
			   tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, sign, offset / 60, offset % 60);
	if (written < 0 || (size_t)written >= size)
		return nhi_error_set(NHI_EINVALID, "commit time %lld is out of range", (long long)when->time);
	return 0;
}

static int copy_field(char **out, const char *value)
{
	if (!(*out = strdup(value ? value : "")))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	return 0;
}

/* Copy a name or email from the commit with control characters escaped, as for paths. */
static int copy_display_field(char **out, const char *value)
{
	struct nhi_buf display = NHI_BUF_INIT;
	bool escaped;
	int error;

	if ((error = nhi_git_path_display(&display, value ? value : "", &escaped)) == 0)
		*out = nhi_buf_detach(&display);
	nhi_buf_dispose(&display);
	return error;
}

int nhi_git_provenance_fill(struct nhi_finding *finding, git_repository *repo, const git_oid *commit)
{
	char hex[GIT_OID_HEXSZ + 1], date[ISO_TIME_MAX];
	const git_signature *author;
	git_commit *object = NULL;
	int error;

	git_oid_tostr(hex, sizeof(hex), commit);
	if ((error = copy_field(&finding->commit, hex)) < 0)
		return error;
	/* The commit was read during the walk; failing now leaves the id, which is still useful. */
	if (git_commit_lookup(&object, repo, commit) < 0)
		return 0;
	author = git_commit_author(object);
	if ((error = copy_display_field(&finding->author, author->name)) == 0 &&
	    (error = copy_display_field(&finding->email, author->email)) == 0 &&
	    nhi_git_format_time(date, sizeof(date), &author->when) == 0)
		error = copy_field(&finding->date, date);
	git_commit_free(object);
	return error;
}
