/*
 * Risk rules: each OWASP NHI category fires on the entities it is about, with its score made of
 * the documented weights, and stays quiet on safe ones.
 */
#include "inventory_test.h"

#include "risk/risk.h"

static struct nhi_inv_entity *add(struct nhi_inventory *inv, const char *kind, const char *id, const char *name)
{
	struct nhi_inv_entity *entity;

	assert_int_equal(model_inventory_add(&entity, inv, kind, id, name), 0);
	return entity;
}

static void set(struct nhi_inv_entity *entity, const char *name, const char *value)
{
	assert_int_equal(model_entity_put(entity, name, value), 0);
}

static void link_to(struct nhi_inv_entity *entity, const char *type, const char *target)
{
	assert_int_equal(model_entity_link(entity, type, target), 0);
}

static void locate(struct nhi_inv_entity *entity, const char *path, size_t line)
{
	assert_int_equal(model_entity_add_location(entity, path, line, NULL), 0);
}

static int score_of(const struct nhi_inv_entity *entity, const char *risk_id)
{
	const struct nhi_inv_risk *risk = model_entity_find_risk(entity, risk_id);

	return risk ? risk->score : 0;
}

static void test_inventory_risk__hard_coded_reused_environments(void **state)
{
	struct nhi_inventory inv;
	struct nhi_inv_entity *credential;

	model_inventory_init(&inv);
	credential = add(&inv, NHI_KIND_CREDENTIALS, "cred-aaaaaaaaaaaa", "sk-p****(96)");
	set(credential, "severity", "high");
	set(credential, "in_history_only", "false");
	assert_int_equal(model_entity_add(credential, "environments", "production"), 0);
	assert_int_equal(model_entity_add(credential, "environments", "staging"), 0);
	locate(credential, "config/production.env", 1);
	locate(credential, "config/staging.env", 1);
	locate(credential, ".env", 1);
	locate(credential, "app/settings.py", 4);
	link_to(credential, NHI_LINK_OWNED_BY, "owner-x");
	assert_int_equal(risk_score_inventory(&inv), 0);

	assert_int_equal(score_of(credential, "nhi2-hard-coded"), 5 + 2);
	assert_int_equal(score_of(credential, "nhi9-reused"), 3 + 2);
	assert_int_equal(score_of(credential, "nhi8-shared-across-environments"), 6);
	assert_null(model_entity_find_risk(credential, "nhi2-leaked-in-history"));
	assert_null(model_entity_find_risk(credential, "nhi1-no-owner"));
	assert_string_equal(model_entity_find_risk(credential, "nhi9-reused")->category, "NHI9");
	model_inventory_dispose(&inv);
}

static void test_inventory_risk__history_long_lived_inactive_owner(void **state)
{
	struct nhi_inventory inv;
	struct nhi_inv_entity *credential, *owner;
	const struct nhi_inv_risk *risk;

	model_inventory_init(&inv);
	credential = add(&inv, NHI_KIND_CREDENTIALS, "cred-bbbbbbbbbbbb", "AKIA****(20)");
	set(credential, "in_history_only", "true");
	set(credential, "severity", "critical");
	set(credential, "introduced_commit", "abc");
	set(credential, "introduced_by", "Old Timer <old@example.com>");
	set(credential, "introduced_date", "2020-01-01T00:00:00+00:00");
	assert_int_equal(model_entity_add(credential, "detectors", "aws.iam.access-key-id"), 0);
	locate(credential, "config/legacy.py", 1);
	owner = add(&inv, NHI_KIND_OWNERS, "owner-old", "old@example.com");
	set(owner, "active", "false");
	link_to(credential, NHI_LINK_OWNED_BY, "owner-old");
	assert_int_equal(risk_score_inventory(&inv), 0);

	assert_null(model_entity_find_risk(credential, "nhi2-hard-coded"));
	assert_int_equal(score_of(credential, "nhi2-leaked-in-history"), 5 + 2);
	assert_int_equal(score_of(credential, "nhi7-long-lived-key"), 4);
	assert_int_equal(score_of(credential, "nhi1-inactive-owner"), 4);
	risk = model_entity_find_risk(credential, "nhi2-leaked-in-history");
	assert_non_null(strstr(risk->evidence.items[0], "introduced in commit abc by Old Timer"));
	model_inventory_dispose(&inv);
}

static void test_inventory_risk__no_owner(void **state)
{
	struct nhi_inventory inv;
	struct nhi_inv_entity *agent, *job;

	model_inventory_init(&inv);
	agent = add(&inv, NHI_KIND_AGENTS, "agent-x", "x");
	job = add(&inv, NHI_KIND_JOBS, "job-y", "y");
	assert_int_equal(risk_score_inventory(&inv), 0);
	assert_int_equal(score_of(agent, "nhi1-no-owner"), 3);
	/* Jobs are context, not identities: they need no owner of their own. */
	assert_int_equal(job->risks.count, 0);
	model_inventory_dispose(&inv);
}

static void test_inventory_risk__pipeline_rules(void **state)
{
	struct nhi_inventory inv;
	struct nhi_inv_entity *workflow, *job, *reference, *action, *safe;

	model_inventory_init(&inv);
	workflow = add(&inv, NHI_KIND_WORKFLOWS, "wf-a", ".github/workflows/a.yml");
	assert_int_equal(model_entity_add(workflow, "permissions", "write-all"), 0);
	job = add(&inv, NHI_KIND_JOBS, "job-a", "deploy");
	link_to(job, NHI_LINK_DEFINED_IN, "wf-a");
	link_to(job, NHI_LINK_USES, "ref-AWS_ACCESS_KEY_ID");
	link_to(job, NHI_LINK_USES, "action-x");
	reference = add(&inv, NHI_KIND_REFERENCES, "ref-AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID");
	link_to(reference, NHI_LINK_EXPOSES_TO, "action-x");
	action = add(&inv, NHI_KIND_ACTIONS, "action-x", "vendor/deploy@main");
	set(action, "third_party", "true");
	set(action, "pinned", "false");
	set(action, "receives_secrets", "true");
	set(action, "ref", "main");
	safe = add(&inv, NHI_KIND_ACTIONS, "action-safe", "actions/checkout@v4");
	set(safe, "third_party", "false");
	set(safe, "pinned", "false");
	set(safe, "receives_secrets", "true");
	assert_int_equal(risk_score_inventory(&inv), 0);

	assert_int_equal(score_of(workflow, "nhi5-write-all-token"), 6);
	assert_int_equal(score_of(job, "nhi6-static-cloud-key"), 5);
	assert_int_equal(score_of(reference, "nhi7-long-lived-key"), 4);
	assert_int_equal(score_of(action, "nhi3-unpinned-receives-secrets"), 5);
	assert_int_equal(safe->risks.count, 0);
	model_inventory_dispose(&inv);
}

static void test_inventory_risk__oidc_silences_static_key(void **state)
{
	struct nhi_inventory inv;
	struct nhi_inv_entity *workflow, *job;

	model_inventory_init(&inv);
	workflow = add(&inv, NHI_KIND_WORKFLOWS, "wf-a", ".github/workflows/a.yml");
	set(workflow, "oidc", "true");
	job = add(&inv, NHI_KIND_JOBS, "job-a", "deploy");
	link_to(job, NHI_LINK_DEFINED_IN, "wf-a");
	link_to(job, NHI_LINK_USES, "ref-AWS_ACCESS_KEY_ID");
	add(&inv, NHI_KIND_REFERENCES, "ref-AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID");
	assert_int_equal(risk_score_inventory(&inv), 0);
	assert_null(model_entity_find_risk(job, "nhi6-static-cloud-key"));
	model_inventory_dispose(&inv);
}

static void test_inventory_risk__mcp_rules(void **state)
{
	struct nhi_inventory inv;
	struct nhi_inv_entity *remote, *open, *local, *unpinned, *personal, *credential;

	model_inventory_init(&inv);
	remote = add(&inv, NHI_KIND_MCP_SERVERS, "mcp-remote", "tracker");
	set(remote, "url", "http://tracker.example.net/sse");
	set(remote, "auth", "reference");
	assert_int_equal(model_entity_add(remote, "credentials", "Authorization"), 0);
	open = add(&inv, NHI_KIND_MCP_SERVERS, "mcp-open", "open");
	set(open, "url", "https://mcp.example.com/mcp");
	set(open, "auth", "none");
	local = add(&inv, NHI_KIND_MCP_SERVERS, "mcp-local", "local");
	set(local, "url", "http://localhost:8080/sse");
	set(local, "auth", "oauth");
	unpinned = add(&inv, NHI_KIND_MCP_SERVERS, "mcp-unpinned", "search");
	set(unpinned, "package", "search-mcp");
	set(unpinned, "pinned", "false");
	link_to(unpinned, NHI_LINK_USES, "ref-SEARCH_API_KEY");
	add(&inv, NHI_KIND_REFERENCES, "ref-SEARCH_API_KEY", "SEARCH_API_KEY");
	personal = add(&inv, NHI_KIND_MCP_SERVERS, "mcp-github", "github");
	link_to(personal, NHI_LINK_USES, "ref-GITHUB_TOKEN");
	add(&inv, NHI_KIND_REFERENCES, "ref-GITHUB_TOKEN", "GITHUB_TOKEN");
	credential = add(&inv, NHI_KIND_CREDENTIALS, "cred-cccccccccccc", "ghp_****(40)");
	assert_int_equal(model_entity_add(credential, "detectors", "github.pat.classic"), 0);
	link_to(credential, NHI_LINK_ASSIGNED_TO, "ref-GITHUB_TOKEN");
	assert_int_equal(risk_score_inventory(&inv), 0);

	assert_int_equal(score_of(remote, "nhi4-plain-http"), 5 + 2);
	assert_null(model_entity_find_risk(remote, "nhi4-unauthenticated-remote"));
	assert_int_equal(score_of(open, "nhi4-unauthenticated-remote"), 3);
	assert_null(model_entity_find_risk(local, "nhi4-plain-http"));
	assert_int_equal(score_of(unpinned, "nhi3-unpinned-receives-secrets"), 5);
	/* GITHUB_TOKEN contains a personal token, written in a .env file: the server acts as a person. */
	assert_int_equal(score_of(personal, "nhi10-personal-token"), 5);
	assert_null(model_entity_find_risk(unpinned, "nhi10-personal-token"));
	model_inventory_dispose(&inv);
}

static void test_inventory_risk__broad_scope(void **state)
{
	struct nhi_inventory inv;
	struct nhi_inv_entity *high, *medium, *client;
	const struct nhi_inv_risk *risk;

	model_inventory_init(&inv);
	high = add(&inv, NHI_KIND_SCOPES, "scope-admin", "admin");
	set(high, "risk", "high");
	set(high, "risk_reason", "administers the workspace");
	medium = add(&inv, NHI_KIND_SCOPES, "scope-chat", "chat:write");
	set(medium, "risk", "medium");
	client = add(&inv, NHI_KIND_OAUTH_CLIENTS, "oauth-app", "manifest.yml");
	link_to(client, NHI_LINK_GRANTS, "scope-admin");
	assert_int_equal(risk_score_inventory(&inv), 0);

	risk = model_entity_find_risk(high, "nhi5-broad-scope");
	assert_non_null(risk);
	assert_int_equal(risk->score, 6);
	assert_non_null(strstr(risk->reasons.items[0], "administers the workspace"));
	assert_non_null(strstr(risk->evidence.items[0], "oauth-app"));
	assert_int_equal(medium->risks.count, 0);
	model_inventory_dispose(&inv);
}

static void test_inventory_risk__score_is_capped(void **state)
{
	struct nhi_inventory inv;
	struct nhi_inv_entity *entity;
	struct nhi_inv_risk *risk;

	model_inventory_init(&inv);
	entity = add(&inv, NHI_KIND_CREDENTIALS, "cred-dddddddddddd", "x");
	assert_int_equal(model_entity_add_risk(&risk, entity, "r", "NHI2", "t"), 0);
	assert_int_equal(model_risk_add_points(risk, 8, "a"), 0);
	assert_int_equal(model_risk_add_points(risk, 8, "b"), 0);
	assert_int_equal(risk->score, NHI_RISK_MAX_SCORE);
	assert_string_equal(risk->reasons.items[1], "+8: b");
	model_inventory_dispose(&inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inventory_risk__hard_coded_reused_environments),
		cmocka_unit_test(test_inventory_risk__history_long_lived_inactive_owner),
		cmocka_unit_test(test_inventory_risk__no_owner),
		cmocka_unit_test(test_inventory_risk__pipeline_rules),
		cmocka_unit_test(test_inventory_risk__oidc_silences_static_key),
		cmocka_unit_test(test_inventory_risk__mcp_rules),
		cmocka_unit_test(test_inventory_risk__broad_scope),
		cmocka_unit_test(test_inventory_risk__score_is_capped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
