/*
 * A hash map from strings to pointers, for the lookups that building an inventory makes many
 * times: an entity by its id, a fact by its file and "type:key". The map copies its keys and
 * owns the copies; it never frees the values. Open addressing with linear probing, kept at most
 * half full, so a lookup stays a few string comparisons.
 */
#ifndef NHI_MODEL_IDMAP_H
#define NHI_MODEL_IDMAP_H

#include <stddef.h>

struct model_idmap_slot {
	char *key;   /* NULL for an empty slot */
	size_t len;  /* key length: keys may contain NUL separators */
	void *value;
};

struct model_idmap {
	struct model_idmap_slot *slots;
	size_t capacity; /* 0 or a power of two */
	size_t count;
};

#define MODEL_IDMAP_INIT { NULL, 0, 0 }

/* Return the value stored under key[0, len), or NULL. */
void *model_idmap_get(const struct model_idmap *map, const char *key, size_t len);

/* Store value under key[0, len), replacing an older value; returns NHI_ENOMEM when out of memory. */
int model_idmap_put(struct model_idmap *map, const char *key, size_t len, void *value);

/* Free the keys and the slots; the values stay with their owner. */
void model_idmap_dispose(struct model_idmap *map);

#endif
