/*
 * Loading of the built-in rules from the table that the build generates; see builtin.h.
 */
#include "config/builtin.h"
#include "config/rules.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

static int copy_list(char ***out, size_t *out_count, const char *const *items, size_t count)
{
	*out = calloc(count + 1, sizeof(char *));
	if (!*out)
		return NHI_ENOMEM;
	for (size_t i = 0; i < count; i++) {
		(*out)[i] = strdup(items[i]);
		if (!(*out)[i])
			return NHI_ENOMEM;
		*out_count = i + 1;
	}
	return 0;
}

static int copy_rule(struct nhi_rule *rule, const struct nhi_builtin_rule *b)
{
	const char *const sources[] = { b->id, b->name, b->provider, b->kind, b->pattern, b->docs,
					b->remediation, b->source_path };
	char **targets[] = { &rule->id, &rule->name, &rule->provider, &rule->kind, &rule->pattern,
			     &rule->docs, &rule->remediation, &rule->source_path };

	memset(rule, 0, sizeof(*rule));
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if (!(*targets[i] = strdup(sources[i])))
			return NHI_ENOMEM;
	if (copy_list(&rule->keywords, &rule->keyword_count, b->keywords, b->keyword_count) < 0 ||
	    copy_list(&rule->examples, &rule->example_count, b->examples, b->example_count) < 0 ||
	    copy_list(&rule->negatives, &rule->negative_count, b->negatives, b->negative_count) < 0)
		return NHI_ENOMEM;
	rule->entropy_min = b->entropy_min;
	rule->severity = (enum nhi_severity)b->severity;
	rule->validator = (enum nhi_validator)b->validator;
	rule->source_line = b->source_line;
	if (b->prefilter && !(rule->prefilter = strdup(b->prefilter)))
		return NHI_ENOMEM;
	rule->builtin = true;
	rule->generic = strncmp(rule->id, "generic.", 8) == 0;
	return 0;
}

int config_rules_load_builtin(struct nhi_rule_set *set)
{
	const char *dir = getenv("NHISCAN_SIGNATURES_DIR");

	/* For rule authors: load the YAML files directly instead of the compiled-in table. */
	if (dir && *dir)
		return config_rules_load_folder(set, dir, true);

	for (size_t i = 0; i < nhi_builtin_rule_count; i++) {
		struct nhi_rule rule;

		if (copy_rule(&rule, &nhi_builtin_rules[i]) < 0 || config_rules_append(set, &rule) < 0) {
			config_rule_dispose(&rule);
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		}
	}
	return 0;
}
