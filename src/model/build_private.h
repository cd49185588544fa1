/*
 * The build state and the helpers shared by the parts of the inventory builder: build.c
 * (orchestration and secret findings), build_facts.c (facts), build_hints.c (references,
 * providers, environments, variable names), build_owners.c (owners) and build_scrub.c (the guard
 * against raw secrets). Private to src/model/.
 */
#ifndef NHI_MODEL_BUILD_PRIVATE_H
#define NHI_MODEL_BUILD_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/build.h"
#include "model/idmap.h"

/* One fact, with the entity it made (if any) and its parent fact in the same file. */
struct build_node {
	const struct nhi_fact *fact;
	struct nhi_inv_entity *entity;     /* the entity the fact stands for, or NULL */
	struct nhi_inv_entity *credential; /* the credential of its fingerprint, or NULL */
	struct build_node *parent;
};

struct build_state {
	struct nhi_inventory *inv;
	const struct model_build_input *input;
	struct nhi_vec nodes;           /* struct build_node *, in fact order */
	struct model_idmap node_index;  /* "path" NUL "type:key" -> struct nhi_vec * of nodes */
	struct model_idmap code_agents; /* path -> struct nhi_vec * of agents defined in code there */
	struct model_idmap actions;     /* path NUL parent NUL action name -> the action's entity */
	struct nhi_vec vectors;         /* struct nhi_vec *: the values of both maps, to free */
	struct nhi_vec provider_keys;   /* char *: input->providers normalised, in the same order */
};

/* Fill state->provider_keys from the input's provider names. */
int build_index_providers(struct build_state *state);

/* Facts: make the entities of the facts, then link them; see build_facts.c. */
int build_add_facts(struct build_state *state);

/* Find or add the reference entity for name in store; see build.h for how names are joined. */
int build_reference(struct nhi_inv_entity **out, struct build_state *state, const char *store, const char *name);

/* Find or add the credential entity of fingerprint. */
int build_credential(struct nhi_inv_entity **out, struct build_state *state, const char *fingerprint);

/* Return the provider name of the rule set that text names, or NULL (see build_hints.c). */
const char *build_resolve_provider(const struct build_state *state, const char *text);

/* Return the provider that a variable name mentions (GITHUB_TOKEN: GitHub), or NULL. */
const char *build_provider_of_name(const struct build_state *state, const char *name);

/* Set entity's provider field and link it with type to the provider's entity (added when missing). */
int build_link_provider(struct build_state *state, struct nhi_inv_entity *entity, const char *provider,
			const char *type);

/* Return the environment that a path is for ("production", "staging" ...), or NULL. */
const char *build_environment_of_path(const char *path);

/*
 * Find the variable that a value at line and column (1-based) of data is assigned to, as in
 * NAME=value, NAME: value, "NAME": "value" or a Kubernetes `- name: NAME` / `value: ...` pair.
 * Only names written like environment variables (upper case, digits and '_') count. Returns
 * false when there is none; out receives at most size - 1 characters.
 */
bool build_assignment_name(char *out, size_t size, const char *data, size_t len, size_t line, size_t column);

/* Owners from CODEOWNERS and from the commits that introduced credentials; see build_owners.c. */
int build_add_codeowners(struct build_state *state);
int build_add_commit_owner(struct build_state *state, struct nhi_inv_entity *credential,
			   const struct nhi_finding *finding);

/* Replace every word of a name or field that is a known credential by its redacted preview. */
int build_scrub_secrets(struct build_state *state);

/* Return true when the location ("path:line[@commit]") is in path. */
bool build_location_in(const char *location, const char *path);

#endif
