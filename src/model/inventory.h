/*
 * The NHI inventory: the machine identities of a repository as entities with stable ids, their
 * locations, the links between them and the risks scored on them. model/build.h fills it from a
 * scan, src/risk/ scores it, src/output/ writes it, and model_inventory_load() reads a written
 * one back, so that reviewer decisions survive regeneration and `check` can compare.
 *
 * Invariants, which every writer relies on to produce a byte-identical file from the same
 * repository:
 *   - an id is derived from content (a fingerprint, a name, a path), never from a line number;
 *   - after model_inventory_finalize(), entities are ordered by kind (the section order of
 *     model_inventory_kind_rank()) and id, and inside each entity the fields by name, list
 *     values, locations, links and risks are sorted and free of duplicates;
 *   - links are stored on one end only, the entity that a change in the repository adds, so
 *     that adding a credential changes no other entity's entry (see docs/INVENTORY.md);
 *   - no string contains a raw secret: credentials carry a fingerprint and a redacted preview.
 */
#ifndef NHI_MODEL_INVENTORY_H
#define NHI_MODEL_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "model/idmap.h"
#include "util/vec.h"

/* The schema version written in every inventory file; readers reject other versions. */
#define NHI_INVENTORY_SCHEMA 1

/* Hex digits of a fingerprint kept in a credential id: 48 bits, readable and still unique. */
#define NHI_CREDENTIAL_ID_HEX 12

/* Highest risk score; the points of a risk's reasons are added and capped here. */
#define NHI_RISK_MAX_SCORE 10

/* Sections of the file, one per entity kind, in the order they are written. */
#define NHI_KIND_AGENTS "agents"
#define NHI_KIND_MCP_SERVERS "mcp_servers"
#define NHI_KIND_TOOLS "tools"
#define NHI_KIND_CREDENTIALS "credentials"
#define NHI_KIND_REFERENCES "references"
#define NHI_KIND_SERVICE_ACCOUNTS "service_accounts"
#define NHI_KIND_OAUTH_CLIENTS "oauth_clients"
#define NHI_KIND_SCOPES "scopes"
#define NHI_KIND_PROVIDERS "providers"
#define NHI_KIND_WORKFLOWS "workflows"
#define NHI_KIND_JOBS "jobs"
#define NHI_KIND_ACTIONS "actions"
#define NHI_KIND_OWNERS "owners"

/* Link types: each link points from the entity that stores it to the entity it names. */
#define NHI_LINK_USES "uses"
#define NHI_LINK_GRANTS "grants"
#define NHI_LINK_EXPOSES_TO "exposes_to"
#define NHI_LINK_DEFINED_IN "defined_in"
#define NHI_LINK_OWNED_BY "owned_by"
#define NHI_LINK_ISSUED_BY "issued_by"
#define NHI_LINK_ASSIGNED_TO "assigned_to"

/* A named attribute of an entity: one value, or a sorted list of distinct values. */
struct nhi_inv_field {
	char *name;
	bool list;
	struct nhi_vec values; /* char * */
};

struct nhi_inv_link {
	char *type;
	char *target; /* an entity id */
};

/* A risk of one entity, with the points behind its score and the entities and places involved. */
struct nhi_inv_risk {
	char *id;                /* unique within its entity, such as "nhi2-hard-coded" */
	char *category;          /* OWASP Non-Human Identities Top 10 (2025): "NHI1" ... "NHI10" */
	char *title;
	int score;               /* 1 to NHI_RISK_MAX_SCORE */
	struct nhi_vec reasons;  /* char *: "+5: why these points" */
	struct nhi_vec evidence; /* char *: one step of the chain each */
	char *status;            /* a reviewer decision: "accepted", "revoked", or NULL */
	char *reason;            /* why the reviewer decided so */
	size_t line;             /* line in the file it was read from, else 0 */
};

struct nhi_inv_entity {
	char *id;
	char *kind;              /* the section: one of NHI_KIND_*, or another name for new kinds */
	char *name;
	char *status;            /* a reviewer decision: "accepted", "revoked", or NULL */
	char *reason;
	struct nhi_vec fields;   /* struct nhi_inv_field * */
	struct nhi_vec locations; /* char *: "path:line", or "path:line@commit" from history */
	struct nhi_vec links;    /* struct nhi_inv_link * */
	struct nhi_vec risks;    /* struct nhi_inv_risk * */
	size_t line;             /* line of the entry in the file it was read from, else 0 */
};

struct nhi_inventory {
	int schema;
	char *scan;              /* "worktree", or "worktree+history" for an inventory built with --git */
	char *generated;         /* a time stamp when one was requested, else NULL */
	struct nhi_vec entities; /* struct nhi_inv_entity * */
	struct model_idmap by_id;
};

void model_inventory_init(struct nhi_inventory *inv);
void model_inventory_dispose(struct nhi_inventory *inv);

/* Return the entity with id, or NULL. */
struct nhi_inv_entity *model_inventory_find(const struct nhi_inventory *inv, const char *id);

/*
 * Find the entity with id, or add one of kind with that id and name; *out receives it. An
 * existing entity keeps its kind and its name unless it had none.
 */
int model_inventory_add(struct nhi_inv_entity **out, struct nhi_inventory *inv, const char *kind,
			const char *id, const char *name);

/* Sort everything as the invariants above require; call once the inventory is complete. */
void model_inventory_finalize(struct nhi_inventory *inv);

/* Position of a kind's section: known kinds in a fixed order, other kinds after them. */
int model_inventory_kind_rank(const char *kind);

/* The singular noun for a kind in messages ("credential", "MCP server"). */
const char *model_inventory_kind_label(const char *kind);

/* Set a one-value field; the first value set wins, so that sorted input decides. */
int model_entity_set(struct nhi_inv_entity *entity, const char *name, const char *value);

/* Set a one-value field, replacing the value it had. */
int model_entity_put(struct nhi_inv_entity *entity, const char *name, const char *value);

/* Add value to a list field; a value already there is not added twice. */
int model_entity_add(struct nhi_inv_entity *entity, const char *name, const char *value);

/* Return the field called name, or NULL. */
const struct nhi_inv_field *model_entity_field(const struct nhi_inv_entity *entity, const char *name);

/* Return the first value of the field called name, or NULL. */
const char *model_entity_get(const struct nhi_inv_entity *entity, const char *name);

/* Return true when the field called name contains value. */
bool model_entity_has(const struct nhi_inv_entity *entity, const char *name, const char *value);

/* Add a location "path:line", or "path:line@commit" when commit is not NULL. */
int model_entity_add_location(struct nhi_inv_entity *entity, const char *path, size_t line,
			      const char *commit);

/* Add a link of type to the entity with id target; a link already there is not added twice. */
int model_entity_link(struct nhi_inv_entity *entity, const char *type, const char *target);

/* Return true when entity holds a link of type to target; type NULL matches any type. */
bool model_entity_links_to(const struct nhi_inv_entity *entity, const char *type, const char *target);

/* Add a risk with score 0; *out receives it and belongs to the entity. */
int model_entity_add_risk(struct nhi_inv_risk **out, struct nhi_inv_entity *entity, const char *id,
			  const char *category, const char *title);

/* Return the risk with id, or NULL. */
struct nhi_inv_risk *model_entity_find_risk(const struct nhi_inv_entity *entity, const char *id);

/* Add points to the score (capped at NHI_RISK_MAX_SCORE) and record "+points: reason". */
int model_risk_add_points(struct nhi_inv_risk *risk, int points, const char *reason);

/* Append one printf-style evidence line. */
int model_risk_add_evidence(struct nhi_inv_risk *risk, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* Replace *slot with a copy of value (NULL clears it). */
int model_inventory_set_string(char **slot, const char *value);

/*
 * Write an id to *out. It is prefix-identity when identity is short and made of letters,
 * digits, '.', '_' and '-' only. Otherwise it is prefix-slug-hash: slug is label in lower case
 * with other characters turned into '-' and cut at 40 characters, and hash is 8 hex digits of
 * the SHA-256 of identity. The slug keeps ids readable in diffs, and the hash keeps them distinct.
 */
int model_inventory_make_id(char **out, const char *prefix, const char *label, const char *identity);

/* Write the id of the credential with fingerprint, "cred-" and its first hex digits. */
int model_inventory_credential_id(char **out, const char *fingerprint);

/*
 * Read an inventory file. A syntax error, another schema version or an entry without an id
 * fails with NHI_EINVALID and the message "path:line: problem". A file with merge conflict
 * markers (<<<<<<<, |||||||, =======, >>>>>>>) reads as the union of both sides, matched by
 * entry id, so that regenerating after a conflicted merge keeps the decisions of both.
 */
int model_inventory_load(struct nhi_inventory *out, const char *path, const char *data, size_t len);

/*
 * Check that every reviewer decision (a status on an entity or a risk) has a reason. Fails with
 * NHI_EINVALID and "path:line: ..." naming the first entry without one. model_inventory_load()
 * does not check this, so that callers that only read the file, like the sweep, accept it.
 */
int model_inventory_check_decisions(const struct nhi_inventory *inv, const char *path);

/*
 * Copy the reviewer decisions (status and reason of entities and of their risks) of old into
 * inv, matching entities by id and risks by entity and risk id. Decisions on entities or risks
 * that inv no longer has are dropped.
 */
int model_inventory_apply_decisions(struct nhi_inventory *inv, const struct nhi_inventory *old);

#endif
