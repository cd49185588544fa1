/*
 * Unit tests of the loose-object inflater in src/git/loose.c: whole objects of each type, and
 * every way a file can be cut short or lie about its size. The objects are built here with zlib.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "git/loose.h"

/* Deflate header followed by content into out; returns the compressed length. */
static size_t deflate_object(unsigned char *out, size_t out_size, const char *header,
			     size_t header_len, const void *content, size_t content_len)
{
	unsigned char raw[4096];
	uLongf len = out_size;

	assert_true(header_len + content_len <= sizeof(raw));
	memcpy(raw, header, header_len);
	memcpy(raw + header_len, content, content_len);
	assert_int_equal(compress(out, &len, raw, header_len + content_len), Z_OK);
	return len;
}

/* A loose object "<type> <len>\0<content>" with the size its content really has. */
static size_t make_object(unsigned char *out, size_t out_size, const char *type,
			  const char *content)
{
	char header[64];
	int n = snprintf(header, sizeof(header), "%s %zu", type, strlen(content));

	return deflate_object(out, out_size, header, (size_t)n + 1, content, strlen(content));
}

static int inflate_object(const unsigned char *data, size_t len, git_object_t *type,
			  char **content, size_t *content_len, const char **reason)
{
	void *out = NULL;
	int error = nhi_git_loose_inflate(&out, content_len, type, data, len, &nhi_git_loose_plain_alloc, reason);

	*content = out;
	return error;
}

static void test_loose__reads_each_type(void **state)
{
	static const struct {
		const char *name;
		git_object_t type;
	} types[] = { { "blob", GIT_OBJECT_BLOB },
		      { "tree", GIT_OBJECT_TREE },
		      { "commit", GIT_OBJECT_COMMIT },
		      { "tag", GIT_OBJECT_TAG } };
	const char *content = "a line of content that is longer than the header buffer is\n";

	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		unsigned char data[512];
		size_t len = make_object(data, sizeof(data), types[i].name, content);
		const char *reason = NULL;
		git_object_t type;
		char *out;
		size_t out_len;

		assert_int_equal(inflate_object(data, len, &type, &out, &out_len, &reason), 0);
		assert_int_equal(type, types[i].type);
		assert_int_equal(out_len, strlen(content));
		assert_memory_equal(out, content, out_len);
		assert_int_equal(out[out_len], '\0');
		free(out);
	}
}

static void test_loose__reads_empty_and_short_blobs(void **state)
{
	const char *contents[] = { "", "x", "twelve bytes" };

	for (size_t i = 0; i < sizeof(contents) / sizeof(contents[0]); i++) {
		unsigned char data[128];
		size_t len = make_object(data, sizeof(data), "blob", contents[i]);
		const char *reason = NULL;
		git_object_t type;
		char *out;
		size_t out_len;

		assert_int_equal(inflate_object(data, len, &type, &out, &out_len, &reason), 0);
		assert_int_equal(out_len, strlen(contents[i]));
		assert_memory_equal(out, contents[i], out_len);
		free(out);
	}
}

/* Every prefix of a valid file is rejected, and without looping: the bug this code replaces. */
static void test_loose__rejects_every_truncation(void **state)
{
	char content[2000];
	unsigned char data[4096];
	size_t len;

	for (size_t i = 0; i < sizeof(content) - 1; i++)
		content[i] = (char)('a' + (i * 7919) % 26);
	content[sizeof(content) - 1] = '\0';
	len = make_object(data, sizeof(data), "blob", content);

	for (size_t cut = 0; cut < len; cut++) {
		const char *reason = NULL;
		git_object_t type;
		char *out;
		size_t out_len;

		assert_int_equal(inflate_object(data, cut, &type, &out, &out_len, &reason), -1);
		assert_null(out);
		assert_non_null(reason);
	}
}

static void test_loose__rejects_wrong_sizes(void **state)
{
	unsigned char data[256];
	const char *reason = NULL;
	git_object_t type;
	char *out;
	size_t out_len, len;

	len = deflate_object(data, sizeof(data), "blob 5", 7, "four", 4);
	assert_int_equal(inflate_object(data, len, &type, &out, &out_len, &reason), -1);
	assert_string_equal(reason, "content shorter than its header says");

	len = deflate_object(data, sizeof(data), "blob 3", 7, "four", 4);
	assert_int_equal(inflate_object(data, len, &type, &out, &out_len, &reason), -1);
	assert_string_equal(reason, "content longer than its header says");

	len = deflate_object(data, sizeof(data), "blob 99999999999", 17, "x", 1);
	assert_int_equal(inflate_object(data, len, &type, &out, &out_len, &reason), -1);
	assert_string_equal(reason, "header declares more content than the file can hold");
}

static void test_loose__rejects_bad_headers(void **state)
{
	static const struct {
		const char *header;
		size_t len;
		const char *reason;
	} cases[] = {
		{ "blob", 5, "no object header" },
		{ "blub 1", 7, "unknown object type" },
		{ "blob ", 6, "no object size" },
		{ "blob 1x", 8, "bad object size" },
		{ "blob 99999999999999999999999", 29, "bad object size" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned char data[256];
		size_t len = deflate_object(data, sizeof(data), cases[i].header, cases[i].len, "x", 1);
		const char *reason = NULL;
		git_object_t type;
		char *out;
		size_t out_len;

		assert_int_equal(inflate_object(data, len, &type, &out, &out_len, &reason), -1);
		assert_string_equal(reason, cases[i].reason);
	}
}

static void test_loose__rejects_data_that_is_not_zlib(void **state)
{
	const unsigned char data[] = "not zlib data\n";
	const char *reason = NULL;
	git_object_t type;
	char *out;
	size_t out_len;

	assert_int_equal(inflate_object(data, sizeof(data) - 1, &type, &out, &out_len, &reason), -1);
	assert_string_equal(reason, "truncated or damaged zlib data");
}

static void test_loose__parses_header_from_a_prefix(void **state)
{
	char content[3000];
	unsigned char data[4096];
	const char *reason = NULL;
	git_object_t type;
	size_t size, len;

	memset(content, 'q', sizeof(content) - 1);
	content[sizeof(content) - 1] = '\0';
	len = make_object(data, sizeof(data), "commit", content);

	assert_int_equal(nhi_git_loose_parse_header(&size, &type, data, len < 64 ? len : 64, &reason),
			 0);
	assert_int_equal(type, GIT_OBJECT_COMMIT);
	assert_int_equal(size, sizeof(content) - 1);
	assert_int_equal(nhi_git_loose_parse_header(&size, &type, data, 2, &reason), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loose__reads_each_type),
		cmocka_unit_test(test_loose__reads_empty_and_short_blobs),
		cmocka_unit_test(test_loose__rejects_every_truncation),
		cmocka_unit_test(test_loose__rejects_wrong_sizes),
		cmocka_unit_test(test_loose__rejects_bad_headers),
		cmocka_unit_test(test_loose__rejects_data_that_is_not_zlib),
		cmocka_unit_test(test_loose__parses_header_from_a_prefix),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
