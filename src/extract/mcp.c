/*
 * MCP client configurations and agent settings. Nothing here starts a server or runs a
 * command: the extractor only reads the configuration file.
 *
 * Each client stores its servers under its own key (mcpServers, servers, context_servers,
 * mcp_servers, extensions) and with its own field names (command or cmd, url or serverUrl or
 * httpUrl or uri, env or envs, headers or http_headers). find_servers() and read_view() map
 * them onto one view, so that every server gets the same treatment:
 *
 * - an mcp.server fact with client, transport, command, package and pin, URL and auth method;
 * - an mcp.credential fact for every credential in env, headers, args or the URL's query and
 *   user information, classified as hard-coded, reference or placeholder, plus a
 *   credential.reference fact for each reference;
 * - findings for hard-coded credentials, unpinned packages and plain-HTTP remote servers.
 */
#include "extract/ci_common.h"
#include "extract/credential.h"
#include "extract/extractors.h"
#include "match/filter.h"
#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define PROVIDER "mcp"
#define DOCS "https://modelcontextprotocol.io/specification/draft/basic/security_best_practices"
/* URL credentials looked at per URL; real URLs carry one or two. */
#define MAX_URL_SECRETS 8

static const struct extract_rule hardcoded_rule = {
	"mcp.hardcoded-credential", "Credential written into an MCP client configuration", "mcp.hardcoded-credential",
	PROVIDER, NHI_SEVERITY_HIGH,
	"Revoke the credential, then pass it by reference: an input variable (${input:id}), an environment variable (${env:NAME} or ${NAME}) or the client's secret store.",
	DOCS,
};
static const struct extract_rule agent_hardcoded_rule = {
	"agent.hardcoded-credential", "Credential written into an agent settings file", "agent.hardcoded-credential",
	PROVIDER, NHI_SEVERITY_HIGH,
	"Revoke the credential and set it in the environment of the agent, or through an API key helper, instead of in a settings file that may be committed.",
	DOCS,
};
static const struct extract_rule unpinned_rule = {
	"mcp.unpinned-package", "MCP server package is not pinned to a version", "mcp.unpinned-package",
	PROVIDER, NHI_SEVERITY_MEDIUM,
	"Pin the package to an exact version (pkg@1.2.3, pkg==1.2.3 or an image digest), so that a new release cannot change the code that receives the server's credentials.",
	DOCS,
};
static const struct extract_rule insecure_rule = {
	"mcp.insecure-transport", "Remote MCP server over plain HTTP", "mcp.insecure-transport",
	PROVIDER, NHI_SEVERITY_MEDIUM,
	"Use an https:// URL; over plain HTTP the requests, and any token in them, can be read and changed on the way.",
	DOCS,
};

static const char *const client_names[] = {
	[EXTRACT_CLIENT_CLAUDE_DESKTOP] = "claude-desktop",
	[EXTRACT_CLIENT_CLAUDE_CODE] = "claude-code",
	[EXTRACT_CLIENT_CLAUDE_CODE_SETTINGS] = "claude-code",
	[EXTRACT_CLIENT_CURSOR] = "cursor",
	[EXTRACT_CLIENT_VSCODE] = "vscode",
	[EXTRACT_CLIENT_VSCODE_SETTINGS] = "vscode",
	[EXTRACT_CLIENT_WINDSURF] = "windsurf",
	[EXTRACT_CLIENT_CLINE] = "cline",
	[EXTRACT_CLIENT_CONTINUE] = "continue",
	[EXTRACT_CLIENT_ZED] = "zed",
	[EXTRACT_CLIENT_GEMINI] = "gemini-cli",
	[EXTRACT_CLIENT_CODEX] = "codex",
	[EXTRACT_CLIENT_AMAZON_Q] = "amazon-q",
	[EXTRACT_CLIENT_GOOSE] = "goose",
	[EXTRACT_CLIENT_LIBRECHAT] = "librechat",
	[EXTRACT_CLIENT_GENERIC] = "unknown",
};

struct mcp_context {
	const struct extract_file *file;
	const char *client;
	char config_ref[EXTRACT_REF_MAX]; /* "agent.config:<path>" */
};

/* One server in the client-independent shape. */
struct server_view {
	const char *name;
	struct parse_pos pos;
	const struct parse_value *body;
	const struct parse_value *command; /* a string */
	const struct parse_value *args;    /* an array */
	const struct parse_value *env;     /* an object */
	const struct parse_value *headers; /* an object */
	const struct parse_value *url;     /* a string */
	const char *url_key;
	const char *declared_transport;
};

/* The kinds of credential one server carries, from which its auth attribute follows. */
struct server_state {
	struct mcp_context *mc;
	const struct server_view *view;
	char server_ref[EXTRACT_REF_MAX];
	bool literal_header, literal_other, reference, placeholder;
};

/* The first member of body that is present among keys. */
static const struct parse_value *get_any(const struct parse_value *body, const char *const *keys, const char **found)
{
	for (int i = 0; keys[i]; i++) {
		const struct parse_value *value = parse_value_get(body, keys[i]);

		if (value) {
			if (found)
				*found = keys[i];
			return value;
		}
	}
	return NULL;
}

static void read_view(struct server_view *view, const char *name, struct parse_pos pos, const struct parse_value *body)
{
	static const char *const command_keys[] = { "command", "cmd", NULL };
	static const char *const env_keys[] = { "env", "envs", "environment", NULL };
	static const char *const header_keys[] = { "headers", "http_headers", NULL };
	static const char *const url_keys[] = { "url", "serverUrl", "httpUrl", "uri", "endpoint", NULL };
	static const char *const type_keys[] = { "type", "transport", "transportType", NULL };
	const struct parse_value *nested = parse_value_get(body, "transport");
	const struct parse_value *command;

	memset(view, 0, sizeof(*view));
	view->name = name;
	view->pos = pos;
	view->body = body;
	/* Continue's older format nests the server under "transport"; Zed's under "command". */
	if (parse_value_is_object(nested))
		body = nested;
	command = get_any(body, command_keys, NULL);
	if (parse_value_is_object(command)) {
		body = command;
		command = parse_value_get(command, "path");
	}
	view->command = parse_value_string(command) ? command : NULL;
	view->args = parse_value_is_array(parse_value_get(body, "args")) ? parse_value_get(body, "args") : NULL;
	view->env = get_any(body, env_keys, NULL);
	view->headers = get_any(view->body, header_keys, NULL);
	view->url = get_any(body, url_keys, &view->url_key);
	if (!parse_value_string(view->url))
		view->url = NULL;
	view->declared_transport = parse_value_string(get_any(body, type_keys, NULL));
}

static const char *normalize_transport(const char *declared)
{
	static const struct {
		const char *name;
		const char *transport;
	} table[] = {
		{ "stdio", "stdio" }, { "sse", "sse" }, { "http", "streamable-http" },
		{ "streamable-http", "streamable-http" }, { "streamable_http", "streamable-http" },
		{ "streamableHttp", "streamable-http" }, { "websocket", "websocket" }, { "ws", "websocket" },
		{ "builtin", "builtin" },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcasecmp(declared, table[i].name) == 0)
			return table[i].transport;
	return declared;
}

static const char *choose_transport(const struct server_view *view)
{
	if (view->declared_transport)
		return normalize_transport(view->declared_transport);
	if (view->command)
		return "stdio";
	if (!view->url)
		return "unknown";
	if (strcmp(view->url_key, "httpUrl") == 0)
		return "streamable-http";
	/* Clients that infer the transport take a URL path ending in /sse for the SSE transport. */
	if (strstr(view->url->text, "/sse"))
		return "sse";
	return "streamable-http";
}

/* Package runners: the argument that names the package, and flags that take a value. */
struct package_spec {
	const struct parse_value *arg; /* the argument that names the package */
	char ecosystem[16];            /* npm, pypi, docker */
	char version[128];             /* "" when none is given */
	bool pinned;
};

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static const char *arg_text(const struct server_view *view, size_t i)
{
	return view->args && i < view->args->count ? parse_value_scalar(view->args->members[i].value) : NULL;
}

/* Flags of npx, uvx, pipx and docker run that take the next argument as their value. */
static bool flag_takes_value(const char *flag)
{
	static const char *const flags[] = {
		"-p", "--package", "--registry", "--cache", "--userconfig", "--python", "--index-url",
		"--with", "-e", "--env", "-v", "--volume", "--name", "--network", "--entrypoint", "-w",
		"--workdir", "--env-file", "-u", "--user", "--platform", "--mount", "--pull", "--spec",
		"--from", NULL,
	};

	for (int i = 0; flags[i]; i++)
		if (strcmp(flag, flags[i]) == 0)
			return true;
	return false;
}

static bool is_exact_semver(const char *version)
{
	int dots = 0;
	const char *p = version;

	if (*p == 'v')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	for (; *p && *p != '-' && *p != '+'; p++) {
		if (*p == '.')
			dots++;
		else if (!isdigit((unsigned char)*p))
			return false;
	}
	return dots == 2;
}

static bool is_local_package(const char *spec)
{
	return spec[0] == '.' || spec[0] == '/' || spec[0] == '~' || strncmp(spec, "file:", 5) == 0;
}

/* Split `name@version` (npm, uvx), `name==version` (pip) or `image:tag@digest` (docker). */
static void read_version(struct package_spec *spec, const char *text)
{
	const char *at = NULL;

	if (strcmp(spec->ecosystem, "docker") == 0) {
		const char *digest = strstr(text, "@sha256:");
		const char *colon = strrchr(base_name(text), ':');

		if (digest) {
			snprintf(spec->version, sizeof(spec->version), "%s", digest + 1);
			spec->pinned = true;
		} else if (colon) {
			snprintf(spec->version, sizeof(spec->version), "%s", colon + 1);
			spec->pinned = strcmp(colon + 1, "latest") != 0;
		}
		return;
	}
	if ((at = strstr(text, "==")) != NULL)
		at += 2;
	else if ((at = strrchr(text, '@')) != NULL && at != text)
		at += 1;
	else
		at = NULL;
	if (at)
		snprintf(spec->version, sizeof(spec->version), "%s", at);
	spec->pinned = at && (is_exact_semver(at) || strlen(at) == 40);
}

/* Index of the first argument after the runner's own flags and subcommands, or args->count. */
static size_t find_package_arg(const struct server_view *view, const char *const *subcommands, const char **from)
{
	size_t i = 0;
	const char *text;

	for (int s = 0; subcommands[s] && (text = arg_text(view, i)) && strcmp(text, subcommands[s]) == 0; s++)
		i++;
	for (; (text = arg_text(view, i)) != NULL; i++) {
		if (text[0] != '-')
			return i;
		if ((strcmp(text, "-p") == 0 || strcmp(text, "--package") == 0 || strcmp(text, "--from") == 0 ||
		     strcmp(text, "--spec") == 0) && arg_text(view, i + 1)) {
			*from = arg_text(view, i + 1);
			return i + 1;
		}
		if (flag_takes_value(text))
			i++;
	}
	return view->args ? view->args->count : 0;
}

/* Find the package a runner command (npx, uvx, pipx, docker ...) starts; false for other commands. */
static bool find_package(struct package_spec *out, const struct server_view *view)
{
	static const char *const none[] = { NULL };
	static const char *const dlx[] = { "dlx", NULL };
	static const char *const run[] = { "run", NULL };
	static const char *const tool_run[] = { "tool", "run", NULL };
	const char *command = view->command ? base_name(view->command->text) : "";
	const char *const *subcommands = none;
	const char *from = NULL;
	size_t index;

	memset(out, 0, sizeof(*out));
	if (strcmp(command, "npx") == 0 || strcmp(command, "bunx") == 0) {
		snprintf(out->ecosystem, sizeof(out->ecosystem), "npm");
	} else if (strcmp(command, "pnpm") == 0 || strcmp(command, "yarn") == 0) {
		snprintf(out->ecosystem, sizeof(out->ecosystem), "npm");
		subcommands = dlx;
	} else if (strcmp(command, "uvx") == 0) {
		snprintf(out->ecosystem, sizeof(out->ecosystem), "pypi");
	} else if (strcmp(command, "uv") == 0 || strcmp(command, "pipx") == 0) {
		snprintf(out->ecosystem, sizeof(out->ecosystem), "pypi");
		subcommands = strcmp(command, "uv") == 0 ? tool_run : run;
	} else if (strcmp(command, "docker") == 0 || strcmp(command, "podman") == 0) {
		snprintf(out->ecosystem, sizeof(out->ecosystem), "docker");
		subcommands = run;
	} else {
		return false;
	}
	index = find_package_arg(view, subcommands, &from);
	if (!view->args || index >= view->args->count)
		return false;
	out->arg = view->args->members[index].value;
	if (is_local_package(from ? from : out->arg->text))
		return false;
	read_version(out, from ? from : out->arg->text);
	return true;
}

static const char *package_name(const struct package_spec *spec, char *buf, size_t size)
{
	const char *text = spec->arg->text;
	size_t n = strlen(text);
	const char *cut = NULL;

	if (strcmp(spec->ecosystem, "docker") == 0)
		cut = strchr(base_name(text), ':') ? strrchr(text, ':') : strstr(text, "@sha256:");
	else if ((cut = strstr(text, "==")) == NULL && (cut = strrchr(text, '@')) == text)
		cut = NULL;
	if (cut)
		n = (size_t)(cut - text);
	snprintf(buf, size, "%.*s", (int)n, text);
	return buf;
}

/* Add the package attributes to the server fact and report an unpinned package. */
static int check_package(struct mcp_context *mc, const struct server_view *view, struct nhi_fact *fact)
{
	struct package_spec spec;
	char name[256];
	int error;

	if (!find_package(&spec, view))
		return 0;
	package_name(&spec, name, sizeof(name));
	if ((error = extract_attr(fact, "package", name)) < 0 ||
	    (error = extract_attr(fact, "ecosystem", spec.ecosystem)) < 0 ||
	    (error = extract_attr(fact, "version", *spec.version ? spec.version : NULL)) < 0 ||
	    (error = extract_attr(fact, "pinned", spec.pinned ? "true" : "false")) < 0)
		return error;
	if (spec.pinned)
		return 0;
	return extract_finding(mc->file, &unpinned_rule, spec.arg->start, extract_value_end(spec.arg),
			       "MCP server '%s' runs '%s' from %s %s", view->name, name, spec.ecosystem,
			       *spec.version ? "at a moving version" : "without a version");
}

/* Add an mcp.credential fact; *out receives it. */
static int add_credential(struct server_state *state, const char *location, const char *name,
			  const char *classification, struct parse_pos pos, struct nhi_fact **out)
{
	char key[EXTRACT_REF_MAX];
	struct nhi_fact *fact;
	int error;

	snprintf(key, sizeof(key), "%s/%s", state->view->name, name);
	if ((error = extract_fact(&fact, state->mc->file, "mcp.credential", key, state->server_ref, pos)) < 0 ||
	    (error = extract_attr(fact, "server", state->view->name)) < 0 ||
	    (error = extract_attr(fact, "location", location)) < 0 ||
	    (error = extract_attr(fact, "name", name)) < 0 ||
	    (error = extract_attr(fact, "classification", classification)) < 0)
		return error;
	*out = fact;
	return 0;
}

static int add_reference_credential(struct server_state *state, const char *location, const char *name,
				    const struct extract_reference *ref, struct parse_pos pos)
{
	char credential_ref[EXTRACT_REF_MAX];
	struct nhi_fact *fact;
	int error;

	state->reference = true;
	if ((error = add_credential(state, location, name, "reference", pos, &fact)) < 0 ||
	    (error = extract_attr(fact, "store", ref->store)) < 0 ||
	    (error = extract_attr(fact, "reference", ref->name)) < 0)
		return error;
	return extract_add_reference(state->mc->file, ref, extract_ref(credential_ref, "mcp.credential", fact->key), pos);
}

static int add_literal_credential(struct server_state *state, const char *location, const char *name,
				  const struct parse_value *value, size_t offset, size_t len)
{
	struct parse_pos start = extract_text_pos(value, offset), end = extract_text_pos(value, offset + len);
	struct nhi_fact *fact;
	int error;

	if (strcmp(location, "headers") == 0)
		state->literal_header = true;
	else
		state->literal_other = true;
	if ((error = add_credential(state, location, name, "hard-coded", start, &fact)) < 0 ||
	    (error = extract_add_secret_identity(fact, value->text + offset, len)) < 0)
		return error;
	return extract_secret_finding(state->mc->file, &hardcoded_rule, value->text + offset, len, start, end,
				      "MCP server '%s' has a hard-coded credential in %s '%s'", state->view->name,
				      location, name);
}

static bool is_credential_reference(const struct extract_reference *ref, const char *name)
{
	return strcmp(ref->store, "vscode-input") == 0 || extract_name_is_credential(ref->name) ||
	       extract_name_is_credential(name);
}

/*
 * Classify value[offset, offset + len) of a credential-carrying field: a reference, a literal
 * secret, or (for a credential-named field only) an empty or placeholder value.
 */
static int classify_span(struct server_state *state, const char *location, const char *name,
			 const struct parse_value *value, size_t offset, size_t len, bool named)
{
	struct extract_reference ref;
	size_t secret_offset, secret_len;
	struct nhi_fact *fact;

	if (extract_find_reference(&ref, value->text + offset, len)) {
		/* ${workspaceFolder} or ${env:DEBUG} are references too, but not to credentials. */
		if (!is_credential_reference(&ref, named ? name : NULL))
			return 0;
		return add_reference_credential(state, location, name, &ref, extract_text_pos(value, offset + ref.offset));
	}
	extract_secret_span(value->text + offset, len, &secret_offset, &secret_len);
	if (extract_value_is_secret(named ? name : NULL, value->text + offset + secret_offset, secret_len))
		return add_literal_credential(state, location, name, value, offset + secret_offset, secret_len);
	if (!named || !extract_name_is_credential(name))
		return 0;
	state->placeholder = true;
	return add_credential(state, location, name, len ? "placeholder" : "empty", extract_text_pos(value, offset), &fact);
}

/* env and headers maps. */
static int check_map(struct server_state *state, const char *location, const struct parse_value *map)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_object(map) && i < map->count && error == 0; i++) {
		const struct parse_member *member = &map->members[i];

		if (parse_value_string(member->value))
			error = classify_span(state, location, member->key, member->value, 0, member->value->text_len, true);
	}
	return error;
}

static int check_url(struct server_state *state, const char *location, const char *name, const struct parse_value *url)
{
	struct extract_url_secret secrets[MAX_URL_SECRETS];
	size_t count = extract_url_secrets(secrets, MAX_URL_SECRETS, url->text, url->text_len);
	char label[EXTRACT_REF_MAX];
	int error = 0;

	for (size_t i = 0; i < count && error == 0; i++) {
		snprintf(label, sizeof(label), "%.200s%s%.200s", name ? name : "", name ? ":" : "", secrets[i].name);
		error = classify_span(state, location, label, url, secrets[i].offset, secrets[i].len, true);
	}
	return error;
}

/* One command-line argument: `--flag=value`, `NAME=value`, a URL, or a bare value. */
static int check_arg(struct server_state *state, size_t index, const char *previous)
{
	const struct parse_value *arg = state->view->args->members[index].value;
	const char *text = arg->text;
	const char *equals = strchr(text, '=');
	char name[EXTRACT_NAME_MAX];

	if (previous && previous[0] == '-' && !strchr(previous, '=') && extract_name_is_credential(previous))
		return classify_span(state, "args", previous, arg, 0, arg->text_len, true);
	if (equals && equals != text && !strstr(text, "://")) {
		snprintf(name, sizeof(name), "%.*s", (int)(equals - text), text);
		if (extract_name_is_credential(name))
			return classify_span(state, "args", name, arg, (size_t)(equals + 1 - text),
					     arg->text_len - (size_t)(equals + 1 - text), true);
		return 0;
	}
	if (strstr(text, "://"))
		return check_url(state, "args", NULL, arg);
	snprintf(name, sizeof(name), "arg%zu", index + 1);
	return classify_span(state, "args", name, arg, 0, arg->text_len, false);
}

static int check_args(struct server_state *state)
{
	const struct parse_value *args = state->view->args;
	int error = 0;

	for (size_t i = 0; args && i < args->count && error == 0; i++)
		if (parse_value_string(args->members[i].value))
			error = check_arg(state, i, i > 0 ? parse_value_scalar(args->members[i - 1].value) : NULL);
	return error;
}

/* A reference that a field names without the ${...} syntax, like Codex's bearer_token_env_var. */
static int add_named_reference(struct server_state *state, const char *location, const char *name,
			       const struct parse_value *variable)
{
	struct extract_reference ref;

	if (!parse_value_string(variable) || !*variable->text)
		return 0;
	memset(&ref, 0, sizeof(ref));
	ref.store = "env";
	snprintf(ref.name, sizeof(ref.name), "%s", variable->text);
	return add_reference_credential(state, location, name, &ref, variable->start);
}

/* Codex (bearer_token_env_var, env_vars, env_http_headers) and Goose (env_keys) references. */
static int check_named_references(struct server_state *state)
{
	static const char *const list_keys[] = { "env_vars", "env_keys", NULL };
	const struct parse_value *body = state->view->body;
	const struct parse_value *headers = parse_value_get(body, "env_http_headers");
	int error = add_named_reference(state, "headers", "Authorization", parse_value_get(body, "bearer_token_env_var"));

	for (size_t i = 0; error == 0 && parse_value_is_object(headers) && i < headers->count; i++)
		error = add_named_reference(state, "headers", headers->members[i].key, headers->members[i].value);
	for (int k = 0; list_keys[k] && error == 0; k++) {
		const struct parse_value *list = parse_value_get(body, list_keys[k]);

		for (size_t i = 0; parse_value_is_array(list) && i < list->count && error == 0; i++)
			error = add_named_reference(state, "env", parse_value_scalar(list->members[i].value) ?
							       list->members[i].value->text : "", list->members[i].value);
	}
	return error;
}

static bool uses_oauth(const struct parse_value *body)
{
	const struct parse_value *oauth = parse_value_get(body, "oauth");
	const char *enabled = parse_value_scalar(parse_value_get(oauth, "enabled"));

	if (parse_value_get(body, "authProviderType") || parse_value_get(body, "requiresOAuth"))
		return true;
	if (parse_value_is_object(oauth))
		return !enabled || strcmp(enabled, "false") != 0;
	return parse_value_scalar(oauth) && strcmp(oauth->text, "true") == 0;
}

static const char *choose_auth(const struct server_state *state)
{
	if (uses_oauth(state->view->body))
		return "oauth";
	if (state->literal_header)
		return "static-header";
	if (state->literal_other)
		return "env-secret";
	if (state->reference)
		return "reference";
	return state->placeholder ? "unset" : "none";
}

static bool is_disabled(const struct parse_value *body)
{
	const char *disabled = parse_value_scalar(parse_value_get(body, "disabled"));
	const char *enabled = parse_value_scalar(parse_value_get(body, "enabled"));

	return (disabled && strcmp(disabled, "true") == 0) || (enabled && strcmp(enabled, "false") == 0);
}

static int add_server_fact(struct mcp_context *mc, const struct server_view *view, struct nhi_fact **out)
{
	char url[EXTRACT_REF_MAX * 2];
	struct nhi_fact *fact;
	int error;

	if (view->url)
		extract_redact_url(url, sizeof(url), view->url->text);
	if ((error = extract_fact(&fact, mc->file, "mcp.server", view->name, mc->config_ref, view->pos)) < 0 ||
	    (error = extract_attr(fact, "client", mc->client)) < 0 ||
	    (error = extract_attr(fact, "transport", choose_transport(view))) < 0 ||
	    (error = extract_attr(fact, "command", view->command ? view->command->text : NULL)) < 0 ||
	    (error = extract_attr(fact, "url", view->url ? url : NULL)) < 0 ||
	    (error = extract_attr(fact, "disabled", is_disabled(view->body) ? "true" : NULL)) < 0 ||
	    (error = extract_attr(fact, "trust", parse_value_scalar(parse_value_get(view->body, "trust")))) < 0)
		return error;
	*out = fact;
	return 0;
}

static int check_transport(struct mcp_context *mc, const struct server_view *view, const struct server_state *state)
{
	struct extract_rule rule = insecure_rule;

	if (!view->url || !extract_url_is_insecure(view->url->text))
		return 0;
	if (state->literal_header || state->literal_other || state->reference)
		rule.severity = NHI_SEVERITY_HIGH;
	return extract_finding(mc->file, &rule, view->url->start, extract_value_end(view->url),
			       "MCP server '%s' is reached over plain HTTP%s", view->name,
			       rule.severity == NHI_SEVERITY_HIGH ? " and sends credentials" : "");
}

static int process_server(struct mcp_context *mc, const char *name, struct parse_pos pos, const struct parse_value *body)
{
	struct server_view view;
	struct server_state state;
	struct nhi_fact *fact;
	int error;

	if (!parse_value_is_object(body))
		return 0;
	read_view(&view, name, pos, body);
	memset(&state, 0, sizeof(state));
	state.mc = mc;
	state.view = &view;
	extract_ref(state.server_ref, "mcp.server", name);
	if ((error = add_server_fact(mc, &view, &fact)) < 0 ||
	    (error = check_package(mc, &view, fact)) < 0 ||
	    (error = check_map(&state, "env", view.env)) < 0 ||
	    (error = check_map(&state, "headers", view.headers)) < 0 ||
	    (error = check_args(&state)) < 0 ||
	    (error = check_named_references(&state)) < 0)
		return error;
	if (view.url && (error = check_url(&state, "url", NULL, view.url)) < 0)
		return error;
	if ((error = extract_attr(fact, "auth", choose_auth(&state))) < 0)
		return error;
	return check_transport(mc, &view, &state);
}

/* A map of servers by name, or a list of servers that carry their name (Continue). */
static int process_servers(struct mcp_context *mc, const struct parse_value *servers)
{
	char name[EXTRACT_NAME_MAX];
	int error = 0;

	if (parse_value_is_object(servers)) {
		for (size_t i = 0; i < servers->count && error == 0; i++)
			error = process_server(mc, servers->members[i].key, servers->members[i].key_pos, servers->members[i].value);
		return error;
	}
	for (size_t i = 0; parse_value_is_array(servers) && i < servers->count && error == 0; i++) {
		const struct parse_value *item = servers->members[i].value;
		const struct parse_value *item_name = parse_value_get(item, "name");

		if (parse_value_string(item_name))
			snprintf(name, sizeof(name), "%s", item_name->text);
		else
			snprintf(name, sizeof(name), "server%zu", i + 1);
		error = process_server(mc, name, item_name ? item_name->start : item->start, item);
	}
	return error;
}

/* VS Code's `inputs`: prompted values that `${input:id}` refers to. */
static int process_inputs(struct mcp_context *mc, const struct parse_value *inputs)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_array(inputs) && i < inputs->count && error == 0; i++) {
		const struct parse_value *input = inputs->members[i].value;
		const struct parse_value *id = parse_value_get(input, "id");
		struct nhi_fact *fact;

		if (!parse_value_string(id))
			continue;
		if ((error = extract_fact(&fact, mc->file, "mcp.input", id->text, mc->config_ref, id->start)) < 0 ||
		    (error = extract_attr(fact, "client", mc->client)) < 0 ||
		    (error = extract_attr(fact, "type", parse_value_scalar(parse_value_get(input, "type")))) < 0 ||
		    (error = extract_attr(fact, "password", parse_value_scalar(parse_value_get(input, "password")))) < 0)
			return error;
		error = extract_attr(fact, "description", parse_value_string(parse_value_get(input, "description")));
	}
	return error;
}

/* Claude Code settings: credentials in env, and the settings that decide what the agent may do. */
static int process_agent_settings(struct mcp_context *mc, const struct parse_value *root, struct nhi_fact *config)
{
	const struct parse_value *env = parse_value_get(root, "env");
	const struct parse_value *allow = parse_value_get(parse_value_get(root, "permissions"), "allow");
	int error = 0;

	if ((error = extract_attr(config, "api_key_helper", parse_value_get(root, "apiKeyHelper") ? "true" : NULL)) < 0 ||
	    (error = extract_attr(config, "enable_all_project_mcp_servers",
				  parse_value_scalar(parse_value_get(root, "enableAllProjectMcpServers")))) < 0)
		return error;
	for (size_t i = 0; parse_value_is_array(allow) && i < allow->count && error == 0; i++)
		error = extract_attr(config, "allow", parse_value_scalar(allow->members[i].value));
	for (size_t i = 0; parse_value_is_object(env) && i < env->count && error == 0; i++) {
		const struct parse_member *member = &env->members[i];
		struct nhi_fact *fact;
		size_t offset, len;
		char key[EXTRACT_REF_MAX];

		if (!parse_value_string(member->value))
			continue;
		extract_secret_span(member->value->text, member->value->text_len, &offset, &len);
		if (!extract_value_is_secret(member->key, member->value->text + offset, len))
			continue;
		snprintf(key, sizeof(key), "env/%s", member->key);
		if ((error = extract_fact(&fact, mc->file, "agent.credential", key, mc->config_ref, member->key_pos)) < 0 ||
		    (error = extract_attr(fact, "classification", "hard-coded")) < 0 ||
		    (error = extract_add_secret_identity(fact, member->value->text + offset, len)) < 0)
			return error;
		error = extract_secret_finding(mc->file, &agent_hardcoded_rule, member->value->text + offset, len,
					       extract_text_pos(member->value, offset),
					       extract_text_pos(member->value, offset + len),
					       "agent settings set '%s' to a literal credential", member->key);
	}
	return error;
}

static int process_claude_projects(struct mcp_context *mc, const struct parse_value *projects)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_object(projects) && i < projects->count && error == 0; i++)
		error = process_servers(mc, parse_value_get(projects->members[i].value, "mcpServers"));
	return error;
}

/* Find the servers (and VS Code inputs) where the client keeps them. */
static int process_client(struct mcp_context *mc, enum extract_client client, const struct parse_value *root,
			  struct nhi_fact *config)
{
	const struct parse_value *mcp = parse_value_get(root, "mcp");
	int error;

	switch (client) {
	case EXTRACT_CLIENT_VSCODE:
		if ((error = process_inputs(mc, parse_value_get(root, "inputs"))) < 0)
			return error;
		return process_servers(mc, parse_value_get(root, "servers"));
	case EXTRACT_CLIENT_VSCODE_SETTINGS:
		if ((error = process_inputs(mc, parse_value_get(mcp, "inputs"))) < 0)
			return error;
		return process_servers(mc, parse_value_get(mcp, "servers"));
	case EXTRACT_CLIENT_ZED: return process_servers(mc, parse_value_get(root, "context_servers"));
	case EXTRACT_CLIENT_CODEX: return process_servers(mc, parse_value_get(root, "mcp_servers"));
	case EXTRACT_CLIENT_GOOSE: return process_servers(mc, parse_value_get(root, "extensions"));
	case EXTRACT_CLIENT_CLAUDE_CODE:
		if ((error = process_claude_projects(mc, parse_value_get(root, "projects"))) < 0)
			return error;
		return process_servers(mc, parse_value_get(root, "mcpServers"));
	case EXTRACT_CLIENT_CLAUDE_CODE_SETTINGS:
		if ((error = process_agent_settings(mc, root, config)) < 0)
			return error;
		return process_servers(mc, parse_value_get(root, "mcpServers"));
	case EXTRACT_CLIENT_CONTINUE:
		if ((error = process_servers(mc, parse_value_get(parse_value_get(root, "experimental"), "modelContextProtocolServers"))) < 0)
			return error;
		return process_servers(mc, parse_value_get(root, "mcpServers"));
	case EXTRACT_CLIENT_GENERIC:
		if ((error = process_inputs(mc, parse_value_get(root, "inputs"))) < 0 ||
		    (error = process_servers(mc, parse_value_get(root, "servers"))) < 0)
			return error;
		return process_servers(mc, parse_value_get(root, "mcpServers"));
	default: return process_servers(mc, parse_value_get(root, "mcpServers"));
	}
}

int extract_mcp_config(const struct extract_file *file, enum extract_client client, enum extract_format format)
{
	struct parse_doc doc = PARSE_DOC_INIT;
	struct mcp_context mc = { file, client_names[client], "" };
	struct parse_pos top = { 1, 1 };
	struct nhi_fact *config;
	bool loaded;
	int error;

	if ((error = extract_load(&doc, file, format, &loaded)) < 0 || !loaded || !parse_value_is_object(doc.root))
		goto done;
	extract_ref(mc.config_ref, "agent.config", file->path);
	if ((error = extract_fact(&config, file, "agent.config", file->path, NULL, top)) < 0 ||
	    (error = extract_attr(config, "client", mc.client)) < 0)
		goto done;
	error = process_client(&mc, client, doc.root, config);

done:
	parse_doc_dispose(&doc);
	return error;
}
