/*
 * The inventory file, written with libyaml's emitter. The layout serves review and merging.
 * There is one section per kind, each a list of entries sorted by id, and every entry is a block
 * of its own with one value per line. No counts or totals appear anywhere, so that two branches
 * that add different entries change different lines. Lines are never wrapped, so that a value
 * never moves to the next line when a neighbour grows.
 */
#include "output/inventory.h"
#include "output/output.h"
#include "util/buf.h"
#include "util/error.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

static const char header[] =
	"# Non-human identities of this repository, written by nhiscan: credentials, references to\n"
	"# them, agents, MCP servers, pipelines, scopes and owners, with their links and risks.\n"
	"# Regenerate with 'nhiscan inventory --update'; 'nhiscan check' fails when an identity or\n"
	"# a risk appears that this file does not list. Edit only 'status' (accepted or revoked) and\n"
	"# 'reason' of an entry or a risk: those are reviewer decisions and survive regeneration.\n";

static int write_to_buf(void *data, unsigned char *buffer, size_t size)
{
	return nhi_buf_put(data, buffer, size) == 0;
}

/* YAML 1.1 reads these plain words as booleans or null. */
static bool is_typed_word(const char *text)
{
	static const char *const words[] = {
		"y", "yes", "n", "no", "true", "false", "on", "off", "null", "~",
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcasecmp(text, words[i]) == 0)
			return true;
	return false;
}

/*
 * True when a plain scalar could be read as a number, a date or a time (1.0, 2025-01-01,
 * 12:30), which YAML 1.1 readers such as PyYAML do: such strings are quoted.
 */
static bool looks_numeric(const char *text)
{
	if (!*text || !(isdigit((unsigned char)*text) || strchr("+-.", *text)))
		return false;
	for (const char *p = text; *p; p++)
		if (!isxdigit((unsigned char)*p) && !strchr("xXoO._:+-eEtTzZ ", *p) && tolower((unsigned char)*p) != 'n' &&
		    tolower((unsigned char)*p) != 'i')
			return false;
	return true;
}

static int emit(yaml_emitter_t *emitter, yaml_event_t *event)
{
	if (!yaml_emitter_emit(emitter, event))
		return nhi_error_set(NHI_ERROR, "cannot write the inventory: %s",
				     emitter->problem ? emitter->problem : "libyaml failed");
	return 0;
}

/*
 * Return a copy of text with each byte that is not valid UTF-8 written as "\xNN", as the scan
 * report shows such file names, or NULL when text is valid. libyaml's emitter cannot take
 * invalid UTF-8 (with libyaml 0.2.5 it never returns), and file names need not be UTF-8.
 */
static char *escape_invalid_utf8(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	struct nhi_buf out = NHI_BUF_INIT;
	bool changed = false;

	while (*p) {
		size_t n = output_utf8_sequence_length(p);

		if (n == 0) {
			nhi_buf_printf(&out, "\\x%02x", *p);
			changed = true;
			p++;
		} else {
			nhi_buf_put(&out, p, n);
			p += n;
		}
	}
	if (!changed) {
		nhi_buf_dispose(&out);
		return NULL;
	}
	return nhi_buf_detach(&out);
}

/* A string; it is quoted when a reader could take it for another type. */
static int emit_string(yaml_emitter_t *emitter, const char *raw)
{
	char *escaped = escape_invalid_utf8(raw);
	const char *text = escaped ? escaped : raw;
	int error;
	yaml_event_t event;
	int plain = !is_typed_word(text) && !looks_numeric(text);
	/* Double quotes escape line breaks, so that a value stays on one line. */
	yaml_scalar_style_t style = strpbrk(text, "\n\r") ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE;

	yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)text, (int)strlen(text), plain, 1, style);
	error = emit(emitter, &event);
	free(escaped);
	return error;
}

/* A field value: "true" and "false" stay booleans, anything else is a string. */
static int emit_value(yaml_emitter_t *emitter, const char *text)
{
	yaml_event_t event;

	if (strcmp(text, "true") != 0 && strcmp(text, "false") != 0)
		return emit_string(emitter, text);
	yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)text, (int)strlen(text), 1, 0,
				     YAML_PLAIN_SCALAR_STYLE);
	return emit(emitter, &event);
}

static int emit_integer(yaml_emitter_t *emitter, long long value)
{
	yaml_event_t event;
	char text[32];

	snprintf(text, sizeof(text), "%lld", value);
	yaml_scalar_event_initialize(&event, NULL, NULL, (yaml_char_t *)text, (int)strlen(text), 1, 0,
				     YAML_PLAIN_SCALAR_STYLE);
	return emit(emitter, &event);
}

static int start_mapping(yaml_emitter_t *emitter)
{
	yaml_event_t event;

	yaml_mapping_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
	return emit(emitter, &event);
}

static int end_mapping(yaml_emitter_t *emitter)
{
	yaml_event_t event;

	yaml_mapping_end_event_initialize(&event);
	return emit(emitter, &event);
}

static int start_sequence(yaml_emitter_t *emitter)
{
	yaml_event_t event;

	yaml_sequence_start_event_initialize(&event, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
	return emit(emitter, &event);
}

static int end_sequence(yaml_emitter_t *emitter)
{
	yaml_event_t event;

	yaml_sequence_end_event_initialize(&event);
	return emit(emitter, &event);
}

/* key: value, skipped when value is NULL. */
static int emit_pair(yaml_emitter_t *emitter, const char *key, const char *value)
{
	int error;

	if (!value)
		return 0;
	if ((error = emit_string(emitter, key)) < 0)
		return error;
	return emit_string(emitter, value);
}

/* key: followed by one item per line, skipped when the list is empty. */
static int emit_list(yaml_emitter_t *emitter, const char *key, const struct nhi_vec *values, bool as_values)
{
	int error;

	if (values->count == 0)
		return 0;
	if ((error = emit_string(emitter, key)) < 0 || (error = start_sequence(emitter)) < 0)
		return error;
	for (size_t i = 0; i < values->count && error == 0; i++)
		error = as_values ? emit_value(emitter, values->items[i]) : emit_string(emitter, values->items[i]);
	return error ? error : end_sequence(emitter);
}

static int emit_fields(yaml_emitter_t *emitter, const struct nhi_inv_entity *entity)
{
	int error = 0;

	for (size_t i = 0; i < entity->fields.count && error == 0; i++) {
		const struct nhi_inv_field *field = entity->fields.items[i];

		if (field->values.count == 0)
			continue;
		if (field->list)
			error = emit_list(emitter, field->name, &field->values, true);
		else if ((error = emit_string(emitter, field->name)) == 0)
			error = emit_value(emitter, field->values.items[0]);
	}
	return error;
}

/* links: a map from link type to the sorted ids it points at. */
static int emit_links(yaml_emitter_t *emitter, const struct nhi_inv_entity *entity)
{
	const char *open_type = NULL;
	int error;

	if (entity->links.count == 0)
		return 0;
	if ((error = emit_string(emitter, "links")) < 0 || (error = start_mapping(emitter)) < 0)
		return error;
	for (size_t i = 0; i < entity->links.count && error == 0; i++) {
		const struct nhi_inv_link *link = entity->links.items[i];

		if (!open_type || strcmp(open_type, link->type) != 0) {
			if (open_type && (error = end_sequence(emitter)) < 0)
				break;
			if ((error = emit_string(emitter, link->type)) < 0 || (error = start_sequence(emitter)) < 0)
				break;
			open_type = link->type;
		}
		error = emit_string(emitter, link->target);
	}
	if (error == 0 && open_type)
		error = end_sequence(emitter);
	return error ? error : end_mapping(emitter);
}

static int emit_risk(yaml_emitter_t *emitter, const struct nhi_inv_risk *risk)
{
	int error;

	if ((error = start_mapping(emitter)) < 0 ||
	    (error = emit_pair(emitter, "id", risk->id)) < 0 ||
	    (error = emit_pair(emitter, "category", risk->category)) < 0 ||
	    (error = emit_pair(emitter, "title", risk->title)) < 0 ||
	    (error = emit_string(emitter, "score")) < 0 ||
	    (error = emit_integer(emitter, risk->score)) < 0 ||
	    (error = emit_pair(emitter, "status", risk->status)) < 0 ||
	    (error = emit_pair(emitter, "reason", risk->reason)) < 0 ||
	    (error = emit_list(emitter, "reasons", &risk->reasons, false)) < 0 ||
	    (error = emit_list(emitter, "evidence", &risk->evidence, false)) < 0)
		return error;
	return end_mapping(emitter);
}

static int emit_risks(yaml_emitter_t *emitter, const struct nhi_inv_entity *entity)
{
	int error;

	if (entity->risks.count == 0)
		return 0;
	if ((error = emit_string(emitter, "risks")) < 0 || (error = start_sequence(emitter)) < 0)
		return error;
	for (size_t i = 0; i < entity->risks.count && error == 0; i++)
		error = emit_risk(emitter, entity->risks.items[i]);
	return error ? error : end_sequence(emitter);
}

/* One entry: its identity and decision first, so a reviewer finds them at the top. */
static int emit_entity(yaml_emitter_t *emitter, const struct nhi_inv_entity *entity)
{
	int error;

	if ((error = start_mapping(emitter)) < 0 ||
	    (error = emit_pair(emitter, "id", entity->id)) < 0 ||
	    (error = emit_pair(emitter, "name", entity->name)) < 0 ||
	    (error = emit_pair(emitter, "status", entity->status)) < 0 ||
	    (error = emit_pair(emitter, "reason", entity->reason)) < 0 ||
	    (error = emit_fields(emitter, entity)) < 0 ||
	    (error = emit_list(emitter, "locations", &entity->locations, false)) < 0 ||
	    (error = emit_links(emitter, entity)) < 0 ||
	    (error = emit_risks(emitter, entity)) < 0)
		return error;
	return end_mapping(emitter);
}

static int emit_sections(yaml_emitter_t *emitter, const struct nhi_inventory *inv)
{
	const char *open_kind = NULL;
	int error = 0;

	for (size_t i = 0; i < inv->entities.count && error == 0; i++) {
		const struct nhi_inv_entity *entity = inv->entities.items[i];

		if (!open_kind || strcmp(open_kind, entity->kind) != 0) {
			if (open_kind && (error = end_sequence(emitter)) < 0)
				break;
			if ((error = emit_string(emitter, entity->kind)) < 0 || (error = start_sequence(emitter)) < 0)
				break;
			open_kind = entity->kind;
		}
		error = emit_entity(emitter, entity);
	}
	if (error == 0 && open_kind)
		error = end_sequence(emitter);
	return error;
}

static int emit_document(yaml_emitter_t *emitter, const struct nhi_inventory *inv)
{
	yaml_event_t event;
	int error;

	yaml_stream_start_event_initialize(&event, YAML_UTF8_ENCODING);
	if ((error = emit(emitter, &event)) < 0)
		return error;
	yaml_document_start_event_initialize(&event, NULL, NULL, NULL, 1);
	if ((error = emit(emitter, &event)) < 0 ||
	    (error = start_mapping(emitter)) < 0 ||
	    (error = emit_string(emitter, "schema")) < 0 ||
	    (error = emit_integer(emitter, inv->schema)) < 0 ||
	    (error = emit_pair(emitter, "scan", inv->scan)) < 0 ||
	    (error = emit_pair(emitter, "generated", inv->generated)) < 0 ||
	    (error = emit_sections(emitter, inv)) < 0 ||
	    (error = end_mapping(emitter)) < 0)
		return error;
	yaml_document_end_event_initialize(&event, 1);
	if ((error = emit(emitter, &event)) < 0)
		return error;
	yaml_stream_end_event_initialize(&event);
	return emit(emitter, &event);
}

int output_inventory_yaml(struct nhi_buf *out, const struct nhi_inventory *inv)
{
	yaml_emitter_t emitter;
	int error;

	if ((error = nhi_buf_puts(out, header)) < 0)
		return error;
	if (!yaml_emitter_initialize(&emitter))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	yaml_emitter_set_output(&emitter, write_to_buf, out);
	yaml_emitter_set_unicode(&emitter, 1);
	yaml_emitter_set_indent(&emitter, 2);
	yaml_emitter_set_width(&emitter, -1);
	yaml_emitter_set_break(&emitter, YAML_LN_BREAK);
	error = emit_document(&emitter, inv);
	if (error == 0 && !yaml_emitter_flush(&emitter))
		error = nhi_error_set(NHI_ERROR, "cannot write the inventory: libyaml failed to flush");
	yaml_emitter_delete(&emitter);
	return error;
}
