/*
 * Unit tests of the raw tree and commit parsers in src/git/object.c, on hand-written objects:
 * well-formed input, and each kind of damage that a hostile repository could contain.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "git/object.h"
#include "util/error.h"

/* Append "<mode> <name>\0<20 bytes of fill>" to buf at *len. */
static void put_entry(unsigned char *buf, size_t *len, const char *mode, const char *name, unsigned char fill)
{
	size_t mode_len = strlen(mode), name_len = strlen(name);

	memcpy(buf + *len, mode, mode_len);
	buf[*len + mode_len] = ' ';
	memcpy(buf + *len + mode_len + 1, name, name_len + 1);
	*len += mode_len + 1 + name_len + 1;
	memset(buf + *len, fill, 20);
	*len += 20;
}

static void test_git_tree__reads_entries(void **state)
{
	unsigned char buf[256];
	size_t len = 0;
	struct nhi_git_tree_reader reader;
	struct nhi_git_tree_entry entry;

	put_entry(buf, &len, "100644", "a.txt", 0x11);
	put_entry(buf, &len, "40000", "src", 0x22);
	put_entry(buf, &len, "120000", "link", 0x33);
	put_entry(buf, &len, "160000", "mod", 0x44);
	nhi_git_tree_reader_init(&reader, buf, len);

	assert_int_equal(nhi_git_tree_next(&entry, &reader), 1);
	assert_int_equal(entry.mode, 0100644);
	assert_int_equal(entry.name_len, 5);
	assert_memory_equal(entry.name, "a.txt", 5);
	assert_int_equal(entry.id.id[0], 0x11);
	assert_int_equal(nhi_git_entry_kind_of(entry.mode), NHI_GIT_ENTRY_FILE);

	assert_int_equal(nhi_git_tree_next(&entry, &reader), 1);
	assert_int_equal(nhi_git_entry_kind_of(entry.mode), NHI_GIT_ENTRY_TREE);
	assert_int_equal(entry.id.id[19], 0x22);
	assert_int_equal(nhi_git_tree_next(&entry, &reader), 1);
	assert_int_equal(nhi_git_entry_kind_of(entry.mode), NHI_GIT_ENTRY_SYMLINK);
	assert_int_equal(nhi_git_tree_next(&entry, &reader), 1);
	assert_int_equal(nhi_git_entry_kind_of(entry.mode), NHI_GIT_ENTRY_GITLINK);
	assert_int_equal(nhi_git_tree_next(&entry, &reader), 0);
}

static void test_git_tree__empty_tree_has_no_entries(void **state)
{
	struct nhi_git_tree_reader reader;
	struct nhi_git_tree_entry entry;

	nhi_git_tree_reader_init(&reader, "", 0);
	assert_int_equal(nhi_git_tree_next(&entry, &reader), 0);
}

static void test_git_tree__old_executable_modes_are_files(void **state)
{
	assert_int_equal(nhi_git_entry_kind_of(0100755), NHI_GIT_ENTRY_FILE);
	assert_int_equal(nhi_git_entry_kind_of(0100664), NHI_GIT_ENTRY_FILE);
	assert_int_equal(nhi_git_entry_kind_of(0070000), NHI_GIT_ENTRY_UNKNOWN);
}

/* Parse the first entry of data; return what nhi_git_tree_next() returns. */
static int first_entry(const void *data, size_t len)
{
	struct nhi_git_tree_reader reader;
	struct nhi_git_tree_entry entry;

	nhi_git_tree_reader_init(&reader, data, len);
	return nhi_git_tree_next(&entry, &reader);
}

static void test_git_tree__rejects_damage(void **state)
{
	unsigned char buf[256];
	size_t len = 0;

	put_entry(buf, &len, "100644", "ok", 0x11);
	/* Truncated inside the id, inside the name, inside the mode. */
	assert_int_equal(first_entry(buf, len - 1), NHI_EINVALID);
	assert_int_equal(first_entry(buf, 9), NHI_EINVALID);
	assert_int_equal(first_entry(buf, 3), NHI_EINVALID);

	len = 0;
	put_entry(buf, &len, "10064x", "bad-mode", 0);
	assert_int_equal(first_entry(buf, len), NHI_EINVALID);
	len = 0;
	put_entry(buf, &len, "", "no-mode", 0);
	assert_int_equal(first_entry(buf, len), NHI_EINVALID);
	len = 0;
	put_entry(buf, &len, "100644", "", 0);
	assert_int_equal(first_entry(buf, len), NHI_EINVALID);
	len = 0;
	put_entry(buf, &len, "100644", "a/b", 0);
	assert_int_equal(first_entry(buf, len), NHI_EINVALID);
	len = 0;
	put_entry(buf, &len, "1006440000", "long-mode", 0);
	assert_int_equal(first_entry(buf, len), NHI_EINVALID);
}

static void test_git_tree__damage_after_good_entries(void **state)
{
	unsigned char buf[256];
	size_t len = 0;
	struct nhi_git_tree_reader reader;
	struct nhi_git_tree_entry entry;

	put_entry(buf, &len, "100644", "good", 0x11);
	memcpy(buf + len, "garbage", 7);
	nhi_git_tree_reader_init(&reader, buf, len + 7);
	assert_int_equal(nhi_git_tree_next(&entry, &reader), 1);
	assert_int_equal(nhi_git_tree_next(&entry, &reader), NHI_EINVALID);
}

#define TREE_LINE "tree 4b825dc642cb6eb9a060e54bf8d69288fbe4904b\n"
#define PARENT_A "parent 1111111111111111111111111111111111111111\n"
#define PARENT_B "parent 2222222222222222222222222222222222222222\n"

static void test_git_commit__reads_tree_parents_and_time(void **state)
{
	const char *raw = TREE_LINE PARENT_A PARENT_B
		"author A U Thor <author@example.com> 1600000000 +0200\n"
		"committer C O Mitter <committer@example.com> 1700000000 -0500\n"
		"\nmessage with\nparent 3333333333333333333333333333333333333333\n";
	struct nhi_git_commit_header header = { 0 };

	assert_int_equal(nhi_git_commit_header_parse(&header, raw, strlen(raw)), 0);
	assert_string_equal(git_oid_tostr_s(&header.tree), "4b825dc642cb6eb9a060e54bf8d69288fbe4904b");
	assert_int_equal(header.parent_count, 2);
	assert_string_equal(git_oid_tostr_s(&header.parents[1]), "2222222222222222222222222222222222222222");
	assert_int_equal(header.time, 1700000000);
	nhi_git_commit_header_dispose(&header);
}

static void test_git_commit__root_commit_and_reuse(void **state)
{
	const char *merge = TREE_LINE PARENT_A PARENT_B "committer C <c@example.com> 5 +0000\n\nmerge\n";
	const char *root = TREE_LINE "committer C <c@example.com> 7 +0000\n\nroot\n";
	struct nhi_git_commit_header header = { 0 };

	assert_int_equal(nhi_git_commit_header_parse(&header, merge, strlen(merge)), 0);
	assert_int_equal(header.parent_count, 2);
	assert_int_equal(nhi_git_commit_header_parse(&header, root, strlen(root)), 0);
	assert_int_equal(header.parent_count, 0);
	assert_int_equal(header.time, 7);
	nhi_git_commit_header_dispose(&header);
}

static void test_git_commit__unreadable_time_is_zero(void **state)
{
	const char *raw = TREE_LINE "committer no email and no time\n\nmsg\n";
	struct nhi_git_commit_header header = { 0 };

	assert_int_equal(nhi_git_commit_header_parse(&header, raw, strlen(raw)), 0);
	assert_int_equal(header.time, 0);
	nhi_git_commit_header_dispose(&header);
}

static void test_git_commit__rejects_damage(void **state)
{
	static const char *const damaged[] = {
		"",
		"parent 1111111111111111111111111111111111111111\n" TREE_LINE,
		"tree 4b825dc642cb6eb9a060e54bf8d69288fbe4904\n",
		"tree 4b825dc642cb6eb9a060e54bf8d69288fbe4904b\nparent 12345\n",
		"tree zz825dc642cb6eb9a060e54bf8d69288fbe4904b\n",
	};
	struct nhi_git_commit_header header = { 0 };

	for (size_t i = 0; i < sizeof(damaged) / sizeof(damaged[0]); i++)
		assert_int_equal(nhi_git_commit_header_parse(&header, damaged[i], strlen(damaged[i])), NHI_EINVALID);
	nhi_git_commit_header_dispose(&header);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_git_tree__reads_entries),
		cmocka_unit_test(test_git_tree__empty_tree_has_no_entries),
		cmocka_unit_test(test_git_tree__old_executable_modes_are_files),
		cmocka_unit_test(test_git_tree__rejects_damage),
		cmocka_unit_test(test_git_tree__damage_after_good_entries),
		cmocka_unit_test(test_git_commit__reads_tree_parents_and_time),
		cmocka_unit_test(test_git_commit__root_commit_and_reuse),
		cmocka_unit_test(test_git_commit__unreadable_time_is_zero),
		cmocka_unit_test(test_git_commit__rejects_damage),
	};

	/* libgit2 keeps per-thread error state that git_oid_fromstrn() uses on bad hex. */
	git_libgit2_init();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
