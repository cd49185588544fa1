/*
 * gitignore matcher (src/source/ignore.c): rule syntax, precedence between rule files, file
 * reading errors and the walker contract.
 *
 * Each test builds its own work tree in a fresh mkdtemp() folder, writes the rule files and the
 * paths it checks, and queries the matcher the way the worktree walker does. The expected results
 * of the matching tests were checked with `git check-ignore --no-index` and `git ls-files -o
 * --exclude-standard` (git 2.39.5) on the same layouts, but the tests do not run git.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "source/ignore.h"
#include "util/error.h"

/* Size of the buffer that collects the file list of a walk. */
#define WALK_OUTPUT_MAX 4096

struct fixture {
	char root[PATH_MAX];
};

static int setup_tree(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	const char *tmpdir = getenv("TMPDIR");

	if (!fx)
		return -1;
	snprintf(fx->root, sizeof(fx->root), "%s/nhi-ignore-XXXXXX",
		tmpdir && tmpdir[0] ? tmpdir : "/tmp");
	if (!mkdtemp(fx->root)) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (type == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static int teardown_tree(void **state)
{
	struct fixture *fx = *state;
	int result = nftw(fx->root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);

	free(fx);
	return result;
}

static void make_full_path(char *out, size_t size, const struct fixture *fx, const char *relpath)
{
	int length = snprintf(out, size, "%s/%s", fx->root, relpath);

	assert_true(length > 0 && (size_t)length < size);
}

/* Create relpath as a folder, with its parents. */
static void make_dir(const struct fixture *fx, const char *relpath)
{
	char path[PATH_MAX];

	make_full_path(path, sizeof(path), fx, relpath);
	for (char *slash = strchr(path + strlen(fx->root) + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			fail_msg("cannot create folder '%s': %s", path, strerror(errno));
		*slash = '/';
	}
	if (mkdir(path, 0755) < 0 && errno != EEXIST)
		fail_msg("cannot create folder '%s': %s", path, strerror(errno));
}

/* Create the parent folders of relpath. */
static void make_parent_dirs(const struct fixture *fx, const char *relpath)
{
	char parent[PATH_MAX];
	char *slash;

	snprintf(parent, sizeof(parent), "%s", relpath);
	slash = strrchr(parent, '/');
	if (!slash)
		return;
	*slash = '\0';
	make_dir(fx, parent);
}

static void write_bytes(const struct fixture *fx, const char *relpath, const char *data,
	size_t length)
{
	char path[PATH_MAX];
	FILE *file;

	make_parent_dirs(fx, relpath);
	make_full_path(path, sizeof(path), fx, relpath);
	file = fopen(path, "wb");
	if (!file)
		fail_msg("cannot create '%s': %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, length, file), length);
	assert_int_equal(fclose(file), 0);
}

static void write_text(const struct fixture *fx, const char *relpath, const char *text)
{
	write_bytes(fx, relpath, text, strlen(text));
}

/* Create relpath as an empty file or a folder unless it exists. */
static void make_path(const struct fixture *fx, const char *relpath, bool is_dir)
{
	char path[PATH_MAX];
	struct stat st;

	make_full_path(path, sizeof(path), fx, relpath);
	if (lstat(path, &st) == 0)
		return;
	if (is_dir)
		make_dir(fx, relpath);
	else
		write_text(fx, relpath, "");
}

/* Push every folder above relpath, root first, as the walker does on its way down. */
static size_t push_parents(ignore_stack *stack, const char *relpath)
{
	char reldir[PATH_MAX];
	size_t levels = 0;

	snprintf(reldir, sizeof(reldir), "%s", relpath);
	for (char *slash = strchr(reldir, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		assert_int_equal(ignore_stack_push_dir(stack, reldir), 0);
		*slash = '/';
		levels++;
	}
	return levels;
}

/*
 * Create relpath if needed, then return whether a fresh stack with every parent folder pushed
 * ignores it. Parents are not checked, so this judges the rules for relpath alone.
 */
static bool check_ignored(const struct fixture *fx, const char *relpath, bool is_dir)
{
	ignore_stack *stack = NULL;
	size_t levels;
	bool ignored;

	make_path(fx, relpath, is_dir);
	assert_int_equal(ignore_stack_new(&stack, fx->root), 0);
	levels = push_parents(stack, relpath);
	ignored = ignore_stack_is_ignored(stack, relpath, is_dir);
	while (levels-- > 0)
		ignore_stack_pop_dir(stack);
	ignore_stack_free(stack);
	return ignored;
}

static void append_line(char *out, size_t size, const char *line)
{
	size_t used = strlen(out);
	int length = snprintf(out + used, size - used, "%s\n", line);

	assert_true(length > 0 && (size_t)length < size - used);
}

/*
 * Walk the fixture like the worktree source: skip ".git", skip ignored entries, do not enter
 * ignored folders, push and pop every folder entered. Append each listed file to out, one per line,
 * in alphabetical order within a folder.
 */
static void walk_folder(ignore_stack *stack, const struct fixture *fx, const char *reldir,
	char *out, size_t size)
{
	char path[PATH_MAX];
	struct dirent **entries;
	int count;

	make_full_path(path, sizeof(path), fx, reldir);
	count = scandir(path, &entries, NULL, alphasort);
	assert_true(count >= 0);
	for (int i = 0; i < count; i++) {
		const char *name = entries[i]->d_name;
		char relpath[PATH_MAX];
		struct stat st;
		bool is_dir;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, ".git") == 0)
			goto next;
		snprintf(relpath, sizeof(relpath), "%s%s%s", reldir, reldir[0] ? "/" : "", name);
		make_full_path(path, sizeof(path), fx, relpath);
		assert_int_equal(lstat(path, &st), 0);
		is_dir = S_ISDIR(st.st_mode);
		if (ignore_stack_is_ignored(stack, relpath, is_dir))
			goto next;
		if (is_dir) {
			assert_int_equal(ignore_stack_push_dir(stack, relpath), 0);
			walk_folder(stack, fx, relpath, out, size);
			ignore_stack_pop_dir(stack);
		} else {
			append_line(out, size, relpath);
		}
next:
		free(entries[i]);
	}
	free(entries);
}

static void walk_tree(const struct fixture *fx, char *out, size_t size)
{
	ignore_stack *stack = NULL;

	out[0] = '\0';
	assert_int_equal(ignore_stack_new(&stack, fx->root), 0);
	walk_folder(stack, fx, "", out, size);
	ignore_stack_free(stack);
}

/* Return whether the last error message contains the full path of relpath. */
static bool error_names_file(const struct fixture *fx, const char *relpath)
{
	char path[PATH_MAX];

	make_full_path(path, sizeof(path), fx, relpath);
	return strstr(nhi_error_last(), path) != NULL;
}

/* ---- syntax of a line ------------------------------------------------------------------ */

static void test_source_ignore__comments_and_blank_lines_skipped(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "# notes\n\n   \n*.log\n");
	assert_false(check_ignored(fx, "# notes", false));
	assert_true(check_ignored(fx, "a.log", false));
	assert_false(check_ignored(fx, "a.txt", false));
}

static void test_source_ignore__escaped_hash_matches_literal(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "\\#notes\n");
	assert_true(check_ignored(fx, "#notes", false));
	assert_false(check_ignored(fx, "notes", false));
}

static void test_source_ignore__trailing_spaces_trimmed(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "a.txt   \n");
	assert_true(check_ignored(fx, "a.txt", false));
	assert_false(check_ignored(fx, "a.txt ", false));
}

static void test_source_ignore__escaped_trailing_space_kept(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "b\\ \n");
	assert_true(check_ignored(fx, "b ", false));
	assert_false(check_ignored(fx, "b", false));
}

static void test_source_ignore__trailing_tab_kept(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "c\t\n");
	assert_true(check_ignored(fx, "c\t", false));
	assert_false(check_ignored(fx, "c", false));
}

static void test_source_ignore__escaped_exclamation_matches_literal(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "\\!important\n");
	assert_true(check_ignored(fx, "!important", false));
	assert_false(check_ignored(fx, "important", false));
}

static void test_source_ignore__escaped_wildcard_is_literal(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "\\*.txt\nq\\?\n");
	assert_true(check_ignored(fx, "*.txt", false));
	assert_false(check_ignored(fx, "a.txt", false));
	assert_true(check_ignored(fx, "q?", false));
	assert_false(check_ignored(fx, "qa", false));
}

static void test_source_ignore__trailing_backslash_never_matches(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "foo\\\n");
	assert_false(check_ignored(fx, "foo\\", false));
	assert_false(check_ignored(fx, "foo", false));
}

static void test_source_ignore__escaped_backslash_matches(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "foo\\\\\n");
	assert_true(check_ignored(fx, "foo\\", false));
}

/* ---- negation -------------------------------------------------------------------------- */

static void test_source_ignore__negation_later_wins(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "*.log\n!keep.log\n");
	assert_false(check_ignored(fx, "keep.log", false));
	assert_true(check_ignored(fx, "other.log", false));
}

static void test_source_ignore__negation_earlier_loses(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "!keep.log\n*.log\n");
	assert_true(check_ignored(fx, "keep.log", false));
}

static void test_source_ignore__excluded_folder_hides_reincluded_file(void **state)
{
	struct fixture *fx = *state;
	char listed[WALK_OUTPUT_MAX];

	write_text(fx, ".gitignore", "build/\n!build/keep.txt\n");
	write_text(fx, "build/keep.txt", "");
	write_text(fx, "build/out.o", "");
	write_text(fx, "main.c", "");

	/* The rule re-includes the file itself, but the walk never enters build/. */
	assert_false(check_ignored(fx, "build/keep.txt", false));
	assert_true(check_ignored(fx, "build", true));
	walk_tree(fx, listed, sizeof(listed));
	assert_string_equal(listed, ".gitignore\nmain.c\n");
}

static void test_source_ignore__folder_contents_reincluded(void **state)
{
	struct fixture *fx = *state;
	char listed[WALK_OUTPUT_MAX];

	/* Ignoring the contents of build, not build itself, lets the negation take effect. */
	write_text(fx, ".gitignore", "build/*\n!build/keep.txt\n");
	write_text(fx, "build/keep.txt", "");
	write_text(fx, "build/out.o", "");
	walk_tree(fx, listed, sizeof(listed));
	assert_string_equal(listed, ".gitignore\nbuild/keep.txt\n");
}

/* ---- folders only ---------------------------------------------------------------------- */

static void test_source_ignore__folder_only_pattern_skips_files(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "cache/\n");
	assert_true(check_ignored(fx, "cache", true));
	assert_false(check_ignored(fx, "sub/cache", false));
}

static void test_source_ignore__folder_only_pattern_matches_at_any_depth(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "cache/\n");
	assert_true(check_ignored(fx, "a/b/cache", true));
}

static void test_source_ignore__folder_only_pattern_with_middle_slash(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "doc/build/\n");
	assert_true(check_ignored(fx, "doc/build", true));
	assert_false(check_ignored(fx, "src/doc/build", true));
	assert_false(check_ignored(fx, "lib/build", false));
}

/* ---- anchoring ------------------------------------------------------------------------- */

static void test_source_ignore__leading_slash_anchors(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "/todo\n");
	assert_true(check_ignored(fx, "todo", false));
	assert_false(check_ignored(fx, "sub/todo", false));
}

static void test_source_ignore__middle_slash_anchors(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "doc/frotz\n");
	assert_true(check_ignored(fx, "doc/frotz", false));
	assert_false(check_ignored(fx, "a/doc/frotz", false));
}

static void test_source_ignore__name_matches_at_any_depth(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "frotz\n");
	assert_true(check_ignored(fx, "frotz", false));
	assert_true(check_ignored(fx, "a/b/frotz", false));
	assert_true(check_ignored(fx, "c/frotz", true));
	assert_false(check_ignored(fx, "frotz2", false));
}

/* ---- wildcards ------------------------------------------------------------------------- */

static void test_source_ignore__suffix_pattern(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "*.log\n");
	assert_true(check_ignored(fx, "a.log", false));
	assert_true(check_ignored(fx, ".log", false));
	assert_true(check_ignored(fx, "x/y/z.log", false));
	assert_false(check_ignored(fx, "a.log.txt", false));
	assert_false(check_ignored(fx, "alog", false));
}

static void test_source_ignore__star_stops_at_slash(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "doc/*.txt\n");
	assert_true(check_ignored(fx, "doc/a.txt", false));
	assert_false(check_ignored(fx, "doc/sub/a.txt", false));
}

static void test_source_ignore__question_mark_matches_one_byte(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "file?.c\n/doc?x\n");
	assert_true(check_ignored(fx, "file1.c", false));
	assert_false(check_ignored(fx, "file10.c", false));
	assert_false(check_ignored(fx, "file.c", false));
	assert_false(check_ignored(fx, "doc/x", false));
	assert_true(check_ignored(fx, "doc_x", false));
}

static void test_source_ignore__bracket_range(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "log[0-9].txt\n[]x]y\n");
	assert_true(check_ignored(fx, "log5.txt", false));
	assert_false(check_ignored(fx, "loga.txt", false));
	assert_true(check_ignored(fx, "]y", false));
	assert_true(check_ignored(fx, "xy", false));
}

static void test_source_ignore__bracket_negation(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "log[!0-9].txt\nrun[^a-c]\n");
	assert_true(check_ignored(fx, "loga.txt", false));
	assert_false(check_ignored(fx, "log5.txt", false));
	assert_true(check_ignored(fx, "rund", false));
	assert_false(check_ignored(fx, "runb", false));
}

static void test_source_ignore__bracket_class(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "[[:digit:]]*.tmp\nv[[:upper:][:punct:]]\n");
	assert_true(check_ignored(fx, "7days.tmp", false));
	assert_false(check_ignored(fx, "days.tmp", false));
	assert_true(check_ignored(fx, "vA", false));
	assert_true(check_ignored(fx, "v-", false));
	assert_false(check_ignored(fx, "va", false));
}

static void test_source_ignore__malformed_bracket_never_matches(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "[abc\n[[:nope:]]x\n");
	assert_false(check_ignored(fx, "[abc", false));
	assert_false(check_ignored(fx, "a", false));
	assert_false(check_ignored(fx, "nx", false));
}

static void test_source_ignore__leading_double_star(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "**/foo\n");
	assert_true(check_ignored(fx, "foo", false));
	assert_true(check_ignored(fx, "a/foo", false));
	assert_true(check_ignored(fx, "a/b/foo", true));
	assert_false(check_ignored(fx, "afoo", false));
}

static void test_source_ignore__leading_double_star_with_path(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "**/foo/bar\n");
	assert_true(check_ignored(fx, "foo/bar", false));
	assert_true(check_ignored(fx, "x/y/foo/bar", false));
	assert_false(check_ignored(fx, "foo/x/bar", false));
}

static void test_source_ignore__trailing_double_star(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "abc/**\n");
	assert_false(check_ignored(fx, "abc", true));
	assert_true(check_ignored(fx, "abc/x", false));
	assert_true(check_ignored(fx, "abc/y/z", false));
	assert_false(check_ignored(fx, "sub/abc/x", false));
}

static void test_source_ignore__middle_double_star(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "a/**/b\n");
	assert_true(check_ignored(fx, "a/b", false));
	assert_true(check_ignored(fx, "a/x/b", false));
	assert_true(check_ignored(fx, "a/x/y/b", false));
	assert_false(check_ignored(fx, "a/xb", false));
	assert_false(check_ignored(fx, "z/a/b", false));
}

static void test_source_ignore__double_star_inside_component_is_star(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "/x/foo**bar\n");
	assert_true(check_ignored(fx, "x/foo_bar", false));
	assert_false(check_ignored(fx, "x/foo/bar", false));
}

static void test_source_ignore__double_star_after_literal_prefix(void **state)
{
	struct fixture *fx = *state;

	/* Git matches "**" right after the literal prefix as if it opened a component. */
	write_text(fx, ".gitignore", "a**/*b\nd/foo**\n");
	assert_true(check_ignored(fx, "ab", false));
	assert_true(check_ignored(fx, "ax/yb", false));
	assert_true(check_ignored(fx, "d/foo/x/y", false));
	assert_true(check_ignored(fx, "d/foo", true));
}

static void test_source_ignore__star_alone_and_negation(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "*\n!*.c\n!*/\n");
	assert_true(check_ignored(fx, "notes.txt", false));
	assert_false(check_ignored(fx, "main.c", false));
	assert_false(check_ignored(fx, "src", true));
	assert_false(check_ignored(fx, "src/util.c", false));
	assert_true(check_ignored(fx, "src/util.h", false));
}

static void test_source_ignore__hostile_pattern_stays_fast(void **state)
{
	struct fixture *fx = *state;
	char name[201];

	/* A matcher that recursively retries every '*' position would not finish on this. */
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	write_text(fx, ".gitignore", "*a*a*a*a*a*a*a*a*a*a*a*b\n**/**/**/**/**/**/**/c\n");
	assert_false(check_ignored(fx, name, false));
	assert_false(check_ignored(fx, "d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/d/x", false));
}

/* ---- precedence between files ---------------------------------------------------------- */

static void test_source_ignore__nested_gitignore_overrides_parent(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "*.log\n");
	write_text(fx, "sub/.gitignore", "!keep.log\n");
	assert_false(check_ignored(fx, "sub/keep.log", false));
	assert_false(check_ignored(fx, "sub/deeper/keep.log", false));
	assert_true(check_ignored(fx, "keep.log", false));
	assert_true(check_ignored(fx, "sub/other.log", false));
}

static void test_source_ignore__parent_rule_applies_when_child_silent(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "!keep.log\n");
	write_text(fx, "sub/.gitignore", "*.log\n");
	assert_true(check_ignored(fx, "sub/keep.log", false));
	assert_false(check_ignored(fx, "keep.log", false));
}

static void test_source_ignore__nested_patterns_anchor_to_own_folder(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, "sub/.gitignore", "/only\ndeep/file\n");
	assert_true(check_ignored(fx, "sub/only", false));
	assert_false(check_ignored(fx, "only", false));
	assert_false(check_ignored(fx, "sub/x/only", false));
	assert_true(check_ignored(fx, "sub/deep/file", false));
	assert_false(check_ignored(fx, "deep/file", false));
}

static void test_source_ignore__nested_rules_dropped_after_pop(void **state)
{
	struct fixture *fx = *state;
	ignore_stack *stack = NULL;

	write_text(fx, "sub/.gitignore", "*.tmp\n");
	make_dir(fx, "other");
	assert_int_equal(ignore_stack_new(&stack, fx->root), 0);
	assert_int_equal(ignore_stack_push_dir(stack, "sub"), 0);
	assert_true(ignore_stack_is_ignored(stack, "sub/a.tmp", false));
	ignore_stack_pop_dir(stack);
	assert_int_equal(ignore_stack_push_dir(stack, "other"), 0);
	assert_false(ignore_stack_is_ignored(stack, "other/a.tmp", false));
	ignore_stack_pop_dir(stack);
	assert_false(ignore_stack_is_ignored(stack, "a.tmp", false));
	ignore_stack_free(stack);
}

static void test_source_ignore__info_exclude_applies(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".git/info/exclude", "secret.txt\n");
	assert_true(check_ignored(fx, "secret.txt", false));
	assert_true(check_ignored(fx, "sub/secret.txt", false));
}

static void test_source_ignore__gitignore_overrides_info_exclude(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".git/info/exclude", "*.bak\n!keep.env\n");
	write_text(fx, ".gitignore", "!keep.bak\n*.env\n");
	assert_false(check_ignored(fx, "keep.bak", false));
	assert_true(check_ignored(fx, "other.bak", false));
	assert_true(check_ignored(fx, "keep.env", false));
}

static void test_source_ignore__root_level_push_loads_nothing(void **state)
{
	struct fixture *fx = *state;
	ignore_stack *stack = NULL;

	write_text(fx, ".gitignore", "*.o\n");
	assert_int_equal(ignore_stack_new(&stack, fx->root), 0);
	assert_int_equal(ignore_stack_push_dir(stack, ""), 0);
	ignore_stack_pop_dir(stack);
	ignore_stack_pop_dir(stack);
	assert_true(ignore_stack_is_ignored(stack, "a.o", false));
	ignore_stack_free(stack);
}

/* ---- file format ----------------------------------------------------------------------- */

static void test_source_ignore__crlf_line_ends(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "*.log\r\nbuild/\r\n/top  \r\n");
	assert_true(check_ignored(fx, "a.log", false));
	assert_true(check_ignored(fx, "build", true));
	assert_false(check_ignored(fx, "build.txt", false));
	assert_true(check_ignored(fx, "top", false));
}

static void test_source_ignore__utf8_bom_skipped(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "\xEF\xBB\xBF*.log\n");
	assert_true(check_ignored(fx, "a.log", false));
}

static void test_source_ignore__last_line_without_newline(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "a.txt\nb.txt");
	assert_true(check_ignored(fx, "a.txt", false));
	assert_true(check_ignored(fx, "b.txt", false));
}

static void test_source_ignore__non_utf8_bytes(void **state)
{
	struct fixture *fx = *state;

	write_text(fx, ".gitignore", "caf\xe9.txt\n[\xe0-\xef]x\n");
	assert_true(check_ignored(fx, "caf\xe9.txt", false));
	assert_false(check_ignored(fx, "caf\xc3\xa9.txt", false));
	assert_true(check_ignored(fx, "\xe5x", false));
	assert_false(check_ignored(fx, "\xf5x", false));
}

static void test_source_ignore__very_long_line(void **state)
{
	struct fixture *fx = *state;
	size_t long_length = 100000;
	char *rules = malloc(long_length + 32);
	char *path = malloc(long_length + 2);
	ignore_stack *stack = NULL;

	assert_non_null(rules);
	assert_non_null(path);
	rules[0] = '*';
	memset(rules + 1, 'a', long_length);
	memcpy(rules + 1 + long_length, "\nshort.txt\n", sizeof("\nshort.txt\n"));
	write_text(fx, ".gitignore", rules);

	path[0] = 'x';
	memset(path + 1, 'a', long_length);
	path[long_length + 1] = '\0';
	assert_int_equal(ignore_stack_new(&stack, fx->root), 0);
	assert_true(ignore_stack_is_ignored(stack, path, false));
	assert_true(ignore_stack_is_ignored(stack, "short.txt", false));
	assert_false(ignore_stack_is_ignored(stack, "xa", false));
	ignore_stack_free(stack);
	free(path);
	free(rules);
}

/* ---- reading errors -------------------------------------------------------------------- */

static void test_source_ignore__missing_files_are_not_errors(void **state)
{
	struct fixture *fx = *state;
	ignore_stack *stack = NULL;

	make_dir(fx, "sub");
	assert_int_equal(ignore_stack_new(&stack, fx->root), 0);
	assert_non_null(stack);
	assert_int_equal(ignore_stack_push_dir(stack, "sub"), 0);
	assert_int_equal(ignore_stack_push_dir(stack, "sub/not-created"), 0);
	assert_false(ignore_stack_is_ignored(stack, "sub/a", false));
	ignore_stack_pop_dir(stack);
	ignore_stack_pop_dir(stack);
	ignore_stack_free(stack);
}

static void test_source_ignore__unreadable_file_returns_eio(void **state)
{
	struct fixture *fx = *state;
	ignore_stack *stack = NULL;
	char path[PATH_MAX];

	if (geteuid() == 0)
		skip(); /* root reads files whatever their mode */
	write_text(fx, "sub/.gitignore", "*\n");
	make_full_path(path, sizeof(path), fx, "sub/.gitignore");
	assert_int_equal(chmod(path, 0), 0);
	assert_int_equal(ignore_stack_new(&stack, fx->root), 0);
	assert_int_equal(ignore_stack_push_dir(stack, "sub"), NHI_EIO);
	assert_true(error_names_file(fx, "sub/.gitignore"));
	assert_false(ignore_stack_is_ignored(stack, "sub/a", false));
	ignore_stack_pop_dir(stack);
	ignore_stack_free(stack);
}

static void test_source_ignore__gitignore_folder_returns_eio(void **state)
{
	struct fixture *fx = *state;
	ignore_stack *stack = NULL;

	make_dir(fx, ".gitignore");
	assert_int_equal(ignore_stack_new(&stack, fx->root), NHI_EIO);
	assert_true(error_names_file(fx, ".gitignore"));
	assert_non_null(stack);
	assert_false(ignore_stack_is_ignored(stack, "a", false));
	ignore_stack_free(stack);
}

static void test_source_ignore__symlinked_gitignore_not_followed(void **state)
{
	struct fixture *fx = *state;
	ignore_stack *stack = NULL;
	char target[PATH_MAX];
	char link[PATH_MAX];

	write_text(fx, "rules.txt", "*.log\n");
	make_dir(fx, "sub");
	make_full_path(target, sizeof(target), fx, "rules.txt");
	make_full_path(link, sizeof(link), fx, "sub/.gitignore");
	assert_int_equal(symlink(target, link), 0);

	assert_int_equal(ignore_stack_new(&stack, fx->root), 0);
	assert_int_equal(ignore_stack_push_dir(stack, "sub"), NHI_EIO);
	assert_true(error_names_file(fx, "sub/.gitignore"));
	assert_non_null(strstr(nhi_error_last(), "symbolic link"));
	assert_false(ignore_stack_is_ignored(stack, "sub/a.log", false));
	ignore_stack_pop_dir(stack);
	ignore_stack_free(stack);
}

static void test_source_ignore__symlinked_info_exclude_followed(void **state)
{
	struct fixture *fx = *state;
	char target[PATH_MAX];
	char link[PATH_MAX];

	write_text(fx, "rules.txt", "*.log\n");
	make_dir(fx, ".git/info");
	make_full_path(target, sizeof(target), fx, "rules.txt");
	make_full_path(link, sizeof(link), fx, ".git/info/exclude");
	assert_int_equal(symlink(target, link), 0);
	assert_true(check_ignored(fx, "a.log", false));
}

static void test_source_ignore__oversized_file_rejected(void **state)
{
	struct fixture *fx = *state;
	ignore_stack *stack = NULL;
	char path[PATH_MAX];

	write_text(fx, "sub/.gitignore", "*\n");
	make_full_path(path, sizeof(path), fx, "sub/.gitignore");
	assert_int_equal(truncate(path, ((off_t)4 << 20) + 1), 0);

	assert_int_equal(ignore_stack_new(&stack, fx->root), 0);
	assert_int_equal(ignore_stack_push_dir(stack, "sub"), NHI_EINVALID);
	assert_true(error_names_file(fx, "sub/.gitignore"));
	assert_false(ignore_stack_is_ignored(stack, "sub/a", false));
	ignore_stack_pop_dir(stack);
	ignore_stack_free(stack);
}

static void test_source_ignore__failed_push_still_pairs_with_pop(void **state)
{
	struct fixture *fx = *state;
	ignore_stack *stack = NULL;

	write_text(fx, ".gitignore", "*.o\n");
	write_text(fx, "a/.gitignore", "*.tmp\n");
	make_dir(fx, "a/bad/.gitignore");
	assert_int_equal(ignore_stack_new(&stack, fx->root), 0);
	assert_int_equal(ignore_stack_push_dir(stack, "a"), 0);
	assert_int_equal(ignore_stack_push_dir(stack, "a/bad"), NHI_EIO);
	assert_true(ignore_stack_is_ignored(stack, "a/bad/x.tmp", false));

	/* Leaving a/bad must keep the rules of a/ and the root. */
	ignore_stack_pop_dir(stack);
	assert_true(ignore_stack_is_ignored(stack, "a/x.tmp", false));
	ignore_stack_pop_dir(stack);
	assert_false(ignore_stack_is_ignored(stack, "x.tmp", false));
	assert_true(ignore_stack_is_ignored(stack, "x.o", false));
	ignore_stack_free(stack);
}

static void test_source_ignore__invalid_folder_rejected(void **state)
{
	struct fixture *fx = *state;
	ignore_stack *stack = NULL;
	const char *invalid[] = { "..", "a/../b", "/abs", "a/", "a//b", "./a" };

	assert_int_equal(ignore_stack_new(&stack, fx->root), 0);
	for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++) {
		assert_int_equal(ignore_stack_push_dir(stack, invalid[i]), NHI_EINVALID);
		ignore_stack_pop_dir(stack);
	}
	ignore_stack_free(stack);
	ignore_stack_free(NULL);
}

/* ---- the walk as a whole --------------------------------------------------------------- */

static void test_source_ignore__walk_lists_what_git_lists(void **state)
{
	struct fixture *fx = *state;
	char listed[WALK_OUTPUT_MAX];

	write_text(fx, ".git/info/exclude", "local/\n");
	write_text(fx, ".gitignore", "*.log\n/dist\nnode_modules/\n!important.log\n");
	write_text(fx, "app/.gitignore", "!debug.log\n*.cache\n");
	write_text(fx, "app/debug.log", "");
	write_text(fx, "app/main.c", "");
	write_text(fx, "app/x.cache", "");
	write_text(fx, "app/node_modules/pkg/index.js", "");
	write_text(fx, "app/dist/keep.txt", "");
	write_text(fx, "dist/bundle.js", "");
	write_text(fx, "important.log", "");
	write_text(fx, "local/notes.txt", "");
	write_text(fx, "other.log", "");
	walk_tree(fx, listed, sizeof(listed));
	assert_string_equal(listed,
		".gitignore\n"
		"app/.gitignore\n"
		"app/debug.log\n"
		"app/dist/keep.txt\n"
		"app/main.c\n"
		"important.log\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define TREE_TEST(name) cmocka_unit_test_setup_teardown(name, setup_tree, teardown_tree)
		TREE_TEST(test_source_ignore__comments_and_blank_lines_skipped),
		TREE_TEST(test_source_ignore__escaped_hash_matches_literal),
		TREE_TEST(test_source_ignore__trailing_spaces_trimmed),
		TREE_TEST(test_source_ignore__escaped_trailing_space_kept),
		TREE_TEST(test_source_ignore__trailing_tab_kept),
		TREE_TEST(test_source_ignore__escaped_exclamation_matches_literal),
		TREE_TEST(test_source_ignore__escaped_wildcard_is_literal),
		TREE_TEST(test_source_ignore__trailing_backslash_never_matches),
		TREE_TEST(test_source_ignore__escaped_backslash_matches),
		TREE_TEST(test_source_ignore__negation_later_wins),
		TREE_TEST(test_source_ignore__negation_earlier_loses),
		TREE_TEST(test_source_ignore__excluded_folder_hides_reincluded_file),
		TREE_TEST(test_source_ignore__folder_contents_reincluded),
		TREE_TEST(test_source_ignore__folder_only_pattern_skips_files),
		TREE_TEST(test_source_ignore__folder_only_pattern_matches_at_any_depth),
		TREE_TEST(test_source_ignore__folder_only_pattern_with_middle_slash),
		TREE_TEST(test_source_ignore__leading_slash_anchors),
		TREE_TEST(test_source_ignore__middle_slash_anchors),
		TREE_TEST(test_source_ignore__name_matches_at_any_depth),
		TREE_TEST(test_source_ignore__suffix_pattern),
		TREE_TEST(test_source_ignore__star_stops_at_slash),
		TREE_TEST(test_source_ignore__question_mark_matches_one_byte),
		TREE_TEST(test_source_ignore__bracket_range),
		TREE_TEST(test_source_ignore__bracket_negation),
		TREE_TEST(test_source_ignore__bracket_class),
		TREE_TEST(test_source_ignore__malformed_bracket_never_matches),
		TREE_TEST(test_source_ignore__leading_double_star),
		TREE_TEST(test_source_ignore__leading_double_star_with_path),
		TREE_TEST(test_source_ignore__trailing_double_star),
		TREE_TEST(test_source_ignore__middle_double_star),
		TREE_TEST(test_source_ignore__double_star_inside_component_is_star),
		TREE_TEST(test_source_ignore__double_star_after_literal_prefix),
		TREE_TEST(test_source_ignore__star_alone_and_negation),
		TREE_TEST(test_source_ignore__hostile_pattern_stays_fast),
		TREE_TEST(test_source_ignore__nested_gitignore_overrides_parent),
		TREE_TEST(test_source_ignore__parent_rule_applies_when_child_silent),
		TREE_TEST(test_source_ignore__nested_patterns_anchor_to_own_folder),
		TREE_TEST(test_source_ignore__nested_rules_dropped_after_pop),
		TREE_TEST(test_source_ignore__info_exclude_applies),
		TREE_TEST(test_source_ignore__gitignore_overrides_info_exclude),
		TREE_TEST(test_source_ignore__root_level_push_loads_nothing),
		TREE_TEST(test_source_ignore__crlf_line_ends),
		TREE_TEST(test_source_ignore__utf8_bom_skipped),
		TREE_TEST(test_source_ignore__last_line_without_newline),
		TREE_TEST(test_source_ignore__non_utf8_bytes),
		TREE_TEST(test_source_ignore__very_long_line),
		TREE_TEST(test_source_ignore__missing_files_are_not_errors),
		TREE_TEST(test_source_ignore__unreadable_file_returns_eio),
		TREE_TEST(test_source_ignore__gitignore_folder_returns_eio),
		TREE_TEST(test_source_ignore__symlinked_gitignore_not_followed),
		TREE_TEST(test_source_ignore__symlinked_info_exclude_followed),
		TREE_TEST(test_source_ignore__oversized_file_rejected),
		TREE_TEST(test_source_ignore__failed_push_still_pairs_with_pop),
		TREE_TEST(test_source_ignore__invalid_folder_rejected),
		TREE_TEST(test_source_ignore__walk_lists_what_git_lists),
#undef TREE_TEST
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
