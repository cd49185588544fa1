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
		      const struct nhi_inv_entity *entity, const struct nhi_inv_risk *risk, int old_score,
		      const char *location)
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
	change->location = location;
	if ((error = nhi_vec_push(out, change)) < 0)
		free(change);
	return error;
}

/* The risks of a new entity are new too: each one is reported, and each one blocks. */
static int diff_added(struct nhi_vec *out, const struct nhi_inv_entity *entity)
{
	int error = add_change(out, NHI_CHANGE_ADDED, model_inventory_kind_is_gated(entity->kind), entity, NULL, 0, NULL);

	for (size_t i = 0; i < entity->risks.count && error == 0; i++)
		error = add_change(out, NHI_CHANGE_RISK_ADDED, true, entity, entity->risks.items[i], 0, NULL);
	return error;
}

static int diff_risks(struct nhi_vec *out, const struct nhi_inv_entity *before, const struct nhi_inv_entity *now)
{
	int error = 0;

	for (size_t i = 0; i < now->risks.count && error == 0; i++) {
		const struct nhi_inv_risk *risk = now->risks.items[i];
		const struct nhi_inv_risk *old = model_entity_find_risk(before, risk->id);

		if (!old)
			error = add_change(out, NHI_CHANGE_RISK_ADDED, true, now, risk, 0, NULL);
		else if (risk->score > old->score)
			error = add_change(out, NHI_CHANGE_RISK_GREW, true, now, risk, old->score, NULL);
		else if (risk->score < old->score)
			error = add_change(out, NHI_CHANGE_RISK_SHRANK, false, now, risk, old->score, NULL);
	}
	for (size_t i = 0; i < before->risks.count && error == 0; i++) {
		const struct nhi_inv_risk *old = before->risks.items[i];

		if (!model_entity_find_risk(now, old->id))
			error = add_change(out, NHI_CHANGE_RISK_REMOVED, false, now, old, old->score, NULL);
	}
	return error;
}

/*
 * Store in *path_len the length of the path of a location, "path:line" in the working tree or
 * "path:line@commit" in the history, and return true for a working-tree location. A path may
 * contain '@' and ':' itself, so the suffixes are matched from the end.
 */
static bool split_location(const char *location, size_t *path_len)
{
	size_t end = strlen(location);
	const char *at = strrchr(location, '@');
	bool history = at && at[1] && strspn(at + 1, "0123456789abcdef") == strlen(at + 1);
	size_t digits;

	if (history)
		end = (size_t)(at - location);
	digits = end;
	while (digits > 0 && location[digits - 1] >= '0' && location[digits - 1] <= '9')
		digits--;
	*path_len = digits < end && digits > 0 && location[digits - 1] == ':' ? digits - 1 : end;
	return !history;
}

/* Return true when entity lists a working-tree location in the file of path[0, len). */
static bool lists_file(const struct nhi_inv_entity *entity, const char *path, size_t len)
{
	for (size_t i = 0; i < entity->locations.count; i++) {
		const char *location = entity->locations.items[i];
		size_t other_len;

		if (split_location(location, &other_len) && other_len == len && memcmp(location, path, len) == 0)
			return true;
	}
	return false;
}

/*
 * A revoked credential that is written into a file again is either not revoked after all or
 * copied from old code, so it blocks like a new one. Moved lines and history locations (a
 * revoked secret stays in the history) are not a reappearance.
 */
static int diff_revoked(struct nhi_vec *out, const struct nhi_inv_entity *before, const struct nhi_inv_entity *now)
{
	if (!before->status || strcmp(before->status, "revoked") != 0)
		return 0;
	for (size_t i = 0; i < now->locations.count; i++) {
		const char *location = now->locations.items[i];
		size_t len;

		if (split_location(location, &len) && !lists_file(before, location, len))
			return add_change(out, NHI_CHANGE_REAPPEARED, true, now, NULL, 0, location);
	}
	return 0;
}

int model_inventory_diff(struct nhi_vec *out, const struct nhi_inventory *committed, const struct nhi_inventory *current)
{
	int error = 0;

	for (size_t i = 0; i < current->entities.count && error == 0; i++) {
		const struct nhi_inv_entity *now = current->entities.items[i];
		const struct nhi_inv_entity *before = model_inventory_find(committed, now->id);

		if (!before) {
			error = diff_added(out, now);
			continue;
		}
		if ((error = diff_revoked(out, before, now)) == 0)
			error = diff_risks(out, before, now);
	}
	for (size_t i = 0; i < committed->entities.count && error == 0; i++) {
		const struct nhi_inv_entity *before = committed->entities.items[i];

		if (!model_inventory_find(current, before->id))
			error = add_change(out, NHI_CHANGE_REMOVED, false, before, NULL, 0, NULL);
	}
	return error;
}
