/*
 * Registry of the tree-sitter grammars compiled into nhiscan.
 *
 * The grammars are the pinned packages of grammars/manifest.txt, built into
 * libnhiscan-grammars.a by grammars/grammars.mk. This module maps a language name or a file path
 * to its TSLanguage and checks at start-up that the linked tree-sitter runtime can load every
 * grammar. Language names are lower case: python, javascript, typescript, tsx, go, java, ruby,
 * bash, json, toml and yaml. The TSLanguage objects are static and immutable, so callers never
 * free them and may share them between threads.
 */
#ifndef NHI_PARSE_GRAMMAR_H
#define NHI_PARSE_GRAMMAR_H

#include <tree_sitter/api.h>

/*
 * Look up the grammar of `language` (case-sensitive, one of the names above). Returns 0 and sets
 * *out, NHI_ENOTFOUND for a language nhiscan has no grammar for, or NHI_EINVALID for a NULL
 * argument. *out is left unchanged on failure.
 */
int parse_grammar_find(const TSLanguage **out, const char *language);

/*
 * Return the language name for a file path, chosen by its extension (ASCII case-insensitive) or by
 * well-known file names such as "Gemfile" and ".bashrc", or NULL when no grammar applies. Only
 * the part after the last '/' is looked at. The returned string is static.
 */
const char *parse_grammar_for_path(const char *path);

/*
 * Check that every grammar's ABI version lies in the range of the tree-sitter runtime that
 * nhiscan was built against and that the runtime accepts it. Returns 0, or NHI_EUNSUPPORTED with
 * a message that names the first failing grammar, its ABI and the supported range.
 */
int parse_grammar_check_abi(void);

#endif
