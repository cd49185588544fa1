/*
 * Rules on how configurations hand credentials out. They cover scopes and token permissions
 * (NHI5), stored cloud keys in pipelines that could use OIDC (NHI6), and third-party code on
 * movable versions that receives secrets (NHI3). They also cover personal tokens in automation
 * (NHI10) and remote MCP servers without transport security or authentication (NHI4).
 */
#include "risk/rules.h"
#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct risk_weight broad_scope = {
	6, "the scope data file rates it high",
};
static const struct risk_weight write_all_token = {
	6, "the pipeline token may push code, publish packages and change settings, while each job needs only part of that",
};
static const struct risk_weight static_cloud_key = {
	5, "the CI system can sign in with its own short-lived OIDC token, so a stored key is not needed",
};
static const struct risk_weight unpinned_action = {
	5, "a new commit on the movable ref runs with the secrets the job passes to it",
};
static const struct risk_weight unpinned_package = {
	5, "a new release of the package runs with the credentials the server is given",
};
static const struct risk_weight personal_token = {
	5, "a personal token acts with all of one person's access, is logged as that person and stops working when they leave",
};
static const struct risk_weight plain_http = {
	5, "requests, and any token in them, cross the network unencrypted and can be read or changed",
};
static const struct risk_weight plain_http_credentials = {
	2, "the server is given credentials, which travel in those requests",
};
static const struct risk_weight unauthenticated = {
	3, "the configuration gives no credential and no OAuth setting, so anyone who reaches the URL may use the server",
};

/* Detector ids that name tokens issued to a person rather than to an application. */
static const char *const personal_detectors[] = {
	"github.pat.", "gitlab.pat.", "azure.devops.personal-access-token", "azure.devops.legacy-personal-access-token",
	"circleci.api.personal-token", "digitalocean.api.personal-access-token", "linode.api.personal-access-token",
	"docker.hub.personal-access-token", "airtable.personal-access-token", "asana.personal-access-token",
	"figma.personal-access-token", "typeform.personal-access-token", "clickup.personal-token",
	"slack.user-token", "newrelic.user.api-key", "sentry.user.auth-token", "github.app.user-token", NULL,
};

static bool is_local_host(const char *host, size_t len)
{
	static const char *const local[] = { "localhost", "127.", "[::1]", "0.0.0.0" };

	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
		if (len >= strlen(local[i]) && strncasecmp(host, local[i], strlen(local[i])) == 0)
			return true;
	return false;
}

static bool is_plain_remote_url(const char *url)
{
	const char *host;

	if (!url)
		return false;
	if (strncasecmp(url, "http://", 7) == 0)
		host = url + 7;
	else if (strncasecmp(url, "ws://", 5) == 0)
		host = url + 5;
	else
		return false;
	return !is_local_host(host, strcspn(host, "/?#"));
}

/* True when a variable name marks a personal token with the word PAT or PERSONAL. */
static bool is_personal_name(const char *name)
{
	const char *p = name;

	while (p && *p) {
		size_t len;

		while (*p && !isalnum((unsigned char)*p))
			p++;
		len = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
		if ((len == 3 && strncasecmp(p, "pat", 3) == 0) || (len == 8 && strncasecmp(p, "personal", 8) == 0))
			return true;
		p += len;
	}
	return false;
}

/* Add "granted by ..." or "used by ..." for each entity that links to entity with type. */
static int add_incoming(struct risk_context *ctx, struct nhi_inv_risk *risk, const struct nhi_inv_entity *entity,
			const char *type, const char *verb)
{
	const struct nhi_vec *incoming = risk_incoming_links(ctx, entity->id);
	size_t written = 0;
	char description[512];
	int error = 0;

	for (size_t i = 0; incoming && i < incoming->count && error == 0; i++) {
		const struct risk_incoming *in = incoming->items[i];

		if (strcmp(in->type, type) == 0 && written++ < RISK_MAX_EVIDENCE)
			error = model_risk_add_evidence(risk, "%s %s", verb, risk_describe(description, sizeof(description), in->source));
	}
	return error;
}

int risk_rule_broad_scope(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	const char *level = model_entity_get(entity, "risk");
	const char *why = model_entity_get(entity, "risk_reason");
	struct nhi_inv_risk *risk;
	char reason[512];
	int error;

	if (!level || strcmp(level, "high") != 0)
		return 0;
	snprintf(reason, sizeof(reason), "%s%s%s", broad_scope.reason, why ? ": " : "", why ? why : "");
	if ((error = risk_begin(&risk, entity, rule)) < 0 ||
	    (error = model_risk_add_points(risk, broad_scope.points, reason)) < 0 ||
	    (error = add_incoming(ctx, risk, entity, NHI_LINK_GRANTS, "granted by")) < 0)
		return error;
	return risk_add_locations(risk, entity);
}

int risk_rule_write_all_token(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	struct nhi_inv_risk *risk;
	int error;

	if (!model_entity_has(entity, "permissions", "write-all"))
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 || (error = risk_add_weight(risk, &write_all_token)) < 0 ||
	    (error = model_risk_add_evidence(risk, "permissions: write-all")) < 0)
		return error;
	return risk_add_locations(risk, entity);
}

/* True when the job or workflow, or the workflow a job is defined in, requests an OIDC token. */
static bool uses_oidc(const struct risk_context *ctx, const struct nhi_inv_entity *entity)
{
	if (risk_is_true(entity, "oidc"))
		return true;
	for (size_t i = 0; i < entity->links.count; i++) {
		const struct nhi_inv_link *link = entity->links.items[i];
		const struct nhi_inv_entity *parent = model_inventory_find(ctx->inv, link->target);

		if (strcmp(link->type, NHI_LINK_DEFINED_IN) == 0 && parent && risk_is_true(parent, "oidc"))
			return true;
	}
	return false;
}

/* The long-lived key that a pipeline entity uses directly, or NULL. */
static const struct nhi_inv_entity *find_static_key(const struct risk_context *ctx, const struct nhi_inv_entity *entity,
						    const char **alternative)
{
	for (size_t i = 0; i < entity->links.count; i++) {
		const struct nhi_inv_link *link = entity->links.items[i];
		const struct nhi_inv_entity *used = model_inventory_find(ctx->inv, link->target);

		if (strcmp(link->type, NHI_LINK_USES) != 0 || !used)
			continue;
		if (strcmp(used->kind, NHI_KIND_REFERENCES) == 0 && risk_is_long_lived_variable(used->name, alternative))
			return used;
		if (strcmp(used->kind, NHI_KIND_CREDENTIALS) == 0 && risk_is_long_lived_credential(used, alternative))
			return used;
	}
	return NULL;
}

int risk_rule_static_cloud_key(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	const char *alternative = NULL;
	const struct nhi_inv_entity *key = find_static_key(ctx, entity, &alternative);
	struct nhi_inv_risk *risk;
	char description[512];
	int error;

	if (!key || uses_oidc(ctx, entity))
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 || (error = risk_add_weight(risk, &static_cloud_key)) < 0 ||
	    (error = model_risk_add_evidence(risk, "uses %s", risk_describe(description, sizeof(description), key))) < 0 ||
	    (error = model_risk_add_evidence(risk, "no OIDC token is requested (permissions id-token: write)")) < 0)
		return error;
	return model_risk_add_evidence(risk, "instead: %s", alternative);
}

int risk_rule_unpinned_action(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	const char *ref = model_entity_get(entity, "ref");
	struct nhi_inv_risk *risk;
	int error;

	if (!risk_is_true(entity, "third_party") || !risk_is_true(entity, "receives_secrets") ||
	    model_entity_has(entity, "pinned", "true"))
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 || (error = risk_add_weight(risk, &unpinned_action)) < 0 ||
	    (error = model_risk_add_evidence(risk, "referenced by the movable ref '%s'", ref ? ref : "")) < 0 ||
	    (error = add_incoming(ctx, risk, entity, NHI_LINK_EXPOSES_TO, "receives")) < 0)
		return error;
	return add_incoming(ctx, risk, entity, NHI_LINK_USES, "run by");
}

/* True when an MCP server is given a credential: one it uses, or a credential field it names. */
static bool is_given_credentials(const struct risk_context *ctx, const struct nhi_inv_entity *server)
{
	if (model_entity_field(server, "credentials"))
		return true;
	for (size_t i = 0; i < server->links.count; i++) {
		const struct nhi_inv_link *link = server->links.items[i];
		const struct nhi_inv_entity *used = model_inventory_find(ctx->inv, link->target);

		if (strcmp(link->type, NHI_LINK_USES) == 0 && used &&
		    (strcmp(used->kind, NHI_KIND_CREDENTIALS) == 0 || strcmp(used->kind, NHI_KIND_REFERENCES) == 0))
			return true;
	}
	return false;
}

/* Add "given NAME" for each credential name the server lists. */
static int add_credential_names(struct nhi_inv_risk *risk, const struct nhi_inv_entity *server)
{
	const struct nhi_inv_field *names = model_entity_field(server, "credentials");
	int error = 0;

	for (size_t i = 0; names && i < names->values.count && error == 0; i++)
		error = model_risk_add_evidence(risk, "given %s", (const char *)names->values.items[i]);
	return error;
}

int risk_rule_unpinned_mcp_package(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	const char *package = model_entity_get(entity, "package");
	struct nhi_inv_risk *risk;
	int error;

	if (!package || !model_entity_has(entity, "pinned", "false") || !is_given_credentials(ctx, entity))
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 || (error = risk_add_weight(risk, &unpinned_package)) < 0 ||
	    (error = model_risk_add_evidence(risk, "runs %s from %s without an exact version", package,
					     model_entity_get(entity, "ecosystem") ? model_entity_get(entity, "ecosystem") : "a registry")) < 0)
		return error;
	return add_credential_names(risk, entity);
}

/* True when a credential, or a reference holding one, is a personal token. */
static bool is_personal(const struct risk_context *ctx, const struct nhi_inv_entity *used)
{
	const struct nhi_vec *incoming;

	if (strcmp(used->kind, NHI_KIND_CREDENTIALS) == 0)
		return risk_has_detector(used, personal_detectors);
	if (strcmp(used->kind, NHI_KIND_REFERENCES) != 0)
		return false;
	if (is_personal_name(used->name))
		return true;
	/* GITHUB_TOKEN=ghp_... in a .env file: the variable contains a personal token. */
	incoming = risk_incoming_links(ctx, used->id);
	for (size_t i = 0; incoming && i < incoming->count; i++) {
		const struct risk_incoming *in = incoming->items[i];

		if (strcmp(in->type, NHI_LINK_ASSIGNED_TO) == 0 && strcmp(in->source->kind, NHI_KIND_CREDENTIALS) == 0 &&
		    risk_has_detector(in->source, personal_detectors))
			return true;
	}
	return false;
}

/* Start the risk on first use, then add one evidence line. */
static int add_personal_evidence(struct nhi_inv_risk **risk, struct nhi_inv_entity *entity, const struct risk_rule *rule,
				 const char *used)
{
	int error;

	if (!*risk && ((error = risk_begin(risk, entity, rule)) < 0 || (error = risk_add_weight(*risk, &personal_token)) < 0))
		return error;
	return model_risk_add_evidence(*risk, "uses %s", used);
}

int risk_rule_personal_token(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	const struct nhi_inv_field *names = model_entity_field(entity, "credentials");
	struct nhi_inv_risk *risk = NULL;
	char description[512];
	int error = 0;

	for (size_t i = 0; i < entity->links.count && error == 0; i++) {
		const struct nhi_inv_link *link = entity->links.items[i];
		const struct nhi_inv_entity *used = model_inventory_find(ctx->inv, link->target);

		if (strcmp(link->type, NHI_LINK_USES) == 0 && used && is_personal(ctx, used))
			error = add_personal_evidence(&risk, entity, rule, risk_describe(description, sizeof(description), used));
	}
	for (size_t i = 0; names && i < names->values.count && error == 0; i++)
		if (is_personal_name(names->values.items[i]))
			error = add_personal_evidence(&risk, entity, rule, names->values.items[i]);
	return error;
}

int risk_rule_plain_http(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	const char *url = model_entity_get(entity, "url");
	struct nhi_inv_risk *risk;
	int error;

	if (!is_plain_remote_url(url))
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 || (error = risk_add_weight(risk, &plain_http)) < 0)
		return error;
	if (is_given_credentials(ctx, entity) && (error = risk_add_weight(risk, &plain_http_credentials)) < 0)
		return error;
	if ((error = model_risk_add_evidence(risk, "url %s", url)) < 0)
		return error;
	return add_credential_names(risk, entity);
}

int risk_rule_unauthenticated_remote(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule)
{
	const char *url = model_entity_get(entity, "url");
	const char *auth = model_entity_get(entity, "auth");
	struct nhi_inv_risk *risk;
	int error;

	if (!url || !auth || strcmp(auth, "none") != 0)
		return 0;
	if ((error = risk_begin(&risk, entity, rule)) < 0 || (error = risk_add_weight(risk, &unauthenticated)) < 0)
		return error;
	return model_risk_add_evidence(risk, "url %s with auth: none", url);
}
