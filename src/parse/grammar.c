/*
 * Registry of the compiled tree-sitter grammars, as declared in grammar.h.
 *
 * Three static tables drive this file: the grammars with their entry points, the file
 * extensions, and the file names whose extension does not tell the language. Adding a grammar
 * takes a line in grammars/manifest.txt, its entry point below, and its extensions or names.
 */
#include "parse/grammar.h"

#include "util/error.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/*
 * Entry points of libnhiscan-grammars.a. Each grammar's src/parser.c defines one, named
 * tree_sitter_ followed by the grammar's name in its grammar.js. The tree-sitter-typescript
 * package has two grammars and so two entry points.
 */
const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);
const TSLanguage *tree_sitter_go(void);
const TSLanguage *tree_sitter_java(void);
const TSLanguage *tree_sitter_ruby(void);
const TSLanguage *tree_sitter_bash(void);
const TSLanguage *tree_sitter_json(void);
const TSLanguage *tree_sitter_toml(void);
const TSLanguage *tree_sitter_yaml(void);

struct grammar {
	const char *language;
	const TSLanguage *(*load)(void);
};

static const struct grammar grammars[] = {
	{ "python", tree_sitter_python },
	{ "javascript", tree_sitter_javascript },
	{ "typescript", tree_sitter_typescript },
	{ "tsx", tree_sitter_tsx },
	{ "go", tree_sitter_go },
	{ "java", tree_sitter_java },
	{ "ruby", tree_sitter_ruby },
	{ "bash", tree_sitter_bash },
	{ "json", tree_sitter_json },
	{ "toml", tree_sitter_toml },
	{ "yaml", tree_sitter_yaml },
};

#define GRAMMAR_COUNT (sizeof(grammars) / sizeof(grammars[0]))

struct path_rule {
	const char *key;
	const char *language;
};

/* Extensions without the dot. The JavaScript grammar also parses JSX, and the JSON grammar
 * accepts the comments of JSONC. */
static const struct path_rule extension_rules[] = {
	{ "py", "python" },
	{ "pyi", "python" },
	{ "pyw", "python" },
	{ "js", "javascript" },
	{ "mjs", "javascript" },
	{ "cjs", "javascript" },
	{ "jsx", "javascript" },
	{ "ts", "typescript" },
	{ "mts", "typescript" },
	{ "cts", "typescript" },
	{ "tsx", "tsx" },
	{ "go", "go" },
	{ "java", "java" },
	{ "rb", "ruby" },
	{ "rake", "ruby" },
	{ "gemspec", "ruby" },
	{ "ru", "ruby" },
	{ "sh", "bash" },
	{ "bash", "bash" },
	{ "json", "json" },
	{ "jsonc", "json" },
	{ "toml", "toml" },
	{ "yml", "yaml" },
	{ "yaml", "yaml" },
};

/* Whole file names, compared case-sensitively as the tools that read them do. */
static const struct path_rule name_rules[] = {
	{ "Gemfile", "ruby" },
	{ "Rakefile", "ruby" },
	{ "Guardfile", "ruby" },
	{ "Podfile", "ruby" },
	{ "Vagrantfile", "ruby" },
	{ "Brewfile", "ruby" },
	{ "Capfile", "ruby" },
	{ "Fastfile", "ruby" },
	{ ".irbrc", "ruby" },
	{ ".pryrc", "ruby" },
	{ ".bashrc", "bash" },
	{ ".bash_profile", "bash" },
	{ ".bash_login", "bash" },
	{ ".bash_logout", "bash" },
	{ ".profile", "bash" },
	{ "Pipfile", "toml" },
	{ ".gemrc", "yaml" },
};

#define RULE_COUNT(rules) (sizeof(rules) / sizeof((rules)[0]))

/* Write "python, javascript, ..." into buffer. A list longer than the buffer is cut. */
static void format_language_list(char *buffer, size_t size)
{
	size_t used = 0;
	size_t i;

	buffer[0] = '\0';
	for (i = 0; i < GRAMMAR_COUNT && used < size; i++) {
		int written = snprintf(buffer + used, size - used, "%s%s", i ? ", " : "",
				       grammars[i].language);

		if (written < 0)
			break;
		used += (size_t)written;
	}
}

int parse_grammar_find(const TSLanguage **out, const char *language)
{
	char supported[256];
	size_t i;

	if (!out || !language)
		return nhi_error_set(NHI_EINVALID, "parse_grammar_find: NULL argument");

	for (i = 0; i < GRAMMAR_COUNT; i++) {
		if (strcmp(grammars[i].language, language) == 0) {
			*out = grammars[i].load();
			return 0;
		}
	}

	format_language_list(supported, sizeof(supported));
	return nhi_error_set(NHI_ENOTFOUND, "no tree-sitter grammar for language '%s'; supported: %s",
			     language, supported);
}

static bool equal_ignoring_ascii_case(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char lower_a = (*a >= 'A' && *a <= 'Z') ? (char)(*a - 'A' + 'a') : *a;
		char lower_b = (*b >= 'A' && *b <= 'Z') ? (char)(*b - 'A' + 'a') : *b;

		if (lower_a != lower_b)
			return false;
	}
	return *a == *b;
}

static const char *find_base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* Return the text after the last dot of a file name, or NULL when it has none. A leading dot
 * alone, as in ".bashrc", marks a hidden file and starts no extension. */
static const char *find_extension(const char *name)
{
	const char *dot = strrchr(name, '.');

	if (!dot || dot == name || dot[1] == '\0')
		return NULL;
	return dot + 1;
}

const char *parse_grammar_for_path(const char *path)
{
	const char *name;
	const char *extension;
	size_t i;

	if (!path)
		return NULL;

	name = find_base_name(path);
	for (i = 0; i < RULE_COUNT(name_rules); i++) {
		if (strcmp(name_rules[i].key, name) == 0)
			return name_rules[i].language;
	}

	extension = find_extension(name);
	if (!extension)
		return NULL;
	for (i = 0; i < RULE_COUNT(extension_rules); i++) {
		if (equal_ignoring_ascii_case(extension_rules[i].key, extension))
			return extension_rules[i].language;
	}
	return NULL;
}

/*
 * Check one grammar against the ABI range of <tree_sitter/api.h>, which gives the precise
 * message, and then with ts_parser_set_language(), which tests the runtime library actually
 * linked. The two disagree only when the header and the library come from different versions.
 */
static int check_grammar_abi(TSParser *parser, const struct grammar *grammar)
{
	const TSLanguage *language = grammar->load();
	uint32_t version = ts_language_version(language);

	if (version < TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION ||
	    version > TREE_SITTER_LANGUAGE_VERSION) {
		return nhi_error_set(NHI_EUNSUPPORTED,
				     "grammar '%s' has ABI %" PRIu32 ", but this tree-sitter runtime "
				     "supports ABI %d to %d; pin a grammar version built for that "
				     "range in grammars/manifest.txt",
				     grammar->language, version,
				     TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
				     TREE_SITTER_LANGUAGE_VERSION);
	}
	if (!ts_parser_set_language(parser, language)) {
		return nhi_error_set(NHI_EUNSUPPORTED,
				     "the tree-sitter runtime rejected grammar '%s' with ABI %" PRIu32
				     ", although its header declares ABI %d to %d; rebuild nhiscan "
				     "against the installed libtree-sitter",
				     grammar->language, version,
				     TREE_SITTER_MIN_COMPATIBLE_LANGUAGE_VERSION,
				     TREE_SITTER_LANGUAGE_VERSION);
	}
	return 0;
}

int parse_grammar_check_abi(void)
{
	TSParser *parser = NULL;
	size_t i;
	int error = 0;

	parser = ts_parser_new();
	if (!parser) {
		error = nhi_error_set(NHI_ENOMEM, "failed to create a tree-sitter parser: out of memory");
		goto done;
	}
	for (i = 0; i < GRAMMAR_COUNT; i++) {
		if ((error = check_grammar_abi(parser, &grammars[i])) < 0)
			goto done;
	}

done:
	if (parser)
		ts_parser_delete(parser);
	return error;
}
