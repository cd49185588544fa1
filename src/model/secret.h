/*
 * How a secret is shown and identified without being revealed: a fingerprint that names the
 * value and a short redacted preview. Every writer uses these two and never the value itself.
 */
#ifndef NHI_MODEL_SECRET_H
#define NHI_MODEL_SECRET_H

#include <stddef.h>

/* Hex digits in a fingerprint: 96 bits, short enough to read and compare by eye. */
#define NHI_FINGERPRINT_HEX 24

/*
 * Write the fingerprint of value: the first 96 bits of SHA-256("nhiscan:v1:" + value), in hex.
 * The same value gives the same fingerprint in any file, repository or rule, which is what links
 * one credential's locations. NOTE: a fingerprint of a short or guessable password can be
 * confirmed by hashing guesses; that is the price of fingerprints stable across repositories.
 */
void model_secret_fingerprint(char out[NHI_FINGERPRINT_HEX + 1], const char *value, size_t len);

/*
 * Return a heap string that shows at most the first four characters of value (fewer for short
 * values, none below 8), then asterisks and the length, like "ghp_****(40)".
 */
char *model_secret_redact(const char *value, size_t len);

#endif
