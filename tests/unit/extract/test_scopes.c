/*
 * OAuth scopes: the built-in data file of signatures/oauth-scopes.yml, scope URLs and scope
 * declarations found in source files, and the structured scopes of Slack and GitHub App
 * manifests.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "extract/scopes.h"
#include "extract_test.h"

static enum nhi_severity risk_of(const char *scope)
{
	const struct extract_scope *entries;
	size_t count;

	assert_int_equal(extract_scopes_find(&entries, &count, scope, strlen(scope), NULL), 0);
	if (count == 0)
		fail_msg("scope '%s' is not in the data file", scope);
	return entries[0].risk;
}

static void test_extract_scopes__data_file_risks(void **state)
{
	const char *const high[] = {
		"https://mail.google.com/", "https://www.googleapis.com/auth/drive",
		"https://www.googleapis.com/auth/gmail.modify", "Directory.ReadWrite.All",
		"RoleManagement.ReadWrite.Directory", "Mail.ReadWrite", "Files.ReadWrite.All", "admin:org",
		"repo", "workflow", "administration:write", "im:history", "manage:jira-configuration", "full", NULL,
	};
	const struct extract_scope *entries;
	size_t count;

	for (int i = 0; high[i]; i++)
		if (risk_of(high[i]) != NHI_SEVERITY_HIGH)
			fail_msg("scope '%s' should be high risk", high[i]);
	assert_int_equal(risk_of("https://www.googleapis.com/auth/userinfo.email"), NHI_SEVERITY_LOW);
	assert_int_equal(risk_of("read:org"), NHI_SEVERITY_LOW);
	assert_int_equal(extract_scopes_find(&entries, &count, "offline_access", 14, NULL), 0);
	assert_int_equal(count, 2);
	assert_int_equal(extract_scopes_find(&entries, &count, "offline_access", 14, "atlassian"), 0);
	assert_int_equal(count, 1);
	assert_string_equal(entries[0].provider, "atlassian");
	assert_int_equal(extract_scopes_find(&entries, &count, "no-such-scope", 13, NULL), 0);
	assert_int_equal(count, 0);
	assert_null(entries);
}

static void test_extract_scopes__google_urls(void **state)
{
	const char *text =
		"from google.oauth2 import credentials\n"
		"SCOPES = [\n"
		"    'https://www.googleapis.com/auth/gmail.readonly',\n"
		"    'https://www.googleapis.com/auth/userinfo.email',\n"
		"]\n";
	struct extracted result;
	const struct nhi_fact *fact;
	const struct nhi_finding *finding;

	extract_text(&result, "app/auth.py", text);
	fact = need_fact(&result, "oauth.scope", "https://www.googleapis.com/auth/gmail.readonly");
	assert_attr(fact, "provider", "google");
	assert_attr(fact, "risk", "high");
	assert_attr(fact, "source", "text");
	assert_position(fact->line, fact->column, 3, 6);
	assert_attr(need_fact(&result, "oauth.scope", "https://www.googleapis.com/auth/userinfo.email"), "risk", "low");
	assert_int_equal(count_facts(&result, "oauth.scope"), 2);
	finding = need_finding(&result, "oauth.high-risk-scope");
	assert_position(finding->line, finding->column, 3, 6);
	assert_int_equal(finding->end_column, 6 + 46);
	assert_string_equal(finding->provider, "google");
	assert_string_equal(finding->kind, "oauth.high-risk-scope");
	assert_int_equal(result.findings.count, 1);
	extracted_dispose(&result);
}

static void test_extract_scopes__graph_permissions(void **state)
{
	const char *text =
		"const request = {\n"
		"  scopes: [\"https://graph.microsoft.com/.default\"],\n"
		"};\n"
		"const admin = { scopes: ['Directory.ReadWrite.All', 'User.Read'] };\n"
		"fetch('https://graph.microsoft.com/v1.0/me/messages');\n"
		"const mail = 'https://graph.microsoft.com/Mail.ReadWrite';\n";
	struct extracted result;
	const struct nhi_fact *fact;

	extract_text(&result, "src/auth.ts", text);
	fact = need_fact(&result, "oauth.scope", ".default");
	assert_attr(fact, "provider", "microsoft");
	assert_attr(fact, "risk", "medium");
	assert_position(fact->line, fact->column, 2, 13);
	fact = need_fact(&result, "oauth.scope", "Directory.ReadWrite.All");
	assert_position(fact->line, fact->column, 4, 27);
	assert_attr(need_fact(&result, "oauth.scope", "User.Read"), "risk", "low");
	assert_attr(need_fact(&result, "oauth.scope", "Mail.ReadWrite"), "risk", "high");
	assert_int_equal(count_facts(&result, "oauth.scope"), 4);
	assert_int_equal(count_findings(&result, "oauth.high-risk-scope"), 2);
	extracted_dispose(&result);
}

static void test_extract_scopes__oauth_query_and_yaml(void **state)
{
	const char *text =
		"login_url: https://github.com/login/oauth/authorize?client_id=abc&scope=repo%20read:org&state=x\n"
		"oauth:\n"
		"  scopes:\n"
		"    - workflow\n"
		"    - read:user\n"
		"  callback: /auth\n"
		"other: repo\n";
	struct extracted result;
	const struct nhi_fact *fact;

	extract_text(&result, "config/app.yaml", text);
	fact = need_fact(&result, "oauth.scope", "repo");
	assert_position(fact->line, fact->column, 1, 73);
	assert_attr(fact, "provider", "github");
	assert_non_null(need_fact(&result, "oauth.scope", "read:org"));
	fact = need_fact(&result, "oauth.scope", "workflow");
	assert_position(fact->line, fact->column, 4, 7);
	assert_non_null(need_fact(&result, "oauth.scope", "read:user"));
	assert_int_equal(count_facts(&result, "oauth.scope"), 4);
	assert_int_equal(count_findings(&result, "oauth.high-risk-scope"), 2);
	extracted_dispose(&result);
}

static void test_extract_scopes__ordinary_code_ignored(void **state)
{
	const char *text =
		"$scope.user = loadUser();\n"
		"if (scope == \"repo\") { return full; }\n"
		"const repo = workflow.admin;\n"
		"std::scope::full x;\n";
	struct extracted result;

	extract_text(&result, "web/app.js", text);
	assert_int_equal(count_facts(&result, "oauth.scope"), 0);
	assert_int_equal(result.findings.count, 0);
	extracted_dispose(&result);
}

static void test_extract_scopes__slack_manifest(void **state)
{
	const char *text =
		"display_information:\n"
		"  name: Helper\n"
		"oauth_config:\n"
		"  scopes:\n"
		"    bot:\n"
		"      - chat:write\n"
		"      - im:history\n"
		"      - custom:unknown\n"
		"    user:\n"
		"      - users:read\n";
	struct extracted result;
	const struct nhi_fact *fact;
	const struct nhi_finding *finding;

	extract_text(&result, "slack/manifest.yml", text);
	assert_attr(need_fact(&result, "oauth.scope", "chat:write"), "risk", "medium");
	fact = need_fact(&result, "oauth.scope", "custom:unknown");
	assert_attr(fact, "risk", "unknown");
	assert_attr(fact, "provider", "slack");
	assert_attr(fact, "source", "slack-manifest");
	assert_attr(need_fact(&result, "oauth.scope", "users:read"), "risk", "low");
	finding = need_finding(&result, "oauth.high-risk-scope");
	assert_position(finding->line, finding->column, 7, 9);
	assert_string_equal(finding->provider, "slack");
	assert_int_equal(result.findings.count, 1);
	assert_int_equal(count_facts(&result, "oauth.scope"), 4);
	extracted_dispose(&result);
}

static void test_extract_scopes__github_app_manifest(void **state)
{
	const char *text =
		"{\n"
		"  \"name\": \"release-bot\",\n"
		"  \"url\": \"https://example.com\",\n"
		"  \"default_permissions\": {\n"
		"    \"contents\": \"write\",\n"
		"    \"administration\": \"write\",\n"
		"    \"issues\": \"read\"\n"
		"  }\n"
		"}\n";
	struct extracted result;
	const struct nhi_fact *fact;

	extract_text(&result, "github-app-manifest.json", text);
	fact = need_fact(&result, "oauth.scope", "administration:write");
	assert_attr(fact, "provider", "github-app");
	assert_attr(fact, "source", "github-app-manifest");
	assert_position(fact->line, fact->column, 6, 6);
	assert_attr(need_fact(&result, "oauth.scope", "issues:read"), "risk", "unknown");
	assert_int_equal(count_findings(&result, "oauth.high-risk-scope"), 2);
	extracted_dispose(&result);
}

static void test_extract_scopes__allow_comment(void **state)
{
	const char *text = "scope = \"repo\"  # nhiscan:allow: the deploy bot needs it\n";
	struct extracted result;

	extract_text(&result, "deploy.py", text);
	assert_non_null(need_fact(&result, "oauth.scope", "repo"));
	assert_int_equal(result.findings.count, 0);
	extracted_dispose(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_scopes__data_file_risks),
		cmocka_unit_test(test_extract_scopes__google_urls),
		cmocka_unit_test(test_extract_scopes__graph_permissions),
		cmocka_unit_test(test_extract_scopes__oauth_query_and_yaml),
		cmocka_unit_test(test_extract_scopes__ordinary_code_ignored),
		cmocka_unit_test(test_extract_scopes__slack_manifest),
		cmocka_unit_test(test_extract_scopes__github_app_manifest),
		cmocka_unit_test(test_extract_scopes__allow_comment),
	};

	/* The embedded data file is under test, not a development copy. */
	unsetenv("NHISCAN_SIGNATURES_DIR");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
