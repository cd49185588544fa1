/*
 * Owners: the CODEOWNERS owners of the files where an identity is defined, and the author of
 * the commit that introduced a credential. An owner is one entity per handle or e-mail address
 * (compared in lower case), linked from what it owns, so that adding a credential adds a link
 * to its own entry and changes no owner's entry.
 */
#include "model/build_private.h"
#include "util/buf.h"
#include "util/error.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The kinds that are an identity or define one, and so need an owner to rotate or revoke them. */
static const char *const owned_kinds[] = {
	NHI_KIND_AGENTS, NHI_KIND_MCP_SERVERS, NHI_KIND_TOOLS, NHI_KIND_CREDENTIALS,
	NHI_KIND_SERVICE_ACCOUNTS, NHI_KIND_OAUTH_CLIENTS, NHI_KIND_WORKFLOWS,
};

static bool is_owned_kind(const char *kind)
{
	for (size_t i = 0; i < sizeof(owned_kinds) / sizeof(owned_kinds[0]); i++)
		if (strcmp(kind, owned_kinds[i]) == 0)
			return true;
	return false;
}

bool build_location_in(const char *location, const char *path)
{
	size_t len = strlen(path);

	return strncmp(location, path, len) == 0 && location[len] == ':';
}

static int lowercase_copy(char **out, const char *text)
{
	char *copy = strdup(text);

	if (!copy)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (char *p = copy; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	*out = copy;
	return 0;
}

/* Find or add the owner named by a handle (@user, @org/team) or an e-mail address. */
static int add_owner(struct nhi_inv_entity **out, struct build_state *state, const char *owner)
{
	struct nhi_inv_entity *entity = NULL;
	char *identity = NULL, *id = NULL;
	int error;

	if ((error = lowercase_copy(&identity, owner)) < 0 ||
	    (error = model_inventory_make_id(&id, "owner", owner[0] == '@' ? owner + 1 : owner, identity)) < 0 ||
	    (error = model_inventory_add(&entity, state->inv, NHI_KIND_OWNERS, id, owner)) < 0)
		goto done;
	error = model_entity_set(entity, owner[0] == '@' ? "handle" : "email", owner);
	if (error == 0)
		*out = entity;

done:
	free(identity);
	free(id);
	return error;
}

/* The path of a location: "app/x.py:3@1a2b" gives "app/x.py". */
static int location_path(char **out, const char *location)
{
	const char *colon = strrchr(location, ':');
	char *path = colon ? strndup(location, (size_t)(colon - location)) : strdup(location);

	if (!path)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	*out = path;
	return 0;
}

static int link_codeowners_of(struct build_state *state, struct nhi_inv_entity *entity)
{
	const struct model_codeowners *codeowners = state->input->codeowners;
	int error = 0;

	for (size_t i = 0; i < entity->locations.count && error == 0; i++) {
		const struct model_codeowners_rule *rule;
		char *path = NULL;

		if ((error = location_path(&path, entity->locations.items[i])) < 0)
			break;
		rule = model_codeowners_match(codeowners, path);
		free(path);
		for (size_t j = 0; rule && j < rule->owners.count && error == 0; j++) {
			struct nhi_inv_entity *owner;

			if ((error = add_owner(&owner, state, rule->owners.items[j])) < 0 ||
			    (error = model_entity_add(owner, "sources", "codeowners")) < 0)
				break;
			error = model_entity_link(entity, NHI_LINK_OWNED_BY, owner->id);
		}
	}
	return error;
}

int build_add_codeowners(struct build_state *state)
{
	const struct model_codeowners *codeowners = state->input->codeowners;
	size_t count = state->inv->entities.count;
	int error = 0;

	if (!codeowners || codeowners->rules.count == 0)
		return 0;
	/* Owners are added while the loop runs; they are not owned by anyone, so the count is fixed. */
	for (size_t i = 0; i < count && error == 0; i++) {
		struct nhi_inv_entity *entity = state->inv->entities.items[i];

		if (is_owned_kind(entity->kind))
			error = link_codeowners_of(state, entity);
	}
	return error;
}

int build_add_commit_owner(struct build_state *state, struct nhi_inv_entity *credential,
			   const struct nhi_finding *finding)
{
	struct nhi_inv_entity *owner;
	int error;

	if (!finding->email || !*finding->email)
		return 0;
	if ((error = add_owner(&owner, state, finding->email)) < 0 ||
	    (error = model_entity_set(owner, "author", finding->author)) < 0 ||
	    (error = model_entity_add(owner, "sources", "commit")) < 0)
		return error;
	return model_entity_link(credential, NHI_LINK_OWNED_BY, owner->id);
}
