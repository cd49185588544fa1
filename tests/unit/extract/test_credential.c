/*
 * The credential checks the extractors share (src/extract/credential.c): reference syntaxes,
 * credential-like names, literal secrets, and credentials inside URLs.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "extract/credential.h"
#include "extract_test.h"

static void assert_reference(const char *value, const char *store, const char *name, size_t offset)
{
	struct extract_reference ref;

	if (!extract_find_reference(&ref, value, strlen(value)))
		fail_msg("no reference found in '%s'", value);
	assert_string_equal(ref.store, store);
	assert_string_equal(ref.name, name);
	assert_int_equal(ref.offset, offset);
}

static void test_extract_credential__reference_syntaxes(void **state)
{
	struct extract_reference ref;

	assert_reference("${input:github_token}", "vscode-input", "github_token", 0);
	assert_reference("${env:OPENAI_API_KEY}", "env", "OPENAI_API_KEY", 0);
	assert_reference("Bearer ${API_TOKEN:-none}", "env", "API_TOKEN", 7);
	assert_reference("$DEPLOY_TOKEN", "env", "DEPLOY_TOKEN", 0);
	assert_reference("${{ secrets.NPM_TOKEN }}", "secret", "NPM_TOKEN", 0);
	assert_reference("${{ secrets['NPM-TOKEN'] }}", "secret", "NPM-TOKEN", 0);
	assert_reference("${{ github.token }}", "secret", "GITHUB_TOKEN", 0);
	assert_reference("$(armClientSecret)", "variable", "armClientSecret", 0);
	assert_reference("{{ .Values.apiKey }}", "template", ".Values.apiKey", 0);
	assert_reference("%API_KEY%", "env", "API_KEY", 0);
	assert_false(extract_find_reference(&ref, "plain-value", 11));
	assert_false(extract_find_reference(&ref, "cost: 5$", 8));
}

static void test_extract_credential__credential_names(void **state)
{
	const char *const yes[] = {
		"GITHUB_TOKEN", "api_key", "X-API-Key", "Authorization", "--api-key", "DB_PASSWORD",
		"client_secret", "STRIPE_KEY", "AWS_SECRET_ACCESS_KEY", "key", "GITLAB_PAT", NULL,
	};
	const char *const no[] = {
		"TOKEN_URL", "MAX_TOKENS", "CLIENT_ID", "PUBLIC_KEY", "USERNAME", "token_endpoint", "DEBUG",
		"keyboard", "monkey", "bearer_token_env_var", NULL,
	};

	for (int i = 0; yes[i]; i++)
		if (!extract_name_is_credential(yes[i]))
			fail_msg("'%s' should read as a credential name", yes[i]);
	for (int i = 0; no[i]; i++)
		if (extract_name_is_credential(no[i]))
			fail_msg("'%s' should not read as a credential name", no[i]);
}

static void test_extract_credential__literal_secrets(void **state)
{
	char token[64], word_like[64];
	size_t offset, len;

	/* 40 random alphanumerics score over the unnamed-value entropy threshold in practice always. */
	make_token(token, sizeof(token), "", 40, NULL);
	assert_true(extract_value_is_secret("API_TOKEN", token, strlen(token)));
	assert_true(extract_value_is_secret(NULL, token, strlen(token)));
	assert_true(extract_value_is_secret("PASSWORD", "hunter2hunter", 13));
	assert_false(extract_value_is_secret("PASSWORD", "changeme", 8));
	assert_false(extract_value_is_secret("API_TOKEN", "<your-token>", 12));
	assert_false(extract_value_is_secret("API_TOKEN", "${API_TOKEN}", 12));
	assert_false(extract_value_is_secret("API_TOKEN", "short", 5));
	assert_false(extract_value_is_secret("TOKEN_FILE", "/run/secrets/token", 18));
	assert_false(extract_value_is_secret("PORT", "5432", 4));
	/* Unnamed values must look random: words and package names stay. */
	snprintf(word_like, sizeof(word_like), "%s", "@modelcontextprotocol/server-github");
	assert_false(extract_value_is_secret(NULL, word_like, strlen(word_like)));
	assert_false(extract_value_is_secret(NULL, "readonly-production-database", 28));
	extract_secret_span("Bearer abc123def456", 19, &offset, &len);
	assert_int_equal(offset, 7);
	assert_int_equal(len, 12);
}

static void test_extract_credential__urls(void **state)
{
	const char *url = "https://user:pa55word@db.example.com/x?sslmode=require&api_key=k123&sig=abc#frag";
	struct extract_url_secret secrets[4];
	char redacted[256];
	size_t count = extract_url_secrets(secrets, 4, url, strlen(url));

	assert_int_equal(count, 3);
	assert_string_equal(secrets[0].name, "password");
	assert_int_equal(secrets[0].offset, 13);
	assert_int_equal(secrets[0].len, 8);
	assert_string_equal(secrets[1].name, "api_key");
	assert_string_equal(secrets[2].name, "sig");
	extract_redact_url(redacted, sizeof(redacted), url);
	assert_string_equal(redacted, "https://user:****@db.example.com/x?sslmode=require&api_key=****&sig=****#frag");
	assert_true(extract_url_is_insecure("http://mcp.example.com/sse"));
	assert_false(extract_url_is_insecure("https://mcp.example.com/sse"));
	assert_false(extract_url_is_insecure("http://localhost:3000/mcp"));
	assert_false(extract_url_is_insecure("http://127.0.0.1:8080"));
	assert_false(extract_url_is_insecure("http://[::1]:9000/mcp"));
	assert_false(extract_url_is_insecure("http://app.localhost/mcp"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_credential__reference_syntaxes),
		cmocka_unit_test(test_extract_credential__credential_names),
		cmocka_unit_test(test_extract_credential__literal_secrets),
		cmocka_unit_test(test_extract_credential__urls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
