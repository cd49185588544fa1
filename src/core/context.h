/*
 * Everything a scan needs that is set up once per run: the rule set (built-in plus custom), the
 * project settings from .nhiscan.yaml and the compiled matcher. Commands open a context, run one
 * or more scans with it, and close it.
 */
#ifndef NHI_CORE_CONTEXT_H
#define NHI_CORE_CONTEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/rules.h"
#include "config/settings.h"
#include "match/engine.h"

struct nhi_context_options {
	const char *root;              /* folder or repository being scanned; settings are looked up there */
	const char *config_path;       /* explicit settings file, or NULL to look for .nhiscan.yaml */
	bool no_config;                /* ignore .nhiscan.yaml */
	const char *const *signature_paths; /* extra rule files or folders from the command line */
	size_t signature_path_count;
	bool no_cache;                 /* compile the rule database without reading or writing the cache */
	bool keep_overlaps;            /* for signatures check: every rule reports independently */
	bool keep_filtered;            /* for signatures check of raw patterns */
	bool no_code;                  /* skip the tree-sitter code extractor and its grammar ABI check */
};

struct nhi_context {
	struct nhi_rule_set rules;
	struct nhi_settings settings;
	bool *disabled;                /* per rule, from disable-rules */
	nhi_matcher *matcher;
	char *cache_dir;
	bool no_code;                  /* from nhi_context_options */
};

int core_context_open(struct nhi_context *ctx, const struct nhi_context_options *options);

/* Load rules and settings only, without compiling the matcher (for `signatures list`). */
int core_context_load_rules(struct nhi_context *ctx, const struct nhi_context_options *options);

void core_context_close(struct nhi_context *ctx);

#endif
