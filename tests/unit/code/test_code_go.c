/*
 * The tree-sitter extractor on Go: servers of mcp-go and of the official Go SDK with their
 * tools, stdio clients (a command and arguments, or an exec.Command), an openai-go client whose
 * key comes from os.Getenv through an option function, a langchaingo agent that uses it, and
 * literal credentials. The fixture is built at run time; the fake token is random.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "code_test.h"

static void test_code_go__project(void **state)
{
	char token[64], text[4096];
	struct code_result result;
	const struct nhi_fact *fact;

	make_token(token, sizeof(token), 40);
	snprintf(text, sizeof(text),
		 "package main\n"
		 "\n"
		 "import (\n"
		 "\t\"os\"\n"
		 "\t\"os/exec\"\n"
		 "\n"
		 "\t\"github.com/mark3labs/mcp-go/client\"\n"
		 "\t\"github.com/mark3labs/mcp-go/server\"\n"
		 "\t\"github.com/openai/openai-go\"\n"
		 "\t\"github.com/openai/openai-go/option\"\n"
		 "\t\"github.com/tmc/langchaingo/agents\"\n"
		 ")\n"
		 "\n"
		 "const apiToken = \"%s\"\n"
		 "\n"
		 "func main() {\n"
		 "\ts := server.NewMCPServer(\"weather\", \"1.0.0\")\n"
		 "\ts.AddTool(mcp.NewTool(\"forecast\", mcp.WithDescription(\"Forecast\")), handleForecast)\n"
		 "\timpl := mcp.NewServer(&mcp.Implementation{Name: \"greeter\", Version: \"v1\"}, nil)\n"
		 "\tmcp.AddTool(impl, &mcp.Tool{Name: \"greet\"}, sayHi)\n"
		 "\tc, _ := client.NewStdioMCPClient(\"npx\", nil, \"-y\", \"@modelcontextprotocol/server-memory\")\n"
		 "\ttransport := &mcp.CommandTransport{Command: exec.Command(\"uvx\", \"mcp-server-git\")}\n"
		 "\tllm := openai.NewClient(option.WithAPIKey(os.Getenv(\"OPENAI_API_KEY\")))\n"
		 "\tagent := agents.NewOneShotAgent(llm, tools)\n"
		 "\tdbPassword := os.Getenv(\"DB_PASSWORD\")\n"
		 "}\n",
		 token);
	extract_code(&result, "cmd/bot/main.go", text);

	fact = need_fact_at(&result, "mcp.server", "weather", 17, 7);
	assert_attr(fact, "framework", "mcp-go");
	assert_attr(fact, "variable", "s");
	need_fact_at(&result, "mcp.tool", "weather/forecast", 18, 2);
	fact = need_fact_at(&result, "mcp.server", "greeter", 19, 10);
	assert_attr(fact, "framework", "mcp-go-sdk");
	need_fact_at(&result, "mcp.tool", "greeter/greet", 20, 2);

	fact = need_fact_at(&result, "mcp.client", "npx -y @modelcontextprotocol/server-memory", 21, 10);
	assert_attr(fact, "transport", "stdio");
	assert_attr(fact, "package", "@modelcontextprotocol/server-memory");
	fact = need_fact_at(&result, "mcp.client", "uvx mcp-server-git", 22, 16);
	assert_attr(fact, "framework", "mcp-go-sdk");
	assert_attr(fact, "command", "uvx");

	fact = need_fact_at(&result, "model.client", "llm", 23, 9);
	assert_attr(fact, "framework", "openai-go");
	assert_attr(fact, "credential", "reference");
	assert_attr(fact, "credential_name", "OPENAI_API_KEY");
	assert_string_equal(need_fact_at(&result, "credential.reference", "env:OPENAI_API_KEY", 23, 44)->parent,
			    "model.client:llm");
	fact = need_fact_at(&result, "agent", "agent", 24, 11);
	assert_attr(fact, "framework", "langchaingo");
	assert_attr(fact, "model_client", "llm");
	assert_attr(fact, "provider", "openai");
	assert_attr(fact, "credential_name", "OPENAI_API_KEY");
	assert_attr(need_fact_at(&result, "credential.reference", "env:DB_PASSWORD", 25, 16), "usage", "credential");

	need_finding_at(&result, "code.credential-assignment", 14, 19);
	assert_int_equal(result.findings.count, 1);
	assert_int_equal(result.facts.count, 10);
	assert_nowhere(&result, token);
	code_result_dispose(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_go__project),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
