/*
 * Unit tests of the tree-sitter grammar registry in src/parse/grammar.c.
 *
 * The tests link the real grammars from libnhiscan-grammars.a and the system tree-sitter runtime,
 * so they also show that every pinned grammar loads and parses with that runtime. Each language
 * parses a small snippet of its own syntax, and each snippet contains one construct that only
 * that grammar produces, so a test fails when the registry hands out the wrong grammar.
 *
 * Build: cc -Isrc tests/unit/parse/test_grammar.c src/parse/grammar.c src/util/error.c \
 *        build/grammars/libnhiscan-grammars.a -ltree-sitter -lcmocka
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "parse/grammar.h"
#include "util/error.h"

static const char *const all_languages[] = {
	"python", "javascript", "typescript", "tsx", "go", "java",
	"ruby", "bash", "json", "toml", "yaml",
};

#define LANGUAGE_COUNT (sizeof(all_languages) / sizeof(all_languages[0]))

static TSTree *parse_snippet(const char *language, const char *source)
{
	const TSLanguage *grammar = NULL;
	TSParser *parser;
	TSTree *tree;

	assert_int_equal(parse_grammar_find(&grammar, language), 0);
	assert_non_null(grammar);
	parser = ts_parser_new();
	assert_non_null(parser);
	assert_true(ts_parser_set_language(parser, grammar));
	tree = ts_parser_parse_string(parser, NULL, source, (uint32_t)strlen(source));
	ts_parser_delete(parser);
	assert_non_null(tree);
	return tree;
}

/* Count the nodes of `type` (every node when type is NULL) in the tree at root, anonymous
 * nodes included, by walking it with a cursor. */
static size_t count_nodes(TSNode root, const char *type)
{
	TSTreeCursor cursor = ts_tree_cursor_new(root);
	size_t count = 0;

	for (;;) {
		TSNode node = ts_tree_cursor_current_node(&cursor);

		if (!type || strcmp(ts_node_type(node), type) == 0)
			count++;
		if (ts_tree_cursor_goto_first_child(&cursor))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
			if (!ts_tree_cursor_goto_parent(&cursor)) {
				ts_tree_cursor_delete(&cursor);
				return count;
			}
		}
	}
}

static void print_tree(TSNode root)
{
	char *text = ts_node_string(root);

	print_error("tree: %s\n", text);
	free(text);
}

/* Parse source and check that the tree is free of errors, has root_type at its root and
 * contains at least one node of marker_type. */
static void assert_parses_cleanly(const char *language, const char *source, const char *root_type,
				  const char *marker_type)
{
	TSTree *tree = parse_snippet(language, source);
	TSNode root = ts_tree_root_node(tree);

	if (ts_node_has_error(root))
		print_tree(root);
	assert_false(ts_node_has_error(root));
	assert_string_equal(ts_node_type(root), root_type);
	assert_true(count_nodes(root, marker_type) > 0);
	ts_tree_delete(tree);
}

static void test_parse_grammar__abi_check_passes(void **state)
{
	(void)state;
	nhi_error_clear();
	assert_int_equal(parse_grammar_check_abi(), 0);
	assert_int_equal(nhi_error_last_code(), NHI_OK);
}

static void test_parse_grammar__every_language_found(void **state)
{
	const TSLanguage *grammars[LANGUAGE_COUNT] = { NULL };
	size_t i;
	size_t j;

	(void)state;
	for (i = 0; i < LANGUAGE_COUNT; i++) {
		assert_int_equal(parse_grammar_find(&grammars[i], all_languages[i]), 0);
		assert_non_null(grammars[i]);
		assert_in_range(ts_language_version(grammars[i]),
				TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
				TREE_SITTER_LANGUAGE_VERSION);
	}
	for (i = 0; i < LANGUAGE_COUNT; i++) {
		for (j = i + 1; j < LANGUAGE_COUNT; j++)
			assert_ptr_not_equal(grammars[i], grammars[j]);
	}
}

static void test_parse_grammar__python_snippet(void **state)
{
	static const char source[] =
		"import os\n"
		"\n"
		"@dataclass\n"
		"class Settings:\n"
		"    token: str = os.environ.get(\"SERVICE_TOKEN\", \"\")\n"
		"\n"
		"    def header(self) -> dict:\n"
		"        if not self.token:\n"
		"            raise ValueError(\"missing token\")\n"
		"        return {\"Authorization\": f\"Bearer {self.token}\"}\n";

	(void)state;
	assert_parses_cleanly("python", source, "module", "interpolation");
}

static void test_parse_grammar__javascript_snippet(void **state)
{
	static const char source[] =
		"import { Client } from \"./client.js\";\n"
		"const client = new Client({ key: process.env.API_KEY });\n"
		"export async function fetchAll(ids) {\n"
		"  const rows = await Promise.all(ids.map((id) => client.get(`/items/${id}`)))\n"
		"  return rows.filter((row) => /^ok$/i.test(row.status))\n"
		"}\n"
		"const view = <List items={[]} />;\n";

	(void)state;
	assert_parses_cleanly("javascript", source, "program", "template_substitution");
}

/* The angle-bracket type assertion is valid TypeScript but not TSX, where it reads as JSX. */
static void test_parse_grammar__typescript_snippet(void **state)
{
	static const char source[] =
		"interface Credentials {\n"
		"  readonly clientId: string;\n"
		"  scopes?: string[];\n"
		"}\n"
		"enum Mode { Read = \"read\", Write = \"write\" }\n"
		"export function scopesOf<T extends Credentials>(value: T): string[] {\n"
		"  return value.scopes ?? [];\n"
		"}\n"
		"const fallback = <Credentials>{ clientId: \"example\" };\n";

	(void)state;
	assert_parses_cleanly("typescript", source, "program", "type_assertion");
}

static void test_parse_grammar__tsx_snippet(void **state)
{
	static const char source[] =
		"type Props = { name: string };\n"
		"export function Greeting({ name }: Props): JSX.Element {\n"
		"  return <div className=\"greeting\">Hello, {name}</div>;\n"
		"}\n";

	(void)state;
	assert_parses_cleanly("tsx", source, "program", "jsx_element");
}

static void test_parse_grammar__go_snippet(void **state)
{
	static const char source[] =
		"package main\n"
		"\n"
		"import (\n"
		"\t\"fmt\"\n"
		"\t\"os\"\n"
		")\n"
		"\n"
		"type Config struct {\n"
		"\tToken string `json:\"token\"`\n"
		"}\n"
		"\n"
		"func main() {\n"
		"\tcfg := Config{Token: os.Getenv(\"SERVICE_TOKEN\")}\n"
		"\tdone := make(chan struct{})\n"
		"\tgo func() { defer close(done); fmt.Println(len(cfg.Token)) }()\n"
		"\t<-done\n"
		"}\n";

	(void)state;
	assert_parses_cleanly("go", source, "source_file", "go_statement");
}

static void test_parse_grammar__java_snippet(void **state)
{
	static const char source[] =
		"package example;\n"
		"\n"
		"import java.util.List;\n"
		"import java.util.Map;\n"
		"\n"
		"@Service\n"
		"public class TokenStore {\n"
		"    private final Map<String, List<String>> scopes = new HashMap<>();\n"
		"\n"
		"    public List<String> scopesOf(String clientId) {\n"
		"        return scopes.getOrDefault(clientId, List.of());\n"
		"    }\n"
		"}\n";

	(void)state;
	assert_parses_cleanly("java", source, "program", "generic_type");
}

static void test_parse_grammar__ruby_snippet(void **state)
{
	static const char source[] =
		"require \"json\"\n"
		"\n"
		"class Deployer\n"
		"  def initialize(token = ENV.fetch(\"DEPLOY_TOKEN\"))\n"
		"    @token = token\n"
		"  end\n"
		"\n"
		"  def script\n"
		"    <<~SHELL\n"
		"      curl -H \"X-Token: #{@token}\" https://example.invalid\n"
		"    SHELL\n"
		"  end\n"
		"end\n"
		"[1, 2].each { |n| puts n }\n";

	(void)state;
	assert_parses_cleanly("ruby", source, "program", "heredoc_body");
}

static void test_parse_grammar__bash_snippet(void **state)
{
	static const char source[] =
		"#!/bin/bash\n"
		"set -euo pipefail\n"
		"\n"
		"deploy() {\n"
		"  local target=\"${1:-staging}\"\n"
		"  if [[ -z \"${DEPLOY_TOKEN:-}\" ]]; then\n"
		"    echo \"missing token\" >&2\n"
		"    return 1\n"
		"  fi\n"
		"  curl -s \"https://example.invalid/$target\" | jq .\n"
		"}\n"
		"\n"
		"cat <<EOF > config.txt\n"
		"target=$(hostname)\n"
		"EOF\n";

	(void)state;
	assert_parses_cleanly("bash", source, "program", "heredoc_body");
}

static void test_parse_grammar__json_snippet(void **state)
{
	static const char source[] =
		"{\n"
		"  \"name\": \"example\",\n"
		"  \"version\": 2,\n"
		"  \"scopes\": [\"repo\", \"read:org\"],\n"
		"  \"nested\": {\"enabled\": true, \"ratio\": 0.5, \"none\": null}\n"
		"}\n";

	(void)state;
	assert_parses_cleanly("json", source, "document", "pair");
}

static void test_parse_grammar__toml_snippet(void **state)
{
	static const char source[] =
		"# service settings\n"
		"title = \"example\"\n"
		"\n"
		"[server]\n"
		"host = \"127.0.0.1\"\n"
		"port = 8080\n"
		"owner = { name = \"team\", email = \"team@example.invalid\" }\n"
		"\n"
		"[[plugins]]\n"
		"name = \"audit\"\n"
		"description = \"\"\"\n"
		"multi-line\n"
		"\"\"\"\n";

	(void)state;
	assert_parses_cleanly("toml", source, "document", "table_array_element");
}

static void test_parse_grammar__yaml_snippet(void **state)
{
	static const char source[] =
		"version: 2\n"
		"defaults: &defaults\n"
		"  image: \"example/app:1.0\"\n"
		"  env:\n"
		"    - LOG_LEVEL=info\n"
		"jobs:\n"
		"  build:\n"
		"    <<: *defaults\n"
		"    steps:\n"
		"      - run: |\n"
		"          make\n"
		"          make test\n";

	(void)state;
	assert_parses_cleanly("yaml", source, "stream", "block_scalar");
}

/*
 * Real configuration files often contain JSONC, with comments and trailing commas. The grammar
 * takes comments as extras and recovers from the commas, so the tree is marked as having an
 * error but still contains every pair, which is what the extractors walk.
 */
static void test_parse_grammar__json_trailing_comma_walkable(void **state)
{
	static const char source[] =
		"{\n"
		"  // service account used by the deploy job\n"
		"  \"client_id\": \"example-client\",\n"
		"  \"scopes\": [\"read\", \"write\",],\n"
		"}\n";
	TSTree *tree;
	TSNode root;
	TSNode object;

	(void)state;
	tree = parse_snippet("json", source);
	root = ts_tree_root_node(tree);
	assert_string_equal(ts_node_type(root), "document");
	assert_true(ts_node_has_error(root));

	object = ts_node_named_child(root, 0);
	assert_false(ts_node_is_null(object));
	assert_string_equal(ts_node_type(object), "object");
	assert_int_equal(count_nodes(root, "comment"), 1);
	assert_int_equal(count_nodes(root, "pair"), 2);
	assert_int_equal(count_nodes(root, "string_content"), 5);
	assert_true(count_nodes(root, NULL) > 10);
	ts_tree_delete(tree);
}

static void test_parse_grammar__unknown_language_not_found(void **state)
{
	static const char *const unknown[] = { "cobol", "", "Python", "javascript ", "c" };
	const TSLanguage *grammar = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		nhi_error_clear();
		assert_int_equal(parse_grammar_find(&grammar, unknown[i]), NHI_ENOTFOUND);
		assert_null(grammar);
		assert_int_equal(nhi_error_last_code(), NHI_ENOTFOUND);
	}

	assert_int_equal(parse_grammar_find(&grammar, "cobol"), NHI_ENOTFOUND);
	assert_non_null(strstr(nhi_error_last(), "'cobol'"));
	assert_non_null(strstr(nhi_error_last(), "python, javascript"));
}

static void test_parse_grammar__null_argument_invalid(void **state)
{
	const TSLanguage *grammar = NULL;

	(void)state;
	assert_int_equal(parse_grammar_find(NULL, "python"), NHI_EINVALID);
	assert_int_equal(parse_grammar_find(&grammar, NULL), NHI_EINVALID);
	assert_null(grammar);
}

static void test_parse_grammar__path_mapping(void **state)
{
	static const struct {
		const char *path;
		const char *language;
	} cases[] = {
		{ "app.py", "python" },
		{ "src/pkg/stubs.pyi", "python" },
		{ "web/index.js", "javascript" },
		{ "web/server.mjs", "javascript" },
		{ "web/config.cjs", "javascript" },
		{ "web/App.jsx", "javascript" },
		{ "src/api.ts", "typescript" },
		{ "types/lib.d.ts", "typescript" },
		{ "src/module.mts", "typescript" },
		{ "src/module.cts", "typescript" },
		{ "src/App.tsx", "tsx" },
		{ "cmd/main.go", "go" },
		{ "src/main/java/Example.java", "java" },
		{ "lib/deploy.rb", "ruby" },
		{ "Gemfile", "ruby" },
		{ "project/Rakefile", "ruby" },
		{ "tasks/release.rake", "ruby" },
		{ "nhiscan.gemspec", "ruby" },
		{ "scripts/deploy.sh", "bash" },
		{ "scripts/setup.bash", "bash" },
		{ "/home/user/.bashrc", "bash" },
		{ ".bash_profile", "bash" },
		{ "package.json", "json" },
		{ ".vscode/settings.jsonc", "json" },
		{ "CONFIG.JSON", "json" },
		{ "pyproject.toml", "toml" },
		{ "Pipfile", "toml" },
		{ ".github/workflows/ci.yml", "yaml" },
		{ "deploy/values.yaml", "yaml" },
		{ ".config/app.Yaml", "yaml" },
	};
	const TSLanguage *grammar;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *language = parse_grammar_for_path(cases[i].path);

		if (!language || strcmp(language, cases[i].language) != 0)
			print_error("path '%s'\n", cases[i].path);
		assert_non_null(language);
		assert_string_equal(language, cases[i].language);
		grammar = NULL;
		assert_int_equal(parse_grammar_find(&grammar, language), 0);
		assert_non_null(grammar);
	}
}

static void test_parse_grammar__path_without_grammar(void **state)
{
	static const char *const paths[] = {
		"README.md", "Makefile", "src/main.c", "LICENSE", "archive.tar.gz",
		"notes.", "dir.py/", "dir.py/data", ".env", "gemfile", "", NULL,
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		const char *language = parse_grammar_for_path(paths[i]);

		if (language)
			print_error("path '%s' mapped to '%s'\n", paths[i] ? paths[i] : "(null)",
				    language);
		assert_null(language);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_grammar__abi_check_passes),
		cmocka_unit_test(test_parse_grammar__every_language_found),
		cmocka_unit_test(test_parse_grammar__python_snippet),
		cmocka_unit_test(test_parse_grammar__javascript_snippet),
		cmocka_unit_test(test_parse_grammar__typescript_snippet),
		cmocka_unit_test(test_parse_grammar__tsx_snippet),
		cmocka_unit_test(test_parse_grammar__go_snippet),
		cmocka_unit_test(test_parse_grammar__java_snippet),
		cmocka_unit_test(test_parse_grammar__ruby_snippet),
		cmocka_unit_test(test_parse_grammar__bash_snippet),
		cmocka_unit_test(test_parse_grammar__json_snippet),
		cmocka_unit_test(test_parse_grammar__toml_snippet),
		cmocka_unit_test(test_parse_grammar__yaml_snippet),
		cmocka_unit_test(test_parse_grammar__json_trailing_comma_walkable),
		cmocka_unit_test(test_parse_grammar__unknown_language_not_found),
		cmocka_unit_test(test_parse_grammar__null_argument_invalid),
		cmocka_unit_test(test_parse_grammar__path_mapping),
		cmocka_unit_test(test_parse_grammar__path_without_grammar),
	};

	return cmocka_run_group_tests_name("parse_grammar", tests, NULL, NULL);
}
