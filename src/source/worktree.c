/*
 * Directory walk of the working-tree source; see worktree.h.
 */
#include "source/worktree.h"
#include "source/ignore.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
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
	const char *root;        /* the scan root as given */
	char *prefix;            /* scan root relative to the work tree top, "" or "dir/" */
};

void source_file_entry_free(void *entry)
{
	struct nhi_file_entry *file = entry;

	if (file)
		free(file->path);
	free(file);
}

/* Record "cannot read <what> '<path>': <reason>; skipped" and go on. */
static int warn(struct walk *walk, const char *what, const char *path, int errnum)
{
	struct nhi_buf message = NHI_BUF_INIT;

	if (nhi_buf_printf(&message, "cannot read %s '%s': %s; skipped", what, path, strerror(errnum)) < 0)
		return NHI_ENOMEM;
	return nhi_vec_push(walk->warnings, nhi_buf_detach(&message));
}

static int warn_error(struct walk *walk)
{
	char *message = strdup(nhi_error_last());

	nhi_error_clear();
	if (!message)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	return nhi_vec_push(walk->warnings, message);
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

/* Path relative to the work tree top, for the ignore rules. */
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

static bool is_excluded(struct walk *walk, const char *relpath, bool is_dir)
{
	bool ignored = false;

	if (config_settings_skips_path(walk->settings, relpath))
		return true;
	if (walk->ignores) {
		char *full = top_relative(walk, relpath);

		ignored = full && ignore_stack_is_ignored(walk->ignores, full, is_dir);
		free(full);
	}
	return ignored;
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

static int walk_folder(struct walk *walk, const char *relpath);

static int visit_entry(struct walk *walk, const char *relpath)
{
	char *fullpath = relpath[0] ? nhi_path_join(walk->root, relpath) : strdup(walk->root);
	struct stat st;
	int error = 0;

	if (!fullpath)
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	if (lstat(fullpath, &st) < 0) {
		error = warn(walk, "file", relpath, errno);
		goto done;
	}
	if (S_ISLNK(st.st_mode)) {
		walk->stats->symlinks++;
	} else if (S_ISDIR(st.st_mode)) {
		if (is_excluded(walk, relpath, true))
			walk->stats->ignored++;
		else
			error = walk_folder(walk, relpath);
	} else if (S_ISREG(st.st_mode)) {
		if (is_excluded(walk, relpath, false))
			walk->stats->ignored++;
		else
			error = add_file(walk, relpath, st.st_size);
	} else {
		walk->stats->special++;
	}

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

static int walk_folder(struct walk *walk, const char *relpath)
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
			error = nhi_error_set(NHI_EIO, "cannot read folder '%s': %s", walk->root, strerror(errno));
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
		error = visit_entry(walk, child);
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

/* Load the ignore rules of the work tree that contains root, and of each folder down to root. */
static int open_ignores(struct walk *walk)
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

int source_worktree_list(struct nhi_vec *out, struct nhi_walk_stats *stats, struct nhi_vec *warnings,
			 const char *root, const struct nhi_settings *settings)
{
	struct walk walk = { out, stats, warnings, settings, NULL, root, NULL };
	struct stat st;
	int error;

	if (stat(root, &st) < 0)
		return nhi_error_set(NHI_ENOTFOUND, "cannot scan '%s': %s", root, strerror(errno));

	if (!S_ISDIR(st.st_mode)) {
		/* A single file: its name is its path. */
		const char *name = strrchr(root, '/');

		return add_file(&walk, name ? name + 1 : root, st.st_size);
	}

	if ((error = open_ignores(&walk)) < 0)
		goto done;
	error = walk_folder(&walk, "");

done:
	ignore_stack_free(walk.ignores);
	free(walk.prefix);
	return error;
}
