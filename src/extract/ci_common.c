/*
 * Shared pipeline facts and credential checks; see ci_common.h.
 */
#include "extract/ci_common.h"
#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static const struct extract_rule hardcoded_credential_rule = {
	.id = "ci.hardcoded-credential",
	.name = "Credential written into a pipeline file",
	.kind = "ci.hardcoded-credential",
	.provider = "ci",
	.severity = NHI_SEVERITY_HIGH,
	.remediation = "Revoke the credential, store it in the CI system's secret store and reference it from there.",
	.docs = NULL,
};

int ci_begin(struct ci_context *ctx, const struct extract_file *file, const char *system,
	     const struct parse_value *root, struct nhi_fact **out)
{
	struct parse_pos top = { 1, 1 };
	struct nhi_fact *fact;
	int error;

	ctx->file = file;
	ctx->system = system;
	extract_ref(ctx->workflow_ref, "ci.workflow", file->path);
	if ((error = extract_fact(&fact, file, "ci.workflow", file->path, NULL, top)) < 0 ||
	    (error = extract_attr(fact, "system", system)) < 0 ||
	    (error = extract_attr(fact, "name", parse_value_string(parse_value_get(root, "name")))) < 0)
		return error;
	if (out)
		*out = fact;
	return 0;
}

int ci_add_job(const struct ci_context *ctx, const char *id, struct parse_pos pos, char *job_ref,
	       struct nhi_fact **out)
{
	struct nhi_fact *fact;
	int error;

	extract_ref(job_ref, "ci.job", id);
	if ((error = extract_fact(&fact, ctx->file, "ci.job", id, ctx->workflow_ref, pos)) < 0 ||
	    (error = extract_attr(fact, "system", ctx->system)) < 0)
		return error;
	if (out)
		*out = fact;
	return 0;
}

int ci_add_secret(const struct ci_context *ctx, struct nhi_fact **out, const char *key,
		  const char *parent, struct parse_pos pos, const char *store, const char *flow,
		  const char *classification)
{
	struct nhi_fact *fact;
	int error;

	if ((error = extract_fact(&fact, ctx->file, "ci.secret", key, parent ? parent : ctx->workflow_ref, pos)) < 0 ||
	    (error = extract_attr(fact, "system", ctx->system)) < 0 ||
	    (error = extract_attr(fact, "store", store)) < 0 ||
	    (error = extract_attr(fact, "flow", flow)) < 0 ||
	    (error = extract_attr(fact, "classification", classification)) < 0)
		return error;
	if (out)
		*out = fact;
	return 0;
}

int extract_add_reference(const struct extract_file *file, const struct extract_reference *ref,
			  const char *parent, struct parse_pos pos)
{
	char key[EXTRACT_REF_MAX];
	struct nhi_fact *fact;
	int error;

	snprintf(key, sizeof(key), "%s:%s", ref->store, ref->name);
	if ((error = extract_fact(&fact, file, "credential.reference", key, parent, pos)) < 0 ||
	    (error = extract_attr(fact, "store", ref->store)) < 0 ||
	    (error = extract_attr(fact, "name", ref->name)) < 0)
		return error;
	return 0;
}

/* A reference that is worth a ci.secret: a secret store, or a variable named like a credential. */
static bool is_secret_reference(const struct extract_reference *ref, const char *name)
{
	return strcmp(ref->store, "secret") == 0 || extract_name_is_credential(ref->name) ||
	       extract_name_is_credential(name);
}

static int add_literal(const struct ci_context *ctx, const char *name, struct parse_pos name_pos,
		       const struct parse_value *value, const char *flow, const char *parent)
{
	struct extract_rule rule = hardcoded_credential_rule;
	struct nhi_fact *fact;
	int error;

	rule.provider = ctx->system;
	if ((error = ci_add_secret(ctx, &fact, name, parent, name_pos, "literal", flow, "hard-coded")) < 0 ||
	    (error = extract_add_secret_identity(fact, value->text, value->text_len)) < 0)
		return error;
	return extract_secret_finding(ctx->file, &rule, value->text, value->text_len, value->start,
				      extract_value_end(value), "'%s' in %s is set to a literal credential",
				      name, flow);
}

int ci_check_variable(const struct ci_context *ctx, const char *name, struct parse_pos name_pos,
		      const struct parse_value *value, const char *flow, const char *parent, bool *was_secret)
{
	struct extract_reference ref;
	struct nhi_fact *fact;
	char secret_ref[EXTRACT_REF_MAX];
	const char *text = parse_value_scalar(value);
	int error;

	if (!text || !*text)
		return 0;
	if (extract_find_reference(&ref, text, value->text_len)) {
		if (!is_secret_reference(&ref, name))
			return 0;
		if (was_secret && strcmp(ref.store, "secret") == 0)
			*was_secret = true;
		if ((error = ci_add_secret(ctx, &fact, *ref.name ? ref.name : name, parent,
					   extract_text_pos(value, ref.offset), ref.store, flow, "reference")) < 0 ||
		    (error = extract_attr(fact, "variable", name)) < 0)
			return error;
		extract_ref(secret_ref, "ci.secret", fact->key);
		return extract_add_reference(ctx->file, &ref, secret_ref, extract_text_pos(value, ref.offset));
	}
	if (value->type != PARSE_STRING || !extract_value_is_secret(name, text, value->text_len))
		return 0;
	return add_literal(ctx, name, name_pos, value, flow, parent);
}

/* A "NAME=value" string of a list: check the part after '='. */
static int check_assignment(const struct ci_context *ctx, const struct parse_value *item, const char *flow,
			    const char *parent, bool *was_secret)
{
	const char *text = parse_value_string(item);
	const char *equals = text ? strchr(text, '=') : NULL;
	char name[EXTRACT_NAME_MAX];
	struct parse_value value;
	size_t name_len;

	if (!equals || equals == text)
		return 0;
	name_len = (size_t)(equals - text) < sizeof(name) - 1 ? (size_t)(equals - text) : sizeof(name) - 1;
	memcpy(name, text, name_len);
	name[name_len] = '\0';
	value = *item;
	value.text = equals + 1;
	value.text_len = item->text_len - (size_t)(equals + 1 - text);
	value.start = extract_text_pos(item, (size_t)(equals + 1 - text));
	return ci_check_variable(ctx, name, item->start, &value, flow, parent, was_secret);
}

int ci_check_variables(const struct ci_context *ctx, const struct parse_value *variables,
		       const char *flow, const char *parent, bool *was_secret)
{
	int error = 0;

	if (parse_value_is_object(variables)) {
		for (size_t i = 0; i < variables->count && error == 0; i++) {
			const struct parse_member *member = &variables->members[i];
			const struct parse_value *value = member->value;

			/* GitLab's {value: ..., description: ...} form. */
			if (parse_value_is_object(value) && parse_value_get(value, "value"))
				value = parse_value_get(value, "value");
			error = ci_check_variable(ctx, member->key, member->key_pos, value, flow, parent, was_secret);
		}
		return error;
	}
	if (!parse_value_is_array(variables))
		return 0;
	for (size_t i = 0; i < variables->count && error == 0; i++) {
		const struct parse_value *item = variables->members[i].value;
		const struct parse_member *name = parse_value_member(item, "name");

		if (name && parse_value_string(name->value))
			error = ci_check_variable(ctx, name->value->text, name->value->start,
						  parse_value_get(item, "value"), flow, parent, was_secret);
		else if (parse_value_string(item))
			error = check_assignment(ctx, item, flow, parent, was_secret);
	}
	return error;
}

int ci_each_string(const struct ci_context *ctx, const struct parse_value *value, ci_string_visitor visit, void *arg)
{
	int error = 0;

	if (!value)
		return 0;
	if (value->type == PARSE_STRING)
		return visit(ctx, value, arg);
	if (value->type != PARSE_ARRAY && value->type != PARSE_OBJECT)
		return 0;
	for (size_t i = 0; i < value->count && error == 0; i++)
		error = ci_each_string(ctx, value->members[i].value, visit, arg);
	return error;
}

struct script_scan {
	const char *store;
	const char *parent;
};

/* Length of the variable name at text[at] of `$NAME`, `${NAME}` or `$(NAME)`; 0 when none. */
static size_t read_variable(const char *text, size_t len, size_t at, size_t *name_start)
{
	size_t i = at + 1, n = 0;

	if (i < len && (text[i] == '{' || text[i] == '('))
		i++;
	if (i >= len || !(isalpha((unsigned char)text[i]) || text[i] == '_'))
		return 0;
	while (i + n < len && (isalnum((unsigned char)text[i + n]) || text[i + n] == '_' || text[i + n] == '.'))
		n++;
	*name_start = i;
	return n;
}

static int scan_script_string(const struct ci_context *ctx, const struct parse_value *script, void *arg)
{
	const struct script_scan *scan = arg;
	const char *text = script->text;
	char name[EXTRACT_NAME_MAX];
	int error = 0;

	for (size_t at = 0; at < script->text_len && error == 0; at++) {
		size_t start = 0, n;
		struct extract_reference ref;
		char secret_ref[EXTRACT_REF_MAX];
		struct nhi_fact *fact;

		if (text[at] != '$' || (n = read_variable(text, script->text_len, at, &start)) == 0)
			continue;
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		memcpy(name, text + start, n);
		name[n] = '\0';
		if (!extract_name_is_credential(name))
			continue;
		memset(&ref, 0, sizeof(ref));
		ref.store = scan->store;
		memcpy(ref.name, name, n + 1);
		if ((error = ci_add_secret(ctx, &fact, name, scan->parent, extract_text_pos(script, at),
					   scan->store, "script", "reference")) < 0)
			break;
		extract_ref(secret_ref, "ci.secret", name);
		error = extract_add_reference(ctx->file, &ref, secret_ref, extract_text_pos(script, at));
		at = start + n - 1;
	}
	return error;
}

int ci_scan_script(const struct ci_context *ctx, const struct parse_value *script, const char *store,
		   const char *parent)
{
	struct script_scan scan = { store, parent };

	return ci_each_string(ctx, script, scan_script_string, &scan);
}
