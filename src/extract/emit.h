/*
 * What every configuration extractor shares: the file being read, and the functions that append
 * facts, findings and warnings to the scan's output vectors.
 *
 * Findings of the extractors carry their rule in a static struct extract_rule (the signature
 * rules of signatures/ are for secrets in any text and do not apply here). A finding on a line
 * that carries the `nhiscan:allow` comment is dropped, as secret findings are. Only a finding made
 * with extract_secret_finding() carries a fingerprint and a redacted preview; no field of any
 * finding or fact contains a raw secret.
 */
#ifndef NHI_EXTRACT_EMIT_H
#define NHI_EXTRACT_EMIT_H

#include <stdbool.h>
#include <stddef.h>

#include "config/rules.h"
#include "extract/extract.h"
#include "model/fact.h"
#include "parse/json.h"

struct extract_rule {
	const char *id;          /* "ci.permissions.write-all" */
	const char *name;        /* a short title */
	const char *kind;        /* "ci.permissions" */
	const char *provider;    /* "github-actions", "mcp", "google" ... */
	enum nhi_severity severity;
	const char *remediation;
	const char *docs;        /* may be NULL */
};

struct extract_file {
	const struct nhi_extract_output *out;
	const char *path;
	const char *data;
	size_t len;
};

/* Longest "type:key" reference that extract_ref() writes; longer keys are cut. */
#define EXTRACT_REF_MAX 512

/*
 * Append a fact at pos. When out is not NULL it receives the fact for extract_attr(); the fact
 * belongs to the output vector already. parent is "type:key" or NULL.
 */
int extract_fact(struct nhi_fact **out, const struct extract_file *file, const char *type,
		 const char *key, const char *parent, struct parse_pos pos);

/* Add an attribute to fact; a NULL value adds nothing. */
int extract_attr(struct nhi_fact *fact, const char *name, const char *value);

/*
 * Add the "fingerprint" and "redacted" attributes of a literal secret to fact, so that the
 * inventory can link the places that hold the same credential without seeing it.
 */
int extract_add_secret_identity(struct nhi_fact *fact, const char *secret, size_t len);

/* Write "type:key" into buf (EXTRACT_REF_MAX bytes) and return buf. */
const char *extract_ref(char *buf, const char *type, const char *key);

/* Append a finding of rule spanning [start, end); the message is printf-style and one sentence. */
int extract_finding(const struct extract_file *file, const struct extract_rule *rule,
		    struct parse_pos start, struct parse_pos end, const char *format, ...)
	__attribute__((format(printf, 5, 6)));

/* As extract_finding(), for a finding about the literal secret[0, len): adds its fingerprint and preview. */
int extract_secret_finding(const struct extract_file *file, const struct extract_rule *rule,
			   const char *secret, size_t len, struct parse_pos start, struct parse_pos end,
			   const char *format, ...) __attribute__((format(printf, 7, 8)));

/* Append a copy of message ("path:line: problem") to the warnings. */
int extract_warning(const struct extract_file *file, const char *message);

/* A position cache for text scanners that walk a file forward, like the Jenkinsfile reader. */
struct extract_cursor {
	size_t offset;
	size_t line;
	size_t line_start;
};

#define EXTRACT_CURSOR_INIT { 0, 1, 0 }

/* The position of byte offset of the file; fast when offsets grow from call to call. */
struct parse_pos extract_offset_pos(const struct extract_file *file, struct extract_cursor *cursor, size_t offset);

/* Return true when line (1-based) of the file carries the `nhiscan:allow` comment. */
bool extract_line_is_allowed(const struct extract_file *file, size_t line);

/* The position just after a value's text, or after its start when the value has no end. */
struct parse_pos extract_value_end(const struct parse_value *value);

/*
 * The position of byte offset of a string value's decoded text, exact for text written without
 * escapes. For a block scalar the column assumes the block's indentation. For an escaped JSON
 * string it may be off by the escapes before offset.
 */
struct parse_pos extract_text_pos(const struct parse_value *value, size_t offset);

#endif
