/*
 * SHA-256 against the FIPS 180-4 example vectors, CRC-32 against the standard check value, and
 * the growable buffer and vector.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/buf.h"
#include "util/hash.h"
#include "util/vec.h"

static void hex_of(char out[65], const char *input, size_t len)
{
	unsigned char digest[32];

	nhi_sha256(digest, input, len);
	nhi_hex_encode(out, digest, 32);
}

static void test_util_sha256__empty(void **state)
{
	char hex[65];

	hex_of(hex, "", 0);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static void test_util_sha256__abc(void **state)
{
	char hex[65];

	hex_of(hex, "abc", 3);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_util_sha256__two_blocks(void **state)
{
	const char *input = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char hex[65];

	hex_of(hex, input, strlen(input));
	assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_util_sha256__incremental_equals_one_shot(void **state)
{
	char data[1000];
	unsigned char a[32], b[32];
	struct nhi_sha256 ctx;

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7);
	nhi_sha256(a, data, sizeof(data));
	nhi_sha256_init(&ctx);
	for (size_t i = 0; i < sizeof(data); i += 37)
		nhi_sha256_update(&ctx, data + i, i + 37 > sizeof(data) ? sizeof(data) - i : 37);
	nhi_sha256_final(&ctx, b);
	assert_memory_equal(a, b, 32);
}

static void test_util_crc32__check_value(void **state)
{
	assert_int_equal(nhi_crc32("123456789", 9), 0xcbf43926u);
	assert_int_equal(nhi_crc32("", 0), 0);
}

static void test_util_buf__printf_and_detach(void **state)
{
	struct nhi_buf buf = NHI_BUF_INIT;
	char *text;

	for (int i = 0; i < 1000; i++)
		assert_int_equal(nhi_buf_printf(&buf, "%d,", i), 0);
	assert_int_equal(strncmp(buf.ptr, "0,1,2,", 6), 0);
	assert_int_equal(buf.ptr[buf.size], '\0');
	text = nhi_buf_detach(&buf);
	assert_null(buf.ptr);
	assert_int_equal(strlen(text), 3890);
	free(text);
}

static int compare_ints(const void *a, const void *b)
{
	return **(const int *const *)a - **(const int *const *)b;
}

static void test_util_vec__push_and_sort(void **state)
{
	static int values[] = { 5, 3, 9, 1 };
	struct nhi_vec vec = NHI_VEC_INIT;

	for (int i = 0; i < 4; i++)
		assert_int_equal(nhi_vec_push(&vec, &values[i]), 0);
	nhi_vec_sort(&vec, compare_ints);
	assert_int_equal(*(int *)vec.items[0], 1);
	assert_int_equal(*(int *)vec.items[3], 9);
	nhi_vec_dispose(&vec);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util_sha256__empty),
		cmocka_unit_test(test_util_sha256__abc),
		cmocka_unit_test(test_util_sha256__two_blocks),
		cmocka_unit_test(test_util_sha256__incremental_equals_one_shot),
		cmocka_unit_test(test_util_crc32__check_value),
		cmocka_unit_test(test_util_buf__printf_and_detach),
		cmocka_unit_test(test_util_vec__push_and_sort),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
