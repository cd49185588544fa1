/*
 * Checks applied to a confirmed match before it becomes a finding: placeholder values, entropy,
 * keywords near the match, the inline allow comment, and the checksums that some token formats
 * carry. They are pure functions of the bytes, so every thread can call them.
 */
#ifndef NHI_MATCH_FILTER_H
#define NHI_MATCH_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "config/rules.h"

/* The comment that, on the same line as a secret, tells the scanner to ignore it. */
#define NHI_ALLOW_COMMENT "nhiscan:allow"

/* How far before a match a keyword may stand, in bytes: about three lines of configuration. */
#define MATCH_KEYWORD_WINDOW 256

/* Return true when value reads like a placeholder or an example rather than a real secret. */
bool match_is_placeholder(const char *value, size_t len);

/* Shannon entropy of the bytes, in bits per byte. */
double match_entropy(const char *value, size_t len);

/* Return true when one of the rule's keywords occurs in data[from, to), without regard to case. */
bool match_has_keyword(const struct nhi_rule *rule, const char *data, size_t from, size_t to);

/* Return true when the line around offset carries the allow comment. */
bool match_line_is_allowed(const char *data, size_t len, size_t offset);

/* Return 1 when value passes the checksum of validator, 0 when it fails. */
int match_validate(enum nhi_validator validator, const char *value, size_t len);

#endif
