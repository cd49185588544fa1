/*
 * A finding: one reported fact at one location, with everything a writer needs. Secret findings
 * come from the signature matcher; the pipeline, MCP and scope extractors add findings of their
 * own kinds. Every string is owned by the finding, and none of them holds a raw secret.
 */
#ifndef NHI_CORE_FINDING_H
#define NHI_CORE_FINDING_H

#include <stddef.h>

#include "config/rules.h"
#include "model/secret.h"

struct nhi_finding {
	char *rule_id;
	char *rule_name;
	char *provider;
	char *kind;          /* NHI kind for secrets ("access-token"), fact kind otherwise ("ci.permissions") */
	char *message;       /* one sentence for people */
	char *remediation;
	char *docs;
	enum nhi_severity severity;
	char *path;          /* relative to the scan root, '/' separated */
	size_t line;         /* 1-based */
	size_t column;       /* 1-based, in bytes */
	size_t end_line;
	size_t end_column;   /* exclusive */
	char fingerprint[NHI_FINGERPRINT_HEX + 1]; /* empty for findings without a secret */
	char *redacted;      /* NULL for findings without a secret */
	int validated;       /* -1 when the rule has no checksum, else 0 or 1 */
	/* Set by the git modes: the commit that introduced the secret at this path. */
	char *commit;
	char *author;
	char *email;
	char *date;          /* ISO 8601 */
	/* Set when an older version of the path could not be read: "blob 1a2b... in commit 3c4d...". */
	char *earlier_unreadable;
};

void core_finding_free(struct nhi_finding *finding);

/* Order by path, line, column and rule id, so that every output is deterministic. */
int core_finding_compare(const void *a, const void *b);

#endif
