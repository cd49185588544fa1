/*
 * The inventory builder; see build.h. The steps run in a fixed order because later ones read
 * what earlier ones made. Secret findings come first, so that a credential's provider and kind
 * come from the signature rule that named it. Facts and history follow, then the links that
 * need every entity in place: providers, scope holders and owners.
 */
#include "model/build_private.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Files larger than this are not read again to find the variable a secret is assigned to. */
#define MAX_ASSIGNMENT_FILE ((size_t)10 << 20)
/* Hex digits of the commit id kept in the location of a secret found only in history. */
#define COMMIT_HEX 12

static const char *const severity_names[] = { "low", "medium", "high", "critical" };

static int severity_rank(const char *name)
{
	for (size_t i = 0; name && i < sizeof(severity_names) / sizeof(severity_names[0]); i++)
		if (strcmp(name, severity_names[i]) == 0)
			return (int)i;
	return -1;
}

static bool skipped(const struct build_state *state, const char *path)
{
	return state->input->exclude_path && strcmp(path, state->input->exclude_path) == 0;
}

/* Signature rules have kinds such as "api-key"; the extractors' kinds have a dot ("mcp.hardcoded-credential"). */
static bool is_signature_finding(const struct nhi_finding *finding)
{
	return finding->kind && !strchr(finding->kind, '.');
}

/* Copy the rule, provider, kind and severity of a finding to its credential; the caller adds the location. */
static int describe_credential(struct nhi_inv_entity *credential, const struct nhi_finding *finding)
{
	const char *severity = config_severity_name(finding->severity);
	int error;

	if ((error = model_entity_set(credential, "redacted", finding->redacted)) < 0 ||
	    (error = model_entity_add(credential, "detectors", finding->rule_id)) < 0 ||
	    !is_signature_finding(finding))
		return error;
	if ((error = model_entity_set(credential, "provider", finding->provider)) < 0 ||
	    (error = model_entity_set(credential, "kind", finding->kind)) < 0)
		return error;
	if (severity_rank(severity) > severity_rank(model_entity_get(credential, "severity")) &&
	    (error = model_entity_put(credential, "severity", severity)) < 0)
		return error;
	if (finding->validated == 1)
		error = model_entity_put(credential, "checksum", "valid");
	return error;
}

static int add_secret_finding(struct build_state *state, const struct nhi_finding *finding)
{
	struct nhi_inv_entity *credential;
	int error;

	if ((error = build_credential(&credential, state, finding->fingerprint)) < 0 ||
	    (error = model_entity_add_location(credential, finding->path, finding->line, NULL)) < 0)
		return error;
	return describe_credential(credential, finding);
}

/* Signature findings go first, so that they name the provider and kind of a credential. */
static int add_secret_findings(struct build_state *state)
{
	const struct nhi_vec *findings = state->input->findings;
	int error = 0;

	for (int signatures = 1; signatures >= 0; signatures--)
		for (size_t i = 0; findings && i < findings->count && error == 0; i++) {
			const struct nhi_finding *finding = findings->items[i];

			if (finding->fingerprint[0] && !skipped(state, finding->path) &&
			    is_signature_finding(finding) == (signatures == 1))
				error = add_secret_finding(state, finding);
		}
	return error;
}

/* Seconds since the epoch of an ISO 8601 time with offset ("2020-01-01T00:00:00+02:00"), or -1. */
static long long parse_time(const char *text)
{
	struct tm tm = { 0 };
	int offset_hours = 0, offset_minutes = 0;
	char sign = '+';

	if (!text || sscanf(text, "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
			    &tm.tm_min, &tm.tm_sec) != 6)
		return -1;
	if (strlen(text) >= 25)
		sscanf(text + 19, "%c%2d:%2d", &sign, &offset_hours, &offset_minutes);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	return (long long)timegm(&tm) - (sign == '-' ? -1 : 1) * (offset_hours * 3600LL + offset_minutes * 60LL);
}

/* The earlier of two introductions; equal times are ordered by commit id, so the choice is stable. */
static bool is_earlier(const struct nhi_finding *a, const struct nhi_finding *b)
{
	long long x = parse_time(a->date), y = parse_time(b->date);

	if (x != y)
		return x < y;
	return strcmp(a->commit ? a->commit : "", b->commit ? b->commit : "") < 0;
}

static int add_history_location(struct build_state *state, const struct nhi_finding *finding)
{
	struct nhi_inv_entity *credential;
	char commit[COMMIT_HEX + 1];
	int error;

	snprintf(commit, sizeof(commit), "%s", finding->commit ? finding->commit : "");
	if ((error = build_credential(&credential, state, finding->fingerprint)) < 0 ||
	    (error = model_entity_put(credential, "in_history_only", "true")) < 0 ||
	    (error = model_entity_add_location(credential, finding->path, finding->line, commit)) < 0)
		return error;
	return describe_credential(credential, finding);
}

static int record_introduction(struct build_state *state, struct nhi_inv_entity *credential,
			       const struct nhi_finding *finding)
{
	struct nhi_buf by = NHI_BUF_INIT;
	int error;

	if ((error = nhi_buf_printf(&by, "%s <%s>", finding->author ? finding->author : "",
				    finding->email ? finding->email : "")) < 0 ||
	    (error = model_entity_put(credential, "introduced_commit", finding->commit)) < 0 ||
	    (error = model_entity_put(credential, "introduced_by", by.ptr)) < 0 ||
	    (error = model_entity_put(credential, "introduced_date", finding->date)) < 0)
		goto done;
	error = build_add_commit_owner(state, credential, finding);

done:
	nhi_buf_dispose(&by);
	return error;
}

/*
 * Add history findings. A credential that is no longer in the working tree is added as history
 * only, and every credential records the commit that introduced it: the earliest that contains it.
 */
static int add_history_findings(struct build_state *state)
{
	const struct nhi_vec *findings = state->input->history_findings;
	struct model_idmap first = MODEL_IDMAP_INIT;
	struct nhi_vec credentials = NHI_VEC_INIT;
	int error = 0;

	for (size_t i = 0; findings && i < findings->count && error == 0; i++) {
		const struct nhi_finding *finding = findings->items[i], *known;
		struct nhi_inv_entity *credential;
		char *id = NULL;

		if (!finding->fingerprint[0] || skipped(state, finding->path) || !finding->commit)
			continue;
		if ((error = model_inventory_credential_id(&id, finding->fingerprint)) < 0)
			break;
		credential = model_inventory_find(state->inv, id);
		if (!credential || model_entity_has(credential, "in_history_only", "true"))
			error = add_history_location(state, finding);
		known = model_idmap_get(&first, id, strlen(id));
		if (error == 0 && !known)
			error = nhi_vec_push(&credentials, model_inventory_find(state->inv, id));
		if (error == 0 && (!known || is_earlier(finding, known)))
			error = model_idmap_put(&first, id, strlen(id), (void *)finding);
		free(id);
	}
	for (size_t i = 0; i < credentials.count && error == 0; i++) {
		struct nhi_inv_entity *credential = credentials.items[i];

		error = record_introduction(state, credential, model_idmap_get(&first, credential->id, strlen(credential->id)));
	}
	nhi_vec_dispose(&credentials);
	model_idmap_dispose(&first);
	return error;
}

/* Link a credential to the variable its line assigns it to, as in OPENAI_API_KEY=... of a .env file. */
static int add_assignment(struct build_state *state, const struct nhi_finding *finding, const char *data, size_t len)
{
	struct nhi_inv_entity *credential, *variable;
	char name[128];
	int error;

	if (!build_assignment_name(name, sizeof(name), data, len, finding->line, finding->column))
		return 0;
	if ((error = build_credential(&credential, state, finding->fingerprint)) < 0 ||
	    (error = build_reference(&variable, state, "assignment", name)) < 0 ||
	    (error = model_entity_add_location(variable, finding->path, finding->line, NULL)) < 0)
		return error;
	return model_entity_link(credential, NHI_LINK_ASSIGNED_TO, variable->id);
}

static int add_assignments(struct build_state *state)
{
	const struct nhi_vec *findings = state->input->findings;
	const char *loaded = NULL;
	char *data = NULL;
	size_t len = 0;
	int error = 0;

	for (size_t i = 0; state->input->root && findings && i < findings->count && error == 0; i++) {
		const struct nhi_finding *finding = findings->items[i];
		char *full;

		if (!finding->fingerprint[0] || !is_signature_finding(finding) || skipped(state, finding->path))
			continue;
		/* Findings are sorted by path, so each file is read once. */
		if (!loaded || strcmp(loaded, finding->path) != 0) {
			free(data);
			data = NULL;
			loaded = finding->path;
			if (!(full = nhi_path_join(state->input->root, finding->path))) {
				error = nhi_error_set(NHI_ENOMEM, "out of memory");
				break;
			}
			/* A file that cannot be read again only loses its variable names. */
			if (nhi_fs_read_file(&data, &len, full, MAX_ASSIGNMENT_FILE) < 0)
				data = NULL;
			free(full);
		}
		if (data)
			error = add_assignment(state, finding, data, len);
	}
	free(data);
	nhi_error_clear();
	return error;
}

/* The provider of a credential that no signature named: from the variables it is assigned to. */
static const char *provider_from_variables(const struct build_state *state, const struct nhi_inv_entity *credential)
{
	for (size_t i = 0; i < credential->links.count; i++) {
		const struct nhi_inv_link *link = credential->links.items[i];
		const struct nhi_inv_entity *variable;
		const char *provider;

		if (strcmp(link->type, NHI_LINK_ASSIGNED_TO) != 0 || !(variable = model_inventory_find(state->inv, link->target)))
			continue;
		if ((provider = build_provider_of_name(state, variable->name)) != NULL)
			return provider;
	}
	return NULL;
}

/* Kinds that a provider issues; other entities that name a provider (an agent's model) use it. */
static bool is_issued(const char *kind)
{
	return strcmp(kind, NHI_KIND_CREDENTIALS) == 0 || strcmp(kind, NHI_KIND_REFERENCES) == 0 ||
	       strcmp(kind, NHI_KIND_SCOPES) == 0 || strcmp(kind, NHI_KIND_OAUTH_CLIENTS) == 0 ||
	       strcmp(kind, NHI_KIND_SERVICE_ACCOUNTS) == 0;
}

static int link_providers(struct build_state *state)
{
	size_t count = state->inv->entities.count;
	int error = 0;

	/* Providers are added while the loop runs; they have no provider, so the count is fixed. */
	for (size_t i = 0; i < count && error == 0; i++) {
		struct nhi_inv_entity *entity = state->inv->entities.items[i];
		const char *provider = model_entity_get(entity, "provider");

		if (strcmp(entity->kind, NHI_KIND_REFERENCES) == 0)
			provider = build_provider_of_name(state, entity->name);
		else if (strcmp(entity->kind, NHI_KIND_CREDENTIALS) == 0 && !provider)
			provider = provider_from_variables(state, entity);
		error = build_link_provider(state, entity, provider,
					    is_issued(entity->kind) ? NHI_LINK_ISSUED_BY : NHI_LINK_USES);
	}
	return error;
}

static bool shares_provider(const struct nhi_inv_entity *a, const struct nhi_inv_entity *b)
{
	for (size_t i = 0; i < a->links.count; i++) {
		const struct nhi_inv_link *link = a->links.items[i];

		if (strcmp(link->type, NHI_LINK_ISSUED_BY) == 0 && model_entity_links_to(b, NHI_LINK_ISSUED_BY, link->target))
			return true;
	}
	return false;
}

static bool shares_path(const struct nhi_inv_entity *a, const struct nhi_inv_entity *b)
{
	for (size_t i = 0; i < a->locations.count; i++) {
		const char *location = a->locations.items[i];
		const char *colon = strrchr(location, ':');
		char path[4096];

		if (!colon || (size_t)(colon - location) >= sizeof(path))
			continue;
		snprintf(path, sizeof(path), "%.*s", (int)(colon - location), location);
		for (size_t j = 0; j < b->locations.count; j++)
			if (build_location_in(b->locations.items[j], path))
				return true;
	}
	return false;
}

/*
 * Link a scope requested in a source file to the credentials of the same provider that the file
 * contains or names, because the token that code uses carries the scopes that code requests.
 */
static int link_scope_holders(struct build_state *state)
{
	const struct nhi_vec *entities = &state->inv->entities;
	int error = 0;

	for (size_t i = 0; i < entities->count && error == 0; i++) {
		const struct nhi_inv_entity *scope = entities->items[i];

		if (strcmp(scope->kind, NHI_KIND_SCOPES) != 0 || !model_entity_has(scope, "sources", "text"))
			continue;
		for (size_t j = 0; j < entities->count && error == 0; j++) {
			struct nhi_inv_entity *holder = entities->items[j];

			if ((strcmp(holder->kind, NHI_KIND_CREDENTIALS) == 0 || strcmp(holder->kind, NHI_KIND_REFERENCES) == 0) &&
			    shares_provider(holder, scope) && shares_path(scope, holder))
				error = model_entity_link(holder, NHI_LINK_GRANTS, scope->id);
		}
	}
	return error;
}

/* The environments a credential is used in, from the paths of its locations. */
static int add_environments(struct build_state *state)
{
	int error = 0;

	for (size_t i = 0; i < state->inv->entities.count && error == 0; i++) {
		struct nhi_inv_entity *entity = state->inv->entities.items[i];

		if (strcmp(entity->kind, NHI_KIND_CREDENTIALS) != 0)
			continue;
		for (size_t j = 0; j < entity->locations.count && error == 0; j++)
			error = model_entity_add(entity, "environments", build_environment_of_path(entity->locations.items[j]));
	}
	return error;
}

static int mark_owner_activity(struct build_state *state)
{
	const struct model_activity *activity = state->input->activity;
	int error = 0;

	for (size_t i = 0; activity && i < state->inv->entities.count && error == 0; i++) {
		struct nhi_inv_entity *entity = state->inv->entities.items[i];
		const char *email = model_entity_get(entity, "email");

		if (strcmp(entity->kind, NHI_KIND_OWNERS) == 0 && email)
			error = model_entity_put(entity, "active", model_activity_is_active(activity, email) ? "true" : "false");
	}
	return error;
}

/* Name each credential by its redacted preview and set in_history_only on every credential. */
static int complete_credentials(struct build_state *state)
{
	int error = 0;

	for (size_t i = 0; i < state->inv->entities.count && error == 0; i++) {
		struct nhi_inv_entity *entity = state->inv->entities.items[i];
		const char *redacted = model_entity_get(entity, "redacted");

		if (strcmp(entity->kind, NHI_KIND_CREDENTIALS) != 0)
			continue;
		if (!entity->name && (error = model_inventory_set_string(&entity->name, redacted ? redacted : entity->id)) < 0)
			break;
		error = model_entity_set(entity, "in_history_only", "false");
	}
	return error;
}

static void free_vector(void *item)
{
	nhi_vec_dispose(item);
	free(item);
}

static void dispose_state(struct build_state *state)
{
	nhi_vec_dispose_all(&state->nodes, NULL);
	nhi_vec_dispose_all(&state->vectors, free_vector);
	nhi_vec_dispose_all(&state->provider_keys, NULL);
	model_idmap_dispose(&state->node_index);
	model_idmap_dispose(&state->code_agents);
	model_idmap_dispose(&state->actions);
}

int model_inventory_build(struct nhi_inventory *out, const struct model_build_input *input)
{
	struct build_state state;
	int error;

	memset(&state, 0, sizeof(state));
	model_inventory_init(out);
	state.inv = out;
	state.input = input;
	if ((error = model_inventory_set_string(&out->scan, input->history_findings ? "worktree+history" : "worktree")) < 0 ||
	    (error = build_index_providers(&state)) < 0 ||
	    (error = add_secret_findings(&state)) < 0 ||
	    (error = build_add_facts(&state)) < 0 ||
	    (error = add_history_findings(&state)) < 0 ||
	    (error = add_assignments(&state)) < 0 ||
	    (error = link_providers(&state)) < 0 ||
	    (error = link_scope_holders(&state)) < 0 ||
	    (error = add_environments(&state)) < 0 ||
	    (error = build_add_codeowners(&state)) < 0 ||
	    (error = mark_owner_activity(&state)) < 0 ||
	    (error = complete_credentials(&state)) < 0 ||
	    (error = build_scrub_secrets(&state)) < 0)
		goto done;
	model_inventory_finalize(out);

done:
	dispose_state(&state);
	if (error < 0)
		model_inventory_dispose(out);
	return error;
}
