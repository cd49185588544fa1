/*
 * SARIF 2.1.0 writer, in the shape GitHub code scanning accepts: one run, the rules that have
 * results with their help text and a security-severity, and results whose partialFingerprints
 * carry the secret's fingerprint so that moved lines keep their alert.
 */
#include "output/output.h"
#include "core/finding.h"

#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define TOOL_URI "https://github.com/nhiscan/nhiscan"

/* GitHub maps security-severity to critical (9.0+), high (7.0+), medium (4.0+) and low. */
static const char *security_severity(enum nhi_severity severity)
{
	switch (severity) {
	case NHI_SEVERITY_CRITICAL: return "9.5";
	case NHI_SEVERITY_HIGH: return "8.0";
	case NHI_SEVERITY_MEDIUM: return "5.5";
	default: return "3.0";
	}
}

static const char *sarif_level(enum nhi_severity severity)
{
	if (severity >= NHI_SEVERITY_HIGH)
		return "error";
	if (severity == NHI_SEVERITY_MEDIUM)
		return "warning";
	return "note";
}

/*
 * Number the distinct rule ids in order of first appearance: rule_of[i] is finding i's index in
 * the "rules" array, and first[r] the finding that stands for rule r.
 */
struct rule_table {
	size_t *rule_of;
	size_t *first;
	size_t count;
};

static int build_rule_table(struct rule_table *table, const struct nhi_vec *findings)
{
	size_t n = findings->count ? findings->count : 1;

	table->count = 0;
	table->rule_of = calloc(n, sizeof(size_t));
	table->first = calloc(n, sizeof(size_t));
	if (!table->rule_of || !table->first)
		return nhi_error_set(NHI_ENOMEM, "out of memory");

	for (size_t i = 0; i < findings->count; i++) {
		const struct nhi_finding *f = findings->items[i];
		size_t r = 0;

		while (r < table->count &&
		       strcmp(((const struct nhi_finding *)findings->items[table->first[r]])->rule_id, f->rule_id) != 0)
			r++;
		if (r == table->count)
			table->first[table->count++] = i;
		table->rule_of[i] = r;
	}
	return 0;
}

static int write_rule(struct nhi_buf *out, const struct nhi_finding *f, bool first)
{
	int error = nhi_buf_puts(out, first ? "\n" : ",\n");

	if (!error) error = nhi_buf_puts(out, "        {\"id\": ");
	if (!error) error = output_json_string(out, f->rule_id);
	if (!error) error = nhi_buf_puts(out, ", \"name\": ");
	if (!error) error = output_json_string(out, f->rule_id);
	if (!error) error = nhi_buf_puts(out, ",\n         \"shortDescription\": {\"text\": ");
	if (!error) error = output_json_string(out, f->rule_name);
	if (!error) error = nhi_buf_puts(out, "},\n         \"fullDescription\": {\"text\": ");
	if (!error) error = output_json_string(out, f->rule_name);
	if (!error) error = nhi_buf_puts(out, "},\n         \"help\": {\"text\": ");
	if (!error) error = output_json_string(out, f->remediation ? f->remediation : f->rule_name);
	if (!error) error = nhi_buf_puts(out, "},\n");
	if (!error && f->docs) {
		error = nhi_buf_puts(out, "         \"helpUri\": ");
		if (!error) error = output_json_string(out, f->docs);
		if (!error) error = nhi_buf_puts(out, ",\n");
	}
	if (!error) error = nhi_buf_printf(out, "         \"defaultConfiguration\": {\"level\": \"%s\"},\n"
					   "         \"properties\": {\"tags\": [\"security\", ", sarif_level(f->severity));
	if (!error) error = output_json_string(out, f->kind);
	if (!error) error = nhi_buf_printf(out, "], \"security-severity\": \"%s\"}}", security_severity(f->severity));
	return error;
}

static int write_rules(struct nhi_buf *out, const struct nhi_vec *findings, const struct rule_table *table)
{
	int error = 0;

	for (size_t r = 0; r < table->count && error == 0; r++)
		error = write_rule(out, findings->items[table->first[r]], r == 0);
	return error;
}

/* The git modes' attribution, as result properties: SARIF has no field of its own for it. */
static int write_provenance(struct nhi_buf *out, const struct nhi_finding *f)
{
	const char *names[] = { "commit", "author", "email", "date" };
	const char *values[] = { f->commit, f->author, f->email, f->date };
	int error = nhi_buf_puts(out, ",\n         \"properties\": {");

	for (size_t i = 0; i < 4 && error == 0; i++) {
		error = nhi_buf_printf(out, "%s\"%s\": ", i ? ", " : "", names[i]);
		if (!error)
			error = output_json_string(out, values[i] ? values[i] : "");
	}
	if (error == 0 && f->earlier_unreadable &&
	    (error = nhi_buf_puts(out, ", \"earlier_unreadable\": ")) == 0)
		error = output_json_string(out, f->earlier_unreadable);
	return error ? error : nhi_buf_putc(out, '}');
}

static int write_result(struct nhi_buf *out, const struct nhi_vec *findings, const struct rule_table *table, size_t i)
{
	const struct nhi_finding *f = findings->items[i];
	int error = nhi_buf_puts(out, i ? ",\n" : "\n");

	if (!error) error = nhi_buf_puts(out, "        {\"ruleId\": ");
	if (!error) error = output_json_string(out, f->rule_id);
	if (!error) error = nhi_buf_printf(out, ", \"ruleIndex\": %zu, \"level\": \"%s\",\n         \"message\": {\"text\": ",
					   table->rule_of[i], sarif_level(f->severity));
	if (!error) {
		struct nhi_buf text = NHI_BUF_INIT;

		error = nhi_buf_printf(&text, "%s%s%s", f->message ? f->message : f->rule_name,
				       f->redacted ? ": " : "", f->redacted ? f->redacted : "");
		if (!error) error = output_json_string(out, text.ptr);
		nhi_buf_dispose(&text);
	}
	if (!error) error = nhi_buf_puts(out, "},\n         \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
	if (!error) error = output_json_string(out, f->path);
	if (!error) error = nhi_buf_printf(out, ", \"uriBaseId\": \"%%SRCROOT%%\"},\n"
					   "           \"region\": {\"startLine\": %zu, \"startColumn\": %zu, \"endLine\": %zu, \"endColumn\": %zu}}}]",
					   f->line, f->column, f->end_line, f->end_column);
	if (!error && f->fingerprint[0])
		error = nhi_buf_printf(out, ",\n         \"partialFingerprints\": {\"nhiscan/v1\": \"%s\"}", f->fingerprint);
	if (!error && f->commit)
		error = write_provenance(out, f);
	return error ? error : nhi_buf_putc(out, '}');
}

int output_write_sarif(struct nhi_buf *out, const struct nhi_vec *findings, const struct nhi_output_meta *meta)
{
	struct rule_table table = { 0 };
	int error;

	if ((error = build_rule_table(&table, findings)) < 0)
		goto done;
	error = nhi_buf_printf(out, "{\n  \"$schema\": \"%s\",\n  \"version\": \"2.1.0\",\n  \"runs\": [{\n"
			       "    \"tool\": {\"driver\": {\"name\": \"nhiscan\", \"version\": ", SARIF_SCHEMA);
	if (!error) error = output_json_string(out, meta->tool_version);
	if (!error) error = nhi_buf_puts(out, ", \"informationUri\": \"" TOOL_URI "\",\n      \"rules\": [");
	if (!error) error = write_rules(out, findings, &table);
	if (!error) error = nhi_buf_puts(out, "]}},\n    \"results\": [");
	for (size_t i = 0; i < findings->count && error == 0; i++)
		error = write_result(out, findings, &table, i);
	if (!error) error = nhi_buf_puts(out, "]\n  }]\n}\n");

done:
	free(table.rule_of);
	free(table.first);
	return error;
}
