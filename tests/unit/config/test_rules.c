/*
 * Rule and settings loading: every rejected input names its file and line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/rules.h"
#include "config/settings.h"
#include "util/error.h"
#include "util/fs.h"

#define RULE_HEAD \
	"rules:\n" \
	"  - id: acme.api.key\n" \
	"    name: Acme API key\n" \
	"    provider: Acme\n" \
	"    kind: api-key\n" \
	"    docs: https://acme.invalid/docs\n" \
	"    remediation: Revoke it.\n" \
	"    examples: ['acme_1']\n" \
	"    negative: ['acme_']\n"

static int load_text(struct nhi_rule_set *set, const char *text, bool builtin)
{
	struct nhi_rule_source source = { "custom.yml", text, strlen(text) };

	return config_rules_load(set, &source, builtin);
}

static void expect_rejected(const char *text, const char *location, const char *words)
{
	struct nhi_rule_set set = { 0 };

	assert_int_equal(load_text(&set, text, false), NHI_EINVALID);
	if (!strstr(nhi_error_last(), location) || !strstr(nhi_error_last(), words))
		fail_msg("message '%s' lacks '%s' or '%s'", nhi_error_last(), location, words);
	config_rules_dispose(&set);
}

static void test_config_rules__valid_rule_loads(void **state)
{
	struct nhi_rule_set set = { 0 };

	assert_int_equal(load_text(&set, RULE_HEAD "    pattern: 'acme_[0-9]{1,3}'\n    keywords: [ACME]\n", false), 0);
	assert_int_equal(set.count, 1);
	assert_string_equal(set.rules[0].keywords[0], "acme");
	assert_int_equal(set.rules[0].severity, NHI_SEVERITY_HIGH);
	assert_int_equal(set.rules[0].source_line, 2);
	config_rules_dispose(&set);
}

static void test_config_rules__missing_pattern(void **state)
{
	expect_rejected(RULE_HEAD, "custom.yml:2", "'pattern'");
}

static void test_config_rules__bad_kind(void **state)
{
	expect_rejected("rules:\n  - id: a.b\n    name: n\n    provider: p\n    kind: magic\n"
			"    pattern: x\n    docs: d\n    remediation: r\n    examples: [x]\n    negative: [y]\n",
			"custom.yml:2", "unknown kind 'magic'");
}

static void test_config_rules__bad_id(void **state)
{
	expect_rejected("rules:\n  - id: Acme Key\n", "custom.yml:2", "invalid rule id");
}

static void test_config_rules__bad_entropy(void **state)
{
	expect_rejected(RULE_HEAD "    pattern: x\n    entropy: lots\n", "custom.yml:11", "entropy");
}

static void test_config_rules__no_examples(void **state)
{
	expect_rejected("rules:\n  - id: a.b\n    name: n\n    provider: p\n    kind: api-key\n"
			"    pattern: x\n    docs: d\n    remediation: r\n", "custom.yml:2", "examples");
}

static void test_config_rules__yaml_syntax_error(void **state)
{
	expect_rejected("rules:\n  - id: [unclosed\n", "custom.yml:", "invalid YAML");
}

static void test_config_rules__collision_with_builtin(void **state)
{
	struct nhi_rule_set set = { 0 };
	const char *text = RULE_HEAD "    pattern: 'acme_[0-9]{1,3}'\n";

	assert_int_equal(load_text(&set, text, true), 0);
	assert_int_equal(load_text(&set, text, false), NHI_EINVALID);
	assert_non_null(strstr(nhi_error_last(), "already a built-in rule"));
	config_rules_dispose(&set);
}

static void test_config_rules__builtin_set_loads(void **state)
{
	struct nhi_rule_set set = { 0 };

	assert_int_equal(config_rules_load_builtin(&set), 0);
	assert_true(set.count > 0);
	config_rules_dispose(&set);
}

static char *write_temp(const char *text)
{
	char *path = strdup("/tmp/nhiscan-settings-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static void test_config_settings__full_file(void **state)
{
	char *path = write_temp("signatures: [rules/]\n"
				"skip-paths:\n  - path: vendor/\n    reason: third-party code\n"
				"  - path: '*.min.js'\n    reason: generated\n"
				"allow-fingerprints:\n  - fingerprint: 0123456789abcdef01234567\n    reason: revoked demo key\n");
	struct nhi_settings settings;

	assert_int_equal(config_settings_load(&settings, path, false), 0);
	assert_true(config_settings_skips_path(&settings, "vendor/lib/a.c"));
	assert_true(config_settings_skips_path(&settings, "web/app.min.js"));
	assert_false(config_settings_skips_path(&settings, "vendors.c"));
	assert_true(config_settings_allows_fingerprint(&settings, "0123456789abcdef01234567"));
	assert_int_equal(settings.signature_path_count, 1);
	assert_non_null(strstr(settings.signature_paths[0], "/rules/"));
	config_settings_dispose(&settings);
	unlink(path);
	free(path);
}

static void test_config_settings__reason_required(void **state)
{
	char *path = write_temp("disable-rules:\n  - id: generic.x\n");
	struct nhi_settings settings;

	assert_int_equal(config_settings_load(&settings, path, false), NHI_EINVALID);
	assert_non_null(strstr(nhi_error_last(), ":2: entry 'generic.x' of 'disable-rules' has no 'reason'"));
	unlink(path);
	free(path);
}

static void test_config_settings__unknown_key(void **state)
{
	char *path = write_temp("skip_paths: []\n");
	struct nhi_settings settings;

	assert_int_equal(config_settings_load(&settings, path, false), NHI_EINVALID);
	assert_non_null(strstr(nhi_error_last(), ":1: unknown key 'skip_paths'"));
	unlink(path);
	free(path);
}

static void test_config_settings__bad_fingerprint(void **state)
{
	char *path = write_temp("allow-fingerprints:\n  - fingerprint: ZZ12\n    reason: typo\n");
	struct nhi_settings settings;

	assert_int_equal(config_settings_load(&settings, path, false), NHI_EINVALID);
	assert_non_null(strstr(nhi_error_last(), ":2: invalid fingerprint 'ZZ12'"));
	unlink(path);
	free(path);
}

static void test_config_settings__missing_optional(void **state)
{
	struct nhi_settings settings;

	assert_int_equal(config_settings_load(&settings, "/nonexistent/.nhiscan.yaml", true), 0);
	assert_null(settings.path);
	assert_int_equal(config_settings_load(&settings, "/nonexistent/.nhiscan.yaml", false), NHI_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config_rules__valid_rule_loads),
		cmocka_unit_test(test_config_rules__missing_pattern),
		cmocka_unit_test(test_config_rules__bad_kind),
		cmocka_unit_test(test_config_rules__bad_id),
		cmocka_unit_test(test_config_rules__bad_entropy),
		cmocka_unit_test(test_config_rules__no_examples),
		cmocka_unit_test(test_config_rules__yaml_syntax_error),
		cmocka_unit_test(test_config_rules__collision_with_builtin),
		cmocka_unit_test(test_config_rules__builtin_set_loads),
		cmocka_unit_test(test_config_settings__full_file),
		cmocka_unit_test(test_config_settings__reason_required),
		cmocka_unit_test(test_config_settings__unknown_key),
		cmocka_unit_test(test_config_settings__bad_fingerprint),
		cmocka_unit_test(test_config_settings__missing_optional),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
