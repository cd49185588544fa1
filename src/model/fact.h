/*
 * Facts: what the extractors learn about machine identities, risky or not, each with the file,
 * line and column it came from. A fact has a type ("mcp.server", "ci.job", "credential.reference"
 * ...), a key that identifies it within its file (a server's name, a job id), an optional parent
 * key (the workflow of a job), and string attributes. The inventory links facts from all files
 * into one graph; risky facts are also reported as findings.
 */
#ifndef NHI_MODEL_FACT_H
#define NHI_MODEL_FACT_H

#include <stddef.h>

#include "util/vec.h"

struct nhi_attribute {
	char *name;
	char *value;
};

struct nhi_fact {
	char *type;     /* "mcp.server", "ci.workflow", "ci.job", "ci.secret", "oauth.scope", ... */
	char *key;      /* identifies the fact within path and type, like a server or job name */
	char *parent;   /* "type:key" of the fact this one belongs to, or NULL */
	char *path;     /* relative to the scan root */
	size_t line;    /* 1-based */
	size_t column;  /* 1-based */
	struct nhi_attribute *attributes;
	size_t attribute_count;
	size_t attribute_alloc;
};

/* Create a fact; returns NULL when out of memory. parent may be NULL. */
struct nhi_fact *model_fact_new(const char *type, const char *key, const char *parent,
				const char *path, size_t line, size_t column);

/* Add an attribute; a name may repeat (a list, such as the tools of a server). */
int model_fact_set(struct nhi_fact *fact, const char *name, const char *value);

/* Return the first value of name, or NULL. */
const char *model_fact_get(const struct nhi_fact *fact, const char *name);

void model_fact_free(struct nhi_fact *fact);

/* Order by path, line, column, type and key. */
int model_fact_compare(const void *a, const void *b);

#endif
