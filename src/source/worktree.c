/*
 * Directory walk of the working-tree source; see worktree.h.
 *
 * Inside a git work tree the walk checks each path below the scan root against the .gitignore
 * rules (ignore.c) and the git index (read with libgit2). Only a path that is ignored and not
 * tracked is left out, as git leaves it out of `git status`.
 */
#include "source/worktree.h"
#include "source/ignore.h"
#include "git/path.h"
#include "git/repo.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct walk {
	struct nhi_vec *out;
	struct nhi_walk_stats *stats;
	struct nhi_vec *warnings;
	const struct nhi_settings *settings;
	ignore_stack *ignores;   /* NULL outside a git work tree */
	git_repository *repo;    /* the work tree's repository, NULL when index is NULL */
	git_index *index;        /* NULL outside a git work tree or when the index is unreadable */
	const char *root;        /* the scan root as given */
	char *prefix;            /* scan root relative to the work tree top, "" or "dir/" */
};

/* Walk mode for the entries of one folder. */
enum folder_mode {
	FOLDER_ALL,          /* list what the ignore rules and skip-paths let through */
	FOLDER_TRACKED_ONLY, /* the folder is ignored: list only entries that the git index contains */
};

void source_file_entry_free(void *entry)
{
	struct nhi_file_entry *file = entry;

	if (file)
		free(file->path);
	free(file);
}

/*
 * Append message to the warnings in display form, so that a control character or invalid UTF-8
 * in a file name cannot reach the terminal raw.
 */
static int push_warning(struct walk *walk, const char *message)
{
	struct nhi_buf display = NHI_BUF_INIT;
	bool escaped;
	int error;

	if ((error = nhi_git_path_display(&display, message, &escaped)) < 0 ||
	    (error = nhi_vec_push(walk->warnings, display.ptr)) < 0) {
		nhi_buf_dispose(&display);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	return 0;
}

/* Record "cannot read <what> '<path>': <reason>; skipped", count it as unreadable and go on. */
static int warn(struct walk *walk, const char *what, const char *path, int errnum)
{
	struct nhi_buf message = NHI_BUF_INIT;
	int error;

	walk->stats->unreadable++;
	if (nhi_buf_printf(&message, "cannot read %s '%s': %s; skipped", what, path, strerror(errnum)) < 0)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	error = push_warning(walk, message.ptr);
	nhi_buf_dispose(&message);
	return error;
}

/* Record "<what> '<path>': <reason>" as this thread's error, with path in display form. */
static int set_path_error(int code, const char *what, const char *path, int errnum)
{
	struct nhi_buf display = NHI_BUF_INIT;
	bool escaped;

	if (nhi_git_path_display(&display, path, &escaped) < 0)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	code = nhi_error_set(code, "%s '%s': %s", what, display.ptr, strerror(errnum));
	nhi_buf_dispose(&display);
	return code;
}

/* Record why the git directory root cannot be walked, and what to run instead. */
static int set_git_dir_error(const char *root)
{
	struct nhi_buf display = NHI_BUF_INIT;
	bool escaped;
	int error;

	if (nhi_git_path_display(&display, root, &escaped) < 0)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	error = nhi_error_set(NHI_EINVALID, "cannot scan '%s': it is a bare git repository or a .git "
			      "folder, which holds no work-tree files; use --git to scan its history",
			      display.ptr);
	nhi_buf_dispose(&display);
	return error;
}

/* Move this thread's last error message to the warnings. */
static int warn_error(struct walk *walk)
{
	int error = push_warning(walk, nhi_error_last());

	if (error == 0)
		nhi_error_clear();
	return error;
}

char *source_find_worktree_top(const char *path)
{
	char resolved[PATH_MAX];
	struct stat st;

	if (!realpath(path, resolved))
		return NULL;
	for (;;) {
		char *git = nhi_path_join(resolved, ".git");
		bool found = git && lstat(git, &st) == 0;

		free(git);
		if (found)
			return strdup(resolved);

		char *slash = strrchr(resolved, '/');

		if (!slash || slash == resolved)
			return NULL;
		*slash = '\0';
	}
}

/* Path relative to the work tree top, for the ignore rules and the index. */
static char *top_relative(const struct walk *walk, const char *relpath)
{
	size_t plen = strlen(walk->prefix);
	size_t rlen = strlen(relpath);
	char *out = malloc(plen + rlen + 1);

	if (!out)
		return NULL;
	memcpy(out, walk->prefix, plen);
	memcpy(out + plen, relpath, rlen + 1);
	return out;
}

static bool is_git_ignored(struct walk *walk, const char *relpath, bool is_dir)
{
	bool ignored = false;

	if (walk->ignores) {
		char *full = top_relative(walk, relpath);

		ignored = full && ignore_stack_is_ignored(walk->ignores, full, is_dir);
		free(full);
	}
	return ignored;
}

/* Return whether the git index has an entry at relpath, at any stage. */
static bool is_tracked(struct walk *walk, const char *relpath)
{
	char *full;
	bool found;

	if (!walk->index)
		return false;
	full = top_relative(walk, relpath);
	found = full && git_index_find(NULL, walk->index, full) == 0;
	free(full);
	return found;
}

/* Return whether the git index has an entry below the folder relpath. */
static bool holds_tracked(struct walk *walk, const char *relpath)
{
	struct nhi_buf folder = NHI_BUF_INIT;
	bool found;

	if (!walk->index)
		return false;
	found = nhi_buf_printf(&folder, "%s%s/", walk->prefix, relpath) == 0 &&
		git_index_find_prefix(NULL, walk->index, folder.ptr) == 0;
	nhi_buf_dispose(&folder);
	return found;
}

static int add_file(struct walk *walk, const char *relpath, off_t size)
{
	struct nhi_file_entry *file = calloc(1, sizeof(*file));

	if (!file || !(file->path = strdup(relpath))) {
		free(file);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	file->size = size;
	return nhi_vec_push(walk->out, file);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk_folder(struct walk *walk, const char *relpath, enum folder_mode mode);

/*
 * Enter the folder relpath, or count it as ignored. An ignored folder is still entered when
 * the index tracks files below it, for those files alone. A submodule (a tracked folder, which
 * the index lists as one entry) is entered as usual, because its files are in its own index.
 */
static int visit_folder(struct walk *walk, const char *relpath, enum folder_mode mode)
{
	if (config_settings_skips_path(walk->settings, relpath)) {
		walk->stats->ignored++;
		return 0;
	}
	if (mode == FOLDER_ALL && !is_git_ignored(walk, relpath, true))
		return walk_folder(walk, relpath, FOLDER_ALL);
	if (is_tracked(walk, relpath))
		return walk_folder(walk, relpath, FOLDER_ALL);
	if (holds_tracked(walk, relpath))
		return walk_folder(walk, relpath, FOLDER_TRACKED_ONLY);
	walk->stats->ignored++;
	return 0;
}

/* List the file relpath unless skip-paths leave it out, or git ignores it and does not track it. */
static int visit_file(struct walk *walk, const char *relpath, enum folder_mode mode, off_t size)
{
	bool listed;

	if (config_settings_skips_path(walk->settings, relpath))
		listed = false;
	else if (mode == FOLDER_ALL && !is_git_ignored(walk, relpath, false))
		listed = true;
	else
		listed = is_tracked(walk, relpath);

	if (!listed) {
		walk->stats->ignored++;
		return 0;
	}
	return add_file(walk, relpath, size);
}

static int visit_entry(struct walk *walk, const char *relpath, enum folder_mode mode)
{
	char *fullpath = nhi_path_join(walk->root, relpath);
	struct stat st;
	int error = 0;

	if (!fullpath)
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	if (lstat(fullpath, &st) < 0) {
		error = warn(walk, "file", relpath, errno);
		goto done;
	}
	if (S_ISLNK(st.st_mode))
		walk->stats->symlinks++;
	else if (S_ISDIR(st.st_mode))
		error = visit_folder(walk, relpath, mode);
	else if (S_ISREG(st.st_mode))
		error = visit_file(walk, relpath, mode, st.st_size);
	else
		walk->stats->special++;

done:
	free(fullpath);
	return error;
}

static int read_names(struct nhi_vec *names, DIR *dir)
{
	struct dirent *entry;
	int error;

	while ((entry = readdir(dir)) != NULL) {
		const char *name = entry->d_name;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strcmp(name, ".git") == 0)
			continue;
		char *copy = strdup(name);

		if (!copy)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		if ((error = nhi_vec_push(names, copy)) < 0) {
			free(copy);
			return error;
		}
	}
	nhi_vec_sort(names, compare_strings);
	return 0;
}

static int enter_ignores(struct walk *walk, const char *relpath)
{
	char *full;
	int error;

	if (!walk->ignores)
		return 0;
	full = top_relative(walk, relpath);
	if (!full)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	/* The root's own rules were loaded with the stack unless the root is a subfolder. */
	size_t len = strlen(full);

	if (len && full[len - 1] == '/')
		full[len - 1] = '\0';
	error = ignore_stack_push_dir(walk->ignores, full);
	free(full);
	if (error < 0 && error != NHI_ENOMEM)
		return warn_error(walk);
	return error;
}

static int walk_folder(struct walk *walk, const char *relpath, enum folder_mode mode)
{
	char *fullpath = relpath[0] ? nhi_path_join(walk->root, relpath) : strdup(walk->root);
	struct nhi_vec names = NHI_VEC_INIT;
	DIR *dir = NULL;
	bool pushed = false;
	int error = 0;

	if (!fullpath)
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	dir = opendir(fullpath);
	if (!dir) {
		if (!relpath[0])
			error = set_path_error(NHI_EIO, "cannot read folder", walk->root, errno);
		else
			error = warn(walk, "folder", relpath, errno);
		goto done;
	}

	if (relpath[0]) {
		if ((error = enter_ignores(walk, relpath)) < 0)
			goto done;
		pushed = walk->ignores != NULL;
	}
	if ((error = read_names(&names, dir)) < 0)
		goto done;

	for (size_t i = 0; i < names.count && error == 0; i++) {
		char *child = relpath[0] ? nhi_path_join(relpath, names.items[i]) : strdup(names.items[i]);

		if (!child) {
			error = nhi_error_set(NHI_ENOMEM, "out of memory");
			break;
		}
		error = visit_entry(walk, child, mode);
		free(child);
	}

done:
	if (pushed)
		ignore_stack_pop_dir(walk->ignores);
	if (dir)
		closedir(dir);
	nhi_vec_dispose_all(&names, NULL);
	free(fullpath);
	return error;
}

/*
 * Open the git index of the work tree whose top folder is top. An index that cannot be read
 * becomes a warning, and the walk goes on with the ignore rules alone.
 */
static int open_index(struct walk *walk, const char *top)
{
	struct nhi_buf message = NHI_BUF_INIT;
	int error;

	error = nhi_git_repo_open(&walk->repo, top);
	if (error == NHI_ENOTFOUND)
		nhi_error_set(error, "cannot read the git index of '%s': its .git does not lead to a git "
			      "repository", top);
	else if (error == 0 && git_repository_index(&walk->index, walk->repo) < 0)
		error = nhi_git_error_set(NHI_EIO, "cannot read the git index of '%s'", top);
	if (error == 0)
		return 0;

	git_repository_free(walk->repo);
	walk->repo = NULL;
	walk->index = NULL;
	if (error == NHI_ENOMEM)
		return error;
	if (nhi_buf_printf(&message, "%s; tracked files that match .gitignore are skipped",
			   nhi_error_last()) < 0)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	nhi_error_clear();
	error = push_warning(walk, message.ptr);
	nhi_buf_dispose(&message);
	return error;
}

/*
 * Load the ignore rules of the work tree that contains root, and of each folder down to root,
 * and open its git index.
 */
static int open_work_tree(struct walk *walk)
{
	char resolved[PATH_MAX];
	char *top = source_find_worktree_top(walk->root);
	int error = 0;

	walk->prefix = strdup("");
	if (!walk->prefix)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if (!top || !realpath(walk->root, resolved))
		goto done;

	error = ignore_stack_new(&walk->ignores, top);
	if (error == NHI_ENOMEM)
		goto done;
	if (error < 0 && (error = warn_error(walk)) < 0)
		goto done;
	if ((error = open_index(walk, top)) < 0)
		goto done;

	/* For a subfolder root, load the .gitignore of every folder between the top and it. */
	size_t top_len = strlen(top);

	if (strlen(resolved) > top_len && walk->ignores) {
		free(walk->prefix);
		walk->prefix = malloc(strlen(resolved) - top_len + 1);
		if (!walk->prefix) {
			error = nhi_error_set(NHI_ENOMEM, "out of memory");
			goto done;
		}
		snprintf(walk->prefix, strlen(resolved) - top_len + 1, "%s/", resolved + top_len + 1);
		for (char *p = walk->prefix; (p = strchr(p, '/')) != NULL; p++) {
			*p = '\0';
			if (ignore_stack_push_dir(walk->ignores, walk->prefix) < 0 && (error = warn_error(walk)) < 0)
				goto done;
			*p = '/';
		}
	}

done:
	free(top);
	return error;
}

static bool has_entry(const char *dir, const char *name, mode_t type)
{
	char *path = nhi_path_join(dir, name);
	struct stat st;
	bool found;

	if (!path)
		return false;
	if (type == 0)
		found = lstat(path, &st) == 0;
	else
		found = stat(path, &st) == 0 && (st.st_mode & S_IFMT) == type;
	free(path);
	return found;
}

bool source_is_git_dir(const char *path)
{
	return !has_entry(path, ".git", 0) && has_entry(path, "HEAD", S_IFREG) &&
	       has_entry(path, "objects", S_IFDIR) && has_entry(path, "refs", S_IFDIR);
}

int source_worktree_list(struct nhi_vec *out, struct nhi_walk_stats *stats, struct nhi_vec *warnings,
			 const char *root, const struct nhi_settings *settings)
{
	struct walk walk = { out, stats, warnings, settings, NULL, NULL, NULL, root, NULL };
	struct stat st;
	int error;

	if (stat(root, &st) < 0)
		return set_path_error(NHI_ENOTFOUND, "cannot scan", root, errno);

	if (!S_ISDIR(st.st_mode)) {
		/* A single file: its name is its path. */
		const char *name = strrchr(root, '/');

		return add_file(&walk, name ? name + 1 : root, st.st_size);
	}
	if (source_is_git_dir(root))
		return set_git_dir_error(root);

	if ((error = open_work_tree(&walk)) < 0)
		goto done;
	error = walk_folder(&walk, "", FOLDER_ALL);

done:
	git_index_free(walk.index);
	git_repository_free(walk.repo);
	ignore_stack_free(walk.ignores);
	free(walk.prefix);
	return error;
}
