/*
 * Risk scoring of an inventory. Each rule looks at one kind of entity and, when its condition
 * is met, adds a risk to that entity. A risk has an OWASP Non-Human Identities Top 10 (2025)
 * category, a score from 1 to 10 made of weighted reasons, and the evidence that led to it: the
 * places and the chain of links. Every weight is a named constant with its reason in the rule
 * files, and the reasons are written into the file, so a reviewer can see why a score is what
 * it is.
 *
 * The categories used: NHI1 improper offboarding, NHI2 secret leakage, NHI3 vulnerable
 * third-party NHI, NHI4 insecure authentication, NHI5 overprivileged NHI, NHI6 insecure cloud
 * deployment configurations, NHI7 long-lived secrets, NHI8 environment isolation, NHI9 NHI
 * reuse, NHI10 human use of NHI.
 */
#ifndef NHI_RISK_RISK_H
#define NHI_RISK_RISK_H

#include <stddef.h>

#include "model/inventory.h"
#include "util/vec.h"

/* An incoming link of an entity: the entity that stores a link to it, and the link's type. */
struct risk_incoming {
	const char *type;
	struct nhi_inv_entity *source;
};

struct risk_context {
	struct nhi_inventory *inv;
	struct model_idmap incoming; /* entity id -> struct nhi_vec * of struct risk_incoming * */
	struct nhi_vec storage;      /* what the map's values own, to free */
};

struct risk_rule {
	const char *id;        /* the risk id written into the entity, such as "nhi2-hard-coded" */
	const char *category;  /* "NHI2" */
	const char *title;
	const char *kind;      /* the entity kind it looks at */
	/* Add the risk to entity when the rule applies; 0 when it does not. */
	int (*apply)(struct risk_context *ctx, struct nhi_inv_entity *entity, const struct risk_rule *rule);
};

/* Run every rule on every entity of inv, then sort the risks. */
int risk_score_inventory(struct nhi_inventory *inv);

/* The rules, in the order they run. */
const struct risk_rule *risk_rules(size_t *count);

/* The links that point at id, or NULL when none does. */
const struct nhi_vec *risk_incoming_links(const struct risk_context *ctx, const char *id);

#endif
