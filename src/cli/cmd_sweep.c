/*
 * `nhiscan sweep`: build the inventory of every repository of an organisation and the
 * organisation inventory that joins them. The repositories are the git repositories directly
 * inside a folder, or the lines of a list file (--list). The work is in src/core/sweep.c; this
 * file resolves the options, shows progress and prints the summary.
 */
#include "cli/cli.h"
#include "core/sweep.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* NOTE: a list file larger than this is rejected. 64 MiB is about a million URLs. */
#define MAX_LIST_SIZE ((size_t)64 << 20)

static const struct cli_option sweep_options[] = {
	{ "output", 'o', "DIR", "write the inventories and the state to DIR (default: nhiscan-sweep)" },
	{ "list", 'l', "FILE", "sweep the paths and clone URLs listed in FILE, one a line ('-': standard input)" },
	{ "jobs", 'j', "N", "sweep N repositories at a time (default: one per CPU)" },
	{ "shard", 0, "K/N", "sweep only shard K of N (1 <= K <= N), chosen by a hash of each repository's key" },
	{ "git", 0, NULL, "also scan each repository's history (nhiscan inventory --git)" },
	{ "force", 0, NULL, "sweep repositories again even when their HEAD has not changed" },
	{ "clone-dir", 0, "DIR", "clone the listed URLs into DIR (default: OUTPUT/clones)" },
	{ "timeout", 0, "SECONDS", "stop a repository's inventory after SECONDS and count it as failed (default: no limit)" },
	{ "dry-run", 'n', NULL, "print the keys of the repositories that would be swept, one a line, and stop" },
	{ "quiet", 'q', NULL, "print no progress" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_command cli_sweep_command = {
	"sweep",
	"nhiscan sweep [options] (DIR | --list FILE)",
	"Build the inventory of many repositories in parallel: the git repositories directly\n"
	"inside DIR, or the local paths and clone URLs listed in FILE. Each inventory goes to\n"
	"OUTPUT/repos/ID/nhi-inventory.yaml and the organisation inventory, with the credentials\n"
	"that several repositories share and the riskiest identities first, to\n"
	"OUTPUT/org-inventory.yaml. A repository whose HEAD has not changed since it was last\n"
	"swept into OUTPUT is skipped, so an interrupted sweep resumes where it stopped.\n"
	"With --shard, combine the shards' outputs with 'nhiscan merge'. Exit status: 0 when\n"
	"every repository was swept, 2 when one or more failed or on error.",
	sweep_options,
	cmd_sweep,
};

struct sweep_args {
	struct nhi_sweep_options sweep;
	const char *list;
	unsigned shard_index;
	unsigned shard_count;
	bool dry_run;
	bool quiet;
};

/* Parse a whole number from 1 to max. */
static int parse_count(unsigned *out, const char *value, unsigned long max)
{
	char *end = NULL;
	unsigned long n = strtoul(value, &end, 10);

	if (value[0] == '-' || end == value || *end || n < 1 || n > max)
		return -1;
	*out = (unsigned)n;
	return 0;
}

static int on_sweep_option(void *payload, const char *name, const char *value)
{
	struct sweep_args *args = payload;

	if (strcmp(name, "output") == 0) {
		args->sweep.output_dir = value;
	} else if (strcmp(name, "list") == 0) {
		args->list = value;
	} else if (strcmp(name, "jobs") == 0) {
		if (parse_count(&args->sweep.jobs, value, 256) < 0) {
			cli_error("invalid job count '%s'; use a number from 1 to 256", value);
			return NHI_EXIT_ERROR;
		}
	} else if (strcmp(name, "shard") == 0) {
		if (core_sweep_parse_shard(&args->shard_index, &args->shard_count, value) < 0) {
			cli_error("%s", nhi_error_last());
			return NHI_EXIT_ERROR;
		}
	} else if (strcmp(name, "git") == 0) {
		args->sweep.history = true;
	} else if (strcmp(name, "force") == 0) {
		args->sweep.force = true;
	} else if (strcmp(name, "clone-dir") == 0) {
		args->sweep.clone_dir = value;
	} else if (strcmp(name, "timeout") == 0) {
		if (parse_count(&args->sweep.timeout_seconds, value, UINT_MAX) < 0) {
			cli_error("invalid timeout '%s'; use a number of seconds, 1 or more", value);
			return NHI_EXIT_ERROR;
		}
	} else if (strcmp(name, "dry-run") == 0) {
		args->dry_run = true;
	} else if (strcmp(name, "quiet") == 0) {
		args->quiet = true;
	}
	return 0;
}

/* Read the list file, or standard input for "-", to its end: a pipe has no size to read by. */
static int read_list(char **data, size_t *len, const char *path)
{
	if (strcmp(path, "-") == 0)
		return nhi_fs_read_fd(data, len, STDIN_FILENO, "standard input", MAX_LIST_SIZE);
	return nhi_fs_read_file(data, len, path, MAX_LIST_SIZE);
}

/*
 * List the repositories of dir, or of the list file. Finding none is an error: a sweep of no
 * repository would empty the state file and the organisation inventory of OUTPUT, and it is
 * what a mistyped folder or a list command that printed nothing gives.
 */
static int list_repos(struct nhi_vec *repos, const struct sweep_args *args, const char *dir)
{
	char *data = NULL;
	size_t len = 0;
	int error;

	if (dir) {
		if ((error = core_sweep_list_dir(repos, dir)) == 0 && repos->count == 0)
			error = nhi_error_set(NHI_EINVALID,
					      "no git repository directly inside '%s'; give the folder that contains the clones",
					      dir);
		return error;
	}
	if ((error = read_list(&data, &len, args->list)) == 0)
		error = core_sweep_list_file(repos, args->list, data, len);
	if (error == 0 && repos->count == 0 && strcmp(args->list, "-") == 0)
		error = nhi_error_set(NHI_EINVALID,
				      "the list on standard input names no repository; write one path or clone URL a line");
	else if (error == 0 && repos->count == 0)
		error = nhi_error_set(NHI_EINVALID, "the list '%s' names no repository; write one path or clone URL a line",
				      args->list);
	free(data);
	return error;
}

/* Print "sweep: 12/40 repositories, 3 up to date, 1 failed" over the previous line. */
static void print_progress(void *payload, const struct nhi_sweep_progress *progress)
{
	fprintf(stderr, "\rsweep: %zu/%zu repositories, %zu up to date, %zu failed\033[K", progress->done,
		progress->total, progress->skipped, progress->failed);
	if (progress->done == progress->total)
		fputc('\n', stderr);
}

static void print_summary(const struct nhi_sweep_result *result, const char *output_dir)
{
	for (size_t i = 0; i < result->failures.count; i++) {
		const struct nhi_sweep_failure *failure = result->failures.items[i];

		cli_warning("cannot sweep '%s': %s", failure->key, failure->message);
	}
	printf("swept %zu repositor%s: %zu scanned, %zu up to date, %zu failed; %zu credential%s shared by several repositories\n",
	       result->total, result->total == 1 ? "y" : "ies", result->scanned, result->skipped, result->failed,
	       result->reused_credentials, result->reused_credentials == 1 ? " is" : "s are");
	printf("organisation inventory: %s/%s\n", output_dir, NHI_SWEEP_ORG_FILE);
	if (result->failed)
		printf("run the same command again to retry the %zu failed repositor%s\n", result->failed,
		       result->failed == 1 ? "y" : "ies");
}

/* Check the combination of DIR, --list and --shard; one message per conflict. */
static int check_sources(const struct sweep_args *args, size_t positional_count)
{
	if (positional_count > 1) {
		cli_error("'sweep' takes one DIR, got %zu; run 'nhiscan sweep --help'", positional_count);
		return NHI_EXIT_ERROR;
	}
	if (positional_count == 1 && args->list) {
		cli_error("give either DIR or --list, not both");
		return NHI_EXIT_ERROR;
	}
	if (positional_count == 0 && !args->list) {
		cli_error("nothing to sweep; give a folder of repositories or --list FILE");
		return NHI_EXIT_ERROR;
	}
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	struct sweep_args args = { 0 };
	struct nhi_sweep_result result = { 0 };
	struct nhi_vec repos = NHI_VEC_INIT;
	char **positional = NULL;
	size_t positional_count = 0;
	char binary[PATH_MAX];
	ssize_t binary_len;
	int status;

	args.sweep.output_dir = "nhiscan-sweep";
	status = cli_parse(&cli_sweep_command, argc, argv, on_sweep_option, &args, &positional, &positional_count);
	if (status != 0)
		return status < 0 ? NHI_EXIT_CLEAN : status;
	if ((status = check_sources(&args, positional_count)) != 0)
		goto done;

	/* Each repository's inventory is built by this same binary, in a child process. */
	binary_len = readlink("/proc/self/exe", binary, sizeof(binary) - 1);
	if (binary_len <= 0) {
		cli_error("cannot find the path of this nhiscan binary in /proc/self/exe");
		status = NHI_EXIT_ERROR;
		goto done;
	}
	binary[binary_len] = '\0';
	args.sweep.nhiscan = binary;
	if (!args.quiet && isatty(STDERR_FILENO))
		args.sweep.progress = print_progress;

	if (list_repos(&repos, &args, positional_count ? positional[0] : NULL) < 0) {
		cli_error("%s", nhi_error_last());
		status = NHI_EXIT_ERROR;
		goto done;
	}
	if (args.shard_count)
		core_sweep_select_shard(&repos, args.shard_index, args.shard_count);
	if (args.dry_run) {
		for (size_t i = 0; i < repos.count; i++)
			printf("%s\n", ((struct nhi_sweep_repo *)repos.items[i])->key);
		status = NHI_EXIT_CLEAN;
		goto done;
	}
	if (core_sweep_run(&result, &repos, &args.sweep) < 0) {
		cli_error("%s", nhi_error_last());
		status = NHI_EXIT_ERROR;
		goto done;
	}
	print_summary(&result, args.sweep.output_dir);
	status = result.failed ? NHI_EXIT_ERROR : NHI_EXIT_CLEAN;

done:
	for (size_t i = 0; i < repos.count; i++)
		core_sweep_repo_free(repos.items[i]);
	nhi_vec_dispose(&repos);
	core_sweep_result_dispose(&result);
	free(positional);
	return status;
}
