/*
 * Unit tests of the pack index reader in src/git/packorder.c, on a repository that git packs at
 * run time. Every object's key must be its offset as `git show-index` prints it. A damaged
 * index must leave objects without a key instead of failing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "git/packorder.h"

struct fixture {
	char dir[64];
	git_repository *repo;
};

static void run(const char *command)
{
	assert_int_equal(system(command), 0);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char command[512];

	assert_non_null(f);
	snprintf(f->dir, sizeof(f->dir), "/tmp/nhiscan-pack-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(command, sizeof(command),
		 "cd %s && git init -q . && for i in 1 2 3 4 5 6; do seq 1 $((i * 500)) > f.txt; "
		 "echo $i > g$i.txt; git add -A; git -c user.name=t -c user.email=t@t commit -qm $i; "
		 "done && git gc -q",
		 f->dir);
	run(command);
	git_libgit2_init();
	assert_int_equal(git_repository_open(&f->repo, f->dir), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char command[128];

	git_repository_free(f->repo);
	git_libgit2_shutdown();
	snprintf(command, sizeof(command), "rm -rf %s", f->dir);
	run(command);
	free(f);
	return 0;
}

static void test_packorder__keys_are_pack_offsets(void **state)
{
	struct fixture *f = *state;
	struct nhi_git_pack_order order;
	char command[256], line[128];
	size_t checked = 0;
	git_oid absent;
	FILE *list;

	nhi_git_pack_order_load(&order, f->repo, NULL);
	assert_int_equal(order.count, 1);

	snprintf(command, sizeof(command), "cat %s/.git/objects/pack/*.idx | git -C %s show-index",
		 f->dir, f->dir);
	assert_non_null(list = popen(command, "r"));
	while (fgets(line, sizeof(line), list)) {
		unsigned long long offset;
		char hex[GIT_OID_HEXSZ + 1];
		git_oid id;

		assert_int_equal(sscanf(line, "%llu %40s", &offset, hex), 2);
		assert_int_equal(git_oid_fromstr(&id, hex), 0);
		assert_int_equal(nhi_git_pack_order_key(&order, &id), offset);
		checked++;
	}
	pclose(list);
	assert_true(checked > 10);

	assert_int_equal(git_oid_fromstr(&absent, "0123456789012345678901234567890123456789"), 0);
	assert_true(nhi_git_pack_order_key(&order, &absent) == NHI_GIT_PACK_KEY_NONE);
	nhi_git_pack_order_dispose(&order);
}

static void test_packorder__damaged_index_gives_no_keys(void **state)
{
	struct fixture *f = *state;
	struct nhi_git_pack_order order;
	char command[256];
	git_oid head;

	snprintf(command, sizeof(command),
		 "cd %s/.git/objects/pack && for i in *.idx; do chmod u+w $i; truncate -s 600 $i; done",
		 f->dir);
	run(command);
	assert_int_equal(git_reference_name_to_id(&head, f->repo, "HEAD"), 0);

	nhi_git_pack_order_load(&order, f->repo, NULL);
	assert_int_equal(order.count, 0);
	assert_true(nhi_git_pack_order_key(&order, &head) == NHI_GIT_PACK_KEY_NONE);
	nhi_git_pack_order_dispose(&order);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_packorder__keys_are_pack_offsets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_packorder__damaged_index_gives_no_keys, setup,
						teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
