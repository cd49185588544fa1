/*
 * Facts into entities and links, in two passes over the sorted facts. The first pass makes the
 * entity of every fact that is one (an agent, an MCP server, a workflow, a reference ...) and
 * indexes the facts by file and "type:key". The second resolves each fact's parent and adds the
 * links, which may point at facts later in the file: a reference sorts before the
 * mcp.credential it belongs to. See build.h for the joining rules.
 */
#include "model/build_private.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

struct fact_handler {
	const char *type;
	int (*make)(struct build_state *state, struct build_node *node);
	int (*link)(struct build_state *state, struct build_node *node);
};

/* Attribute names that are keys of an entry in the file; an attribute of that name is renamed. */
static const char *const reserved_names[] = { "id", "name", "status", "reason", "locations", "links", "risks" };

static bool has_prefix(const char *text, const char *prefix)
{
	return strncmp(text, prefix, strlen(prefix)) == 0;
}

static bool has_suffix(const char *text, const char *suffix)
{
	size_t len = strlen(text), n = strlen(suffix);

	return len >= n && strcmp(text + len - n, suffix) == 0;
}

static const char *attr_or(const struct nhi_fact *fact, const char *name, const char *fallback)
{
	const char *value = model_fact_get(fact, name);

	return value && *value ? value : fallback;
}

static size_t count_attribute(const struct nhi_fact *fact, const char *name)
{
	size_t count = 0;

	for (size_t i = 0; i < fact->attribute_count; i++)
		count += strcmp(fact->attributes[i].name, name) == 0;
	return count;
}

static void field_name_of(char *out, size_t size, const char *attribute)
{
	if (strcmp(attribute, "name") == 0) {
		snprintf(out, size, "display_name");
		return;
	}
	for (size_t i = 0; i < sizeof(reserved_names) / sizeof(reserved_names[0]); i++)
		if (strcmp(attribute, reserved_names[i]) == 0) {
			snprintf(out, size, "%s_attribute", attribute);
			return;
		}
	snprintf(out, size, "%s", attribute);
}

/* Copy a fact's attributes to fields: a repeated attribute becomes a list. */
static int copy_attributes(struct nhi_inv_entity *entity, const struct nhi_fact *fact)
{
	char name[128];
	int error = 0;

	for (size_t i = 0; i < fact->attribute_count && error == 0; i++) {
		const struct nhi_attribute *attr = &fact->attributes[i];

		/*
		 * The secret's identity belongs to its credential, not to the fact that contains it.
		 * Command-line arguments are left out: they are where a secret is passed by hand.
		 */
		if (strcmp(attr->name, "fingerprint") == 0 || strcmp(attr->name, "redacted") == 0 ||
		    strcmp(attr->name, "arg") == 0 || strcmp(attr->name, "args") == 0)
			continue;
		field_name_of(name, sizeof(name), attr->name);
		if (count_attribute(fact, attr->name) > 1)
			error = model_entity_add(entity, name, attr->value);
		else
			error = model_entity_set(entity, name, attr->value);
	}
	return error;
}

/* Add the entity of a fact: kind, an id from prefix, label and identity, the fact's place. */
static int make_entity(struct build_node *node, struct build_state *state, const char *kind, const char *prefix,
		       const char *label, const char *identity, const char *name)
{
	char *id = NULL;
	int error;

	if ((error = model_inventory_make_id(&id, prefix, label, identity)) < 0 ||
	    (error = model_inventory_add(&node->entity, state->inv, kind, id, name)) < 0 ||
	    (error = model_entity_add_location(node->entity, node->fact->path, node->fact->line, NULL)) < 0)
		goto done;
	error = copy_attributes(node->entity, node->fact);

done:
	free(id);
	return error;
}

/* Build "a" + separator + "b" in buf and make the entity. */
static int make_joined(struct build_node *node, struct build_state *state, const char *kind, const char *prefix,
		       const char *a, const char *b, const char *name)
{
	struct nhi_buf label = NHI_BUF_INIT, identity = NHI_BUF_INIT;
	int error;

	if ((error = nhi_buf_printf(&label, "%s-%s", a, b)) == 0 &&
	    (error = nhi_buf_printf(&identity, "%s/%s", a, b)) == 0)
		error = make_entity(node, state, kind, prefix, label.ptr, identity.ptr, name);
	nhi_buf_dispose(&label);
	nhi_buf_dispose(&identity);
	return error;
}

static int make_agent_config(struct build_state *state, struct build_node *node)
{
	const char *client = attr_or(node->fact, "client", "unknown");

	return make_entity(node, state, NHI_KIND_AGENTS, "agent", client, client, client);
}

/* An agent defined in code: named by its framework and its name. */
static int make_code_agent(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	const char *framework = attr_or(fact, "framework", attr_or(fact, "sdk", attr_or(fact, "client", "code")));
	const char *name = attr_or(fact, "name", fact->key);

	return make_joined(node, state, NHI_KIND_AGENTS, "agent", framework, name, name);
}

static int make_mcp_server(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	const char *client = attr_or(fact, "client", attr_or(fact, "framework", "code"));

	return make_joined(node, state, NHI_KIND_MCP_SERVERS, "mcp", client, fact->key, fact->key);
}

/* An MCP server that code connects to (an mcp.client fact): named by the server, its package or its command. */
static int make_mcp_client(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	const char *client = attr_or(fact, "framework", "code");
	const char *name = attr_or(fact, "server", attr_or(fact, "package", attr_or(fact, "command", fact->key)));

	return make_joined(node, state, NHI_KIND_MCP_SERVERS, "mcp", client, name, name);
}

static int make_tool(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	const char *name = attr_or(fact, "name", fact->key);

	return make_joined(node, state, NHI_KIND_TOOLS, "tool", fact->parent ? fact->parent : "", name, name);
}

static int make_workflow(struct build_state *state, struct build_node *node)
{
	return make_entity(node, state, NHI_KIND_WORKFLOWS, "wf", node->fact->key, node->fact->key, node->fact->key);
}

static int make_job(struct build_state *state, struct build_node *node)
{
	struct nhi_buf identity = NHI_BUF_INIT;
	int error;

	/* Job ids repeat across workflows ("build", "test"): the workflow's path makes them distinct. */
	if ((error = nhi_buf_printf(&identity, "%s#%s", node->fact->path, node->fact->key)) == 0)
		error = make_entity(node, state, NHI_KIND_JOBS, "job", node->fact->key, identity.ptr, node->fact->key);
	nhi_buf_dispose(&identity);
	return error;
}

/* One action per `uses:` text; it receives secrets or persists credentials when any use does. */
static int make_action(struct build_state *state, struct build_node *node)
{
	static const char *const any_use[] = { "receives_secrets", "persist_credentials" };
	int error;

	if ((error = make_entity(node, state, NHI_KIND_ACTIONS, "action", node->fact->key, node->fact->key,
				 node->fact->key)) < 0)
		return error;
	for (size_t i = 0; i < sizeof(any_use) / sizeof(any_use[0]) && error == 0; i++) {
		const char *value = model_fact_get(node->fact, any_use[i]);

		if (value && strcmp(value, "true") == 0)
			error = model_entity_put(node->entity, any_use[i], "true");
	}
	return error;
}

static int make_service_account(struct build_state *state, struct build_node *node)
{
	const char *system = attr_or(node->fact, "system", "ci");

	return make_joined(node, state, NHI_KIND_SERVICE_ACCOUNTS, "sa", system, node->fact->key, node->fact->key);
}

/* A scope entity, one per provider and scope wherever it is requested. */
static int add_scope_entity(struct nhi_inv_entity **out, struct build_state *state, const char *provider,
			    const char *scope, const struct nhi_fact *fact)
{
	struct nhi_buf label = NHI_BUF_INIT, identity = NHI_BUF_INIT;
	struct nhi_inv_entity *entity = NULL;
	char *id = NULL;
	int error;

	/* A scope URL (https://www.googleapis.com/auth/drive) is labelled by its last part. */
	if (strstr(scope, "://") && strrchr(scope, '/')[1])
		error = nhi_buf_printf(&label, "%s-%s", provider, strrchr(scope, '/') + 1);
	else
		error = nhi_buf_printf(&label, "%s-%s", provider, scope);
	if (error < 0 ||
	    (error = nhi_buf_printf(&identity, "%s:%s", provider, scope)) < 0 ||
	    (error = model_inventory_make_id(&id, "scope", label.ptr, identity.ptr)) < 0 ||
	    (error = model_inventory_add(&entity, state->inv, NHI_KIND_SCOPES, id, scope)) < 0 ||
	    (error = model_entity_add_location(entity, fact->path, fact->line, NULL)) < 0 ||
	    (error = model_entity_set(entity, "provider", provider)) < 0)
		goto done;
	*out = entity;

done:
	free(id);
	nhi_buf_dispose(&label);
	nhi_buf_dispose(&identity);
	return error;
}

static int make_scope(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	int error;

	if ((error = add_scope_entity(&node->entity, state, attr_or(fact, "provider", "unknown"), fact->key, fact)) < 0 ||
	    (error = model_entity_set(node->entity, "risk", model_fact_get(fact, "risk"))) < 0 ||
	    (error = model_entity_set(node->entity, "risk_reason", model_fact_get(fact, "reason"))) < 0)
		return error;
	return model_entity_add(node->entity, "sources", model_fact_get(fact, "source"));
}

static int make_reference(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	const char *name = model_fact_get(fact, "name");
	int error;

	if (!name || !*name)
		return 0;
	if ((error = build_reference(&node->entity, state, attr_or(fact, "store", "unknown"), name)) < 0)
		return error;
	return model_entity_add_location(node->entity, fact->path, fact->line, NULL);
}

/* Replace '.' and '-' of a fact type with c: "code.thing" gives section code_thing, prefix code-thing. */
static void convert_type(char *out, size_t size, const char *type, char c)
{
	snprintf(out, size, "%s", type);
	for (char *p = out; *p; p++)
		if (*p == '.' || *p == '-' || *p == '_')
			*p = c;
}

/* A fact of a type without a handler and without a parent: an entity in a section of its own. */
static int make_generic(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	struct nhi_buf identity = NHI_BUF_INIT;
	char section[128], prefix[128];
	int error;

	if (fact->parent)
		return 0;
	convert_type(section, sizeof(section), fact->type, '_');
	convert_type(prefix, sizeof(prefix), fact->type, '-');
	if ((error = nhi_buf_printf(&identity, "%s:%s", fact->type, fact->key)) == 0)
		error = make_entity(node, state, section, prefix, fact->key, identity.ptr, fact->key);
	nhi_buf_dispose(&identity);
	return error;
}

/* Any fact with a fingerprint: a place of that credential. */
static int make_credential(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	const char *fingerprint = model_fact_get(fact, "fingerprint");
	int error;

	if (!fingerprint || !*fingerprint)
		return 0;
	if ((error = build_credential(&node->credential, state, fingerprint)) < 0 ||
	    (error = model_entity_add_location(node->credential, fact->path, fact->line, NULL)) < 0 ||
	    (error = model_entity_set(node->credential, "redacted", model_fact_get(fact, "redacted"))) < 0)
		return error;
	return model_entity_add(node->credential, "detectors", fact->type);
}

/* Pass two: parents and links. */

static bool is_consumer(const struct nhi_inv_entity *entity)
{
	static const char *const passive[] = {
		NHI_KIND_CREDENTIALS, NHI_KIND_REFERENCES, NHI_KIND_SCOPES, NHI_KIND_PROVIDERS, NHI_KIND_OWNERS,
	};

	for (size_t i = 0; i < sizeof(passive) / sizeof(passive[0]); i++)
		if (strcmp(entity->kind, passive[i]) == 0)
			return false;
	return true;
}

/* The nearest entity above node, or NULL. */
static struct nhi_inv_entity *parent_entity(const struct build_node *node)
{
	for (const struct build_node *p = node->parent; p; p = p->parent)
		if (p->entity)
			return p->entity;
	return NULL;
}

/* The nearest entity above node that uses credentials: a job, an MCP server, an agent ... */
static struct nhi_inv_entity *consumer_of(const struct build_node *node)
{
	for (const struct build_node *p = node->parent; p; p = p->parent)
		if (p->entity && is_consumer(p->entity))
			return p->entity;
	return NULL;
}

/* The agents that code in path defines, or NULL. */
static const struct nhi_vec *code_agents_in(const struct build_state *state, const char *path)
{
	return model_idmap_get(&state->code_agents, path, strlen(path));
}

/*
 * Link user to what it uses. Without a user above the fact, the agents defined in the same
 * source file are taken as its users: code that reads OPENAI_API_KEY next to an agent
 * definition hands the key to that agent.
 */
static int link_user(struct build_state *state, const struct build_node *node, struct nhi_inv_entity *used)
{
	struct nhi_inv_entity *user = consumer_of(node);
	const struct nhi_vec *agents;
	int error = 0;

	if (user)
		return model_entity_link(user, NHI_LINK_USES, used->id);
	agents = code_agents_in(state, node->fact->path);
	for (size_t i = 0; agents && i < agents->count && error == 0; i++)
		error = model_entity_link(agents->items[i], NHI_LINK_USES, used->id);
	return error;
}

/* A child entity belongs to its parent's: an action is used by its job, others are defined in it. */
static int link_to_parent(struct build_state *state, struct build_node *node)
{
	struct nhi_inv_entity *parent = parent_entity(node);

	if (!node->entity || !parent)
		return 0;
	if (strcmp(node->entity->kind, NHI_KIND_ACTIONS) == 0 || strcmp(node->entity->kind, NHI_KIND_SERVICE_ACCOUNTS) == 0)
		return model_entity_link(parent, NHI_LINK_USES, node->entity->id);
	return model_entity_link(node->entity, NHI_LINK_DEFINED_IN, parent->id);
}

/* Key of the actions index: the file, the job or workflow, and the action's name. */
static int action_key(struct nhi_buf *out, const struct nhi_fact *fact, const char *action)
{
	const char *parent = fact->parent ? fact->parent : "";

	nhi_buf_clear(out);
	if (nhi_buf_put(out, fact->path, strlen(fact->path) + 1) < 0 || nhi_buf_put(out, parent, strlen(parent) + 1) < 0)
		return NHI_ENOMEM;
	return nhi_buf_puts(out, action);
}

/* Index an action by file, parent and name, so that the secrets passed to it find it. */
static int index_action(struct build_state *state, const struct build_node *node)
{
	struct nhi_buf key = NHI_BUF_INIT;
	int error;

	if ((error = action_key(&key, node->fact, attr_or(node->fact, "action", node->fact->key))) == 0 &&
	    !model_idmap_get(&state->actions, key.ptr, key.size))
		error = model_idmap_put(&state->actions, key.ptr, key.size, node->entity);
	nhi_buf_dispose(&key);
	return error;
}

/* The action that a secret of the same file and parent is passed to, or NULL. */
static struct nhi_inv_entity *find_action(const struct build_state *state, const struct build_node *secret,
					  const char *action)
{
	struct nhi_buf key = NHI_BUF_INIT;
	struct nhi_inv_entity *found = NULL;

	if (action_key(&key, secret->fact, action) == 0)
		found = model_idmap_get(&state->actions, key.ptr, key.size);
	nhi_buf_dispose(&key);
	return found;
}

/*
 * Link a reference to what the facts between it and its user name: the action a pipeline
 * secret is passed to, and the variable it is bound to under another name (GH_TOKEN: GH_PAT).
 */
static int link_reference_context(struct build_state *state, struct build_node *node)
{
	struct nhi_inv_entity *reference = node->entity, *variable, *action;
	int error = 0;

	for (struct build_node *p = node->parent; p && !(p->entity && is_consumer(p->entity)) && error == 0; p = p->parent) {
		const char *action_name = model_fact_get(p->fact, "action");
		const char *bound = model_fact_get(p->fact, "variable");

		if (action_name && (action = find_action(state, p, action_name)) != NULL &&
		    (error = model_entity_link(reference, NHI_LINK_EXPOSES_TO, action->id)) < 0)
			break;
		/* A fact of the code extractor names its entity's own variable (client = OpenAI(...)),
		 * not a second name of the credential. */
		if (!bound || !*bound || strcmp(bound, reference->name) == 0 ||
		    model_fact_get(p->fact, "language"))
			continue;
		if ((error = build_reference(&variable, state, "assignment", bound)) < 0 ||
		    (error = model_entity_add_location(variable, p->fact->path, p->fact->line, NULL)) < 0)
			break;
		error = model_entity_link(reference, NHI_LINK_ASSIGNED_TO, variable->id);
	}
	return error;
}

static int link_reference(struct build_state *state, struct build_node *node)
{
	int error;

	if (!node->entity)
		return 0;
	if ((error = link_user(state, node, node->entity)) < 0)
		return error;
	return link_reference_context(state, node);
}

/* The variable that a literal secret is the value of, from the fact that contains it. */
static const char *literal_variable(const struct nhi_fact *fact)
{
	const char *name = model_fact_get(fact, "variable");

	if (name && *name)
		return name;
	if ((name = model_fact_get(fact, "name")) != NULL && *name)
		return name;
	if (strcmp(fact->type, "ci.secret") == 0)
		return fact->key;
	if (has_prefix(fact->key, "env/"))
		return fact->key + 4;
	return NULL;
}

static int link_credential(struct build_state *state, struct build_node *node)
{
	struct nhi_inv_entity *credential = node->credential, *variable;
	const char *name;
	int error;

	if (!credential)
		return 0;
	if (node->entity && is_consumer(node->entity))
		error = model_entity_link(node->entity, NHI_LINK_USES, credential->id);
	else
		error = link_user(state, node, credential);
	if (error < 0 || !(name = literal_variable(node->fact)))
		return error;
	if ((error = build_reference(&variable, state, "assignment", name)) < 0 ||
	    (error = model_entity_add_location(variable, node->fact->path, node->fact->line, NULL)) < 0)
		return error;
	return model_entity_link(credential, NHI_LINK_ASSIGNED_TO, variable->id);
}

/* An MCP server lists the names of the credentials it is given, such as GITHUB_PERSONAL_ACCESS_TOKEN. */
static int link_mcp_credential(struct build_state *state, struct build_node *node)
{
	struct nhi_inv_entity *server = parent_entity(node);

	if (!server)
		return 0;
	return model_entity_add(server, "credentials", model_fact_get(node->fact, "name"));
}

/* Token permissions of a pipeline: a scope each, granted by the workflow or job. */
static int link_permissions(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	struct nhi_inv_entity *granter = parent_entity(node), *scope;
	const char *system = attr_or(fact, "system", "ci");
	const char *level = attr_or(fact, "level", "custom");
	int error = 0;

	if (!granter)
		return 0;
	for (size_t i = 0; i < fact->attribute_count && error == 0; i++) {
		const struct nhi_attribute *attr = &fact->attributes[i];
		bool whole = strcmp(attr->name, "level") == 0 && strcmp(level, "custom") != 0;

		if (!whole && strcmp(attr->name, "permission") != 0)
			continue;
		if ((error = add_scope_entity(&scope, state, system, attr->value, fact)) < 0 ||
		    (error = model_entity_add(scope, "sources", "ci-permissions")) < 0 ||
		    (error = model_entity_add(granter, "permissions", attr->value)) < 0)
			break;
		error = model_entity_link(granter, NHI_LINK_GRANTS, scope->id);
	}
	return error;
}

static int link_oidc(struct build_state *state, struct build_node *node)
{
	struct nhi_inv_entity *parent = parent_entity(node);

	return parent ? model_entity_put(parent, "oidc", "true") : 0;
}

/* A scope declared in an app manifest is requested by that app: an OAuth client of its own. */
static int link_scope(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	const char *source = attr_or(fact, "source", "text");
	const char *provider = attr_or(fact, "provider", "unknown");
	struct nhi_buf label = NHI_BUF_INIT, identity = NHI_BUF_INIT;
	struct nhi_inv_entity *client = NULL;
	char *id = NULL;
	int error;

	if (!node->entity || !has_suffix(source, "-manifest"))
		return 0;
	if ((error = nhi_buf_printf(&label, "%s-%s", provider, fact->path)) < 0 ||
	    (error = nhi_buf_printf(&identity, "%s/%s", provider, fact->path)) < 0 ||
	    (error = model_inventory_make_id(&id, "oauth", label.ptr, identity.ptr)) < 0 ||
	    (error = model_inventory_add(&client, state->inv, NHI_KIND_OAUTH_CLIENTS, id, fact->path)) < 0 ||
	    (error = model_entity_add_location(client, fact->path, 1, NULL)) < 0 ||
	    (error = model_entity_set(client, "provider", provider)) < 0 ||
	    (error = model_entity_set(client, "manifest", source)) < 0)
		goto done;
	error = model_entity_link(client, NHI_LINK_GRANTS, node->entity->id);

done:
	free(id);
	nhi_buf_dispose(&label);
	nhi_buf_dispose(&identity);
	return error;
}

/* A fact of a type without a handler, under a parent: its key goes to a list of the parent's. */
static int link_generic(struct build_state *state, struct build_node *node)
{
	struct nhi_inv_entity *parent = parent_entity(node);
	const char *dot = strrchr(node->fact->type, '.');
	char field[128];

	if (node->entity)
		return link_to_parent(state, node);
	if (!parent)
		return 0;
	convert_type(field, sizeof(field), dot ? dot + 1 : node->fact->type, '_');
	return model_entity_add(parent, field, node->fact->key);
}

/*
 * Credentials that a fact names by variable: credential_name (code passes os.environ["X"]), and
 * default_env when the SDK reads its variable by itself (credential: environment).
 */
static int link_named_credentials(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	const char *names[2] = { model_fact_get(fact, "credential_name"), NULL };
	const char *credential = model_fact_get(fact, "credential");
	struct nhi_inv_entity *reference;
	int error = 0;

	if (credential && strcmp(credential, "environment") == 0)
		names[1] = model_fact_get(fact, "default_env");
	for (size_t i = 0; i < 2 && error == 0; i++) {
		if (!names[i] || !*names[i])
			continue;
		if ((error = build_reference(&reference, state, "env", names[i])) < 0 ||
		    (error = model_entity_add_location(reference, fact->path, fact->line, NULL)) < 0)
			break;
		if (node->entity && is_consumer(node->entity))
			error = model_entity_link(node->entity, NHI_LINK_USES, reference->id);
		else
			error = link_user(state, node, reference);
	}
	return error;
}

/* The MCP server that code in path defines or connects to under name: its key, name, variable or package. */
static struct nhi_inv_entity *find_code_server(const struct build_state *state, const char *path, const char *name)
{
	for (size_t i = 0; i < state->nodes.count; i++) {
		const struct build_node *node = state->nodes.items[i];
		const struct nhi_fact *fact = node->fact;

		if (!node->entity || strcmp(node->entity->kind, NHI_KIND_MCP_SERVERS) != 0 || strcmp(fact->path, path) != 0)
			continue;
		if (strcmp(fact->key, name) == 0 || strcmp(attr_or(fact, "variable", ""), name) == 0 ||
		    strcmp(attr_or(fact, "name", ""), name) == 0 || strcmp(attr_or(fact, "server", ""), name) == 0 ||
		    strcmp(attr_or(fact, "package", ""), name) == 0)
			return node->entity;
	}
	return NULL;
}

/* An agent defined in code uses the MCP servers it is given (its mcp_server attributes). */
static int link_code_agent(struct build_state *state, struct build_node *node)
{
	const struct nhi_fact *fact = node->fact;
	int error;

	if ((error = link_to_parent(state, node)) < 0 || !node->entity)
		return error;
	for (size_t i = 0; i < fact->attribute_count && error == 0; i++) {
		struct nhi_inv_entity *server;

		if (strcmp(fact->attributes[i].name, "mcp_server") == 0 &&
		    (server = find_code_server(state, fact->path, fact->attributes[i].value)) != NULL)
			error = model_entity_link(node->entity, NHI_LINK_USES, server->id);
	}
	return error;
}

static const struct fact_handler handlers[] = {
	{ "agent.config", make_agent_config, link_to_parent },
	{ "agent.credential", NULL, NULL },
	{ "mcp.server", make_mcp_server, link_to_parent },
	{ "mcp.credential", NULL, link_mcp_credential },
	{ "mcp.client", make_mcp_client, link_to_parent },
	{ "model.client", NULL, NULL },
	{ "credential.reference", make_reference, link_reference },
	{ "ci.workflow", make_workflow, link_to_parent },
	{ "ci.job", make_job, link_to_parent },
	{ "ci.action", make_action, link_to_parent },
	{ "ci.secret", NULL, NULL },
	{ "ci.permissions", NULL, link_permissions },
	{ "ci.oidc", NULL, link_oidc },
	{ "ci.service-connection", make_service_account, link_to_parent },
	{ "oauth.scope", make_scope, link_scope },
};

static const struct fact_handler code_agent_handler = { "agent", make_code_agent, link_code_agent };
static const struct fact_handler code_mcp_handler = { "mcp.server", make_mcp_server, link_to_parent };
static const struct fact_handler tool_handler = { "tool", make_tool, link_to_parent };
static const struct fact_handler generic_handler = { "", make_generic, link_generic };

/*
 * The handler of a fact type. Types that new extractors may add are recognised by their shape,
 * so that they flow in without a change here. They are "tool" or "*.tool" (a tool of an agent
 * or a server), "agent" or "agent.*" (an agent defined in code), and "*.mcp.server".
 */
static const struct fact_handler *find_handler(const char *type)
{
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (strcmp(type, handlers[i].type) == 0)
			return &handlers[i];
	/* Tools first: "agent.tool" is a tool of an agent, not an agent. */
	if (strcmp(type, "tool") == 0 || has_suffix(type, ".tool"))
		return &tool_handler;
	if (strcmp(type, "agent") == 0 || has_prefix(type, "agent.") || has_suffix(type, ".agent"))
		return &code_agent_handler;
	if (has_suffix(type, ".mcp.server") || has_suffix(type, ".mcp-server"))
		return &code_mcp_handler;
	return &generic_handler;
}

/* Index keys: the path, a NUL, then "type:key", so that no path can run into a reference. */
static int index_key(struct nhi_buf *out, const char *path, const char *type, const char *key)
{
	nhi_buf_clear(out);
	if (nhi_buf_puts(out, path) < 0 || nhi_buf_putc(out, '\0') < 0)
		return NHI_ENOMEM;
	if (key)
		return nhi_buf_printf(out, "%s:%s", type, key);
	return nhi_buf_puts(out, type);
}

/* Append item to the vector stored under key in map, adding the vector when it is missing. */
static int index_push(struct build_state *state, struct model_idmap *map, const char *key, size_t len, void *item)
{
	struct nhi_vec *vec = model_idmap_get(map, key, len);
	int error;

	if (!vec) {
		if (!(vec = calloc(1, sizeof(*vec))))
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		if ((error = nhi_vec_push(&state->vectors, vec)) < 0) {
			free(vec);
			return error;
		}
		if ((error = model_idmap_put(map, key, len, vec)) < 0)
			return error;
	}
	return nhi_vec_push(vec, item);
}

static int add_node(struct build_state *state, const struct nhi_fact *fact, struct nhi_buf *key)
{
	struct build_node *node = calloc(1, sizeof(*node));
	const struct fact_handler *handler = find_handler(fact->type);
	int error;

	if (!node)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	node->fact = fact;
	if ((error = nhi_vec_push(&state->nodes, node)) < 0) {
		free(node);
		return error;
	}
	if ((error = index_key(key, fact->path, fact->type, fact->key)) < 0 ||
	    (error = index_push(state, &state->node_index, key->ptr, key->size, node)) < 0)
		return error;
	if (handler->make && (error = handler->make(state, node)) < 0)
		return error;
	if (handler == &code_agent_handler && node->entity)
		error = index_push(state, &state->code_agents, fact->path, strlen(fact->path), node->entity);
	if (error == 0 && strcmp(fact->type, "ci.action") == 0 && node->entity)
		error = index_action(state, node);
	if (error == 0)
		error = make_credential(state, node);
	return error;
}

static bool is_at_or_before(const struct nhi_fact *a, const struct nhi_fact *b)
{
	return a->line < b->line || (a->line == b->line && a->column <= b->column);
}

/*
 * Find the parent of node. A file may hold several facts with the same "type:key" (a secret
 * used by two jobs), so the nearest one at or before the child wins, else the first.
 */
static void resolve_parent(struct build_state *state, struct build_node *node, struct nhi_buf *key)
{
	const struct nhi_fact *fact = node->fact;
	const struct nhi_vec *candidates;
	struct build_node *best = NULL;

	if (!fact->parent || index_key(key, fact->path, fact->parent, NULL) < 0)
		return;
	if (!(candidates = model_idmap_get(&state->node_index, key->ptr, key->size)))
		return;
	for (size_t i = 0; i < candidates->count; i++) {
		struct build_node *candidate = candidates->items[i];

		if (candidate != node && is_at_or_before(candidate->fact, fact))
			best = candidate;
	}
	if (!best && ((struct build_node *)candidates->items[0]) != node)
		best = candidates->items[0];
	node->parent = best;
}

/* Drop a parent link that would close a loop, so that every walk up the parents ends. */
static void break_cycles(struct build_state *state)
{
	for (size_t i = 0; i < state->nodes.count; i++) {
		struct build_node *node = state->nodes.items[i];
		size_t steps = 0;

		for (struct build_node *p = node->parent; p; p = p->parent)
			if (p == node || ++steps > state->nodes.count) {
				node->parent = NULL;
				break;
			}
	}
}

int build_add_facts(struct build_state *state)
{
	const struct nhi_vec *facts = state->input->facts;
	const char *exclude = state->input->exclude_path;
	struct nhi_buf key = NHI_BUF_INIT;
	int error = 0;

	for (size_t i = 0; facts && i < facts->count && error == 0; i++) {
		const struct nhi_fact *fact = facts->items[i];

		if (!exclude || strcmp(fact->path, exclude) != 0)
			error = add_node(state, fact, &key);
	}
	for (size_t i = 0; i < state->nodes.count && error == 0; i++)
		resolve_parent(state, state->nodes.items[i], &key);
	break_cycles(state);
	for (size_t i = 0; i < state->nodes.count && error == 0; i++) {
		struct build_node *node = state->nodes.items[i];
		const struct fact_handler *handler = find_handler(node->fact->type);

		if ((handler->link && (error = handler->link(state, node)) < 0) ||
		    (error = link_named_credentials(state, node)) < 0)
			break;
		error = link_credential(state, node);
	}
	nhi_buf_dispose(&key);
	return error;
}
