/*
 * Facts of the code extractor: one per entity (mcp.server, mcp.client, agent, model.client),
 * one mcp.tool per tool of a server, and one agent.tool per function that a decorator or an
 * annotation declares as a tool. A literal credential is kept as its fingerprint only, and the
 * command line of an MCP client contains redacted previews in place of credentials.
 */
#include "extract/code_internal.h"
#include "model/secret.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static const char *type_name(enum code_entity_kind kind)
{
	switch (kind) {
	case CODE_MCP_SERVER: return "mcp.server";
	case CODE_MCP_CLIENT: return "mcp.client";
	case CODE_AGENT: return "agent";
	default: return "model.client";
	}
}

static const char *credential_name(enum code_credential credential)
{
	switch (credential) {
	case CODE_CREDENTIAL_LITERAL: return "literal";
	case CODE_CREDENTIAL_REFERENCE: return "reference";
	case CODE_CREDENTIAL_ENVIRONMENT: return "environment";
	case CODE_CREDENTIAL_EXPRESSION: return "expression";
	case CODE_CREDENTIAL_PLACEHOLDER: return "placeholder";
	default: return "none";
	}
}

static const char *or_null(const char *text)
{
	return text && text[0] ? text : NULL;
}

/* Add one attribute per item of list (items separated by CODE_LIST_SEPARATOR). */
static int add_items(struct nhi_fact *fact, const char *name, const char *list)
{
	char item[CODE_TEXT_MAX];
	int error;

	while (*list) {
		size_t len = strcspn(list, (char[]){ CODE_LIST_SEPARATOR, '\0' });

		snprintf(item, sizeof(item), "%.*s", (int)len, list);
		if ((error = model_fact_set(fact, name, item)) < 0)
			return error;
		list += len;
		if (*list)
			list++;
	}
	return 0;
}

/* The npm or PyPI package that npx, uvx and similar launchers run: their first non-option argument. */
static void find_package(char *out, size_t size, const struct code_entity *entity)
{
	static const char *const launchers[] = { "npx", "uvx", "bunx", "pipx", "pnpx", NULL };
	const char *args = entity->args;
	bool launcher = false;

	out[0] = '\0';
	for (size_t i = 0; launchers[i]; i++)
		launcher |= strcmp(entity->command, launchers[i]) == 0;
	if (!launcher)
		return;
	while (*args) {
		size_t len = strcspn(args, (char[]){ CODE_LIST_SEPARATOR, '\0' });

		if (args[0] != '-' && !(len == 3 && strncmp(args, "run", 3) == 0)) {
			snprintf(out, size, "%.*s", (int)len, args);
			return;
		}
		args += len;
		if (*args)
			args++;
	}
}

static int add_credential(struct nhi_fact *fact, const struct code_entity *entity)
{
	char fingerprint[NHI_FINGERPRINT_HEX + 1];
	int error;

	if (entity->kind == CODE_MCP_SERVER)
		return 0;
	if ((error = extract_attr(fact, "credential", credential_name(entity->credential))) < 0 ||
	    (error = extract_attr(fact, "credential_name", or_null(entity->credential_name))) < 0 ||
	    (error = extract_attr(fact, "default_env", entity->default_env)) < 0)
		return error;
	if (entity->credential != CODE_CREDENTIAL_LITERAL)
		return 0;
	model_secret_fingerprint(fingerprint, entity->literal.ptr, entity->literal.len);
	return extract_attr(fact, "fingerprint", fingerprint);
}

static int add_client_attributes(struct nhi_fact *fact, const struct code_entity *entity)
{
	char package[CODE_TEXT_MAX];
	int error;

	find_package(package, sizeof(package), entity);
	if ((error = extract_attr(fact, "transport", or_null(entity->transport))) < 0 ||
	    (error = extract_attr(fact, "command", or_null(entity->command))) < 0 ||
	    (error = add_items(fact, "arg", entity->args)) < 0 ||
	    (error = extract_attr(fact, "package", or_null(package))) < 0 ||
	    (error = extract_attr(fact, "url", or_null(entity->url))) < 0 ||
	    (error = extract_attr(fact, "server", or_null(entity->name))) < 0)
		return error;
	return 0;
}

static int emit_server_tools(struct code_file *file, const struct code_entity *entity)
{
	char key[EXTRACT_REF_MAX], parent[EXTRACT_REF_MAX];
	struct nhi_fact *fact;
	int error;

	extract_ref(parent, "mcp.server", entity->key);
	for (size_t i = 0; i < entity->tool_count; i++) {
		snprintf(key, sizeof(key), "%s/%s", entity->key, entity->tools[i].name);
		if ((error = extract_fact(&fact, &file->file, "mcp.tool", key, parent, code_pos(entity->tools[i].point))) < 0 ||
		    (error = extract_attr(fact, "server", entity->key)) < 0 ||
		    (error = extract_attr(fact, "name", entity->tools[i].name)) < 0 ||
		    (error = extract_attr(fact, "language", file->info->name)) < 0)
			return error;
	}
	return 0;
}

static int emit_entity(struct code_file *file, const struct code_entity *entity)
{
	struct nhi_fact *fact;
	const struct code_entity *model = NULL;
	int error;

	if (entity->model_client)
		model = &CODE_ITEM(&file->entities, struct code_entity, entity->model_client - 1);
	if ((error = extract_fact(&fact, &file->file, type_name(entity->kind), entity->key, NULL, code_pos(entity->point))) < 0 ||
	    (error = extract_attr(fact, "language", file->info->name)) < 0 ||
	    (error = extract_attr(fact, "framework", entity->sdk->framework)) < 0 ||
	    (error = extract_attr(fact, "origin", entity->kind == CODE_MCP_SERVER ? "code" : NULL)) < 0 ||
	    (error = extract_attr(fact, "name", or_null(entity->name))) < 0 ||
	    (error = extract_attr(fact, "variable", or_null(entity->variable))) < 0 ||
	    (error = extract_attr(fact, "model", or_null(entity->model))) < 0 ||
	    (error = extract_attr(fact, "provider", entity->kind == CODE_MCP_CLIENT ? NULL : or_null(entity->provider))) < 0 ||
	    (error = extract_attr(fact, "model_client", model ? model->key : NULL)) < 0 ||
	    (error = add_items(fact, "mcp_server", entity->mcp_servers)) < 0 ||
	    (error = add_credential(fact, entity)) < 0)
		return error;
	for (size_t i = 0; i < entity->tool_count; i++)
		if ((error = model_fact_set(fact, "tool", entity->tools[i].name)) < 0)
			return error;
	if (entity->kind == CODE_MCP_CLIENT && (error = add_client_attributes(fact, entity)) < 0)
		return error;
	if (entity->kind == CODE_MCP_SERVER)
		return emit_server_tools(file, entity);
	return 0;
}

/* Functions declared as tools with @tool, @function_tool, @kernel_function or @Tool. */
static int emit_declared_tools(struct code_file *file)
{
	struct nhi_fact *fact;
	int error;

	for (size_t i = 0; i < file->definitions.count; i++) {
		const struct code_definition *definition = &CODE_ITEM(&file->definitions, struct code_definition, i);
		struct code_text decorator = code_node_text(file, definition->decorator);
		char callee[CODE_TEXT_MAX], name[EXTRACT_NAME_MAX];
		size_t call = code_call_at(file, definition->decorator);
		const char *last;

		if (call)
			decorator = code_node_text(file, CODE_ITEM(&file->calls, struct code_call, call - 1).function);
		code_text_copy(callee, sizeof(callee), decorator);
		/* @mcp.tool belongs to a server; tool decorators of agent frameworks have no receiver. */
		if (strchr(callee, '.') || !code_sdk_is_tool_decorator(callee))
			continue;
		last = callee;
		code_text_copy(name, sizeof(name), code_node_text(file, definition->name));
		if ((error = extract_fact(&fact, &file->file, "agent.tool", name, NULL,
					  code_pos(ts_node_start_point(definition->name)))) < 0 ||
		    (error = extract_attr(fact, "decorator", last)) < 0 ||
		    (error = extract_attr(fact, "language", file->info->name)) < 0)
			return error;
	}
	return 0;
}

int code_entities_emit(struct code_file *file)
{
	int error;

	for (size_t i = 0; i < file->entities.count; i++)
		if ((error = emit_entity(file, &CODE_ITEM(&file->entities, struct code_entity, i))) < 0)
			return error;
	return emit_declared_tools(file);
}
