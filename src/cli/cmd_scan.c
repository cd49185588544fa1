/*
 * `nhiscan scan [PATH]`: scan the files under PATH and report findings. With --git, --staged,
 * --range or --since, PATH is a git repository and the scan reads its objects instead.
 */
#include "cli/cli.h"
#include "core/context.h"
#include "core/scan.h"
#include "core/scan_git.h"
#include "extract/code.h"
#include "git/repo.h"
#include "output/output.h"
#include "util/error.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* NOTE: at most this many --signatures options; more is a usage error. */
#define MAX_SIGNATURE_PATHS 64

static const struct cli_option scan_options[] = {
	{ "format", 'f', "FORMAT", "output format: text (default), json or sarif" },
	{ "output", 'o', "FILE", "write the report to FILE instead of standard output" },
	{ "config", 'c', "FILE", "read settings from FILE instead of .nhiscan.yaml" },
	{ "no-config", 0, NULL, "ignore .nhiscan.yaml" },
	{ "signatures", 's', "PATH", "also load custom rules from a file or folder (repeatable)" },
	{ "threads", 'j', "N", "scan with N threads (default: one per CPU)" },
	{ "max-file-size", 0, "SIZE", "skip files larger than SIZE, like 512K or 10M (default 10M)" },
	{ "git", 0, NULL, "scan every blob in the history of the repository at PATH, once each" },
	{ "all-objects", 0, NULL, "with --git, also scan objects that no branch, tag or stash reaches" },
	{ "staged", 0, NULL, "scan only the lines that the index adds to HEAD (for pre-commit hooks)" },
	{ "range", 0, "BASE..HEAD", "scan only the lines that the commits in BASE..HEAD add" },
	{ "since", 0, "REV", "scan only the lines that the commits after REV up to HEAD add" },
	{ "max-blob-size", 0, "SIZE", "in the git modes, skip blobs larger than SIZE (default 10M)" },
	{ "no-cache", 0, NULL, "compile the rule database without the on-disk cache" },
	{ "no-code", 0, NULL, "do not parse source code: no code.* findings, no down-ranking in comments" },
	{ "stats", 0, NULL, "print the code parser's file and byte counts and CPU ms on standard error" },
	{ "no-color", 0, NULL, "never colour the text output (NO_COLOR is also honoured)" },
	{ "quiet", 'q', NULL, "print no progress and, in text, only the findings (no summary lines)" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_command cli_scan_command = {
	"scan",
	"nhiscan scan [options] [PATH]",
	"Scan the files under PATH (default: the current folder) for hard-coded credentials.\n"
	"In a git work tree, files that git ignores are skipped unless git tracks them. With\n"
	"--git, --staged, --range or --since, PATH is a git work tree or bare repository and its\n"
	"objects are scanned; findings from history name the commit that introduced them.\n"
	"Without PATH, those modes find the repository around the current folder. Exit status:\n"
	"0 when nothing is found, 1 when findings are reported, 2 on error.",
	scan_options,
	cmd_scan,
};

struct scan_args {
	enum nhi_output_format format;
	const char *output;
	const char *config;
	bool no_config;
	const char *signatures[MAX_SIGNATURE_PATHS];
	size_t signature_count;
	struct nhi_scan_options scan;
	struct nhi_git_scan_options git;
	bool git_history;
	bool staged;
	bool max_file_size_set;
	bool no_cache;
	bool no_code;
	bool stats;
	bool no_color;
	bool quiet;
};

static int parse_format(enum nhi_output_format *out, const char *value)
{
	if (strcmp(value, "text") == 0)
		*out = NHI_FORMAT_TEXT;
	else if (strcmp(value, "json") == 0)
		*out = NHI_FORMAT_JSON;
	else if (strcmp(value, "sarif") == 0)
		*out = NHI_FORMAT_SARIF;
	else
		return -1;
	return 0;
}

static int on_scan_option(void *payload, const char *name, const char *value)
{
	struct scan_args *args = payload;
	char *end = NULL;

	if (strcmp(name, "format") == 0) {
		if (parse_format(&args->format, value) < 0) {
			cli_error("invalid format '%s'; use text, json or sarif", value);
			return NHI_EXIT_ERROR;
		}
	} else if (strcmp(name, "output") == 0) {
		args->output = value;
	} else if (strcmp(name, "config") == 0) {
		args->config = value;
	} else if (strcmp(name, "no-config") == 0) {
		args->no_config = true;
	} else if (strcmp(name, "signatures") == 0) {
		if (args->signature_count == MAX_SIGNATURE_PATHS) {
			cli_error("too many --signatures options; put the files in one folder and pass the folder");
			return NHI_EXIT_ERROR;
		}
		args->signatures[args->signature_count++] = value;
	} else if (strcmp(name, "threads") == 0) {
		long n = strtol(value, &end, 10);

		if (*end || n < 1 || n > 64) {
			cli_error("invalid thread count '%s'; use a number from 1 to 64", value);
			return NHI_EXIT_ERROR;
		}
		args->scan.threads = (unsigned)n;
	} else if (strcmp(name, "max-file-size") == 0) {
		if (cli_parse_size(&args->scan.max_file_size, value) < 0) {
			cli_error("invalid size '%s'; use a number of bytes with an optional K, M or G suffix", value);
			return NHI_EXIT_ERROR;
		}
		args->max_file_size_set = true;
	} else if (strcmp(name, "max-blob-size") == 0) {
		if (cli_parse_size(&args->git.max_blob_size, value) < 0 || args->git.max_blob_size == 0) {
			cli_error("invalid size '%s'; use a number of bytes with an optional K, M or G suffix", value);
			return NHI_EXIT_ERROR;
		}
	} else if (strcmp(name, "git") == 0) {
		args->git_history = true;
	} else if (strcmp(name, "all-objects") == 0) {
		args->git.all_objects = true;
	} else if (strcmp(name, "staged") == 0) {
		args->staged = true;
	} else if (strcmp(name, "range") == 0) {
		args->git.range = value;
	} else if (strcmp(name, "since") == 0) {
		args->git.since = value;
	} else if (strcmp(name, "no-cache") == 0) {
		args->no_cache = true;
	} else if (strcmp(name, "no-code") == 0) {
		args->no_code = true;
	} else if (strcmp(name, "stats") == 0) {
		args->stats = true;
	} else if (strcmp(name, "no-color") == 0) {
		args->no_color = true;
	} else if (strcmp(name, "quiet") == 0) {
		args->quiet = true;
	}
	return 0;
}

static bool uses_git(const struct scan_args *args)
{
	return args->git_history || args->staged || args->git.range || args->git.since;
}

/* Reject option combinations that mix the git modes or their size limits; one message each. */
static int check_git_options(const struct scan_args *args)
{
	const char *modes[4];
	size_t count = 0;

	if (args->git_history)
		modes[count++] = "--git";
	if (args->staged)
		modes[count++] = "--staged";
	if (args->git.range)
		modes[count++] = "--range";
	if (args->git.since)
		modes[count++] = "--since";

	if (count > 1) {
		cli_error("options '%s' and '%s' cannot be used together; choose one git mode", modes[0], modes[1]);
		return NHI_EXIT_ERROR;
	}
	if (args->git.all_objects && !args->git_history) {
		cli_error("option '--all-objects' needs '--git'");
		return NHI_EXIT_ERROR;
	}
	if (args->git.max_blob_size && count == 0) {
		cli_error("option '--max-blob-size' applies to --git, --staged, --range and --since; use '--max-file-size' for files");
		return NHI_EXIT_ERROR;
	}
	if (args->max_file_size_set && count == 1) {
		cli_error("option '--max-file-size' applies to files; use '--max-blob-size' with '%s'", modes[0]);
		return NHI_EXIT_ERROR;
	}
	return 0;
}

/* Whether a progress line is on the terminal without its newline yet. */
struct progress_line {
	bool open;
};

/* Print "scanning: 1200/5400 blobs, 80.1 MB, 40.2 MB/s, about 9 s left" over the previous line. */
static void print_git_progress(void *payload, const struct nhi_git_progress *progress)
{
	struct progress_line *line = payload;
	double seconds = progress->elapsed_ms / 1e3;
	double megabytes = (double)progress->bytes_scanned / 1e6;

	fprintf(stderr, "\rscanning: %zu/%zu%s %s, %.1f MB, %.1f MB/s", progress->done, progress->total,
		progress->total_known ? "" : "+", progress->unit, megabytes, seconds > 0 ? megabytes / seconds : 0.0);
	/* The estimate assumes the remaining units take as long on average as the scanned ones. */
	if (progress->total_known && progress->done > 0 && progress->done < progress->total)
		fprintf(stderr, ", about %.0f s left",
			seconds * (double)(progress->total - progress->done) / (double)progress->done);
	fputs("\033[K", stderr);
	if (progress->finished)
		fputc('\n', stderr);
	line->open = !progress->finished;
}

static int run_scan(struct nhi_scan_report *report, struct scan_args *args, struct nhi_context *ctx,
		    const char *root, struct progress_line *line)
{
	if (!uses_git(args))
		return core_scan_worktree(report, ctx, root, &args->scan);

	args->git.threads = args->scan.threads;
	if (!args->quiet && isatty(STDERR_FILENO)) {
		args->git.progress = print_git_progress;
		args->git.progress_payload = line;
	}
	if (args->git_history)
		return core_scan_git_history(report, ctx, root, &args->git);
	if (args->staged)
		return core_scan_git_staged(report, ctx, root, &args->git);
	return core_scan_git_range(report, ctx, root, &args->git);
}

static double to_ms(uint64_t ns)
{
	return (double)ns / 1e6;
}

/* Print the code extractor's counters as key=value pairs, which bench/code.sh reads. */
static void print_code_stats(void)
{
	struct extract_code_stats stats;

	extract_code_get_stats(&stats);
	fprintf(stderr, "nhiscan: stats: code_files=%" PRIu64 " code_files_parsed=%" PRIu64 " code_bytes_parsed=%" PRIu64
		" prefilter_build_ms=%.1f prefilter_ms=%.1f query_compile_ms=%.1f parse_ms=%.1f analysis_ms=%.1f\n",
		stats.files, stats.candidates, stats.bytes_parsed, to_ms(stats.prefilter_build_ns),
		to_ms(stats.prefilter_ns), to_ms(stats.query_compile_ns), to_ms(stats.parse_ns), to_ms(stats.analysis_ns));
}

static bool use_color(const struct scan_args *args)
{
	const char *no_color = getenv("NO_COLOR");

	if (args->no_color || args->output || (no_color && *no_color))
		return false;
	return isatty(STDOUT_FILENO);
}

static int write_report(const struct scan_args *args, const struct nhi_scan_report *report)
{
	struct nhi_output_meta meta = { NHISCAN_VERSION, &report->stats, use_color(args), args->quiet };
	struct nhi_buf out = NHI_BUF_INIT;
	int status = 0;

	if (output_write(&out, args->format, &report->findings, &meta) < 0) {
		cli_error("cannot format the report: %s", nhi_error_last());
		status = NHI_EXIT_ERROR;
	} else {
		status = cli_write_output(args->output, out.ptr, out.size);
	}
	nhi_buf_dispose(&out);
	return status;
}

int cmd_scan(int argc, char **argv)
{
	struct scan_args args = { 0 };
	struct nhi_context ctx = { 0 };
	struct nhi_context_options ctx_options = { 0 };
	struct nhi_scan_report report = { 0 };
	struct progress_line line = { false };
	char **positional = NULL;
	char *found_root = NULL;
	size_t positional_count = 0;
	const char *root;
	int status;

	status = cli_parse(&cli_scan_command, argc, argv, on_scan_option, &args, &positional, &positional_count);
	if (status != 0)
		return status < 0 ? NHI_EXIT_CLEAN : status;
	if (positional_count > 1) {
		cli_error("'scan' takes one PATH, got %zu; run 'nhiscan scan --help'", positional_count);
		status = NHI_EXIT_ERROR;
		goto done;
	}
	root = positional_count ? positional[0] : ".";
	if ((status = check_git_options(&args)) != 0)
		goto done;

	/* Without PATH, a git mode scans the repository around the current folder, as git would. */
	if (!positional_count && uses_git(&args)) {
		if (nhi_git_repo_find_top(&found_root, ".") < 0) {
			cli_error("%s", nhi_error_last());
			status = NHI_EXIT_ERROR;
			goto done;
		}
		root = found_root;
	}

	ctx_options.root = root;
	ctx_options.config_path = args.config;
	ctx_options.no_config = args.no_config;
	ctx_options.signature_paths = args.signatures;
	ctx_options.signature_path_count = args.signature_count;
	ctx_options.no_cache = args.no_cache;
	ctx_options.no_code = args.no_code;
	if (core_context_open(&ctx, &ctx_options) < 0) {
		cli_error("%s", nhi_error_last());
		status = NHI_EXIT_ERROR;
		goto done;
	}

	status = run_scan(&report, &args, &ctx, root, &line) < 0 ? NHI_EXIT_ERROR : 0;
	if (line.open)
		fputc('\n', stderr);
	if (args.stats)
		print_code_stats();
	/* Printed before any error too: a git scan that could read nothing keeps the reasons here. */
	for (size_t i = 0; i < report.warnings.count; i++)
		cli_warning("%s", (char *)report.warnings.items[i]);
	if (status != 0) {
		cli_error("%s", nhi_error_last());
		status = NHI_EXIT_ERROR;
		goto done;
	}

	if ((status = write_report(&args, &report)) == 0)
		status = report.findings.count ? NHI_EXIT_FINDINGS : NHI_EXIT_CLEAN;

done:
	core_scan_report_dispose(&report);
	core_context_close(&ctx);
	free(positional);
	free(found_root);
	return status;
}
