/*
 * Reading an inventory file back, and carrying reviewer decisions over; see inventory.h.
 *
 * The file comes from the repository, so in a pull request it is input from its author. The
 * reader accepts only the shapes the writer produces: sections of entries, entries of scalars,
 * lists of scalars, a links map and a risks list. It rejects YAML aliases, because one node
 * reached through many aliases multiplies the work of every walk over the document.
 *
 * A file that a merge left with conflicts is read as two versions, ours and theirs, merged by
 * entry id. Dropping the markers alone would not do: git splits a conflict between two new
 * entries into small conflicts around the lines they share, and the lines of both sides
 * interleave.
 */
#include "model/inventory.h"
#include "parse/yamldoc.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

struct reader {
	struct nhi_yamldoc doc;
	const char *path;
	struct nhi_inventory *inv;
	bool second_side;    /* reading the other side of a conflict into what the first side gave */
	bool *seen;          /* per node: visited already, which only an alias makes happen */
	size_t node_count;
};

enum side { OUTSIDE, OURS, BASE, THEIRS };

/* The kind of merge conflict marker that line[0, len) is, as git writes them, or OUTSIDE. */
static int marker_of(const char *line, size_t len)
{
	static const struct {
		const char *text;
		enum side next;
	} markers[] = { { "<<<<<<<", OURS }, { "|||||||", BASE }, { "=======", THEIRS }, { ">>>>>>>", OUTSIDE } };

	for (size_t i = 0; i < sizeof(markers) / sizeof(markers[0]); i++)
		if (len >= 7 && memcmp(line, markers[i].text, 7) == 0 && (len == 7 || line[7] == ' ' || line[7] == '\r'))
			return (int)markers[i].next;
	return -1;
}

/*
 * Split a text with merge conflicts into the version of each side: lines outside conflicts go
 * to both, a conflict's first part to ours, its last part to theirs, its base part (diff3
 * style) to neither. A line that a version leaves out is kept as an empty line, so that line
 * numbers in messages are those of the file. *conflicted is false when there is no marker.
 */
static int split_sides(char **ours, char **theirs, bool *conflicted, const char *data, size_t len)
{
	char *a = malloc(len + 1), *b = malloc(len + 1);
	enum side side = OUTSIDE;
	size_t size_a = 0, size_b = 0;

	*conflicted = false;
	if (!a || !b) {
		free(a);
		free(b);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	for (const char *line = data; line < data + len;) {
		const char *end = memchr(line, '\n', (size_t)(data + len - line));
		size_t line_len = end ? (size_t)(end - line) : (size_t)(data + len - line);
		int marker = marker_of(line, line_len);
		bool to_a = marker < 0 && (side == OUTSIDE || side == OURS);
		bool to_b = marker < 0 && (side == OUTSIDE || side == THEIRS);

		if (marker >= 0) {
			side = (enum side)marker;
			*conflicted = true;
		}
		memcpy(a + size_a, line, to_a ? line_len : 0);
		size_a += to_a ? line_len : 0;
		memcpy(b + size_b, line, to_b ? line_len : 0);
		size_b += to_b ? line_len : 0;
		if (end) {
			a[size_a++] = '\n';
			b[size_b++] = '\n';
		}
		line += line_len + 1;
	}
	a[size_a] = b[size_b] = '\0';
	*ours = a;
	*theirs = b;
	return 0;
}

static int fail(const struct reader *reader, yaml_node_t *node, const char *problem, const char *subject)
{
	return nhi_error_set(NHI_EINVALID, "%s:%zu: %s%s%s%s", reader->path, nhi_yamldoc_line(node), problem,
			     subject ? " '" : "", subject ? subject : "", subject ? "'" : "");
}

/* Return the node at index, failing when an alias made the walk reach it before. */
static int visit(yaml_node_t **out, struct reader *reader, int index, yaml_node_t *from)
{
	yaml_node_t *node = nhi_yamldoc_node(&reader->doc, index);
	size_t slot = (size_t)(index - 1);

	if (!node || slot >= reader->node_count)
		return fail(reader, from, "broken YAML node", NULL);
	if (reader->seen[slot])
		return fail(reader, node, "YAML aliases are not allowed in an inventory file", NULL);
	reader->seen[slot] = true;
	*out = node;
	return 0;
}

static int scalar_of(const char **out, struct reader *reader, yaml_node_t *node, const char *field)
{
	const char *text = nhi_yamldoc_scalar(node);

	if (!text)
		return fail(reader, node, "expected a single value for", field);
	*out = text;
	return 0;
}

/* Read a list of scalars into vec. */
static int read_strings(struct nhi_vec *vec, struct reader *reader, yaml_node_t *node, const char *field)
{
	int error = 0;

	if (node->type != YAML_SEQUENCE_NODE)
		return fail(reader, node, "expected a list for", field);
	for (yaml_node_item_t *item = node->data.sequence.items.start; item < node->data.sequence.items.top && error == 0; item++) {
		yaml_node_t *child;
		const char *text = NULL;
		char *copy;

		if ((error = visit(&child, reader, *item, node)) < 0 || (error = scalar_of(&text, reader, child, field)) < 0)
			break;
		if (!(copy = strdup(text)))
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		if ((error = nhi_vec_push(vec, copy)) < 0)
			free(copy);
	}
	return error;
}

static int check_status(struct reader *reader, yaml_node_t *node, const char *status)
{
	if (strcmp(status, "accepted") == 0 || strcmp(status, "revoked") == 0)
		return 0;
	return fail(reader, node, "invalid status; use accepted or revoked, not", status);
}

static int read_risk_pair(struct reader *reader, struct nhi_inv_risk *risk, const char *key, yaml_node_t *value)
{
	const char *text = NULL;
	char *end = NULL;
	int error;

	if (strcmp(key, "reasons") == 0)
		return read_strings(&risk->reasons, reader, value, key);
	if (strcmp(key, "evidence") == 0)
		return read_strings(&risk->evidence, reader, value, key);
	if ((error = scalar_of(&text, reader, value, key)) < 0)
		return error;
	if (strcmp(key, "score") == 0) {
		long score = strtol(text, &end, 10);

		if (*end || end == text || score < 0 || score > NHI_RISK_MAX_SCORE)
			return fail(reader, value, "invalid score; use a whole number from 0 to 10, not", text);
		risk->score = (int)score;
		return 0;
	}
	if (strcmp(key, "category") == 0)
		return model_inventory_set_string(&risk->category, text);
	if (strcmp(key, "title") == 0)
		return model_inventory_set_string(&risk->title, text);
	if (strcmp(key, "reason") == 0)
		return model_inventory_set_string(&risk->reason, text);
	if (strcmp(key, "status") == 0) {
		if ((error = check_status(reader, value, text)) < 0)
			return error;
		return model_inventory_set_string(&risk->status, text);
	}
	return 0;
}

static int read_risk(struct reader *reader, struct nhi_inv_entity *entity, yaml_node_t *node)
{
	const char *id = nhi_yamldoc_scalar(nhi_yamldoc_get(&reader->doc, node, "id"));
	struct nhi_inv_risk *risk;
	int error;

	if (node->type != YAML_MAPPING_NODE || !id)
		return fail(reader, node, "a risk needs an id", NULL);
	/* Both sides of a conflict list the risks of an entry that both kept: the first one stays. */
	if (reader->second_side && model_entity_find_risk(entity, id))
		return 0;
	if (model_entity_find_risk(entity, id))
		return fail(reader, node, "duplicate risk", id);
	if ((error = model_entity_add_risk(&risk, entity, id, "", "")) < 0)
		return error;
	risk->line = nhi_yamldoc_line(node);
	for (yaml_node_pair_t *pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top && error == 0; pair++) {
		yaml_node_t *key, *value;
		const char *name = NULL;

		if ((error = visit(&key, reader, pair->key, node)) < 0 || (error = visit(&value, reader, pair->value, node)) < 0 ||
		    (error = scalar_of(&name, reader, key, "a key")) < 0)
			break;
		if (strcmp(name, "id") != 0)
			error = read_risk_pair(reader, risk, name, value);
	}
	return error;
}

static int read_risks(struct reader *reader, struct nhi_inv_entity *entity, yaml_node_t *node)
{
	int error = 0;

	if (node->type != YAML_SEQUENCE_NODE)
		return fail(reader, node, "expected a list for", "risks");
	for (yaml_node_item_t *item = node->data.sequence.items.start; item < node->data.sequence.items.top && error == 0; item++) {
		yaml_node_t *child;

		if ((error = visit(&child, reader, *item, node)) == 0)
			error = read_risk(reader, entity, child);
	}
	return error;
}

static int read_links(struct reader *reader, struct nhi_inv_entity *entity, yaml_node_t *node)
{
	int error = 0;

	if (node->type != YAML_MAPPING_NODE)
		return fail(reader, node, "expected a map of link types for", "links");
	for (yaml_node_pair_t *pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top && error == 0; pair++) {
		struct nhi_vec targets = NHI_VEC_INIT;
		yaml_node_t *key, *value;
		const char *type = NULL;

		if ((error = visit(&key, reader, pair->key, node)) < 0 || (error = visit(&value, reader, pair->value, node)) < 0 ||
		    (error = scalar_of(&type, reader, key, "a link type")) < 0 ||
		    (error = read_strings(&targets, reader, value, type)) < 0) {
			nhi_vec_dispose_all(&targets, NULL);
			break;
		}
		for (size_t i = 0; i < targets.count && error == 0; i++)
			error = model_entity_link(entity, type, targets.items[i]);
		nhi_vec_dispose_all(&targets, NULL);
	}
	return error;
}

/* A field: one value, or a list of values. */
static int read_field(struct reader *reader, struct nhi_inv_entity *entity, const char *name, yaml_node_t *value)
{
	struct nhi_vec values = NHI_VEC_INIT;
	int error;

	if (value->type == YAML_SCALAR_NODE)
		return model_entity_set(entity, name, nhi_yamldoc_scalar(value));
	if ((error = read_strings(&values, reader, value, name)) == 0)
		for (size_t i = 0; i < values.count && error == 0; i++)
			error = model_entity_add(entity, name, values.items[i]);
	nhi_vec_dispose_all(&values, NULL);
	return error;
}

/* Locations, each kept once: both sides of a conflict may list the same. */
static int read_locations(struct reader *reader, struct nhi_inv_entity *entity, yaml_node_t *node)
{
	struct nhi_vec values = NHI_VEC_INIT;
	int error = read_strings(&values, reader, node, "locations");

	for (size_t i = 0; i < values.count && error == 0; i++) {
		bool seen = false;

		for (size_t j = 0; j < entity->locations.count && !seen; j++)
			seen = strcmp(entity->locations.items[j], values.items[i]) == 0;
		if (seen)
			continue;
		if ((error = nhi_vec_push(&entity->locations, values.items[i])) == 0)
			values.items[i] = NULL;
	}
	nhi_vec_dispose_all(&values, NULL);
	return error;
}

static int read_entity_pair(struct reader *reader, struct nhi_inv_entity *entity, const char *key, yaml_node_t *value)
{
	const char *text = NULL;
	int error;

	if (strcmp(key, "locations") == 0)
		return read_locations(reader, entity, value);
	if (strcmp(key, "links") == 0)
		return read_links(reader, entity, value);
	if (strcmp(key, "risks") == 0)
		return read_risks(reader, entity, value);
	if (strcmp(key, "name") != 0 && strcmp(key, "status") != 0 && strcmp(key, "reason") != 0)
		return read_field(reader, entity, key, value);
	if ((error = scalar_of(&text, reader, value, key)) < 0)
		return error;
	if (strcmp(key, "name") == 0)
		return entity->name ? 0 : model_inventory_set_string(&entity->name, text);
	if (strcmp(key, "reason") == 0)
		return entity->reason ? 0 : model_inventory_set_string(&entity->reason, text);
	if ((error = check_status(reader, value, text)) < 0)
		return error;
	return entity->status ? 0 : model_inventory_set_string(&entity->status, text);
}

/*
 * One entry. An id that repeats, which a merge of two sides that both changed an entry can
 * leave, adds to the entry read first instead of failing.
 */
static int read_entity(struct reader *reader, const char *kind, yaml_node_t *node)
{
	const char *id = nhi_yamldoc_scalar(nhi_yamldoc_get(&reader->doc, node, "id"));
	struct nhi_inv_entity *entity;
	int error;

	if (node->type != YAML_MAPPING_NODE || !id || !*id)
		return fail(reader, node, "an entry needs an id", NULL);
	if ((error = model_inventory_add(&entity, reader->inv, kind, id, NULL)) < 0)
		return error;
	if (!entity->line)
		entity->line = nhi_yamldoc_line(node);
	for (yaml_node_pair_t *pair = node->data.mapping.pairs.start; pair < node->data.mapping.pairs.top && error == 0; pair++) {
		yaml_node_t *key, *value;
		const char *name = NULL;

		if ((error = visit(&key, reader, pair->key, node)) < 0 || (error = visit(&value, reader, pair->value, node)) < 0 ||
		    (error = scalar_of(&name, reader, key, "a key")) < 0)
			break;
		if (strcmp(name, "id") != 0)
			error = read_entity_pair(reader, entity, name, value);
	}
	return error;
}

static int read_section(struct reader *reader, const char *kind, yaml_node_t *node)
{
	int error = 0;

	if (node->type != YAML_SEQUENCE_NODE)
		return fail(reader, node, "expected a list of entries in section", kind);
	for (yaml_node_item_t *item = node->data.sequence.items.start; item < node->data.sequence.items.top && error == 0; item++) {
		yaml_node_t *child;

		if ((error = visit(&child, reader, *item, node)) == 0)
			error = read_entity(reader, kind, child);
	}
	return error;
}

static int read_top_pair(struct reader *reader, const char *key, yaml_node_t *value)
{
	const char *text = nhi_yamldoc_scalar(value);
	char *end = NULL;

	if (strcmp(key, "schema") == 0) {
		long schema = text ? strtol(text, &end, 10) : -1;

		if (!text || *end || end == text || schema != NHI_INVENTORY_SCHEMA)
			return fail(reader, value, "unsupported inventory schema; this nhiscan reads schema 1, not",
				    text ? text : "a list");
		reader->inv->schema = (int)schema;
		return 0;
	}
	if ((strcmp(key, "scan") == 0 || strcmp(key, "generated") == 0) && !text)
		return fail(reader, value, "expected a single value for", key);
	if (strcmp(key, "scan") == 0)
		return reader->inv->scan ? 0 : model_inventory_set_string(&reader->inv->scan, text);
	if (strcmp(key, "generated") == 0)
		return reader->inv->generated ? 0 : model_inventory_set_string(&reader->inv->generated, text);
	return read_section(reader, key, value);
}

static int read_document(struct reader *reader)
{
	yaml_node_t *root = nhi_yamldoc_root(&reader->doc);
	bool has_schema = false;
	int error = 0;

	if (!root || root->type != YAML_MAPPING_NODE)
		return nhi_error_set(NHI_EINVALID, "%s:%zu: not an nhiscan inventory: the top level is not a map",
				     reader->path, root ? nhi_yamldoc_line(root) : (size_t)1);
	reader->seen[0] = true;
	for (yaml_node_pair_t *pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top && error == 0; pair++) {
		yaml_node_t *key, *value;
		const char *name = NULL;

		if ((error = visit(&key, reader, pair->key, root)) < 0 || (error = visit(&value, reader, pair->value, root)) < 0 ||
		    (error = scalar_of(&name, reader, key, "a key")) < 0)
			break;
		has_schema |= strcmp(name, "schema") == 0;
		error = read_top_pair(reader, name, value);
	}
	if (error == 0 && !has_schema)
		error = nhi_error_set(NHI_EINVALID, "%s:%zu: not an nhiscan inventory: 'schema' is missing", reader->path,
				      nhi_yamldoc_line(root));
	return error;
}

/* Read one version of the file into inv; second_side merges it into what is there. */
static int load_side(struct nhi_inventory *inv, const char *path, const char *text, size_t len, bool second_side)
{
	struct reader reader;
	int error;

	memset(&reader, 0, sizeof(reader));
	reader.path = path;
	reader.inv = inv;
	reader.second_side = second_side;
	if ((error = nhi_yamldoc_load(&reader.doc, path, text, len)) < 0)
		goto done;
	reader.node_count = (size_t)(reader.doc.doc.nodes.top - reader.doc.doc.nodes.start);
	if (!(reader.seen = calloc(reader.node_count + 1, sizeof(bool)))) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	error = read_document(&reader);

done:
	free(reader.seen);
	nhi_yamldoc_dispose(&reader.doc);
	return error;
}

int model_inventory_load(struct nhi_inventory *out, const char *path, const char *data, size_t len)
{
	char *ours = NULL, *theirs = NULL;
	bool conflicted = false;
	int error;

	model_inventory_init(out);
	if ((error = split_sides(&ours, &theirs, &conflicted, data, len)) < 0)
		return error;
	if ((error = load_side(out, path, ours, strlen(ours), false)) == 0 && conflicted)
		error = load_side(out, path, theirs, strlen(theirs), true);
	if (error == 0)
		model_inventory_finalize(out);
	else
		model_inventory_dispose(out);
	free(ours);
	free(theirs);
	return error;
}

/* Copy status and reason; a decision without a status is no decision. */
static int copy_decision(char **status, char **reason, const char *old_status, const char *old_reason)
{
	int error;

	if (!old_status)
		return 0;
	if ((error = model_inventory_set_string(status, old_status)) < 0)
		return error;
	return model_inventory_set_string(reason, old_reason);
}

int model_inventory_apply_decisions(struct nhi_inventory *inv, const struct nhi_inventory *old)
{
	int error = 0;

	for (size_t i = 0; i < old->entities.count && error == 0; i++) {
		const struct nhi_inv_entity *before = old->entities.items[i];
		struct nhi_inv_entity *now = model_inventory_find(inv, before->id);

		if (!now)
			continue;
		if ((error = copy_decision(&now->status, &now->reason, before->status, before->reason)) < 0)
			break;
		for (size_t j = 0; j < before->risks.count && error == 0; j++) {
			const struct nhi_inv_risk *risk = before->risks.items[j];
			struct nhi_inv_risk *current = model_entity_find_risk(now, risk->id);

			if (current)
				error = copy_decision(&current->status, &current->reason, risk->status, risk->reason);
		}
	}
	return error;
}

static bool has_reason(const char *reason)
{
	return reason && reason[strspn(reason, " \t")] != '\0';
}

int model_inventory_check_decisions(const struct nhi_inventory *inv, const char *path)
{
	for (size_t i = 0; i < inv->entities.count; i++) {
		const struct nhi_inv_entity *entity = inv->entities.items[i];

		if (entity->status && !has_reason(entity->reason))
			return nhi_error_set(NHI_EINVALID,
					     "%s:%zu: entry '%s' is marked %s without a reason; add 'reason:' after its status to say why",
					     path, entity->line, entity->id, entity->status);
		for (size_t j = 0; j < entity->risks.count; j++) {
			const struct nhi_inv_risk *risk = entity->risks.items[j];

			if (risk->status && !has_reason(risk->reason))
				return nhi_error_set(NHI_EINVALID,
						     "%s:%zu: risk '%s' of entry '%s' is marked %s without a reason; add 'reason:' after its status to say why",
						     path, risk->line, risk->id, entity->id, risk->status);
		}
	}
	return 0;
}
