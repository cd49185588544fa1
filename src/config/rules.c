/*
 * Loading of signature files into a rule set; see rules.h and docs/SIGNATURES.md for the format.
 * Every rejected value is reported as "file:line: what is wrong" so that a team that writes its
 * own rules can fix them without guessing.
 */
#include "config/rules.h"
#include "parse/yamldoc.h"
#include "util/error.h"
#include "util/fs.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* NOTE: a rule file above 16 MiB is rejected; the largest built-in file is far below 1 MiB. */
#define RULE_FILE_MAX (16u << 20)

static const char *const known_kinds[] = {
	"api-key", "access-token", "oauth-token", "oauth-client-secret", "refresh-token",
	"private-key", "connection-string", "webhook-url", "service-account-key", "password",
	"jwt", "signing-secret", "encryption-key", "session-token", NULL,
};

const char *config_severity_name(enum nhi_severity severity)
{
	switch (severity) {
	case NHI_SEVERITY_CRITICAL: return "critical";
	case NHI_SEVERITY_HIGH: return "high";
	case NHI_SEVERITY_MEDIUM: return "medium";
	default: return "low";
	}
}

static int parse_severity(enum nhi_severity *out, const char *text)
{
	static const char *const names[] = { "low", "medium", "high", "critical" };

	for (int i = 0; i < 4; i++) {
		if (strcmp(text, names[i]) == 0) {
			*out = (enum nhi_severity)i;
			return 0;
		}
	}
	return -1;
}

static int parse_validator(enum nhi_validator *out, const char *text)
{
	if (strcmp(text, "crc32-base62") == 0)
		*out = NHI_VALIDATOR_CRC32_BASE62;
	else if (strcmp(text, "jwt") == 0)
		*out = NHI_VALIDATOR_JWT;
	else
		return -1;
	return 0;
}

static bool is_known_kind(const char *kind)
{
	for (int i = 0; known_kinds[i]; i++)
		if (strcmp(kind, known_kinds[i]) == 0)
			return true;
	return false;
}

/* Ids are lower-case words of [a-z0-9_-] joined by dots, like "github.pat.classic". */
static bool is_valid_id(const char *id)
{
	bool after_dot = true;

	if (!*id)
		return false;
	for (const char *p = id; *p; p++) {
		if (*p == '.') {
			if (after_dot)
				return false;
			after_dot = true;
			continue;
		}
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) || *p == '-' || *p == '_'))
			return false;
		after_dot = false;
	}
	return !after_dot;
}

static void dispose_strings(char **items, size_t count)
{
	for (size_t i = 0; i < count; i++)
		free(items[i]);
	free(items);
}

void config_rule_dispose(struct nhi_rule *rule)
{
	free(rule->id);
	free(rule->name);
	free(rule->provider);
	free(rule->kind);
	free(rule->pattern);
	free(rule->prefilter);
	free(rule->docs);
	free(rule->remediation);
	free(rule->source_path);
	dispose_strings(rule->keywords, rule->keyword_count);
	dispose_strings(rule->examples, rule->example_count);
	dispose_strings(rule->negatives, rule->negative_count);
	memset(rule, 0, sizeof(*rule));
}

void config_rules_dispose(struct nhi_rule_set *set)
{
	for (size_t i = 0; i < set->count; i++)
		config_rule_dispose(&set->rules[i]);
	free(set->rules);
	memset(set, 0, sizeof(*set));
}

long config_rules_find(const struct nhi_rule_set *set, const char *id)
{
	for (size_t i = 0; i < set->count; i++)
		if (strcmp(set->rules[i].id, id) == 0)
			return (long)i;
	return -1;
}

/* Copy a required scalar field; a missing or non-scalar value is an error at the rule's line. */
static int copy_required(char **out, struct nhi_yamldoc *ydoc, yaml_node_t *rule_node,
			 const char *key)
{
	yaml_node_t *node = nhi_yamldoc_get(ydoc, rule_node, key);
	const char *text = nhi_yamldoc_scalar(node);

	if (!text || !*text)
		return nhi_error_set(NHI_EINVALID, "%s:%zu: rule has no '%s'; add it (see docs/SIGNATURES.md)",
				     ydoc->path, nhi_yamldoc_line(node ? node : rule_node), key);
	*out = strdup(text);
	return *out ? 0 : nhi_error_set(NHI_ENOMEM, "out of memory");
}

static int copy_string_list(char ***out, size_t *out_count, struct nhi_yamldoc *ydoc,
			    yaml_node_t *list, const char *key, bool lower)
{
	char **items = NULL;
	size_t count = 0;

	if (!list)
		return 0;
	if (list->type != YAML_SEQUENCE_NODE)
		return nhi_error_set(NHI_EINVALID, "%s:%zu: '%s' must be a list of strings",
				     ydoc->path, nhi_yamldoc_line(list), key);

	size_t n = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);

	items = calloc(n ? n : 1, sizeof(*items));
	if (!items)
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *item = nhi_yamldoc_node(ydoc, *it);
		const char *text = nhi_yamldoc_scalar(item);

		if (!text) {
			dispose_strings(items, count);
			return nhi_error_set(NHI_EINVALID, "%s:%zu: every item of '%s' must be a string",
					     ydoc->path, nhi_yamldoc_line(item), key);
		}
		items[count] = strdup(text);
		if (!items[count]) {
			dispose_strings(items, count);
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		}
		if (lower)
			for (char *p = items[count]; *p; p++)
				*p = (char)tolower((unsigned char)*p);
		count++;
	}

	*out = items;
	*out_count = count;
	return 0;
}

static int parse_optional_fields(struct nhi_rule *rule, struct nhi_yamldoc *ydoc, yaml_node_t *node)
{
	yaml_node_t *field;
	const char *text;
	int error;

	if ((error = copy_string_list(&rule->keywords, &rule->keyword_count, ydoc,
				      nhi_yamldoc_get(ydoc, node, "keywords"), "keywords", true)) < 0)
		return error;

	field = nhi_yamldoc_get(ydoc, node, "prefilter");
	if (field) {
		text = nhi_yamldoc_scalar(field);
		if (!text || !*text)
			return nhi_error_set(NHI_EINVALID, "%s:%zu: 'prefilter' must be a non-empty pattern",
					     ydoc->path, nhi_yamldoc_line(field));
		if (!(rule->prefilter = strdup(text)))
			return nhi_error_set(NHI_ENOMEM, "out of memory");
	}

	field = nhi_yamldoc_get(ydoc, node, "entropy");
	if (field) {
		char *end = NULL;

		text = nhi_yamldoc_scalar(field);
		rule->entropy_min = text ? strtod(text, &end) : -1;
		if (!text || end == text || *end || rule->entropy_min < 0 || rule->entropy_min > 8)
			return nhi_error_set(NHI_EINVALID, "%s:%zu: 'entropy' must be a number from 0 to 8 (bits per character)",
					     ydoc->path, nhi_yamldoc_line(field));
	}

	field = nhi_yamldoc_get(ydoc, node, "validator");
	if (field) {
		text = nhi_yamldoc_scalar(field);
		if (!text || parse_validator(&rule->validator, text) < 0)
			return nhi_error_set(NHI_EINVALID, "%s:%zu: unknown validator '%s'; use crc32-base62 or jwt",
					     ydoc->path, nhi_yamldoc_line(field), text ? text : "");
	}

	field = nhi_yamldoc_get(ydoc, node, "severity");
	rule->severity = NHI_SEVERITY_HIGH;
	if (field) {
		text = nhi_yamldoc_scalar(field);
		if (!text || parse_severity(&rule->severity, text) < 0)
			return nhi_error_set(NHI_EINVALID, "%s:%zu: invalid severity '%s'; use critical, high, medium or low",
					     ydoc->path, nhi_yamldoc_line(field), text ? text : "");
	}
	return 0;
}

static int parse_examples(struct nhi_rule *rule, struct nhi_yamldoc *ydoc, yaml_node_t *node)
{
	int error;

	if ((error = copy_string_list(&rule->examples, &rule->example_count, ydoc,
				      nhi_yamldoc_get(ydoc, node, "examples"), "examples", false)) < 0)
		return error;
	if ((error = copy_string_list(&rule->negatives, &rule->negative_count, ydoc,
				      nhi_yamldoc_get(ydoc, node, "negative"), "negative", false)) < 0)
		return error;
	if (rule->example_count == 0 || rule->negative_count == 0)
		return nhi_error_set(NHI_EINVALID, "%s:%zu: rule '%s' needs at least one item in 'examples' and in 'negative'",
				     ydoc->path, rule->source_line, rule->id);
	return 0;
}

static int parse_rule(struct nhi_rule *rule, struct nhi_yamldoc *ydoc, yaml_node_t *node, bool builtin)
{
	static const char *const required[] = { "name", "provider", "kind", "pattern", "docs", "remediation" };
	char **targets[] = { &rule->name, &rule->provider, &rule->kind, &rule->pattern, &rule->docs,
			     &rule->remediation };
	int error;

	memset(rule, 0, sizeof(*rule));
	rule->builtin = builtin;
	rule->source_line = nhi_yamldoc_line(node);
	rule->source_path = strdup(ydoc->path);
	if (!rule->source_path)
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	if (node->type != YAML_MAPPING_NODE)
		return nhi_error_set(NHI_EINVALID, "%s:%zu: each rule must be a mapping with id, name, pattern, ...",
				     ydoc->path, rule->source_line);

	if ((error = copy_required(&rule->id, ydoc, node, "id")) < 0)
		return error;
	if (!is_valid_id(rule->id))
		return nhi_error_set(NHI_EINVALID, "%s:%zu: invalid rule id '%s'; use lower-case words joined by dots, like 'acme.api.key'",
				     ydoc->path, rule->source_line, rule->id);

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if ((error = copy_required(targets[i], ydoc, node, required[i])) < 0)
			return error;

	if (!is_known_kind(rule->kind))
		return nhi_error_set(NHI_EINVALID, "%s:%zu: unknown kind '%s' in rule '%s'; see the list in docs/SIGNATURES.md",
				     ydoc->path, rule->source_line, rule->kind, rule->id);

	if ((error = parse_optional_fields(rule, ydoc, node)) < 0)
		return error;
	if ((error = parse_examples(rule, ydoc, node)) < 0)
		return error;

	rule->generic = strncmp(rule->id, "generic.", 8) == 0;
	return 0;
}

int config_rules_append(struct nhi_rule_set *set, struct nhi_rule *rule)
{
	if (set->count == set->alloc) {
		size_t alloc = set->alloc ? set->alloc * 2 : 256;
		struct nhi_rule *rules = realloc(set->rules, alloc * sizeof(*rules));

		if (!rules)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		set->rules = rules;
		set->alloc = alloc;
	}
	set->rules[set->count++] = *rule;
	return 0;
}

static int check_duplicate(const struct nhi_rule_set *set, const struct nhi_rule *rule)
{
	long existing = config_rules_find(set, rule->id);

	if (existing < 0)
		return 0;
	const struct nhi_rule *other = &set->rules[existing];

	if (other->builtin && !rule->builtin)
		return nhi_error_set(NHI_EINVALID, "%s:%zu: rule id '%s' is already a built-in rule; give the custom rule another id, for example with your organisation's name as its first word",
				     rule->source_path, rule->source_line, rule->id);
	return nhi_error_set(NHI_EINVALID, "%s:%zu: rule id '%s' is already defined at %s:%zu; ids must be unique",
			     rule->source_path, rule->source_line, rule->id, other->source_path,
			     other->source_line);
}

int config_rules_load(struct nhi_rule_set *set, const struct nhi_rule_source *source, bool builtin)
{
	struct nhi_yamldoc ydoc;
	yaml_node_t *root, *list;
	int error;

	if ((error = nhi_yamldoc_load(&ydoc, source->path, source->data, source->len)) < 0) {
		nhi_yamldoc_dispose(&ydoc);
		return error;
	}

	root = nhi_yamldoc_root(&ydoc);
	list = nhi_yamldoc_get(&ydoc, root, "rules");
	if (!list || list->type != YAML_SEQUENCE_NODE) {
		error = nhi_error_set(NHI_EINVALID, "%s:%zu: a signature file must have a top-level 'rules:' list",
				      source->path, root ? nhi_yamldoc_line(root) : 1);
		goto done;
	}

	for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		struct nhi_rule rule;

		if ((error = parse_rule(&rule, &ydoc, nhi_yamldoc_node(&ydoc, *it), builtin)) < 0 ||
		    (error = check_duplicate(set, &rule)) < 0 ||
		    (error = config_rules_append(set, &rule)) < 0) {
			config_rule_dispose(&rule);
			goto done;
		}
	}

done:
	nhi_yamldoc_dispose(&ydoc);
	return error;
}

int config_rules_load_file(struct nhi_rule_set *set, const char *path, bool builtin)
{
	struct nhi_rule_source source;
	char *data = NULL;
	size_t len = 0;
	int error;

	if ((error = nhi_fs_read_file(&data, &len, path, RULE_FILE_MAX)) < 0)
		return nhi_error_prefix(error, "cannot load signatures: ");

	source.path = path;
	source.data = data;
	source.len = len;
	error = config_rules_load(set, &source, builtin);
	free(data);
	return error;
}

static bool has_yaml_suffix(const char *name)
{
	size_t len = strlen(name);

	return (len > 4 && strcmp(name + len - 4, ".yml") == 0) ||
	       (len > 5 && strcmp(name + len - 5, ".yaml") == 0);
}

static bool is_rule_scope_file(const char *name)
{
	/* Data files under signatures/ that are not rule files (for example OAuth scope risks). */
	return strstr(name, "scopes") != NULL;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load every YAML file of a folder, in name order so that rule order is reproducible. */
int config_rules_load_folder(struct nhi_rule_set *set, const char *path, bool builtin)
{
	DIR *dir = opendir(path);
	char **names = NULL;
	size_t count = 0, alloc = 0;
	struct dirent *entry;
	int error = 0;

	if (!dir)
		return nhi_error_set(NHI_EIO, "cannot open signature folder '%s': %s", path, strerror(errno));

	while ((entry = readdir(dir)) != NULL) {
		if (entry->d_name[0] == '.' || !has_yaml_suffix(entry->d_name) ||
		    (builtin && is_rule_scope_file(entry->d_name)))
			continue;
		if (count == alloc) {
			alloc = alloc ? alloc * 2 : 32;
			char **grown = realloc(names, alloc * sizeof(*names));

			if (!grown) {
				error = nhi_error_set(NHI_ENOMEM, "out of memory");
				goto done;
			}
			names = grown;
		}
		names[count] = nhi_path_join(path, entry->d_name);
		if (!names[count]) {
			error = nhi_error_set(NHI_ENOMEM, "out of memory");
			goto done;
		}
		count++;
	}
	if (names)
		qsort(names, count, sizeof(*names), compare_names);

	for (size_t i = 0; i < count && error == 0; i++)
		error = config_rules_load_file(set, names[i], builtin);

done:
	closedir(dir);
	dispose_strings(names, count);
	return error;
}

int config_rules_load_path(struct nhi_rule_set *set, const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return nhi_error_set(NHI_ENOTFOUND, "signature path '%s' not found: %s; check the path in --signatures or .nhiscan.yaml",
				     path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return config_rules_load_folder(set, path, false);
	return config_rules_load_file(set, path, false);
}
