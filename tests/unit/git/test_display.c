/*
 * Unit tests of what the git modes print from a repository: escaped paths and author names
 * (src/git/path.c) and ISO 8601 dates (src/git/provenance.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "git/path.h"
#include "git/provenance.h"
#include "util/buf.h"

static void expect_display(const char *path, const char *expected, bool expected_escaped)
{
	struct nhi_buf out = NHI_BUF_INIT;
	bool escaped = !expected_escaped;

	assert_int_equal(nhi_git_path_display(&out, path, &escaped), 0);
	assert_string_equal(out.ptr, expected);
	assert_int_equal(escaped, expected_escaped);
	nhi_buf_dispose(&out);
}

static void test_git_path__valid_utf8_unchanged(void **state)
{
	expect_display("src/main.c", "src/main.c", false);
	expect_display("docs/caf\xc3\xa9.md", "docs/caf\xc3\xa9.md", false);
	expect_display("\xe2\x82\xac/\xf0\x9f\x94\x91.txt", "\xe2\x82\xac/\xf0\x9f\x94\x91.txt", false);
	expect_display("", "", false);
}

static void test_git_path__invalid_bytes_escaped(void **state)
{
	expect_display("caf\xe9.ini", "caf\\xe9.ini", true);
	expect_display("cut\xc3", "cut\\xc3", true);
	/* Overlong slash, UTF-16 surrogate, and a code point above U+10FFFF. */
	expect_display("\xc0\xaf", "\\xc0\\xaf", true);
	expect_display("\xed\xa0\x80", "\\xed\\xa0\\x80", true);
	expect_display("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80", true);
}

static void test_git_path__control_characters_escaped(void **state)
{
	expect_display("tab\tname", "tab\\x09name", true);
	expect_display("line\nbreak", "line\\x0abreak", true);
	expect_display("\x1b[31mred", "\\x1b[31mred", true);
	expect_display("del\x7f", "del\\x7f", true);
}

static void expect_time(git_time_t seconds, int offset, const char *expected)
{
	git_time when = { seconds, offset, offset < 0 ? '-' : '+' };
	char out[40];

	assert_int_equal(nhi_git_format_time(out, sizeof(out), &when), 0);
	assert_string_equal(out, expected);
}

static void test_git_time__iso_8601_with_offset(void **state)
{
	expect_time(0, 0, "1970-01-01T00:00:00+00:00");
	expect_time(1614830767, 60, "2021-03-04T05:06:07+01:00");
	expect_time(1614830767, 330, "2021-03-04T09:36:07+05:30");
	expect_time(1614830767, -480, "2021-03-03T20:06:07-08:00");
}

static void test_git_time__small_buffer_fails(void **state)
{
	git_time when = { 0, 0, '+' };
	char out[10];

	assert_true(nhi_git_format_time(out, sizeof(out), &when) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_git_path__valid_utf8_unchanged),
		cmocka_unit_test(test_git_path__invalid_bytes_escaped),
		cmocka_unit_test(test_git_path__control_characters_escaped),
		cmocka_unit_test(test_git_time__iso_8601_with_offset),
		cmocka_unit_test(test_git_time__small_buffer_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
