/*
 * The check's comparison and the graph writers: new identities and risks block, a grown score
 * blocks, removals and context kinds do not; DOT and Mermaid draw every entity and link.
 */
#include "inventory_test.h"

#include "model/inventory_diff.h"
#include "output/inventory.h"

static struct nhi_inv_entity *add(struct nhi_inventory *inv, const char *kind, const char *id, const char *name)
{
	struct nhi_inv_entity *entity;

	assert_int_equal(model_inventory_add(&entity, inv, kind, id, name), 0);
	return entity;
}

static struct nhi_inv_risk *add_risk(struct nhi_inv_entity *entity, const char *id, int score)
{
	struct nhi_inv_risk *risk;

	assert_int_equal(model_entity_add_risk(&risk, entity, id, "NHI9", "one credential used in several places"), 0);
	assert_int_equal(model_risk_add_points(risk, score, "reason"), 0);
	return risk;
}

static const struct nhi_inv_change *find_change(const struct nhi_vec *changes, enum nhi_inv_change_type type,
						const char *id)
{
	for (size_t i = 0; i < changes->count; i++) {
		const struct nhi_inv_change *change = changes->items[i];

		if (change->type == type && strcmp(change->entity->id, id) == 0)
			return change;
	}
	fail_msg("no change %d on '%s'", (int)type, id);
	return NULL;
}

static void test_inventory_check__changes_and_blocking(void **state)
{
	struct nhi_inventory committed, current;
	struct nhi_vec changes = NHI_VEC_INIT;
	const struct nhi_inv_change *change;

	model_inventory_init(&committed);
	model_inventory_init(&current);
	add_risk(add(&committed, NHI_KIND_CREDENTIALS, "cred-kept", "a"), "nhi9-reused", 3);
	add_risk(add(&committed, NHI_KIND_CREDENTIALS, "cred-safer", "b"), "nhi9-reused", 5);
	add(&committed, NHI_KIND_CREDENTIALS, "cred-removed", "c");

	add_risk(add(&current, NHI_KIND_CREDENTIALS, "cred-kept", "a"), "nhi9-reused", 4);
	add_risk(add(&current, NHI_KIND_CREDENTIALS, "cred-safer", "b"), "nhi9-reused", 4);
	add(&current, NHI_KIND_MCP_SERVERS, "mcp-new", "notes");
	add(&current, NHI_KIND_PROVIDERS, "provider-new", "Stripe");
	add_risk(add(&current, NHI_KIND_ACTIONS, "action-new", "vendor/x@main"), "nhi3-unpinned-receives-secrets", 5);
	assert_int_equal(model_inventory_diff(&changes, &committed, &current), 0);

	change = find_change(&changes, NHI_CHANGE_RISK_GREW, "cred-kept");
	assert_true(change->blocking);
	assert_int_equal(change->old_score, 3);
	assert_int_equal(change->risk->score, 4);
	assert_false(find_change(&changes, NHI_CHANGE_RISK_SHRANK, "cred-safer")->blocking);
	assert_true(find_change(&changes, NHI_CHANGE_ADDED, "mcp-new")->blocking);
	/* Context kinds do not block when they appear, but their risks do. */
	assert_false(find_change(&changes, NHI_CHANGE_ADDED, "provider-new")->blocking);
	assert_false(find_change(&changes, NHI_CHANGE_ADDED, "action-new")->blocking);
	assert_true(find_change(&changes, NHI_CHANGE_RISK_ADDED, "action-new")->blocking);
	assert_false(find_change(&changes, NHI_CHANGE_REMOVED, "cred-removed")->blocking);
	assert_int_equal(changes.count, 7);

	nhi_vec_dispose_all(&changes, NULL);
	model_inventory_dispose(&committed);
	model_inventory_dispose(&current);
}

static void test_inventory_check__same_inventory_is_clean(void **state)
{
	struct nhi_inventory a, b;
	struct nhi_vec changes = NHI_VEC_INIT;

	model_inventory_init(&a);
	model_inventory_init(&b);
	add_risk(add(&a, NHI_KIND_CREDENTIALS, "cred-x", "x"), "nhi9-reused", 3);
	add_risk(add(&b, NHI_KIND_CREDENTIALS, "cred-x", "x"), "nhi9-reused", 3);
	assert_int_equal(model_entity_add_location(model_inventory_find(&b, "cred-x"), "moved.env", 40, NULL), 0);
	assert_int_equal(model_inventory_diff(&changes, &a, &b), 0);
	assert_int_equal(changes.count, 0);
	nhi_vec_dispose(&changes);
	model_inventory_dispose(&a);
	model_inventory_dispose(&b);
}

static void test_inventory_check__graphs(void **state)
{
	struct nhi_inventory inv;
	struct nhi_buf dot = NHI_BUF_INIT, mermaid = NHI_BUF_INIT;
	struct nhi_inv_entity *server;

	model_inventory_init(&inv);
	server = add(&inv, NHI_KIND_MCP_SERVERS, "mcp-a", "say \"hi\" <now>");
	add_risk(server, "nhi4-plain-http", 7);
	assert_int_equal(model_entity_link(server, NHI_LINK_USES, "ref-TOKEN"), 0);
	assert_int_equal(model_entity_link(server, NHI_LINK_USES, "ref-MISSING"), 0);
	add(&inv, NHI_KIND_REFERENCES, "ref-TOKEN", "TOKEN");
	model_inventory_finalize(&inv);

	assert_int_equal(output_inventory_dot(&dot, &inv), 0);
	assert_non_null(strstr(dot.ptr, "digraph nhi_inventory {"));
	assert_non_null(strstr(dot.ptr, "\"mcp-a\" -> \"ref-TOKEN\" [label=\"uses\"];"));
	assert_null(strstr(dot.ptr, "ref-MISSING"));
	assert_non_null(strstr(dot.ptr, "say \\\"hi\\\" <now>\\nrisk 7\", color=red"));

	assert_int_equal(output_inventory_mermaid(&mermaid, &inv), 0);
	assert_non_null(strstr(mermaid.ptr, "flowchart LR\n"));
	assert_non_null(strstr(mermaid.ptr, "n0[\"MCP server: say #quot;hi#quot; #lt;now#gt; (risk 7)\"]:::severe"));
	assert_non_null(strstr(mermaid.ptr, "n0 -->|uses| n1\n"));

	nhi_buf_dispose(&dot);
	nhi_buf_dispose(&mermaid);
	model_inventory_dispose(&inv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inventory_check__changes_and_blocking),
		cmocka_unit_test(test_inventory_check__same_inventory_is_clean),
		cmocka_unit_test(test_inventory_check__graphs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
