/*
 * Detection rules: the signature files under signatures/ (compiled into the binary) and the
 * custom files that a team adds. A rule set is loaded once, checked for duplicate ids and bad
 * fields with "file:line" messages, and then read-only for the whole run, so threads share it.
 */
#ifndef NHI_CONFIG_RULES_H
#define NHI_CONFIG_RULES_H

#include <stdbool.h>
#include <stddef.h>

enum nhi_severity {
	NHI_SEVERITY_LOW = 0,
	NHI_SEVERITY_MEDIUM,
	NHI_SEVERITY_HIGH,
	NHI_SEVERITY_CRITICAL,
};

enum nhi_validator {
	NHI_VALIDATOR_NONE = 0,
	NHI_VALIDATOR_CRC32_BASE62,
	NHI_VALIDATOR_JWT,
};

struct nhi_rule {
	char *id;
	char *name;
	char *provider;
	char *kind;
	char *pattern;
	char *prefilter;        /* Hyperscan's candidate pattern; NULL to derive it from pattern */
	char *docs;
	char *remediation;
	char **keywords;        /* lower case */
	size_t keyword_count;
	char **examples;
	size_t example_count;
	char **negatives;
	size_t negative_count;
	double entropy_min;     /* bits per character; 0 when unset */
	enum nhi_severity severity;
	enum nhi_validator validator;
	bool generic;           /* id starts with "generic.": yields to a specific rule on overlap */
	bool builtin;
	char *source_path;      /* file the rule came from, for messages */
	size_t source_line;
};

struct nhi_rule_set {
	struct nhi_rule *rules;
	size_t count;
	size_t alloc;
};

/* A named text that holds rule YAML: a built-in file or a custom file read from disk. */
struct nhi_rule_source {
	const char *path;
	const char *data;
	size_t len;
};

/* Add the rules of one YAML text to set; builtin marks where they came from. */
int config_rules_load(struct nhi_rule_set *set, const struct nhi_rule_source *source, bool builtin);

/* Load the built-in files, from NHISCAN_SIGNATURES_DIR when it is set or else from the binary. */
int config_rules_load_builtin(struct nhi_rule_set *set);

/* Load a custom rule file, or every .yml and .yaml file in a folder. */
int config_rules_load_path(struct nhi_rule_set *set, const char *path);

/* Load one rule file, or the rule files of a folder in name order (skipping scope data). */
int config_rules_load_file(struct nhi_rule_set *set, const char *path, bool builtin);
int config_rules_load_folder(struct nhi_rule_set *set, const char *path, bool builtin);

/* Move rule into set, which then owns its strings. */
int config_rules_append(struct nhi_rule_set *set, struct nhi_rule *rule);
void config_rule_dispose(struct nhi_rule *rule);

/* Return the index of the rule with id, or -1. */
long config_rules_find(const struct nhi_rule_set *set, const char *id);

void config_rules_dispose(struct nhi_rule_set *set);

const char *config_severity_name(enum nhi_severity severity);

#endif
