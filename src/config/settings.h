/*
 * The project's .nhiscan.yaml: extra signature files, paths to skip, rules to disable and
 * fingerprints to allow, each exception with the reason a reviewer gave. Loaded once per run.
 *
 *   signatures:
 *     - security/nhiscan-rules/        # files or folders, relative to the file's folder
 *   skip-paths:
 *     - path: tests/fixtures/
 *       reason: fixtures hold fake keys
 *   disable-rules:
 *     - id: generic.password.unquoted
 *       reason: too noisy for this code base
 *   allow-fingerprints:
 *     - fingerprint: 3b1f0c...
 *       reason: public demo key, revoked
 */
#ifndef NHI_CONFIG_SETTINGS_H
#define NHI_CONFIG_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

struct nhi_exception {
	char *value;  /* the glob, rule id or fingerprint */
	char *reason;
	size_t line;  /* in the settings file */
};

struct nhi_settings {
	char *path;                 /* the file loaded, or NULL when there was none */
	char **signature_paths;     /* resolved against the file's folder */
	size_t signature_path_count;
	struct nhi_exception *skip_paths;
	size_t skip_path_count;
	struct nhi_exception *disabled_rules;
	size_t disabled_rule_count;
	struct nhi_exception *allowed_fingerprints;
	size_t allowed_fingerprint_count;
};

/* Load path; a missing file gives empty settings when `optional` is set. */
int config_settings_load(struct nhi_settings *out, const char *path, bool optional);

/* Return true when relpath matches a skip-paths glob ('*' also crosses '/'; a folder covers all below it). */
bool config_settings_skips_path(const struct nhi_settings *settings, const char *relpath);

bool config_settings_allows_fingerprint(const struct nhi_settings *settings, const char *fingerprint);

void config_settings_dispose(struct nhi_settings *settings);

#endif
