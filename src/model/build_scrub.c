/*
 * The last guard against raw secrets in the inventory. Facts must not carry secrets, but a fact
 * that copies a command line or a key from source text may. So every name and field value is
 * split into words, and a word with the fingerprint of a credential in the inventory is replaced
 * by the credential's redacted preview. A secret that no rule or extractor recognised has no
 * fingerprint here and cannot be caught this way.
 */
#include "model/build_private.h"
#include "model/secret.h"
#include "util/buf.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

/*
 * Separators of the two splits: words between spaces and quotes, which keeps a secret with '/'
 * or '=' whole (an AWS secret key), and words between any punctuation that surrounds a value
 * in a command line, a header or a URL (--key=VALUE, Bearer VALUE, ?token=VALUE).
 */
static const char *const separators[] = { " \t\r\n\"'`,;()[]{}<>", " \t\r\n\"'`,;()[]{}<>=:&?@/" };

/* Replace the word text[start, start + len) when it is a known credential; *replaced tells whether it was. */
static int replace_word(struct nhi_buf *text, size_t start, size_t len, const struct model_idmap *secrets,
			bool *replaced)
{
	char fingerprint[NHI_FINGERPRINT_HEX + 1];
	const char *redacted;
	struct nhi_buf out = NHI_BUF_INIT;
	int error;

	model_secret_fingerprint(fingerprint, text->ptr + start, len);
	if (!(redacted = model_idmap_get(secrets, fingerprint, NHI_FINGERPRINT_HEX)))
		return 0;
	if ((error = nhi_buf_put(&out, text->ptr, start)) == 0 && (error = nhi_buf_puts(&out, redacted)) == 0 &&
	    (error = nhi_buf_puts(&out, text->ptr + start + len)) == 0) {
		nhi_buf_clear(text);
		error = nhi_buf_put(text, out.ptr, out.size);
	}
	nhi_buf_dispose(&out);
	*replaced = error == 0;
	return error;
}

/* Scrub one string in place; *slot is replaced when a word of it is a known secret. */
static int scrub_string(char **slot, const struct model_idmap *secrets)
{
	struct nhi_buf text = NHI_BUF_INIT;
	bool changed = false;
	int error;

	if (!*slot || !**slot || (error = nhi_buf_puts(&text, *slot)) < 0)
		return 0;
	for (size_t s = 0; s < sizeof(separators) / sizeof(separators[0]) && error == 0; s++) {
		size_t i = 0;

		while (i < text.size && error == 0) {
			size_t len = strcspn(text.ptr + i, separators[s]);
			bool replaced = false;

			if (len > 0 && (error = replace_word(&text, i, len, secrets, &replaced)) == 0 && replaced) {
				changed = true;
				continue;
			}
			i += len + 1;
		}
	}
	if (error == 0 && changed) {
		free(*slot);
		*slot = nhi_buf_detach(&text);
	}
	nhi_buf_dispose(&text);
	return error;
}

static int collect_secrets(struct model_idmap *out, const struct nhi_inventory *inv)
{
	int error = 0;

	for (size_t i = 0; i < inv->entities.count && error == 0; i++) {
		const struct nhi_inv_entity *entity = inv->entities.items[i];
		const char *fingerprint = model_entity_get(entity, "fingerprint");
		const char *redacted = model_entity_get(entity, "redacted");

		if (strcmp(entity->kind, NHI_KIND_CREDENTIALS) == 0 && fingerprint && strlen(fingerprint) == NHI_FINGERPRINT_HEX)
			error = model_idmap_put(out, fingerprint, NHI_FINGERPRINT_HEX, (void *)(redacted ? redacted : "****"));
	}
	return error;
}

int build_scrub_secrets(struct build_state *state)
{
	struct model_idmap secrets = MODEL_IDMAP_INIT;
	int error;

	if ((error = collect_secrets(&secrets, state->inv)) < 0 || secrets.count == 0)
		goto done;
	for (size_t i = 0; i < state->inv->entities.count && error == 0; i++) {
		struct nhi_inv_entity *entity = state->inv->entities.items[i];

		if ((error = scrub_string(&entity->name, &secrets)) < 0)
			break;
		for (size_t j = 0; j < entity->fields.count && error == 0; j++) {
			struct nhi_inv_field *field = entity->fields.items[j];

			for (size_t k = 0; k < field->values.count && error == 0; k++)
				error = scrub_string((char **)&field->values.items[k], &secrets);
		}
	}

done:
	model_idmap_dispose(&secrets);
	return error;
}
