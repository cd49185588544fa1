/*
 * The extractors that extract_file() dispatches to, one per family of files, and the document
 * loader they share. The dispatcher chooses each extractor by the file's path, and for generic
 * names such as config.yaml also by a cheap look at the content. An extractor returns 0 after a
 * malformed file too, with a warning. It fails only when memory runs out or the OAuth scope data
 * file is broken.
 */
#ifndef NHI_EXTRACT_EXTRACTORS_H
#define NHI_EXTRACT_EXTRACTORS_H

#include <stdbool.h>

#include "extract/emit.h"
#include "parse/json.h"

enum extract_format {
	EXTRACT_FORMAT_JSON,
	EXTRACT_FORMAT_TOML,
	EXTRACT_FORMAT_YAML,
};

/* MCP and agent clients, each with the layout of its configuration file. */
enum extract_client {
	EXTRACT_CLIENT_CLAUDE_DESKTOP,
	EXTRACT_CLIENT_CLAUDE_CODE,          /* .mcp.json and ~/.claude.json */
	EXTRACT_CLIENT_CLAUDE_CODE_SETTINGS, /* .claude/settings.json */
	EXTRACT_CLIENT_CURSOR,
	EXTRACT_CLIENT_VSCODE,               /* .vscode/mcp.json */
	EXTRACT_CLIENT_VSCODE_SETTINGS,      /* .vscode/settings.json, under "mcp" */
	EXTRACT_CLIENT_WINDSURF,
	EXTRACT_CLIENT_CLINE,
	EXTRACT_CLIENT_CONTINUE,
	EXTRACT_CLIENT_ZED,
	EXTRACT_CLIENT_GEMINI,
	EXTRACT_CLIENT_CODEX,
	EXTRACT_CLIENT_AMAZON_Q,
	EXTRACT_CLIENT_GOOSE,
	EXTRACT_CLIENT_LIBRECHAT,
	EXTRACT_CLIENT_GENERIC,              /* a file called mcp.json that no client above claims */
};

/*
 * Load file as format into doc. A syntax error appends its one-line message to the warnings and
 * leaves *loaded false; the return value is an error only when memory runs out.
 */
int extract_load(struct parse_doc *doc, const struct extract_file *file, enum extract_format format,
		 bool *loaded);

int extract_github_workflow(const struct extract_file *file, bool composite_action);
int extract_gitlab_ci(const struct extract_file *file);
int extract_circleci(const struct extract_file *file);
int extract_azure_pipelines(const struct extract_file *file);
int extract_bitbucket_pipelines(const struct extract_file *file);
int extract_jenkinsfile(const struct extract_file *file);

int extract_mcp_config(const struct extract_file *file, enum extract_client client, enum extract_format format);

/* Slack app manifests (oauth_config.scopes) and GitHub App manifests (default_permissions). */
int extract_app_manifest(const struct extract_file *file, enum extract_format format);

/* OAuth scopes written anywhere in a text file: scope strings, lists and well-known scope URLs. */
int extract_scopes_in_text(const struct extract_file *file);

/* Return true when data might declare OAuth scopes; cheap enough to run on every file. */
bool extract_scopes_may_occur(const char *data, size_t len);

#endif
