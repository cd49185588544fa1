/*
 * Comparing the committed inventory with the current one, for `nhiscan check`. Entities are
 * matched by id and risks by entity and risk id, so moved lines and reordered files are no
 * change. A change blocks (the check fails) when an identity or a risk appears or a risk's
 * score grows. It also blocks when an entity that a reviewer marked revoked is found in a file
 * of the working tree that its committed entry does not list. Removals and smaller scores are
 * reported but do not block, since they only make the repository safer than the committed file
 * records.
 */
#ifndef NHI_MODEL_INVENTORY_DIFF_H
#define NHI_MODEL_INVENTORY_DIFF_H

#include <stdbool.h>

#include "model/inventory.h"
#include "util/vec.h"

enum nhi_inv_change_type {
	NHI_CHANGE_ADDED,        /* an entity the committed file lacks */
	NHI_CHANGE_RISK_ADDED,   /* a risk the committed entity lacks */
	NHI_CHANGE_RISK_GREW,    /* a risk with a higher score than committed */
	NHI_CHANGE_RISK_SHRANK,
	NHI_CHANGE_RISK_REMOVED,
	NHI_CHANGE_REMOVED,      /* a committed entity that is gone */
	NHI_CHANGE_REAPPEARED,   /* an entity marked revoked, found in a file its entry does not list */
};

struct nhi_inv_change {
	enum nhi_inv_change_type type;
	bool blocking;
	const struct nhi_inv_entity *entity; /* the current entity; the committed one when removed */
	const struct nhi_inv_risk *risk;     /* the risk concerned, or NULL for entity changes */
	int old_score;                       /* the committed score of a risk that changed */
	const char *location;                /* where a revoked entity reappeared, else NULL */
};

/*
 * Append a struct nhi_inv_change * to out for every difference, current entities first in
 * inventory order, then removals. The changes point into both inventories, which must outlive
 * them; free them with free().
 */
int model_inventory_diff(struct nhi_vec *out, const struct nhi_inventory *committed, const struct nhi_inventory *current);

/*
 * Return true for the kinds whose new entities fail the check: credentials, references,
 * agents, MCP servers, tools, service accounts, OAuth clients and scopes. Workflows, jobs,
 * actions, providers and owners are context; their risks still count.
 */
bool model_inventory_kind_is_gated(const char *kind);

#endif
