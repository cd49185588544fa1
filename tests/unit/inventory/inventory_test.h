/*
 * Helpers for the inventory tests: facts and findings made in memory as the extractors and the
 * signature matcher make them, an inventory built from them, and lookups by id.
 */
#ifndef NHI_TESTS_INVENTORY_TEST_H
#define NHI_TESTS_INVENTORY_TEST_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "core/finding.h"
#include "model/build.h"
#include "model/fact.h"
#include "model/inventory.h"
#include "model/secret.h"
#include "util/vec.h"

/* Make a fact with attributes given as name, value pairs ending in NULL. */
static inline struct nhi_fact *make_fact(const char *type, const char *key, const char *parent, const char *path,
					 size_t line, ...)
{
	struct nhi_fact *fact = model_fact_new(type, key, parent, path, line, 1);
	va_list ap;
	const char *name;

	assert_non_null(fact);
	va_start(ap, line);
	while ((name = va_arg(ap, const char *)) != NULL)
		assert_int_equal(model_fact_set(fact, name, va_arg(ap, const char *)), 0);
	va_end(ap);
	return fact;
}

/* Give fact the fingerprint and preview of secret, as extract_add_secret_identity() does. */
static inline void add_secret_identity(struct nhi_fact *fact, const char *secret)
{
	char fingerprint[NHI_FINGERPRINT_HEX + 1];
	char *redacted = model_secret_redact(secret, strlen(secret));

	model_secret_fingerprint(fingerprint, secret, strlen(secret));
	assert_int_equal(model_fact_set(fact, "fingerprint", fingerprint), 0);
	assert_int_equal(model_fact_set(fact, "redacted", redacted), 0);
	free(redacted);
}

/* Make a signature finding of secret at path:line:column. */
static inline struct nhi_finding *make_finding(const char *rule, const char *kind, const char *provider,
					       const char *path, size_t line, size_t column, const char *secret)
{
	struct nhi_finding *finding = calloc(1, sizeof(*finding));

	assert_non_null(finding);
	finding->rule_id = strdup(rule);
	finding->kind = strdup(kind);
	finding->provider = strdup(provider);
	finding->rule_name = strdup(rule);
	finding->remediation = strdup("revoke it");
	finding->path = strdup(path);
	finding->line = line;
	finding->column = column;
	finding->severity = NHI_SEVERITY_HIGH;
	finding->validated = -1;
	finding->redacted = model_secret_redact(secret, strlen(secret));
	model_secret_fingerprint(finding->fingerprint, secret, strlen(secret));
	return finding;
}

/* Mark a finding as coming from history, introduced by commit. */
static inline struct nhi_finding *in_commit(struct nhi_finding *finding, const char *commit, const char *author,
					    const char *email, const char *date)
{
	finding->commit = strdup(commit);
	finding->author = strdup(author);
	finding->email = strdup(email);
	finding->date = strdup(date);
	return finding;
}

static inline char *credential_id_of(const char *secret)
{
	char fingerprint[NHI_FINGERPRINT_HEX + 1];
	char *id = NULL;

	model_secret_fingerprint(fingerprint, secret, strlen(secret));
	assert_int_equal(model_inventory_credential_id(&id, fingerprint), 0);
	return id;
}

/* Return the entity with id, failing the test when there is none. */
static inline struct nhi_inv_entity *expect_entity(const struct nhi_inventory *inv, const char *id)
{
	struct nhi_inv_entity *entity = model_inventory_find(inv, id);

	if (!entity)
		fail_msg("no entity '%s'", id);
	return entity;
}

/* Return the first entity of kind whose name is name, failing the test when there is none. */
static inline struct nhi_inv_entity *expect_named(const struct nhi_inventory *inv, const char *kind, const char *name)
{
	for (size_t i = 0; i < inv->entities.count; i++) {
		struct nhi_inv_entity *entity = inv->entities.items[i];

		if (strcmp(entity->kind, kind) == 0 && entity->name && strcmp(entity->name, name) == 0)
			return entity;
	}
	fail_msg("no %s named '%s'", kind, name);
	return NULL;
}

static inline void free_findings(struct nhi_vec *findings)
{
	nhi_vec_dispose_all(findings, (void (*)(void *))core_finding_free);
}

static inline void free_facts(struct nhi_vec *facts)
{
	nhi_vec_dispose_all(facts, (void (*)(void *))model_fact_free);
}

#endif
