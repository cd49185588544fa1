/*
 * The tree-sitter extractor on Java: builder chains of openai-java and LangChain4j, an AiServices
 * agent that uses a LangChain4j model, an MCP server built with McpServer.sync() and its Tool,
 * an MCP stdio client's ServerParameters, System.getenv() and Spring @Value("${NAME}") lookups,
 * @Tool methods and a literal credential in a constant. The fake token is random.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "code_test.h"

static void test_code_java__project(void **state)
{
	char token[64], text[4096];
	struct code_result result;
	const struct nhi_fact *fact;

	make_token(token, sizeof(token), 40);
	snprintf(text, sizeof(text),
		 "package demo;\n"
		 "\n"
		 "import com.openai.client.okhttp.OpenAIOkHttpClient;\n"
		 "import dev.langchain4j.model.openai.OpenAiChatModel;\n"
		 "import dev.langchain4j.service.AiServices;\n"
		 "import io.modelcontextprotocol.server.McpServer;\n"
		 "import io.modelcontextprotocol.client.transport.ServerParameters;\n"
		 "\n"
		 "public class Assistant {\n"
		 "\tprivate static final String SLACK_TOKEN = \"%s\";\n"
		 "\t@Value(\"${ANTHROPIC_API_KEY}\")\n"
		 "\tprivate String anthropicKey;\n"
		 "\t@Value(\"plain text\")\n"
		 "\tprivate String label;\n"
		 "\n"
		 "\tpublic void run() {\n"
		 "\t\tOpenAIClient client = OpenAIOkHttpClient.builder().apiKey(System.getenv(\"OPENAI_API_KEY\")).build();\n"
		 "\t\tvar model = OpenAiChatModel.builder()\n"
		 "\t\t\t.apiKey(System.getenv(\"OPENAI_API_KEY\"))\n"
		 "\t\t\t.modelName(\"gpt-4o-mini\")\n"
		 "\t\t\t.build();\n"
		 "\t\tBot bot = AiServices.builder(Bot.class).chatLanguageModel(model).tools(new WeatherTools()).build();\n"
		 "\t\tvar server = McpServer.sync(provider).serverInfo(\"weather\", \"1.0.0\").build();\n"
		 "\t\tvar tool = new Tool(\"forecast\", \"Forecast\", schema);\n"
		 "\t\tvar params = ServerParameters.builder(\"npx\").args(\"-y\", \"@modelcontextprotocol/server-everything\").build();\n"
		 "\t\tvar anthropic = AnthropicOkHttpClient.fromEnv();\n"
		 "\t}\n"
		 "\n"
		 "\t@Tool(\"Current weather\")\n"
		 "\tString weather(String city) { return \"sunny\"; }\n"
		 "}\n",
		 token);
	extract_code(&result, "src/main/java/demo/Assistant.java", text);

	fact = need_fact_at(&result, "model.client", "client", 17, 25);
	assert_attr(fact, "framework", "openai-java");
	assert_attr(fact, "credential", "reference");
	assert_attr(fact, "credential_name", "OPENAI_API_KEY");
	need_fact_at(&result, "credential.reference", "env:OPENAI_API_KEY", 17, 61);
	fact = need_fact_at(&result, "model.client", "model", 18, 15);
	assert_attr(fact, "model", "gpt-4o-mini");
	assert_attr(fact, "framework", "langchain4j");
	assert_string_equal(need_fact_at(&result, "credential.reference", "env:OPENAI_API_KEY", 19, 12)->parent,
			    "model.client:model");
	fact = need_fact_at(&result, "agent", "bot", 22, 13);
	assert_attr(fact, "model_client", "model");
	assert_attr(fact, "model", "gpt-4o-mini");
	assert_attr(fact, "tool", "WeatherTools");
	assert_attr(fact, "credential_name", "OPENAI_API_KEY");

	fact = need_fact_at(&result, "mcp.server", "weather", 23, 16);
	assert_attr(fact, "framework", "mcp-java");
	need_fact_at(&result, "mcp.tool", "weather/forecast", 24, 14);
	fact = need_fact_at(&result, "mcp.client", "npx -y @modelcontextprotocol/server-everything", 25, 16);
	assert_attr(fact, "transport", "stdio");
	fact = need_fact_at(&result, "model.client", "anthropic", 26, 19);
	assert_attr(fact, "credential", "environment");
	assert_attr(fact, "credential_name", "ANTHROPIC_API_KEY");

	need_fact_at(&result, "credential.reference", "env:ANTHROPIC_API_KEY", 11, 2);
	assert_attr(need_fact_at(&result, "agent.tool", "weather", 30, 9), "decorator", "Tool");
	need_finding_at(&result, "code.credential-assignment", 10, 45);
	assert_int_equal(count_facts(&result, "credential.reference"), 3);
	assert_int_equal(result.findings.count, 1);
	assert_nowhere(&result, token);
	code_result_dispose(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_java__project),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
