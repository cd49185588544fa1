/*
 * The inventory file. It is written deterministically and read back to the same model, and
 * values that YAML would retype stay strings. Reviewer decisions are carried over, conflicted
 * files read as the union of both sides, and malformed files are rejected with file and line.
 */
#include "inventory_test.h"

#include "output/inventory.h"
#include "util/error.h"

static struct nhi_inv_entity *add(struct nhi_inventory *inv, const char *kind, const char *id, const char *name)
{
	struct nhi_inv_entity *entity;

	assert_int_equal(model_inventory_add(&entity, inv, kind, id, name), 0);
	return entity;
}

/* A small inventory with one of everything the writer emits. */
static void make_sample(struct nhi_inventory *inv)
{
	struct nhi_inv_entity *credential, *server;
	struct nhi_inv_risk *risk;

	model_inventory_init(inv);
	assert_int_equal(model_inventory_set_string(&inv->scan, "worktree+history"), 0);
	server = add(inv, NHI_KIND_MCP_SERVERS, "mcp-claude-code-notes-1a2b3c4d", "notes");
	assert_int_equal(model_entity_set(server, "version", "1.0"), 0);
	assert_int_equal(model_entity_set(server, "pinned", "true"), 0);
	assert_int_equal(model_entity_set(server, "trust", "yes"), 0);
	assert_int_equal(model_entity_set(server, "description", "line one\nline two"), 0);
	assert_int_equal(model_entity_add(server, "credentials", "NOTES_KEY"), 0);
	assert_int_equal(model_entity_add_location(server, ".mcp.json", 12, NULL), 0);
	assert_int_equal(model_entity_link(server, NHI_LINK_USES, "cred-0123456789ab"), 0);
	assert_int_equal(model_entity_link(server, NHI_LINK_DEFINED_IN, "agent-claude-code"), 0);
	credential = add(inv, NHI_KIND_CREDENTIALS, "cred-0123456789ab", "sk-a****(108)");
	assert_int_equal(model_entity_set(credential, "introduced_date", "2020-01-01T00:00:00+00:00"), 0);
	assert_int_equal(model_entity_set(credential, "fingerprint", "0123456789abcdef01234567"), 0);
	assert_int_equal(model_entity_add_location(credential, ".mcp.json", 14, NULL), 0);
	assert_int_equal(model_entity_add_location(credential, "old.py", 2, "a1b2c3d4e5f6"), 0);
	assert_int_equal(model_entity_add_risk(&risk, credential, "nhi2-hard-coded", "NHI2", "secret written into a tracked file"), 0);
	assert_int_equal(model_risk_add_points(risk, 5, "written in a tracked file"), 0);
	assert_int_equal(model_risk_add_evidence(risk, "at %s", ".mcp.json:14"), 0);
	add(inv, NHI_KIND_AGENTS, "agent-claude-code", "claude-code");
	add(inv, "k8s_deployment", "k8s-deployment-api-1234abcd", "api");
	model_inventory_finalize(inv);
}

static char *write_yaml(const struct nhi_inventory *inv)
{
	struct nhi_buf out = NHI_BUF_INIT;

	assert_int_equal(output_inventory_yaml(&out, inv), 0);
	return nhi_buf_detach(&out);
}

static void test_inventory_file__round_trip(void **state)
{
	struct nhi_inventory inv, back;
	char *first, *second;
	const struct nhi_inv_entity *server, *credential;

	make_sample(&inv);
	first = write_yaml(&inv);
	assert_int_equal(model_inventory_load(&back, "nhi-inventory.yaml", first, strlen(first)), 0);
	second = write_yaml(&back);
	assert_string_equal(first, second);

	server = expect_entity(&back, "mcp-claude-code-notes-1a2b3c4d");
	assert_string_equal(server->kind, NHI_KIND_MCP_SERVERS);
	assert_string_equal(model_entity_get(server, "version"), "1.0");
	assert_string_equal(model_entity_get(server, "trust"), "yes");
	assert_string_equal(model_entity_get(server, "description"), "line one\nline two");
	assert_true(model_entity_links_to(server, NHI_LINK_USES, "cred-0123456789ab"));
	credential = expect_entity(&back, "cred-0123456789ab");
	assert_int_equal(((struct nhi_inv_risk *)credential->risks.items[0])->score, 5);
	assert_string_equal(credential->locations.items[1], "old.py:2@a1b2c3d4e5f6");
	assert_non_null(expect_entity(&back, "k8s-deployment-api-1234abcd"));
	assert_string_equal(back.scan, "worktree+history");

	free(first);
	free(second);
	model_inventory_dispose(&inv);
	model_inventory_dispose(&back);
}

static void test_inventory_file__layout(void **state)
{
	struct nhi_inventory inv;
	char *text;

	make_sample(&inv);
	text = write_yaml(&inv);
	/* Sections in their fixed order, values that YAML would retype quoted, one value per line. */
	assert_true(strstr(text, "\nagents:\n") < strstr(text, "\nmcp_servers:\n"));
	assert_true(strstr(text, "\nmcp_servers:\n") < strstr(text, "\ncredentials:\n"));
	assert_true(strstr(text, "\ncredentials:\n") < strstr(text, "\nk8s_deployment:\n"));
	assert_non_null(strstr(text, "  version: '1.0'\n"));
	assert_non_null(strstr(text, "  trust: 'yes'\n"));
	assert_non_null(strstr(text, "  pinned: true\n"));
	assert_non_null(strstr(text, "  introduced_date: '2020-01-01T00:00:00+00:00'\n"));
	assert_non_null(strstr(text, "  description: \"line one\\nline two\"\n"));
	assert_non_null(strstr(text, "    score: 5\n"));
	assert_null(strstr(text, "generated:"));
	free(text);
	model_inventory_dispose(&inv);
}

static void test_inventory_file__decisions_survive(void **state)
{
	static const char committed[] =
		"schema: 1\n"
		"credentials:\n"
		"- id: cred-0123456789ab\n"
		"  status: revoked\n"
		"  reason: rotated on 2026-11-30\n"
		"  risks:\n"
		"  - id: nhi2-hard-coded\n"
		"    status: accepted\n"
		"    reason: test fixture\n"
		"- id: cred-gone\n"
		"  status: accepted\n";
	struct nhi_inventory old, inv;
	const struct nhi_inv_entity *credential;
	const struct nhi_inv_risk *risk;

	assert_int_equal(model_inventory_load(&old, "nhi-inventory.yaml", committed, strlen(committed)), 0);
	make_sample(&inv);
	assert_int_equal(model_inventory_apply_decisions(&inv, &old), 0);
	credential = expect_entity(&inv, "cred-0123456789ab");
	assert_string_equal(credential->status, "revoked");
	assert_string_equal(credential->reason, "rotated on 2026-11-30");
	risk = model_entity_find_risk(credential, "nhi2-hard-coded");
	assert_string_equal(risk->status, "accepted");
	assert_string_equal(risk->reason, "test fixture");
	assert_null(model_inventory_find(&inv, "cred-gone"));
	model_inventory_dispose(&old);
	model_inventory_dispose(&inv);
}

static void test_inventory_file__conflict_reads_as_union(void **state)
{
	static const char conflicted[] =
		"schema: 1\n"
		"credentials:\n"
		"- id: cred-aaaaaaaaaaaa\n"
		"<<<<<<< HEAD\n"
		"- id: cred-bbbbbbbbbbbb\n"
		"  name: ours\n"
		"=======\n"
		"- id: cred-cccccccccccc\n"
		"  name: theirs\n"
		">>>>>>> feature\n"
		"- id: cred-dddddddddddd\n";
	struct nhi_inventory inv;

	assert_int_equal(model_inventory_load(&inv, "nhi-inventory.yaml", conflicted, strlen(conflicted)), 0);
	assert_int_equal(inv.entities.count, 4);
	assert_string_equal(expect_entity(&inv, "cred-cccccccccccc")->name, "theirs");
	model_inventory_dispose(&inv);
}

/* git splits a conflict between two new entries around the lines they share. */
static void test_inventory_file__interleaved_conflict(void **state)
{
	static const char conflicted[] =
		"schema: 1\n"
		"credentials:\n"
		"- id: cred-aaaaaaaaaaaa\n"
		"<<<<<<< HEAD\n"
		"- id: cred-bbbbbbbbbbbb\n"
		"  name: ours\n"
		"=======\n"
		"- id: cred-cccccccccccc\n"
		"  name: theirs\n"
		">>>>>>> feature\n"
		"  kind: api-key\n"
		"  locations:\n"
		"<<<<<<< HEAD\n"
		"  - first.env:1\n"
		"||||||| base\n"
		"=======\n"
		"  - second.env:1\n"
		">>>>>>> feature\n"
		"  status: accepted\n";
	struct nhi_inventory inv;
	const struct nhi_inv_entity *ours, *theirs;

	assert_int_equal(model_inventory_load(&inv, "nhi-inventory.yaml", conflicted, strlen(conflicted)), 0);
	assert_int_equal(inv.entities.count, 3);
	ours = expect_entity(&inv, "cred-bbbbbbbbbbbb");
	theirs = expect_entity(&inv, "cred-cccccccccccc");
	assert_string_equal(ours->locations.items[0], "first.env:1");
	assert_string_equal(theirs->locations.items[0], "second.env:1");
	assert_int_equal(ours->locations.count, 1);
	assert_string_equal(theirs->status, "accepted");
	assert_string_equal(model_entity_get(ours, "kind"), "api-key");
	model_inventory_dispose(&inv);
}

static void expect_invalid(const char *text, const char *message)
{
	struct nhi_inventory inv;

	assert_int_equal(model_inventory_load(&inv, "nhi-inventory.yaml", text, strlen(text)), NHI_EINVALID);
	if (!strstr(nhi_error_last(), message))
		fail_msg("expected '%s' in '%s'", message, nhi_error_last());
}

static void test_inventory_file__malformed_names_line(void **state)
{
	expect_invalid("schema: 1\ncredentials:\n- id: x\n  name: [unclosed\n", "nhi-inventory.yaml:5:");
	expect_invalid("schema: 2\n", "nhi-inventory.yaml:1: unsupported inventory schema");
	expect_invalid("credentials: []\n", "'schema' is missing");
	expect_invalid("schema: 1\ncredentials:\n- name: x\n", "nhi-inventory.yaml:3: an entry needs an id");
	expect_invalid("schema: 1\ncredentials:\n- id: x\n  status: maybe\n", "nhi-inventory.yaml:4: invalid status");
	expect_invalid("schema: 1\ncredentials:\n- id: x\n  risks:\n  - id: r\n    score: lots\n",
		       "nhi-inventory.yaml:6: invalid score");
	expect_invalid("schema: 1\ncredentials: nope\n", "nhi-inventory.yaml:2: expected a list");
	expect_invalid("- a\n- b\n", "not an nhiscan inventory");
	expect_invalid("schema: 1\nagents:\n- &a {id: x}\n- *a\n", "YAML aliases are not allowed");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inventory_file__round_trip),
		cmocka_unit_test(test_inventory_file__layout),
		cmocka_unit_test(test_inventory_file__decisions_survive),
		cmocka_unit_test(test_inventory_file__conflict_reads_as_union),
		cmocka_unit_test(test_inventory_file__interleaved_conflict),
		cmocka_unit_test(test_inventory_file__malformed_names_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
