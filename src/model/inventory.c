/*
 * Inventory entities, fields, links and risks; see inventory.h. Lookups of fields, links and
 * risks are linear: an entity has tens of them at most, while the id index makes the one lookup
 * that runs for every fact fast.
 */
#include "model/inventory.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *kind;
	const char *label;
} known_kinds[] = {
	{ NHI_KIND_AGENTS, "agent" },
	{ NHI_KIND_MCP_SERVERS, "MCP server" },
	{ NHI_KIND_TOOLS, "tool" },
	{ NHI_KIND_CREDENTIALS, "credential" },
	{ NHI_KIND_REFERENCES, "credential reference" },
	{ NHI_KIND_SERVICE_ACCOUNTS, "service account" },
	{ NHI_KIND_OAUTH_CLIENTS, "OAuth client" },
	{ NHI_KIND_SCOPES, "scope" },
	{ NHI_KIND_PROVIDERS, "provider" },
	{ NHI_KIND_WORKFLOWS, "workflow" },
	{ NHI_KIND_JOBS, "job" },
	{ NHI_KIND_ACTIONS, "action" },
	{ NHI_KIND_OWNERS, "owner" },
};

#define KNOWN_KIND_COUNT (sizeof(known_kinds) / sizeof(known_kinds[0]))

int model_inventory_kind_rank(const char *kind)
{
	for (size_t i = 0; i < KNOWN_KIND_COUNT; i++)
		if (strcmp(kind, known_kinds[i].kind) == 0)
			return (int)i;
	return (int)KNOWN_KIND_COUNT;
}

const char *model_inventory_kind_label(const char *kind)
{
	for (size_t i = 0; i < KNOWN_KIND_COUNT; i++)
		if (strcmp(kind, known_kinds[i].kind) == 0)
			return known_kinds[i].label;
	return kind;
}

int model_inventory_set_string(char **slot, const char *value)
{
	char *copy = NULL;

	if (value && !(copy = strdup(value)))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	free(*slot);
	*slot = copy;
	return 0;
}

static void free_field(void *item)
{
	struct nhi_inv_field *field = item;

	if (!field)
		return;
	nhi_vec_dispose_all(&field->values, NULL);
	free(field->name);
	free(field);
}

static void free_link(void *item)
{
	struct nhi_inv_link *link = item;

	if (!link)
		return;
	free(link->type);
	free(link->target);
	free(link);
}

static void free_risk(void *item)
{
	struct nhi_inv_risk *risk = item;

	if (!risk)
		return;
	nhi_vec_dispose_all(&risk->reasons, NULL);
	nhi_vec_dispose_all(&risk->evidence, NULL);
	free(risk->id);
	free(risk->category);
	free(risk->title);
	free(risk->status);
	free(risk->reason);
	free(risk);
}

static void free_entity(void *item)
{
	struct nhi_inv_entity *entity = item;

	if (!entity)
		return;
	nhi_vec_dispose_all(&entity->fields, free_field);
	nhi_vec_dispose_all(&entity->locations, NULL);
	nhi_vec_dispose_all(&entity->links, free_link);
	nhi_vec_dispose_all(&entity->risks, free_risk);
	free(entity->id);
	free(entity->kind);
	free(entity->name);
	free(entity->status);
	free(entity->reason);
	free(entity);
}

void model_inventory_init(struct nhi_inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
	inv->schema = NHI_INVENTORY_SCHEMA;
}

void model_inventory_dispose(struct nhi_inventory *inv)
{
	nhi_vec_dispose_all(&inv->entities, free_entity);
	model_idmap_dispose(&inv->by_id);
	free(inv->scan);
	free(inv->generated);
	memset(inv, 0, sizeof(*inv));
}

struct nhi_inv_entity *model_inventory_find(const struct nhi_inventory *inv, const char *id)
{
	return model_idmap_get(&inv->by_id, id, strlen(id));
}

int model_inventory_add(struct nhi_inv_entity **out, struct nhi_inventory *inv, const char *kind,
			const char *id, const char *name)
{
	struct nhi_inv_entity *entity = model_inventory_find(inv, id);
	int error = 0;

	if (entity) {
		if (!entity->name && name && (error = model_inventory_set_string(&entity->name, name)) < 0)
			return error;
		*out = entity;
		return 0;
	}
	if (!(entity = calloc(1, sizeof(*entity))))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if ((error = model_inventory_set_string(&entity->id, id)) < 0 ||
	    (error = model_inventory_set_string(&entity->kind, kind)) < 0 ||
	    (error = model_inventory_set_string(&entity->name, name)) < 0 ||
	    (error = nhi_vec_push(&inv->entities, entity)) < 0)
		goto done;
	if ((error = model_idmap_put(&inv->by_id, id, strlen(id), entity)) < 0) {
		inv->entities.count--;
		goto done;
	}
	*out = entity;
	return 0;

done:
	free_entity(entity);
	return error;
}

const struct nhi_inv_field *model_entity_field(const struct nhi_inv_entity *entity, const char *name)
{
	for (size_t i = 0; i < entity->fields.count; i++) {
		const struct nhi_inv_field *field = entity->fields.items[i];

		if (strcmp(field->name, name) == 0)
			return field;
	}
	return NULL;
}

const char *model_entity_get(const struct nhi_inv_entity *entity, const char *name)
{
	const struct nhi_inv_field *field = model_entity_field(entity, name);

	return field && field->values.count ? field->values.items[0] : NULL;
}

bool model_entity_has(const struct nhi_inv_entity *entity, const char *name, const char *value)
{
	const struct nhi_inv_field *field = model_entity_field(entity, name);

	for (size_t i = 0; field && i < field->values.count; i++)
		if (strcmp(field->values.items[i], value) == 0)
			return true;
	return false;
}

static int push_copy(struct nhi_vec *vec, const char *text)
{
	char *copy = strdup(text);
	int error;

	if (!copy)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if ((error = nhi_vec_push(vec, copy)) < 0)
		free(copy);
	return error;
}

static int add_field(struct nhi_inv_field **out, struct nhi_inv_entity *entity, const char *name, bool list)
{
	struct nhi_inv_field *field = calloc(1, sizeof(*field));
	int error;

	if (!field)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	field->list = list;
	if ((error = model_inventory_set_string(&field->name, name)) < 0 ||
	    (error = nhi_vec_push(&entity->fields, field)) < 0) {
		free_field(field);
		return error;
	}
	*out = field;
	return 0;
}

int model_entity_set(struct nhi_inv_entity *entity, const char *name, const char *value)
{
	struct nhi_inv_field *field = (struct nhi_inv_field *)model_entity_field(entity, name);
	int error;

	if (!value || (field && field->values.count))
		return 0;
	if (!field && (error = add_field(&field, entity, name, false)) < 0)
		return error;
	return push_copy(&field->values, value);
}

int model_entity_put(struct nhi_inv_entity *entity, const char *name, const char *value)
{
	struct nhi_inv_field *field = (struct nhi_inv_field *)model_entity_field(entity, name);

	if (field && field->values.count) {
		nhi_vec_dispose_all(&field->values, NULL);
		field->list = false;
	}
	return model_entity_set(entity, name, value);
}

int model_entity_add(struct nhi_inv_entity *entity, const char *name, const char *value)
{
	struct nhi_inv_field *field = (struct nhi_inv_field *)model_entity_field(entity, name);
	int error;

	if (!value || model_entity_has(entity, name, value))
		return 0;
	if (!field && (error = add_field(&field, entity, name, true)) < 0)
		return error;
	field->list = true;
	return push_copy(&field->values, value);
}

int model_entity_add_location(struct nhi_inv_entity *entity, const char *path, size_t line, const char *commit)
{
	struct nhi_buf text = NHI_BUF_INIT;
	int error;

	if ((error = nhi_buf_printf(&text, "%s:%zu", path, line)) < 0 ||
	    (commit && (error = nhi_buf_printf(&text, "@%s", commit)) < 0))
		goto done;
	for (size_t i = 0; i < entity->locations.count; i++)
		if (strcmp(entity->locations.items[i], text.ptr) == 0)
			goto done;
	error = push_copy(&entity->locations, text.ptr);

done:
	nhi_buf_dispose(&text);
	return error;
}

bool model_entity_links_to(const struct nhi_inv_entity *entity, const char *type, const char *target)
{
	for (size_t i = 0; i < entity->links.count; i++) {
		const struct nhi_inv_link *link = entity->links.items[i];

		if ((!type || strcmp(link->type, type) == 0) && strcmp(link->target, target) == 0)
			return true;
	}
	return false;
}

int model_entity_link(struct nhi_inv_entity *entity, const char *type, const char *target)
{
	struct nhi_inv_link *link;
	int error;

	/* A link to itself says nothing, and a loop in the graph pictures reads as a mistake. */
	if (strcmp(entity->id, target) == 0 || model_entity_links_to(entity, type, target))
		return 0;
	if (!(link = calloc(1, sizeof(*link))))
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if ((error = model_inventory_set_string(&link->type, type)) < 0 ||
	    (error = model_inventory_set_string(&link->target, target)) < 0 ||
	    (error = nhi_vec_push(&entity->links, link)) < 0)
		free_link(link);
	return error;
}

struct nhi_inv_risk *model_entity_find_risk(const struct nhi_inv_entity *entity, const char *id)
{
	for (size_t i = 0; i < entity->risks.count; i++) {
		struct nhi_inv_risk *risk = entity->risks.items[i];

		if (strcmp(risk->id, id) == 0)
			return risk;
	}
	return NULL;
}

int model_entity_add_risk(struct nhi_inv_risk **out, struct nhi_inv_entity *entity, const char *id,
			  const char *category, const char *title)
{
	struct nhi_inv_risk *risk = calloc(1, sizeof(*risk));
	int error;

	if (!risk)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if ((error = model_inventory_set_string(&risk->id, id)) < 0 ||
	    (error = model_inventory_set_string(&risk->category, category)) < 0 ||
	    (error = model_inventory_set_string(&risk->title, title)) < 0 ||
	    (error = nhi_vec_push(&entity->risks, risk)) < 0) {
		free_risk(risk);
		return error;
	}
	*out = risk;
	return 0;
}

int model_risk_add_points(struct nhi_inv_risk *risk, int points, const char *reason)
{
	struct nhi_buf text = NHI_BUF_INIT;
	int error;

	risk->score += points;
	if (risk->score > NHI_RISK_MAX_SCORE)
		risk->score = NHI_RISK_MAX_SCORE;
	if ((error = nhi_buf_printf(&text, "%+d: %s", points, reason)) == 0)
		error = push_copy(&risk->reasons, text.ptr);
	nhi_buf_dispose(&text);
	return error;
}

int model_risk_add_evidence(struct nhi_inv_risk *risk, const char *format, ...)
{
	struct nhi_buf text = NHI_BUF_INIT;
	va_list ap;
	int error;

	va_start(ap, format);
	error = nhi_buf_vprintf(&text, format, ap);
	va_end(ap);
	if (error == 0)
		error = push_copy(&risk->evidence, text.ptr);
	nhi_buf_dispose(&text);
	return error;
}

/* Sorting. */

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split "path:line[@commit]" at the last ':' before the line number. */
static void split_location(const char *location, size_t *path_len, unsigned long long *line, const char **commit)
{
	const char *colon = strrchr(location, ':');
	const char *at = colon ? strchr(colon, '@') : NULL;
	char *end = NULL;

	*path_len = colon ? (size_t)(colon - location) : strlen(location);
	*line = colon ? strtoull(colon + 1, &end, 10) : 0;
	*commit = at ? at + 1 : "";
}

/* Order locations by path, then by line as a number, so that line 9 comes before line 10. */
static int compare_locations(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t x_len, y_len;
	unsigned long long x_line, y_line;
	const char *x_commit, *y_commit;
	int cmp;

	split_location(x, &x_len, &x_line, &x_commit);
	split_location(y, &y_len, &y_line, &y_commit);
	cmp = memcmp(x, y, x_len < y_len ? x_len : y_len);
	if (cmp || x_len != y_len)
		return cmp ? cmp : (x_len < y_len ? -1 : 1);
	if (x_line != y_line)
		return x_line < y_line ? -1 : 1;
	return strcmp(x_commit, y_commit);
}

static int compare_fields(const void *a, const void *b)
{
	const struct nhi_inv_field *x = *(const struct nhi_inv_field *const *)a;
	const struct nhi_inv_field *y = *(const struct nhi_inv_field *const *)b;

	return strcmp(x->name, y->name);
}

static int compare_links(const void *a, const void *b)
{
	const struct nhi_inv_link *x = *(const struct nhi_inv_link *const *)a;
	const struct nhi_inv_link *y = *(const struct nhi_inv_link *const *)b;
	int cmp = strcmp(x->type, y->type);

	return cmp ? cmp : strcmp(x->target, y->target);
}

static int compare_risks(const void *a, const void *b)
{
	const struct nhi_inv_risk *x = *(const struct nhi_inv_risk *const *)a;
	const struct nhi_inv_risk *y = *(const struct nhi_inv_risk *const *)b;

	return strcmp(x->id, y->id);
}

static int compare_entities(const void *a, const void *b)
{
	const struct nhi_inv_entity *x = *(const struct nhi_inv_entity *const *)a;
	const struct nhi_inv_entity *y = *(const struct nhi_inv_entity *const *)b;
	int x_rank = model_inventory_kind_rank(x->kind), y_rank = model_inventory_kind_rank(y->kind);
	int cmp;

	if (x_rank != y_rank)
		return x_rank < y_rank ? -1 : 1;
	/* Kinds past the known ones sort by name, so that their sections come in a fixed order too. */
	if ((cmp = strcmp(x->kind, y->kind)) != 0)
		return cmp;
	return strcmp(x->id, y->id);
}

static void sort_entity(struct nhi_inv_entity *entity)
{
	nhi_vec_sort(&entity->fields, compare_fields);
	for (size_t i = 0; i < entity->fields.count; i++) {
		struct nhi_inv_field *field = entity->fields.items[i];

		if (field->list)
			nhi_vec_sort(&field->values, compare_strings);
	}
	nhi_vec_sort(&entity->locations, compare_locations);
	nhi_vec_sort(&entity->links, compare_links);
	nhi_vec_sort(&entity->risks, compare_risks);
}

void model_inventory_finalize(struct nhi_inventory *inv)
{
	for (size_t i = 0; i < inv->entities.count; i++)
		sort_entity(inv->entities.items[i]);
	nhi_vec_sort(&inv->entities, compare_entities);
}
