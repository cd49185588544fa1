/*
 * Inventory comparison; see inventory_diff.h.
 */
#include "model/inventory_diff.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

static const char *const gated_kinds[] = {
	NHI_KIND_CREDENTIALS, NHI_KIND_REFERENCES, NHI_KIND_AGENTS, NHI_KIND_MCP_SERVERS, NHI_KIND_TOOLS,
	NHI_KIND_SERVICE_ACCOUNTS, NHI_KIND_OAUTH_CLIENTS, NHI_KIND_SCOPES,
};

bool model_inventory_kind_is_gated(const char *kind)
{
	for (size_t i = 0; i < sizeof(gated_kinds) / sizeof(gated_kinds[0]); i++)
		if (strcmp(kind, gated_kinds[i]) == 0)
			return true;
	return false;
}

static int add_change(struct nhi_vec *out, enum nhi_inv_change_type type, bool blocking,
		      const struct nhi_inv_entity *entity, const struct nhi_inv_risk *risk, int old_score)
{
	struct nhi_inv_change *change = calloc(1, sizeof(*change));
	int error;

	if (!change)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	change->type = type;
	change->blocking = blocking;
	change->entity = entity;
	change->risk = risk;
	change->old_score = old_score;
	if ((error = nhi_vec_push(out, change)) < 0)
		free(change);
	return error;
}

/* The risks of a new entity are new too: each one is reported, and each one blocks. */
static int diff_added(struct nhi_vec *out, const struct nhi_inv_entity *entity)
{
	int error = add_change(out, NHI_CHANGE_ADDED, model_inventory_kind_is_gated(entity->kind), entity, NULL, 0);

	for (size_t i = 0; i < entity->risks.count && error == 0; i++)
		error = add_change(out, NHI_CHANGE_RISK_ADDED, true, entity, entity->risks.items[i], 0);
	return error;
}

static int diff_risks(struct nhi_vec *out, const struct nhi_inv_entity *before, const struct nhi_inv_entity *now)
{
	int error = 0;

	for (size_t i = 0; i < now->risks.count && error == 0; i++) {
		const struct nhi_inv_risk *risk = now->risks.items[i];
		const struct nhi_inv_risk *old = model_entity_find_risk(before, risk->id);

		if (!old)
			error = add_change(out, NHI_CHANGE_RISK_ADDED, true, now, risk, 0);
		else if (risk->score > old->score)
			error = add_change(out, NHI_CHANGE_RISK_GREW, true, now, risk, old->score);
		else if (risk->score < old->score)
			error = add_change(out, NHI_CHANGE_RISK_SHRANK, false, now, risk, old->score);
	}
	for (size_t i = 0; i < before->risks.count && error == 0; i++) {
		const struct nhi_inv_risk *old = before->risks.items[i];

		if (!model_entity_find_risk(now, old->id))
			error = add_change(out, NHI_CHANGE_RISK_REMOVED, false, now, old, old->score);
	}
	return error;
}

int model_inventory_diff(struct nhi_vec *out, const struct nhi_inventory *committed, const struct nhi_inventory *current)
{
	int error = 0;

	for (size_t i = 0; i < current->entities.count && error == 0; i++) {
		const struct nhi_inv_entity *now = current->entities.items[i];
		const struct nhi_inv_entity *before = model_inventory_find(committed, now->id);

		error = before ? diff_risks(out, before, now) : diff_added(out, now);
	}
	for (size_t i = 0; i < committed->entities.count && error == 0; i++) {
		const struct nhi_inv_entity *before = committed->entities.items[i];

		if (!model_inventory_find(current, before->id))
			error = add_change(out, NHI_CHANGE_REMOVED, false, before, NULL, 0);
	}
	return error;
}
