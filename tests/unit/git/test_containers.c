/*
 * Unit tests of the containers of the git modes: the object id map, the path pool, the capped
 * warning lists and the added-line ranges.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "git/diff.h"
#include "git/oidmap.h"
#include "git/pathpool.h"
#include "git/warnings.h"
#include "util/error.h"

/* A distinct id for each n, with the hash bytes (the first eight) made to collide often. */
static void make_id(git_oid *id, uint32_t n)
{
	memset(id, 0, sizeof(*id));
	id->id[0] = (unsigned char)(n & 0x3);
	memcpy(id->id + 16, &n, sizeof(n));
}

static void test_git_oidmap__insert_get_and_grow(void **state)
{
	struct nhi_git_oidmap map = { 0 };
	uint32_t value = 0;
	git_oid id;

	for (uint32_t n = 0; n < 5000; n++) {
		make_id(&id, n);
		assert_int_equal(nhi_git_oidmap_insert(&map, &id, n * 2, NULL), 1);
	}
	assert_int_equal(map.count, 5000);
	for (uint32_t n = 0; n < 5000; n++) {
		make_id(&id, n);
		assert_true(nhi_git_oidmap_get(&map, &id, &value));
		assert_int_equal(value, n * 2);
	}
	make_id(&id, 5000);
	assert_false(nhi_git_oidmap_get(&map, &id, NULL));
	nhi_git_oidmap_dispose(&map);
}

static void test_git_oidmap__keeps_first_value(void **state)
{
	struct nhi_git_oidmap map = { 0 };
	uint32_t existing = 0;
	git_oid id;

	make_id(&id, 7);
	assert_false(nhi_git_oidmap_get(&map, &id, NULL));
	assert_int_equal(nhi_git_oidmap_insert(&map, &id, 1, NULL), 1);
	assert_int_equal(nhi_git_oidmap_insert(&map, &id, 2, &existing), 0);
	assert_int_equal(existing, 1);
	assert_int_equal(nhi_git_oidmap_insert(&map, &id, NHI_GIT_OIDMAP_EMPTY, NULL), NHI_EINVALID);
	nhi_git_oidmap_dispose(&map);
}

static void test_git_pathpool__interns_once(void **state)
{
	struct nhi_git_pathpool pool = { 0 };
	const char *first = NULL, *again = NULL, *other = NULL;
	char name[32];

	assert_int_equal(nhi_git_pathpool_intern(&first, &pool, "src/main.c-and-more", 10), 0);
	assert_string_equal(first, "src/main.c");
	assert_int_equal(nhi_git_pathpool_intern(&again, &pool, "src/main.c", 10), 0);
	assert_ptr_equal(first, again);
	assert_int_equal(nhi_git_pathpool_intern(&other, &pool, "src/main", 8), 0);
	assert_ptr_not_equal(first, other);
	/* Many paths force the table to grow and new chunks to start; earlier pointers stay valid. */
	for (int i = 0; i < 20000; i++) {
		const char *path;

		snprintf(name, sizeof(name), "dir/file-%d.txt", i);
		assert_int_equal(nhi_git_pathpool_intern(&path, &pool, name, strlen(name)), 0);
	}
	assert_int_equal(pool.count, 20002);
	assert_string_equal(first, "src/main.c");
	nhi_git_pathpool_dispose(&pool);
}

static void test_git_pathpool__long_path(void **state)
{
	struct nhi_git_pathpool pool = { 0 };
	size_t len = 100000;
	char *path = malloc(len);
	const char *interned = NULL;

	assert_non_null(path);
	memset(path, 'p', len);
	assert_int_equal(nhi_git_pathpool_intern(&interned, &pool, path, len), 0);
	assert_int_equal(strlen(interned), len);
	free(path);
	nhi_git_pathpool_dispose(&pool);
}

static void test_git_warnings__caps_and_summarises(void **state)
{
	struct nhi_git_warnings warnings = { 0 };
	struct nhi_vec out = NHI_VEC_INIT;

	for (int i = 0; i < NHI_GIT_WARNINGS_LISTED + 5; i++)
		assert_int_equal(nhi_git_warnings_add(&warnings, NHI_GIT_WARN_MISSING, "blob %02d is missing", i), 0);
	assert_int_equal(nhi_git_warnings_add(&warnings, NHI_GIT_WARN_LARGE, "one large blob"), 0);
	assert_int_equal(warnings.counts[NHI_GIT_WARN_MISSING], NHI_GIT_WARNINGS_LISTED + 5);
	assert_int_equal(nhi_git_warnings_finish(&out, &warnings), 0);
	assert_int_equal(out.count, NHI_GIT_WARNINGS_LISTED + 1 + 1);
	assert_string_equal(out.items[0], "blob 00 is missing");
	assert_string_equal(out.items[out.count - 1], "5 more missing objects were skipped without a message (25 in all)");
	nhi_vec_dispose_all(&out, NULL);
	nhi_git_warnings_dispose(&warnings);
}

static void test_git_warnings__merge_respects_cap(void **state)
{
	struct nhi_git_warnings a = { 0 }, b = { 0 };

	for (int i = 0; i < 15; i++) {
		assert_int_equal(nhi_git_warnings_add(&a, NHI_GIT_WARN_CORRUPT, "a %d", i), 0);
		assert_int_equal(nhi_git_warnings_add(&b, NHI_GIT_WARN_CORRUPT, "b %d", i), 0);
	}
	assert_int_equal(nhi_git_warnings_merge(&a, &b), 0);
	assert_int_equal(a.messages.count, NHI_GIT_WARNINGS_LISTED);
	assert_int_equal(a.counts[NHI_GIT_WARN_CORRUPT], 30);
	assert_int_equal(b.messages.count, 0);
	nhi_git_warnings_dispose(&a);
	nhi_git_warnings_dispose(&b);
}

static void push_range(struct nhi_git_lines *lines, size_t first, size_t last)
{
	assert_int_equal(nhi_git_lines_push(lines, first, last), 0);
}

static void test_git_lines__intersect(void **state)
{
	struct nhi_git_lines a = { 0 }, b = { 0 };

	push_range(&a, 1, 5);
	push_range(&a, 10, 12);
	push_range(&a, 20, 20);
	push_range(&b, 3, 11);
	push_range(&b, 20, 30);
	assert_int_equal(nhi_git_lines_intersect(&a, &b), 0);
	assert_int_equal(a.count, 3);
	assert_int_equal(a.ranges[0].first, 3);
	assert_int_equal(a.ranges[0].last, 5);
	assert_int_equal(a.ranges[1].first, 10);
	assert_int_equal(a.ranges[1].last, 11);
	assert_int_equal(a.ranges[2].first, 20);
	assert_int_equal(a.ranges[2].last, 20);
	nhi_git_lines_dispose(&a);
	nhi_git_lines_dispose(&b);
}

static void test_git_lines__overlap(void **state)
{
	struct nhi_git_lines lines = { 0 };

	assert_false(nhi_git_lines_overlap(&lines, 1, 1));
	push_range(&lines, 4, 6);
	push_range(&lines, 10, 10);
	assert_false(nhi_git_lines_overlap(&lines, 1, 3));
	assert_true(nhi_git_lines_overlap(&lines, 3, 4));
	assert_true(nhi_git_lines_overlap(&lines, 6, 9));
	assert_false(nhi_git_lines_overlap(&lines, 7, 9));
	assert_true(nhi_git_lines_overlap(&lines, 10, 10));
	assert_false(nhi_git_lines_overlap(&lines, 11, 100));
	nhi_git_lines_dispose(&lines);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_git_oidmap__insert_get_and_grow),
		cmocka_unit_test(test_git_oidmap__keeps_first_value),
		cmocka_unit_test(test_git_pathpool__interns_once),
		cmocka_unit_test(test_git_pathpool__long_path),
		cmocka_unit_test(test_git_warnings__caps_and_summarises),
		cmocka_unit_test(test_git_warnings__merge_respects_cap),
		cmocka_unit_test(test_git_lines__intersect),
		cmocka_unit_test(test_git_lines__overlap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
