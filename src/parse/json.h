/*
 * JSON documents read with the tree-sitter JSON grammar, and the value tree that JSON, TOML
 * (parse/toml.h) and YAML (extract/yaml.h) documents all load into, so that the extractors walk
 * one data model whatever the file format.
 *
 * The JSON reader accepts what editors write into their settings files: `//` and block comments,
 * and a trailing comma before `}` or `]`. Any other syntax error fails the whole file with a
 * one-line "path:line: invalid JSON: ..." message that never quotes the file's text, because the
 * text may hold a secret.
 *
 * Every value keeps the position of its first byte (after the opening quote for a string) and
 * of the byte after its last one, as 1-based lines and 1-based byte columns. All nodes and
 * strings live in the document's arena: one parse_doc_dispose() frees them together, and nothing
 * in the tree may be freed or kept on its own.
 */
#ifndef NHI_PARSE_JSON_H
#define NHI_PARSE_JSON_H

#include <stdbool.h>
#include <stddef.h>

enum parse_type {
	PARSE_NULL = 0,
	PARSE_BOOL,
	PARSE_NUMBER,
	PARSE_STRING,
	PARSE_DATETIME, /* TOML dates and times, kept as their text */
	PARSE_ARRAY,
	PARSE_OBJECT,
};

struct parse_pos {
	size_t line;   /* 1-based */
	size_t column; /* 1-based, in bytes */
};

struct parse_member;

struct parse_value {
	enum parse_type type;
	const char *text;       /* decoded scalar text, NUL-terminated; "" for arrays and objects */
	size_t text_len;
	struct parse_pos start; /* a string's first content byte; a container's opening token */
	struct parse_pos end;   /* the byte after a string's content, before its closing quote */
	struct parse_member *members; /* arrays and objects, in document order */
	size_t count;
	size_t alloc;
};

/* An object member or an array element; key is NULL in arrays. */
struct parse_member {
	const char *key;
	struct parse_pos key_pos; /* first byte of the key's text */
	struct parse_value *value;
};

struct parse_arena_block;

struct parse_doc {
	struct parse_value *root; /* NULL for an empty document */
	struct parse_arena_block *blocks;
};

#define PARSE_DOC_INIT { NULL, NULL }

/*
 * Parse data as JSON into out. A syntax error fails with NHI_EINVALID and the message
 * "path:line: invalid JSON: problem"; out then has no root. Call parse_doc_dispose() either way.
 */
int parse_json_load(struct parse_doc *out, const char *path, const char *data, size_t len);

void parse_doc_dispose(struct parse_doc *doc);

/* Return the value of key in an object (the first when the key repeats), or NULL. */
const struct parse_value *parse_value_get(const struct parse_value *object, const char *key);

/* Return the member of key in an object, or NULL; for the key's position. */
const struct parse_member *parse_value_member(const struct parse_value *object, const char *key);

/* Return the text of a scalar (string, number, bool, null, date), or NULL for a container. */
const char *parse_value_scalar(const struct parse_value *value);

/* Return the text of a string value, or NULL for anything else. */
const char *parse_value_string(const struct parse_value *value);

bool parse_value_is_object(const struct parse_value *value);
bool parse_value_is_array(const struct parse_value *value);

/*
 * Builders for the loaders. Each allocates in doc's arena and returns NULL (after recording
 * NHI_ENOMEM) when memory runs out; parse_value_append returns 0 or NHI_ENOMEM.
 */
struct parse_value *parse_doc_new_value(struct parse_doc *doc, enum parse_type type);
char *parse_doc_strndup(struct parse_doc *doc, const char *text, size_t len);
void *parse_doc_alloc(struct parse_doc *doc, size_t size);
int parse_value_append(struct parse_doc *doc, struct parse_value *container, const char *key,
		       struct parse_pos key_pos, struct parse_value *value);

/*
 * Write the UTF-8 encoding of code point cp to out, which has room for 4 bytes. Return the byte
 * count, or 0 for a surrogate or a value above U+10FFFF.
 */
size_t parse_utf8_encode(char *out, unsigned long cp);

#endif
