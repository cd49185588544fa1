/*
 * The tree-sitter extractor on Python: FastMCP and low-level MCP servers with their tools, MCP
 * clients, agents of the OpenAI Agents SDK, LangGraph, LangChain, CrewAI, AutoGen, LlamaIndex and
 * Semantic Kernel, model SDK clients, every form of environment lookup, and literal credentials.
 * Each fixture is built at run time; fake tokens are random.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "code_test.h"

static void test_code_python__openai_agent_project(void **state)
{
	const char *text =
		"import os\n"
		"from agents import Agent, function_tool\n"
		"from agents.mcp import MCPServerStdio\n"
		"from openai import OpenAI\n"
		"\n"
		"@function_tool\n"
		"def get_weather(city: str) -> str:\n"
		"    return \"sunny\"\n"
		"\n"
		"client = OpenAI(api_key=os.environ[\"OPENAI_API_KEY\"])\n"
		"github = MCPServerStdio(name=\"github\", params={\"command\": \"npx\", \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"],\n"
		"    \"env\": {\"GITHUB_PERSONAL_ACCESS_TOKEN\": os.getenv(\"GITHUB_TOKEN\")}})\n"
		"agent = Agent(name=\"Weather bot\", tools=[get_weather], model=\"gpt-4o\", mcp_servers=[github])\n";
	struct code_result result;
	const struct nhi_fact *fact;

	extract_code(&result, "app/agent.py", text);
	fact = need_fact_at(&result, "model.client", "client", 10, 10);
	assert_attr(fact, "framework", "openai");
	assert_attr(fact, "provider", "openai");
	assert_attr(fact, "credential", "reference");
	assert_attr(fact, "credential_name", "OPENAI_API_KEY");
	assert_attr(fact, "language", "python");

	fact = need_fact_at(&result, "mcp.client", "github", 11, 10);
	assert_attr(fact, "transport", "stdio");
	assert_attr(fact, "command", "npx");
	assert_attr(fact, "arg", "-y");
	assert_attr(fact, "package", "@modelcontextprotocol/server-github");
	assert_attr(fact, "credential", "reference");
	assert_attr(fact, "credential_name", "GITHUB_TOKEN");

	fact = need_fact_at(&result, "agent", "Weather bot", 13, 9);
	assert_attr(fact, "framework", "openai-agents");
	assert_attr(fact, "model", "gpt-4o");
	assert_attr(fact, "provider", "openai");
	assert_attr(fact, "tool", "get_weather");
	assert_attr(fact, "mcp_server", "github");
	assert_attr(fact, "credential", "environment");
	assert_attr(fact, "credential_name", "OPENAI_API_KEY");

	fact = need_fact_at(&result, "agent.tool", "get_weather", 7, 5);
	assert_attr(fact, "decorator", "function_tool");

	fact = need_fact_at(&result, "credential.reference", "env:OPENAI_API_KEY", 10, 25);
	assert_string_equal(fact->parent, "model.client:client");
	assert_attr(fact, "name", "OPENAI_API_KEY");
	assert_attr(fact, "store", "env");
	assert_attr(fact, "usage", "credential");
	fact = need_fact_at(&result, "credential.reference", "env:GITHUB_TOKEN", 12, 45);
	assert_string_equal(fact->parent, "mcp.client:github");

	assert_int_equal(result.facts.count, 6);
	assert_int_equal(result.findings.count, 0);
	code_result_dispose(&result);
}

static void test_code_python__fastmcp_server_tools(void **state)
{
	const char *text =
		"from mcp.server.fastmcp import FastMCP\n"
		"\n"
		"mcp = FastMCP(\"weather\")\n"
		"\n"
		"@mcp.tool()\n"
		"def forecast(city: str) -> str:\n"
		"    \"\"\"Return the forecast.\"\"\"\n"
		"    return \"sunny\"\n"
		"\n"
		"@mcp.tool(name=\"alerts\")\n"
		"async def get_alerts(state: str) -> str:\n"
		"    return \"none\"\n"
		"\n"
		"@mcp.resource(\"config://app\")\n"
		"def config() -> str:\n"
		"    return \"{}\"\n";
	struct code_result result;
	const struct nhi_fact *fact;

	extract_code(&result, "server.py", text);
	fact = need_fact_at(&result, "mcp.server", "weather", 3, 7);
	assert_attr(fact, "framework", "fastmcp");
	assert_attr(fact, "origin", "code");
	assert_attr(fact, "variable", "mcp");
	assert_attr(fact, "tool", "forecast");
	assert_attr(fact, "tool", "alerts");
	fact = need_fact_at(&result, "mcp.tool", "weather/forecast", 6, 5);
	assert_string_equal(fact->parent, "mcp.server:weather");
	need_fact_at(&result, "mcp.tool", "weather/alerts", 11, 11);
	assert_int_equal(count_facts(&result, "mcp.tool"), 2);
	assert_int_equal(result.facts.count, 3);
	code_result_dispose(&result);
}

static void test_code_python__lowlevel_server_and_clients(void **state)
{
	const char *text =
		"from mcp.server.lowlevel import Server\n"
		"from mcp import StdioServerParameters, types\n"
		"from mcp.client.streamable_http import streamablehttp_client\n"
		"\n"
		"app = Server(\"files\")\n"
		"\n"
		"@app.list_tools()\n"
		"async def list_tools():\n"
		"    return [types.Tool(name=\"read_file\", description=\"Read\", inputSchema={})]\n"
		"\n"
		"params = StdioServerParameters(command=\"uvx\", args=[\"mcp-server-fetch\"])\n"
		"remote = streamablehttp_client(\"https://user:hunter22@mcp.example.com/mcp\")\n"
		"web = uvicorn.Server(config)\n";
	struct code_result result;
	const struct nhi_fact *fact;

	extract_code(&result, "lowlevel.py", text);
	fact = need_fact_at(&result, "mcp.server", "files", 5, 7);
	assert_attr(fact, "framework", "mcp-python-lowlevel");
	need_fact_at(&result, "mcp.tool", "files/read_file", 9, 13);
	fact = need_fact_at(&result, "mcp.client", "uvx mcp-server-fetch", 11, 10);
	assert_attr(fact, "transport", "stdio");
	assert_attr(fact, "package", "mcp-server-fetch");
	assert_attr(fact, "variable", "params");
	fact = need_fact_at(&result, "mcp.client", "https://user:****@mcp.example.com/mcp", 12, 10);
	assert_attr(fact, "transport", "streamable-http");
	assert_nowhere(&result, "hunter22");
	/* uvicorn.Server is no MCP server, although the file imports one. */
	assert_int_equal(count_facts(&result, "mcp.server"), 1);
	code_result_dispose(&result);
}

struct framework_case {
	const char *text;
	const char *framework;
	const char *key;
	size_t line;
	size_t column;
	const char *model;     /* NULL when the agent names none */
	const char *provider;
	const char *tool;
};

static void test_code_python__agent_frameworks(void **state)
{
	static const struct framework_case cases[] = {
		{ "from langgraph.prebuilt import create_react_agent\n"
		  "graph = create_react_agent(\"anthropic:claude-3-7-sonnet-latest\", tools=[search])\n",
		  "langgraph", "graph", 2, 9, "anthropic:claude-3-7-sonnet-latest", "anthropic", "search" },
		{ "from langchain.agents import initialize_agent\n"
		  "from langchain_openai import ChatOpenAI\n"
		  "llm = ChatOpenAI(model=\"gpt-4o-mini\")\n"
		  "executor = initialize_agent([calculator], llm)\n",
		  "langchain", "executor", 4, 12, "gpt-4o-mini", "openai", "calculator" },
		{ "from crewai import Agent, LLM\n"
		  "researcher = Agent(role=\"Researcher\", goal=\"Find facts\", tools=[search_tool], llm=\"gpt-4o\")\n",
		  "crewai", "Researcher", 2, 14, "gpt-4o", "openai", "search_tool" },
		{ "from autogen_agentchat.agents import AssistantAgent\n"
		  "from autogen_ext.models.openai import OpenAIChatCompletionClient\n"
		  "agent = AssistantAgent(name=\"weather_agent\", model_client=OpenAIChatCompletionClient(model=\"gpt-4o\"), tools=[get_weather])\n",
		  "autogen", "weather_agent", 3, 9, "gpt-4o", "openai", "get_weather" },
		{ "from llama_index.core.agent.workflow import FunctionAgent\n"
		  "from llama_index.llms.anthropic import Anthropic\n"
		  "workflow = FunctionAgent(tools=[multiply], llm=Anthropic(model=\"claude-3-5-haiku-latest\"))\n",
		  "llamaindex", "workflow", 3, 12, "claude-3-5-haiku-latest", "anthropic", "multiply" },
		{ "from semantic_kernel.agents import ChatCompletionAgent\n"
		  "from semantic_kernel.connectors.ai.open_ai import OpenAIChatCompletion\n"
		  "host = ChatCompletionAgent(service=OpenAIChatCompletion(ai_model_id=\"gpt-4o\"), name=\"Host\", plugins=[MenuPlugin()])\n",
		  "semantic-kernel", "Host", 3, 8, "gpt-4o", "openai", "MenuPlugin" },
		{ "from google.adk.agents import Agent\n"
		  "root = Agent(name=\"root\", model=\"gemini-2.0-flash\", tools=[lookup])\n",
		  "google-adk", "root", 2, 8, "gemini-2.0-flash", "google", "lookup" },
		{ "from pydantic_ai import Agent\n"
		  "bot = Agent(\"openai:gpt-4o\", system_prompt=\"Be brief\")\n",
		  "pydantic-ai", "bot", 2, 7, "openai:gpt-4o", "openai", NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct code_result result;
		const struct nhi_fact *fact;

		extract_code(&result, "agent.py", cases[i].text);
		fact = need_fact_at(&result, "agent", cases[i].key, cases[i].line, cases[i].column);
		assert_attr(fact, "framework", cases[i].framework);
		assert_attr(fact, "model", cases[i].model);
		assert_attr(fact, "provider", cases[i].provider);
		if (cases[i].tool)
			assert_attr(fact, "tool", cases[i].tool);
		code_result_dispose(&result);
	}
}

static void test_code_python__model_clients(void **state)
{
	char token[64], text[1024];
	struct code_result result;
	const struct nhi_fact *fact;
	const struct nhi_finding *finding;
	char fingerprint[NHI_FINGERPRINT_HEX + 1];

	make_token(token, sizeof(token), 40);
	snprintf(text, sizeof(text),
		 "import anthropic\n"
		 "from google import genai\n"
		 "claude = anthropic.Anthropic()\n"
		 "gemini = genai.Client(api_key=\"%s\")\n"
		 "chat = init_chat_model(\"mistral:mistral-large-latest\")\n"
		 "local = OpenAI(base_url=\"http://localhost:11434/v1\", api_key=\"ollama\")\n",
		 token);
	extract_code(&result, "clients.py", text);
	fact = need_fact_at(&result, "model.client", "claude", 3, 10);
	assert_attr(fact, "provider", "anthropic");
	assert_attr(fact, "credential", "environment");
	assert_attr(fact, "credential_name", "ANTHROPIC_API_KEY");
	assert_attr(fact, "default_env", "ANTHROPIC_API_KEY");

	fact = need_fact_at(&result, "model.client", "gemini", 4, 10);
	assert_attr(fact, "provider", "google");
	assert_attr(fact, "credential", "literal");
	model_secret_fingerprint(fingerprint, token, strlen(token));
	assert_attr(fact, "fingerprint", fingerprint);

	fact = need_fact_at(&result, "model.client", "chat", 5, 8);
	assert_attr(fact, "model", "mistral:mistral-large-latest");
	assert_attr(fact, "provider", "mistral");
	assert_attr(fact, "credential", "none");

	fact = need_fact_at(&result, "model.client", "local", 6, 9);
	assert_attr(fact, "credential", "placeholder");
	assert_no_attr(fact, "fingerprint");

	finding = need_finding_at(&result, "code.credential-assignment", 4, 32);
	assert_string_equal(finding->fingerprint, fingerprint);
	assert_int_equal(finding->end_column, 72);
	assert_non_null(strstr(finding->message, "'api_key'"));
	assert_nowhere(&result, token);
	code_result_dispose(&result);
}

static void test_code_python__environment_lookups(void **state)
{
	const char *text =
		"import os\n"
		"from os import environ, getenv\n"
		"a = os.environ[\"SLACK_BOT_TOKEN\"]\n"
		"b = os.getenv(\"STRIPE_SECRET_KEY\", \"\")\n"
		"c = os.environ.get(\"DB_PASSWORD\")\n"
		"d = environ[\"NPM_TOKEN\"]\n"
		"e = getenv(\"SENTRY_AUTH_TOKEN\")\n"
		"api_key = os.environ[\"LLM_GATEWAY\"]\n"
		"debug = os.getenv(\"DEBUG\")\n";
	struct code_result result;

	extract_code(&result, "settings.py", text);
	need_fact_at(&result, "credential.reference", "env:SLACK_BOT_TOKEN", 3, 5);
	need_fact_at(&result, "credential.reference", "env:STRIPE_SECRET_KEY", 4, 5);
	need_fact_at(&result, "credential.reference", "env:DB_PASSWORD", 5, 5);
	need_fact_at(&result, "credential.reference", "env:NPM_TOKEN", 6, 5);
	need_fact_at(&result, "credential.reference", "env:SENTRY_AUTH_TOKEN", 7, 5);
	/* Not a credential-like name, but assigned to one. */
	assert_attr(need_fact_at(&result, "credential.reference", "env:LLM_GATEWAY", 8, 11), "usage", "credential");
	assert_attr(find_fact(&result, "credential.reference", "env:NPM_TOKEN"), "usage", "lookup");
	assert_null(find_fact(&result, "credential.reference", "env:DEBUG"));
	assert_int_equal(result.facts.count, 6);
	code_result_dispose(&result);
}

static void test_code_python__credential_literals(void **state)
{
	char token[64], short_token[16], text[4096];
	struct code_result result;

	make_token(token, sizeof(token), 32);
	make_token(short_token, sizeof(short_token), 6);
	snprintf(text, sizeof(text),
		 "SESSION_KEY = \"%s\"\n"
		 "api_key = \"your-api-key-here\"\n"
		 "password = \"%s\"\n"
		 "greeting = \"%s\"\n"
		 "SECRET_NAME = \"SECRET_KEY_FROM_ENV\"\n"
		 "def connect(auth=\"%s\"):\n"
		 "    self.private_key = \"%s\"\n"
		 "    headers = {\"Authorization\": \"%s\"}\n"
		 "    # token = \"%s\"\n"
		 /* Values split so that this source holds nothing the generic rules report. */
		 "auth_token = \"test-api-" "key-123\"\n"
		 "schema_secret = \"HANDOFF_SCHEMA_" "SECRET_4207\"\n"
		 "relay_password = \"4.relay.example.net:9009\"\n"
		 "current_agent_key = \"sandbox#2\"\n"
		 "service_account_key = '{\"private_key\":\"line-1\"}'\n",
		 token, short_token, token, token, token, token, token);
	extract_code(&result, "creds.py", text);
	need_finding_at(&result, "code.credential-assignment", 1, 16);
	need_finding_at(&result, "code.credential-assignment", 6, 19);
	need_finding_at(&result, "code.credential-assignment", 7, 25);
	need_finding_at(&result, "code.credential-assignment", 8, 34);
	/* Placeholders, short values, constant names, phrases, hosts, JSON, other names and comments
	 * are not reported. */
	assert_int_equal(count_findings(&result, "code.credential-assignment"), 4);
	assert_nowhere(&result, token);
	code_result_dispose(&result);
}

static void test_code_python__multi_server_client(void **state)
{
	const char *text =
		"from langchain_mcp_adapters.client import MultiServerMCPClient\n"
		"client = MultiServerMCPClient({\n"
		"    \"math\": {\"command\": \"python\", \"args\": [\"math_server.py\"], \"transport\": \"stdio\"},\n"
		"    \"weather\": {\"url\": \"http://localhost:8000/mcp\", \"transport\": \"streamable_http\",\n"
		"                \"headers\": {\"Authorization\": f\"Bearer {os.environ['WEATHER_TOKEN']}\"}},\n"
		"})\n";
	struct code_result result;
	const struct nhi_fact *fact;

	extract_code(&result, "multi.py", text);
	fact = need_fact_at(&result, "mcp.client", "math", 3, 5);
	assert_attr(fact, "command", "python");
	assert_attr(fact, "arg", "math_server.py");
	assert_attr(fact, "framework", "langchain-mcp-adapters");
	fact = need_fact_at(&result, "mcp.client", "weather", 4, 5);
	assert_attr(fact, "url", "http://localhost:8000/mcp");
	assert_attr(fact, "transport", "streamable_http");
	assert_attr(fact, "credential", "reference");
	assert_attr(fact, "credential_name", "WEATHER_TOKEN");
	fact = need_fact_at(&result, "credential.reference", "env:WEATHER_TOKEN", 5, 56);
	assert_string_equal(fact->parent, "mcp.client:weather");
	code_result_dispose(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_python__openai_agent_project),
		cmocka_unit_test(test_code_python__fastmcp_server_tools),
		cmocka_unit_test(test_code_python__lowlevel_server_and_clients),
		cmocka_unit_test(test_code_python__agent_frameworks),
		cmocka_unit_test(test_code_python__model_clients),
		cmocka_unit_test(test_code_python__environment_lookups),
		cmocka_unit_test(test_code_python__credential_literals),
		cmocka_unit_test(test_code_python__multi_server_client),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
