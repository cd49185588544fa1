/*
 * YAML files (pipelines, Continue, Goose and LibreChat configs, app manifests) loaded with
 * libyaml into the value tree of parse/json.h, so that the extractors read YAML, JSON and TOML
 * the same way.
 *
 * Aliases are expanded and merge keys (`<<: *defaults`, which GitLab CI and CircleCI files use
 * a lot) are applied, explicit keys winning. When a file contains several documents, the mappings
 * of the later ones are merged into the first: GitLab CI puts its `spec:` header in a document of
 * its own before the jobs. Positions are 1-based lines and byte columns; libyaml counts columns
 * in characters, so they are converted.
 */
#ifndef NHI_EXTRACT_YAML_H
#define NHI_EXTRACT_YAML_H

#include "parse/json.h"

/*
 * Parse data as YAML into out. A syntax error, or an alias expansion that exceeds the size or
 * depth limits, fails with NHI_EINVALID and the message "path:line: invalid YAML: problem";
 * out then has no root. Call parse_doc_dispose() either way.
 */
int extract_yaml_load(struct parse_doc *out, const char *path, const char *data, size_t len);

#endif
