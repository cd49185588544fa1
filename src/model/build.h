/*
 * Building the inventory from what a scan found. The input is the sorted findings and facts of
 * a working-tree scan and, with --git, the findings of a history scan. The output is an
 * inventory of linked entities, ready for src/risk/ to score.
 *
 * How entities are joined, so that facts of new types flow in without changes here:
 *   - a literal secret is one credential per fingerprint, whichever rule, extractor or file
 *     found it: a finding or fact with a `fingerprint` adds a location to it;
 *   - a credential reference is one entity per variable name across env, secret and variable
 *     stores (`ref-NAME`); other stores, such as VS Code inputs, get names of their own;
 *   - a fact with a parent is linked to its parent's entity, and a credential or reference
 *     found under a fact is used by the nearest entity above it (a job, an MCP server, an agent);
 *   - a fact of a type that makes no entity here adds its key to a list field of its parent's
 *     entity (a `ci.trigger` becomes `trigger: push` on the workflow), and without a parent it
 *     becomes an entity in a section named after its type.
 */
#ifndef NHI_MODEL_BUILD_H
#define NHI_MODEL_BUILD_H

#include <stddef.h>

#include "core/finding.h"
#include "model/activity.h"
#include "model/codeowners.h"
#include "model/fact.h"
#include "model/inventory.h"
#include "util/vec.h"

struct model_build_input {
	/*
	 * Folder of the working tree, to read the line of a secret finding and learn the variable
	 * it is assigned to (OPENAI_API_KEY=...), or NULL to skip that.
	 */
	const char *root;
	const struct nhi_vec *findings;          /* struct nhi_finding *, of the working tree */
	const struct nhi_vec *facts;             /* struct nhi_fact *, of the working tree */
	const struct nhi_vec *history_findings;  /* struct nhi_finding * from history, or NULL */
	const struct model_codeowners *codeowners; /* may be NULL */
	const struct model_activity *activity;   /* author activity, or NULL when unknown */
	const struct nhi_vec *providers;         /* char *: provider names of the rule set, or NULL */
	const char *exclude_path;                /* the inventory file itself, skipped; or NULL */
};

/* Build out from input; out is initialised here and sorted at the end. */
int model_inventory_build(struct nhi_inventory *out, const struct model_build_input *input);

#endif
