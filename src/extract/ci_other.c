/*
 * GitLab CI, CircleCI, Azure Pipelines and Bitbucket Pipelines.
 *
 * - GitLab CI: jobs, `variables` (global and per job), `secrets:` (Vault, Azure Key Vault, GCP
 *   Secret Manager and the other providers GitLab lists), `id_tokens` (OIDC), and the
 *   credential-named variables scripts use, CI_JOB_TOKEN among them.
 * - CircleCI: jobs, `environment` maps, image registry `auth` and `aws_auth`, orbs, and the
 *   contexts that workflows attach to jobs.
 * - Azure Pipelines: jobs, variables (maps, lists and variable groups), the `$(secret)`
 *   mappings of step `env`, and the service connections that task inputs and resources name.
 * - Bitbucket Pipelines: steps, `oidc: true`, pipes and their variables, image credentials,
 *   service variables, and the (secured) variables scripts use.
 *
 * Literal credentials in any of these maps become ci.hardcoded-credential findings through
 * ci_check_variable().
 */
#include "extract/ci_common.h"
#include "extract/extractors.h"
#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Nesting limit of the generic walkers below, far above what pipeline files use. */
#define MAX_WALK_DEPTH 32

static bool is_one_of(const char *text, const char *const *list)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(text, list[i]) == 0)
			return true;
	return false;
}

/* The text of value, or of value[field] when value is a mapping (`image: {name: ...}`). */
static const char *scalar_or_field(const struct parse_value *value, const char *field)
{
	return parse_value_is_object(value) ? parse_value_scalar(parse_value_get(value, field)) : parse_value_scalar(value);
}

/* GitLab CI */

static int gitlab_secrets(const struct ci_context *ctx, const struct parse_value *secrets, const char *job_ref)
{
	static const char *const non_store_keys[] = { "file", "token", NULL };
	int error = 0;

	for (size_t i = 0; parse_value_is_object(secrets) && i < secrets->count && error == 0; i++) {
		const struct parse_member *secret = &secrets->members[i];
		const struct parse_value *body = secret->value;
		const char *store = "unknown", *path = NULL;
		struct nhi_fact *fact;

		for (size_t j = 0; parse_value_is_object(body) && j < body->count; j++)
			if (!is_one_of(body->members[j].key, non_store_keys)) {
				store = body->members[j].key;
				path = scalar_or_field(body->members[j].value,
						       strcmp(store, "vault") == 0 ? "path" : "name");
				break;
			}
		if ((error = ci_add_secret(ctx, &fact, secret->key, job_ref, secret->key_pos, store, "secrets", "reference")) < 0 ||
		    (error = extract_attr(fact, "path", path)) < 0)
			return error;
		error = extract_attr(fact, "token", parse_value_scalar(parse_value_get(body, "token")));
	}
	return error;
}

static int add_oidc_token(const struct ci_context *ctx, const char *name, struct parse_pos pos,
			  const struct parse_value *audience, const char *parent)
{
	struct nhi_fact *fact;
	int error;

	if (parse_value_is_array(audience) && audience->count)
		audience = audience->members[0].value;
	if ((error = extract_fact(&fact, ctx->file, "ci.oidc", name, parent, pos)) < 0 ||
	    (error = extract_attr(fact, "system", ctx->system)) < 0)
		return error;
	return extract_attr(fact, "audience", parse_value_scalar(audience));
}

static int gitlab_id_tokens(const struct ci_context *ctx, const struct parse_value *tokens, const char *job_ref)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_object(tokens) && i < tokens->count && error == 0; i++)
		error = add_oidc_token(ctx, tokens->members[i].key, tokens->members[i].key_pos,
				       parse_value_get(tokens->members[i].value, "aud"), job_ref);
	return error;
}

static int gitlab_services(const struct ci_context *ctx, const struct parse_value *services, const char *job_ref)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_array(services) && i < services->count && error == 0; i++)
		error = ci_check_variables(ctx, parse_value_get(services->members[i].value, "variables"),
					   "service-variables", job_ref, NULL);
	return error;
}

static int gitlab_scripts(const struct ci_context *ctx, const struct parse_value *body, const char *parent)
{
	static const char *const keys[] = { "before_script", "script", "after_script", NULL };
	int error = 0;

	for (int i = 0; keys[i] && error == 0; i++)
		error = ci_scan_script(ctx, parse_value_get(body, keys[i]), "gitlab-variable", parent);
	return error;
}

static int gitlab_job(const struct ci_context *ctx, const struct parse_member *member)
{
	const struct parse_value *body = member->value;
	char job_ref[EXTRACT_REF_MAX];
	struct nhi_fact *fact;
	int error;

	if ((error = ci_add_job(ctx, member->key, member->key_pos, job_ref, &fact)) < 0 ||
	    (error = extract_attr(fact, "stage", parse_value_scalar(parse_value_get(body, "stage")))) < 0 ||
	    (error = extract_attr(fact, "image", scalar_or_field(parse_value_get(body, "image"), "name"))) < 0 ||
	    (error = extract_attr(fact, "environment", scalar_or_field(parse_value_get(body, "environment"), "name"))) < 0 ||
	    (error = extract_attr(fact, "hidden", member->key[0] == '.' ? "true" : NULL)) < 0)
		return error;
	if ((error = ci_check_variables(ctx, parse_value_get(body, "variables"), "job-variables", job_ref, NULL)) < 0 ||
	    (error = gitlab_secrets(ctx, parse_value_get(body, "secrets"), job_ref)) < 0 ||
	    (error = gitlab_id_tokens(ctx, parse_value_get(body, "id_tokens"), job_ref)) < 0 ||
	    (error = gitlab_services(ctx, parse_value_get(body, "services"), job_ref)) < 0)
		return error;
	return gitlab_scripts(ctx, body, job_ref);
}

int extract_gitlab_ci(const struct extract_file *file)
{
	/* Top-level keywords of .gitlab-ci.yml that are not jobs. */
	static const char *const reserved[] = {
		"stages", "variables", "include", "default", "workflow", "image", "services", "cache",
		"before_script", "after_script", "spec", "types", NULL,
	};
	struct parse_doc doc = PARSE_DOC_INIT;
	const struct parse_value *root, *defaults;
	struct ci_context ctx;
	bool loaded;
	int error;

	if ((error = extract_load(&doc, file, EXTRACT_FORMAT_YAML, &loaded)) < 0 || !loaded ||
	    !parse_value_is_object(doc.root))
		goto done;
	root = doc.root;
	defaults = parse_value_get(root, "default");
	if ((error = ci_begin(&ctx, file, "gitlab-ci", root, NULL)) < 0 ||
	    (error = ci_check_variables(&ctx, parse_value_get(root, "variables"), "variables", NULL, NULL)) < 0 ||
	    (error = gitlab_scripts(&ctx, root, NULL)) < 0 ||
	    (error = gitlab_scripts(&ctx, defaults, NULL)) < 0 ||
	    (error = gitlab_id_tokens(&ctx, parse_value_get(defaults, "id_tokens"), NULL)) < 0 ||
	    (error = gitlab_services(&ctx, parse_value_get(root, "services"), NULL)) < 0)
		goto done;
	for (size_t i = 0; i < root->count && error == 0; i++)
		if (!is_one_of(root->members[i].key, reserved) && parse_value_is_object(root->members[i].value))
			error = gitlab_job(&ctx, &root->members[i]);

done:
	parse_doc_dispose(&doc);
	return error;
}

/* CircleCI */

/* `docker:` images of a job or executor: registry auth, AWS auth and their environment. */
static int circleci_images(const struct ci_context *ctx, const struct parse_value *images, const char *parent)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_array(images) && i < images->count && error == 0; i++) {
		const struct parse_value *image = images->members[i].value;

		if ((error = ci_check_variables(ctx, parse_value_get(image, "auth"), "image-auth", parent, NULL)) < 0 ||
		    (error = ci_check_variables(ctx, parse_value_get(image, "aws_auth"), "image-auth", parent, NULL)) < 0)
			return error;
		error = ci_check_variables(ctx, parse_value_get(image, "environment"), "image-environment", parent, NULL);
	}
	return error;
}

static int circleci_steps(const struct ci_context *ctx, const struct parse_value *steps, const char *job_ref)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_array(steps) && i < steps->count && error == 0; i++) {
		const struct parse_value *run = parse_value_get(steps->members[i].value, "run");

		if (parse_value_is_object(run)) {
			if ((error = ci_check_variables(ctx, parse_value_get(run, "environment"), "step-environment", job_ref, NULL)) < 0)
				return error;
			run = parse_value_get(run, "command");
		}
		error = ci_scan_script(ctx, run, "circleci-variable", job_ref);
	}
	return error;
}

/* Jobs and executors share the layout that matters here. */
static int circleci_runner(const struct ci_context *ctx, const struct parse_value *body, const char *parent)
{
	int error;

	if ((error = ci_check_variables(ctx, parse_value_get(body, "environment"), "environment", parent, NULL)) < 0 ||
	    (error = circleci_images(ctx, parse_value_get(body, "docker"), parent)) < 0)
		return error;
	return circleci_steps(ctx, parse_value_get(body, "steps"), parent);
}

static int circleci_context(const struct ci_context *ctx, const struct parse_value *name, const char *workflow,
			    const char *job)
{
	struct extract_reference ref;
	char job_ref[EXTRACT_REF_MAX], context_ref[EXTRACT_REF_MAX];
	struct nhi_fact *fact;
	int error;

	if (!parse_value_scalar(name))
		return 0;
	extract_ref(job_ref, "ci.job", job);
	if ((error = extract_fact(&fact, ctx->file, "ci.context", name->text, job_ref, name->start)) < 0 ||
	    (error = extract_attr(fact, "system", ctx->system)) < 0 ||
	    (error = extract_attr(fact, "workflow", workflow)) < 0)
		return error;
	memset(&ref, 0, sizeof(ref));
	ref.store = "circleci-context";
	snprintf(ref.name, sizeof(ref.name), "%s", name->text);
	return extract_add_reference(ctx->file, &ref, extract_ref(context_ref, "ci.context", name->text), name->start);
}

/* `workflows.W.jobs`: each item is a job name or {job: {context: ..., ...}}. */
static int circleci_workflow(const struct ci_context *ctx, const struct parse_member *workflow)
{
	const struct parse_value *jobs = parse_value_get(workflow->value, "jobs");
	int error = 0;

	for (size_t i = 0; parse_value_is_array(jobs) && i < jobs->count && error == 0; i++) {
		const struct parse_value *item = jobs->members[i].value;
		const struct parse_value *context;

		if (!parse_value_is_object(item) || item->count == 0)
			continue;
		context = parse_value_get(item->members[0].value, "context");
		if (!parse_value_is_array(context)) {
			error = circleci_context(ctx, context, workflow->key, item->members[0].key);
			continue;
		}
		for (size_t j = 0; j < context->count && error == 0; j++)
			error = circleci_context(ctx, context->members[j].value, workflow->key, item->members[0].key);
	}
	return error;
}

/* An exact orb version has three numbers; "volatile" and "1.2" follow new releases. */
static bool is_exact_version(const char *version)
{
	int dots = 0;

	for (const char *p = version; *p; p++) {
		if (*p == '.')
			dots++;
		else if (!isdigit((unsigned char)*p))
			return false;
	}
	return dots == 2;
}

static int circleci_orbs(const struct ci_context *ctx, const struct parse_value *orbs)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_object(orbs) && i < orbs->count && error == 0; i++) {
		const struct parse_value *value = orbs->members[i].value;
		const char *at = parse_value_string(value) ? strrchr(value->text, '@') : NULL;
		struct nhi_fact *fact;

		if (!at)
			continue;
		if ((error = extract_fact(&fact, ctx->file, "ci.action", value->text, ctx->workflow_ref, value->start)) < 0 ||
		    (error = extract_attr(fact, "system", ctx->system)) < 0 ||
		    (error = extract_attr(fact, "kind", "orb")) < 0 ||
		    (error = extract_attr(fact, "ref", at + 1)) < 0 ||
		    (error = extract_attr(fact, "third_party", strncmp(value->text, "circleci/", 9) == 0 ? "false" : "true")) < 0)
			return error;
		error = extract_attr(fact, "pinned", is_exact_version(at + 1) ? "true" : "false");
	}
	return error;
}

int extract_circleci(const struct extract_file *file)
{
	struct parse_doc doc = PARSE_DOC_INIT;
	const struct parse_value *jobs, *executors, *workflows;
	struct ci_context ctx;
	bool loaded;
	int error;

	if ((error = extract_load(&doc, file, EXTRACT_FORMAT_YAML, &loaded)) < 0 || !loaded ||
	    !parse_value_is_object(doc.root))
		goto done;
	jobs = parse_value_get(doc.root, "jobs");
	executors = parse_value_get(doc.root, "executors");
	workflows = parse_value_get(doc.root, "workflows");
	if ((error = ci_begin(&ctx, file, "circleci", doc.root, NULL)) < 0 ||
	    (error = circleci_orbs(&ctx, parse_value_get(doc.root, "orbs"))) < 0)
		goto done;
	for (size_t i = 0; parse_value_is_object(executors) && i < executors->count && error == 0; i++)
		error = circleci_runner(&ctx, executors->members[i].value, NULL);
	for (size_t i = 0; parse_value_is_object(jobs) && i < jobs->count && error == 0; i++) {
		char job_ref[EXTRACT_REF_MAX];

		if ((error = ci_add_job(&ctx, jobs->members[i].key, jobs->members[i].key_pos, job_ref, NULL)) == 0)
			error = circleci_runner(&ctx, jobs->members[i].value, job_ref);
	}
	for (size_t i = 0; parse_value_is_object(workflows) && i < workflows->count && error == 0; i++)
		if (parse_value_is_object(workflows->members[i].value))
			error = circleci_workflow(&ctx, &workflows->members[i]);

done:
	parse_doc_dispose(&doc);
	return error;
}

/* Azure Pipelines */

/* Task inputs that name a service connection, compared without regard to case. */
static bool is_service_connection_input(const char *name)
{
	static const char *const names[] = {
		"azuresubscription", "connectedservicename", "connectedservicenamearm", "serviceconnection",
		"azureresourcemanagerconnection", "dockerregistryserviceconnection", "containerregistry",
		"kubernetesserviceconnection", "kubernetesserviceendpoint", "githubconnection",
		"externalendpoint", "externalendpoints", "awscredentials", "externalfeedcredentials",
		"publishfeedcredentials", "sshendpoint", "endpoint", NULL,
	};

	for (int i = 0; names[i]; i++)
		if (strcasecmp(name, names[i]) == 0)
			return true;
	return false;
}

static int azure_service_connection(const struct ci_context *ctx, const struct parse_value *value,
				    const char *input, const char *task, const char *parent)
{
	struct nhi_fact *fact;
	int error;

	if (!parse_value_scalar(value) || !*value->text)
		return 0;
	if ((error = extract_fact(&fact, ctx->file, "ci.service-connection", value->text,
				  parent ? parent : ctx->workflow_ref, value->start)) < 0 ||
	    (error = extract_attr(fact, "system", ctx->system)) < 0 ||
	    (error = extract_attr(fact, "input", input)) < 0)
		return error;
	return extract_attr(fact, "task", task);
}

static int azure_variables(const struct ci_context *ctx, const struct parse_value *variables, const char *parent)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_array(variables) && i < variables->count && error == 0; i++) {
		const struct parse_value *group = parse_value_get(variables->members[i].value, "group");
		struct nhi_fact *fact;

		if (!parse_value_scalar(group))
			continue;
		if ((error = extract_fact(&fact, ctx->file, "ci.variable-group", group->text,
					  parent ? parent : ctx->workflow_ref, group->start)) < 0)
			return error;
		error = extract_attr(fact, "system", ctx->system);
	}
	if (error < 0)
		return error;
	return ci_check_variables(ctx, variables, "variables", parent, NULL);
}

/* Step env: Azure passes secret variables to scripts only through explicit `$(name)` mappings. */
static int azure_step_env(const struct ci_context *ctx, const struct parse_value *env, const char *parent)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_object(env) && i < env->count && error == 0; i++) {
		const struct parse_member *member = &env->members[i];
		const char *text = parse_value_scalar(member->value);
		struct extract_reference ref;
		struct parse_pos pos;
		char secret_ref[EXTRACT_REF_MAX];
		struct nhi_fact *fact;

		if (!text || !extract_find_reference(&ref, text, member->value->text_len) || strcmp(ref.store, "variable") != 0) {
			error = ci_check_variable(ctx, member->key, member->key_pos, member->value, "step-env", parent, NULL);
			continue;
		}
		pos = extract_text_pos(member->value, ref.offset);
		if ((error = ci_add_secret(ctx, &fact, ref.name, parent, pos, "variable", "step-env", "reference")) < 0 ||
		    (error = extract_attr(fact, "variable", member->key)) < 0)
			return error;
		error = extract_add_reference(ctx->file, &ref, extract_ref(secret_ref, "ci.secret", ref.name), pos);
	}
	return error;
}

static int azure_step(const struct ci_context *ctx, const struct parse_value *step, const char *parent)
{
	static const char *const script_keys[] = { "script", "bash", "pwsh", "powershell", NULL };
	const struct parse_value *inputs = parse_value_get(step, "inputs");
	const char *task = parse_value_scalar(parse_value_get(step, "task"));
	int error;

	for (size_t i = 0; parse_value_is_object(inputs) && i < inputs->count; i++) {
		const struct parse_member *input = &inputs->members[i];

		if (is_service_connection_input(input->key))
			error = azure_service_connection(ctx, input->value, input->key, task, parent);
		else
			error = ci_check_variable(ctx, input->key, input->key_pos, input->value, "inputs", parent, NULL);
		if (error < 0)
			return error;
	}
	if ((error = azure_step_env(ctx, parse_value_get(step, "env"), parent)) < 0)
		return error;
	for (int i = 0; script_keys[i]; i++)
		if ((error = ci_scan_script(ctx, parse_value_get(step, script_keys[i]), "variable", parent)) < 0)
			return error;
	return 0;
}

/* `resources.repositories[].endpoint` and `resources.containers[].endpoint`. */
static int azure_resources(const struct ci_context *ctx, const struct parse_value *resources)
{
	static const char *const kinds[] = { "repositories", "containers", "pipelines", "packages", NULL };
	int error = 0;

	for (int k = 0; kinds[k] && error == 0; k++) {
		const struct parse_value *list = parse_value_get(resources, kinds[k]);

		for (size_t i = 0; parse_value_is_array(list) && i < list->count && error == 0; i++)
			error = azure_service_connection(ctx, parse_value_get(list->members[i].value, "endpoint"),
							 "endpoint", kinds[k], NULL);
	}
	return error;
}

static bool is_azure_step(const struct parse_value *value)
{
	static const char *const keys[] = { "task", "script", "bash", "pwsh", "powershell", NULL };

	for (int i = 0; keys[i]; i++)
		if (parse_value_get(value, keys[i]))
			return true;
	return false;
}

/* Walk stages, jobs, deployment strategies and steps, which nest in many ways, as one tree. */
static int azure_walk(const struct ci_context *ctx, const struct parse_value *value, const char *parent, int depth)
{
	char job_ref[EXTRACT_REF_MAX];
	const struct parse_member *job;
	int error = 0;

	if (!value || depth > MAX_WALK_DEPTH || (value->type != PARSE_OBJECT && value->type != PARSE_ARRAY))
		return 0;
	if (value->type == PARSE_OBJECT) {
		job = parse_value_member(value, "job");
		if (!job)
			job = parse_value_member(value, "deployment");
		if (job && parse_value_scalar(job->value)) {
			if ((error = ci_add_job(ctx, job->value->text, job->value->start, job_ref, NULL)) < 0)
				return error;
			parent = job_ref;
		}
		if ((error = azure_variables(ctx, parse_value_get(value, "variables"), parent)) < 0)
			return error;
		if (is_azure_step(value))
			return azure_step(ctx, value, parent);
	}
	for (size_t i = 0; i < value->count && error == 0; i++) {
		const char *key = value->members[i].key;

		if (key && (strcmp(key, "variables") == 0 || strcmp(key, "resources") == 0))
			continue;
		error = azure_walk(ctx, value->members[i].value, parent, depth + 1);
	}
	return error;
}

int extract_azure_pipelines(const struct extract_file *file)
{
	struct parse_doc doc = PARSE_DOC_INIT;
	struct ci_context ctx;
	bool loaded;
	int error;

	if ((error = extract_load(&doc, file, EXTRACT_FORMAT_YAML, &loaded)) < 0 || !loaded ||
	    !parse_value_is_object(doc.root))
		goto done;
	if ((error = ci_begin(&ctx, file, "azure-pipelines", doc.root, NULL)) < 0 ||
	    (error = azure_resources(&ctx, parse_value_get(doc.root, "resources"))) < 0)
		goto done;
	error = azure_walk(&ctx, doc.root, NULL, 0);

done:
	parse_doc_dispose(&doc);
	return error;
}

/* Bitbucket Pipelines */

/* `image: {name, username, password, aws: {access-key, secret-key}}`. */
static int bitbucket_image(const struct ci_context *ctx, const struct parse_value *image, const char *parent)
{
	int error;

	if (!parse_value_is_object(image))
		return 0;
	if ((error = ci_check_variables(ctx, image, "image", parent, NULL)) < 0)
		return error;
	return ci_check_variables(ctx, parse_value_get(image, "aws"), "image-aws", parent, NULL);
}

static int bitbucket_pipe(const struct ci_context *ctx, const struct parse_value *item, const char *parent)
{
	const struct parse_value *pipe = parse_value_get(item, "pipe");
	const char *colon = parse_value_string(pipe) ? strrchr(pipe->text, ':') : NULL;
	struct nhi_fact *fact;
	int error;

	if (!parse_value_string(pipe))
		return 0;
	if ((error = extract_fact(&fact, ctx->file, "ci.action", pipe->text, parent, pipe->start)) < 0 ||
	    (error = extract_attr(fact, "system", ctx->system)) < 0 ||
	    (error = extract_attr(fact, "kind", "pipe")) < 0 ||
	    (error = extract_attr(fact, "ref", colon ? colon + 1 : "")) < 0 ||
	    (error = extract_attr(fact, "pinned", colon && is_exact_version(colon + 1) ? "true" : "false")) < 0)
		return error;
	return ci_check_variables(ctx, parse_value_get(item, "variables"), "pipe-variables", parent, NULL);
}

static int bitbucket_scripts(const struct ci_context *ctx, const struct parse_value *step, const char *parent)
{
	static const char *const keys[] = { "script", "after-script", NULL };
	int error = 0;

	for (int k = 0; keys[k] && error == 0; k++) {
		const struct parse_value *script = parse_value_get(step, keys[k]);

		for (size_t i = 0; parse_value_is_array(script) && i < script->count && error == 0; i++) {
			const struct parse_value *item = script->members[i].value;

			if (parse_value_is_object(item))
				error = bitbucket_pipe(ctx, item, parent);
			else
				error = ci_scan_script(ctx, item, "bitbucket-variable", parent);
		}
	}
	return error;
}

static int bitbucket_step(const struct ci_context *ctx, const struct parse_member *member)
{
	const struct parse_value *step = member->value;
	const struct parse_value *name = parse_value_get(step, "name");
	const struct parse_value *oidc = parse_value_get(step, "oidc");
	char job_ref[EXTRACT_REF_MAX], key[EXTRACT_REF_MAX];
	struct nhi_fact *fact;
	int error;

	if (!parse_value_is_object(step))
		return 0;
	/* Steps need no name; an unnamed step is keyed by its line, which is unique in the file. */
	if (parse_value_string(name))
		snprintf(key, sizeof(key), "%s", name->text);
	else
		snprintf(key, sizeof(key), "step@%zu", member->key_pos.line);
	if ((error = ci_add_job(ctx, key, member->key_pos, job_ref, &fact)) < 0 ||
	    (error = extract_attr(fact, "deployment", parse_value_scalar(parse_value_get(step, "deployment")))) < 0)
		return error;
	if (parse_value_scalar(oidc) && strcmp(oidc->text, "true") == 0 &&
	    (error = add_oidc_token(ctx, key, oidc->start, NULL, job_ref)) < 0)
		return error;
	if ((error = bitbucket_image(ctx, parse_value_get(step, "image"), job_ref)) < 0)
		return error;
	return bitbucket_scripts(ctx, step, job_ref);
}

/* Find every `step:` under pipelines (default, branches, pull-requests, custom, parallel, stage). */
static int bitbucket_walk(const struct ci_context *ctx, const struct parse_value *value, int depth)
{
	int error = 0;

	if (!value || depth > MAX_WALK_DEPTH || (value->type != PARSE_OBJECT && value->type != PARSE_ARRAY))
		return 0;
	for (size_t i = 0; i < value->count && error == 0; i++) {
		const struct parse_member *member = &value->members[i];

		if (member->key && strcmp(member->key, "step") == 0)
			error = bitbucket_step(ctx, member);
		else
			error = bitbucket_walk(ctx, member->value, depth + 1);
	}
	return error;
}

static int bitbucket_services(const struct ci_context *ctx, const struct parse_value *services)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_object(services) && i < services->count && error == 0; i++) {
		const struct parse_value *service = services->members[i].value;

		if ((error = ci_check_variables(ctx, parse_value_get(service, "variables"), "service-variables", NULL, NULL)) < 0)
			return error;
		error = bitbucket_image(ctx, parse_value_get(service, "image"), NULL);
	}
	return error;
}

int extract_bitbucket_pipelines(const struct extract_file *file)
{
	struct parse_doc doc = PARSE_DOC_INIT;
	const struct parse_value *definitions;
	struct ci_context ctx;
	bool loaded;
	int error;

	if ((error = extract_load(&doc, file, EXTRACT_FORMAT_YAML, &loaded)) < 0 || !loaded ||
	    !parse_value_is_object(doc.root))
		goto done;
	definitions = parse_value_get(doc.root, "definitions");
	if ((error = ci_begin(&ctx, file, "bitbucket-pipelines", doc.root, NULL)) < 0 ||
	    (error = bitbucket_image(&ctx, parse_value_get(doc.root, "image"), NULL)) < 0 ||
	    (error = bitbucket_services(&ctx, parse_value_get(definitions, "services"))) < 0 ||
	    (error = bitbucket_walk(&ctx, parse_value_get(definitions, "steps"), 0)) < 0)
		goto done;
	error = bitbucket_walk(&ctx, parse_value_get(doc.root, "pipelines"), 0);

done:
	parse_doc_dispose(&doc);
	return error;
}
