/*
 * Set-up and cost of the tree-sitter extractor: the grammar ABI check and the compilation of
 * every language's queries, the prefilter that keeps plain files from being parsed, files of
 * unsupported languages, files with syntax errors, and eight threads extracting at once while
 * the queries are compiled lazily.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>

#include "code_test.h"

static void test_code_setup__abi_and_queries(void **state)
{
	if (extract_code_init() < 0)
		fail_msg("%s", nhi_error_last());
	if (extract_code_compile_queries() < 0)
		fail_msg("%s", nhi_error_last());
	/* The result of the first run is kept. */
	assert_int_equal(extract_code_init(), 0);
}

static void test_code_setup__prefilter_skips_plain_file(void **state)
{
	struct extract_code_stats before, after;
	struct code_result result;

	extract_code_get_stats(&before);
	extract_code(&result, "util/math.py", "def add(a, b):\n    return a + b\n");
	extract_code_get_stats(&after);
	assert_int_equal(after.files, before.files + 1);
	assert_int_equal(after.candidates, before.candidates);
	assert_int_equal(result.facts.count, 0);
	code_result_dispose(&result);
}

static void test_code_setup__prefilter_passes_keywords(void **state)
{
	static const char *const texts[] = {
		"from openai import OpenAI\n",
		"x = os.getenv('HOME')\n",
		"SESSION_KEY = \"k3y-v4lue-1234\"\n",
		"headers = {\"Authorization\": 'Bearer abcdefgh1234'}\n",
		"client.setPassword(\"hunter2hunter2\")\n",
		"curl -H \"X-Token: $SERVICE_TOKEN\" https://example.com\n",
		"DEPLOY_TOKEN=abcd" "1234efgh\n",
	};
	struct extract_code_stats before, after;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct code_result result;

		extract_code_get_stats(&before);
		extract_code(&result, "a.py", texts[i]);
		extract_code_get_stats(&after);
		if (after.candidates != before.candidates + 1)
			fail_msg("the prefilter skipped %s", texts[i]);
		code_result_dispose(&result);
	}
}

static void test_code_setup__prefilter_skips_names_alone(void **state)
{
	static const char *const texts[] = {
		"token = tokenizer.next()\n",
		"def authenticate(user):\n    return user.password_hash\n",
		"API_KEY_HEADER = 'X'\n",
	};
	struct extract_code_stats before, after;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct code_result result;

		extract_code_get_stats(&before);
		extract_code(&result, "a.py", texts[i]);
		extract_code_get_stats(&after);
		if (after.candidates != before.candidates)
			fail_msg("the prefilter passed %s", texts[i]);
		code_result_dispose(&result);
	}
}

static void test_code_setup__secret_match_forces_parse(void **state)
{
	struct extract_code_stats before, after;
	struct code_result result;

	memset(&result, 0, sizeof(result));
	extract_code_get_stats(&before);
	run_code(&result, "util/math.py", "def add(a, b):\n    return a + b\n", true);
	extract_code_get_stats(&after);
	assert_int_equal(after.candidates, before.candidates + 1);
	code_result_dispose(&result);
}

static void test_code_setup__unsupported_language_ignored(void **state)
{
	static const char *const paths[] = { "README.md", "main.c", "lib.rs", "config.yaml", "data.json" };
	struct extract_code_stats before, after;

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct code_result result;

		extract_code_get_stats(&before);
		extract_code(&result, paths[i], "api_key = os.getenv(\"OPENAI_API_KEY\")\n");
		extract_code_get_stats(&after);
		assert_int_equal(after.files, before.files);
		assert_int_equal(result.facts.count, 0);
		code_result_dispose(&result);
	}
}

static void test_code_setup__syntax_error_tolerated(void **state)
{
	const char *text =
		"import os\n"
		"token = os.environ[\"GITHUB_TOKEN\"]\n"
		"def broken(:\n"
		"    client = OpenAI(\n";
	struct code_result result;

	extract_code(&result, "broken.py", text);
	need_fact_at(&result, "credential.reference", "env:GITHUB_TOKEN", 2, 9);
	assert_int_equal(result.warnings.count, 0);
	code_result_dispose(&result);
}

#define THREAD_COUNT 8

static const char *const thread_paths[THREAD_COUNT] = {
	"a.py", "b.ts", "c.tsx", "d.js", "e.go", "F.java", "g.rb", "h.sh",
};

static const char *const thread_texts[THREAD_COUNT] = {
	"import os\nkey = os.environ[\"A_TOKEN\"]\n",
	"const key = process.env.A_TOKEN;\n",
	"const key = process.env.A_TOKEN;\n",
	"const key = process.env.A_TOKEN;\n",
	"package main\nvar key = os.Getenv(\"A_TOKEN\")\n",
	"class F { String key = System.getenv(\"A_TOKEN\"); }\n",
	"key = ENV[\"A_TOKEN\"]\n",
	"key=$A_TOKEN\n",
};

static void *extract_in_thread(void *arg)
{
	size_t index = (size_t)(uintptr_t)arg;
	struct code_result *result = calloc(1, sizeof(*result));
	struct nhi_extract_output out = { &result->findings, &result->facts, &result->warnings };

	for (int round = 0; round < 20 && result; round++) {
		if (extract_code_file(&out, thread_paths[index], thread_texts[index], strlen(thread_texts[index]), false) < 0)
			break;
	}
	return result;
}

static void test_code_setup__threads_share_queries(void **state)
{
	pthread_t threads[THREAD_COUNT];

	for (size_t i = 0; i < THREAD_COUNT; i++)
		assert_int_equal(pthread_create(&threads[i], NULL, extract_in_thread, (void *)(uintptr_t)i), 0);
	for (size_t i = 0; i < THREAD_COUNT; i++) {
		struct code_result *result;

		assert_int_equal(pthread_join(threads[i], (void **)&result), 0);
		assert_non_null(result);
		if (result->facts.count != 20)
			fail_msg("%s: %zu facts in 20 rounds, expected 20", thread_paths[i], result->facts.count);
		assert_string_equal(((const struct nhi_fact *)result->facts.items[0])->key, "env:A_TOKEN");
		code_result_dispose(result);
		free(result);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First, so that the threads below compile the queries lazily, not this test. */
		cmocka_unit_test(test_code_setup__threads_share_queries),
		cmocka_unit_test(test_code_setup__abi_and_queries),
		cmocka_unit_test(test_code_setup__prefilter_skips_plain_file),
		cmocka_unit_test(test_code_setup__prefilter_passes_keywords),
		cmocka_unit_test(test_code_setup__prefilter_skips_names_alone),
		cmocka_unit_test(test_code_setup__secret_match_forces_parse),
		cmocka_unit_test(test_code_setup__unsupported_language_ignored),
		cmocka_unit_test(test_code_setup__syntax_error_tolerated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
