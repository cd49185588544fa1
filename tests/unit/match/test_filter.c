/*
 * Placeholder, entropy, keyword, allow-comment and checksum checks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/filter.h"
#include "util/hash.h"

static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

static void fill_random(char *out, size_t len)
{
	for (size_t i = 0; i < len; i++)
		out[i] = alphabet[rand() % 62];
	out[len] = '\0';
}

static bool is_placeholder(const char *text)
{
	return match_is_placeholder(text, strlen(text));
}

static void test_match_filter__placeholders_rejected(void **state)
{
	/* The AWS documentation example key id, assembled so that this file holds no literal. */
	char aws_example[32];

	snprintf(aws_example, sizeof(aws_example), "AKIA%s%s", "IOSFODNN7", "EXAMPLE");
	assert_true(is_placeholder(aws_example));
	assert_true(is_placeholder("xxxxxxxxxxxxxxxxxxxx"));
	assert_true(is_placeholder("your-api-key-here"));
	assert_true(is_placeholder("${OPENAI_API_KEY}"));
	assert_true(is_placeholder("$(cat /run/secrets/token)"));
	assert_true(is_placeholder("<token>"));
	assert_true(is_placeholder("{{ .Values.password }}"));
	assert_true(is_placeholder("changeme"));
	assert_true(is_placeholder("$DB_PASSWORD"));
	assert_true(is_placeholder("%API_KEY%"));
	assert_true(is_placeholder("aaaaaaaaaaaaaaaa"));
	/* Published by the vendors: Azurite's key and Stripe's documented test key, split up here. */
	assert_true(is_placeholder("Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq" "/K1SZFPTOtr/KBHBeksoGMGw=="));
	assert_true(is_placeholder("sk_" "test_4eC39HqLyjWDarjtT1zdp7dc"));
	assert_true(is_placeholder(""));
}

static void test_match_filter__random_tokens_kept(void **state)
{
	char token[64];

	srand(7);
	for (int i = 0; i < 2000; i++) {
		fill_random(token, 40);
		/* A random token could contain a placeholder word by chance only with tiny odds. */
		if (is_placeholder(token))
			fail_msg("random token %d taken for a placeholder", i);
	}
}

static void test_match_filter__entropy(void **state)
{
	assert_true(match_entropy("aaaa", 4) < 0.01);
	assert_true(match_entropy("abcd", 4) > 1.99 && match_entropy("abcd", 4) < 2.01);
	assert_true(match_entropy("", 0) == 0);
}

static void test_match_filter__keyword_window(void **state)
{
	char *keywords[] = { "datadog" };
	struct nhi_rule rule = { 0 };
	const char *data = "DATADOG_API_KEY = 0123";

	rule.keywords = keywords;
	rule.keyword_count = 1;
	assert_true(match_has_keyword(&rule, data, 18, 22));
	assert_false(match_has_keyword(&rule, "OTHER = 0123", 8, 12));
	rule.keyword_count = 0;
	assert_true(match_has_keyword(&rule, "OTHER = 0123", 8, 12));
}

static void test_match_filter__allow_comment_same_line_only(void **state)
{
	const char *data = "a = 1\nkey = v # nhiscan:allow\nb = 2\n";

	assert_true(match_line_is_allowed(data, strlen(data), 12));
	assert_false(match_line_is_allowed(data, strlen(data), 2));
	assert_false(match_line_is_allowed(data, strlen(data), 31));
}

/* Build a token in the GitHub format with a valid CRC32 base62 checksum. */
static void make_checksummed(char *out, const char *prefix)
{
	char body[31];
	uint32_t crc;
	char check[7];

	fill_random(body, 30);
	crc = nhi_crc32(body, 30);
	for (int i = 5; i >= 0; i--) {
		check[i] = alphabet[crc % 62];
		crc /= 62;
	}
	check[6] = '\0';
	snprintf(out, 64, "%s%s%s", prefix, body, check);
}

static void test_match_filter__crc32_base62(void **state)
{
	char token[64];

	make_checksummed(token, "ghp_");
	assert_int_equal(match_validate(NHI_VALIDATOR_CRC32_BASE62, token, strlen(token)), 1);
	token[10] = token[10] == 'a' ? 'b' : 'a';
	assert_int_equal(match_validate(NHI_VALIDATOR_CRC32_BASE62, token, strlen(token)), 0);
	assert_int_equal(match_validate(NHI_VALIDATOR_CRC32_BASE62, "nounderscore", 12), 0);
}

static void test_match_filter__jwt_header(void **state)
{
	/* base64url of {"alg":"HS256","typ":"JWT"} */
	const char *good = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.c2ln";
	const char *bad = "eyJmb28iOiJiYXIifQ.e30.c2ln"; /* {"foo":"bar"} */

	assert_int_equal(match_validate(NHI_VALIDATOR_JWT, good, strlen(good)), 1);
	assert_int_equal(match_validate(NHI_VALIDATOR_JWT, bad, strlen(bad)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_filter__placeholders_rejected),
		cmocka_unit_test(test_match_filter__random_tokens_kept),
		cmocka_unit_test(test_match_filter__entropy),
		cmocka_unit_test(test_match_filter__keyword_window),
		cmocka_unit_test(test_match_filter__allow_comment_same_line_only),
		cmocka_unit_test(test_match_filter__crc32_base62),
		cmocka_unit_test(test_match_filter__jwt_header),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
