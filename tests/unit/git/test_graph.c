/*
 * Unit tests of the commit graph (src/git/graph.c) and the added-line diff (src/git/diff.c) on
 * repositories that each test writes object by object with libgit2, so that commit times,
 * missing parents and shallow files are exactly what the case needs.
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

#include "git/diff.h"
#include "git/graph.h"
#include "git/repo.h"
#include "util/error.h"

struct fixture {
	char dir[64];
	git_repository *repo;
	git_odb *odb;
	git_oid empty_tree;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	git_libgit2_init();
	snprintf(f->dir, sizeof(f->dir), "/tmp/nhiscan-graph.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	assert_int_equal(git_repository_init(&f->repo, f->dir, true), 0);
	assert_int_equal(git_repository_odb(&f->odb, f->repo), 0);
	assert_int_equal(git_odb_write(&f->empty_tree, f->odb, "", 0, GIT_OBJECT_TREE), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char command[128];

	git_odb_free(f->odb);
	git_repository_free(f->repo);
	snprintf(command, sizeof(command), "rm -rf '%s'", f->dir);
	assert_int_equal(system(command), 0);
	free(f);
	git_libgit2_shutdown();
	return 0;
}

/* Write a commit with the empty tree, the given parents (NULL-terminated) and committer time. */
static git_oid write_commit(struct fixture *f, long long time, const git_oid *const *parents)
{
	char raw[1024];
	size_t len;
	git_oid id;

	len = (size_t)snprintf(raw, sizeof(raw), "tree %s\n", git_oid_tostr_s(&f->empty_tree));
	for (size_t i = 0; parents && parents[i]; i++)
		len += (size_t)snprintf(raw + len, sizeof(raw) - len, "parent %s\n", git_oid_tostr_s(parents[i]));
	len += (size_t)snprintf(raw + len, sizeof(raw) - len,
				"author A <a@example.com> %lld +0000\ncommitter C <c@example.com> %lld +0000\n\nc\n",
				time, time);
	assert_int_equal(git_odb_write(&id, f->odb, raw, len, GIT_OBJECT_COMMIT), 0);
	return id;
}

/* Load the graph from tips and return the sorted commit ids as a string of one letter each. */
static void sorted_names(char *out, struct nhi_git_graph *graph, const git_oid *ids, const char *names, size_t count)
{
	uint32_t *order = NULL;
	size_t order_count = 0;

	assert_int_equal(nhi_git_graph_load(graph), 0);
	assert_int_equal(nhi_git_graph_sort(&order, &order_count, graph), 0);
	for (size_t i = 0; i < order_count; i++) {
		out[i] = '?';
		for (size_t j = 0; j < count; j++)
			if (git_oid_equal(&graph->commits[order[i]].id, &ids[j]))
				out[i] = names[j];
	}
	out[order_count] = '\0';
	free(order);
}

/* r <- a, r <- b, (a, b) <- m, with b older than a. */
static void write_diamond(struct fixture *f, git_oid ids[4])
{
	ids[0] = write_commit(f, 100, NULL);
	ids[1] = write_commit(f, 300, (const git_oid *const[]){ &ids[0], NULL });
	ids[2] = write_commit(f, 200, (const git_oid *const[]){ &ids[0], NULL });
	ids[3] = write_commit(f, 400, (const git_oid *const[]){ &ids[1], &ids[2], NULL });
}

static void test_git_graph__parents_first_then_oldest(void **state)
{
	struct fixture *f = *state;
	struct nhi_git_warnings warnings = { 0 };
	struct nhi_git_graph graph;
	git_oid ids[4];
	char order[8];

	write_diamond(f, ids);
	assert_int_equal(nhi_git_graph_init(&graph, f->repo, &warnings), 0);
	assert_int_equal(nhi_git_graph_add_tip(&graph, &ids[3], false), 0);
	sorted_names(order, &graph, ids, "rabm", 4);
	assert_string_equal(order, "rbam");
	assert_int_equal(warnings.messages.count, 0);
	nhi_git_graph_dispose(&graph);
	nhi_git_warnings_dispose(&warnings);
}

static void test_git_graph__parent_order_beats_clock_skew(void **state)
{
	struct fixture *f = *state;
	struct nhi_git_warnings warnings = { 0 };
	struct nhi_git_graph graph;
	git_oid ids[3];
	char order[8];

	/* A child dated before its parent still comes after it. */
	ids[0] = write_commit(f, 500, NULL);
	ids[1] = write_commit(f, 100, (const git_oid *const[]){ &ids[0], NULL });
	ids[2] = write_commit(f, 50, (const git_oid *const[]){ &ids[1], NULL });
	assert_int_equal(nhi_git_graph_init(&graph, f->repo, &warnings), 0);
	assert_int_equal(nhi_git_graph_add_tip(&graph, &ids[2], false), 0);
	sorted_names(order, &graph, ids, "xyz", 3);
	assert_string_equal(order, "xyz");
	nhi_git_graph_dispose(&graph);
	nhi_git_warnings_dispose(&warnings);
}

static void test_git_graph__excluded_tip_removes_its_ancestors(void **state)
{
	struct fixture *f = *state;
	struct nhi_git_warnings warnings = { 0 };
	struct nhi_git_graph graph;
	git_oid ids[4];
	char order[8];

	write_diamond(f, ids);
	assert_int_equal(nhi_git_graph_init(&graph, f->repo, &warnings), 0);
	assert_int_equal(nhi_git_graph_add_tip(&graph, &ids[3], false), 0);
	assert_int_equal(nhi_git_graph_add_tip(&graph, &ids[1], true), 0);
	sorted_names(order, &graph, ids, "rabm", 4);
	assert_string_equal(order, "bm");
	nhi_git_graph_dispose(&graph);
	nhi_git_warnings_dispose(&warnings);
}

static void test_git_graph__excluded_tip_newer_than_range(void **state)
{
	struct fixture *f = *state;
	struct nhi_git_warnings warnings = { 0 };
	struct nhi_git_graph graph;
	git_oid ids[4];
	char order[8];

	/* base (excluded) is dated after the range's commits and shares their root. */
	ids[0] = write_commit(f, 100, NULL);
	ids[1] = write_commit(f, 900, (const git_oid *const[]){ &ids[0], NULL });
	ids[2] = write_commit(f, 200, (const git_oid *const[]){ &ids[0], NULL });
	ids[3] = write_commit(f, 300, (const git_oid *const[]){ &ids[2], NULL });
	assert_int_equal(nhi_git_graph_init(&graph, f->repo, &warnings), 0);
	assert_int_equal(nhi_git_graph_add_tip(&graph, &ids[3], false), 0);
	assert_int_equal(nhi_git_graph_add_tip(&graph, &ids[1], true), 0);
	sorted_names(order, &graph, ids, "rbxy", 4);
	assert_string_equal(order, "xy");
	nhi_git_graph_dispose(&graph);
	nhi_git_warnings_dispose(&warnings);
}

static void test_git_graph__missing_parent_ends_the_line(void **state)
{
	struct fixture *f = *state;
	struct nhi_git_warnings warnings = { 0 };
	struct nhi_git_graph graph;
	git_oid ids[2], ghost;
	char order[8];

	git_oid_fromstr(&ghost, "0123456789abcdef0123456789abcdef01234567");
	ids[0] = write_commit(f, 100, (const git_oid *const[]){ &ghost, NULL });
	ids[1] = write_commit(f, 200, (const git_oid *const[]){ &ids[0], NULL });
	assert_int_equal(nhi_git_graph_init(&graph, f->repo, &warnings), 0);
	assert_int_equal(nhi_git_graph_add_tip(&graph, &ids[1], false), 0);
	sorted_names(order, &graph, ids, "ab", 2);
	assert_string_equal(order, "ab");
	assert_int_equal(warnings.counts[NHI_GIT_WARN_MISSING], 1);
	assert_non_null(strstr(((struct nhi_git_warning *)warnings.messages.items[0])->text, "0123456789abcdef"));
	nhi_git_graph_dispose(&graph);
	nhi_git_warnings_dispose(&warnings);
}

static void test_git_graph__shallow_boundary_is_not_missing(void **state)
{
	struct fixture *f = *state;
	struct nhi_git_warnings warnings = { 0 };
	struct nhi_git_graph graph;
	git_oid ids[2], ghost;
	char path[128], order[8];
	FILE *shallow;

	git_oid_fromstr(&ghost, "0123456789abcdef0123456789abcdef01234567");
	ids[0] = write_commit(f, 100, (const git_oid *const[]){ &ghost, NULL });
	ids[1] = write_commit(f, 200, (const git_oid *const[]){ &ids[0], NULL });
	snprintf(path, sizeof(path), "%s/shallow", f->dir);
	assert_non_null(shallow = fopen(path, "w"));
	fprintf(shallow, "%s\n", git_oid_tostr_s(&ids[0]));
	fclose(shallow);

	assert_int_equal(nhi_git_graph_init(&graph, f->repo, &warnings), 0);
	assert_int_equal(nhi_git_graph_add_tip(&graph, &ids[1], false), 0);
	sorted_names(order, &graph, ids, "ab", 2);
	assert_string_equal(order, "ab");
	assert_int_equal(warnings.counts[NHI_GIT_WARN_MISSING], 0);
	assert_int_equal(graph.shallow_boundaries, 1);
	assert_int_equal(warnings.counts[NHI_GIT_WARN_OTHER], 1);
	nhi_git_graph_dispose(&graph);
	nhi_git_warnings_dispose(&warnings);
}

static void test_git_graph__unreadable_tip_is_a_warning(void **state)
{
	struct fixture *f = *state;
	struct nhi_git_warnings warnings = { 0 };
	struct nhi_git_graph graph;
	git_oid ghost, blob;

	git_oid_fromstr(&ghost, "0123456789abcdef0123456789abcdef01234567");
	assert_int_equal(git_odb_write(&blob, f->odb, "text", 4, GIT_OBJECT_BLOB), 0);
	assert_int_equal(nhi_git_graph_init(&graph, f->repo, &warnings), 0);
	assert_int_equal(nhi_git_graph_add_tip(&graph, &ghost, false), 0);
	assert_int_equal(nhi_git_graph_add_tip(&graph, &blob, false), 0);
	assert_int_equal(nhi_git_graph_load(&graph), 0);
	assert_int_equal(graph.count, 0);
	assert_int_equal(warnings.counts[NHI_GIT_WARN_MISSING], 1);
	assert_int_equal(warnings.counts[NHI_GIT_WARN_CORRUPT], 1);
	nhi_git_graph_dispose(&graph);
	nhi_git_warnings_dispose(&warnings);
}

static git_blob *write_blob(struct fixture *f, const char *text)
{
	git_blob *blob = NULL;
	git_oid id;

	assert_int_equal(git_blob_create_from_buffer(&id, f->repo, text, strlen(text)), 0);
	assert_int_equal(git_blob_lookup(&blob, f->repo, &id), 0);
	return blob;
}

static void test_git_diff__added_lines(void **state)
{
	struct fixture *f = *state;
	git_blob *old_blob = write_blob(f, "a\nb\nc\nd\n");
	git_blob *new_blob = write_blob(f, "a\nX\nb\nd\nY\nZ\n");
	struct nhi_git_lines lines = { 0 };

	assert_int_equal(nhi_git_lines_added(&lines, old_blob, new_blob), 0);
	assert_int_equal(lines.count, 2);
	assert_int_equal(lines.ranges[0].first, 2);
	assert_int_equal(lines.ranges[0].last, 2);
	assert_int_equal(lines.ranges[1].first, 5);
	assert_int_equal(lines.ranges[1].last, 6);
	nhi_git_lines_dispose(&lines);
	git_blob_free(old_blob);
	git_blob_free(new_blob);
}

static void test_git_diff__binary_content_is_compared_as_text(void **state)
{
	struct fixture *f = *state;
	git_blob *old_blob = write_blob(f, "a\n");
	git_blob *new_blob;
	struct nhi_git_lines lines = { 0 };
	static const char with_nul[] = "a\nb\0c\n";
	git_oid id;

	assert_int_equal(git_blob_create_from_buffer(&id, f->repo, with_nul, sizeof(with_nul) - 1), 0);
	assert_int_equal(git_blob_lookup(&new_blob, f->repo, &id), 0);
	assert_int_equal(nhi_git_lines_added(&lines, old_blob, new_blob), 0);
	assert_int_equal(lines.count, 1);
	assert_int_equal(lines.ranges[0].first, 2);
	nhi_git_lines_dispose(&lines);
	git_blob_free(old_blob);
	git_blob_free(new_blob);
}

static void test_git_diff__identical_blobs_add_nothing(void **state)
{
	struct fixture *f = *state;
	git_blob *blob = write_blob(f, "same\n");
	struct nhi_git_lines lines = { 0 };

	assert_int_equal(nhi_git_lines_added(&lines, blob, blob), 0);
	assert_int_equal(lines.count, 0);
	nhi_git_lines_dispose(&lines);
	git_blob_free(blob);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_git_graph__parents_first_then_oldest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_graph__parent_order_beats_clock_skew, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_graph__excluded_tip_removes_its_ancestors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_graph__excluded_tip_newer_than_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_graph__missing_parent_ends_the_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_graph__shallow_boundary_is_not_missing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_graph__unreadable_tip_is_a_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_diff__added_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_diff__binary_content_is_compared_as_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_git_diff__identical_blobs_add_nothing, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
