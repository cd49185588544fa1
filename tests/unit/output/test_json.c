/*
 * JSON string escaping, redaction and fingerprints: the pieces that keep output valid and free
 * of raw secrets.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "model/secret.h"
#include "output/output.h"

static char *escape(const char *text)
{
	struct nhi_buf buf = NHI_BUF_INIT;

	assert_int_equal(output_json_string(&buf, text), 0);
	return nhi_buf_detach(&buf);
}

static void expect_escaped(const char *text, const char *expected)
{
	char *got = escape(text);

	assert_string_equal(got, expected);
	free(got);
}

static void test_output_json__escapes(void **state)
{
	expect_escaped("plain", "\"plain\"");
	expect_escaped("a\"b\\c", "\"a\\\"b\\\\c\"");
	expect_escaped("tab\tnl\n", "\"tab\\tnl\\n\"");
	expect_escaped("\x01", "\"\\u0001\"");
	expect_escaped("caf\xc3\xa9", "\"caf\xc3\xa9\"");
}

static void test_output_json__invalid_utf8_replaced(void **state)
{
	expect_escaped("bad\xff", "\"bad\\ufffd\"");
	expect_escaped("\xc3", "\"\\ufffd\"");
	expect_escaped("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"");
}

static void test_model_secret__redact_hides_value(void **state)
{
	const char *value = "tok_9f8e7d6c5b4a39281706";
	char *redacted = model_secret_redact(value, strlen(value));

	assert_string_equal(redacted, "tok_****(24)");
	free(redacted);
	redacted = model_secret_redact("short", 5);
	assert_string_equal(redacted, "****(5)");
	free(redacted);
}

static void test_model_secret__fingerprint_stable(void **state)
{
	char a[NHI_FINGERPRINT_HEX + 1], b[NHI_FINGERPRINT_HEX + 1], c[NHI_FINGERPRINT_HEX + 1];

	model_secret_fingerprint(a, "value-one", 9);
	model_secret_fingerprint(b, "value-one", 9);
	model_secret_fingerprint(c, "value-two", 9);
	assert_string_equal(a, b);
	assert_string_not_equal(a, c);
	assert_int_equal(strlen(a), NHI_FINGERPRINT_HEX);
	assert_null(strstr(a, "value"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output_json__escapes),
		cmocka_unit_test(test_output_json__invalid_utf8_replaced),
		cmocka_unit_test(test_model_secret__redact_hides_value),
		cmocka_unit_test(test_model_secret__fingerprint_stable),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
