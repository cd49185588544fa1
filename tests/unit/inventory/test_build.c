/*
 * The inventory builder: joining credentials by fingerprint and references by name across
 * files, links from pipelines, MCP configurations and code, facts of types it does not know,
 * history, owners, and ids that do not depend on line numbers.
 */
#include "inventory_test.h"

#include "model/build_private.h"

/* Facts and findings of a small repository; the caller builds and frees them. */
struct repo {
	struct nhi_vec findings;
	struct nhi_vec facts;
	struct nhi_vec history;
	struct nhi_vec providers;
};

static void repo_dispose(struct repo *repo)
{
	free_findings(&repo->findings);
	free_findings(&repo->history);
	free_facts(&repo->facts);
	nhi_vec_dispose(&repo->providers);
}

static void add_providers(struct repo *repo)
{
	static const char *const names[] = { "GitHub", "OpenAI", "Amazon Web Services", "Slack", "Generic" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_int_equal(nhi_vec_push(&repo->providers, (void *)names[i]), 0);
}

static void push(struct nhi_vec *vec, void *item)
{
	assert_int_equal(nhi_vec_push(vec, item), 0);
}

static void build(struct nhi_inventory *inv, struct repo *repo, const struct model_codeowners *codeowners,
		  const char *exclude)
{
	struct model_build_input input = { 0 };

	nhi_vec_sort(&repo->facts, model_fact_compare);
	nhi_vec_sort(&repo->findings, core_finding_compare);
	input.findings = &repo->findings;
	input.facts = &repo->facts;
	input.history_findings = repo->history.count ? &repo->history : NULL;
	input.providers = &repo->providers;
	input.codeowners = codeowners;
	input.exclude_path = exclude;
	assert_int_equal(model_inventory_build(inv, &input), 0);
}

static const char openai_key[] = "sk-proj-Zq81nWkQ0vT3BlbkFJa9x7Lm2Pq4Rs6Tu8Vw0Yz";

/* An MCP server in .mcp.json with the key written in, and the same key in .env. */
static void add_mcp_with_literal(struct repo *repo)
{
	struct nhi_fact *credential;

	push(&repo->facts, make_fact("agent.config", ".mcp.json", NULL, ".mcp.json", 1, "client", "claude-code", NULL));
	push(&repo->facts, make_fact("mcp.server", "search", "agent.config:.mcp.json", ".mcp.json", 3, "client", "claude-code",
				     "transport", "stdio", "package", "search-mcp", "pinned", "false", NULL));
	credential = make_fact("mcp.credential", "search/OPENAI_API_KEY", "mcp.server:search", ".mcp.json", 5, "server",
			       "search", "location", "env", "name", "OPENAI_API_KEY", "classification", "hard-coded", NULL);
	add_secret_identity(credential, openai_key);
	push(&repo->facts, credential);
	push(&repo->findings, make_finding("openai.api-key.project", "api-key", "OpenAI", ".env", 1, 16, openai_key));
	push(&repo->findings, make_finding("openai.api-key.project", "api-key", "OpenAI", ".mcp.json", 5, 30, openai_key));
}

static void test_inventory_build__fingerprint_joins_files(void **state)
{
	struct repo repo = { 0 };
	struct nhi_inventory inv;
	struct nhi_inv_entity *credential, *server;
	char *id = credential_id_of(openai_key);

	add_providers(&repo);
	add_mcp_with_literal(&repo);
	build(&inv, &repo, NULL, NULL);

	credential = expect_entity(&inv, id);
	assert_string_equal(credential->kind, NHI_KIND_CREDENTIALS);
	assert_int_equal(credential->locations.count, 2);
	assert_string_equal(credential->locations.items[0], ".env:1");
	assert_string_equal(credential->locations.items[1], ".mcp.json:5");
	assert_string_equal(model_entity_get(credential, "provider"), "OpenAI");
	assert_string_equal(model_entity_get(credential, "kind"), "api-key");
	assert_string_equal(model_entity_get(credential, "in_history_only"), "false");
	assert_true(model_entity_links_to(credential, NHI_LINK_ISSUED_BY, "provider-openai"));
	assert_true(model_entity_links_to(credential, NHI_LINK_ASSIGNED_TO, "ref-OPENAI_API_KEY"));
	assert_true(model_entity_has(credential, "detectors", "mcp.credential"));

	server = expect_named(&inv, NHI_KIND_MCP_SERVERS, "search");
	assert_true(model_entity_links_to(server, NHI_LINK_USES, id));
	assert_true(model_entity_links_to(server, NHI_LINK_DEFINED_IN, "agent-claude-code"));
	assert_true(model_entity_has(server, "credentials", "OPENAI_API_KEY"));
	assert_string_equal(model_entity_get(server, "pinned"), "false");

	free(id);
	model_inventory_dispose(&inv);
	repo_dispose(&repo);
}

/* A workflow job passes secrets.GITHUB_TOKEN to an action; an MCP server reads $GITHUB_TOKEN. */
static void add_pipeline_and_server(struct repo *repo)
{
	const char *wf = ".github/workflows/ci.yml";

	push(&repo->facts, make_fact("ci.workflow", wf, NULL, wf, 1, "system", "github-actions", "name", "ci", NULL));
	push(&repo->facts, make_fact("ci.trigger", "push", "ci.workflow:.github/workflows/ci.yml", wf, 2, NULL));
	push(&repo->facts, make_fact("ci.job", "release", "ci.workflow:.github/workflows/ci.yml", wf, 5, "system",
				     "github-actions", NULL));
	push(&repo->facts, make_fact("ci.action", "vendor/publish@main", "ci.job:release", wf, 8, "action", "vendor/publish",
				     "ref", "main", "pinned", "false", "third_party", "true", "receives_secrets", "true", NULL));
	push(&repo->facts, make_fact("ci.secret", "GITHUB_TOKEN", "ci.job:release", wf, 10, "store", "secret", "flow", "with",
				     "classification", "reference", "action", "vendor/publish", "variable", "GH_TOKEN", NULL));
	push(&repo->facts, make_fact("credential.reference", "secret:GITHUB_TOKEN", "ci.secret:GITHUB_TOKEN", wf, 10, "store",
				     "secret", "name", "GITHUB_TOKEN", NULL));
	push(&repo->facts, make_fact("ci.permissions", "workflow", "ci.workflow:.github/workflows/ci.yml", wf, 3, "system",
				     "github-actions", "level", "write-all", NULL));
	push(&repo->facts, make_fact("agent.config", ".cursor/mcp.json", NULL, ".cursor/mcp.json", 1, "client", "cursor", NULL));
	push(&repo->facts, make_fact("mcp.server", "github", "agent.config:.cursor/mcp.json", ".cursor/mcp.json", 3, "client",
				     "cursor", NULL));
	push(&repo->facts, make_fact("mcp.credential", "github/GITHUB_PERSONAL_ACCESS_TOKEN", "mcp.server:github",
				     ".cursor/mcp.json", 4, "name", "GITHUB_PERSONAL_ACCESS_TOKEN", "classification", "reference",
				     NULL));
	push(&repo->facts, make_fact("credential.reference", "env:GITHUB_TOKEN", "mcp.credential:github/GITHUB_PERSONAL_ACCESS_TOKEN",
				     ".cursor/mcp.json", 4, "store", "env", "name", "GITHUB_TOKEN", NULL));
}

static void test_inventory_build__references_join_by_name(void **state)
{
	struct repo repo = { 0 };
	struct nhi_inventory inv;
	struct nhi_inv_entity *reference, *job, *server, *action, *workflow;

	add_providers(&repo);
	add_pipeline_and_server(&repo);
	build(&inv, &repo, NULL, NULL);

	reference = expect_entity(&inv, "ref-GITHUB_TOKEN");
	assert_int_equal(reference->locations.count, 2);
	assert_true(model_entity_has(reference, "stores", "env"));
	assert_true(model_entity_has(reference, "stores", "secret"));
	assert_string_equal(model_entity_get(reference, "provider"), "GitHub");
	assert_true(model_entity_links_to(reference, NHI_LINK_ASSIGNED_TO, "ref-GH_TOKEN"));

	job = expect_named(&inv, NHI_KIND_JOBS, "release");
	server = expect_named(&inv, NHI_KIND_MCP_SERVERS, "github");
	action = expect_named(&inv, NHI_KIND_ACTIONS, "vendor/publish@main");
	workflow = expect_named(&inv, NHI_KIND_WORKFLOWS, ".github/workflows/ci.yml");
	assert_true(model_entity_links_to(job, NHI_LINK_USES, "ref-GITHUB_TOKEN"));
	assert_true(model_entity_links_to(job, NHI_LINK_USES, action->id));
	assert_true(model_entity_links_to(job, NHI_LINK_DEFINED_IN, workflow->id));
	assert_true(model_entity_links_to(server, NHI_LINK_USES, "ref-GITHUB_TOKEN"));
	assert_true(model_entity_links_to(reference, NHI_LINK_EXPOSES_TO, action->id));

	/* A type without a handler under a parent becomes a list field of the parent. */
	assert_true(model_entity_has(workflow, "trigger", "push"));
	assert_true(model_entity_has(workflow, "permissions", "write-all"));
	assert_string_equal(model_entity_get(workflow, "display_name"), "ci");
	assert_true(model_entity_links_to(workflow, NHI_LINK_GRANTS,
					  expect_named(&inv, NHI_KIND_SCOPES, "write-all")->id));

	model_inventory_dispose(&inv);
	repo_dispose(&repo);
}

static void test_inventory_build__code_facts(void **state)
{
	struct repo repo = { 0 };
	struct nhi_inventory inv;
	struct nhi_inv_entity *agent, *server, *tool;

	add_providers(&repo);
	push(&repo.facts, make_fact("agent", "triage", NULL, "app/agent.py", 9, "framework", "openai-agents", "name", "triage",
				    "mcp_server", "github", "credential", "reference", "credential_name", "OPENAI_API_KEY", NULL));
	push(&repo.facts, make_fact("mcp.client", "npx", NULL, "app/agent.py", 7, "framework", "openai-agents", "variable",
				    "github", "command", "npx", "package", "@modelcontextprotocol/server-github", NULL));
	push(&repo.facts, make_fact("credential.reference", "env:GITHUB_TOKEN", "mcp.client:npx", "app/agent.py", 7, "store",
				    "env", "name", "GITHUB_TOKEN", NULL));
	push(&repo.facts, make_fact("credential.reference", "env:SLACK_BOT_TOKEN", NULL, "app/agent.py", 12, "store", "env",
				    "name", "SLACK_BOT_TOKEN", NULL));
	push(&repo.facts, make_fact("agent.tool", "lookup", NULL, "app/agent.py", 20, "decorator", "function_tool", NULL));
	build(&inv, &repo, NULL, NULL);

	agent = expect_named(&inv, NHI_KIND_AGENTS, "triage");
	server = expect_named(&inv, NHI_KIND_MCP_SERVERS, "@modelcontextprotocol/server-github");
	tool = expect_named(&inv, NHI_KIND_TOOLS, "lookup");
	assert_true(model_entity_links_to(agent, NHI_LINK_USES, server->id));
	assert_true(model_entity_links_to(agent, NHI_LINK_USES, "ref-OPENAI_API_KEY"));
	/* A reference without a user in the file goes to the file's agents. */
	assert_true(model_entity_links_to(agent, NHI_LINK_USES, "ref-SLACK_BOT_TOKEN"));
	assert_true(model_entity_links_to(server, NHI_LINK_USES, "ref-GITHUB_TOKEN"));
	assert_string_equal(tool->kind, NHI_KIND_TOOLS);

	model_inventory_dispose(&inv);
	repo_dispose(&repo);
}

static void test_inventory_build__unknown_types_flow_in(void **state)
{
	struct repo repo = { 0 };
	struct nhi_inventory inv;
	struct nhi_inv_entity *thing, *credential;
	struct nhi_fact *fact;
	char *id = credential_id_of(openai_key);

	push(&repo.facts, make_fact("k8s.deployment", "api", NULL, "deploy/prod/api.yaml", 1, "namespace", "prod", NULL));
	push(&repo.facts, make_fact("k8s.service-account", "api-runner", "k8s.deployment:api", "deploy/prod/api.yaml", 9, NULL));
	fact = make_fact("k8s.env", "OPENAI_API_KEY", "k8s.deployment:api", "deploy/prod/api.yaml", 12, "variable",
			 "OPENAI_API_KEY", NULL);
	add_secret_identity(fact, openai_key);
	push(&repo.facts, fact);
	build(&inv, &repo, NULL, NULL);

	thing = expect_named(&inv, "k8s_deployment", "api");
	assert_string_equal(model_entity_get(thing, "namespace"), "prod");
	assert_true(model_entity_has(thing, "service_account", "api-runner"));
	credential = expect_entity(&inv, id);
	assert_true(model_entity_links_to(thing, NHI_LINK_USES, id));
	assert_true(model_entity_links_to(credential, NHI_LINK_ASSIGNED_TO, "ref-OPENAI_API_KEY"));
	assert_string_equal(model_entity_get(credential, "environments"), "production");

	free(id);
	model_inventory_dispose(&inv);
	repo_dispose(&repo);
}

static void test_inventory_build__history_and_owners(void **state)
{
	static const char aws_key[] = "AKIAQ3EGRT5YHUJ7KI8L";
	static const char codeowners_text[] = "*  @acme/platform\n/config/ old@example.com\n";
	struct repo repo = { 0 };
	struct model_codeowners codeowners;
	struct nhi_inventory inv;
	struct nhi_inv_entity *credential, *owner;
	char *id = credential_id_of(aws_key);

	add_providers(&repo);
	assert_int_equal(model_codeowners_parse(&codeowners, "CODEOWNERS", codeowners_text, strlen(codeowners_text)), 0);
	push(&repo.history, in_commit(make_finding("aws.iam.access-key-id", "api-key", "Amazon Web Services",
						   "config/legacy.py", 1, 21, aws_key),
				      "b2c3d4e5f60718293a4b5c6d7e8f901234567890", "Later Author", "later@example.com",
				      "2021-05-01T00:00:00+00:00"));
	push(&repo.history, in_commit(make_finding("aws.iam.access-key-id", "api-key", "Amazon Web Services",
						   "old/legacy.py", 1, 21, aws_key),
				      "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678", "Old Timer", "Old@Example.com",
				      "2020-01-01T02:00:00+02:00"));
	build(&inv, &repo, &codeowners, NULL);

	credential = expect_entity(&inv, id);
	assert_string_equal(model_entity_get(credential, "in_history_only"), "true");
	assert_string_equal(model_entity_get(credential, "introduced_commit"), "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678");
	assert_string_equal(model_entity_get(credential, "introduced_by"), "Old Timer <Old@Example.com>");
	assert_string_equal(credential->locations.items[0], "config/legacy.py:1@b2c3d4e5f607");
	assert_string_equal(credential->locations.items[1], "old/legacy.py:1@a1b2c3d4e5f6");

	/* The commit author and the CODEOWNERS e-mail owner are one owner, compared in lower case. */
	owner = expect_named(&inv, NHI_KIND_OWNERS, "Old@Example.com");
	assert_true(model_entity_links_to(credential, NHI_LINK_OWNED_BY, owner->id));
	assert_true(model_entity_has(owner, "sources", "commit"));
	assert_true(model_entity_has(owner, "sources", "codeowners"));
	assert_true(model_entity_links_to(credential, NHI_LINK_OWNED_BY, expect_named(&inv, NHI_KIND_OWNERS, "@acme/platform")->id));

	free(id);
	model_inventory_dispose(&inv);
	model_codeowners_dispose(&codeowners);
	repo_dispose(&repo);
}

static void test_inventory_build__ids_ignore_lines(void **state)
{
	struct repo first = { 0 }, second = { 0 };
	struct nhi_inventory a, b;

	add_providers(&first);
	add_providers(&second);
	add_pipeline_and_server(&first);
	add_pipeline_and_server(&second);
	for (size_t i = 0; i < second.facts.count; i++)
		((struct nhi_fact *)second.facts.items[i])->line += 40;
	build(&a, &first, NULL, NULL);
	build(&b, &second, NULL, NULL);

	assert_int_equal(a.entities.count, b.entities.count);
	for (size_t i = 0; i < a.entities.count; i++)
		assert_string_equal(((struct nhi_inv_entity *)a.entities.items[i])->id,
				    ((struct nhi_inv_entity *)b.entities.items[i])->id);
	model_inventory_dispose(&a);
	model_inventory_dispose(&b);
	repo_dispose(&first);
	repo_dispose(&second);
}

static void test_inventory_build__excluded_file_is_skipped(void **state)
{
	struct repo repo = { 0 };
	struct nhi_inventory inv;

	push(&repo.facts, make_fact("oauth.scope", "admin", NULL, "nhi-inventory.yaml", 40, "provider", "slack", "risk", "high",
				    "source", "text", NULL));
	push(&repo.findings, make_finding("openai.api-key.project", "api-key", "OpenAI", "nhi-inventory.yaml", 3, 1, openai_key));
	build(&inv, &repo, NULL, "nhi-inventory.yaml");
	assert_int_equal(inv.entities.count, 0);
	model_inventory_dispose(&inv);
	repo_dispose(&repo);
}

static void test_inventory_build__raw_secret_scrubbed(void **state)
{
	struct repo repo = { 0 };
	struct nhi_inventory inv;
	struct nhi_inv_entity *thing;
	char *redacted = model_secret_redact(openai_key, strlen(openai_key));
	char command[256], expected[256];

	/* A fact that copied a command line with the key in it, which facts must not do. */
	snprintf(command, sizeof(command), "curl -H 'Authorization: Bearer %s' --data key=%s", openai_key, openai_key);
	snprintf(expected, sizeof(expected), "curl -H 'Authorization: Bearer %s' --data key=%s", redacted, redacted);
	push(&repo.facts, make_fact("ops.hook", "notify", NULL, "ops/hook.yaml", 2, "command", command, NULL));
	push(&repo.findings, make_finding("openai.api-key.project", "api-key", "OpenAI", "ops/hook.yaml", 2, 30, openai_key));
	build(&inv, &repo, NULL, NULL);

	thing = expect_named(&inv, "ops_hook", "notify");
	assert_string_equal(model_entity_get(thing, "command"), expected);
	free(redacted);
	model_inventory_dispose(&inv);
	repo_dispose(&repo);
}

static void expect_assignment(const char *text, size_t line, size_t column, const char *expected)
{
	char name[64];
	bool found = build_assignment_name(name, sizeof(name), text, strlen(text), line, column);

	if (!expected) {
		assert_false(found);
		return;
	}
	assert_true(found);
	assert_string_equal(name, expected);
}

static void test_inventory_build__assignment_names(void **state)
{
	expect_assignment("OPENAI_API_KEY=sk-abc\n", 1, 16, "OPENAI_API_KEY");
	expect_assignment("export SLACK_TOKEN=\"xoxb-1\"\n", 1, 21, "SLACK_TOKEN");
	expect_assignment("a: 1\n  API_KEY: 'zzz'\n", 2, 13, "API_KEY");
	expect_assignment("{\"GITHUB_TOKEN\": \"ghp_x\"}", 1, 19, "GITHUB_TOKEN");
	expect_assignment("TOKEN := \"x\"\n", 1, 11, "TOKEN");
	expect_assignment("env:\n- name: DB_PASSWORD\n  value: hunter2hunter\n", 3, 10, "DB_PASSWORD");
	expect_assignment("api_key = \"sk-abc\"\n", 1, 12, NULL);
	expect_assignment("call(\"sk-abc\")\n", 1, 7, NULL);
	expect_assignment("X=1\n", 5, 1, NULL);
}

static void test_inventory_build__environments_from_paths(void **state)
{
	assert_string_equal(build_environment_of_path("config/production.env:1"), "production");
	assert_string_equal(build_environment_of_path("deploy/staging/app.env:3"), "staging");
	assert_string_equal(build_environment_of_path("k8s/prod/secret.yaml:1"), "production");
	assert_string_equal(build_environment_of_path("prod/config.dev.json:1"), "development");
	assert_null(build_environment_of_path(".env:1"));
	assert_null(build_environment_of_path("src/product.py:1"));
}

static void test_inventory_build__make_id(void **state)
{
	char *id = NULL, *again = NULL;

	assert_int_equal(model_inventory_make_id(&id, "ref", "OPENAI_API_KEY", "OPENAI_API_KEY"), 0);
	assert_string_equal(id, "ref-OPENAI_API_KEY");
	free(id);
	assert_int_equal(model_inventory_make_id(&id, "mcp", "claude-code-github", "claude-code/github"), 0);
	assert_int_equal(model_inventory_make_id(&again, "mcp", "claude-code-github", "claude-code/github"), 0);
	assert_string_equal(id, again);
	assert_int_equal(strncmp(id, "mcp-claude-code-github-", 23), 0);
	assert_int_equal(strlen(id), 23 + 8);
	free(again);
	assert_int_equal(model_inventory_make_id(&again, "mcp", "claude-code-github", "claude-code/github2"), 0);
	assert_string_not_equal(id, again);
	free(id);
	free(again);
	assert_int_equal(model_inventory_credential_id(&id, "0123456789abcdef01234567"), 0);
	assert_string_equal(id, "cred-0123456789ab");
	free(id);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inventory_build__fingerprint_joins_files),
		cmocka_unit_test(test_inventory_build__references_join_by_name),
		cmocka_unit_test(test_inventory_build__code_facts),
		cmocka_unit_test(test_inventory_build__unknown_types_flow_in),
		cmocka_unit_test(test_inventory_build__history_and_owners),
		cmocka_unit_test(test_inventory_build__ids_ignore_lines),
		cmocka_unit_test(test_inventory_build__excluded_file_is_skipped),
		cmocka_unit_test(test_inventory_build__raw_secret_scrubbed),
		cmocka_unit_test(test_inventory_build__assignment_names),
		cmocka_unit_test(test_inventory_build__environments_from_paths),
		cmocka_unit_test(test_inventory_build__make_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
