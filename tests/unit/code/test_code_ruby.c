/*
 * The tree-sitter extractor on Ruby: ruby-openai and langchainrb clients with ENV[] and
 * ENV.fetch() keys, a langchainrb assistant, an MCP server of the Ruby SDK with its tools, a
 * ruby-mcp-client stdio configuration, interpolated ENV lookups, and literal credentials in
 * constants and hashes. The fake tokens are random.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "code_test.h"

static void test_code_ruby__project(void **state)
{
	char token[64], second[64], text[4096];
	struct code_result result;
	const struct nhi_fact *fact;

	make_token(token, sizeof(token), 40);
	make_token(second, sizeof(second), 20);
	snprintf(text, sizeof(text),
		 "require \"openai\"\n"
		 "require \"mcp\"\n"
		 "\n"
		 "# Example: OpenAI::Client.new(access_token: \"sk-...\")\n"
		 "client = OpenAI::Client.new(access_token: ENV[\"OPENAI_ACCESS_TOKEN\"])\n"
		 "llm = Langchain::LLM::OpenAI.new(api_key: ENV.fetch(\"OPENAI_API_KEY\"))\n"
		 "assistant = Langchain::Assistant.new(llm: llm, instructions: \"Help\", tools: [Langchain::Tool::Calculator.new])\n"
		 "server = MCP::Server.new(name: \"weather\", version: \"1.0.0\", tools: [ForecastTool])\n"
		 "config = MCPClient.stdio_config(command: [\"npx\", \"-y\", \"@modelcontextprotocol/server-filesystem\"], name: \"files\")\n"
		 "STRIPE_SECRET = \"%s\"\n"
		 "headers = { \"Authorization\" => \"Bearer #{ENV['SERVICE_TOKEN']}\" }\n"
		 "settings = { password: \"%s\" }\n"
		 "dynamic = ENV[token_name]\n",
		 token, second);
	extract_code(&result, "lib/bot.rb", text);

	fact = need_fact_at(&result, "model.client", "client", 5, 10);
	assert_attr(fact, "framework", "ruby-openai");
	assert_attr(fact, "credential_name", "OPENAI_ACCESS_TOKEN");
	need_fact_at(&result, "credential.reference", "env:OPENAI_ACCESS_TOKEN", 5, 43);
	fact = need_fact_at(&result, "model.client", "llm", 6, 7);
	assert_attr(fact, "framework", "langchainrb");
	assert_attr(fact, "credential_name", "OPENAI_API_KEY");
	need_fact_at(&result, "credential.reference", "env:OPENAI_API_KEY", 6, 43);
	fact = need_fact_at(&result, "agent", "assistant", 7, 13);
	assert_attr(fact, "model_client", "llm");
	assert_attr(fact, "tool", "Calculator");
	assert_attr(fact, "credential", "reference");

	fact = need_fact_at(&result, "mcp.server", "weather", 8, 10);
	assert_attr(fact, "framework", "mcp-ruby");
	need_fact_at(&result, "mcp.tool", "weather/ForecastTool", 8, 69);
	fact = need_fact_at(&result, "mcp.client", "files", 9, 10);
	assert_attr(fact, "command", "npx");
	assert_attr(fact, "package", "@modelcontextprotocol/server-filesystem");
	assert_attr(need_fact_at(&result, "credential.reference", "env:SERVICE_TOKEN", 11, 42), "usage", "credential");

	need_finding_at(&result, "code.credential-assignment", 10, 18);
	need_finding_at(&result, "code.credential-assignment", 12, 25);
	/* The comment on line 4 is no assignment. */
	assert_int_equal(result.findings.count, 2);
	/* A lookup by a variable names no variable of the environment. */
	assert_null(find_fact(&result, "credential.reference", "env:token_name"));
	assert_int_equal(result.facts.count, 9);
	assert_nowhere(&result, token);
	assert_nowhere(&result, second);
	code_result_dispose(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_ruby__project),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
