/*
 * Loading and queries of .nhiscan.yaml; see settings.h.
 */
#include "config/settings.h"
#include "model/secret.h"
#include "parse/yamldoc.h"
#include "util/error.h"
#include "util/fs.h"

#include <fnmatch.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>

#define SETTINGS_FILE_MAX (1u << 20)

static const char *const known_keys[] = {
	"signatures", "skip-paths", "disable-rules", "allow-fingerprints", NULL,
};

static void dispose_exceptions(struct nhi_exception *items, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		free(items[i].value);
		free(items[i].reason);
	}
	free(items);
}

void config_settings_dispose(struct nhi_settings *settings)
{
	for (size_t i = 0; i < settings->signature_path_count; i++)
		free(settings->signature_paths[i]);
	free(settings->signature_paths);
	dispose_exceptions(settings->skip_paths, settings->skip_path_count);
	dispose_exceptions(settings->disabled_rules, settings->disabled_rule_count);
	dispose_exceptions(settings->allowed_fingerprints, settings->allowed_fingerprint_count);
	free(settings->path);
	memset(settings, 0, sizeof(*settings));
}

static size_t sequence_length(yaml_node_t *node)
{
	return (size_t)(node->data.sequence.items.top - node->data.sequence.items.start);
}

static int check_keys(struct nhi_yamldoc *ydoc, yaml_node_t *root)
{
	for (yaml_node_pair_t *pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = nhi_yamldoc_node(ydoc, pair->key);
		const char *name = nhi_yamldoc_scalar(key);
		bool known = false;

		for (int i = 0; name && known_keys[i]; i++)
			known = known || strcmp(name, known_keys[i]) == 0;
		if (!known)
			return nhi_error_set(NHI_EINVALID, "%s:%zu: unknown key '%s'; expected signatures, skip-paths, disable-rules or allow-fingerprints",
					     ydoc->path, nhi_yamldoc_line(key), name ? name : "");
	}
	return 0;
}

static int load_signature_paths(struct nhi_settings *settings, struct nhi_yamldoc *ydoc,
				yaml_node_t *list, const char *base_dir)
{
	if (!list)
		return 0;
	if (list->type != YAML_SEQUENCE_NODE)
		return nhi_error_set(NHI_EINVALID, "%s:%zu: 'signatures' must be a list of files or folders",
				     ydoc->path, nhi_yamldoc_line(list));

	settings->signature_paths = calloc(sequence_length(list) + 1, sizeof(char *));
	if (!settings->signature_paths)
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *item = nhi_yamldoc_node(ydoc, *it);
		const char *text = nhi_yamldoc_scalar(item);
		char *path;

		if (!text || !*text)
			return nhi_error_set(NHI_EINVALID, "%s:%zu: each item of 'signatures' must be a path",
					     ydoc->path, nhi_yamldoc_line(item));
		path = text[0] == '/' ? strdup(text) : nhi_path_join(base_dir, text);
		if (!path)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		settings->signature_paths[settings->signature_path_count++] = path;
	}
	return 0;
}

static bool is_fingerprint(const char *value)
{
	size_t len = 0;

	for (; value[len]; len++)
		if (!strchr("0123456789abcdef", value[len]))
			return false;
	return len == NHI_FINGERPRINT_HEX;
}

/*
 * Reject an entry of section with a key other than value_key and "reason". A misspelt key, or
 * one that nhiscan does not support such as an expiry date, would otherwise be ignored.
 */
static int check_entry_keys(struct nhi_yamldoc *ydoc, yaml_node_t *item, const char *section, const char *value_key)
{
	if (item->type != YAML_MAPPING_NODE)
		return 0;
	for (yaml_node_pair_t *pair = item->data.mapping.pairs.start; pair < item->data.mapping.pairs.top; pair++) {
		yaml_node_t *key = nhi_yamldoc_node(ydoc, pair->key);
		const char *name = nhi_yamldoc_scalar(key);

		if (name && (strcmp(name, value_key) == 0 || strcmp(name, "reason") == 0))
			continue;
		return nhi_error_set(NHI_EINVALID, "%s:%zu: unknown key '%s' in an entry of '%s'; expected '%s' and 'reason'",
				     ydoc->path, nhi_yamldoc_line(key ? key : item), name ? name : "", section, value_key);
	}
	return 0;
}

/* Each exception is a mapping of the value key (path, id or fingerprint) and a reason. */
static int load_exceptions(struct nhi_exception **out, size_t *out_count, struct nhi_yamldoc *ydoc,
			   yaml_node_t *list, const char *section, const char *value_key)
{
	struct nhi_exception *items;
	size_t count = 0;

	if (!list)
		return 0;
	if (list->type != YAML_SEQUENCE_NODE)
		return nhi_error_set(NHI_EINVALID, "%s:%zu: '%s' must be a list of entries with '%s' and 'reason'",
				     ydoc->path, nhi_yamldoc_line(list), section, value_key);

	items = calloc(sequence_length(list) + 1, sizeof(*items));
	if (!items)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	*out = items;

	for (yaml_node_item_t *it = list->data.sequence.items.start; it < list->data.sequence.items.top; it++) {
		yaml_node_t *item = nhi_yamldoc_node(ydoc, *it);
		const char *value = nhi_yamldoc_scalar(nhi_yamldoc_get(ydoc, item, value_key));
		const char *reason = nhi_yamldoc_scalar(nhi_yamldoc_get(ydoc, item, "reason"));
		int error;

		if (item && (error = check_entry_keys(ydoc, item, section, value_key)) < 0)
			return error;
		if (!value || !*value)
			return nhi_error_set(NHI_EINVALID, "%s:%zu: each entry of '%s' needs '%s'",
					     ydoc->path, nhi_yamldoc_line(item), section, value_key);
		if (!reason || !*reason)
			return nhi_error_set(NHI_EINVALID, "%s:%zu: entry '%s' of '%s' has no 'reason'; say why it is an exception",
					     ydoc->path, nhi_yamldoc_line(item), value, section);
		if (strcmp(section, "allow-fingerprints") == 0 && !is_fingerprint(value))
			return nhi_error_set(NHI_EINVALID, "%s:%zu: invalid fingerprint '%s'; copy the 24 lower-case hex digits from the report",
					     ydoc->path, nhi_yamldoc_line(item), value);
		items[count].value = strdup(value);
		items[count].reason = strdup(reason);
		items[count].line = nhi_yamldoc_line(item);
		*out_count = ++count;
		if (!items[count - 1].value || !items[count - 1].reason)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	return 0;
}

static int load_document(struct nhi_settings *settings, struct nhi_yamldoc *ydoc, const char *base_dir)
{
	yaml_node_t *root = nhi_yamldoc_root(ydoc);
	int error;

	if (!root)
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return nhi_error_set(NHI_EINVALID, "%s:%zu: the file must be a mapping of settings",
				     ydoc->path, nhi_yamldoc_line(root));
	if ((error = check_keys(ydoc, root)) < 0)
		return error;

	if ((error = load_signature_paths(settings, ydoc, nhi_yamldoc_get(ydoc, root, "signatures"), base_dir)) < 0 ||
	    (error = load_exceptions(&settings->skip_paths, &settings->skip_path_count, ydoc,
				     nhi_yamldoc_get(ydoc, root, "skip-paths"), "skip-paths", "path")) < 0 ||
	    (error = load_exceptions(&settings->disabled_rules, &settings->disabled_rule_count, ydoc,
				     nhi_yamldoc_get(ydoc, root, "disable-rules"), "disable-rules", "id")) < 0 ||
	    (error = load_exceptions(&settings->allowed_fingerprints, &settings->allowed_fingerprint_count, ydoc,
				     nhi_yamldoc_get(ydoc, root, "allow-fingerprints"), "allow-fingerprints", "fingerprint")) < 0)
		return error;
	return 0;
}

int config_settings_load(struct nhi_settings *out, const char *path, bool optional)
{
	struct nhi_yamldoc ydoc = { 0 };
	char *data = NULL, *dir_copy = NULL;
	size_t len = 0;
	int error;

	memset(out, 0, sizeof(*out));
	error = nhi_fs_read_file(&data, &len, path, SETTINGS_FILE_MAX);
	if (error == NHI_ENOTFOUND && optional) {
		nhi_error_clear();
		return 0;
	}
	if (error < 0) {
		error = nhi_error_prefix(error, "cannot load settings: ");
		goto done;
	}

	out->path = strdup(path);
	dir_copy = strdup(path);
	if (!out->path || !dir_copy) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	if ((error = nhi_yamldoc_load(&ydoc, path, data, len)) < 0)
		goto done;
	error = load_document(out, &ydoc, dirname(dir_copy));

done:
	nhi_yamldoc_dispose(&ydoc);
	free(data);
	free(dir_copy);
	if (error < 0)
		config_settings_dispose(out);
	return error;
}

static bool glob_matches(const char *pattern, const char *relpath)
{
	size_t len = strlen(pattern);

	if (fnmatch(pattern, relpath, 0) == 0)
		return true;
	/* A folder name, with or without a trailing slash, covers every path below it. */
	if (len && pattern[len - 1] == '/')
		len--;
	return strncmp(pattern, relpath, len) == 0 && relpath[len] == '/';
}

bool config_settings_skips_path(const struct nhi_settings *settings, const char *relpath)
{
	for (size_t i = 0; i < settings->skip_path_count; i++)
		if (glob_matches(settings->skip_paths[i].value, relpath))
			return true;
	return false;
}

bool config_settings_allows_fingerprint(const struct nhi_settings *settings, const char *fingerprint)
{
	for (size_t i = 0; i < settings->allowed_fingerprint_count; i++)
		if (strcmp(settings->allowed_fingerprints[i].value, fingerprint) == 0)
			return true;
	return false;
}
