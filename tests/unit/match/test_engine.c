/*
 * The matcher end to end on in-memory rules: Hyperscan finds, PCRE2 confirms and extracts the
 * secret group, overlaps resolve toward the specific rule, disabled rules stay silent, and the
 * rule database cache is used when warm and rebuilt when corrupt.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/rules.h"
#include "match/engine.h"
#include "util/error.h"
#include "util/fs.h"

static const char rules_yaml[] =
	"rules:\n"
	"  - id: acme.api.key\n"
	"    name: Acme API key\n"
	"    provider: Acme\n"
	"    kind: api-key\n"
	"    pattern: '\\b(acme_[A-Za-z0-9]{32})\\b'\n"
	"    docs: https://acme.invalid/docs\n"
	"    remediation: Revoke it.\n"
	"    examples: ['k = acme_0123456789abcdefghijABCDEFGHIJkl']\n"
	"    negative: ['k = acme_short']\n"
	"  - id: generic.token.assignment\n"
	"    name: Generic token\n"
	"    provider: Generic\n"
	"    kind: api-key\n"
	"    pattern: '(?i)token\\s{0,3}=\\s{0,3}(?P<secret>[A-Za-z0-9_]{20,80})'\n"
	"    entropy: 3.0\n"
	"    docs: https://acme.invalid/docs\n"
	"    remediation: Rotate it.\n"
	/* Split so that this source file holds no value a scanner would report. */
	"    examples: ['token = Zq8xW2" "mN4vB6" "nM1kL9" "pQ0rT5']\n"
	"    negative: ['token = aaaaaaaaaaaaaaaaaaaaaaaa']\n";

static void random_alnum(char *out, size_t len)
{
	static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[rand() % 62];
	out[len] = '\0';
}

struct fixture {
	struct nhi_rule_set rules;
	nhi_matcher *matcher;
	nhi_match_scratch *scratch;
	struct nhi_match_list list;
	char cache_dir[64];
};

static int load_rules(struct nhi_rule_set *set)
{
	struct nhi_rule_source source = { "test.yml", rules_yaml, sizeof(rules_yaml) - 1 };

	memset(set, 0, sizeof(*set));
	return config_rules_load(set, &source, true);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct nhi_matcher_options options = { 0 };

	snprintf(f->cache_dir, sizeof(f->cache_dir), "/tmp/nhiscan-cache-XXXXXX");
	assert_non_null(mkdtemp(f->cache_dir));
	assert_int_equal(load_rules(&f->rules), 0);
	options.cache_dir = f->cache_dir;
	assert_int_equal(match_matcher_new(&f->matcher, &f->rules, &options), 0);
	assert_int_equal(match_scratch_new(&f->scratch, f->matcher), 0);
	*state = f;
	return 0;
}

static void remove_cache(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d)) != NULL) {
		char *path = nhi_path_join(dir, e->d_name);

		if (e->d_name[0] != '.')
			unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	rmdir(dir);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	match_list_dispose(&f->list);
	match_scratch_free(f->scratch);
	match_matcher_free(f->matcher);
	config_rules_dispose(&f->rules);
	remove_cache(f->cache_dir);
	free(f);
	return 0;
}

static size_t scan_text(struct fixture *f, const char *text)
{
	match_list_clear(&f->list);
	assert_int_equal(match_scan(f->matcher, f->scratch, text, strlen(text), &f->list), 0);
	return f->list.count;
}

static void test_match_engine__finds_secret_group(void **state)
{
	struct fixture *f = *state;
	char token[40], text[128];

	random_alnum(token, 32);
	snprintf(text, sizeof(text), "line one\nkey: \"acme_%s\"\n", token);
	assert_int_equal(scan_text(f, text), 1);
	assert_int_equal(f->list.items[0].rule, 0);
	assert_int_equal(f->list.items[0].secret_start, strlen("line one\nkey: \""));
	assert_int_equal(f->list.items[0].secret_end - f->list.items[0].secret_start, 37);
}

static void test_match_engine__named_group_is_secret(void **state)
{
	struct fixture *f = *state;
	char token[40], text[128];

	random_alnum(token, 30);
	snprintf(text, sizeof(text), "TOKEN = %s\n", token);
	assert_int_equal(scan_text(f, text), 1);
	assert_int_equal(f->list.items[0].rule, 1);
	assert_memory_equal(text + f->list.items[0].secret_start, token, 30);
}

static void test_match_engine__specific_rule_wins_overlap(void **state)
{
	struct fixture *f = *state;
	char token[40], text[128];

	random_alnum(token, 32);
	/* "token = acme_..." matches both rules on the same bytes. */
	snprintf(text, sizeof(text), "token = acme_%s\n", token);
	assert_int_equal(scan_text(f, text), 1);
	assert_int_equal(f->list.items[0].rule, 0);
}

static void test_match_engine__placeholder_and_allow_dropped(void **state)
{
	struct fixture *f = *state;
	char token[40], text[160];

	assert_int_equal(scan_text(f, "k = acme_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n"), 0);
	random_alnum(token, 32);
	snprintf(text, sizeof(text), "k = acme_%s  # nhiscan:allow\n", token);
	assert_int_equal(scan_text(f, text), 0);
}

static void test_match_engine__many_secrets_one_buffer(void **state)
{
	struct fixture *f = *state;
	char *text = malloc(100 * 64);
	size_t used = 0;

	for (int i = 0; i < 100; i++) {
		char token[40];

		random_alnum(token, 32);
		used += (size_t)snprintf(text + used, 64, "k%d = acme_%s\n", i, token);
	}
	assert_int_equal(scan_text(f, text), 100);
	free(text);
}

static void test_match_engine__disabled_rule_silent(void **state)
{
	struct fixture *f = *state;
	struct nhi_matcher_options options = { 0 };
	bool disabled[2] = { true, false };
	nhi_matcher *matcher = NULL;
	nhi_match_scratch *scratch = NULL;
	char token[40], text[128];

	options.disabled = disabled;
	assert_int_equal(match_matcher_new(&matcher, &f->rules, &options), 0);
	assert_int_equal(match_scratch_new(&scratch, matcher), 0);
	random_alnum(token, 32);
	snprintf(text, sizeof(text), "k = acme_%s\n", token);
	match_list_clear(&f->list);
	assert_int_equal(match_scan(matcher, scratch, text, strlen(text), &f->list), 0);
	assert_int_equal(f->list.count, 0);
	match_scratch_free(scratch);
	match_matcher_free(matcher);
}

static void test_match_engine__cache_warm_then_corrupt(void **state)
{
	struct fixture *f = *state;
	struct nhi_matcher_options options = { 0 };
	nhi_matcher *warm = NULL, *rebuilt = NULL;
	DIR *dir;
	struct dirent *entry;
	char *cache_file = NULL;

	options.cache_dir = f->cache_dir;
	assert_int_equal(match_matcher_new(&warm, &f->rules, &options), 0);
	assert_true(match_matcher_stats(warm)->cache_hit);
	match_matcher_free(warm);

	dir = opendir(f->cache_dir);
	while ((entry = readdir(dir)) != NULL)
		if (entry->d_name[0] != '.')
			cache_file = nhi_path_join(f->cache_dir, entry->d_name);
	closedir(dir);
	assert_non_null(cache_file);
	assert_int_equal(nhi_fs_write_atomic(cache_file, "NHIHSDB1garbage", 15), 0);

	assert_int_equal(match_matcher_new(&rebuilt, &f->rules, &options), 0);
	assert_false(match_matcher_stats(rebuilt)->cache_hit);
	match_matcher_free(rebuilt);
	free(cache_file);
}

static void test_match_engine__unbounded_pattern_rejected(void **state)
{
	struct nhi_rule rule = { 0 };

	rule.id = "acme.unbounded";
	rule.pattern = "acme_[a-z]+";
	rule.source_path = "test.yml";
	rule.source_line = 3;
	assert_int_equal(match_check_pattern(&rule), NHI_EINVALID);
	assert_non_null(strstr(nhi_error_last(), "test.yml:3"));
	rule.pattern = "acme_(?=x)[a-z]{3}";
	assert_int_equal(match_check_pattern(&rule), NHI_EINVALID);
}

/*
 * Hyperscan searches the acme rule without its \b tests; PCRE2 must still apply them, so a
 * token glued to a word on either side is not reported.
 */
static void test_match_engine__boundaries_still_apply(void **state)
{
	struct fixture *f = *state;
	char token[40], text[160];

	random_alnum(token, 33);
	snprintf(text, sizeof(text), "a = acme_%s\n", token);
	assert_int_equal(scan_text(f, text), 0);

	token[32] = '\0';
	snprintf(text, sizeof(text), "a = xacme_%s\n", token);
	assert_int_equal(scan_text(f, text), 0);

	snprintf(text, sizeof(text), "a = acme_%s\n", token);
	assert_int_equal(scan_text(f, text), 1);
}

/*
 * A run of thousands of token characters ends a Hyperscan match at every byte, and none is a
 * secret. The real token after the run must still be found.
 */
static void test_match_engine__long_run_then_secret(void **state)
{
	struct fixture *f = *state;
	size_t run = 20000;
	char *text = malloc(run + 128);
	char token[40];

	assert_non_null(text);
	memcpy(text, "x = acme_", 9);
	random_alnum(text + 9, run);
	random_alnum(token, 32);
	snprintf(text + 9 + run, 128, " y = acme_%s\n", token);
	assert_int_equal(scan_text(f, text), 1);
	assert_int_equal(f->list.items[0].secret_start, 9 + run + 5);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_match_engine__finds_secret_group, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_engine__named_group_is_secret, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_engine__specific_rule_wins_overlap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_engine__placeholder_and_allow_dropped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_engine__many_secrets_one_buffer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_engine__disabled_rule_silent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_engine__cache_warm_then_corrupt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_engine__unbounded_pattern_rejected, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_engine__boundaries_still_apply, setup, teardown),
		cmocka_unit_test_setup_teardown(test_match_engine__long_run_then_secret, setup, teardown),
	};

	srand(42);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
