/*
 * `nhiscan inventory [PATH]` writes the NHI inventory of the repository at PATH, by default to
 * nhi-inventory.yaml at its top through a temporary file and a rename. `nhiscan check [PATH]`
 * rebuilds it and compares it with the committed file: the pull-request gate.
 *
 * Both run the same pipeline: scan the working tree (and with --git the history), build the
 * inventory (model/build.h), score it (risk/risk.h), and carry the reviewer decisions of the
 * committed file over. The committed file is never scanned itself.
 */
#include "cli/cli.h"
#include "core/context.h"
#include "core/scan.h"
#include "core/scan_git.h"
#include "model/activity.h"
#include "model/build.h"
#include "model/codeowners.h"
#include "model/inventory.h"
#include "model/inventory_diff.h"
#include "output/inventory.h"
#include "output/output.h"
#include "risk/risk.h"
#include "util/error.h"
#include "util/fs.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define INVENTORY_FILE "nhi-inventory.yaml"
/* NOTE: at most this many --signatures options; more is a usage error. */
#define MAX_SIGNATURE_PATHS 64
/* An inventory file larger than this is not read: it would list millions of entries. */
#define MAX_INVENTORY_SIZE ((size_t)64 << 20)

enum inventory_format { FORMAT_YAML, FORMAT_DOT, FORMAT_MERMAID, FORMAT_TEXT, FORMAT_JSON };

static const struct cli_option inventory_options[] = {
	{ "output", 'o', "FILE", "write the inventory to FILE ('-' for standard output) instead of PATH/" INVENTORY_FILE },
	{ "format", 'f', "FORMAT", "yaml (default), or dot or mermaid for a graph (to standard output unless --output)" },
	{ "git", 0, NULL, "also scan the history, so that secrets removed but never revoked are listed" },
	{ "no-git", 0, NULL, "scan the working tree only, even when the existing file was built with --git" },
	{ "update", 'u', NULL, "write the inventory file, accepting the current state (what a plain run does)" },
	{ "timestamp", 0, NULL, "record the time of the run in the file (off by default, to keep it byte-identical)" },
	{ "config", 'c', "FILE", "read settings from FILE instead of .nhiscan.yaml" },
	{ "no-config", 0, NULL, "ignore .nhiscan.yaml" },
	{ "signatures", 's', "PATH", "also load custom rules from a file or folder (repeatable)" },
	{ "threads", 'j', "N", "scan with N threads (default: one per CPU)" },
	{ "no-cache", 0, NULL, "compile the rule database without the on-disk cache" },
	{ "quiet", 'q', NULL, "print no warnings and no summary" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_option check_options[] = {
	{ "file", 0, "FILE", "compare with FILE instead of PATH/" INVENTORY_FILE },
	{ "format", 'f', "FORMAT", "text (default) or json" },
	{ "git", 0, NULL, "also scan the history (implied when the committed file was built with --git)" },
	{ "config", 'c', "FILE", "read settings from FILE instead of .nhiscan.yaml" },
	{ "no-config", 0, NULL, "ignore .nhiscan.yaml" },
	{ "signatures", 's', "PATH", "also load custom rules from a file or folder (repeatable)" },
	{ "threads", 'j', "N", "scan with N threads (default: one per CPU)" },
	{ "no-cache", 0, NULL, "compile the rule database without the on-disk cache" },
	{ "quiet", 'q', NULL, "print no warnings" },
	{ NULL, 0, NULL, NULL },
};

const struct cli_command cli_inventory_command = {
	"inventory",
	"nhiscan inventory [options] [PATH]",
	"Build the inventory of non-human identities of the repository at PATH (default: the current\n"
	"folder): credentials, references, agents, MCP servers, pipelines, scopes, owners, their links\n"
	"and risks. Writes PATH/" INVENTORY_FILE " unless --output says otherwise; reviewer decisions\n"
	"(status and reason) in that file are kept. Exit status: 0 when written, 2 on error.",
	inventory_options,
	cmd_inventory,
};

const struct cli_command cli_check_command = {
	"check",
	"nhiscan check [options] [PATH]",
	"Rebuild the inventory of the repository at PATH and compare it with the committed\n"
	INVENTORY_FILE ". Exit status: 1 when an identity or a risk appears that the file does not\n"
	"list, a risk's score grows, or a credential marked revoked is found in another file; 0\n"
	"otherwise; 2 on error, or when PATH or the file is missing or cannot be read.",
	check_options,
	cmd_check,
};

struct inventory_args {
	enum inventory_format format;
	const char *output;
	const char *file;
	const char *config;
	bool no_config;
	const char *signatures[MAX_SIGNATURE_PATHS];
	size_t signature_count;
	struct nhi_scan_options scan;
	bool history;
	bool no_history;
	bool timestamp;
	bool no_cache;
	bool quiet;
	bool check;
};

static int parse_format(enum inventory_format *out, const char *value, bool check)
{
	static const struct {
		const char *name;
		enum inventory_format format;
		bool check;
	} formats[] = {
		{ "yaml", FORMAT_YAML, false }, { "dot", FORMAT_DOT, false }, { "mermaid", FORMAT_MERMAID, false },
		{ "text", FORMAT_TEXT, true }, { "json", FORMAT_JSON, true },
	};

	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(value, formats[i].name) == 0 && formats[i].check == check) {
			*out = formats[i].format;
			return 0;
		}
	cli_error("invalid format '%s'; use %s", value, check ? "text or json" : "yaml, dot or mermaid");
	return NHI_EXIT_ERROR;
}

static int on_option(void *payload, const char *name, const char *value)
{
	struct inventory_args *args = payload;
	char *end = NULL;

	if (strcmp(name, "format") == 0)
		return parse_format(&args->format, value, args->check);
	if (strcmp(name, "output") == 0)
		args->output = value;
	else if (strcmp(name, "file") == 0)
		args->file = value;
	else if (strcmp(name, "config") == 0)
		args->config = value;
	else if (strcmp(name, "no-config") == 0)
		args->no_config = true;
	else if (strcmp(name, "git") == 0)
		args->history = true;
	else if (strcmp(name, "no-git") == 0)
		args->no_history = true;
	else if (strcmp(name, "timestamp") == 0)
		args->timestamp = true;
	else if (strcmp(name, "no-cache") == 0)
		args->no_cache = true;
	else if (strcmp(name, "quiet") == 0)
		args->quiet = true;
	else if (strcmp(name, "signatures") == 0) {
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
	}
	return 0;
}

/* The path of file relative to root when file is inside root, else NULL; the caller frees it. */
static char *relative_to_root(const char *root, const char *file)
{
	char root_real[PATH_MAX], dir_real[PATH_MAX];
	char *dir_copy = strdup(file), *base_copy = strdup(file), *result = NULL;
	size_t len;

	if (!dir_copy || !base_copy || !realpath(root, root_real) || !realpath(dirname(dir_copy), dir_real))
		goto done;
	len = strlen(root_real);
	if (strcmp(dir_real, root_real) == 0) {
		result = strdup(basename(base_copy));
	} else if (strncmp(dir_real, root_real, len) == 0 && dir_real[len] == '/') {
		size_t size = strlen(dir_real + len + 1) + strlen(basename(base_copy)) + 2;

		if ((result = malloc(size)) != NULL)
			snprintf(result, size, "%s/%s", dir_real + len + 1, basename(base_copy));
	}

done:
	free(dir_copy);
	free(base_copy);
	return result;
}

/* The provider names of the rule set, each once, for linking references by name. */
static int collect_providers(struct nhi_vec *out, const struct nhi_context *ctx)
{
	int error = 0;

	for (size_t i = 0; i < ctx->rules.count && error == 0; i++) {
		const char *provider = ctx->rules.rules[i].provider;
		bool seen = false;

		for (size_t j = 0; j < out->count && !seen; j++)
			seen = strcmp(out->items[j], provider) == 0;
		if (!seen)
			error = nhi_vec_push(out, (void *)provider);
	}
	return error;
}

static void print_warnings(const struct inventory_args *args, const struct nhi_scan_report *report)
{
	for (size_t i = 0; !args->quiet && i < report->warnings.count; i++)
		cli_warning("%s", (char *)report->warnings.items[i]);
}

/* The scans, rules and repository data that one inventory run keeps until it ends. */
struct pipeline {
	struct nhi_context ctx;
	struct nhi_scan_report worktree;
	struct nhi_scan_report history;
	struct model_codeowners codeowners;
	struct model_activity activity;
	struct nhi_vec providers;
	bool has_activity;
};

static void dispose_pipeline(struct pipeline *p)
{
	core_scan_report_dispose(&p->worktree);
	core_scan_report_dispose(&p->history);
	model_codeowners_dispose(&p->codeowners);
	model_activity_dispose(&p->activity);
	nhi_vec_dispose(&p->providers);
	core_context_close(&p->ctx);
}

static int open_context(struct pipeline *p, const struct inventory_args *args, const char *root)
{
	struct nhi_context_options options = { 0 };

	options.root = root;
	options.config_path = args->config;
	options.no_config = args->no_config;
	options.signature_paths = args->signatures;
	options.signature_path_count = args->signature_count;
	options.no_cache = args->no_cache;
	return core_context_open(&p->ctx, &options);
}

/* Scan the working tree and, with history, the commits; read CODEOWNERS and author activity. */
static int run_scans(struct pipeline *p, const struct inventory_args *args, const char *root, bool history)
{
	struct nhi_git_scan_options git = { 0 };
	int error;

	if ((error = open_context(p, args, root)) < 0)
		return error;
	/*
	 * A bare repository has no working tree, so with --git its history is all there is to
	 * scan. Without --git, core_scan_worktree() rejects it with a message that names --git.
	 */
	if (!(history && source_is_git_dir(root))) {
		if ((error = core_scan_worktree(&p->worktree, &p->ctx, root, &args->scan)) < 0)
			return error;
		print_warnings(args, &p->worktree);
	}
	if (history) {
		git.threads = args->scan.threads;
		/* The stash exists only in the clone where it was made; `check` runs in other clones. */
		git.no_stash = true;
		if ((error = core_scan_git_history(&p->history, &p->ctx, root, &git)) < 0 ||
		    (error = model_activity_load(&p->activity, root, NHI_ACTIVITY_WINDOW_SECONDS)) < 0)
			return error;
		p->has_activity = true;
		print_warnings(args, &p->history);
	}
	if ((error = model_codeowners_load(&p->codeowners, root)) < 0)
		return error;
	return collect_providers(&p->providers, &p->ctx);
}

static int set_timestamp(struct nhi_inventory *inv)
{
	char text[32];
	time_t now = time(NULL);
	struct tm tm;

	if (!gmtime_r(&now, &tm) || strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return nhi_error_set(NHI_ERROR, "cannot format the current time");
	return model_inventory_set_string(&inv->generated, text);
}

/*
 * Build, score and decide: the inventory of root, with the decisions of previous (may be
 * NULL). inventory_path is the file the inventory is kept in, left out of the scan.
 */
static int build_inventory(struct nhi_inventory *out, const struct inventory_args *args, const char *root, bool history,
			   const char *inventory_path, const struct nhi_inventory *previous)
{
	struct pipeline p;
	struct model_build_input input = { 0 };
	char *exclude = inventory_path ? relative_to_root(root, inventory_path) : NULL;
	int error;

	memset(&p, 0, sizeof(p));
	if ((error = run_scans(&p, args, root, history)) < 0)
		goto done;
	input.root = root;
	input.findings = &p.worktree.findings;
	input.facts = &p.worktree.facts;
	input.history_findings = history ? &p.history.findings : NULL;
	input.codeowners = &p.codeowners;
	input.activity = p.has_activity ? &p.activity : NULL;
	input.providers = &p.providers;
	input.exclude_path = exclude;
	if ((error = model_inventory_build(out, &input)) < 0)
		goto done;
	if ((error = risk_score_inventory(out)) < 0 ||
	    (previous && (error = model_inventory_apply_decisions(out, previous)) < 0) ||
	    (args->timestamp && (error = set_timestamp(out)) < 0))
		model_inventory_dispose(out);

done:
	free(exclude);
	dispose_pipeline(&p);
	return error;
}

/* Return true when data contains only white space, as a new, empty file does. */
static bool is_blank(const char *data, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!strchr(" \t\r\n", data[i]) || data[i] == '\0')
			return false;
	return true;
}

/*
 * Read the inventory at path. *found is false when there is no such file, and also when the
 * file is not a regular file and read_special is false: `inventory --output /dev/null` writes
 * to the device and reads no decisions from it. An empty file reads as an empty inventory.
 */
static int read_inventory(struct nhi_inventory *out, const char *path, bool read_special, bool *found)
{
	struct stat st;
	char *data = NULL;
	size_t len = 0;
	int error;

	*found = false;
	model_inventory_init(out);
	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		return nhi_error_set(NHI_EIO, "cannot read '%s': %s", path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode))
		return nhi_error_set(NHI_EINVALID, "'%s' is a folder, not an inventory file", path);
	if (!S_ISREG(st.st_mode) && !read_special)
		return 0;
	if ((error = nhi_fs_read_file(&data, &len, path, MAX_INVENTORY_SIZE)) < 0)
		return error;
	*found = true;
	if (!is_blank(data, len) && (error = model_inventory_load(out, path, data, len)) == 0)
		error = model_inventory_check_decisions(out, path);
	free(data);
	return error;
}

static void print_summary(const char *path, const struct nhi_inventory *inv)
{
	size_t risks = 0, count = 0;
	const char *kind = NULL;

	fprintf(stderr, "nhiscan: wrote %s:", path);
	for (size_t i = 0; i <= inv->entities.count; i++) {
		const struct nhi_inv_entity *entity = i < inv->entities.count ? inv->entities.items[i] : NULL;

		if (kind && (!entity || strcmp(entity->kind, kind) != 0)) {
			fprintf(stderr, " %zu %s,", count, kind);
			count = 0;
		}
		if (!entity)
			break;
		kind = entity->kind;
		count++;
		risks += entity->risks.count;
	}
	fprintf(stderr, " %zu risks\n", risks);
}

static int render(struct nhi_buf *out, enum inventory_format format, const struct nhi_inventory *inv)
{
	switch (format) {
	case FORMAT_DOT: return output_inventory_dot(out, inv);
	case FORMAT_MERMAID: return output_inventory_mermaid(out, inv);
	default: return output_inventory_yaml(out, inv);
	}
}

/* Check that the repository root exists and is a folder, and print the error when it is not. */
static int check_root(const char *root)
{
	struct stat st;

	if (stat(root, &st) < 0) {
		if (errno == ENOENT)
			cli_error("no such folder '%s'; give the path of a repository", root);
		else
			cli_error("cannot read '%s': %s", root, strerror(errno));
		return NHI_EXIT_ERROR;
	}
	if (!S_ISDIR(st.st_mode)) {
		cli_error("'%s' is not a folder; give the path of a repository", root);
		return NHI_EXIT_ERROR;
	}
	return 0;
}

static int parse_command(const struct cli_command *command, struct inventory_args *args, int argc, char **argv,
			 char ***positional, const char **root)
{
	size_t count = 0;
	int status = cli_parse(command, argc, argv, on_option, args, positional, &count);

	if (status != 0)
		return status < 0 ? -1 : status;
	if (count > 1) {
		cli_error("'%s' takes one PATH, got %zu; run 'nhiscan %s --help'", command->name, count, command->name);
		return NHI_EXIT_ERROR;
	}
	*root = count ? (*positional)[0] : ".";
	return 0;
}

int cmd_inventory(int argc, char **argv)
{
	struct inventory_args args = { 0 };
	struct nhi_inventory previous, inv;
	struct nhi_buf out = NHI_BUF_INIT;
	char **positional = NULL;
	char *default_path = NULL;
	const char *root = ".", *target, *store;
	bool found = false;
	int status;

	model_inventory_init(&previous);
	model_inventory_init(&inv);
	if ((status = parse_command(&cli_inventory_command, &args, argc, argv, &positional, &root)) != 0) {
		status = status < 0 ? NHI_EXIT_CLEAN : status;
		goto done;
	}
	if (args.history && args.no_history) {
		cli_error("options '--git' and '--no-git' cannot be used together");
		status = NHI_EXIT_ERROR;
		goto done;
	}
	if ((status = check_root(root)) != 0)
		goto done;
	if (!(default_path = nhi_path_join(root, INVENTORY_FILE))) {
		cli_error("out of memory");
		status = NHI_EXIT_ERROR;
		goto done;
	}
	/* Pictures go to standard output unless a file is named; the inventory goes to its file. */
	target = args.output ? args.output : (args.format == FORMAT_YAML ? default_path : "-");
	store = args.format == FORMAT_YAML && strcmp(target, "-") != 0 ? target : default_path;

	/* The decisions are read from the file the inventory is kept in, unless it is a device. */
	if (read_inventory(&previous, store, false, &found) < 0) {
		cli_error("%s; fix the inventory file or move it away, then run again", nhi_error_last());
		status = NHI_EXIT_ERROR;
		goto done;
	}
	/* An update keeps the scan of the existing file, so that history-only secrets stay listed. */
	if (found && !args.no_history && previous.scan && strstr(previous.scan, "history"))
		args.history = true;
	if (build_inventory(&inv, &args, root, args.history, store, found ? &previous : NULL) < 0 ||
	    render(&out, args.format, &inv) < 0) {
		cli_error("%s", nhi_error_last());
		status = NHI_EXIT_ERROR;
		goto done;
	}
	if ((status = cli_write_output(target, out.ptr, out.size)) == 0 && !args.quiet && strcmp(target, "-") != 0)
		print_summary(target, &inv);

done:
	nhi_buf_dispose(&out);
	model_inventory_dispose(&inv);
	model_inventory_dispose(&previous);
	free(default_path);
	free(positional);
	return status;
}

/* The location a change names: where a revoked entity reappeared, else the entity's first. */
static const char *change_location(const struct nhi_inv_change *change)
{
	if (change->location)
		return change->location;
	return change->entity->locations.count ? change->entity->locations.items[0] : NULL;
}

/* "MCP server 'github' (mcp-...) at .mcp.json:3" */
static void print_entity(const struct nhi_inv_change *change)
{
	const struct nhi_inv_entity *entity = change->entity;
	const char *location = change_location(change);

	printf("%s '%s' (%s)", model_inventory_kind_label(entity->kind), entity->name ? entity->name : entity->id, entity->id);
	if (location)
		printf(" at %s", location);
}

static void print_change_text(const struct nhi_inv_change *change)
{
	const struct nhi_inv_risk *risk = change->risk;

	switch (change->type) {
	case NHI_CHANGE_ADDED:
	case NHI_CHANGE_REAPPEARED: printf("  new "); break;
	case NHI_CHANGE_REMOVED: printf("  gone: "); break;
	case NHI_CHANGE_RISK_ADDED: printf("  new risk %s, score %d, %s, on ", risk->category, risk->score, risk->title); break;
	case NHI_CHANGE_RISK_GREW:
	case NHI_CHANGE_RISK_SHRANK:
		printf("  risk %s %s from %d to %d, %s, on ", risk->category,
		       change->type == NHI_CHANGE_RISK_GREW ? "grew" : "fell", change->old_score, risk->score, risk->title);
		break;
	case NHI_CHANGE_RISK_REMOVED: printf("  risk %s gone, %s, on ", risk->category, risk->title); break;
	}
	print_entity(change);
	if (change->type == NHI_CHANGE_REAPPEARED)
		printf(", although a reviewer marked it revoked: %s", change->entity->reason);
	printf("\n");
}

static void report_text(const struct nhi_vec *changes, const char *path, size_t blocking)
{
	if (blocking == 0)
		printf("%s is up to date\n", path);
	else
		printf("%s is out of date: %zu new identit%s or risk%s\n", path, blocking, blocking == 1 ? "y" : "ies",
		       blocking == 1 ? "" : "s");
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1 && changes->count > blocking)
			printf("%s\n", blocking ? "also changed, not blocking:" : "changed, not blocking:");
		for (size_t i = 0; i < changes->count; i++) {
			const struct nhi_inv_change *change = changes->items[i];

			if (change->blocking == (pass == 0))
				print_change_text(change);
		}
	}
	if (blocking)
		printf("review the changes, then run 'nhiscan inventory --update' and commit %s\n", path);
}

static const char *change_name(enum nhi_inv_change_type type)
{
	static const char *const names[] = { "added", "risk-added", "risk-grew", "risk-fell", "risk-removed", "removed",
					     "revoked-reappeared" };

	return names[type];
}

static int append_change_json(struct nhi_buf *out, const struct nhi_inv_change *change)
{
	const struct nhi_inv_entity *entity = change->entity;
	int error;

	if ((error = nhi_buf_printf(out, "{\"change\": \"%s\", \"blocking\": %s, \"kind\": ", change_name(change->type),
				    change->blocking ? "true" : "false")) < 0 ||
	    (error = output_json_string(out, entity->kind)) < 0 || (error = nhi_buf_puts(out, ", \"id\": ")) < 0 ||
	    (error = output_json_string(out, entity->id)) < 0 || (error = nhi_buf_puts(out, ", \"name\": ")) < 0 ||
	    (error = output_json_string(out, entity->name ? entity->name : "")) < 0 ||
	    (error = nhi_buf_puts(out, ", \"location\": ")) < 0 ||
	    (error = output_json_string(out, change_location(change) ? change_location(change) : "")) < 0)
		return error;
	if (change->risk) {
		if ((error = nhi_buf_puts(out, ", \"risk\": {\"id\": ")) < 0 ||
		    (error = output_json_string(out, change->risk->id)) < 0 ||
		    (error = nhi_buf_puts(out, ", \"category\": ")) < 0 ||
		    (error = output_json_string(out, change->risk->category)) < 0 ||
		    (error = nhi_buf_puts(out, ", \"title\": ")) < 0 ||
		    (error = output_json_string(out, change->risk->title)) < 0 ||
		    (error = nhi_buf_printf(out, ", \"score\": %d, \"old_score\": %d}", change->risk->score, change->old_score)) < 0)
			return error;
	}
	return nhi_buf_puts(out, "}");
}

static int report_json(const struct nhi_vec *changes, const char *path, size_t blocking)
{
	struct nhi_buf out = NHI_BUF_INIT;
	int error;

	if ((error = nhi_buf_puts(&out, "{\"file\": ")) < 0 || (error = output_json_string(&out, path)) < 0 ||
	    (error = nhi_buf_printf(&out, ", \"up_to_date\": %s, \"changes\": [", blocking ? "false" : "true")) < 0)
		goto done;
	for (size_t i = 0; i < changes->count && error == 0; i++) {
		if (i > 0 && (error = nhi_buf_puts(&out, ", ")) < 0)
			break;
		error = append_change_json(&out, changes->items[i]);
	}
	if (error == 0 && (error = nhi_buf_puts(&out, "]}\n")) == 0)
		error = cli_write_output(NULL, out.ptr, out.size) == 0 ? 0 : NHI_EIO;

done:
	nhi_buf_dispose(&out);
	return error;
}

/* Compare and report; returns the exit status. */
static int compare_inventories(const struct inventory_args *args, const char *path, const struct nhi_inventory *committed,
			       const struct nhi_inventory *current)
{
	struct nhi_vec changes = NHI_VEC_INIT;
	size_t blocking = 0;
	int status = NHI_EXIT_CLEAN;

	if (model_inventory_diff(&changes, committed, current) < 0) {
		cli_error("%s", nhi_error_last());
		status = NHI_EXIT_ERROR;
		goto done;
	}
	for (size_t i = 0; i < changes.count; i++)
		blocking += ((const struct nhi_inv_change *)changes.items[i])->blocking;
	if (args->format == FORMAT_JSON) {
		if (report_json(&changes, path, blocking) < 0) {
			status = NHI_EXIT_ERROR;
			goto done;
		}
	} else {
		report_text(&changes, path, blocking);
	}
	status = blocking ? NHI_EXIT_FINDINGS : NHI_EXIT_CLEAN;

done:
	nhi_vec_dispose_all(&changes, NULL);
	return status;
}

int cmd_check(int argc, char **argv)
{
	struct inventory_args args = { 0 };
	struct nhi_inventory committed, current;
	char **positional = NULL;
	char *default_path = NULL;
	const char *root = ".", *path;
	bool found = false;
	int status;

	args.check = true;
	args.format = FORMAT_TEXT;
	model_inventory_init(&committed);
	model_inventory_init(&current);
	if ((status = parse_command(&cli_check_command, &args, argc, argv, &positional, &root)) != 0) {
		status = status < 0 ? NHI_EXIT_CLEAN : status;
		goto done;
	}
	if ((status = check_root(root)) != 0)
		goto done;
	if (!(default_path = nhi_path_join(root, INVENTORY_FILE))) {
		cli_error("out of memory");
		status = NHI_EXIT_ERROR;
		goto done;
	}
	path = args.file ? args.file : default_path;
	/* A pipe is read too: --file <(git show HEAD:nhi-inventory.yaml) checks against HEAD. */
	if (read_inventory(&committed, path, true, &found) < 0) {
		cli_error("%s", nhi_error_last());
		status = NHI_EXIT_ERROR;
		goto done;
	}
	/* A missing file is an error, not a failed check: there is nothing to compare with. */
	if (!found && args.file) {
		cli_error("no such file '%s'; give the path of the committed inventory to --file", path);
		status = NHI_EXIT_ERROR;
		goto done;
	}
	if (!found) {
		cli_error("no inventory at '%s'; run 'nhiscan inventory --update' and commit the file", path);
		status = NHI_EXIT_ERROR;
		goto done;
	}
	/* Compare like with like: a file built with history is checked with history. */
	if (committed.scan && strstr(committed.scan, "history"))
		args.history = true;
	if (build_inventory(&current, &args, root, args.history, path, &committed) < 0) {
		cli_error("%s", nhi_error_last());
		status = NHI_EXIT_ERROR;
		goto done;
	}
	status = compare_inventories(&args, path, &committed, &current);

done:
	model_inventory_dispose(&current);
	model_inventory_dispose(&committed);
	free(default_path);
	free(positional);
	return status;
}
