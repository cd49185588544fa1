/*
 * Run set-up: rules, settings and matcher; see context.h.
 */
#include "core/context.h"
#include "extract/code.h"
#include "match/cache.h"
#include "source/worktree.h"
#include "util/error.h"
#include "util/fs.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SETTINGS_NAME ".nhiscan.yaml"

static bool file_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The settings file is .nhiscan.yaml in the scan root, else at the top of its work tree. */
static char *find_settings(const char *root)
{
	char *candidate = nhi_path_join(root, SETTINGS_NAME);
	char *top = NULL;

	if (!candidate || file_exists(candidate))
		return candidate;
	free(candidate);

	top = source_find_worktree_top(root);
	if (!top)
		return NULL;
	candidate = nhi_path_join(top, SETTINGS_NAME);
	free(top);
	return candidate;
}

static int load_settings(struct nhi_context *ctx, const struct nhi_context_options *options)
{
	char *path = NULL;
	int error;

	if (options->config_path)
		return config_settings_load(&ctx->settings, options->config_path, false);
	if (options->no_config)
		return 0;

	path = find_settings(options->root ? options->root : ".");
	if (!path)
		return 0;
	error = config_settings_load(&ctx->settings, path, true);
	free(path);
	return error;
}

static int load_custom_rules(struct nhi_context *ctx, const struct nhi_context_options *options)
{
	int error;

	for (size_t i = 0; i < ctx->settings.signature_path_count; i++)
		if ((error = config_rules_load_path(&ctx->rules, ctx->settings.signature_paths[i])) < 0)
			return error;
	for (size_t i = 0; i < options->signature_path_count; i++)
		if ((error = config_rules_load_path(&ctx->rules, options->signature_paths[i])) < 0)
			return error;
	return 0;
}

static int mark_disabled(struct nhi_context *ctx)
{
	ctx->disabled = calloc(ctx->rules.count ? ctx->rules.count : 1, sizeof(bool));
	if (!ctx->disabled)
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	for (size_t i = 0; i < ctx->settings.disabled_rule_count; i++) {
		const struct nhi_exception *entry = &ctx->settings.disabled_rules[i];
		long index = config_rules_find(&ctx->rules, entry->value);

		if (index < 0)
			return nhi_error_set(NHI_EINVALID, "%s:%zu: disable-rules names unknown rule '%s'; run 'nhiscan signatures list' for the ids",
					     ctx->settings.path, entry->line, entry->value);
		ctx->disabled[index] = true;
	}
	return 0;
}

int core_context_load_rules(struct nhi_context *ctx, const struct nhi_context_options *options)
{
	int error;

	memset(ctx, 0, sizeof(*ctx));
	if ((error = load_settings(ctx, options)) < 0)
		return error;
	if ((error = config_rules_load_builtin(&ctx->rules)) < 0)
		return error;
	if ((error = load_custom_rules(ctx, options)) < 0)
		return error;
	return mark_disabled(ctx);
}

int core_context_open(struct nhi_context *ctx, const struct nhi_context_options *options)
{
	struct nhi_matcher_options matcher_options = { 0 };
	int error;

	if ((error = core_context_load_rules(ctx, options)) < 0)
		return error;
	/* A grammar built for another tree-sitter ABI must stop the run before any scan starts. */
	ctx->no_code = options->no_code;
	if (!ctx->no_code && (error = extract_code_init()) < 0)
		return error;

	if (!options->no_cache)
		ctx->cache_dir = match_cache_default_dir();
	if (!ctx->no_code && (error = extract_code_set_cache_dir(ctx->cache_dir)) < 0)
		return error;
	matcher_options.cache_dir = ctx->cache_dir;
	matcher_options.keep_overlaps = options->keep_overlaps;
	matcher_options.keep_filtered = options->keep_filtered;
	matcher_options.disabled = ctx->disabled;
	return match_matcher_new(&ctx->matcher, &ctx->rules, &matcher_options);
}

void core_context_close(struct nhi_context *ctx)
{
	match_matcher_free(ctx->matcher);
	config_rules_dispose(&ctx->rules);
	config_settings_dispose(&ctx->settings);
	free(ctx->disabled);
	free(ctx->cache_dir);
	memset(ctx, 0, sizeof(*ctx));
}
