/*
 * GitHub Actions: workflows under .github/workflows/ and the action.yml of composite actions.
 *
 * For each workflow the extractor records its triggers and the token permissions of the workflow
 * and of every job, or that they are unset and fall back to the repository default. It records
 * OIDC (`id-token: write`), every action and reusable workflow with its pin, and every secret
 * reference with the place it flows to: `env` of the workflow, a job or a step, `with:` inputs,
 * `run:` scripts, container and service credentials, `secrets:` of reusable workflows and
 * `secrets: inherit`. Secret references are found inside `${{ }}` expressions as `secrets.NAME`,
 * `secrets['NAME']`, `github.token`, and credential-named `inputs.NAME` of composite actions.
 *
 * Risky combinations become findings: write-all permissions, a privileged trigger
 * (pull_request_target, workflow_run) with secrets or with a checkout of the pull request's
 * code, an unpinned third-party action or reusable workflow that receives secrets,
 * `secrets: inherit`, `toJSON(secrets)`, actions/checkout that persists its token, and literal
 * credentials in env, container and service definitions.
 */
#include "extract/ci_common.h"
#include "extract/extractors.h"
#include "util/buf.h"
#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define SYSTEM "github-actions"
#define DOCS "https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions"
/* Job and secret names listed in one finding message; more are counted, not listed. */
#define MAX_LISTED 8

static const struct extract_rule write_all_rule = {
	"ci.permissions.write-all", "Workflow token has write access to everything", "ci.permissions", SYSTEM,
	NHI_SEVERITY_HIGH, "Replace write-all with the few permissions the job needs, for example `contents: read`.", DOCS,
};
static const struct extract_rule unset_rule = {
	"ci.permissions.unset", "Workflow token permissions are not set", "ci.permissions", SYSTEM,
	NHI_SEVERITY_LOW, "Add a top-level `permissions:` block (for example `contents: read`) so that the token does not get the repository default, which may be write access.", DOCS,
};
static const struct extract_rule privileged_secrets_rule = {
	"ci.trigger.privileged-with-secrets", "Privileged trigger runs with secrets", "ci.risky-trigger", SYSTEM,
	NHI_SEVERITY_HIGH, "Move the steps that need secrets to a workflow triggered by pull_request or push, or gate them behind an environment with required reviewers.", DOCS,
};
static const struct extract_rule untrusted_checkout_rule = {
	"ci.trigger.untrusted-checkout", "Privileged trigger checks out pull request code", "ci.risky-trigger", SYSTEM,
	NHI_SEVERITY_CRITICAL, "Do not build or run pull request code in pull_request_target or workflow_run workflows; use the pull_request trigger, which has no secrets and a read-only token.", DOCS,
};
static const struct extract_rule inherit_rule = {
	"ci.secret.inherit", "Reusable workflow inherits every secret", "ci.secret-exposure", SYSTEM,
	NHI_SEVERITY_MEDIUM, "Pass only the secrets the called workflow needs under `secrets:` instead of `secrets: inherit`.", DOCS,
};
static const struct extract_rule tojson_rule = {
	"ci.secret.tojson", "All secrets serialized with toJSON(secrets)", "ci.secret-exposure", SYSTEM,
	NHI_SEVERITY_HIGH, "Reference the secrets one by one; toJSON(secrets) hands every secret of the repository to the step.", DOCS,
};
static const struct extract_rule unpinned_rule = {
	"ci.action.unpinned-with-secrets", "Unpinned third-party action receives secrets", "ci.unpinned-action", SYSTEM,
	NHI_SEVERITY_HIGH, "Pin the action to a full 40-character commit SHA (with the version in a comment), so that a moved tag cannot swap the code that receives the secret.", DOCS,
};
static const struct extract_rule persist_rule = {
	"ci.checkout.persist-credentials", "actions/checkout leaves the token in .git/config", "ci.credential-persistence", SYSTEM,
	NHI_SEVERITY_LOW, "Set `persist-credentials: false` on actions/checkout unless later steps push with the token.", DOCS,
};

struct workflow {
	struct ci_context ctx;
	bool composite;
	const char *privileged_event;   /* pull_request_target or workflow_run, when the workflow runs on one */
	struct parse_pos privileged_pos;
	struct parse_pos privileged_end;
	bool top_permissions;
	struct nhi_buf secrets_used;    /* names, comma separated, for the privileged-trigger message */
	size_t secrets_listed;
	struct nhi_buf unset_jobs;      /* jobs without permissions when the workflow sets none */
	size_t unset_count;
};

/* The place of a secret reference, for its ci.secret fact. */
struct flow {
	const char *name;   /* "step-env", "with", "run" ... */
	const char *parent; /* job or step reference, NULL for the workflow */
	const char *action; /* the action or reusable workflow that receives it, or NULL */
	bool received;      /* set when a secret or credential input was referenced */
};

struct action_ref {
	char name[256];     /* owner/repo[/path] or ./path or docker://image */
	const char *ref;    /* after '@', or "" */
	bool local;
	bool pinned;        /* a full commit SHA, a docker digest, or a local path */
	bool third_party;   /* not owned by GitHub (the actions and github organisations) */
};

static bool is_full_sha(const char *ref)
{
	size_t n = 0;

	while (isxdigit((unsigned char)ref[n]))
		n++;
	return n == 40 && ref[n] == '\0';
}

static void parse_action(struct action_ref *out, const char *uses)
{
	const char *at = strrchr(uses, '@');
	size_t n = at ? (size_t)(at - uses) : strlen(uses);

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%.*s", (int)n, uses);
	out->ref = at ? at + 1 : "";
	out->local = strncmp(uses, "./", 2) == 0;
	if (strncmp(uses, "docker://", 9) == 0) {
		out->pinned = strstr(uses, "@sha256:") != NULL;
		out->third_party = true;
		return;
	}
	out->pinned = out->local || is_full_sha(out->ref);
	out->third_party = !out->local && strncmp(uses, "actions/", 8) != 0 && strncmp(uses, "github/", 7) != 0;
}

/* Return true when name is one of the items of the comma-separated list. */
static bool list_has(const char *list, const char *name)
{
	size_t n = strlen(name);

	for (const char *at = list; at && (at = strstr(at, name)) != NULL; at += n)
		if ((at == list || at[-1] == ' ') && (at[n] == ',' || at[n] == '\0'))
			return true;
	return false;
}

static int note_secret_use(struct workflow *wf, const char *name)
{
	if (strcmp(name, "GITHUB_TOKEN") == 0 || list_has(wf->secrets_used.ptr, name))
		return 0;
	if (wf->secrets_listed++ >= MAX_LISTED)
		return 0;
	return nhi_buf_printf(&wf->secrets_used, "%s%s", wf->secrets_used.size ? ", " : "", name);
}

static int add_secret_reference(struct workflow *wf, struct flow *flow, const struct parse_value *string,
				size_t offset, const char *store, const char *name)
{
	struct extract_reference ref;
	char secret_ref[EXTRACT_REF_MAX];
	struct parse_pos pos = extract_text_pos(string, offset);
	struct nhi_fact *fact;
	int error;

	if ((error = ci_add_secret(&wf->ctx, &fact, name, flow->parent, pos, store, flow->name, "reference")) < 0 ||
	    (error = extract_attr(fact, "action", flow->action)) < 0)
		return error;
	if (strcmp(name, "GITHUB_TOKEN") == 0 && (error = extract_attr(fact, "builtin", "true")) < 0)
		return error;
	flow->received = true;
	memset(&ref, 0, sizeof(ref));
	ref.store = store;
	snprintf(ref.name, sizeof(ref.name), "%s", name);
	extract_ref(secret_ref, "ci.secret", name);
	if ((error = extract_add_reference(wf->ctx.file, &ref, secret_ref, pos)) < 0)
		return error;
	return strcmp(store, "secret") == 0 ? note_secret_use(wf, name) : 0;
}

/* Return the length of `toJSON(secrets)` at text (case and spaces as GitHub accepts), or 0. */
static size_t match_tojson_secrets(const char *text, size_t len)
{
	size_t i = 6;

	if (len < 6 || strncasecmp(text, "tojson", 6) != 0)
		return 0;
	while (i < len && text[i] == ' ')
		i++;
	if (i >= len || text[i++] != '(')
		return 0;
	while (i < len && text[i] == ' ')
		i++;
	if (len - i < 7 || strncmp(text + i, "secrets", 7) != 0)
		return 0;
	i += 7;
	while (i < len && text[i] == ' ')
		i++;
	return i < len && text[i] == ')' ? i + 1 : 0;
}

static size_t read_identifier(const char *text, size_t len, size_t at, char *out, size_t out_size)
{
	size_t n = 0;

	while (at + n < len && (isalnum((unsigned char)text[at + n]) || text[at + n] == '_' || text[at + n] == '-'))
		n++;
	snprintf(out, out_size, "%.*s", (int)n, text + at);
	return n;
}

static int add_tojson(struct workflow *wf, struct flow *flow, const struct parse_value *string, size_t offset, size_t len)
{
	struct parse_pos start = extract_text_pos(string, offset), end = extract_text_pos(string, offset + len);
	int error;

	if ((error = ci_add_secret(&wf->ctx, NULL, "*", flow->parent, start, "secret", "tojson", "reference")) < 0)
		return error;
	flow->received = true;
	return extract_finding(wf->ctx.file, &tojson_rule, start, end,
			       "toJSON(secrets) in %s passes every secret of the repository", flow->name);
}

/* Record the secrets that one `${{ ... }}` expression, text[start, end), references. */
static int scan_expression(struct workflow *wf, struct flow *flow, const struct parse_value *string, size_t start, size_t end)
{
	const char *text = string->text;
	char name[EXTRACT_NAME_MAX];
	int error = 0;

	for (size_t at = start; at < end && error == 0; at++) {
		size_t n;

		if ((n = match_tojson_secrets(text + at, end - at)) > 0) {
			error = add_tojson(wf, flow, string, at, n);
			at += n - 1;
		} else if (strncmp(text + at, "secrets.", 8) == 0 && read_identifier(text, end, at + 8, name, sizeof(name))) {
			error = add_secret_reference(wf, flow, string, at, "secret", name);
		} else if (strncmp(text + at, "secrets[", 8) == 0 && at + 9 < end &&
			   read_identifier(text, end, at + 9, name, sizeof(name))) {
			error = add_secret_reference(wf, flow, string, at, "secret", name);
		} else if (strncmp(text + at, "github.token", 12) == 0) {
			error = add_secret_reference(wf, flow, string, at, "secret", "GITHUB_TOKEN");
		} else if (strncmp(text + at, "inputs.", 7) == 0 && read_identifier(text, end, at + 7, name, sizeof(name)) &&
			   extract_name_is_credential(name)) {
			error = add_secret_reference(wf, flow, string, at, "input", name);
		}
	}
	return error;
}

struct scan_arg {
	struct workflow *wf;
	struct flow *flow;
};

static int scan_string_expressions(const struct ci_context *ctx, const struct parse_value *string, void *arg)
{
	struct scan_arg *scan = arg;
	const char *text = string->text;
	int error = 0;

	(void)ctx;
	for (const char *open = strstr(text, "${{"); open && error == 0; open = strstr(open + 3, "${{")) {
		const char *close = strstr(open + 3, "}}");
		size_t start = (size_t)(open - text) + 3;
		size_t end = close ? (size_t)(close - text) : string->text_len;

		error = scan_expression(scan->wf, scan->flow, string, start, end);
	}
	return error;
}

/* Record every secret referenced anywhere in value (strings, lists and maps). */
static int scan_secrets(struct workflow *wf, struct flow *flow, const struct parse_value *value)
{
	struct scan_arg arg = { wf, flow };

	return ci_each_string(&wf->ctx, value, scan_string_expressions, &arg);
}

/* An env or with: map: expressions are scanned for secrets, other values checked as literals. */
static int check_map(struct workflow *wf, struct flow *flow, const struct parse_value *map, bool literal_names_only)
{
	int error = 0;

	if (!parse_value_is_object(map))
		return scan_secrets(wf, flow, map);
	for (size_t i = 0; i < map->count && error == 0; i++) {
		const struct parse_member *member = &map->members[i];
		const char *text = parse_value_scalar(member->value);

		if (text && strstr(text, "${{"))
			error = scan_secrets(wf, flow, member->value);
		else if (!literal_names_only || extract_name_is_credential(member->key))
			error = ci_check_variable(&wf->ctx, member->key, member->key_pos, member->value, flow->name,
						  flow->parent, NULL);
	}
	return error;
}

/* Record one trigger event written at pos; remember the first privileged one. */
static int add_trigger(struct workflow *wf, const char *event, struct parse_pos pos)
{
	bool privileged = strcmp(event, "pull_request_target") == 0 || strcmp(event, "workflow_run") == 0;
	struct nhi_fact *fact;
	int error;

	if ((error = extract_fact(&fact, wf->ctx.file, "ci.trigger", event, wf->ctx.workflow_ref, pos)) < 0 ||
	    (error = extract_attr(fact, "system", SYSTEM)) < 0 ||
	    (error = extract_attr(fact, "privileged", privileged ? "true" : "false")) < 0)
		return error;
	if (privileged && !wf->privileged_event) {
		wf->privileged_event = event;
		wf->privileged_pos = pos;
		wf->privileged_end = pos;
		wf->privileged_end.column += strlen(event);
	}
	return 0;
}

/* `on:` is one event, a list of events, or a map from event to its filters. */
static int read_triggers(struct workflow *wf, const struct parse_value *root)
{
	const struct parse_member *on = parse_value_member(root, "on");
	const struct parse_value *events;
	int error = 0;

	if (!on)
		on = parse_value_member(root, "true"); /* `on:` read by a YAML 1.1 loader as a boolean */
	if (!on)
		return 0;
	events = on->value;
	if (parse_value_string(events))
		return add_trigger(wf, events->text, events->start);
	for (size_t i = 0; parse_value_is_object(events) && i < events->count && error == 0; i++)
		error = add_trigger(wf, events->members[i].key, events->members[i].key_pos);
	for (size_t i = 0; parse_value_is_array(events) && i < events->count && error == 0; i++)
		if (parse_value_string(events->members[i].value))
			error = add_trigger(wf, events->members[i].value->text, events->members[i].value->start);
	return error;
}

static int add_oidc(struct workflow *wf, const char *scope, const char *parent, struct parse_pos pos)
{
	struct nhi_fact *fact;
	int error;

	if ((error = extract_fact(&fact, wf->ctx.file, "ci.oidc", scope, parent, pos)) < 0)
		return error;
	return extract_attr(fact, "system", SYSTEM);
}

/* Record a permissions block of the workflow (scope "workflow") or of a job (scope = job id). */
static int read_permissions(struct workflow *wf, const struct parse_member *member, const char *scope, const char *parent)
{
	const struct parse_value *value = member->value;
	const char *level = parse_value_string(value);
	struct nhi_fact *fact;
	int error;

	if ((error = extract_fact(&fact, wf->ctx.file, "ci.permissions", scope, parent, member->key_pos)) < 0 ||
	    (error = extract_attr(fact, "system", SYSTEM)) < 0)
		return error;
	if (level) {
		if ((error = extract_attr(fact, "level", level)) < 0)
			return error;
		if (strcmp(level, "write-all") != 0)
			return 0;
		if (strcmp(scope, "workflow") == 0)
			return extract_finding(wf->ctx.file, &write_all_rule, value->start, extract_value_end(value),
					       "the workflow gives its token write access to every scope");
		return extract_finding(wf->ctx.file, &write_all_rule, value->start, extract_value_end(value),
				       "job '%s' gives its token write access to every scope", scope);
	}
	if ((error = extract_attr(fact, "level", value->count ? "custom" : "none")) < 0)
		return error;
	for (size_t i = 0; i < value->count && parse_value_is_object(value); i++) {
		const char *access = parse_value_scalar(value->members[i].value);
		char permission[EXTRACT_REF_MAX];

		snprintf(permission, sizeof(permission), "%s:%s", value->members[i].key, access ? access : "");
		if ((error = extract_attr(fact, "permission", permission)) < 0)
			return error;
		if (strcmp(value->members[i].key, "id-token") == 0 && access && strcmp(access, "write") == 0 &&
		    (error = add_oidc(wf, scope, parent, value->members[i].key_pos)) < 0)
			return error;
	}
	return 0;
}

/* Refs and commands that bring the pull request's own code into the workspace. */
static bool names_pull_request_code(const char *text)
{
	static const char *const markers[] = {
		"github.event.pull_request.head", "github.head_ref", "github.event.workflow_run.head",
		"refs/pull/", "pull_request.merge_commit_sha", "gh pr checkout", "pull/${{", NULL,
	};

	for (int i = 0; text && markers[i]; i++)
		if (strstr(text, markers[i]))
			return true;
	return false;
}

static bool checks_out_pull_request(const struct action_ref *action, const struct parse_value *step)
{
	const struct parse_value *with = parse_value_get(step, "with");

	if (strcmp(action->name, "actions/checkout") == 0)
		return names_pull_request_code(parse_value_scalar(parse_value_get(with, "ref"))) ||
		       names_pull_request_code(parse_value_scalar(parse_value_get(with, "repository")));
	return false;
}

static int check_untrusted_checkout(struct workflow *wf, const struct parse_value *where, const char *job)
{
	if (!wf->privileged_event)
		return 0;
	return extract_finding(wf->ctx.file, &untrusted_checkout_rule, where->start, extract_value_end(where),
			       "job '%s' checks out pull request code in a workflow triggered by %s", job,
			       wf->privileged_event);
}

static int check_checkout_persistence(struct workflow *wf, const struct parse_value *uses,
				      const struct parse_value *step, struct nhi_fact *fact)
{
	const char *persist = parse_value_scalar(parse_value_get(parse_value_get(step, "with"), "persist-credentials"));
	bool persisted = !persist || strcasecmp(persist, "false") != 0;
	int error;

	if ((error = extract_attr(fact, "persist_credentials", persisted ? "true" : "false")) < 0 || !persisted)
		return error;
	return extract_finding(wf->ctx.file, &persist_rule, uses->start, extract_value_end(uses),
			       "actions/checkout keeps the workflow token in .git/config for later steps");
}

static int add_action(struct workflow *wf, const struct parse_value *uses, const struct action_ref *action,
		      const char *parent, const char *kind, struct nhi_fact **out)
{
	struct nhi_fact *fact;
	int error;

	if ((error = extract_fact(&fact, wf->ctx.file, "ci.action", uses->text, parent, uses->start)) < 0 ||
	    (error = extract_attr(fact, "system", SYSTEM)) < 0 ||
	    (error = extract_attr(fact, "kind", kind)) < 0 ||
	    (error = extract_attr(fact, "action", action->name)) < 0 ||
	    (error = extract_attr(fact, "ref", action->ref)) < 0 ||
	    (error = extract_attr(fact, "pinned", action->pinned ? "true" : "false")) < 0 ||
	    (error = extract_attr(fact, "third_party", action->third_party ? "true" : "false")) < 0)
		return error;
	*out = fact;
	return 0;
}

static int check_unpinned(struct workflow *wf, const struct parse_value *uses, const struct action_ref *action,
			  struct nhi_fact *fact, bool received)
{
	int error;

	if ((error = extract_attr(fact, "receives_secrets", received ? "true" : "false")) < 0)
		return error;
	if (!received || action->pinned || !action->third_party)
		return 0;
	return extract_finding(wf->ctx.file, &unpinned_rule, uses->start, extract_value_end(uses),
			       "'%s' is referenced by the movable ref '%s' and receives secrets", action->name,
			       *action->ref ? action->ref : "(none)");
}

/* Keys of a step whose secrets are recorded with their own flow; the rest is "step-other". */
static bool is_step_key_handled(const char *key)
{
	return strcmp(key, "env") == 0 || strcmp(key, "with") == 0 || strcmp(key, "run") == 0 ||
	       strcmp(key, "uses") == 0;
}

static int scan_step_rest(struct workflow *wf, struct flow *flow, const struct parse_value *step)
{
	int error = 0;

	for (size_t i = 0; i < step->count && error == 0; i++)
		if (!is_step_key_handled(step->members[i].key))
			error = scan_secrets(wf, flow, step->members[i].value);
	return error;
}

static int process_step(struct workflow *wf, const char *job, const char *job_ref, const struct parse_value *step)
{
	const struct parse_value *uses = parse_value_get(step, "uses");
	const struct parse_value *run = parse_value_get(step, "run");
	struct flow flow = { "step-env", job_ref, NULL, false };
	struct action_ref action;
	struct nhi_fact *fact = NULL;
	int error;

	if (!parse_value_is_object(step))
		return 0;
	if (parse_value_string(uses)) {
		parse_action(&action, uses->text);
		flow.action = action.name;
		if ((error = add_action(wf, uses, &action, job_ref, "step", &fact)) < 0)
			return error;
	}
	if ((error = check_map(wf, &flow, parse_value_get(step, "env"), false)) < 0)
		return error;
	flow.name = "with";
	if ((error = check_map(wf, &flow, parse_value_get(step, "with"), true)) < 0)
		return error;
	flow.name = "run";
	if ((error = scan_secrets(wf, &flow, run)) < 0)
		return error;
	flow.name = "step-other";
	if ((error = scan_step_rest(wf, &flow, step)) < 0)
		return error;
	if (parse_value_string(run) && names_pull_request_code(run->text) && (error = check_untrusted_checkout(wf, run, job)) < 0)
		return error;
	if (!fact)
		return 0;
	if (checks_out_pull_request(&action, step) && (error = check_untrusted_checkout(wf, uses, job)) < 0)
		return error;
	if (strcmp(action.name, "actions/checkout") == 0 && (error = check_checkout_persistence(wf, uses, step, fact)) < 0)
		return error;
	return check_unpinned(wf, uses, &action, fact, flow.received);
}

/* container: and each of services: — an image with optional credentials and env. */
static int process_container(struct workflow *wf, const struct parse_value *container, const char *parent,
			     const char *credentials_flow, const char *env_flow)
{
	const struct parse_value *credentials = parse_value_get(container, "credentials");
	struct flow flow = { credentials_flow, parent, NULL, false };
	int error;

	if (!parse_value_is_object(container))
		return 0;
	if ((error = check_map(wf, &flow, credentials, true)) < 0)
		return error;
	flow.name = env_flow;
	return check_map(wf, &flow, parse_value_get(container, "env"), false);
}

static int process_services(struct workflow *wf, const struct parse_value *services, const char *parent)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_object(services) && i < services->count && error == 0; i++)
		error = process_container(wf, services->members[i].value, parent, "service-credentials", "service-env");
	return error;
}

/* A job that calls a reusable workflow: its pin, `secrets: inherit` or the secrets it passes. */
static int process_reusable_call(struct workflow *wf, const char *job, const char *job_ref, const struct parse_value *body)
{
	const struct parse_value *uses = parse_value_get(body, "uses");
	const struct parse_member *secrets = parse_value_member(body, "secrets");
	struct flow flow = { "reusable-workflow", job_ref, NULL, false };
	struct action_ref action;
	struct nhi_fact *fact;
	int error;

	parse_action(&action, uses->text);
	flow.action = action.name;
	if ((error = add_action(wf, uses, &action, job_ref, "reusable-workflow", &fact)) < 0)
		return error;
	if (secrets && parse_value_string(secrets->value) && strcmp(secrets->value->text, "inherit") == 0) {
		flow.received = true;
		if ((error = ci_add_secret(&wf->ctx, NULL, "*", job_ref, secrets->key_pos, "secret", "inherit", "reference")) < 0 ||
		    (error = extract_finding(wf->ctx.file, &inherit_rule, secrets->value->start, extract_value_end(secrets->value),
					     "job '%s' passes every secret to '%s'", job, action.name)) < 0)
			return error;
	} else if (secrets && (error = scan_secrets(wf, &flow, secrets->value)) < 0) {
		return error;
	}
	flow.name = "with";
	if ((error = scan_secrets(wf, &flow, parse_value_get(body, "with"))) < 0)
		return error;
	return check_unpinned(wf, uses, &action, fact, flow.received);
}

static int add_job_attributes(struct nhi_fact *fact, const struct parse_value *body)
{
	const struct parse_value *environment = parse_value_get(body, "environment");
	const struct parse_value *runs_on = parse_value_get(body, "runs-on");
	int error;

	if (parse_value_is_object(environment))
		environment = parse_value_get(environment, "name");
	if (parse_value_is_array(runs_on) && runs_on->count)
		runs_on = runs_on->members[0].value;
	if ((error = extract_attr(fact, "name", parse_value_string(parse_value_get(body, "name")))) < 0 ||
	    (error = extract_attr(fact, "runs_on", parse_value_scalar(runs_on))) < 0 ||
	    (error = extract_attr(fact, "environment", parse_value_scalar(environment))) < 0)
		return error;
	return extract_attr(fact, "uses", parse_value_string(parse_value_get(body, "uses")));
}

static int note_unset_job(struct workflow *wf, const char *job)
{
	if (wf->unset_count++ >= MAX_LISTED)
		return 0;
	return nhi_buf_printf(&wf->unset_jobs, "%s%s", wf->unset_jobs.size ? ", " : "", job);
}

/* Keys of a job that process_job() reads itself; secrets elsewhere are recorded as "job-other". */
static bool is_job_key_handled(const char *key)
{
	static const char *const keys[] = { "env", "steps", "container", "services", "secrets", "with", "uses", "permissions", NULL };

	for (int i = 0; keys[i]; i++)
		if (strcmp(key, keys[i]) == 0)
			return true;
	return false;
}

static int process_steps(struct workflow *wf, const char *job, const char *job_ref, const struct parse_value *steps)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_array(steps) && i < steps->count && error == 0; i++)
		error = process_step(wf, job, job_ref, steps->members[i].value);
	return error;
}

static int process_job(struct workflow *wf, const struct parse_member *member)
{
	const struct parse_value *body = member->value;
	const struct parse_member *permissions = parse_value_member(body, "permissions");
	struct flow flow = { "job-env", NULL, NULL, false };
	char job_ref[EXTRACT_REF_MAX];
	struct nhi_fact *fact;
	int error;

	if (!parse_value_is_object(body))
		return 0;
	if ((error = ci_add_job(&wf->ctx, member->key, member->key_pos, job_ref, &fact)) < 0 ||
	    (error = add_job_attributes(fact, body)) < 0)
		return error;
	flow.parent = job_ref;
	if (permissions)
		error = read_permissions(wf, permissions, member->key, job_ref);
	else if (!wf->top_permissions)
		error = note_unset_job(wf, member->key);
	if (error < 0 || (error = check_map(wf, &flow, parse_value_get(body, "env"), false)) < 0)
		return error;
	if ((error = process_container(wf, parse_value_get(body, "container"), job_ref, "container-credentials", "container-env")) < 0 ||
	    (error = process_services(wf, parse_value_get(body, "services"), job_ref)) < 0)
		return error;
	if (parse_value_string(parse_value_get(body, "uses")) && (error = process_reusable_call(wf, member->key, job_ref, body)) < 0)
		return error;
	if ((error = process_steps(wf, member->key, job_ref, parse_value_get(body, "steps"))) < 0)
		return error;
	flow.name = "job-other";
	for (size_t i = 0; i < body->count && error == 0; i++)
		if (!is_job_key_handled(body->members[i].key))
			error = scan_secrets(wf, &flow, body->members[i].value);
	return error;
}

static int report_workflow(struct workflow *wf, const struct parse_member *jobs)
{
	struct parse_pos jobs_end = jobs ? jobs->key_pos : wf->privileged_pos;
	int error = 0;

	jobs_end.column += 4;
	if (wf->unset_count && jobs)
		error = extract_finding(wf->ctx.file, &unset_rule, jobs->key_pos, jobs_end,
					"%zu job%s (%s%s) run with the repository's default token permissions",
					wf->unset_count, wf->unset_count == 1 ? "" : "s", wf->unset_jobs.ptr,
					wf->unset_count > MAX_LISTED ? ", ..." : "");
	if (error == 0 && wf->privileged_event && wf->secrets_used.size)
		error = extract_finding(wf->ctx.file, &privileged_secrets_rule, wf->privileged_pos, wf->privileged_end,
					"the workflow runs on %s, with write access and secrets, and uses %s%s",
					wf->privileged_event, wf->secrets_used.ptr,
					wf->secrets_listed > MAX_LISTED ? ", ..." : "");
	return error;
}

static int process_workflow(struct workflow *wf, const struct parse_value *root)
{
	const struct parse_member *permissions = parse_value_member(root, "permissions");
	const struct parse_member *jobs = parse_value_member(root, "jobs");
	struct flow flow = { "workflow-env", NULL, NULL, false };
	int error;

	if ((error = read_triggers(wf, root)) < 0)
		return error;
	wf->top_permissions = permissions != NULL;
	if (permissions && (error = read_permissions(wf, permissions, "workflow", wf->ctx.workflow_ref)) < 0)
		return error;
	if ((error = check_map(wf, &flow, parse_value_get(root, "env"), false)) < 0)
		return error;
	for (size_t i = 0; jobs && parse_value_is_object(jobs->value) && i < jobs->value->count; i++)
		if ((error = process_job(wf, &jobs->value->members[i])) < 0)
			return error;
	return report_workflow(wf, jobs);
}

/* action.yml: credential-named inputs and the steps of a composite action. */
static int process_composite(struct workflow *wf, const struct parse_value *root)
{
	const struct parse_value *inputs = parse_value_get(root, "inputs");
	const struct parse_value *runs = parse_value_get(root, "runs");
	int error = 0;

	for (size_t i = 0; parse_value_is_object(inputs) && i < inputs->count && error == 0; i++)
		if (extract_name_is_credential(inputs->members[i].key))
			error = ci_add_secret(&wf->ctx, NULL, inputs->members[i].key, NULL, inputs->members[i].key_pos,
					      "input", "action-input", "reference");
	if (error < 0)
		return error;
	return process_steps(wf, "composite", NULL, parse_value_get(runs, "steps"));
}

int extract_github_workflow(const struct extract_file *file, bool composite_action)
{
	struct parse_doc doc = PARSE_DOC_INIT;
	struct workflow wf;
	struct nhi_fact *fact;
	bool loaded;
	int error;

	memset(&wf, 0, sizeof(wf));
	wf.composite = composite_action;
	if ((error = extract_load(&doc, file, EXTRACT_FORMAT_YAML, &loaded)) < 0 || !loaded)
		goto done;
	if (!parse_value_is_object(doc.root))
		goto done;
	if ((error = ci_begin(&wf.ctx, file, SYSTEM, doc.root, &fact)) < 0 ||
	    (error = extract_attr(fact, "kind", composite_action ? "composite-action" : "workflow")) < 0)
		goto done;
	error = composite_action ? process_composite(&wf, doc.root) : process_workflow(&wf, doc.root);

done:
	nhi_buf_dispose(&wf.secrets_used);
	nhi_buf_dispose(&wf.unset_jobs);
	parse_doc_dispose(&doc);
	return error;
}
