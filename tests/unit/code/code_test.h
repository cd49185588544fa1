/*
 * Helpers shared by the tests of the tree-sitter extractor: run extract_code_file() on a source
 * text, find facts and findings, check their positions and attributes, and make random fake
 * tokens so that no test file contains a literal credential. Include after <cmocka.h>.
 */
#ifndef NHI_TESTS_CODE_TEST_H
#define NHI_TESTS_CODE_TEST_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/finding.h"
#include "extract/code.h"
#include "model/fact.h"
#include "model/secret.h"
#include "util/error.h"
#include "util/vec.h"

struct code_result {
	struct nhi_vec findings;
	struct nhi_vec facts;
	struct nhi_vec warnings;
};

static inline void code_result_dispose(struct code_result *result)
{
	nhi_vec_dispose_all(&result->findings, (void (*)(void *))core_finding_free);
	nhi_vec_dispose_all(&result->facts, (void (*)(void *))model_fact_free);
	nhi_vec_dispose_all(&result->warnings, NULL);
}

/* Run the code extractor on text as if the scan had read it from path; result must be empty. */
static inline void run_code(struct code_result *result, const char *path, const char *text, bool has_secret_match)
{
	struct nhi_extract_output out = { &result->findings, &result->facts, &result->warnings };
	int error = extract_code_file(&out, path, text, strlen(text), has_secret_match);

	if (error < 0)
		fail_msg("extract_code_file failed: %s", nhi_error_last());
}

static inline void extract_code(struct code_result *result, const char *path, const char *text)
{
	memset(result, 0, sizeof(*result));
	run_code(result, path, text, false);
}

/* Return the fact of type and key, or NULL. */
static inline const struct nhi_fact *find_fact(const struct code_result *result, const char *type, const char *key)
{
	for (size_t i = 0; i < result->facts.count; i++) {
		const struct nhi_fact *fact = result->facts.items[i];

		if (strcmp(fact->type, type) == 0 && strcmp(fact->key, key) == 0)
			return fact;
	}
	return NULL;
}

static inline void print_facts(const struct code_result *result)
{
	for (size_t i = 0; i < result->facts.count; i++) {
		const struct nhi_fact *fact = result->facts.items[i];

		print_message("  %zu:%zu %s '%s'\n", fact->line, fact->column, fact->type, fact->key);
	}
}

/* The fact of type and key at line and column (a key may repeat); fails the test when there is none. */
static inline const struct nhi_fact *need_fact_at(const struct code_result *result, const char *type,
						  const char *key, size_t line, size_t column)
{
	for (size_t i = 0; i < result->facts.count; i++) {
		const struct nhi_fact *fact = result->facts.items[i];

		if (strcmp(fact->type, type) == 0 && strcmp(fact->key, key) == 0 && fact->line == line &&
		    fact->column == column)
			return fact;
	}
	print_facts(result);
	fail_msg("no fact %s '%s' at %zu:%zu among %zu facts", type, key, line, column, result->facts.count);
	return NULL;
}

static inline size_t count_facts(const struct code_result *result, const char *type)
{
	size_t count = 0;

	for (size_t i = 0; i < result->facts.count; i++)
		count += strcmp(((const struct nhi_fact *)result->facts.items[i])->type, type) == 0;
	return count;
}

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

static inline void assert_no_attr(const struct nhi_fact *fact, const char *name)
{
	if (model_fact_get(fact, name))
		fail_msg("fact %s '%s' has %s=%s", fact->type, fact->key, name, model_fact_get(fact, name));
}

static inline const struct nhi_finding *find_finding_at(const struct code_result *result, const char *rule_id,
							size_t line)
{
	for (size_t i = 0; i < result->findings.count; i++) {
		const struct nhi_finding *finding = result->findings.items[i];

		if (strcmp(finding->rule_id, rule_id) == 0 && finding->line == line)
			return finding;
	}
	return NULL;
}

static inline const struct nhi_finding *need_finding_at(const struct code_result *result, const char *rule_id,
							size_t line, size_t column)
{
	const struct nhi_finding *finding = find_finding_at(result, rule_id, line);

	if (!finding)
		fail_msg("no finding %s on line %zu among %zu findings", rule_id, line, result->findings.count);
	assert_int_equal(finding->column, column);
	return finding;
}

static inline size_t count_findings(const struct code_result *result, const char *rule_id)
{
	size_t count = 0;

	for (size_t i = 0; i < result->findings.count; i++)
		count += strcmp(((const struct nhi_finding *)result->findings.items[i])->rule_id, rule_id) == 0;
	return count;
}

/* Fail when a finding or fact of result shows text, a raw secret. */
static inline void assert_nowhere(const struct code_result *result, const char *text)
{
	for (size_t i = 0; i < result->findings.count; i++) {
		const struct nhi_finding *finding = result->findings.items[i];

		if ((finding->message && strstr(finding->message, text)) || (finding->redacted && strstr(finding->redacted, text)))
			fail_msg("finding %s shows the secret", finding->rule_id);
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

/*
 * Write len random letters and digits to out (size bytes). Neighbours never repeat, because the
 * placeholder check rejects long runs of one character, and the first two characters are a
 * letter and a digit, so that the token passes the letter-and-digit test of credential literals.
 */
static inline void make_token(char *out, size_t size, size_t len)
{
	static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char random_bytes[256];

	assert_true(len >= 2 && len < size && len <= sizeof(random_bytes));
	assert_int_equal(getrandom(random_bytes, len, 0), (ssize_t)len);
	out[0] = letters[random_bytes[0] % (sizeof(letters) - 1)];
	out[1] = (char)('0' + random_bytes[1] % 10);
	for (size_t i = 2; i < len; i++) {
		out[i] = alnum[random_bytes[i] % (sizeof(alnum) - 1)];
		if (out[i] == out[i - 1])
			out[i] = alnum[(random_bytes[i] + 1u) % (sizeof(alnum) - 1)];
	}
	out[len] = '\0';
}

#endif
