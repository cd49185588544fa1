/*
 * Stable entity ids; see model_inventory_make_id() in inventory.h. An id depends only on what
 * names the entity (a fingerprint, a client and server name, a path), so regenerating the
 * inventory or moving a line keeps every id, and the same entity in two branches gets the same id.
 */
#include "model/inventory.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/hash.h"

#include <ctype.h>
#include <string.h>

/* Maximum length of an identity used as it is; longer ones get a slug and a hash like any other. */
#define MAX_VERBATIM 64
/* Characters of the slug: enough to recognise the entity, short enough for one line. */
#define MAX_SLUG 40
/* Hex digits of the hash: 32 bits separate the few entities that share one slug. */
#define HASH_HEX 8

static bool is_verbatim(const char *identity)
{
	size_t len = strlen(identity);

	if (len == 0 || len > MAX_VERBATIM)
		return false;
	for (const char *p = identity; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '_' && *p != '-')
			return false;
	return true;
}

static int append_slug(struct nhi_buf *out, const char *label)
{
	size_t written = 0;
	bool dash = false;
	int error = 0;

	for (const char *p = label; *p && written < MAX_SLUG && error == 0; p++) {
		if (isalnum((unsigned char)*p)) {
			if (dash && written > 0 && (error = nhi_buf_putc(out, '-')) == 0)
				written++;
			if (error == 0 && (error = nhi_buf_putc(out, (char)tolower((unsigned char)*p))) == 0)
				written++;
			dash = false;
		} else {
			dash = true;
		}
	}
	return error;
}

int model_inventory_make_id(char **out, const char *prefix, const char *label, const char *identity)
{
	struct nhi_buf id = NHI_BUF_INIT;
	unsigned char digest[32];
	char hex[HASH_HEX + 1];
	int error;

	if ((error = nhi_buf_printf(&id, "%s-", prefix)) < 0)
		goto done;
	if (strcmp(label, identity) == 0 && is_verbatim(identity)) {
		error = nhi_buf_puts(&id, identity);
		goto done;
	}
	if ((error = append_slug(&id, label)) < 0)
		goto done;
	nhi_sha256(digest, identity, strlen(identity));
	nhi_hex_encode(hex, digest, HASH_HEX / 2);
	error = nhi_buf_printf(&id, "%s%s", id.ptr[id.size - 1] == '-' ? "" : "-", hex);

done:
	if (error == 0)
		*out = nhi_buf_detach(&id);
	nhi_buf_dispose(&id);
	return error;
}

int model_inventory_credential_id(char **out, const char *fingerprint)
{
	struct nhi_buf id = NHI_BUF_INIT;
	int error = nhi_buf_printf(&id, "cred-%.*s", NHI_CREDENTIAL_ID_HEX, fingerprint);

	if (error == 0)
		*out = nhi_buf_detach(&id);
	nhi_buf_dispose(&id);
	return error;
}
