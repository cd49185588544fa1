/*
 * The rule table and the helpers that every rule uses to write its reasons and evidence. The
 * rules themselves are in rules_secrets.c (what a credential is and where it is) and
 * rules_config.c (how pipelines, MCP servers and scopes use credentials).
 */
#include "risk/rules.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct risk_rule rules[] = {
	{ "nhi2-hard-coded", "NHI2", "secret written into a tracked file", NHI_KIND_CREDENTIALS, risk_rule_hard_coded },
	{ "nhi2-leaked-in-history", "NHI2", "secret removed from the files but still in the history",
	  NHI_KIND_CREDENTIALS, risk_rule_leaked_in_history },
	{ "nhi9-reused", "NHI9", "one credential used in several places", NHI_KIND_CREDENTIALS, risk_rule_reused },
	{ "nhi8-shared-across-environments", "NHI8", "production and another environment share a credential",
	  NHI_KIND_CREDENTIALS, risk_rule_shared_environments },
	{ "nhi7-long-lived-key", "NHI7", "static key where short-lived credentials exist", NHI_KIND_CREDENTIALS,
	  risk_rule_long_lived_key },
	{ "nhi7-long-lived-key", "NHI7", "static key where short-lived credentials exist", NHI_KIND_REFERENCES,
	  risk_rule_long_lived_reference },
	{ "nhi1-inactive-owner", "NHI1", "owner without a commit in the last 12 months", NHI_KIND_CREDENTIALS,
	  risk_rule_inactive_owner },
	{ "nhi1-no-owner", "NHI1", "identity without an owner", NHI_KIND_CREDENTIALS, risk_rule_no_owner },
	{ "nhi1-no-owner", "NHI1", "identity without an owner", NHI_KIND_AGENTS, risk_rule_no_owner },
	{ "nhi1-no-owner", "NHI1", "identity without an owner", NHI_KIND_MCP_SERVERS, risk_rule_no_owner },
	{ "nhi1-no-owner", "NHI1", "identity without an owner", NHI_KIND_SERVICE_ACCOUNTS, risk_rule_no_owner },
	{ "nhi5-broad-scope", "NHI5", "scope broader than most uses need", NHI_KIND_SCOPES, risk_rule_broad_scope },
	{ "nhi5-write-all-token", "NHI5", "pipeline token with write access to everything", NHI_KIND_WORKFLOWS,
	  risk_rule_write_all_token },
	{ "nhi5-write-all-token", "NHI5", "pipeline token with write access to everything", NHI_KIND_JOBS,
	  risk_rule_write_all_token },
	{ "nhi6-static-cloud-key", "NHI6", "pipeline signs in with a stored key instead of OIDC", NHI_KIND_JOBS,
	  risk_rule_static_cloud_key },
	{ "nhi6-static-cloud-key", "NHI6", "pipeline signs in with a stored key instead of OIDC", NHI_KIND_WORKFLOWS,
	  risk_rule_static_cloud_key },
	{ "nhi3-unpinned-receives-secrets", "NHI3", "third-party code on a movable version receives secrets",
	  NHI_KIND_ACTIONS, risk_rule_unpinned_action },
	{ "nhi3-unpinned-receives-secrets", "NHI3", "third-party code on a movable version receives secrets",
	  NHI_KIND_MCP_SERVERS, risk_rule_unpinned_mcp_package },
	{ "nhi10-personal-token", "NHI10", "automation uses a personal token", NHI_KIND_MCP_SERVERS, risk_rule_personal_token },
	{ "nhi10-personal-token", "NHI10", "automation uses a personal token", NHI_KIND_AGENTS, risk_rule_personal_token },
	{ "nhi10-personal-token", "NHI10", "automation uses a personal token", NHI_KIND_JOBS, risk_rule_personal_token },
	{ "nhi10-personal-token", "NHI10", "automation uses a personal token", NHI_KIND_WORKFLOWS, risk_rule_personal_token },
	{ "nhi4-plain-http", "NHI4", "remote MCP server over plain HTTP", NHI_KIND_MCP_SERVERS, risk_rule_plain_http },
	{ "nhi4-unauthenticated-remote", "NHI4", "remote MCP server without authentication", NHI_KIND_MCP_SERVERS,
	  risk_rule_unauthenticated_remote },
};

const struct risk_rule *risk_rules(size_t *count)
{
	*count = sizeof(rules) / sizeof(rules[0]);
	return rules;
}

static const struct risk_weight severity_high = {
	2, "the rule rates this kind of key high or critical: it opens an account or service directly",
};
static const struct risk_weight severity_medium = {
	1, "the rule rates this kind of key medium",
};

int risk_begin(struct nhi_inv_risk **out, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	return model_entity_add_risk(out, entity, rule->id, rule->category, rule->title);
}

int risk_add_weight(struct nhi_inv_risk *risk, const struct risk_weight *weight)
{
	return model_risk_add_points(risk, weight->points, weight->reason);
}

int risk_add_severity(struct nhi_inv_risk *risk, const struct nhi_inv_entity *credential)
{
	const char *severity = model_entity_get(credential, "severity");

	if (severity && (strcmp(severity, "high") == 0 || strcmp(severity, "critical") == 0))
		return risk_add_weight(risk, &severity_high);
	if (severity && strcmp(severity, "medium") == 0)
		return risk_add_weight(risk, &severity_medium);
	return 0;
}

int risk_add_locations(struct nhi_inv_risk *risk, const struct nhi_inv_entity *entity)
{
	size_t count = entity->locations.count;
	int error = 0;

	for (size_t i = 0; i < count && i < RISK_MAX_EVIDENCE && error == 0; i++)
		error = model_risk_add_evidence(risk, "at %s", (const char *)entity->locations.items[i]);
	if (error == 0 && count > RISK_MAX_EVIDENCE)
		error = model_risk_add_evidence(risk, "and at %zu more places", count - RISK_MAX_EVIDENCE);
	return error;
}

const char *risk_describe(char *buf, size_t size, const struct nhi_inv_entity *entity)
{
	snprintf(buf, size, "%s '%s' (%s)", model_inventory_kind_label(entity->kind),
		 entity->name ? entity->name : entity->id, entity->id);
	return buf;
}

/* Add "<user> uses it<suffix>" for each entity that stores a uses link to target. */
static int add_direct_users(struct risk_context *ctx, struct nhi_inv_risk *risk, const char *target,
			    const char *suffix, size_t *written)
{
	const struct nhi_vec *incoming = risk_incoming_links(ctx, target);
	char description[512];
	int error = 0;

	for (size_t i = 0; incoming && i < incoming->count && error == 0; i++) {
		const struct risk_incoming *in = incoming->items[i];

		if (strcmp(in->type, NHI_LINK_USES) != 0 || ++*written > RISK_MAX_EVIDENCE)
			continue;
		error = model_risk_add_evidence(risk, "%s uses it%s", risk_describe(description, sizeof(description), in->source), suffix);
	}
	return error;
}

int risk_add_users(struct risk_context *ctx, struct nhi_inv_risk *risk, const struct nhi_inv_entity *entity)
{
	struct nhi_buf suffix = NHI_BUF_INIT;
	size_t written = 0;
	int error;

	if ((error = add_direct_users(ctx, risk, entity->id, "", &written)) < 0)
		goto done;
	for (size_t i = 0; i < entity->links.count && error == 0; i++) {
		const struct nhi_inv_link *link = entity->links.items[i];
		const struct nhi_inv_entity *variable = model_inventory_find(ctx->inv, link->target);

		if (strcmp(link->type, NHI_LINK_ASSIGNED_TO) != 0 || !variable)
			continue;
		nhi_buf_clear(&suffix);
		if ((error = nhi_buf_printf(&suffix, " through the variable %s", variable->name)) == 0)
			error = add_direct_users(ctx, risk, variable->id, suffix.ptr, &written);
	}
	if (error == 0 && written > RISK_MAX_EVIDENCE)
		error = model_risk_add_evidence(risk, "and %zu more users", written - RISK_MAX_EVIDENCE);

done:
	nhi_buf_dispose(&suffix);
	return error;
}

int risk_location_paths(struct nhi_vec *out, const struct nhi_inv_entity *entity)
{
	int error = 0;

	for (size_t i = 0; i < entity->locations.count && error == 0; i++) {
		const char *location = entity->locations.items[i];
		const char *colon = strrchr(location, ':');
		size_t len = colon ? (size_t)(colon - location) : strlen(location);
		bool seen = false;
		char *path;

		for (size_t j = 0; j < out->count && !seen; j++)
			seen = strlen(out->items[j]) == len && strncmp(out->items[j], location, len) == 0;
		if (seen)
			continue;
		if (!(path = strndup(location, len)))
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		if ((error = nhi_vec_push(out, path)) < 0)
			free(path);
	}
	return error;
}

bool risk_has_detector(const struct nhi_inv_entity *credential, const char *const *prefixes)
{
	const struct nhi_inv_field *field = model_entity_field(credential, "detectors");

	for (size_t i = 0; field && i < field->values.count; i++)
		for (const char *const *p = prefixes; *p; p++)
			if (strncmp(field->values.items[i], *p, strlen(*p)) == 0)
				return true;
	return false;
}

bool risk_is_true(const struct nhi_inv_entity *entity, const char *name)
{
	const char *value = model_entity_get(entity, name);

	return value && strcmp(value, "true") == 0;
}
