/*
 * `nhiscan signatures check|list`: test every rule against its own examples, or print the rules.
 */
#include "cli/cli.h"
#include "core/context.h"
#include "match/engine.h"
#include "output/output.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct cli_option signatures_options[] = {
	{ "format", 'f', "FORMAT", "list: text (default) or json" },
	{ "signatures", 's', "PATH", "also load custom rules from a file or folder" },
	{ "config", 'c', "FILE", "read settings (and their custom signatures) from FILE" },
	{ "no-config", 0, NULL, "ignore .nhiscan.yaml" },
	{ NULL, 0, NULL, NULL },
};

static const struct cli_command signatures_command = {
	"signatures",
	"nhiscan signatures check|list [options]",
	"check: compile every rule in Hyperscan and PCRE2, and verify that each example is\n"
	"       found and each negative example is not. Exit status 1 when a check fails.\n"
	"list:  print the rules (id, provider, kind, severity, name).",
	signatures_options,
	cmd_signatures,
};

struct signatures_args {
	bool json;
	const char *signatures;
	const char *config;
	bool no_config;
};

static int on_signatures_option(void *payload, const char *name, const char *value)
{
	struct signatures_args *args = payload;

	if (strcmp(name, "format") == 0) {
		if (strcmp(value, "json") != 0 && strcmp(value, "text") != 0) {
			cli_error("invalid format '%s'; use text or json", value);
			return NHI_EXIT_ERROR;
		}
		args->json = strcmp(value, "json") == 0;
	} else if (strcmp(name, "signatures") == 0) {
		args->signatures = value;
	} else if (strcmp(name, "config") == 0) {
		args->config = value;
	} else if (strcmp(name, "no-config") == 0) {
		args->no_config = true;
	}
	return 0;
}

/* Return 1 when text yields a match of rule_index, 0 when not, or a negative error code. */
static int example_matches(struct nhi_context *ctx, nhi_match_scratch *scratch, struct nhi_match_list *list,
			   size_t rule_index, const char *text)
{
	int error;

	match_list_clear(list);
	if ((error = match_scan(ctx->matcher, scratch, text, strlen(text), list)) < 0)
		return error;
	for (size_t i = 0; i < list->count; i++)
		if (list->items[i].rule == rule_index)
			return 1;
	return 0;
}

static size_t check_rule(struct nhi_context *ctx, nhi_match_scratch *scratch, struct nhi_match_list *list,
			 size_t index, size_t *checks)
{
	const struct nhi_rule *rule = &ctx->rules.rules[index];
	size_t failed = 0;

	for (size_t i = 0; i < rule->example_count; i++, (*checks)++) {
		int found = example_matches(ctx, scratch, list, index, rule->examples[i]);

		const char *reason = NULL;

		if (found == 0 && match_explain_miss(rule, rule->examples[i], &reason) < 0)
			found = -1;
		if (found != 1) {
			cli_error("%s:%zu: rule '%s': example %zu is not detected: %s", rule->source_path,
				  rule->source_line, rule->id, i + 1, found < 0 ? nhi_error_last() : reason);
			failed++;
		}
	}
	for (size_t i = 0; i < rule->negative_count; i++, (*checks)++) {
		int found = example_matches(ctx, scratch, list, index, rule->negatives[i]);

		if (found != 0) {
			cli_error("%s:%zu: rule '%s': negative example %zu is detected", rule->source_path,
				  rule->source_line, rule->id, i + 1);
			failed++;
		}
	}
	return failed;
}

static int run_check(struct nhi_context *ctx)
{
	struct nhi_match_list list = { 0 };
	nhi_match_scratch *scratch = NULL;
	size_t failed = 0, checks = 0;

	for (size_t i = 0; i < ctx->rules.count; i++, checks++) {
		if (match_check_pattern(&ctx->rules.rules[i]) < 0) {
			cli_error("%s", nhi_error_last());
			failed++;
		}
	}
	if (failed == 0 && match_scratch_new(&scratch, ctx->matcher) < 0) {
		cli_error("%s", nhi_error_last());
		return NHI_EXIT_ERROR;
	}
	for (size_t i = 0; failed == 0 && i < ctx->rules.count; i++)
		failed += check_rule(ctx, scratch, &list, i, &checks);

	match_list_dispose(&list);
	match_scratch_free(scratch);
	printf("%zu rules; %zu passed, %zu failed\n", ctx->rules.count, checks - failed, failed);
	return failed ? NHI_EXIT_FINDINGS : NHI_EXIT_CLEAN;
}

static const char *validator_name(enum nhi_validator validator)
{
	switch (validator) {
	case NHI_VALIDATOR_CRC32_BASE62: return "crc32-base62";
	case NHI_VALIDATOR_JWT: return "jwt";
	default: return NULL;
	}
}

static int list_rule_json(struct nhi_buf *out, const struct nhi_rule *rule, bool last)
{
	int error = nhi_buf_puts(out, "  {\"id\": ");

	if (!error) error = output_json_string(out, rule->id);
	if (!error) error = nhi_buf_puts(out, ", \"name\": ");
	if (!error) error = output_json_string(out, rule->name);
	if (!error) error = nhi_buf_puts(out, ", \"provider\": ");
	if (!error) error = output_json_string(out, rule->provider);
	if (!error) error = nhi_buf_puts(out, ", \"kind\": ");
	if (!error) error = output_json_string(out, rule->kind);
	if (!error) error = nhi_buf_printf(out, ", \"severity\": \"%s\", \"entropy\": %.2f, \"validator\": ",
					   config_severity_name(rule->severity), rule->entropy_min);
	if (!error) error = validator_name(rule->validator) ? output_json_string(out, validator_name(rule->validator))
							      : nhi_buf_puts(out, "null");
	if (!error) error = nhi_buf_puts(out, ", \"keywords\": [");
	for (size_t i = 0; !error && i < rule->keyword_count; i++) {
		error = i ? nhi_buf_puts(out, ", ") : 0;
		if (!error) error = output_json_string(out, rule->keywords[i]);
	}
	if (!error) error = nhi_buf_puts(out, "], \"docs\": ");
	if (!error) error = output_json_string(out, rule->docs);
	if (!error) error = nhi_buf_puts(out, ", \"remediation\": ");
	if (!error) error = output_json_string(out, rule->remediation);
	if (!error) error = nhi_buf_puts(out, ", \"source\": ");
	if (!error) error = output_json_string(out, rule->source_path);
	if (!error) error = nhi_buf_printf(out, ", \"builtin\": %s}%s\n", rule->builtin ? "true" : "false",
					   last ? "" : ",");
	return error;
}

static int run_list(struct nhi_context *ctx, bool json)
{
	struct nhi_buf out = NHI_BUF_INIT;
	int error = 0, status;

	if (json) {
		error = nhi_buf_puts(&out, "[\n");
		for (size_t i = 0; i < ctx->rules.count && !error; i++)
			error = list_rule_json(&out, &ctx->rules.rules[i], i + 1 == ctx->rules.count);
		if (!error) error = nhi_buf_puts(&out, "]\n");
	} else {
		for (size_t i = 0; i < ctx->rules.count && !error; i++) {
			const struct nhi_rule *r = &ctx->rules.rules[i];

			error = nhi_buf_printf(&out, "%-44s %-18s %-20s %-8s %s\n", r->id, r->provider, r->kind,
					       config_severity_name(r->severity), r->name);
		}
		if (!error) error = nhi_buf_printf(&out, "%zu rules\n", ctx->rules.count);
	}
	if (error < 0) {
		cli_error("%s", nhi_error_last());
		nhi_buf_dispose(&out);
		return NHI_EXIT_ERROR;
	}
	status = cli_write_output(NULL, out.ptr, out.size);
	nhi_buf_dispose(&out);
	return status;
}

int cmd_signatures(int argc, char **argv)
{
	struct signatures_args args = { 0 };
	struct nhi_context ctx = { 0 };
	struct nhi_context_options options = { 0 };
	char **positional = NULL;
	size_t count = 0;
	int status;
	bool check;

	status = cli_parse(&signatures_command, argc, argv, on_signatures_option, &args, &positional, &count);
	if (status != 0)
		return status < 0 ? NHI_EXIT_CLEAN : status;
	if (count != 1 || (strcmp(positional[0], "check") != 0 && strcmp(positional[0], "list") != 0)) {
		cli_error("'signatures' needs one action, check or list; run 'nhiscan signatures --help'");
		free(positional);
		return NHI_EXIT_ERROR;
	}
	check = strcmp(positional[0], "check") == 0;

	options.root = ".";
	options.config_path = args.config;
	options.no_config = args.no_config;
	options.signature_paths = args.signatures ? &args.signatures : NULL;
	options.signature_path_count = args.signatures ? 1 : 0;
	options.keep_overlaps = true;

	if ((check ? core_context_open(&ctx, &options) : core_context_load_rules(&ctx, &options)) < 0) {
		cli_error("%s", nhi_error_last());
		status = NHI_EXIT_ERROR;
	} else {
		status = check ? run_check(&ctx) : run_list(&ctx, args.json);
	}

	core_context_close(&ctx);
	free(positional);
	return status;
}
