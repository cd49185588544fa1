/*
 * The document readers that the extractors share: JSON (src/parse/json.c) with comments and
 * trailing commas, TOML (src/parse/toml.c) and YAML (src/extract/yaml.c), all loading into the
 * value tree of parse/json.h with 1-based lines and byte columns. Malformed input must fail with
 * a one-line "path:line: invalid ..." message that names the right line.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "extract/yaml.h"
#include "parse/json.h"
#include "parse/toml.h"
#include "util/error.h"

static const struct parse_value *path_get(const struct parse_value *value, const char *first, ...)
{
	va_list ap;

	va_start(ap, first);
	for (const char *key = first; key && value; key = va_arg(ap, const char *))
		value = parse_value_get(value, key);
	va_end(ap);
	return value;
}

static void assert_pos(struct parse_pos pos, size_t line, size_t column)
{
	assert_int_equal(pos.line, line);
	assert_int_equal(pos.column, column);
}

static void assert_message_starts(const char *prefix)
{
	const char *message = nhi_error_last();

	if (strncmp(message, prefix, strlen(prefix)) != 0)
		fail_msg("message '%s' does not start with '%s'", message, prefix);
	assert_null(strchr(message, '\n'));
}

static void test_extract_json__comments_and_trailing_commas(void **state)
{
	const char *text =
		"{\n"
		"  // servers\n"
		"  \"servers\": {\n"
		"    /* block */ \"a\": {\"args\": [\"-y\", \"pkg\",],},\n"
		"  },\n"
		"}\n";
	struct parse_doc doc = PARSE_DOC_INIT;
	const struct parse_value *args;

	assert_int_equal(parse_json_load(&doc, "mcp.json", text, strlen(text)), 0);
	args = path_get(doc.root, "servers", "a", "args", NULL);
	assert_true(parse_value_is_array(args));
	assert_int_equal(args->count, 2);
	assert_string_equal(args->members[1].value->text, "pkg");
	assert_pos(args->members[1].value->start, 4, 39);
	assert_pos(parse_value_member(path_get(doc.root, "servers", NULL), "a")->key_pos, 4, 18);
	parse_doc_dispose(&doc);
}

static void test_extract_json__escapes_decoded(void **state)
{
	const char *text = "{\"k\": \"a\\u00e9\\n\\\"q\\\" \\ud83d\\ude00\"}";
	struct parse_doc doc = PARSE_DOC_INIT;
	const char *value;

	assert_int_equal(parse_json_load(&doc, "x.json", text, strlen(text)), 0);
	value = parse_value_string(parse_value_get(doc.root, "k"));
	assert_non_null(value);
	assert_string_equal(value, "a\xc3\xa9\n\"q\" \xf0\x9f\x98\x80");
	parse_doc_dispose(&doc);
}

static void test_extract_json__syntax_error_line(void **state)
{
	const char *text = "{\n  \"a\": 1,\n  \"b\" 2\n}\n";
	struct parse_doc doc = PARSE_DOC_INIT;

	assert_int_equal(parse_json_load(&doc, "bad.json", text, strlen(text)), NHI_EINVALID);
	assert_message_starts("bad.json:3: invalid JSON: ");
	assert_null(doc.root);
	parse_doc_dispose(&doc);
}

static void test_extract_json__unclosed_document(void **state)
{
	const char *text = "{\n  \"a\": [1, 2\n";
	struct parse_doc doc = PARSE_DOC_INIT;

	assert_int_equal(parse_json_load(&doc, "cut.json", text, strlen(text)), NHI_EINVALID);
	assert_message_starts("cut.json:");
	parse_doc_dispose(&doc);
}

static void test_extract_json__deep_nesting_rejected(void **state)
{
	char text[1200];
	struct parse_doc doc = PARSE_DOC_INIT;

	memset(text, '[', 500);
	memset(text + 500, ']', 500);
	text[1000] = '\0';
	assert_int_equal(parse_json_load(&doc, "deep.json", text, strlen(text)), NHI_EINVALID);
	assert_message_starts("deep.json:1: invalid JSON: nested deeper");
	parse_doc_dispose(&doc);
}

static void test_extract_toml__tables_and_dotted_keys(void **state)
{
	const char *text =
		"model = \"o3\"\n"
		"[mcp_servers.github]\n"
		"command = \"npx\"\n"
		"args = [\"-y\", # comment\n"
		"  \"pkg@1.2.3\"]\n"
		"env = { TOKEN = 'lit' }\n"
		"a.b.c = 1\n"
		"[[profiles]]\n"
		"name = \"one\"\n"
		"[[profiles]]\n"
		"name = \"two\"\n"
		"[profiles.extra]\n"
		"x = true\n";
	struct parse_doc doc = PARSE_DOC_INIT;
	const struct parse_value *github, *profiles;

	assert_int_equal(parse_toml_load(&doc, "config.toml", text, strlen(text)), 0);
	github = path_get(doc.root, "mcp_servers", "github", NULL);
	assert_true(parse_value_is_object(github));
	assert_string_equal(parse_value_string(parse_value_get(github, "command")), "npx");
	assert_pos(parse_value_get(github, "command")->start, 3, 12);
	assert_int_equal(parse_value_get(github, "args")->count, 2);
	assert_pos(parse_value_get(github, "args")->members[1].value->start, 5, 4);
	assert_string_equal(parse_value_string(path_get(github, "env", "TOKEN", NULL)), "lit");
	assert_string_equal(parse_value_scalar(path_get(github, "a", "b", "c", NULL)), "1");
	assert_pos(parse_value_member(doc.root, "mcp_servers")->key_pos, 2, 2);
	profiles = parse_value_get(doc.root, "profiles");
	assert_true(parse_value_is_array(profiles));
	assert_int_equal(profiles->count, 2);
	assert_string_equal(parse_value_string(parse_value_get(profiles->members[1].value, "name")), "two");
	assert_string_equal(parse_value_scalar(path_get(profiles->members[1].value, "extra", "x", NULL)), "true");
	parse_doc_dispose(&doc);
}

static void test_extract_toml__strings_decoded(void **state)
{
	const char *text =
		"basic = \"tab\\there \\u00e9\"\n"
		"literal = 'C:\\path'\n"
		"multi = \"\"\"\n"
		"line one \\\n"
		"   continued\"\"\"\n"
		"raw = '''\n"
		"kept \\n'''\n";
	struct parse_doc doc = PARSE_DOC_INIT;

	assert_int_equal(parse_toml_load(&doc, "s.toml", text, strlen(text)), 0);
	assert_string_equal(parse_value_string(parse_value_get(doc.root, "basic")), "tab\there \xc3\xa9");
	assert_string_equal(parse_value_string(parse_value_get(doc.root, "literal")), "C:\\path");
	assert_string_equal(parse_value_string(parse_value_get(doc.root, "multi")), "line one continued");
	assert_string_equal(parse_value_string(parse_value_get(doc.root, "raw")), "kept \\n");
	assert_pos(parse_value_get(doc.root, "raw")->start, 7, 1);
	parse_doc_dispose(&doc);
}

static void test_extract_toml__syntax_error_line(void **state)
{
	const char *text = "[a]\nx = 1\ny = = 2\n";
	struct parse_doc doc = PARSE_DOC_INIT;

	assert_int_equal(parse_toml_load(&doc, "bad.toml", text, strlen(text)), NHI_EINVALID);
	assert_message_starts("bad.toml:3: invalid TOML: ");
	parse_doc_dispose(&doc);
}

static void test_extract_toml__duplicate_key_rejected(void **state)
{
	const char *text = "x = 1\nx = 2\n";
	struct parse_doc doc = PARSE_DOC_INIT;

	assert_int_equal(parse_toml_load(&doc, "dup.toml", text, strlen(text)), NHI_EINVALID);
	assert_message_starts("dup.toml:2: invalid TOML: a key is defined twice");
	parse_doc_dispose(&doc);
}

static void test_extract_yaml__merge_keys_and_aliases(void **state)
{
	const char *text =
		".defaults: &defaults\n"
		"  image: alpine\n"
		"  variables: {A: one}\n"
		"job:\n"
		"  <<: *defaults\n"
		"  image: debian\n";
	struct parse_doc doc = PARSE_DOC_INIT;
	const struct parse_value *job;

	assert_int_equal(extract_yaml_load(&doc, "ci.yml", text, strlen(text)), 0);
	job = parse_value_get(doc.root, "job");
	assert_string_equal(parse_value_string(parse_value_get(job, "image")), "debian");
	assert_string_equal(parse_value_string(path_get(job, "variables", "A", NULL)), "one");
	parse_doc_dispose(&doc);
}

static void test_extract_yaml__byte_columns(void **state)
{
	/* "é" is one character but two bytes, so the value after it starts one column later in bytes. */
	const char *text = "k: [\xc3\xa9\xc3\xa9, 'x']\nblock: |\n    line\n";
	struct parse_doc doc = PARSE_DOC_INIT;
	const struct parse_value *list;

	assert_int_equal(extract_yaml_load(&doc, "u.yml", text, strlen(text)), 0);
	list = parse_value_get(doc.root, "k");
	assert_pos(list->members[1].value->start, 1, 12);
	assert_pos(parse_value_get(doc.root, "block")->start, 3, 5);
	parse_doc_dispose(&doc);
}

static void test_extract_yaml__documents_merged(void **state)
{
	const char *text = "spec:\n  inputs: {}\n---\njob:\n  script: [make]\n";
	struct parse_doc doc = PARSE_DOC_INIT;

	assert_int_equal(extract_yaml_load(&doc, "c.yml", text, strlen(text)), 0);
	assert_non_null(parse_value_get(doc.root, "spec"));
	assert_non_null(parse_value_get(doc.root, "job"));
	assert_pos(parse_value_member(doc.root, "job")->key_pos, 4, 1);
	parse_doc_dispose(&doc);
}

static void test_extract_yaml__alias_bomb_rejected(void **state)
{
	const char *text =
		"a: &a [x, x, x, x, x, x, x, x, x, x]\n"
		"b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
		"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
		"d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
		"e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
		"f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n";
	struct parse_doc doc = PARSE_DOC_INIT;

	assert_int_equal(extract_yaml_load(&doc, "bomb.yml", text, strlen(text)), NHI_EINVALID);
	assert_message_starts("bomb.yml:");
	parse_doc_dispose(&doc);
}

static void test_extract_yaml__syntax_error_line(void **state)
{
	const char *text = "jobs:\n  build:\n    steps: [a, b\n  other: 1\n";
	struct parse_doc doc = PARSE_DOC_INIT;
	const char *message;

	assert_int_equal(extract_yaml_load(&doc, "w.yml", text, strlen(text)), NHI_EINVALID);
	message = nhi_error_last();
	assert_true(strncmp(message, "w.yml:", 6) == 0);
	assert_non_null(strstr(message, ": invalid YAML: "));
	parse_doc_dispose(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_json__comments_and_trailing_commas),
		cmocka_unit_test(test_extract_json__escapes_decoded),
		cmocka_unit_test(test_extract_json__syntax_error_line),
		cmocka_unit_test(test_extract_json__unclosed_document),
		cmocka_unit_test(test_extract_json__deep_nesting_rejected),
		cmocka_unit_test(test_extract_toml__tables_and_dotted_keys),
		cmocka_unit_test(test_extract_toml__strings_decoded),
		cmocka_unit_test(test_extract_toml__syntax_error_line),
		cmocka_unit_test(test_extract_toml__duplicate_key_rejected),
		cmocka_unit_test(test_extract_yaml__merge_keys_and_aliases),
		cmocka_unit_test(test_extract_yaml__byte_columns),
		cmocka_unit_test(test_extract_yaml__documents_merged),
		cmocka_unit_test(test_extract_yaml__alias_bomb_rejected),
		cmocka_unit_test(test_extract_yaml__syntax_error_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
