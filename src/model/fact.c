/*
 * Fact records; see fact.h.
 */
#include "model/fact.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

static char *dup_or_null(const char *text)
{
	return text ? strdup(text) : NULL;
}

struct nhi_fact *model_fact_new(const char *type, const char *key, const char *parent,
				const char *path, size_t line, size_t column)
{
	struct nhi_fact *fact = calloc(1, sizeof(*fact));

	if (!fact)
		return NULL;
	fact->type = strdup(type);
	fact->key = strdup(key ? key : "");
	fact->parent = dup_or_null(parent);
	fact->path = strdup(path ? path : "");
	fact->line = line;
	fact->column = column;
	if (!fact->type || !fact->key || !fact->path || (parent && !fact->parent)) {
		model_fact_free(fact);
		return NULL;
	}
	return fact;
}

int model_fact_set(struct nhi_fact *fact, const char *name, const char *value)
{
	struct nhi_attribute *attr;

	if (fact->attribute_count == fact->attribute_alloc) {
		size_t alloc = fact->attribute_alloc ? fact->attribute_alloc * 2 : 8;
		struct nhi_attribute *items = realloc(fact->attributes, alloc * sizeof(*items));

		if (!items)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		fact->attributes = items;
		fact->attribute_alloc = alloc;
	}
	attr = &fact->attributes[fact->attribute_count];
	attr->name = strdup(name);
	attr->value = strdup(value ? value : "");
	if (!attr->name || !attr->value) {
		free(attr->name);
		free(attr->value);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	fact->attribute_count++;
	return 0;
}

const char *model_fact_get(const struct nhi_fact *fact, const char *name)
{
	for (size_t i = 0; i < fact->attribute_count; i++)
		if (strcmp(fact->attributes[i].name, name) == 0)
			return fact->attributes[i].value;
	return NULL;
}

void model_fact_free(struct nhi_fact *fact)
{
	if (!fact)
		return;
	for (size_t i = 0; i < fact->attribute_count; i++) {
		free(fact->attributes[i].name);
		free(fact->attributes[i].value);
	}
	free(fact->attributes);
	free(fact->type);
	free(fact->key);
	free(fact->parent);
	free(fact->path);
	free(fact);
}

int model_fact_compare(const void *a, const void *b)
{
	const struct nhi_fact *x = *(const struct nhi_fact *const *)a;
	const struct nhi_fact *y = *(const struct nhi_fact *const *)b;
	int cmp = strcmp(x->path, y->path);

	if (cmp)
		return cmp;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->column != y->column)
		return x->column < y->column ? -1 : 1;
	cmp = strcmp(x->type, y->type);
	return cmp ? cmp : strcmp(x->key, y->key);
}
