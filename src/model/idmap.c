/*
 * String-keyed hash map; see idmap.h. Keys are hashed with 64-bit FNV-1a. A collision costs a
 * longer probe, never a wrong result, because keys are compared in full; so a fast hash that an
 * attacker could collide only slows a lookup down.
 */
#include "model/idmap.h"
#include "util/error.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FNV_OFFSET 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL
#define INITIAL_CAPACITY 64

static uint64_t hash_key(const char *key, size_t len)
{
	uint64_t hash = FNV_OFFSET;

	for (size_t i = 0; i < len; i++) {
		hash ^= (unsigned char)key[i];
		hash *= FNV_PRIME;
	}
	return hash;
}

static struct model_idmap_slot *find_slot(struct model_idmap_slot *slots, size_t capacity, const char *key,
					  size_t len)
{
	size_t mask = capacity - 1;
	size_t i = (size_t)hash_key(key, len) & mask;

	while (slots[i].key && (slots[i].len != len || memcmp(slots[i].key, key, len) != 0))
		i = (i + 1) & mask;
	return &slots[i];
}

void *model_idmap_get(const struct model_idmap *map, const char *key, size_t len)
{
	struct model_idmap_slot *slot;

	if (map->capacity == 0)
		return NULL;
	slot = find_slot(map->slots, map->capacity, key, len);
	return slot->key ? slot->value : NULL;
}

static int grow_map(struct model_idmap *map)
{
	size_t capacity = map->capacity ? map->capacity * 2 : INITIAL_CAPACITY;
	struct model_idmap_slot *slots = calloc(capacity, sizeof(*slots));

	if (!slots)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (size_t i = 0; i < map->capacity; i++) {
		struct model_idmap_slot *old = &map->slots[i];

		if (old->key)
			*find_slot(slots, capacity, old->key, old->len) = *old;
	}
	free(map->slots);
	map->slots = slots;
	map->capacity = capacity;
	return 0;
}

int model_idmap_put(struct model_idmap *map, const char *key, size_t len, void *value)
{
	struct model_idmap_slot *slot;
	int error;

	/* Half full at most, so that probe runs stay short. */
	if ((map->count + 1) * 2 > map->capacity && (error = grow_map(map)) < 0)
		return error;
	slot = find_slot(map->slots, map->capacity, key, len);
	if (!slot->key) {
		if (!(slot->key = malloc(len + 1)))
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		memcpy(slot->key, key, len);
		slot->key[len] = '\0';
		slot->len = len;
		map->count++;
	}
	slot->value = value;
	return 0;
}

void model_idmap_dispose(struct model_idmap *map)
{
	for (size_t i = 0; i < map->capacity; i++)
		free(map->slots[i].key);
	free(map->slots);
	map->slots = NULL;
	map->capacity = map->count = 0;
}
