/*
 * Review of signature findings by the tree-sitter extractor. A finding in a comment or docstring
 * is lowered with the reason, unless its checksum is valid. A match on an environment lookup is
 * removed, and a match inside a string that interpolates an environment variable is lowered. A
 * match on a literal assigned to a credential-like name gets that name instead of a second
 * finding. The findings stand in for the signature matcher's, and the fake tokens are random.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "code_test.h"

/* Append a finding like the signature matcher's for path, spanning [column, end_column) of line. */
static void add_signature_finding(struct code_result *result, const char *path, size_t line, size_t column,
				  size_t end_column, int validated)
{
	struct nhi_finding *finding = calloc(1, sizeof(*finding));

	assert_non_null(finding);
	finding->rule_id = strdup("test.token");
	finding->rule_name = strdup("Test token");
	finding->provider = strdup("Test");
	finding->kind = strdup("access-token");
	finding->remediation = strdup("Revoke it.");
	finding->path = strdup(path);
	finding->redacted = strdup("****");
	finding->severity = NHI_SEVERITY_HIGH;
	finding->line = line;
	finding->column = column;
	finding->end_line = line;
	finding->end_column = end_column;
	finding->validated = validated;
	assert_int_equal(nhi_vec_push(&result->findings, finding), 0);
}

static const struct nhi_finding *finding_at(const struct code_result *result, size_t index)
{
	assert_true(index < result->findings.count);
	return result->findings.items[index];
}

static void test_code_review__comment_and_docstring(void **state)
{
	char token[64], text[1024];
	struct code_result result;

	make_token(token, sizeof(token), 36);
	snprintf(text, sizeof(text),
		 "# old token: %s\n"
		 "def connect():\n"
		 "    \"\"\"Example: connect(\"%s\")\"\"\"\n"
		 "    return None\n",
		 token, token);
	memset(&result, 0, sizeof(result));
	add_signature_finding(&result, "other.py", 1, 14, 50, -1);
	add_signature_finding(&result, "lib/client.py", 1, 14, 50, -1);
	add_signature_finding(&result, "lib/client.py", 3, 26, 62, -1);
	run_code(&result, "lib/client.py", text, true);

	assert_int_equal(result.findings.count, 3);
	/* Findings of other files are not touched. */
	assert_int_equal(finding_at(&result, 0)->severity, NHI_SEVERITY_HIGH);
	assert_null(finding_at(&result, 0)->message);
	assert_int_equal(finding_at(&result, 1)->severity, NHI_SEVERITY_LOW);
	assert_non_null(strstr(finding_at(&result, 1)->message, "found in a comment"));
	assert_int_equal(finding_at(&result, 2)->severity, NHI_SEVERITY_LOW);
	assert_non_null(strstr(finding_at(&result, 2)->message, "found in a docstring"));
	code_result_dispose(&result);
}

static void test_code_review__valid_checksum_kept(void **state)
{
	char token[64], text[256];
	struct code_result result;

	make_token(token, sizeof(token), 36);
	snprintf(text, sizeof(text), "// rotated on Monday: %s\npackage main\n", token);
	memset(&result, 0, sizeof(result));
	add_signature_finding(&result, "main.go", 1, 23, 59, 1);
	run_code(&result, "main.go", text, true);
	assert_int_equal(finding_at(&result, 0)->severity, NHI_SEVERITY_HIGH);
	assert_non_null(strstr(finding_at(&result, 0)->message, "checksum is valid"));
	code_result_dispose(&result);
}

static void test_code_review__comments_in_every_language(void **state)
{
	/* The token goes between before and after, at column 4 of line 1. */
	static const struct {
		const char *path;
		const char *before;
		const char *after;
	} cases[] = {
		{ "a.js", "// ", "\nconst x = 1;\n" },
		{ "a.ts", "/* ", " */\nconst x: number = 1;\n" },
		{ "a.tsx", "// ", "\nconst x = <div/>;\n" },
		{ "a.go", "// ", "\npackage main\n" },
		{ "A.java", "/* ", " */\nclass A {}\n" },
		{ "a.rb", "#  ", "\nx = 1\n" },
		{ "a.sh", "#  ", "\nx=1\n" },
		{ "a.py", "#  ", "\nx = 1\n" },
	};
	char token[64], text[256];

	make_token(token, sizeof(token), 30);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct code_result result;

		snprintf(text, sizeof(text), "%s%s%s", cases[i].before, token, cases[i].after);
		memset(&result, 0, sizeof(result));
		add_signature_finding(&result, cases[i].path, 1, 4, 34, -1);
		run_code(&result, cases[i].path, text, true);
		if (finding_at(&result, 0)->severity != NHI_SEVERITY_LOW)
			fail_msg("the finding in a comment of %s was not lowered", cases[i].path);
		code_result_dispose(&result);
	}
}

static void test_code_review__environment_lookup_removed(void **state)
{
	const char *text = "import os\nkey = os.environ[\"PROD_TOKEN_A1B2C3D4\"]\n";
	struct code_result result;

	memset(&result, 0, sizeof(result));
	/* A rule that took the variable's name for a token: PROD_TOKEN_A1B2C3D4 at 2:19-2:38. */
	add_signature_finding(&result, "conf.py", 2, 19, 38, -1);
	run_code(&result, "conf.py", text, true);
	assert_int_equal(result.findings.count, 0);
	assert_non_null(find_fact(&result, "credential.reference", "env:PROD_TOKEN_A1B2C3D4"));
	code_result_dispose(&result);
}

static void test_code_review__interpolated_value_lowered(void **state)
{
	char token[64], text[256];
	struct code_result result;

	make_token(token, sizeof(token), 30);
	snprintf(text, sizeof(text), "const header = `Bearer ${process.env.TOKEN_PREFIX}%s`;\n", token);
	memset(&result, 0, sizeof(result));
	add_signature_finding(&result, "auth.js", 1, 51, 81, -1);
	run_code(&result, "auth.js", text, true);
	assert_int_equal(result.findings.count, 1);
	assert_int_equal(finding_at(&result, 0)->severity, NHI_SEVERITY_LOW);
	assert_non_null(strstr(finding_at(&result, 0)->message, "'TOKEN_PREFIX'"));
	code_result_dispose(&result);
}

static void test_code_review__assignment_named_once(void **state)
{
	char token[64], text[256];
	struct code_result result;

	make_token(token, sizeof(token), 40);
	snprintf(text, sizeof(text), "SERVICE_TOKEN = \"%s\"\n", token);
	memset(&result, 0, sizeof(result));
	add_signature_finding(&result, "svc.py", 1, 18, 58, -1);
	run_code(&result, "svc.py", text, true);
	/* The signature finding is kept and named; no second finding for the same literal. */
	assert_int_equal(result.findings.count, 1);
	assert_int_equal(finding_at(&result, 0)->severity, NHI_SEVERITY_HIGH);
	assert_string_equal(finding_at(&result, 0)->message, "assigned to 'SERVICE_TOKEN'");
	assert_int_equal(count_findings(&result, "code.credential-assignment"), 0);
	code_result_dispose(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_code_review__comment_and_docstring),
		cmocka_unit_test(test_code_review__valid_checksum_kept),
		cmocka_unit_test(test_code_review__comments_in_every_language),
		cmocka_unit_test(test_code_review__environment_lookup_removed),
		cmocka_unit_test(test_code_review__interpolated_value_lowered),
		cmocka_unit_test(test_code_review__assignment_named_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
