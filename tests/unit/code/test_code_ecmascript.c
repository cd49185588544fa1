/*
 * The tree-sitter extractor on JavaScript, TypeScript and TSX: MCP servers of the TypeScript SDK
 * with registerTool and tool, stdio and HTTP client transports, agents of the OpenAI Agents SDK
 * and the Vercel AI SDK, model clients, process.env and import.meta.env lookups, and literal
 * credentials in class fields. Each fixture is built at run time; fake tokens are random.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "code_test.h"

static void test_code_ecmascript__typescript_mcp_server(void **state)
{
	const char *text =
		"import { McpServer } from \"@modelcontextprotocol/sdk/server/mcp.js\";\n"
		"import { StdioClientTransport } from \"@modelcontextprotocol/sdk/client/stdio.js\";\n"
		"import { StreamableHTTPClientTransport } from \"@modelcontextprotocol/sdk/client/streamableHttp.js\";\n"
		"\n"
		"const server = new McpServer({ name: \"weather\", version: \"1.0.0\" });\n"
		"server.registerTool(\"forecast\", { title: \"Forecast\" }, async () => ({ content: [] }));\n"
		"server.tool(\"alerts\", async () => ({ content: [] }));\n"
		"const transport = new StdioClientTransport({ command: \"npx\", args: [\"-y\", \"@modelcontextprotocol/server-filesystem\", \"/srv\"] });\n"
		"const remote = new StreamableHTTPClientTransport(new URL(process.env.MCP_URL ?? \"https://mcp.example.com/mcp\"));\n";
	struct code_result result;
	const struct nhi_fact *fact;

	extract_code(&result, "src/server.ts", text);
	fact = need_fact_at(&result, "mcp.server", "weather", 5, 16);
	assert_attr(fact, "framework", "mcp-typescript");
	assert_attr(fact, "language", "typescript");
	assert_attr(fact, "tool", "forecast");
	assert_attr(fact, "tool", "alerts");
	assert_string_equal(need_fact_at(&result, "mcp.tool", "weather/forecast", 6, 1)->parent, "mcp.server:weather");
	need_fact_at(&result, "mcp.tool", "weather/alerts", 7, 1);

	fact = need_fact_at(&result, "mcp.client", "npx -y @modelcontextprotocol/server-filesystem /srv", 8, 19);
	assert_attr(fact, "transport", "stdio");
	assert_attr(fact, "package", "@modelcontextprotocol/server-filesystem");
	assert_attr(fact, "arg", "/srv");
	fact = need_fact_at(&result, "mcp.client", "$MCP_URL", 9, 16);
	assert_attr(fact, "transport", "streamable-http");
	assert_attr(fact, "url", "$MCP_URL");
	/* MCP_URL is read, but neither named nor used like a credential. */
	assert_null(find_fact(&result, "credential.reference", "env:MCP_URL"));
	assert_int_equal(result.facts.count, 5);
	code_result_dispose(&result);
}

static void test_code_ecmascript__typescript_agents(void **state)
{
	char token[64], text[2048];
	struct code_result result;
	const struct nhi_fact *fact;

	make_token(token, sizeof(token), 36);
	snprintf(text, sizeof(text),
		 "import { Agent, tool } from \"@openai/agents\";\n"
		 "import Anthropic from \"@anthropic-ai/sdk\";\n"
		 "import { generateText } from \"ai\";\n"
		 "import { openai } from \"@ai-sdk/openai\";\n"
		 "\n"
		 "const anthropic = new Anthropic({ apiKey: process.env.ANTHROPIC_API_KEY });\n"
		 "const { OPENAI_API_KEY } = process.env;\n"
		 "const helper = new Agent({ name: \"Helper\", instructions: \"Be brief\", tools: [lookupTool] });\n"
		 "const result = await generateText({ model: openai(\"gpt-4o-mini\"), tools: { weather: weatherTool, search: searchTool } });\n"
		 "class Settings { private authToken: string = \"%s\"; }\n",
		 token);
	extract_code(&result, "src/agent.ts", text);
	fact = need_fact_at(&result, "model.client", "anthropic", 6, 19);
	assert_attr(fact, "provider", "anthropic");
	assert_attr(fact, "credential", "reference");
	assert_attr(fact, "credential_name", "ANTHROPIC_API_KEY");
	assert_string_equal(need_fact_at(&result, "credential.reference", "env:ANTHROPIC_API_KEY", 6, 43)->parent,
			    "model.client:anthropic");
	assert_attr(need_fact_at(&result, "credential.reference", "env:OPENAI_API_KEY", 7, 7), "usage", "lookup");

	fact = need_fact_at(&result, "agent", "Helper", 8, 16);
	assert_attr(fact, "framework", "openai-agents");
	assert_attr(fact, "tool", "lookupTool");
	assert_attr(fact, "credential", "environment");
	assert_attr(fact, "credential_name", "OPENAI_API_KEY");

	fact = need_fact_at(&result, "agent", "result", 9, 22);
	assert_attr(fact, "framework", "ai-sdk");
	assert_attr(fact, "model", "gpt-4o-mini");
	assert_attr(fact, "provider", "openai");
	assert_attr(fact, "tool", "weather");
	assert_attr(fact, "tool", "search");
	assert_attr(fact, "credential_name", "OPENAI_API_KEY");

	need_finding_at(&result, "code.credential-assignment", 10, 47);
	assert_int_equal(result.findings.count, 1);
	assert_nowhere(&result, token);
	code_result_dispose(&result);
}

static void test_code_ecmascript__javascript_project(void **state)
{
	char token[64], text[2048];
	struct code_result result;
	const struct nhi_fact *fact;

	make_token(token, sizeof(token), 40);
	snprintf(text, sizeof(text),
		 "const { McpServer } = require(\"@modelcontextprotocol/sdk/server/mcp.js\");\n"
		 "const OpenAI = require(\"openai\");\n"
		 "const client = new OpenAI({ apiKey: process.env[\"OPENAI_API_KEY\"] });\n"
		 "const server = new McpServer({ name: \"notes\", version: \"0.1.0\" });\n"
		 "server.tool(\"add_note\", async () => ({ content: [] }));\n"
		 "class Config { apiKey = \"%s\"; }\n"
		 "const gitlab = createGitLab(import.meta.env.VITE_GITLAB_TOKEN);\n"
		 "// const token = \"%s\";\n",
		 token, token);
	extract_code(&result, "lib/tools.mjs", text);
	fact = need_fact_at(&result, "model.client", "client", 3, 16);
	assert_attr(fact, "language", "javascript");
	assert_attr(fact, "credential", "reference");
	assert_attr(fact, "credential_name", "OPENAI_API_KEY");
	need_fact_at(&result, "credential.reference", "env:OPENAI_API_KEY", 3, 37);
	need_fact_at(&result, "mcp.server", "notes", 4, 16);
	need_fact_at(&result, "mcp.tool", "notes/add_note", 5, 1);
	need_fact_at(&result, "credential.reference", "env:VITE_GITLAB_TOKEN", 7, 29);
	need_finding_at(&result, "code.credential-assignment", 6, 26);
	assert_int_equal(result.findings.count, 1);
	assert_nowhere(&result, token);
	code_result_dispose(&result);
}

static void test_code_ecmascript__tsx_component(void **state)
{
	const char *text =
		"import OpenAI from \"openai\";\n"
		"const apiKey = import.meta.env.VITE_OPENAI_KEY;\n"
		"export function Chat() {\n"
		"  const client = new OpenAI({ apiKey, dangerouslyAllowBrowser: true });\n"
		"  return <div data-token={process.env.CHAT_API_TOKEN}>{client.baseURL}</div>;\n"
		"}\n";
	struct code_result result;
	const struct nhi_fact *fact;

	extract_code(&result, "app/Chat.tsx", text);
	assert_attr(need_fact_at(&result, "credential.reference", "env:VITE_OPENAI_KEY", 2, 16), "usage", "credential");
	fact = need_fact_at(&result, "model.client", "client", 4, 18);
	assert_attr(fact, "credential", "reference");
	assert_attr(fact, "credential_name", "VITE_OPENAI_KEY");
	need_fact_at(&result, "credential.reference", "env:CHAT_API_TOKEN", 5, 27);
	assert_int_equal(result.facts.count, 3);
	assert_int_equal(result.warnings.count, 0);
	code_result_dispose(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_ecmascript__typescript_mcp_server),
		cmocka_unit_test(test_code_ecmascript__typescript_agents),
		cmocka_unit_test(test_code_ecmascript__javascript_project),
		cmocka_unit_test(test_code_ecmascript__tsx_component),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
