/*
 * `nhiscan install-hooks [PATH]`: install the pre-commit and pre-push hooks into a repository's
 * hooks folder, which is core.hooksPath when it is set and the hooks folder of the repository's
 * git directory otherwise. Reading the repository's configuration is fine here, unlike in a
 * scan, because the user runs this command on a repository of their own.
 *
 * A hook that is already there and is not nhiscan's is renamed to NAME.nhiscan-chained, and
 * nhiscan's script runs it first with the same arguments and input, so both checks apply.
 * Installing again only refreshes nhiscan's scripts; --uninstall puts the chained hooks back.
 *
 * The scripts are hooks/pre-commit and hooks/pre-push, compiled into the binary by the build
 * (nhi_embedded_hooks), because an installed binary has no source tree to read them from. The
 * installer fills in its own path as the default binary.
 */
#include "cli/cli.h"
#include "config/embedded.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The suffix of an existing hook that nhiscan's hook runs first. */
#define CHAINED_SUFFIX ".nhiscan-chained"

/* The line that marks a hook file as nhiscan's, followed by the hook name. */
#define HOOK_MARKER "\n# nhiscan-hook: "

/* The line of each script that names the default binary; the installer replaces its value. */
#define DEFAULT_BINARY_LINE "\nnhiscan_default=nhiscan\n"

/* Hooks larger than this are not read to look for the marker: no script of ours is that big. */
#define MAX_HOOK_SIZE ((size_t)1 << 20)

struct hook_script {
	const char *name;
	const char *file;  /* its name among nhi_embedded_hooks */
};

static const struct hook_script hook_scripts[] = {
	{ "pre-commit", "hooks/pre-commit" },
	{ "pre-push", "hooks/pre-push" },
};

#define HOOK_COUNT (sizeof(hook_scripts) / sizeof(hook_scripts[0]))

/* Return the text of the hook script compiled into the binary, or NULL. */
static const char *find_script_text(const struct hook_script *script)
{
	for (size_t i = 0; i < nhi_embedded_hooks_count; i++)
		if (strcmp(nhi_embedded_hooks[i].name, script->file) == 0)
			return (const char *)nhi_embedded_hooks[i].data;
	return NULL;
}

static const struct cli_option hooks_options[] = {
	{ "hook", 0, "NAME", "install only NAME: pre-commit or pre-push (default: both)" },
	{ "uninstall", 0, NULL, "remove nhiscan's hooks and restore the hooks they chained" },
	{ "print", 0, NULL, "print the hooks folder and the script of each hook; change nothing" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_command cli_install_hooks_command = {
	"install-hooks",
	"nhiscan install-hooks [options] [PATH]",
	"Install the pre-commit hook (scan --staged) and the pre-push hook (the commits being\n"
	"pushed) into the repository at PATH (default: the current folder or the repository that\n"
	"contains it). The hooks folder is core.hooksPath when set, else .git/hooks. An existing\n"
	"hook is kept as NAME.nhiscan-chained and still runs, before nhiscan. Running the command\n"
	"again updates nhiscan's hooks and leaves the chained ones alone. The hooks run this\n"
	"binary, or $NHISCAN when set.",
	hooks_options,
	cmd_install_hooks,
};

struct hooks_args {
	bool selected[HOOK_COUNT];
	bool any_selected;
	bool uninstall;
	bool print;
};

enum hook_state {
	HOOK_ABSENT,
	HOOK_OURS,
	HOOK_OTHER,
};

enum hook_action {
	HOOK_INSTALLED,   /* there was no hook */
	HOOK_CHAINED,     /* another hook was there and now runs first */
	HOOK_UPDATED,     /* nhiscan's older script was replaced */
	HOOK_UNCHANGED,   /* nhiscan's script was already this one */
	HOOK_REMOVED,     /* uninstalled, nothing chained */
	HOOK_RESTORED,    /* uninstalled, the chained hook is back in place */
	HOOK_NOT_OURS,    /* uninstall found no nhiscan hook */
};

static int on_hooks_option(void *payload, const char *name, const char *value)
{
	struct hooks_args *args = payload;

	if (strcmp(name, "hook") == 0) {
		for (size_t i = 0; i < HOOK_COUNT; i++) {
			if (strcmp(value, hook_scripts[i].name) == 0) {
				args->selected[i] = true;
				args->any_selected = true;
				return 0;
			}
		}
		cli_error("invalid hook '%s'; use pre-commit or pre-push", value);
		return NHI_EXIT_ERROR;
	}
	if (strcmp(name, "uninstall") == 0)
		args->uninstall = true;
	else if (strcmp(name, "print") == 0)
		args->print = true;
	return 0;
}

static int set_git_error(const char *what, const char *path)
{
	const git_error *e = git_error_last();

	return nhi_error_set(NHI_EINVALID, "cannot %s '%s': %s", what, path,
			     e && e->message ? e->message : "unknown error");
}

/*
 * Store in *out the hooks folder of the repository that contains path, as git picks it: a
 * relative core.hooksPath is relative to the work tree (the git directory when bare).
 */
static int find_hooks_dir(char **out, const char *path)
{
	git_repository *repo = NULL;
	git_config *config = NULL;
	git_buf configured = { 0 };
	const char *base;
	char *dir = NULL;
	int error = 0;

	if (git_repository_open_ext(&repo, path, 0, NULL) < 0) {
		error = set_git_error("find a git repository at", path);
		goto done;
	}
	if (git_repository_config_snapshot(&config, repo) < 0) {
		error = set_git_error("read the configuration of", path);
		goto done;
	}

	if (git_config_get_path(&configured, config, "core.hooksPath") == 0 && configured.size > 0) {
		base = git_repository_workdir(repo) ? git_repository_workdir(repo) : git_repository_path(repo);
		dir = configured.ptr[0] == '/' ? strdup(configured.ptr) : nhi_path_join(base, configured.ptr);
	} else {
		dir = nhi_path_join(git_repository_commondir(repo), "hooks");
	}
	if (!dir) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	*out = dir;

done:
	git_buf_dispose(&configured);
	git_config_free(config);
	git_repository_free(repo);
	return error;
}

/* Append text to out with single quotes around it, as the shell reads it back unchanged. */
static int put_shell_quoted(struct nhi_buf *out, const char *text)
{
	int error = nhi_buf_putc(out, '\'');

	for (const char *p = text; *p && error == 0; p++)
		error = *p == '\'' ? nhi_buf_puts(out, "'\\''") : nhi_buf_putc(out, *p);
	return error ? error : nhi_buf_putc(out, '\'');
}

/* Render a hook script with binary as its default nhiscan; NULL keeps `nhiscan` from PATH. */
static int render_script(struct nhi_buf *out, const char *script, const char *binary)
{
	const char *line = strstr(script, DEFAULT_BINARY_LINE);
	const char *rest;
	int error;

	if (!binary || !line)
		return nhi_buf_puts(out, script);

	rest = line + strlen(DEFAULT_BINARY_LINE);
	error = nhi_buf_put(out, script, (size_t)(line - script));
	if (error == 0)
		error = nhi_buf_puts(out, "\nnhiscan_default=");
	if (error == 0)
		error = put_shell_quoted(out, binary);
	if (error == 0)
		error = nhi_buf_putc(out, '\n');
	return error ? error : nhi_buf_puts(out, rest);
}

/* Return the absolute path of this binary, or NULL when /proc/self/exe cannot be read. */
static char *find_own_binary(void)
{
	char path[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", path, sizeof(path) - 1);

	if (len <= 0)
		return NULL;
	path[len] = '\0';
	return strdup(path);
}

/*
 * Store in *state whether path is absent, nhiscan's hook called name, or another hook. When it
 * is nhiscan's, *content (caller frees) receives the file.
 */
static int read_hook_state(enum hook_state *state, char **content, const char *path, const char *name)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	char marker[64];
	int error;

	*content = NULL;
	if (lstat(path, &st) < 0) {
		if (errno != ENOENT)
			return nhi_error_set(NHI_EIO, "cannot read '%s': %s", path, strerror(errno));
		*state = HOOK_ABSENT;
		return 0;
	}
	*state = HOOK_OTHER;
	/* A dangling symbolic link or a folder is another hook, never nhiscan's. */
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_HOOK_SIZE)
		return 0;

	if ((error = nhi_fs_read_file(&data, &len, path, MAX_HOOK_SIZE)) < 0)
		return error;
	snprintf(marker, sizeof(marker), "%s%s\n", HOOK_MARKER, name);
	if (strstr(data, marker)) {
		*state = HOOK_OURS;
		*content = data;
		return 0;
	}
	free(data);
	return 0;
}

/* Write content to a new executable file next to path and return its name in *out. */
static int write_temporary(char **out, const char *path, const struct nhi_buf *content)
{
	size_t len = strlen(path) + sizeof(".tmp.XXXXXX");
	char *tmp = malloc(len);
	int fd = -1;
	int error = 0;

	if (!tmp)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	snprintf(tmp, len, "%s.tmp.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		error = nhi_error_set(NHI_EIO, "cannot create a file next to '%s': %s", path, strerror(errno));
		goto done;
	}
	if (write(fd, content->ptr, content->size) != (ssize_t)content->size || fchmod(fd, 0755) < 0) {
		error = nhi_error_set(NHI_EIO, "cannot write '%s': %s", tmp, strerror(errno));
		goto done;
	}
	if (close(fd) < 0) {
		fd = -1;
		error = nhi_error_set(NHI_EIO, "cannot write '%s': %s", tmp, strerror(errno));
		goto done;
	}
	fd = -1;
	*out = tmp;
	tmp = NULL;

done:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	free(tmp);
	return error;
}

static bool path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/*
 * Install one hook at path. Another hook there moves to chained only once the new script is
 * written, and moves back if the new script cannot be put in place.
 */
static int install_hook(enum hook_action *out, const char *path, const char *chained, const char *name,
			const struct nhi_buf *content)
{
	enum hook_state state;
	char *current = NULL;
	char *tmp = NULL;
	enum hook_action action;
	int error;

	if ((error = read_hook_state(&state, &current, path, name)) < 0)
		goto done;
	if (state == HOOK_OURS && strcmp(current, content->ptr) == 0) {
		*out = HOOK_UNCHANGED;
		goto done;
	}
	if (state == HOOK_OTHER && path_exists(chained)) {
		error = nhi_error_set(NHI_EINVALID,
				      "cannot chain '%s': '%s' already exists; merge the two hooks into '%s' and run install-hooks again",
				      path, chained, chained);
		goto done;
	}

	if ((error = write_temporary(&tmp, path, content)) < 0)
		goto done;
	if (state == HOOK_ABSENT)
		action = HOOK_INSTALLED;
	else if (state == HOOK_OURS)
		action = HOOK_UPDATED;
	else
		action = HOOK_CHAINED;
	if (action == HOOK_CHAINED && rename(path, chained) < 0) {
		error = nhi_error_set(NHI_EIO, "cannot rename '%s' to '%s': %s", path, chained, strerror(errno));
		goto done;
	}
	if (rename(tmp, path) < 0) {
		error = nhi_error_set(NHI_EIO, "cannot write '%s': %s", path, strerror(errno));
		if (action == HOOK_CHAINED)
			rename(chained, path);
		goto done;
	}
	*out = action;

done:
	if (error < 0 && tmp)
		unlink(tmp);
	free(tmp);
	free(current);
	return error;
}

/* Remove nhiscan's hook at path and put the chained hook back in its place. */
static int uninstall_hook(enum hook_action *out, const char *path, const char *chained, const char *name)
{
	enum hook_state state;
	char *current = NULL;
	int error;

	if ((error = read_hook_state(&state, &current, path, name)) < 0)
		return error;
	free(current);
	if (state != HOOK_OURS) {
		*out = HOOK_NOT_OURS;
		return 0;
	}
	if (path_exists(chained)) {
		if (rename(chained, path) < 0)
			return nhi_error_set(NHI_EIO, "cannot rename '%s' to '%s': %s", chained, path, strerror(errno));
		*out = HOOK_RESTORED;
		return 0;
	}
	if (unlink(path) < 0)
		return nhi_error_set(NHI_EIO, "cannot remove '%s': %s", path, strerror(errno));
	*out = HOOK_REMOVED;
	return 0;
}

static void print_action(enum hook_action action, const char *name, const char *path, const char *chained)
{
	switch (action) {
	case HOOK_INSTALLED:
		printf("installed the %s hook in '%s'\n", name, path);
		break;
	case HOOK_CHAINED:
		printf("installed the %s hook in '%s'; the existing hook is now '%s' and runs first\n",
		       name, path, chained);
		break;
	case HOOK_UPDATED:
		printf("updated the %s hook in '%s'\n", name, path);
		break;
	case HOOK_UNCHANGED:
		printf("the %s hook in '%s' is up to date\n", name, path);
		break;
	case HOOK_REMOVED:
		printf("removed the %s hook '%s'\n", name, path);
		break;
	case HOOK_RESTORED:
		printf("removed the %s hook '%s' and restored the hook it chained\n", name, path);
		break;
	case HOOK_NOT_OURS:
		printf("no nhiscan %s hook in '%s'; nothing to remove\n", name, path);
		break;
	}
}

/* Install, uninstall or print one hook; prints what it did. */
static int apply_hook(const struct hooks_args *args, const char *dir, const struct hook_script *script,
		      const char *binary)
{
	struct nhi_buf content = NHI_BUF_INIT;
	char *path = nhi_path_join(dir, script->name);
	char *chained = NULL;
	enum hook_action action = HOOK_UNCHANGED;
	int status = 0;

	if (!path || !(chained = malloc(strlen(path) + sizeof(CHAINED_SUFFIX)))) {
		cli_error("out of memory");
		status = NHI_EXIT_ERROR;
		goto done;
	}
	snprintf(chained, strlen(path) + sizeof(CHAINED_SUFFIX), "%s%s", path, CHAINED_SUFFIX);

	if (args->uninstall) {
		if (uninstall_hook(&action, path, chained, script->name) < 0)
			status = NHI_EXIT_ERROR;
	} else if (!find_script_text(script)) {
		cli_error("the %s script is not compiled into this binary; rebuild nhiscan", script->name);
		status = NHI_EXIT_ERROR;
	} else if (render_script(&content, find_script_text(script), binary) < 0) {
		status = NHI_EXIT_ERROR;
	} else if (args->print) {
		printf("# %s\n%s", path, content.ptr);
		goto done;
	} else if (install_hook(&action, path, chained, script->name, &content) < 0) {
		status = NHI_EXIT_ERROR;
	}

	if (status != 0)
		cli_error("%s", nhi_error_last());
	else
		print_action(action, script->name, path, chained);

done:
	nhi_buf_dispose(&content);
	free(chained);
	free(path);
	return status;
}

int cmd_install_hooks(int argc, char **argv)
{
	struct hooks_args args = { 0 };
	char **positional = NULL;
	size_t positional_count = 0;
	char *dir = NULL;
	char *binary = NULL;
	int status;

	git_libgit2_init();
	status = cli_parse(&cli_install_hooks_command, argc, argv, on_hooks_option, &args, &positional,
			   &positional_count);
	if (status != 0) {
		status = status < 0 ? NHI_EXIT_CLEAN : status;
		goto done;
	}
	if (positional_count > 1) {
		cli_error("'install-hooks' takes one PATH, got %zu; run 'nhiscan install-hooks --help'",
			  positional_count);
		status = NHI_EXIT_ERROR;
		goto done;
	}
	if (args.uninstall && args.print) {
		cli_error("options '--uninstall' and '--print' cannot be used together");
		status = NHI_EXIT_ERROR;
		goto done;
	}

	if (find_hooks_dir(&dir, positional_count ? positional[0] : ".") < 0 ||
	    (!args.print && !args.uninstall && nhi_fs_mkdir_p(dir) < 0)) {
		cli_error("%s", nhi_error_last());
		status = NHI_EXIT_ERROR;
		goto done;
	}
	binary = find_own_binary();

	for (size_t i = 0; i < HOOK_COUNT; i++) {
		if (args.any_selected && !args.selected[i])
			continue;
		if (apply_hook(&args, dir, &hook_scripts[i], binary) != 0)
			status = NHI_EXIT_ERROR;
	}

done:
	free(binary);
	free(dir);
	free(positional);
	git_libgit2_shutdown();
	return status;
}
