/*
 * CODEOWNERS patterns and precedence: gitignore-like matching, the last matching line winning,
 * lines without owners, comments and GitLab section headers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model/codeowners.h"

static void test_inventory_codeowners__unanchored_patterns(void **state)
{
	assert_true(model_codeowners_pattern_matches("*", "a/b/c.py"));
	assert_true(model_codeowners_pattern_matches("*.yml", ".github/workflows/ci.yml"));
	assert_false(model_codeowners_pattern_matches("*.yml", "ci.yaml"));
	assert_true(model_codeowners_pattern_matches("apps/", "src/apps/x/main.go"));
	assert_false(model_codeowners_pattern_matches("apps/", "src/apps"));
	assert_true(model_codeowners_pattern_matches("secrets", "deploy/secrets/prod.env"));
	assert_true(model_codeowners_pattern_matches("secrets", "deploy/secrets"));
}

static void test_inventory_codeowners__anchored_patterns(void **state)
{
	assert_true(model_codeowners_pattern_matches("/app/", "app/agent.py"));
	assert_false(model_codeowners_pattern_matches("/app/", "src/app/agent.py"));
	assert_true(model_codeowners_pattern_matches("docs/*", "docs/setup.md"));
	assert_false(model_codeowners_pattern_matches("docs/*", "docs/build/setup.md"));
	assert_true(model_codeowners_pattern_matches("/build/logs/", "build/logs/x/y.log"));
	assert_true(model_codeowners_pattern_matches("/.mcp.json", ".mcp.json"));
	assert_false(model_codeowners_pattern_matches("/.mcp.json", "sub/.mcp.json"));
}

static void test_inventory_codeowners__double_star_and_classes(void **state)
{
	assert_true(model_codeowners_pattern_matches("**/logs", "a/b/logs/x"));
	assert_true(model_codeowners_pattern_matches("**/logs", "logs"));
	assert_true(model_codeowners_pattern_matches("config/**/prod.env", "config/prod.env"));
	assert_true(model_codeowners_pattern_matches("config/**/prod.env", "config/a/b/prod.env"));
	assert_true(model_codeowners_pattern_matches("*.[jt]s", "web/notify.ts"));
	assert_false(model_codeowners_pattern_matches("*.[jt]s", "web/notify.py"));
	assert_true(model_codeowners_pattern_matches("file?.txt", "file1.txt"));
	assert_false(model_codeowners_pattern_matches("a?b", "a/b"));
}

static const char sample[] =
	"# owners of everything\n"
	"*            @acme/platform\n"
	"[Agents]\n"
	"/app/        @acme/agents  dev@example.com\n"
	"*.yml        @acme/devops # pipelines\n"
	"/app/vendored/\n";

static void test_inventory_codeowners__last_match_wins(void **state)
{
	struct model_codeowners co;
	const struct model_codeowners_rule *rule;

	assert_int_equal(model_codeowners_parse(&co, "CODEOWNERS", sample, strlen(sample)), 0);
	assert_int_equal(co.rules.count, 4);

	rule = model_codeowners_match(&co, "README.md");
	assert_non_null(rule);
	assert_string_equal(rule->owners.items[0], "@acme/platform");

	rule = model_codeowners_match(&co, "app/agent.py");
	assert_int_equal(rule->line, 4);
	assert_int_equal(rule->owners.count, 2);
	assert_string_equal(rule->owners.items[1], "dev@example.com");

	rule = model_codeowners_match(&co, "app/config.yml");
	assert_string_equal(rule->owners.items[0], "@acme/devops");
	assert_int_equal(rule->owners.count, 1);

	rule = model_codeowners_match(&co, "app/vendored/lib.py");
	assert_int_equal(rule->owners.count, 0);
	model_codeowners_dispose(&co);
}

static void test_inventory_codeowners__no_rules(void **state)
{
	struct model_codeowners co;

	assert_int_equal(model_codeowners_parse(&co, "CODEOWNERS", "# nothing\n\n", 12), 0);
	assert_null(model_codeowners_match(&co, "a.py"));
	model_codeowners_dispose(&co);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inventory_codeowners__unanchored_patterns),
		cmocka_unit_test(test_inventory_codeowners__anchored_patterns),
		cmocka_unit_test(test_inventory_codeowners__double_star_and_classes),
		cmocka_unit_test(test_inventory_codeowners__last_match_wins),
		cmocka_unit_test(test_inventory_codeowners__no_rules),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
