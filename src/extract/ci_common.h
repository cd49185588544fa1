/*
 * Helpers shared by the pipeline extractors of every CI system: the workflow and job facts, the
 * check of environment and variable maps for literal credentials and references, and the scan of
 * scripts for variables that carry credentials.
 *
 * Fact keys: a workflow is keyed by its file path (a file defines one pipeline), a job by its
 * id, a secret by the name it is stored or bound under. Every fact made here has the
 * attribute "system" ("github-actions", "gitlab-ci", "circleci", "azure-pipelines",
 * "bitbucket-pipelines", "jenkins"), which is also the provider of the findings.
 */
#ifndef NHI_EXTRACT_CI_COMMON_H
#define NHI_EXTRACT_CI_COMMON_H

#include "extract/credential.h"
#include "extract/emit.h"

struct ci_context {
	const struct extract_file *file;
	const char *system;
	char workflow_ref[EXTRACT_REF_MAX]; /* "ci.workflow:<path>" */
};

/* Start ctx for file and add its ci.workflow fact; *out (may be NULL) receives the fact. */
int ci_begin(struct ci_context *ctx, const struct extract_file *file, const char *system,
	     const struct parse_value *root, struct nhi_fact **out);

/* Add a ci.job fact under the workflow; job_ref receives "ci.job:<id>" (EXTRACT_REF_MAX bytes). */
int ci_add_job(const struct ci_context *ctx, const char *id, struct parse_pos pos, char *job_ref,
	       struct nhi_fact **out);

/*
 * Add a ci.secret fact: key is the secret's name, store where it lives ("secret", "vault",
 * "jenkins" ...), flow where the pipeline uses it ("step-env", "with", "script" ...), and
 * classification "reference" or "hard-coded". parent may be NULL (the workflow).
 */
int ci_add_secret(const struct ci_context *ctx, struct nhi_fact **out, const char *key,
		  const char *parent, struct parse_pos pos, const char *store, const char *flow,
		  const char *classification);

/* Add a credential.reference fact for ref under parent (a fact reference, or NULL). */
int extract_add_reference(const struct extract_file *file, const struct extract_reference *ref,
			  const char *parent, struct parse_pos pos);

/*
 * Check one variable (NAME: value) of an env or variables map: a literal credential becomes a
 * ci.secret fact and a ci.hardcoded-credential finding, a reference to a secret or a
 * credential-named reference becomes a ci.secret fact. flow names the map; parent is the job
 * reference or NULL. *was_secret (may be NULL) is set when a secret was referenced.
 */
int ci_check_variable(const struct ci_context *ctx, const char *name, struct parse_pos name_pos,
		      const struct parse_value *value, const char *flow, const char *parent, bool *was_secret);

/*
 * Check every variable of a map ({NAME: value}), of a list of {name, value} items (Azure
 * Pipelines), or of a list of "NAME=value" strings.
 */
int ci_check_variables(const struct ci_context *ctx, const struct parse_value *variables,
		       const char *flow, const char *parent, bool *was_secret);

/*
 * Scan a script (a string, or a list of strings) for `$NAME`, `${NAME}` and `$(NAME)` whose
 * names read like credentials, and add a ci.secret reference for each (store is the system's
 * variable store, like "gitlab-variable").
 */
int ci_scan_script(const struct ci_context *ctx, const struct parse_value *script, const char *store,
		   const char *parent);

/* Call visit for every string scalar in value, depth first; stop at the first error. */
typedef int (*ci_string_visitor)(const struct ci_context *ctx, const struct parse_value *string, void *arg);
int ci_each_string(const struct ci_context *ctx, const struct parse_value *value, ci_string_visitor visit, void *arg);

#endif
