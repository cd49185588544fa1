/*
 * Helpers shared by the extractor tests: run extract_file() on a fixture string, look facts and
 * findings up, and make random fake tokens, so that no test file contains a literal credential.
 * Include after <cmocka.h>. Functions are static inline so that a test need not use all of them.
 */
#ifndef NHI_TESTS_EXTRACT_TEST_H
#define NHI_TESTS_EXTRACT_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/finding.h"
#include "extract/extract.h"
#include "model/fact.h"
#include "util/vec.h"

struct extracted {
	struct nhi_vec findings;
	struct nhi_vec facts;
	struct nhi_vec warnings;
};

static inline void extracted_dispose(struct extracted *result)
{
	nhi_vec_dispose_all(&result->findings, (void (*)(void *))core_finding_free);
	nhi_vec_dispose_all(&result->facts, (void (*)(void *))model_fact_free);
	nhi_vec_dispose_all(&result->warnings, NULL);
}

/* Run the extractors on text as if the scan had read it from path. */
static inline void extract_text(struct extracted *result, const char *path, const char *text)
{
	struct nhi_extract_output out = { &result->findings, &result->facts, &result->warnings };

	memset(result, 0, sizeof(*result));
	assert_int_equal(extract_file(&out, path, text, strlen(text)), 0);
}

/* Return the fact of type and key, or NULL; key NULL matches any key. */
static inline const struct nhi_fact *find_fact(const struct extracted *result, const char *type, const char *key)
{
	for (size_t i = 0; i < result->facts.count; i++) {
		const struct nhi_fact *fact = result->facts.items[i];

		if (strcmp(fact->type, type) == 0 && (!key || strcmp(fact->key, key) == 0))
			return fact;
	}
	return NULL;
}

/* Like find_fact(), but fail the test when the fact is missing. */
static inline const struct nhi_fact *need_fact(const struct extracted *result, const char *type, const char *key)
{
	const struct nhi_fact *fact = find_fact(result, type, key);

	if (!fact)
		fail_msg("no fact %s '%s' among %zu facts", type, key ? key : "*", result->facts.count);
	return fact;
}

static inline size_t count_facts(const struct extracted *result, const char *type)
{
	size_t count = 0;

	for (size_t i = 0; i < result->facts.count; i++)
		count += strcmp(((const struct nhi_fact *)result->facts.items[i])->type, type) == 0;
	return count;
}

/* Return true when fact has an attribute name with value (names may repeat). */
static inline bool fact_has(const struct nhi_fact *fact, const char *name, const char *value)
{
	for (size_t i = 0; i < fact->attribute_count; i++)
		if (strcmp(fact->attributes[i].name, name) == 0 && strcmp(fact->attributes[i].value, value) == 0)
			return true;
	return false;
}

static inline void assert_attr(const struct nhi_fact *fact, const char *name, const char *value)
{
	if (!fact_has(fact, name, value))
		fail_msg("fact %s '%s' has no %s=%s (first value: %s)", fact->type, fact->key, name, value,
			 model_fact_get(fact, name) ? model_fact_get(fact, name) : "none");
}

static inline const struct nhi_finding *find_finding(const struct extracted *result, const char *rule_id)
{
	for (size_t i = 0; i < result->findings.count; i++) {
		const struct nhi_finding *finding = result->findings.items[i];

		if (strcmp(finding->rule_id, rule_id) == 0)
			return finding;
	}
	return NULL;
}

static inline const struct nhi_finding *need_finding(const struct extracted *result, const char *rule_id)
{
	const struct nhi_finding *finding = find_finding(result, rule_id);

	if (!finding)
		fail_msg("no finding %s among %zu findings", rule_id, result->findings.count);
	return finding;
}

static inline size_t count_findings(const struct extracted *result, const char *rule_id)
{
	size_t count = 0;

	for (size_t i = 0; i < result->findings.count; i++)
		count += strcmp(((const struct nhi_finding *)result->findings.items[i])->rule_id, rule_id) == 0;
	return count;
}

static inline void assert_position(size_t line, size_t column, size_t expected_line, size_t expected_column)
{
	assert_int_equal(line, expected_line);
	assert_int_equal(column, expected_column);
}

/* Fail when any finding or fact attribute of result contains text (a raw secret). */
static inline void assert_nowhere(const struct extracted *result, const char *text)
{
	for (size_t i = 0; i < result->findings.count; i++) {
		const struct nhi_finding *f = result->findings.items[i];
		const char *fields[] = { f->message, f->redacted, f->rule_name, f->remediation };

		for (size_t j = 0; j < sizeof(fields) / sizeof(fields[0]); j++)
			if (fields[j] && strstr(fields[j], text))
				fail_msg("finding %s shows the secret", f->rule_id);
	}
	for (size_t i = 0; i < result->facts.count; i++) {
		const struct nhi_fact *fact = result->facts.items[i];

		if (strstr(fact->key, text))
			fail_msg("fact %s key shows the secret", fact->type);
		for (size_t j = 0; j < fact->attribute_count; j++)
			if (strstr(fact->attributes[j].value, text))
				fail_msg("fact %s attribute %s shows the secret", fact->type, fact->attributes[j].name);
	}
}

/* Write prefix and len random characters of alphabet (alphanumerics when NULL) to out. */
static inline void make_token(char *out, size_t size, const char *prefix, size_t len, const char *alphabet)
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	const char *letters = alphabet ? alphabet : alnum;
	size_t n = strlen(letters), used = (size_t)snprintf(out, size, "%s", prefix);
	unsigned char random_bytes[256];

	assert_true(used + len < size && len <= sizeof(random_bytes));
	assert_int_equal(getrandom(random_bytes, len, 0), (ssize_t)len);
	for (size_t i = 0; i < len; i++)
		out[used + i] = letters[random_bytes[i] % n];
	out[used + len] = '\0';
	/* Placeholder checks reject runs of one character, which a random token may, rarely, contain. */
	for (size_t i = used + 1; i < used + len; i++)
		if (out[i] == out[i - 1])
			out[i] = letters[(random_bytes[i - used] + 1u) % n];
}

#endif
