/*
 * JSON writer and the JSON string escaping that the SARIF writer shares; see output.h.
 */
#include "output/output.h"
#include "core/finding.h"

#include <string.h>

size_t output_utf8_sequence_length(const unsigned char *p)
{
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		return (p[1] & 0xc0) == 0x80 ? 2 : 0;
	if (p[0] >= 0xe0 && p[0] <= 0xef) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0))
			return 0; /* overlong, or a UTF-16 surrogate */
		return 3;
	}
	if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		if ((p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

int output_json_string(struct nhi_buf *out, const char *text)
{
	const unsigned char *p = (const unsigned char *)(text ? text : "");
	int error = nhi_buf_putc(out, '"');

	while (error == 0 && *p) {
		size_t n = output_utf8_sequence_length(p);

		if (n == 0) {
			error = nhi_buf_puts(out, "\\ufffd");
			p++;
		} else if (*p == '"' || *p == '\\') {
			error = nhi_buf_printf(out, "\\%c", *p);
			p++;
		} else if (*p == '\n') {
			error = nhi_buf_puts(out, "\\n");
			p++;
		} else if (*p == '\t') {
			error = nhi_buf_puts(out, "\\t");
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			error = nhi_buf_printf(out, "\\u%04x", *p);
			p++;
		} else {
			error = nhi_buf_put(out, p, n);
			p += n;
		}
	}
	return error ? error : nhi_buf_putc(out, '"');
}

static int write_field(struct nhi_buf *out, const char *name, const char *value, bool last)
{
	int error;

	if ((error = nhi_buf_printf(out, "      \"%s\": ", name)) < 0 ||
	    (error = output_json_string(out, value)) < 0)
		return error;
	return nhi_buf_puts(out, last ? "\n" : ",\n");
}

static int write_finding(struct nhi_buf *out, const struct nhi_finding *f, bool last)
{
	int error = 0;

	error = nhi_buf_puts(out, "    {\n");
	if (!error) error = write_field(out, "rule_id", f->rule_id, false);
	if (!error) error = write_field(out, "rule_name", f->rule_name, false);
	if (!error) error = write_field(out, "provider", f->provider, false);
	if (!error) error = write_field(out, "kind", f->kind, false);
	if (!error) error = write_field(out, "severity", config_severity_name(f->severity), false);
	if (!error) error = write_field(out, "path", f->path, false);
	if (!error) error = nhi_buf_printf(out, "      \"line\": %zu,\n      \"column\": %zu,\n"
					   "      \"end_line\": %zu,\n      \"end_column\": %zu,\n",
					   f->line, f->column, f->end_line, f->end_column);
	if (!error && f->fingerprint[0]) error = write_field(out, "fingerprint", f->fingerprint, false);
	if (!error && f->redacted) error = write_field(out, "redacted", f->redacted, false);
	if (!error && f->validated >= 0)
		error = nhi_buf_printf(out, "      \"validated\": %s,\n", f->validated ? "true" : "false");
	if (!error && f->message) error = write_field(out, "message", f->message, false);
	if (!error && f->commit) error = write_field(out, "commit", f->commit, false);
	if (!error && f->author) error = write_field(out, "author", f->author, false);
	if (!error && f->email) error = write_field(out, "email", f->email, false);
	if (!error && f->date) error = write_field(out, "date", f->date, false);
	if (!error && f->earlier_unreadable)
		error = write_field(out, "earlier_unreadable", f->earlier_unreadable, false);
	if (!error && f->docs) error = write_field(out, "docs", f->docs, false);
	if (!error) error = write_field(out, "remediation", f->remediation ? f->remediation : "", true);
	if (!error) error = nhi_buf_puts(out, last ? "    }\n" : "    },\n");
	return error;
}

int output_write_json(struct nhi_buf *out, const struct nhi_vec *findings, const struct nhi_output_meta *meta)
{
	const struct nhi_scan_stats *s = meta->stats;
	int error;

	if ((error = nhi_buf_puts(out, "{\n  \"tool\": \"nhiscan\",\n  \"version\": ")) < 0 ||
	    (error = output_json_string(out, meta->tool_version)) < 0 ||
	    (error = nhi_buf_puts(out, ",\n  \"findings\": [\n")) < 0)
		return error;

	for (size_t i = 0; i < findings->count; i++)
		if ((error = write_finding(out, findings->items[i], i + 1 == findings->count)) < 0)
			return error;

	error = nhi_buf_puts(out, "  ]");
	if (error == 0 && s)
		error = nhi_buf_printf(out, ",\n  \"stats\": {\n    \"files_scanned\": %zu,\n"
				       "    \"bytes_scanned\": %zu,\n    \"skipped_binary\": %zu,\n"
				       "    \"skipped_large\": %zu,\n    \"unreadable\": %zu,\n"
				       "    \"ignored\": %zu,\n    \"symlinks\": %zu,\n    \"allowed\": %zu\n  }",
				       s->files_scanned, s->bytes_scanned, s->skipped_binary, s->skipped_large,
				       s->unreadable, s->walk.ignored, s->walk.symlinks, s->allowed);
	return error ? error : nhi_buf_puts(out, "\n}\n");
}

int output_write(struct nhi_buf *out, enum nhi_output_format format, const struct nhi_vec *findings,
		 const struct nhi_output_meta *meta)
{
	switch (format) {
	case NHI_FORMAT_JSON:
		return output_write_json(out, findings, meta);
	case NHI_FORMAT_SARIF:
		return output_write_sarif(out, findings, meta);
	default:
		return output_write_text(out, findings, meta);
	}
}
