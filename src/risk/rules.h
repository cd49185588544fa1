/*
 * The weight type, the helpers that add reasons and evidence, and the rule functions that
 * rules.c lists: what the rule files share. Private to src/risk/.
 */
#ifndef NHI_RISK_RULES_H
#define NHI_RISK_RULES_H

#include <stdbool.h>

#include "risk/risk.h"

/* Points that one reason adds to a score, and the reason, written as it appears in the file. */
struct risk_weight {
	int points;
	const char *reason;
};

/* Most evidence lines of one kind per risk; the rest is summed up in one line. */
#define RISK_MAX_EVIDENCE 8

/* Start the risk of rule on entity; *out receives it with score 0. */
int risk_begin(struct nhi_inv_risk **out, struct nhi_inv_entity *entity, const struct risk_rule *rule);

int risk_add_weight(struct nhi_inv_risk *risk, const struct risk_weight *weight);

/* Add the weight of a credential's severity (high or critical, medium), if any. */
int risk_add_severity(struct nhi_inv_risk *risk, const struct nhi_inv_entity *credential);

/* Add "at PATH:LINE" for each location, at most RISK_MAX_EVIDENCE of them. */
int risk_add_locations(struct nhi_inv_risk *risk, const struct nhi_inv_entity *entity);

/* Add who uses entity, directly or through the variables it is assigned to. */
int risk_add_users(struct risk_context *ctx, struct nhi_inv_risk *risk, const struct nhi_inv_entity *entity);

/* Write "MCP server 'github' (mcp-claude-code-github-1a2b3c4d)" into buf, NUL-terminated. */
const char *risk_describe(char *buf, size_t size, const struct nhi_inv_entity *entity);

/* The distinct paths of an entity's locations; the strings belong to the caller. */
int risk_location_paths(struct nhi_vec *out, const struct nhi_inv_entity *entity);

/* Return true when a detector of the credential starts with one of prefixes (NULL-terminated). */
bool risk_has_detector(const struct nhi_inv_entity *credential, const char *const *prefixes);

/* Return true when the field called name has the value "true". */
bool risk_is_true(const struct nhi_inv_entity *entity, const char *name);

/* The rules of rules_secrets.c. */
int risk_rule_hard_coded(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_leaked_in_history(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_reused(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_shared_environments(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_long_lived_key(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_long_lived_reference(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_no_owner(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_inactive_owner(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);

/* The rules of rules_config.c. */
int risk_rule_broad_scope(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_write_all_token(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_static_cloud_key(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_unpinned_action(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_unpinned_mcp_package(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_personal_token(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_plain_http(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
int risk_rule_unauthenticated_remote(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);

/* Long-lived key knowledge shared by NHI6 and NHI7: see rules_secrets.c. */
bool risk_is_long_lived_credential(const struct nhi_inv_entity *credential, const char **alternative);
bool risk_is_long_lived_variable(const char *name, const char **alternative);

#endif
