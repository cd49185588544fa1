/*
 * Entities of a source file: the agents, MCP servers, MCP clients and model clients that its
 * calls create, with their names, models, tools and credentials.
 *
 * Building takes four passes over the recorded calls, because later facts depend on earlier
 * ones: create an entity for every call that the SDK table lists; give each the variable it is
 * assigned to; fill model clients first, then MCP clients and servers, then agents, so that an
 * agent can take the provider and credential of the model client it is given; last, attach the
 * tools that are registered on a server by a method call or a decorator.
 */
#include "extract/code_internal.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static const char *const name_keys[] = { "name", "servername", "serverinfo", "role", NULL };
static const char *const model_keys[] = {
	"model", "modelname", "modelid", "aimodelid", "llm", "modelclient", "service", "chatmodel",
	"chatlanguagemodel", "languagemodel", "azuredeployment", "deploymentname", NULL,
};
static const char *const tools_keys[] = { "tools", "functions", "plugins", NULL };
static const char *const command_keys[] = { "command", "fullcommand", "cmd", NULL };
static const char *const args_keys[] = { "args", "arguments", NULL };
static const char *const url_keys[] = { "url", "baseurl", "serverurl", "endpoint", "uri", NULL };
static const char *const transport_keys[] = { "transport", "type", NULL };
static const char *const mcp_keys[] = { "mcpservers", NULL };
static const char *const secret_map_keys[] = { "env", "headers", NULL };

static bool type_is(TSNode node, const char *type)
{
	return strcmp(ts_node_type(node), type) == 0;
}

static bool type_in(TSNode node, const char *const *types)
{
	const char *type = ts_node_type(node);

	for (size_t i = 0; types[i]; i++)
		if (strcmp(type, types[i]) == 0)
			return true;
	return false;
}

static const char *const list_types[] = { "list", "tuple", "array", "set", "literal_value", "argument_list", "arguments", NULL };
static const char *const object_types[] = { "object", "dictionary", "hash", NULL };

static struct code_entity *entity_at(struct code_file *file, size_t index)
{
	return &CODE_ITEM(&file->entities, struct code_entity, index);
}

/* Return the index + 1 of the entity created by node, or 0. */
static size_t find_entity(struct code_file *file, TSNode node)
{
	for (size_t i = 0; i < file->entities.count; i++)
		if (ts_node_eq(entity_at(file, i)->node, node) || ts_node_eq(entity_at(file, i)->call, node))
			return i + 1;
	return 0;
}

/* Append word to the space-separated list out (size bytes); a word that does not fit is dropped. */
void code_append_word(char *out, size_t size, struct code_text word)
{
	size_t used = strlen(out);

	if (word.len == 0 || used + word.len + 2 > size)
		return;
	if (used > 0)
		out[used++] = ' ';
	memcpy(out + used, word.ptr, word.len);
	out[used + word.len] = '\0';
}

void code_list_append(char *out, size_t size, struct code_text item)
{
	size_t used = strlen(out);

	if (item.len == 0 || used + item.len + 2 > size)
		return;
	if (used > 0)
		out[used++] = CODE_LIST_SEPARATOR;
	for (size_t i = 0; i < item.len; i++)
		out[used + i] = item.ptr[i] == CODE_LIST_SEPARATOR ? ' ' : item.ptr[i];
	out[used + item.len] = '\0';
}

static struct code_text text_of(const char *string)
{
	struct code_text text = { string, strlen(string) };

	return text;
}

/* The last segment of a dotted name: "types.Tool" is "Tool". */
static const char *last_segment(const char *name)
{
	const char *dot = strrchr(name, '.');

	return dot ? dot + 1 : name;
}

/* The class a constructor call creates: Calculator for Langchain.Tool.Calculator.new, else the last segment. */
static struct code_text class_name(const char *callee)
{
	const char *last = last_segment(callee), *before;

	if (strcmp(last, "new") != 0 || last == callee)
		return text_of(last);
	for (before = last - 1; before > callee && before[-1] != '.'; before--)
		;
	return (struct code_text){ before, (size_t)(last - 1 - before) };
}

/* Read node as a literal string into out; false when it is not one. */
static bool read_literal(char *out, size_t size, const struct code_file *file, TSNode node)
{
	struct code_value value;

	code_value_read(&value, file, node);
	if (value.kind != CODE_VALUE_LITERAL || value.text.len == 0)
		return false;
	code_text_copy(out, size, value.text);
	return true;
}

int code_entity_set_credential(struct code_file *file, struct code_entity *entity, size_t index, TSNode node,
			       const char *name)
{
	struct code_value value;
	struct code_reference *reference;

	code_value_read(&value, file, node);
	switch (value.kind) {
	case CODE_VALUE_LITERAL:
		if (value.text.len == 0)
			return 0;
		/* api_key="ollama" for a local server, or "sk-..." in an example, is no credential. */
		if (!code_review_is_secret(value.text)) {
			entity->credential = CODE_CREDENTIAL_PLACEHOLDER;
			return 0;
		}
		entity->credential = CODE_CREDENTIAL_LITERAL;
		entity->literal = value.text;
		return code_review_literal(file, name, value.node, value.text);
	case CODE_VALUE_REFERENCE:
		reference = &CODE_ITEM(&file->references, struct code_reference, value.reference - 1);
		reference->credential_use = true;
		if (!reference->user)
			reference->user = index + 1;
		entity->credential = CODE_CREDENTIAL_REFERENCE;
		snprintf(entity->credential_name, sizeof(entity->credential_name), "%s", reference->name);
		return 0;
	case CODE_VALUE_NONE:
		return 0;
	default:
		entity->credential = CODE_CREDENTIAL_EXPRESSION;
		return 0;
	}
}

/* The credential passed by a credential-named option or by the SDK's credential argument. */
static int read_credential(struct code_file *file, struct code_entity *entity, size_t index,
			   const struct code_options *options)
{
	TSNode positional;

	for (size_t i = 0; i < options->count; i++)
		if (extract_name_is_credential(options->items[i].raw_key))
			return code_entity_set_credential(file, entity, index, options->items[i].value,
							  options->items[i].raw_key);
	positional = code_options_positional(options, entity->sdk->credential_arg);
	if (!ts_node_is_null(positional))
		return code_entity_set_credential(file, entity, index, positional, "api_key");
	return 0;
}

/* Credentials in the env or headers map of an MCP client: the first named or referenced one. */
static int read_map_credential(struct code_file *file, struct code_entity *entity, size_t index,
			       const struct code_options *options)
{
	const struct code_option *option = code_options_find(options, secret_map_keys);
	struct code_value map;
	uint32_t count;

	if (!option)
		return 0;
	code_value_read(&map, file, option->value);
	if (ts_node_is_null(map.node) || !type_in(map.node, object_types))
		return 0;
	count = ts_node_named_child_count(map.node);
	for (uint32_t i = 0; i < count && entity->credential == CODE_CREDENTIAL_NONE; i++) {
		TSNode member = ts_node_named_child(map.node, i);
		TSNode key = ts_node_child_by_field_name(member, "key", 3), value = ts_node_child_by_field_name(member, "value", 5);
		char name[EXTRACT_NAME_MAX];
		struct code_text text;
		int error;

		if (ts_node_is_null(key) || ts_node_is_null(value))
			continue;
		if (!code_string_literal(&text, file, key))
			text = code_node_text(file, key);
		code_text_copy(name, sizeof(name), text);
		if (!extract_name_is_credential(name) && !code_reference_within(file, value))
			continue;
		if ((error = code_entity_set_credential(file, entity, index, value, name)) < 0)
			return error;
	}
	return 0;
}

static void read_model_call(struct code_file *file, struct code_entity *entity, const struct code_call *call)
{
	size_t linked = find_entity(file, call->node);
	const char *default_env = NULL, *provider;
	struct code_options options;
	TSNode outer;

	if (linked && entity_at(file, linked - 1)->kind == CODE_MODEL_CLIENT) {
		entity->model_client = linked;
		return;
	}
	/* openai("gpt-4o") of the Vercel AI SDK, or a provider made by createOpenAI() called the same way. */
	provider = code_sdk_factory_provider(call->callee, file->info->family, &default_env);
	code_options_collect(&options, file, call, false, &outer);
	if (provider) {
		snprintf(entity->provider, sizeof(entity->provider), "%s", provider);
		entity->default_env = default_env;
	}
	read_literal(entity->model, sizeof(entity->model), file, code_options_positional(&options, 1));
}

static void read_model(struct code_file *file, struct code_entity *entity, TSNode node)
{
	struct code_value value;
	const char *provider;

	code_value_read(&value, file, node);
	if (value.kind == CODE_VALUE_LITERAL) {
		code_text_copy(entity->model, sizeof(entity->model), value.text);
		provider = code_sdk_model_provider(entity->model);
		if (provider && entity->provider[0] == '\0')
			snprintf(entity->provider, sizeof(entity->provider), "%s", provider);
	} else if (value.kind == CODE_VALUE_CALL) {
		read_model_call(file, entity, &CODE_ITEM(&file->calls, struct code_call, value.call - 1));
	}
}

static void add_tool(struct code_entity *entity, struct code_text name, TSPoint point)
{
	struct code_tool tool;
	struct code_array tools = { entity->tools, entity->tool_count, entity->tool_alloc };

	if (name.len == 0)
		return;
	code_text_copy(tool.name, sizeof(tool.name), name);
	tool.point = point;
	for (size_t i = 0; i < entity->tool_count; i++)
		if (strcmp(entity->tools[i].name, tool.name) == 0)
			return;
	/* A tool that does not fit for lack of memory is left out; the entity stays valid. */
	if (code_array_push(&tools, &tool, sizeof(tool)) < 0)
		return;
	entity->tools = tools.items;
	entity->tool_count = tools.count;
	entity->tool_alloc = tools.alloc;
}

/* The name of a tool given as an element of a tools list. */
static struct code_text tool_name(struct code_file *file, TSNode element)
{
	static const char *const name_option[] = { "name", NULL };
	struct code_text text = { NULL, 0 };
	struct code_value value;
	const struct code_option *option;
	struct code_options options;
	const struct code_call *call;
	TSNode outer;

	code_value_read(&value, file, element);
	if (value.kind == CODE_VALUE_LITERAL)
		return value.text;
	if (value.kind == CODE_VALUE_CALL) {
		call = &CODE_ITEM(&file->calls, struct code_call, value.call - 1);
		code_options_collect(&options, file, call, false, &outer);
		option = code_options_find(&options, name_option);
		if (option && code_string_literal(&text, file, option->value))
			return text;
		if (code_string_literal(&text, file, code_options_positional(&options, 1)) && text.len > 0)
			return text;
		return class_name(call->callee);
	}
	text = code_node_text(file, element);
	for (size_t i = text.len; i > 0; i--) {
		if (text.ptr[i - 1] == '.' || text.ptr[i - 1] == ':') {
			text.ptr += i;
			text.len -= i;
			break;
		}
	}
	for (size_t i = 0; i < text.len; i++)
		if (!(text.ptr[i] == '_' || (text.ptr[i] >= '0' && text.ptr[i] <= '9') ||
		      ((text.ptr[i] | 0x20) >= 'a' && (text.ptr[i] | 0x20) <= 'z')))
			return (struct code_text){ NULL, 0 };
	return text;
}

static void read_tools(struct code_file *file, struct code_entity *entity, TSNode node, TSNode arguments)
{
	struct code_value value;
	TSNode container;
	uint32_t count;

	if (!ts_node_is_null(arguments) && ts_node_named_child_count(arguments) > 1)
		container = arguments;
	else {
		code_value_read(&value, file, node);
		container = value.node;
	}
	if (ts_node_is_null(container))
		return;
	if (type_is(container, "composite_literal"))
		container = ts_node_child_by_field_name(container, "body", 4);
	if (ts_node_is_null(container))
		return;
	count = ts_node_named_child_count(container);
	if (type_in(container, object_types)) {
		for (uint32_t i = 0; i < count; i++) {
			TSNode key = ts_node_child_by_field_name(ts_node_named_child(container, i), "key", 3);
			struct code_text text;

			if (ts_node_is_null(key))
				continue;
			if (!code_string_literal(&text, file, key))
				text = code_node_text(file, key);
			add_tool(entity, text, ts_node_start_point(key));
		}
	} else if (type_in(container, list_types)) {
		for (uint32_t i = 0; i < count; i++) {
			TSNode element = ts_node_named_child(container, i);

			add_tool(entity, tool_name(file, element), ts_node_start_point(element));
		}
	} else {
		add_tool(entity, tool_name(file, container), ts_node_start_point(container));
	}
}

/* True for a plain or dotted name such as server or self.server, as opposed to an expression. */
static bool is_plain_name(struct code_text text)
{
	if (text.len == 0)
		return false;
	for (size_t i = 0; i < text.len; i++)
		if (!(text.ptr[i] == '_' || text.ptr[i] == '.' || (text.ptr[i] >= '0' && text.ptr[i] <= '9') ||
		      ((text.ptr[i] | 0x20) >= 'a' && (text.ptr[i] | 0x20) <= 'z')))
			return false;
	return true;
}

/*
 * The MCP servers in an agent's list, by the key of the server's entity. An element that is no
 * entity counts only by its name, because the text of an expression may contain a credential.
 */
static void read_mcp_servers(struct code_file *file, struct code_entity *entity, TSNode node)
{
	struct code_value value;
	uint32_t count;

	code_value_read(&value, file, node);
	if (ts_node_is_null(value.node) || !type_in(value.node, list_types))
		return;
	count = ts_node_named_child_count(value.node);
	for (uint32_t i = 0; i < count; i++) {
		TSNode element = ts_node_named_child(value.node, i);
		struct code_value server;
		struct code_text text = code_node_text(file, element);
		size_t linked;

		code_value_read(&server, file, element);
		linked = server.kind == CODE_VALUE_CALL ? find_entity(file, server.node) : 0;
		if (linked)
			code_list_append(entity->mcp_servers, sizeof(entity->mcp_servers), text_of(entity_at(file, linked - 1)->key));
		else if (is_plain_name(text))
			code_list_append(entity->mcp_servers, sizeof(entity->mcp_servers), text);
	}
}

/*
 * Add node's value as a command-line word of entity when it is a literal: as its command when
 * command is true, else as an argument. Other values are skipped.
 */
static int add_literal_word(struct code_file *file, struct code_entity *entity, TSNode node, bool command)
{
	struct code_value value;

	code_value_read(&value, file, node);
	if (value.kind != CODE_VALUE_LITERAL || value.text.len == 0) {
		code_command_skip_word(entity);
		return 0;
	}
	return code_command_add_word(file, entity, value.text, command);
}

/* Add a whole command line such as "npx -y pkg": its first word is the command, the others are arguments. */
static int add_command_line(struct code_file *file, struct code_entity *entity, struct code_text line)
{
	bool command = true;
	size_t i = 0;
	int error;

	while (i < line.len) {
		size_t start;

		while (i < line.len && line.ptr[i] == ' ')
			i++;
		start = i;
		while (i < line.len && line.ptr[i] != ' ')
			i++;
		if (i == start)
			continue;
		if ((error = code_command_add_word(file, entity, (struct code_text){ line.ptr + start, i - start }, command)) < 0)
			return error;
		command = false;
	}
	return 0;
}

/*
 * Read the command and arguments of an exec.Command("npx", "-y", "pkg") value (Go) into entity.
 * *out is set to whether call is such a call.
 */
static int read_command_call(bool *out, struct code_file *file, struct code_entity *entity, const struct code_call *call)
{
	struct code_options options;
	TSNode outer;
	int error;

	*out = false;
	if (strcmp(last_segment(call->callee), "Command") != 0 && strcmp(last_segment(call->callee), "CommandContext") != 0)
		return 0;
	*out = true;
	code_options_collect(&options, file, call, false, &outer);
	for (size_t i = 0; i < options.positional_count; i++)
		if ((error = add_literal_word(file, entity, options.positional[i], entity->command[0] == '\0')) < 0)
			return error;
	return 0;
}

static int read_args(struct code_file *file, struct code_entity *entity, TSNode node, TSNode arguments)
{
	struct code_value value;
	TSNode list;
	uint32_t count;
	int error;

	code_value_read(&value, file, node);
	list = !ts_node_is_null(arguments) ? arguments : value.node;
	if (ts_node_is_null(list) || !type_in(list, list_types))
		return add_literal_word(file, entity, node, false);
	count = ts_node_named_child_count(list);
	for (uint32_t i = 0; i < count; i++)
		if ((error = add_literal_word(file, entity, ts_node_named_child(list, i), false)) < 0)
			return error;
	return 0;
}

static int read_command(struct code_file *file, struct code_entity *entity, TSNode node)
{
	struct code_value value;
	uint32_t count;
	bool is_command_call;
	int error;

	code_value_read(&value, file, node);
	if (value.kind == CODE_VALUE_CALL) {
		if ((error = read_command_call(&is_command_call, file, entity,
					       &CODE_ITEM(&file->calls, struct code_call, value.call - 1))) < 0 ||
		    is_command_call)
			return error;
	}

	/* A command given as a list, ["npx", "-y", "pkg"], as the Ruby MCP client takes it. */
	if (!ts_node_is_null(value.node) && type_in(value.node, list_types)) {
		count = ts_node_named_child_count(value.node);
		for (uint32_t i = 0; i < count; i++)
			if ((error = add_literal_word(file, entity, ts_node_named_child(value.node, i), i == 0)) < 0)
				return error;
		return 0;
	}

	/* A whole command line, as the fullCommand of the OpenAI Agents SDK for TypeScript. */
	if (value.kind != CODE_VALUE_LITERAL)
		return 0;
	return add_command_line(file, entity, value.text);
}

/* A URL literal, new URL("...") or a reference, which becomes "$NAME". */
static int read_url(struct code_file *file, struct code_entity *entity, TSNode node)
{
	struct code_value value;
	struct code_options options;
	TSNode outer;

	code_value_read(&value, file, node);
	if (value.kind == CODE_VALUE_CALL) {
		code_options_collect(&options, file, &CODE_ITEM(&file->calls, struct code_call, value.call - 1), false, &outer);
		code_value_read(&value, file, code_options_positional(&options, 1));
	}
	if (value.kind == CODE_VALUE_REFERENCE) {
		snprintf(entity->url, sizeof(entity->url), "$%s",
			 CODE_ITEM(&file->references, struct code_reference, value.reference - 1).name);
		return 0;
	}
	if (value.kind == CODE_VALUE_LITERAL)
		return code_command_redact_url(entity->url, sizeof(entity->url), file, value.text);
	return 0;
}

static bool is_url(const char *text)
{
	return strstr(text, "://") != NULL;
}

static int fill_client(struct code_file *file, struct code_entity *entity, const struct code_options *options)
{
	const struct code_option *option;
	const struct code_sdk *sdk = entity->sdk;
	TSNode positional;
	int error;

	if ((option = code_options_find(options, command_keys)) != NULL &&
	    (error = read_command(file, entity, option->value)) < 0)
		return error;
	if (!ts_node_is_null(positional = code_options_positional(options, sdk->command_arg)) &&
	    (error = read_command(file, entity, positional)) < 0)
		return error;
	if ((option = code_options_find(options, args_keys)) != NULL &&
	    (error = read_args(file, entity, option->value, option->arguments)) < 0)
		return error;
	for (unsigned i = sdk->args_arg; sdk->args_arg && i <= options->positional_count; i++)
		if ((error = read_args(file, entity, code_options_positional(options, i), (TSNode){ 0 })) < 0)
			return error;

	if ((option = code_options_find(options, url_keys)) != NULL && (error = read_url(file, entity, option->value)) < 0)
		return error;
	if (entity->url[0] == '\0' && !ts_node_is_null(positional = code_options_positional(options, sdk->url_arg)) &&
	    (error = read_url(file, entity, positional)) < 0)
		return error;
	/* fastmcp.Client("server.py") runs a script over stdio; Client("https://...") connects. */
	if (entity->url[0] != '\0' && !is_url(entity->url) && entity->url[0] != '$') {
		snprintf(entity->command, sizeof(entity->command), "%s", entity->url);
		entity->url[0] = '\0';
	}

	if (sdk->transport)
		snprintf(entity->transport, sizeof(entity->transport), "%s", sdk->transport);
	else if ((option = code_options_find(options, transport_keys)) != NULL)
		read_literal(entity->transport, sizeof(entity->transport), file, option->value);
	if (entity->transport[0] == '\0' && (entity->command[0] || entity->url[0]))
		snprintf(entity->transport, sizeof(entity->transport), "%s", entity->command[0] ? "stdio" : "http");
	return 0;
}

static int fill_entity(struct code_file *file, size_t index)
{
	struct code_entity *entity = entity_at(file, index);
	struct code_options options;
	const struct code_option *option;
	struct code_call call;
	TSNode outer, positional;
	size_t call_index = code_call_at(file, entity->call);
	int error;

	if (entity->filled || !call_index)
		return 0;
	call = CODE_ITEM(&file->calls, struct code_call, call_index - 1);
	code_options_collect(&options, file, &call, entity->sdk->flags & CODE_SDK_CHAIN, &outer);
	if ((option = code_options_find(&options, name_keys)) != NULL)
		read_literal(entity->name, sizeof(entity->name), file, option->value);
	if (entity->name[0] == '\0')
		read_literal(entity->name, sizeof(entity->name), file, code_options_positional(&options, entity->sdk->name_arg));
	if ((option = code_options_find(&options, model_keys)) != NULL)
		read_model(file, entity, option->value);
	if (!ts_node_is_null(positional = code_options_positional(&options, entity->sdk->model_arg)))
		read_model(file, entity, positional);
	if ((option = code_options_find(&options, tools_keys)) != NULL)
		read_tools(file, entity, option->value, option->arguments);
	if (!ts_node_is_null(positional = code_options_positional(&options, entity->sdk->tools_arg)))
		read_tools(file, entity, positional, (TSNode){ 0 });
	if ((option = code_options_find(&options, mcp_keys)) != NULL)
		read_mcp_servers(file, entity, option->value);
	if (entity->kind == CODE_MCP_CLIENT && (error = fill_client(file, entity, &options)) < 0)
		return error;
	if ((error = read_credential(file, entity, index, &options)) < 0 ||
	    (error = read_map_credential(file, entity, index, &options)) < 0)
		return error;
	return 0;
}

/* An agent without its own credential uses its model client's, or the default of its provider. */
static void inherit_from_model(struct code_file *file, struct code_entity *entity)
{
	const struct code_entity *model;

	if (entity->model_client) {
		model = entity_at(file, entity->model_client - 1);
		if (entity->provider[0] == '\0')
			code_text_copy(entity->provider, sizeof(entity->provider), text_of(model->provider));
		if (entity->model[0] == '\0')
			code_text_copy(entity->model, sizeof(entity->model), text_of(model->model));
		if (entity->credential == CODE_CREDENTIAL_NONE) {
			entity->credential = model->credential;
			entity->literal = model->literal;
			code_text_copy(entity->credential_name, sizeof(entity->credential_name), text_of(model->credential_name));
			entity->default_env = model->default_env;
		}
	}
	if (entity->provider[0] == '\0' && entity->sdk->provider)
		snprintf(entity->provider, sizeof(entity->provider), "%s", entity->sdk->provider);
	if (!entity->default_env && !entity->model_client)
		entity->default_env = entity->sdk->default_env;
	if (entity->credential == CODE_CREDENTIAL_NONE && entity->default_env) {
		entity->credential = CODE_CREDENTIAL_ENVIRONMENT;
		snprintf(entity->credential_name, sizeof(entity->credential_name), "%s", entity->default_env);
	}
}

/* Write the entity's command and arguments to out (size bytes), separated by spaces. */
static void join_command_line(char *out, size_t size, const struct code_entity *entity)
{
	const char *args = entity->args;

	out[0] = '\0';
	code_append_word(out, size, text_of(entity->command));
	while (*args) {
		size_t len = strcspn(args, (char[]){ CODE_LIST_SEPARATOR, '\0' });

		code_append_word(out, size, (struct code_text){ args, len });
		args += len;
		if (*args)
			args++;
	}
}

/*
 * The key of an entity without a name or a variable: base (its provider or framework), '#' and
 * how many such entities of its kind and base come before it in the file, plus one. Unlike a
 * line number, the count stays the same when lines are added above.
 */
static void number_key(struct code_file *file, size_t index, const char *base)
{
	struct code_entity *entity = entity_at(file, index);
	size_t base_len = strlen(base), count = 1;

	for (size_t i = 0; i < index; i++) {
		const struct code_entity *other = entity_at(file, i);

		if (other->kind == entity->kind && strncmp(other->key, base, base_len) == 0 && other->key[base_len] == '#')
			count++;
	}
	snprintf(entity->key, sizeof(entity->key), "%s#%zu", base, count);
}

static void choose_key(struct code_file *file, size_t index)
{
	struct code_entity *entity = entity_at(file, index);
	const char *fallback = entity->kind == CODE_MODEL_CLIENT ? entity->provider : entity->sdk->framework;

	if (entity->key[0] != '\0')
		return;
	if (entity->kind == CODE_MCP_CLIENT && entity->name[0] == '\0' && entity->command[0] != '\0')
		join_command_line(entity->key, sizeof(entity->key), entity);
	else if (entity->kind == CODE_MCP_CLIENT && entity->name[0] == '\0' && entity->url[0] != '\0')
		snprintf(entity->key, sizeof(entity->key), "%s", entity->url);
	else if (entity->kind != CODE_MODEL_CLIENT && entity->name[0] != '\0')
		snprintf(entity->key, sizeof(entity->key), "%s", entity->name);
	else if (entity->variable[0] != '\0')
		snprintf(entity->key, sizeof(entity->key), "%s", entity->variable);
	else
		number_key(file, index, fallback[0] ? fallback : "unknown");
}

/* langchain-mcp-adapters: MultiServerMCPClient({"name": {"command": ..., "args": [...]}, ...}). */
static int create_multi(struct code_file *file, const struct code_call *call, const struct code_sdk *sdk)
{
	struct code_value servers;
	TSNode outer;
	uint32_t count;
	int error;

	/* The map is read as a whole, not as the options that an object argument usually holds. */
	if (ts_node_is_null(call->arguments) || ts_node_named_child_count(call->arguments) == 0)
		return 0;
	code_value_read(&servers, file, ts_node_named_child(call->arguments, 0));
	if (ts_node_is_null(servers.node) || !type_in(servers.node, object_types))
		return 0;
	count = ts_node_named_child_count(servers.node);
	for (uint32_t i = 0; i < count; i++) {
		TSNode member = ts_node_named_child(servers.node, i);
		struct code_call server_call;
		struct code_options server_options;
		struct code_entity entity;

		memset(&server_call, 0, sizeof(server_call));
		server_call.node = member;
		server_call.function = member;
		server_call.arguments = ts_node_child_by_field_name(member, "value", 5);

		if (ts_node_is_null(server_call.arguments) || !type_in(server_call.arguments, object_types))
			continue;
		memset(&entity, 0, sizeof(entity));
		entity.kind = CODE_MCP_CLIENT;
		entity.sdk = sdk;
		entity.node = call->node;
		entity.call = member;
		entity.point = ts_node_start_point(member);
		entity.filled = true;
		read_literal(entity.name, sizeof(entity.name), file, ts_node_child_by_field_name(member, "key", 3));
		code_options_collect(&server_options, file, &server_call, false, &outer);
		if ((error = fill_client(file, &entity, &server_options)) < 0 ||
		    (error = code_array_push(&file->entities, &entity, sizeof(entity))) < 0)
			return error;
		if ((error = read_credential(file, entity_at(file, file->entities.count - 1), file->entities.count - 1, &server_options)) < 0 ||
		    (error = read_map_credential(file, entity_at(file, file->entities.count - 1), file->entities.count - 1, &server_options)) < 0)
			return error;
	}
	return 0;
}

static int create_entities(struct code_file *file)
{
	int error;

	for (size_t i = 0; i < file->calls.count; i++) {
		const struct code_call *call = &CODE_ITEM(&file->calls, struct code_call, i);
		const struct code_sdk *sdk = code_sdk_find(call->callee, file->info->family, file->file.data, file->file.len);
		struct code_options options;
		struct code_entity entity;

		if (!sdk)
			continue;
		if (sdk->flags & (CODE_SDK_CLI_MCP | CODE_SDK_CLI_AGENT | CODE_SDK_URL_HOST)) {
			if ((error = code_command_build(file, call, sdk)) < 0)
				return error;
			continue;
		}
		if (sdk->flags & CODE_SDK_MULTI) {
			if ((error = create_multi(file, call, sdk)) < 0)
				return error;
			continue;
		}
		memset(&entity, 0, sizeof(entity));
		entity.kind = sdk->kind;
		entity.sdk = sdk;
		entity.call = call->node;
		entity.point = ts_node_start_point(call->node);
		code_options_collect(&options, file, call, sdk->flags & CODE_SDK_CHAIN, &entity.node);
		if ((error = code_array_push(&file->entities, &entity, sizeof(entity))) < 0)
			return error;
	}
	return 0;
}

/* Give each entity the first variable it is assigned to: client = OpenAI() makes "client". */
static void assign_variables(struct code_file *file)
{
	for (size_t i = 0; i < file->bindings.count; i++) {
		const struct code_binding *binding = &CODE_ITEM(&file->bindings, struct code_binding, i);
		struct code_value value;
		size_t index;

		if (ts_node_is_null(binding->value))
			continue;
		code_value_read(&value, file, binding->value);
		if (value.kind != CODE_VALUE_CALL || !(index = find_entity(file, value.node)))
			continue;
		if (entity_at(file, index - 1)->variable[0] == '\0')
			code_text_copy(entity_at(file, index - 1)->variable, sizeof(entity_at(file, index - 1)->variable),
				       binding->name);
	}
}

/* Return the MCP server held in the variable named text, or NULL. */
static struct code_entity *server_named(struct code_file *file, struct code_text text)
{
	for (size_t i = 0; i < file->entities.count; i++) {
		struct code_entity *entity = entity_at(file, i);

		if (entity->kind == CODE_MCP_SERVER && strlen(entity->variable) == text.len &&
		    strncmp(entity->variable, text.ptr, text.len) == 0)
			return entity;
	}
	return NULL;
}

static struct code_entity *first_server(struct code_file *file)
{
	for (size_t i = 0; i < file->entities.count; i++)
		if (entity_at(file, i)->kind == CODE_MCP_SERVER)
			return entity_at(file, i);
	return NULL;
}

/* A tool's name from the registering call's argument: "name", NewTool("name"), &Tool{Name: "name"}, fn. */
static void attach_tool(struct code_file *file, struct code_entity *server, TSNode argument, TSPoint point)
{
	struct code_text name = tool_name(file, argument);

	if (name.len > 0)
		add_tool(server, name, point);
}

static bool is_in_decorator(TSNode node)
{
	TSNode parent = ts_node_parent(node);

	return !ts_node_is_null(parent) && type_is(parent, "decorator");
}

/* server.tool("name", ...), server.registerTool("name", ...), s.AddTool(mcp.NewTool("name")), mcp.AddTool(s, &mcp.Tool{...}). */
static void attach_method_tool(struct code_file *file, const struct code_call *call)
{
	static const char *const name_option[] = { "name", NULL };
	const struct code_option *option;
	const char *method = last_segment(call->callee);
	struct code_text receiver = { call->callee, (size_t)(method - call->callee) };
	struct code_entity *server;
	struct code_options options;
	TSNode outer, first;
	unsigned tool_arg = 1;

	if (method == call->callee || !code_sdk_is_tool_method(method, file->info->family) || is_in_decorator(call->node))
		return;
	receiver.len--;
	code_options_collect(&options, file, call, false, &outer);
	server = server_named(file, receiver);
	first = code_options_positional(&options, 1);
	if (!server && !ts_node_is_null(first)) {
		server = server_named(file, code_node_text(file, first));
		tool_arg = 2;
	}
	if (!server)
		return;
	/* Go's mcp.AddTool(server, &mcp.Tool{Name: "x"}, handler) passes the tool's fields as options. */
	if ((option = code_options_find(&options, name_option)) != NULL)
		attach_tool(file, server, option->value, ts_node_start_point(call->node));
	else if (options.positional_count >= tool_arg)
		attach_tool(file, server, code_options_positional(&options, tool_arg), ts_node_start_point(call->node));
}

/* types.Tool(name="x") of the low-level Python server, new Tool("x", ...) of the Java SDK. */
static void attach_declared_tool(struct code_file *file, const struct code_call *call)
{
	static const char *const name_option[] = { "name", NULL };
	struct code_entity *server = first_server(file);
	struct code_options options;
	const struct code_option *option;
	TSNode outer;
	char name[EXTRACT_NAME_MAX];

	if (!server || strcmp(last_segment(call->callee), "Tool") != 0 ||
	    !(file->info->family & (CODE_FAMILY_PYTHON | CODE_FAMILY_JAVA)))
		return;
	code_options_collect(&options, file, call, false, &outer);
	option = code_options_find(&options, name_option);
	if ((option && read_literal(name, sizeof(name), file, option->value)) ||
	    read_literal(name, sizeof(name), file, code_options_positional(&options, 1)))
		add_tool(server, text_of(name), ts_node_start_point(call->node));
}

/* @mcp.tool or @mcp.tool(name="x") on a function of a FastMCP server. */
static void attach_decorated_tool(struct code_file *file, const struct code_definition *definition)
{
	static const char *const name_option[] = { "name", NULL };
	TSNode decorator = definition->decorator;
	struct code_text text = code_node_text(file, decorator), receiver;
	size_t call_index = code_call_at(file, decorator);
	struct code_entity *server;
	const char *dot;
	char name[EXTRACT_NAME_MAX] = "";

	if (call_index)
		text = code_node_text(file, CODE_ITEM(&file->calls, struct code_call, call_index - 1).function);
	dot = memrchr(text.ptr, '.', text.len);
	if (!dot || (size_t)(text.ptr + text.len - dot - 1) != 4 || strncmp(dot + 1, "tool", 4) != 0)
		return;
	receiver.ptr = text.ptr;
	receiver.len = (size_t)(dot - text.ptr);
	if (!(server = server_named(file, receiver)))
		return;
	if (call_index) {
		const struct code_call *call = &CODE_ITEM(&file->calls, struct code_call, call_index - 1);
		struct code_options options;
		const struct code_option *option;
		TSNode outer;

		code_options_collect(&options, file, call, false, &outer);
		if ((option = code_options_find(&options, name_option)) != NULL)
			read_literal(name, sizeof(name), file, option->value);
	}
	if (name[0] == '\0')
		code_text_copy(name, sizeof(name), code_node_text(file, definition->name));
	add_tool(server, text_of(name), ts_node_start_point(definition->name));
}

static void attach_tools(struct code_file *file)
{
	for (size_t i = 0; i < file->calls.count; i++) {
		attach_method_tool(file, &CODE_ITEM(&file->calls, struct code_call, i));
		attach_declared_tool(file, &CODE_ITEM(&file->calls, struct code_call, i));
	}
	for (size_t i = 0; i < file->definitions.count; i++)
		attach_decorated_tool(file, &CODE_ITEM(&file->definitions, struct code_definition, i));
}

/* Fill entities of one kind and choose their keys; model clients go first because agents copy from them. */
static int fill_kind(struct code_file *file, enum code_entity_kind kind)
{
	int error;

	for (size_t i = 0; i < file->entities.count; i++) {
		if (entity_at(file, i)->kind != kind)
			continue;
		if ((error = fill_entity(file, i)) < 0)
			return error;
		if (kind == CODE_AGENT || kind == CODE_MODEL_CLIENT)
			inherit_from_model(file, entity_at(file, i));
		choose_key(file, i);
	}
	return 0;
}

int code_entities_build(struct code_file *file)
{
	int error;

	if ((error = create_entities(file)) < 0)
		return error;
	assign_variables(file);
	if ((error = fill_kind(file, CODE_MODEL_CLIENT)) < 0 ||
	    (error = fill_kind(file, CODE_MCP_CLIENT)) < 0 ||
	    (error = fill_kind(file, CODE_MCP_SERVER)) < 0 ||
	    (error = fill_kind(file, CODE_AGENT)) < 0)
		return error;
	attach_tools(file);
	return 0;
}
