/*
 * App manifests that declare OAuth scopes in their structure: Slack app manifests
 * (`oauth_config.scopes.bot` and `.user`, in YAML or JSON) and GitHub App manifests
 * (`default_permissions`, a map of permission to access level, as in a registration manifest or
 * a Probot app.yml). Every scope becomes an oauth.scope fact, known to the data file or not;
 * the high-risk ones also become findings.
 */
#include "extract/extractors.h"
#include "extract/scopes.h"
#include "util/error.h"

#include <stdio.h>
#include <string.h>

static int record_slack_scopes(const struct extract_file *file, const struct parse_value *list, const char *kind)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_array(list) && i < list->count && error == 0; i++) {
		const struct parse_value *scope = list->members[i].value;
		const struct extract_scope *entries;
		size_t count;

		if (!parse_value_string(scope))
			continue;
		if ((error = extract_scopes_find(&entries, &count, scope->text, scope->text_len, "slack")) < 0)
			return error;
		error = extract_scope_record(file, scope->text, entries, count, "slack", kind, scope->start,
					     extract_value_end(scope));
	}
	return error;
}

static int record_github_permissions(const struct extract_file *file, const struct parse_value *permissions)
{
	int error = 0;

	for (size_t i = 0; parse_value_is_object(permissions) && i < permissions->count && error == 0; i++) {
		const struct parse_member *member = &permissions->members[i];
		const char *access = parse_value_scalar(member->value);
		const struct extract_scope *entries;
		char scope[256];
		size_t count;

		if (!access)
			continue;
		snprintf(scope, sizeof(scope), "%s:%s", member->key, access);
		if ((error = extract_scopes_find(&entries, &count, scope, strlen(scope), "github-app")) < 0)
			return error;
		error = extract_scope_record(file, scope, entries, count, "github-app", "github-app-manifest",
					     member->key_pos, extract_value_end(member->value));
	}
	return error;
}

int extract_app_manifest(const struct extract_file *file, enum extract_format format)
{
	struct parse_doc doc = PARSE_DOC_INIT;
	const struct parse_value *scopes;
	bool loaded;
	int error;

	if ((error = extract_load(&doc, file, format, &loaded)) < 0 || !loaded || !parse_value_is_object(doc.root))
		goto done;
	scopes = parse_value_get(parse_value_get(doc.root, "oauth_config"), "scopes");
	if ((error = record_slack_scopes(file, parse_value_get(scopes, "bot"), "slack-manifest")) < 0 ||
	    (error = record_slack_scopes(file, parse_value_get(scopes, "user"), "slack-manifest")) < 0)
		goto done;
	error = record_github_permissions(file, parse_value_get(doc.root, "default_permissions"));

done:
	parse_doc_dispose(&doc);
	return error;
}
