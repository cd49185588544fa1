/*
 * Fact, finding and warning output of the extractors; see emit.h.
 */
#include "extract/emit.h"
#include "core/finding.h"
#include "match/filter.h"
#include "model/secret.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int extract_fact(struct nhi_fact **out, const struct extract_file *file, const char *type,
		 const char *key, const char *parent, struct parse_pos pos)
{
	struct nhi_fact *fact = model_fact_new(type, key, parent, file->path, pos.line ? pos.line : 1,
					       pos.column ? pos.column : 1);
	int error;

	if (!fact)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if ((error = nhi_vec_push(file->out->facts, fact)) < 0) {
		model_fact_free(fact);
		return error;
	}
	if (out)
		*out = fact;
	return 0;
}

int extract_attr(struct nhi_fact *fact, const char *name, const char *value)
{
	return value ? model_fact_set(fact, name, value) : 0;
}

int extract_add_secret_identity(struct nhi_fact *fact, const char *secret, size_t len)
{
	char fingerprint[NHI_FINGERPRINT_HEX + 1];
	char *redacted = model_secret_redact(secret, len);
	int error;

	if (!redacted)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	model_secret_fingerprint(fingerprint, secret, len);
	if ((error = model_fact_set(fact, "fingerprint", fingerprint)) == 0)
		error = model_fact_set(fact, "redacted", redacted);
	free(redacted);
	return error;
}

const char *extract_ref(char *buf, const char *type, const char *key)
{
	snprintf(buf, EXTRACT_REF_MAX, "%s:%s", type, key);
	return buf;
}

struct parse_pos extract_offset_pos(const struct extract_file *file, struct extract_cursor *cursor, size_t offset)
{
	struct parse_pos pos;

	if (offset > file->len)
		offset = file->len;
	if (offset < cursor->offset) {
		cursor->offset = 0;
		cursor->line = 1;
		cursor->line_start = 0;
	}
	for (size_t i = cursor->offset; i < offset; i++)
		if (file->data[i] == '\n') {
			cursor->line++;
			cursor->line_start = i + 1;
		}
	cursor->offset = offset;
	pos.line = cursor->line;
	pos.column = offset - cursor->line_start + 1;
	return pos;
}

bool extract_line_is_allowed(const struct extract_file *file, size_t line)
{
	size_t offset = 0;

	for (size_t current = 1; current < line; current++) {
		const char *newline = memchr(file->data + offset, '\n', file->len - offset);

		if (!newline)
			return false;
		offset = (size_t)(newline - file->data) + 1;
	}
	return offset <= file->len && match_line_is_allowed(file->data, file->len, offset);
}

struct parse_pos extract_value_end(const struct parse_value *value)
{
	struct parse_pos end = value->end;

	if (end.line == 0 || end.line < value->start.line ||
	    (end.line == value->start.line && end.column <= value->start.column)) {
		end = value->start;
		end.column += value->text_len ? value->text_len : 1;
	}
	return end;
}

struct parse_pos extract_text_pos(const struct parse_value *value, size_t offset)
{
	struct parse_pos pos = value->start;
	size_t line_start = 0, lines = 0;

	if (offset > value->text_len)
		offset = value->text_len;
	for (size_t i = 0; i < offset; i++)
		if (value->text[i] == '\n') {
			lines++;
			line_start = i + 1;
		}
	pos.line += lines;
	pos.column = lines ? value->start.column + (offset - line_start) : value->start.column + offset;
	return pos;
}

static struct nhi_finding *new_finding(const struct extract_file *file, const struct extract_rule *rule,
				       struct parse_pos start, struct parse_pos end, const char *format, va_list ap)
{
	struct nhi_finding *finding = calloc(1, sizeof(*finding));
	struct nhi_buf message = NHI_BUF_INIT;

	if (!finding)
		return NULL;
	finding->rule_id = strdup(rule->id);
	finding->rule_name = strdup(rule->name);
	finding->provider = strdup(rule->provider);
	finding->kind = strdup(rule->kind);
	finding->remediation = strdup(rule->remediation);
	finding->docs = rule->docs ? strdup(rule->docs) : NULL;
	finding->path = strdup(file->path);
	finding->severity = rule->severity;
	finding->validated = -1;
	finding->line = start.line ? start.line : 1;
	finding->column = start.column ? start.column : 1;
	finding->end_line = end.line ? end.line : finding->line;
	finding->end_column = end.column ? end.column : finding->column + 1;
	if (nhi_buf_vprintf(&message, format, ap) == 0)
		finding->message = nhi_buf_detach(&message);
	nhi_buf_dispose(&message);
	if (!finding->rule_id || !finding->rule_name || !finding->provider || !finding->kind ||
	    !finding->remediation || !finding->path || !finding->message || (rule->docs && !finding->docs)) {
		core_finding_free(finding);
		return NULL;
	}
	return finding;
}

static int push_finding(const struct extract_file *file, struct nhi_finding *finding)
{
	int error;

	if (!finding)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if ((error = nhi_vec_push(file->out->findings, finding)) < 0)
		core_finding_free(finding);
	return error;
}

int extract_finding(const struct extract_file *file, const struct extract_rule *rule,
		    struct parse_pos start, struct parse_pos end, const char *format, ...)
{
	struct nhi_finding *finding;
	va_list ap;

	if (extract_line_is_allowed(file, start.line))
		return 0;
	va_start(ap, format);
	finding = new_finding(file, rule, start, end, format, ap);
	va_end(ap);
	return push_finding(file, finding);
}

int extract_secret_finding(const struct extract_file *file, const struct extract_rule *rule,
			   const char *secret, size_t len, struct parse_pos start, struct parse_pos end,
			   const char *format, ...)
{
	struct nhi_finding *finding;
	va_list ap;

	if (extract_line_is_allowed(file, start.line))
		return 0;
	va_start(ap, format);
	finding = new_finding(file, rule, start, end, format, ap);
	va_end(ap);
	if (finding) {
		model_secret_fingerprint(finding->fingerprint, secret, len);
		finding->redacted = model_secret_redact(secret, len);
		if (!finding->redacted) {
			core_finding_free(finding);
			finding = NULL;
		}
	}
	return push_finding(file, finding);
}

int extract_warning(const struct extract_file *file, const char *message)
{
	char *copy = strdup(message);
	int error;

	if (!copy)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if ((error = nhi_vec_push(file->out->warnings, copy)) < 0)
		free(copy);
	return error;
}
