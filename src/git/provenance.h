/*
 * Provenance of a finding from history: the commit that introduced it, its author and the
 * author date. Read only for findings, after the scan, so a clean history pays nothing for it.
 */
#ifndef NHI_GIT_PROVENANCE_H
#define NHI_GIT_PROVENANCE_H

#include <git2.h>
#include <stddef.h>

#include "core/finding.h"

/*
 * Set finding->commit, author, email and date from commit. A commit that cannot be read leaves
 * only finding->commit set; only running out of memory fails.
 */
int nhi_git_provenance_fill(struct nhi_finding *finding, git_repository *repo, const git_oid *commit);

/* Write time as ISO 8601 with its UTC offset, such as "2024-05-01T09:30:00+02:00". */
int nhi_git_format_time(char *out, size_t size, const git_time *time);

#endif
