/*
 * Dispatch of a scanned file to the configuration extractors; see extract.h.
 *
 * Almost every file of a repository is not one of the configuration files read here, so the
 * decision is made from the path alone, with string comparisons and no allocation. Only files
 * with generic names (config.yaml, manifest.json, settings.json under a client's folder) get a
 * memmem() look at their content before they are parsed. OAuth scopes can be written in any
 * source file, so every file also gets the cheap scope pre-check of extract_scopes_may_occur().
 */
#include "extract/extract.h"
#include "extract/extractors.h"
#include "extract/yaml.h"
#include "parse/toml.h"
#include "util/error.h"

#include <string.h>

enum file_family {
	FAMILY_NONE,
	FAMILY_GITHUB_WORKFLOW,
	FAMILY_GITHUB_ACTION,
	FAMILY_GITLAB_CI,
	FAMILY_CIRCLECI,
	FAMILY_AZURE_PIPELINES,
	FAMILY_BITBUCKET,
	FAMILY_JENKINSFILE,
	FAMILY_MCP,
	FAMILY_APP_MANIFEST,
};

struct file_kind {
	enum file_family family;
	enum extract_client client;
	enum extract_format format;
};

int extract_load(struct parse_doc *doc, const struct extract_file *file, enum extract_format format,
		 bool *loaded)
{
	int error;

	*loaded = false;
	switch (format) {
	case EXTRACT_FORMAT_JSON: error = parse_json_load(doc, file->path, file->data, file->len); break;
	case EXTRACT_FORMAT_TOML: error = parse_toml_load(doc, file->path, file->data, file->len); break;
	default: error = extract_yaml_load(doc, file->path, file->data, file->len); break;
	}
	if (error == NHI_EINVALID)
		return extract_warning(file, nhi_error_last());
	if (error < 0)
		return error;
	*loaded = doc->root != NULL;
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool has_suffix(const char *text, const char *suffix)
{
	size_t len = strlen(text), n = strlen(suffix);

	return len >= n && strcmp(text + len - n, suffix) == 0;
}

static bool is_yaml_name(const char *name)
{
	return has_suffix(name, ".yml") || has_suffix(name, ".yaml");
}

/* True when path is dir + rest or contains "/" + dir + rest: dir is a folder of the path. */
static bool is_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	const char *at = path;

	if (strncmp(path, dir, n) == 0)
		return true;
	while ((at = strstr(at, dir)) != NULL) {
		if (at > path && at[-1] == '/')
			return true;
		at++;
	}
	return false;
}

/* True when the path is exactly `file` in a folder called `dir`, like ".cursor/mcp.json". */
static bool is_file_in(const char *path, const char *dir_and_file)
{
	size_t len = strlen(path), n = strlen(dir_and_file);

	if (len < n || strcmp(path + len - n, dir_and_file) != 0)
		return false;
	return len == n || path[len - n - 1] == '/';
}

static bool contains(const char *data, size_t len, const char *needle)
{
	return memmem(data, len, needle, strlen(needle)) != NULL;
}

static struct file_kind kind_of(enum file_family family, enum extract_client client, enum extract_format format)
{
	struct file_kind kind = { family, client, format };

	return kind;
}

static struct file_kind classify_pipeline(const char *path, const char *name)
{
	struct file_kind none = { FAMILY_NONE, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_YAML };

	if (strcmp(name, "Jenkinsfile") == 0 || strncmp(name, "Jenkinsfile.", 12) == 0 ||
	    has_suffix(name, ".jenkinsfile"))
		return kind_of(FAMILY_JENKINSFILE, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_YAML);
	if (!is_yaml_name(name))
		return none;
	if (is_under(path, ".github/workflows/"))
		return kind_of(FAMILY_GITHUB_WORKFLOW, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_YAML);
	if (strcmp(name, "action.yml") == 0 || strcmp(name, "action.yaml") == 0)
		return kind_of(FAMILY_GITHUB_ACTION, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_YAML);
	if (strcmp(name, ".gitlab-ci.yml") == 0 || has_suffix(name, ".gitlab-ci.yml") || is_under(path, ".gitlab/ci/"))
		return kind_of(FAMILY_GITLAB_CI, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_YAML);
	if (is_file_in(path, ".circleci/config.yml") || is_file_in(path, ".circleci/config.yaml"))
		return kind_of(FAMILY_CIRCLECI, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_YAML);
	if (strncmp(name, "azure-pipelines", 15) == 0 || is_under(path, ".azure-pipelines/") ||
	    is_under(path, ".azuredevops/"))
		return kind_of(FAMILY_AZURE_PIPELINES, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_YAML);
	if (strcmp(name, "bitbucket-pipelines.yml") == 0 || strcmp(name, "bitbucket-pipelines.yaml") == 0)
		return kind_of(FAMILY_BITBUCKET, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_YAML);
	return none;
}

/* MCP client files whose name alone identifies them. */
static struct file_kind classify_mcp_by_name(const char *path, const char *name)
{
	static const struct {
		const char *suffix; /* a file name or "folder/file" */
		enum extract_client client;
		enum extract_format format;
	} table[] = {
		{ "claude_desktop_config.json", EXTRACT_CLIENT_CLAUDE_DESKTOP, EXTRACT_FORMAT_JSON },
		{ ".mcp.json", EXTRACT_CLIENT_CLAUDE_CODE, EXTRACT_FORMAT_JSON },
		{ ".claude.json", EXTRACT_CLIENT_CLAUDE_CODE, EXTRACT_FORMAT_JSON },
		{ ".claude/settings.json", EXTRACT_CLIENT_CLAUDE_CODE_SETTINGS, EXTRACT_FORMAT_JSON },
		{ ".claude/settings.local.json", EXTRACT_CLIENT_CLAUDE_CODE_SETTINGS, EXTRACT_FORMAT_JSON },
		{ ".cursor/mcp.json", EXTRACT_CLIENT_CURSOR, EXTRACT_FORMAT_JSON },
		{ ".vscode/mcp.json", EXTRACT_CLIENT_VSCODE, EXTRACT_FORMAT_JSON },
		{ "mcp_config.json", EXTRACT_CLIENT_WINDSURF, EXTRACT_FORMAT_JSON },
		{ "cline_mcp_settings.json", EXTRACT_CLIENT_CLINE, EXTRACT_FORMAT_JSON },
		{ ".gemini/settings.json", EXTRACT_CLIENT_GEMINI, EXTRACT_FORMAT_JSON },
		{ ".codex/config.toml", EXTRACT_CLIENT_CODEX, EXTRACT_FORMAT_TOML },
		{ ".amazonq/mcp.json", EXTRACT_CLIENT_AMAZON_Q, EXTRACT_FORMAT_JSON },
		{ "amazonq/mcp.json", EXTRACT_CLIENT_AMAZON_Q, EXTRACT_FORMAT_JSON },
		{ "librechat.yaml", EXTRACT_CLIENT_LIBRECHAT, EXTRACT_FORMAT_YAML },
		{ "librechat.yml", EXTRACT_CLIENT_LIBRECHAT, EXTRACT_FORMAT_YAML },
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (is_file_in(path, table[i].suffix))
			return kind_of(FAMILY_MCP, table[i].client, table[i].format);
	if ((is_under(path, ".amazonq/cli-agents/") || is_under(path, "amazonq/cli-agents/") ||
	     is_under(path, ".amazonq/agents/")) && has_suffix(name, ".json"))
		return kind_of(FAMILY_MCP, EXTRACT_CLIENT_AMAZON_Q, EXTRACT_FORMAT_JSON);
	return kind_of(FAMILY_NONE, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_JSON);
}

/* Client files with generic names: the folder and a look at the content decide. */
static struct file_kind classify_mcp_by_content(const char *path, const char *name, const char *data, size_t len)
{
	struct file_kind none = { FAMILY_NONE, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_JSON };

	if (is_under(path, ".continue/") && (is_yaml_name(name) || has_suffix(name, ".json")) &&
	    contains(data, len, "mcpServers"))
		return kind_of(FAMILY_MCP, EXTRACT_CLIENT_CONTINUE,
			       is_yaml_name(name) ? EXTRACT_FORMAT_YAML : EXTRACT_FORMAT_JSON);
	if (strcmp(name, "config.yaml") == 0 && (is_under(path, "goose/") || is_under(path, ".goose/")) &&
	    contains(data, len, "extensions"))
		return kind_of(FAMILY_MCP, EXTRACT_CLIENT_GOOSE, EXTRACT_FORMAT_YAML);
	if (is_file_in(path, ".vscode/settings.json") && contains(data, len, "\"mcp\""))
		return kind_of(FAMILY_MCP, EXTRACT_CLIENT_VSCODE_SETTINGS, EXTRACT_FORMAT_JSON);
	if (strcmp(name, "settings.json") == 0 && (is_under(path, "zed/") || is_under(path, ".zed/")) &&
	    contains(data, len, "context_servers"))
		return kind_of(FAMILY_MCP, EXTRACT_CLIENT_ZED, EXTRACT_FORMAT_JSON);
	if (strcmp(name, "mcp.json") == 0 && (contains(data, len, "mcpServers") || contains(data, len, "\"servers\"")))
		return kind_of(FAMILY_MCP, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_JSON);
	return none;
}

/* Slack and GitHub App manifests: a manifest-like name and the key that makes them one. */
static struct file_kind classify_manifest(const char *name, const char *data, size_t len)
{
	struct file_kind none = { FAMILY_NONE, EXTRACT_CLIENT_GENERIC, EXTRACT_FORMAT_JSON };
	bool json = has_suffix(name, ".json");

	if (!json && !is_yaml_name(name))
		return none;
	if (!strstr(name, "manifest") && strcmp(name, "app.yml") != 0 && strcmp(name, "app.yaml") != 0)
		return none;
	if (!contains(data, len, "oauth_config") && !contains(data, len, "default_permissions"))
		return none;
	return kind_of(FAMILY_APP_MANIFEST, EXTRACT_CLIENT_GENERIC, json ? EXTRACT_FORMAT_JSON : EXTRACT_FORMAT_YAML);
}

static struct file_kind classify(const char *path, const char *data, size_t len)
{
	const char *name = base_name(path);
	struct file_kind kind = classify_pipeline(path, name);

	if (kind.family != FAMILY_NONE)
		return kind;
	kind = classify_mcp_by_name(path, name);
	if (kind.family != FAMILY_NONE)
		return kind;
	kind = classify_mcp_by_content(path, name, data, len);
	if (kind.family != FAMILY_NONE)
		return kind;
	return classify_manifest(name, data, len);
}

static int run_extractor(const struct extract_file *file, struct file_kind kind)
{
	switch (kind.family) {
	case FAMILY_GITHUB_WORKFLOW: return extract_github_workflow(file, false);
	case FAMILY_GITHUB_ACTION: return extract_github_workflow(file, true);
	case FAMILY_GITLAB_CI: return extract_gitlab_ci(file);
	case FAMILY_CIRCLECI: return extract_circleci(file);
	case FAMILY_AZURE_PIPELINES: return extract_azure_pipelines(file);
	case FAMILY_BITBUCKET: return extract_bitbucket_pipelines(file);
	case FAMILY_JENKINSFILE: return extract_jenkinsfile(file);
	case FAMILY_MCP: return extract_mcp_config(file, kind.client, kind.format);
	case FAMILY_APP_MANIFEST: return extract_app_manifest(file, kind.format);
	default: return 0;
	}
}

int extract_file(const struct nhi_extract_output *out, const char *path, const char *data, size_t len)
{
	struct extract_file file = { out, path, data, len };
	struct file_kind kind = classify(path, data, len);
	int error;

	if ((error = run_extractor(&file, kind)) < 0)
		return error;
	/* A manifest's scopes were read from its structure already. */
	if (kind.family != FAMILY_APP_MANIFEST && extract_scopes_may_occur(data, len))
		return extract_scopes_in_text(&file);
	return 0;
}
