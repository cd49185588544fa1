/*
 * Fingerprints and redacted previews of secrets; see secret.h.
 */
#include "model/secret.h"
#include "util/hash.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FINGERPRINT_DOMAIN "nhiscan:v1:"

void model_secret_fingerprint(char out[NHI_FINGERPRINT_HEX + 1], const char *value, size_t len)
{
	struct nhi_sha256 ctx;
	unsigned char digest[32];

	nhi_sha256_init(&ctx);
	nhi_sha256_update(&ctx, FINGERPRINT_DOMAIN, strlen(FINGERPRINT_DOMAIN));
	nhi_sha256_update(&ctx, value, len);
	nhi_sha256_final(&ctx, digest);
	nhi_hex_encode(out, digest, NHI_FINGERPRINT_HEX / 2);
}

/*
 * Show the first four characters of long values, where they usually name the token's format
 * (ghp_, AKIA, xoxb) and leave many unknown characters. Shorter values, which are mostly
 * passwords, show none: four known characters of a ten-character password, next to its length
 * and fingerprint, would make guessing the rest offline much cheaper.
 */
#define PREVIEW_MIN_LENGTH 20

static size_t visible_prefix(const char *value, size_t len)
{
	size_t shown = 4;

	if (len < PREVIEW_MIN_LENGTH)
		return 0;
	/* Only printable ASCII is shown, so a preview never carries control bytes. */
	for (size_t i = 0; i < shown; i++)
		if ((unsigned char)value[i] < 0x21 || (unsigned char)value[i] > 0x7e)
			return i;
	return shown;
}

char *model_secret_redact(const char *value, size_t len)
{
	size_t shown = visible_prefix(value, len);
	size_t size = shown + 32;
	char *out = malloc(size);

	if (!out)
		return NULL;
	snprintf(out, size, "%.*s****(%zu)", (int)shown, value, len);
	return out;
}
