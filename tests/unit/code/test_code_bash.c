/*
 * The tree-sitter extractor on shell scripts: MCP servers registered with `claude mcp add`
 * (stdio with an -e credential, and HTTP), an agent run with `claude -p`, curl calls to model
 * APIs with the key in a header or the query string, $NAME and ${NAME} references, and literal
 * credentials in assignments. The fake tokens are random.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "code_test.h"

static void test_code_bash__script(void **state)
{
	char token[64], second[64], text[4096];
	struct code_result result;
	const struct nhi_fact *fact;

	make_token(token, sizeof(token), 40);
	make_token(second, sizeof(second), 24);
	snprintf(text, sizeof(text),
		 "#!/bin/bash\n"
		 "# Registers the MCP servers with Claude Code and asks the agent for a review.\n"
		 "export DEPLOY_TOKEN=\"%s\"\n"
		 "claude mcp add github -e GITHUB_PERSONAL_ACCESS_TOKEN=$GITHUB_TOKEN -- npx -y @modelcontextprotocol/server-github\n"
		 "claude mcp add --transport http linear https://mcp.linear.app/mcp\n"
		 "claude -p \"Review the diff\" --allowedTools \"Read,Grep\" --model claude-sonnet-4-5\n"
		 "curl -s https://api.anthropic.com/v1/messages -H \"x-api-key: $ANTHROPIC_API_KEY\" -d '{\"model\": \"claude-3-5-haiku-latest\"}'\n"
		 "curl -s \"https://generativelanguage.googleapis.com/v1beta/models?key=${GEMINI_API_KEY}\"\n"
		 "echo \"$HOME\"\n"
		 "auth=%s\n",
		 token, second);
	extract_code(&result, "scripts/deploy.sh", text);

	fact = need_fact_at(&result, "mcp.client", "github", 4, 1);
	assert_attr(fact, "framework", "claude-code");
	assert_attr(fact, "transport", "stdio");
	assert_attr(fact, "command", "npx");
	assert_attr(fact, "package", "@modelcontextprotocol/server-github");
	assert_attr(fact, "credential", "reference");
	assert_attr(fact, "credential_name", "GITHUB_TOKEN");
	assert_string_equal(need_fact_at(&result, "credential.reference", "env:GITHUB_TOKEN", 4, 55)->parent,
			    "mcp.client:github");
	fact = need_fact_at(&result, "mcp.client", "linear", 5, 1);
	assert_attr(fact, "transport", "http");
	assert_attr(fact, "url", "https://mcp.linear.app/mcp");

	fact = need_fact_at(&result, "agent", "claude-code#1", 6, 1);
	assert_attr(fact, "model", "claude-sonnet-4-5");
	assert_attr(fact, "provider", "anthropic");
	assert_attr(fact, "tool", "Read");
	assert_attr(fact, "tool", "Grep");

	fact = need_fact_at(&result, "model.client", "anthropic#1", 7, 1);
	assert_attr(fact, "model", "claude-3-5-haiku-latest");
	assert_attr(fact, "credential_name", "ANTHROPIC_API_KEY");
	need_fact_at(&result, "credential.reference", "env:ANTHROPIC_API_KEY", 7, 62);
	fact = need_fact_at(&result, "model.client", "google#1", 8, 1);
	assert_attr(fact, "credential_name", "GEMINI_API_KEY");
	need_fact_at(&result, "credential.reference", "env:GEMINI_API_KEY", 8, 70);
	assert_null(find_fact(&result, "credential.reference", "env:HOME"));
	assert_int_equal(result.facts.count, 8);

	need_finding_at(&result, "code.credential-assignment", 3, 22);
	need_finding_at(&result, "code.credential-assignment", 10, 6);
	assert_int_equal(result.findings.count, 2);
	assert_nowhere(&result, token);
	assert_nowhere(&result, second);
	code_result_dispose(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_bash__script),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
