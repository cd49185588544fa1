/*
 * Finding lifetime and ordering; see finding.h.
 */
#include "core/finding.h"

#include <stdlib.h>
#include <string.h>

void core_finding_free(struct nhi_finding *finding)
{
	if (!finding)
		return;
	free(finding->rule_id);
	free(finding->rule_name);
	free(finding->provider);
	free(finding->kind);
	free(finding->message);
	free(finding->remediation);
	free(finding->docs);
	free(finding->path);
	free(finding->redacted);
	free(finding->commit);
	free(finding->author);
	free(finding->email);
	free(finding->date);
	free(finding->earlier_unreadable);
	free(finding);
}

int core_finding_compare(const void *a, const void *b)
{
	const struct nhi_finding *x = *(const struct nhi_finding *const *)a;
	const struct nhi_finding *y = *(const struct nhi_finding *const *)b;
	int cmp = strcmp(x->path, y->path);

	if (cmp)
		return cmp;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	cmp = strcmp(x->rule_id, y->rule_id);
	if (cmp)
		return cmp;
	return strcmp(x->fingerprint, y->fingerprint);
}
