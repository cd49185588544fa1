/*
 * MCP client configurations and agent settings: one fixture per client file layout (Claude
 * Desktop, Claude Code, Cursor, VS Code, Windsurf, Cline, Continue, Zed, Gemini CLI, Codex,
 * Amazon Q, Goose, LibreChat), each checked for its servers, transports, packages, credentials
 * and findings. Fake tokens are random and made at run time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "extract_test.h"

/* A fake GitHub personal access token: the prefix, then 36 random characters. */
static void make_github_token(char *out, size_t size)
{
	make_token(out, size, "ghp_", 36, NULL);
}

static void test_extract_mcp__vscode_input_reference(void **state)
{
	const char *text =
		"{\n"
		"  // Inputs are prompted for once and stored by VS Code.\n"
		"  \"inputs\": [\n"
		"    {\"type\": \"promptString\", \"id\": \"github_token\", \"description\": \"GitHub PAT\", \"password\": true},\n"
		"  ],\n"
		"  \"servers\": {\n"
		"    \"github\": {\n"
		"      \"type\": \"stdio\",\n"
		"      \"command\": \"npx\",\n"
		"      \"args\": [\"-y\", \"@modelcontextprotocol/server-github@2025.4.8\"],\n"
		"      \"env\": {\"GITHUB_PERSONAL_ACCESS_TOKEN\": \"${input:github_token}\"},\n"
		"    },\n"
		"  },\n"
		"}\n";
	struct extracted result;
	const struct nhi_fact *server, *credential, *input;

	extract_text(&result, ".vscode/mcp.json", text);
	assert_int_equal(result.warnings.count, 0);
	assert_attr(need_fact(&result, "agent.config", ".vscode/mcp.json"), "client", "vscode");
	server = need_fact(&result, "mcp.server", "github");
	assert_attr(server, "client", "vscode");
	assert_attr(server, "transport", "stdio");
	assert_attr(server, "command", "npx");
	assert_attr(server, "package", "@modelcontextprotocol/server-github");
	assert_attr(server, "version", "2025.4.8");
	assert_attr(server, "pinned", "true");
	assert_attr(server, "auth", "reference");
	assert_position(server->line, server->column, 7, 6);
	credential = need_fact(&result, "mcp.credential", "github/GITHUB_PERSONAL_ACCESS_TOKEN");
	assert_attr(credential, "classification", "reference");
	assert_attr(credential, "store", "vscode-input");
	assert_attr(credential, "reference", "github_token");
	assert_attr(credential, "location", "env");
	assert_string_equal(credential->parent, "mcp.server:github");
	assert_position(credential->line, credential->column, 11, 48);
	assert_non_null(need_fact(&result, "credential.reference", "vscode-input:github_token"));
	input = need_fact(&result, "mcp.input", "github_token");
	assert_attr(input, "password", "true");
	assert_attr(input, "type", "promptString");
	assert_null(find_finding(&result, "mcp.hardcoded-credential"));
	assert_int_equal(result.findings.count, 0);
	extracted_dispose(&result);
}

static void test_extract_mcp__vscode_literal_token(void **state)
{
	char token[64], text[1024];
	struct extracted result;
	const struct nhi_finding *finding;
	const struct nhi_fact *credential;

	make_github_token(token, sizeof(token));
	snprintf(text, sizeof(text),
		 "{\n"
		 "  \"servers\": {\n"
		 "    \"github\": {\n"
		 "      \"command\": \"npx\",\n"
		 "      \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"],\n"
		 "      /* pasted while testing */\n"
		 "      \"env\": {\"GITHUB_PERSONAL_ACCESS_TOKEN\": \"%s\",},\n"
		 "    },\n"
		 "  },\n"
		 "}\n",
		 token);
	extract_text(&result, ".vscode/mcp.json", text);
	finding = need_finding(&result, "mcp.hardcoded-credential");
	assert_position(finding->line, finding->column, 7, 48);
	assert_int_equal(finding->end_column, 48 + 40);
	assert_string_equal(finding->kind, "mcp.hardcoded-credential");
	assert_int_equal(strlen(finding->fingerprint), NHI_FINGERPRINT_HEX);
	assert_true(strncmp(finding->redacted, "ghp_", 4) == 0);
	credential = need_fact(&result, "mcp.credential", "github/GITHUB_PERSONAL_ACCESS_TOKEN");
	assert_attr(credential, "classification", "hard-coded");
	assert_attr(credential, "fingerprint", finding->fingerprint);
	assert_attr(need_fact(&result, "mcp.server", "github"), "auth", "env-secret");
	finding = need_finding(&result, "mcp.unpinned-package");
	assert_position(finding->line, finding->column, 5, 23);
	assert_nowhere(&result, token);
	extracted_dispose(&result);
}

static void test_extract_mcp__claude_desktop(void **state)
{
	char key[80], text[1024];
	struct extracted result;
	const struct nhi_fact *server;

	make_token(key, sizeof(key), "sk-", 48, NULL);
	snprintf(text, sizeof(text),
		 "{\"mcpServers\": {\n"
		 "  \"search\": {\"command\": \"uvx\", \"args\": [\"mcp-search\", \"--api-key\", \"%s\"]},\n"
		 "  \"files\": {\"command\": \"node\", \"args\": [\"/opt/files/server.js\"], \"disabled\": true}\n"
		 "}}\n",
		 key);
	extract_text(&result, "Library/Application Support/Claude/claude_desktop_config.json", text);
	server = need_fact(&result, "mcp.server", "search");
	assert_attr(server, "client", "claude-desktop");
	assert_attr(server, "ecosystem", "pypi");
	assert_attr(server, "pinned", "false");
	assert_attr(need_fact(&result, "mcp.credential", "search/--api-key"), "location", "args");
	assert_position(need_finding(&result, "mcp.hardcoded-credential")->line, need_finding(&result, "mcp.hardcoded-credential")->column, 2, 69);
	server = need_fact(&result, "mcp.server", "files");
	assert_attr(server, "disabled", "true");
	assert_null(model_fact_get(server, "package"));
	assert_int_equal(count_findings(&result, "mcp.unpinned-package"), 1);
	assert_nowhere(&result, key);
	extracted_dispose(&result);
}

static void test_extract_mcp__claude_code_files(void **state)
{
	const char *project =
		"{\"mcpServers\": {\n"
		"  \"api\": {\"type\": \"http\", \"url\": \"https://mcp.example.com/mcp\",\n"
		"          \"headers\": {\"Authorization\": \"Bearer ${API_TOKEN:-}\"}}\n"
		"}}\n";
	const char *user =
		"{\"projects\": {\"/home/dev/app\": {\"mcpServers\": {\n"
		"  \"db\": {\"command\": \"docker\", \"args\": [\"run\", \"-i\", \"--rm\", \"-e\", \"DB_PASSWORD\", \"ghcr.io/example/db-mcp\"]}\n"
		"}}}}\n";
	struct extracted result;
	const struct nhi_fact *server, *credential;

	extract_text(&result, ".mcp.json", project);
	server = need_fact(&result, "mcp.server", "api");
	assert_attr(server, "client", "claude-code");
	assert_attr(server, "transport", "streamable-http");
	assert_attr(server, "url", "https://mcp.example.com/mcp");
	assert_attr(server, "auth", "reference");
	credential = need_fact(&result, "mcp.credential", "api/Authorization");
	assert_attr(credential, "location", "headers");
	assert_attr(credential, "store", "env");
	assert_attr(credential, "reference", "API_TOKEN");
	assert_int_equal(result.findings.count, 0);
	extracted_dispose(&result);

	extract_text(&result, ".claude.json", user);
	server = need_fact(&result, "mcp.server", "db");
	assert_attr(server, "ecosystem", "docker");
	assert_attr(server, "package", "ghcr.io/example/db-mcp");
	assert_attr(server, "pinned", "false");
	assert_non_null(need_finding(&result, "mcp.unpinned-package"));
	extracted_dispose(&result);
}

static void test_extract_mcp__claude_settings_env(void **state)
{
	char key[80], text[1024];
	struct extracted result;
	const struct nhi_fact *config;
	const struct nhi_finding *finding;

	make_token(key, sizeof(key), "sk-ant-api03-", 60, NULL);
	snprintf(text, sizeof(text),
		 "{\n"
		 "  \"apiKeyHelper\": \"~/bin/get-key.sh\",\n"
		 "  \"permissions\": {\"allow\": [\"Bash(npm run test:*)\"]},\n"
		 "  \"env\": {\"ANTHROPIC_API_KEY\": \"%s\", \"DEBUG\": \"1\"}\n"
		 "}\n",
		 key);
	extract_text(&result, ".claude/settings.json", text);
	config = need_fact(&result, "agent.config", ".claude/settings.json");
	assert_attr(config, "api_key_helper", "true");
	assert_attr(config, "allow", "Bash(npm run test:*)");
	assert_attr(need_fact(&result, "agent.credential", "env/ANTHROPIC_API_KEY"), "classification", "hard-coded");
	finding = need_finding(&result, "agent.hardcoded-credential");
	assert_position(finding->line, finding->column, 4, 33);
	assert_int_equal(result.findings.count, 1);
	assert_nowhere(&result, key);
	extracted_dispose(&result);
}

static void test_extract_mcp__cursor_remote_http(void **state)
{
	const char *text =
		"{\"mcpServers\": {\n"
		"  \"tracker\": {\"url\": \"http://tracker.internal.example:8080/sse\", \"headers\": {\"X-API-Key\": \"${env:TRACKER_KEY}\"}},\n"
		"  \"local\": {\"url\": \"http://localhost:3000/mcp\"}\n"
		"}}\n";
	struct extracted result;
	const struct nhi_finding *finding;
	const struct nhi_fact *server;

	extract_text(&result, ".cursor/mcp.json", text);
	server = need_fact(&result, "mcp.server", "tracker");
	assert_attr(server, "client", "cursor");
	assert_attr(server, "transport", "sse");
	finding = need_finding(&result, "mcp.insecure-transport");
	assert_position(finding->line, finding->column, 2, 23);
	assert_int_equal(finding->severity, NHI_SEVERITY_HIGH);
	assert_int_equal(count_findings(&result, "mcp.insecure-transport"), 1);
	assert_attr(need_fact(&result, "mcp.server", "local"), "auth", "none");
	extracted_dispose(&result);
}

static void test_extract_mcp__windsurf_url_query_secret(void **state)
{
	char key[64], text[1024];
	struct extracted result;
	const struct nhi_finding *finding;

	make_token(key, sizeof(key), "", 32, "0123456789abcdef");
	snprintf(text, sizeof(text),
		 "{\"mcpServers\": {\"maps\": {\"serverUrl\": \"https://maps.example.com/mcp?api_key=%s&region=eu\"}}}\n",
		 key);
	extract_text(&result, ".codeium/windsurf/mcp_config.json", text);
	assert_attr(need_fact(&result, "mcp.server", "maps"), "client", "windsurf");
	assert_attr(need_fact(&result, "mcp.credential", "maps/api_key"), "location", "url");
	finding = need_finding(&result, "mcp.hardcoded-credential");
	assert_position(finding->line, finding->column, 1, 77);
	assert_int_equal(finding->end_column, 77 + 32);
	assert_nowhere(&result, key);
	extracted_dispose(&result);
}

static void test_extract_mcp__cline_and_amazon_q(void **state)
{
	const char *cline =
		"{\"mcpServers\": {\"fs\": {\"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-filesystem@latest\", \"/tmp\"],\n"
		"  \"autoApprove\": [\"read_file\"], \"transportType\": \"stdio\"}}}\n";
	const char *amazon = "{\"mcpServers\": {\"aws-docs\": {\"command\": \"uvx\", \"args\": [\"awslabs.aws-documentation-mcp-server==1.1.2\"]}}}\n";
	struct extracted result;
	const struct nhi_fact *server;

	extract_text(&result, "globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json", cline);
	server = need_fact(&result, "mcp.server", "fs");
	assert_attr(server, "client", "cline");
	assert_attr(server, "version", "latest");
	assert_attr(server, "pinned", "false");
	assert_non_null(strstr(need_finding(&result, "mcp.unpinned-package")->message, "moving version"));
	extracted_dispose(&result);

	extract_text(&result, ".amazonq/mcp.json", amazon);
	server = need_fact(&result, "mcp.server", "aws-docs");
	assert_attr(server, "client", "amazon-q");
	assert_attr(server, "version", "1.1.2");
	assert_attr(server, "pinned", "true");
	assert_int_equal(result.findings.count, 0);
	extracted_dispose(&result);
}

static void test_extract_mcp__continue_yaml(void **state)
{
	const char *config =
		"name: assistant\n"
		"mcpServers:\n"
		"  - name: SQLite\n"
		"    command: npx\n"
		"    args: [\"-y\", \"mcp-sqlite\", \"/data/app.db\"]\n"
		"  - name: Search\n"
		"    type: sse\n"
		"    url: https://search.example.com/sse\n"
		"    env:\n"
		"      SEARCH_TOKEN: ${{ secrets.SEARCH_TOKEN }}\n";
	const char *block = "mcpServers:\n  - name: Notes\n    command: uvx\n    args: [notes-mcp@0.3.1]\n";
	struct extracted result;
	const struct nhi_fact *server;

	extract_text(&result, ".continue/config.yaml", config);
	server = need_fact(&result, "mcp.server", "SQLite");
	assert_attr(server, "client", "continue");
	assert_position(server->line, server->column, 3, 11);
	assert_attr(need_fact(&result, "mcp.server", "Search"), "transport", "sse");
	assert_attr(need_fact(&result, "mcp.credential", "Search/SEARCH_TOKEN"), "store", "secret");
	assert_int_equal(count_findings(&result, "mcp.unpinned-package"), 1);
	extracted_dispose(&result);

	extract_text(&result, ".continue/mcpServers/notes.yaml", block);
	assert_attr(need_fact(&result, "mcp.server", "Notes"), "pinned", "true");
	extracted_dispose(&result);
}

static void test_extract_mcp__zed_context_servers(void **state)
{
	const char *text =
		"{\n"
		"  \"theme\": \"One Dark\",\n"
		"  \"context_servers\": {\n"
		"    \"postgres\": {\"command\": {\"path\": \"npx\", \"args\": [\"-y\", \"pg-mcp@1.0.0\"], \"env\": {\"PGPASSWORD\": \"${PGPASSWORD}\"}}},\n"
		"  },\n"
		"}\n";
	struct extracted result;
	const struct nhi_fact *server;

	extract_text(&result, ".config/zed/settings.json", text);
	server = need_fact(&result, "mcp.server", "postgres");
	assert_attr(server, "client", "zed");
	assert_attr(server, "command", "npx");
	assert_attr(server, "pinned", "true");
	assert_attr(need_fact(&result, "mcp.credential", "postgres/PGPASSWORD"), "classification", "reference");
	extracted_dispose(&result);
}

static void test_extract_mcp__gemini_http_headers(void **state)
{
	char token[80], text[1024];
	struct extracted result;
	const struct nhi_fact *server;
	const struct nhi_finding *finding;

	make_token(token, sizeof(token), "", 40, NULL);
	snprintf(text, sizeof(text),
		 "{\"mcpServers\": {\"issues\": {\"httpUrl\": \"https://issues.example.com/mcp\", \"trust\": true,\n"
		 "  \"headers\": {\"Authorization\": \"Bearer %s\"}}}}\n",
		 token);
	extract_text(&result, ".gemini/settings.json", text);
	server = need_fact(&result, "mcp.server", "issues");
	assert_attr(server, "client", "gemini-cli");
	assert_attr(server, "transport", "streamable-http");
	assert_attr(server, "auth", "static-header");
	assert_attr(server, "trust", "true");
	finding = need_finding(&result, "mcp.hardcoded-credential");
	assert_position(finding->line, finding->column, 2, 40);
	assert_nowhere(&result, token);
	extracted_dispose(&result);
}

static void test_extract_mcp__codex_toml(void **state)
{
	char password[64], text[1024];
	struct extracted result;
	const struct nhi_fact *server;
	const struct nhi_finding *finding;

	make_token(password, sizeof(password), "", 24, NULL);
	snprintf(text, sizeof(text),
		 "model = \"o3\"\n"
		 "\n"
		 "[mcp_servers.db]\n"
		 "command = \"uvx\"\n"
		 "args = [\"postgres-mcp\"]\n"
		 "env = { DATABASE_PASSWORD = \"%s\" }\n"
		 "\n"
		 "[mcp_servers.linear]\n"
		 "url = \"https://mcp.linear.app/mcp\"\n"
		 "bearer_token_env_var = \"LINEAR_API_KEY\"\n",
		 password);
	extract_text(&result, ".codex/config.toml", text);
	server = need_fact(&result, "mcp.server", "db");
	assert_attr(server, "client", "codex");
	assert_position(server->line, server->column, 3, 14);
	finding = need_finding(&result, "mcp.hardcoded-credential");
	assert_position(finding->line, finding->column, 6, 30);
	server = need_fact(&result, "mcp.server", "linear");
	assert_attr(server, "transport", "streamable-http");
	assert_attr(server, "auth", "reference");
	assert_attr(need_fact(&result, "mcp.credential", "linear/Authorization"), "reference", "LINEAR_API_KEY");
	assert_nowhere(&result, password);
	extracted_dispose(&result);
}

static void test_extract_mcp__goose_extensions(void **state)
{
	const char *text =
		"GOOSE_PROVIDER: anthropic\n"
		"extensions:\n"
		"  developer:\n"
		"    type: builtin\n"
		"    enabled: true\n"
		"  github:\n"
		"    type: stdio\n"
		"    cmd: npx\n"
		"    args: [-y, \"@modelcontextprotocol/server-github\"]\n"
		"    env_keys: [GITHUB_PERSONAL_ACCESS_TOKEN]\n"
		"    enabled: false\n";
	struct extracted result;
	const struct nhi_fact *server;

	extract_text(&result, ".config/goose/config.yaml", text);
	assert_attr(need_fact(&result, "mcp.server", "developer"), "transport", "builtin");
	server = need_fact(&result, "mcp.server", "github");
	assert_attr(server, "client", "goose");
	assert_attr(server, "command", "npx");
	assert_attr(server, "disabled", "true");
	assert_attr(need_fact(&result, "mcp.credential", "github/GITHUB_PERSONAL_ACCESS_TOKEN"), "store", "env");
	assert_non_null(need_finding(&result, "mcp.unpinned-package"));
	extracted_dispose(&result);
}

static void test_extract_mcp__librechat_oauth(void **state)
{
	const char *text =
		"version: 1.2.8\n"
		"mcpServers:\n"
		"  jira:\n"
		"    type: streamable-http\n"
		"    url: https://jira-mcp.example.com/mcp\n"
		"    headers:\n"
		"      X-User-ID: \"{{LIBRECHAT_USER_ID}}\"\n"
		"    oauth:\n"
		"      authorization_url: https://auth.example.com/authorize\n"
		"  tools:\n"
		"    command: npx\n"
		"    args: [\"-y\", \"tools-mcp@2.0.1\"]\n"
		"    env:\n"
		"      TOOLS_API_KEY: \"${TOOLS_API_KEY}\"\n";
	struct extracted result;

	extract_text(&result, "librechat.yaml", text);
	assert_attr(need_fact(&result, "mcp.server", "jira"), "auth", "oauth");
	assert_attr(need_fact(&result, "mcp.server", "tools"), "auth", "reference");
	assert_attr(need_fact(&result, "mcp.credential", "tools/TOOLS_API_KEY"), "reference", "TOOLS_API_KEY");
	assert_null(find_fact(&result, "mcp.credential", "jira/X-User-ID"));
	assert_int_equal(result.findings.count, 0);
	extracted_dispose(&result);
}

static void test_extract_mcp__placeholders_not_reported(void **state)
{
	const char *text =
		"{\"mcpServers\": {\"gh\": {\"command\": \"npx\", \"args\": [\"-y\", \"gh-mcp@1.0.0\"],\n"
		"  \"env\": {\"GITHUB_TOKEN\": \"<YOUR_TOKEN>\", \"OPENAI_API_KEY\": \"\"}}}}\n";
	struct extracted result;

	extract_text(&result, ".cursor/mcp.json", text);
	assert_attr(need_fact(&result, "mcp.credential", "gh/GITHUB_TOKEN"), "classification", "placeholder");
	assert_attr(need_fact(&result, "mcp.credential", "gh/OPENAI_API_KEY"), "classification", "empty");
	assert_attr(need_fact(&result, "mcp.server", "gh"), "auth", "unset");
	assert_int_equal(result.findings.count, 0);
	extracted_dispose(&result);
}

static void test_extract_mcp__vscode_settings_and_generic(void **state)
{
	const char *settings =
		"{\n"
		"  \"editor.tabSize\": 2,\n"
		"  \"mcp\": {\n"
		"    \"inputs\": [{\"type\": \"promptString\", \"id\": \"key\", \"password\": true}],\n"
		"    \"servers\": {\"docs\": {\"type\": \"sse\", \"url\": \"https://docs.example.com/sse\",\n"
		"      \"headers\": {\"Authorization\": \"Bearer ${input:key}\"}}}\n"
		"  }\n"
		"}\n";
	const char *generic = "{\"mcpServers\": {\"notes\": {\"command\": \"uvx\", \"args\": [\"notes-mcp==0.2.0\"]}}}\n";
	struct extracted result;
	const struct nhi_fact *credential;

	extract_text(&result, ".vscode/settings.json", settings);
	assert_attr(need_fact(&result, "mcp.server", "docs"), "transport", "sse");
	assert_non_null(need_fact(&result, "mcp.input", "key"));
	credential = need_fact(&result, "mcp.credential", "docs/Authorization");
	assert_attr(credential, "store", "vscode-input");
	assert_position(credential->line, credential->column, 6, 44);
	extracted_dispose(&result);

	extract_text(&result, "tools/mcp.json", generic);
	assert_attr(need_fact(&result, "mcp.server", "notes"), "client", "unknown");
	assert_attr(need_fact(&result, "mcp.server", "notes"), "pinned", "true");
	extracted_dispose(&result);

	/* A settings.json outside a client's folder is not read. */
	extract_text(&result, "app/settings.json", settings);
	assert_int_equal(result.facts.count, 0);
	extracted_dispose(&result);
}

static void test_extract_mcp__malformed_files_warn(void **state)
{
	/* The comma missing at the end of line 3 makes tree-sitter mark line 3. */
	const char *json = "{\n  \"mcpServers\": {\n    \"a\": {\"command\": \"npx\"\n    \"b\": 1\n  }\n}\n";
	const char *toml = "[mcp_servers.a]\ncommand = \"npx\"\nargs = [\"x\"\n";
	struct extracted result;

	extract_text(&result, ".cursor/mcp.json", json);
	assert_int_equal(result.warnings.count, 1);
	assert_true(strncmp(result.warnings.items[0], ".cursor/mcp.json:3: invalid JSON", 32) == 0);
	assert_int_equal(result.facts.count, 0);
	extracted_dispose(&result);

	extract_text(&result, ".codex/config.toml", toml);
	assert_int_equal(result.warnings.count, 1);
	assert_true(strncmp(result.warnings.items[0], ".codex/config.toml:", 19) == 0);
	assert_non_null(strstr(result.warnings.items[0], "invalid TOML"));
	extracted_dispose(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_mcp__vscode_input_reference),
		cmocka_unit_test(test_extract_mcp__vscode_literal_token),
		cmocka_unit_test(test_extract_mcp__claude_desktop),
		cmocka_unit_test(test_extract_mcp__claude_code_files),
		cmocka_unit_test(test_extract_mcp__claude_settings_env),
		cmocka_unit_test(test_extract_mcp__cursor_remote_http),
		cmocka_unit_test(test_extract_mcp__windsurf_url_query_secret),
		cmocka_unit_test(test_extract_mcp__cline_and_amazon_q),
		cmocka_unit_test(test_extract_mcp__continue_yaml),
		cmocka_unit_test(test_extract_mcp__zed_context_servers),
		cmocka_unit_test(test_extract_mcp__gemini_http_headers),
		cmocka_unit_test(test_extract_mcp__codex_toml),
		cmocka_unit_test(test_extract_mcp__goose_extensions),
		cmocka_unit_test(test_extract_mcp__librechat_oauth),
		cmocka_unit_test(test_extract_mcp__placeholders_not_reported),
		cmocka_unit_test(test_extract_mcp__vscode_settings_and_generic),
		cmocka_unit_test(test_extract_mcp__malformed_files_warn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
