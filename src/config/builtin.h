/*
 * The built-in rules as a static table, generated at build time from the YAML files of signatures/ by
 * src/tools/gen-rules.c. config_rules_load_builtin() copies them into a rule set.
 */
#ifndef NHI_CONFIG_BUILTIN_H
#define NHI_CONFIG_BUILTIN_H

#include <stddef.h>

struct nhi_builtin_rule {
	const char *id;
	const char *name;
	const char *provider;
	const char *kind;
	const char *pattern;
	const char *docs;
	const char *remediation;
	const char *source_path;
	const char *const *keywords;
	size_t keyword_count;
	const char *const *examples;
	size_t example_count;
	const char *const *negatives;
	size_t negative_count;
	double entropy_min;
	int severity;
	int validator;
	size_t source_line;
	const char *prefilter;  /* NULL when the rule has none */
};

extern const struct nhi_builtin_rule nhi_builtin_rules[];
extern const size_t nhi_builtin_rule_count;

#endif
