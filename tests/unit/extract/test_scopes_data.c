/*
 * The development copy of the scope data file: with NHISCAN_SIGNATURES_DIR set, the table comes
 * from that folder's oauth-scopes.yml instead of the copy compiled into the binary. The table is
 * loaded once per process, so this check runs in a program of its own.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <unistd.h>

#include "extract/scopes.h"
#include "extract_test.h"

static char folder[] = "/tmp/nhiscan-scopes.XXXXXX";

static int write_data_file(void **state)
{
	const char *data =
		"scopes:\n"
		"  - {scope: \"example:everything\", provider: example, risk: high, reason: \"test entry\"}\n";
	char path[256];
	FILE *file;

	if (!mkdtemp(folder))
		return -1;
	snprintf(path, sizeof(path), "%s/oauth-scopes.yml", folder);
	file = fopen(path, "w");
	if (!file)
		return -1;
	fputs(data, file);
	fclose(file);
	return setenv("NHISCAN_SIGNATURES_DIR", folder, 1);
}

static int remove_data_file(void **state)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/oauth-scopes.yml", folder);
	unlink(path);
	rmdir(folder);
	return 0;
}

static void test_extract_scopes_data__folder_copy_used(void **state)
{
	const char *text = "scope = \"example:everything repo\"\n";
	struct extracted result;
	const struct nhi_finding *finding;

	extract_text(&result, "client.py", text);
	assert_attr(need_fact(&result, "oauth.scope", "example:everything"), "provider", "example");
	/* The folder's table replaces the built-in one, which lists "repo". */
	assert_null(find_fact(&result, "oauth.scope", "repo"));
	finding = need_finding(&result, "oauth.high-risk-scope");
	assert_position(finding->line, finding->column, 1, 10);
	extracted_dispose(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_scopes_data__folder_copy_used),
	};

	return cmocka_run_group_tests(tests, write_data_file, remove_data_file);
}
