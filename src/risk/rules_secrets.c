/*
 * Rules on credentials themselves: where a secret is written (NHI2), in how many places (NHI9)
 * and environments (NHI8), whether a short-lived kind exists (NHI7), and who owns it (NHI1).
 */
#include "risk/rules.h"
#include "util/error.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const struct risk_weight hard_coded = {
	5, "written in a tracked file: everyone who can read the repository, a clone or a fork can use it",
};
static const struct risk_weight checksum_valid = {
	1, "its checksum is valid, so it is a real token and not an example",
};
static const struct risk_weight in_history = {
	5, "removed from the files but still in the history: every clone holds it until it is revoked",
};
static const struct risk_weight reused = {
	3, "one leak exposes every place that uses it, and rotating it means changing all of them at once",
};
static const struct risk_weight reused_more = {
	1, "each further file that holds it is one more place to leak from and to update",
};
/* At most this many points for files past the second: four files are already a pattern. */
#define MAX_REUSE_EXTRA 3
static const struct risk_weight shared_environments = {
	6, "whoever can reach the other environment, usually more people and systems, can reach production",
};
static const struct risk_weight long_lived = {
	4, "a static key stays valid until someone revokes it",
};
static const struct risk_weight no_owner = {
	3, "nobody is named to rotate or revoke it, so it outlives the work it was made for",
};
static const struct risk_weight inactive_owner = {
	4, "the person who added it has not committed in the 12 months before HEAD and may have left",
};

/* Kinds of keys that stay valid until revoked, although the provider offers a short-lived kind. */
static const struct {
	const char *rule_prefix;
	const char *alternative;
} long_lived_rules[] = {
	{ "aws.iam.", "IAM roles give temporary keys through STS, and CI systems get them with OIDC" },
	{ "gcp.iam.service-account-key", "workload identity federation gives short-lived tokens without a key file" },
	{ "azure.entra.client-secret", "federated credentials and managed identities need no stored secret" },
	{ "github.pat.classic", "GitHub App installation tokens last one hour" },
	{ "github.pat.legacy", "GitHub App installation tokens last one hour" },
	{ "gitlab.pat.", "CI job tokens last one job, and group or project tokens can expire sooner" },
	{ "npm.registry.access-token", "trusted publishing from CI uses short-lived OIDC tokens" },
	{ "pypi.upload.api-token", "trusted publishing from CI uses short-lived OIDC tokens" },
};

/* The same for credentials that pipelines name by their conventional variables. */
static const struct {
	const char *name;
	const char *alternative;
} long_lived_variables[] = {
	{ "AWS_ACCESS_KEY_ID", "IAM roles give temporary keys through STS, and CI systems get them with OIDC" },
	{ "AWS_SECRET_ACCESS_KEY", "IAM roles give temporary keys through STS, and CI systems get them with OIDC" },
	{ "GCP_SA_KEY", "workload identity federation gives short-lived tokens without a key file" },
	{ "GCP_CREDENTIALS", "workload identity federation gives short-lived tokens without a key file" },
	{ "GOOGLE_CREDENTIALS", "workload identity federation gives short-lived tokens without a key file" },
	{ "GOOGLE_APPLICATION_CREDENTIALS", "workload identity federation gives short-lived tokens without a key file" },
	{ "AZURE_CREDENTIALS", "federated credentials and managed identities need no stored secret" },
	{ "AZURE_CLIENT_SECRET", "federated credentials and managed identities need no stored secret" },
	{ "ARM_CLIENT_SECRET", "federated credentials and managed identities need no stored secret" },
	{ "NPM_TOKEN", "trusted publishing from CI uses short-lived OIDC tokens" },
	{ "PYPI_API_TOKEN", "trusted publishing from CI uses short-lived OIDC tokens" },
	{ "PYPI_TOKEN", "trusted publishing from CI uses short-lived OIDC tokens" },
};

bool risk_is_long_lived_credential(const struct nhi_inv_entity *credential, const char **alternative)
{
	const struct nhi_inv_field *field = model_entity_field(credential, "detectors");

	for (size_t i = 0; field && i < field->values.count; i++)
		for (size_t j = 0; j < sizeof(long_lived_rules) / sizeof(long_lived_rules[0]); j++) {
			const char *prefix = long_lived_rules[j].rule_prefix;

			if (strncmp(field->values.items[i], prefix, strlen(prefix)) == 0) {
				*alternative = long_lived_rules[j].alternative;
				return true;
			}
		}
	return false;
}

bool risk_is_long_lived_variable(const char *name, const char **alternative)
{
	for (size_t i = 0; name && i < sizeof(long_lived_variables) / sizeof(long_lived_variables[0]); i++)
		if (strcmp(name, long_lived_variables[i].name) == 0) {
			*alternative = long_lived_variables[i].alternative;
			return true;
		}
	return false;
}

int risk_rule_hard_coded(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	struct nhi_inv_risk *risk;
	int error;

	if (risk_is_true(entity, "in_history_only"))
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 ||
	    (error = risk_add_weight(risk, &hard_coded)) < 0 ||
	    (error = risk_add_severity(risk, entity)) < 0)
		return error;
	if (model_entity_has(entity, "checksum", "valid"))
		if ((error = risk_add_weight(risk, &checksum_valid)) < 0)
			return error;
	if ((error = risk_add_locations(risk, entity)) < 0)
		return error;
	return risk_add_users(ctx, risk, entity);
}

int risk_rule_leaked_in_history(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	const char *commit = model_entity_get(entity, "introduced_commit");
	struct nhi_inv_risk *risk;
	int error;

	if (!risk_is_true(entity, "in_history_only"))
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 ||
	    (error = risk_add_weight(risk, &in_history)) < 0 ||
	    (error = risk_add_severity(risk, entity)) < 0)
		return error;
	if (commit && (error = model_risk_add_evidence(risk, "introduced in commit %s by %s on %s", commit,
						       model_entity_get(entity, "introduced_by"),
						       model_entity_get(entity, "introduced_date"))) < 0)
		return error;
	if ((error = model_risk_add_evidence(risk, "no longer in the working tree; revoke it, then record status: revoked")) < 0)
		return error;
	return risk_add_locations(risk, entity);
}

int risk_rule_reused(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	struct nhi_vec paths = NHI_VEC_INIT;
	struct nhi_inv_risk *risk;
	int error;

	if ((error = risk_location_paths(&paths, entity)) < 0 || paths.count < 2)
		goto done;
	if ((error = risk_begin(&risk, entity, rule)) < 0 || (error = risk_add_weight(risk, &reused)) < 0)
		goto done;
	for (size_t extra = 2; extra < paths.count && extra - 2 < MAX_REUSE_EXTRA && error == 0; extra++)
		error = risk_add_weight(risk, &reused_more);
	for (size_t i = 0; i < paths.count && i < RISK_MAX_EVIDENCE && error == 0; i++)
		error = model_risk_add_evidence(risk, "in %s", (const char *)paths.items[i]);
	if (error == 0 && paths.count > RISK_MAX_EVIDENCE)
		error = model_risk_add_evidence(risk, "and in %zu more files", paths.count - RISK_MAX_EVIDENCE);

done:
	nhi_vec_dispose_all(&paths, NULL);
	return error;
}

int risk_rule_shared_environments(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	const struct nhi_inv_field *environments = model_entity_field(entity, "environments");
	struct nhi_inv_risk *risk;
	int error;

	if (!environments || environments->values.count < 2 || !model_entity_has(entity, "environments", "production"))
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 || (error = risk_add_weight(risk, &shared_environments)) < 0)
		return error;
	for (size_t i = 0; i < environments->values.count && error == 0; i++)
		error = model_risk_add_evidence(risk, "used for %s", (const char *)environments->values.items[i]);
	if (error == 0)
		error = risk_add_locations(risk, entity);
	return error;
}

/* Add the long-lived weight with the alternative in its reason. */
static int add_long_lived(struct nhi_inv_risk *risk, const char *alternative)
{
	char reason[512];

	snprintf(reason, sizeof(reason), "%s, while %s", long_lived.reason, alternative);
	return model_risk_add_points(risk, long_lived.points, reason);
}

int risk_rule_long_lived_key(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	const char *alternative = NULL;
	struct nhi_inv_risk *risk;
	int error;

	if (!risk_is_long_lived_credential(entity, &alternative))
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 || (error = add_long_lived(risk, alternative)) < 0)
		return error;
	return model_risk_add_evidence(risk, "detected as %s", model_entity_get(entity, "detectors"));
}

/* A reference counts when a pipeline passes it: a job or workflow uses it. */
static bool is_used_by_pipeline(const struct risk_context *ctx, const struct nhi_inv_entity *entity)
{
	const struct nhi_vec *incoming = risk_incoming_links(ctx, entity->id);

	for (size_t i = 0; incoming && i < incoming->count; i++) {
		const struct risk_incoming *in = incoming->items[i];

		if (strcmp(in->type, NHI_LINK_USES) == 0 && (strcmp(in->source->kind, NHI_KIND_JOBS) == 0 ||
							      strcmp(in->source->kind, NHI_KIND_WORKFLOWS) == 0))
			return true;
	}
	return false;
}

int risk_rule_long_lived_reference(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	const char *alternative = NULL;
	struct nhi_inv_risk *risk;
	int error;

	if (!risk_is_long_lived_variable(entity->name, &alternative) || !is_used_by_pipeline(ctx, entity))
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 || (error = add_long_lived(risk, alternative)) < 0 ||
	    (error = model_risk_add_evidence(risk, "the name %s is the conventional variable of such a key", entity->name)) < 0)
		return error;
	return risk_add_users(ctx, risk, entity);
}

static bool has_link(const struct nhi_inv_entity *entity, const char *type)
{
	for (size_t i = 0; i < entity->links.count; i++)
		if (strcmp(((const struct nhi_inv_link *)entity->links.items[i])->type, type) == 0)
			return true;
	return false;
}

int risk_rule_no_owner(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	struct nhi_inv_risk *risk;
	int error;

	if (has_link(entity, NHI_LINK_OWNED_BY))
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 || (error = risk_add_weight(risk, &no_owner)) < 0 ||
	    (error = model_risk_add_evidence(risk, "no CODEOWNERS line matches its files and no commit that added it is known")) < 0)
		return error;
	return risk_add_locations(risk, entity);
}

int risk_rule_inactive_owner(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	struct nhi_inv_risk *risk = NULL;
	int error = 0;

	for (size_t i = 0; i < entity->links.count && error == 0; i++) {
		const struct nhi_inv_link *link = entity->links.items[i];
		const struct nhi_inv_entity *owner = model_inventory_find(ctx->inv, link->target);
		const char *active;

		if (strcmp(link->type, NHI_LINK_OWNED_BY) != 0 || !owner ||
		    !(active = model_entity_get(owner, "active")) || strcmp(active, "false") != 0)
			continue;
		if (!risk && ((error = risk_begin(&risk, entity, rule)) < 0 || (error = risk_add_weight(risk, &inactive_owner)) < 0))
			break;
		error = model_risk_add_evidence(risk, "owner %s (%s) has no commit in the window", owner->name, owner->id);
	}
	return error;
}
