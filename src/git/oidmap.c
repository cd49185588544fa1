/*
 * Object id hash map; see oidmap.h.
 */
#include "git/oidmap.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define INITIAL_CAPACITY 1024

/* Grow past 3/4 full: linear probing on uniform keys stays short up to that load. */
static bool needs_growth(const struct nhi_git_oidmap *map)
{
	return (map->count + 1) * 4 > map->capacity * 3;
}

static size_t slot_of(const git_oid *id, size_t capacity)
{
	uint64_t hash;

	memcpy(&hash, id->id, sizeof(hash));
	return (size_t)hash & (capacity - 1);
}

static struct nhi_git_oidmap_slot *find_slot(struct nhi_git_oidmap_slot *slots, size_t capacity,
					     const git_oid *id)
{
	size_t i = slot_of(id, capacity);

	while (slots[i].value != NHI_GIT_OIDMAP_EMPTY && git_oid_cmp(&slots[i].id, id) != 0)
		i = (i + 1) & (capacity - 1);
	return &slots[i];
}

static int grow(struct nhi_git_oidmap *map)
{
	size_t capacity = map->capacity ? map->capacity * 2 : INITIAL_CAPACITY;
	struct nhi_git_oidmap_slot *slots = malloc(capacity * sizeof(*slots));

	if (!slots)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (size_t i = 0; i < capacity; i++)
		slots[i].value = NHI_GIT_OIDMAP_EMPTY;
	for (size_t i = 0; i < map->capacity; i++)
		if (map->slots[i].value != NHI_GIT_OIDMAP_EMPTY)
			*find_slot(slots, capacity, &map->slots[i].id) = map->slots[i];
	free(map->slots);
	map->slots = slots;
	map->capacity = capacity;
	return 0;
}

int nhi_git_oidmap_insert(struct nhi_git_oidmap *map, const git_oid *id, uint32_t value, uint32_t *existing)
{
	struct nhi_git_oidmap_slot *slot;
	int error;

	if (value == NHI_GIT_OIDMAP_EMPTY)
		return nhi_error_set(NHI_EINVALID, "object map value %u is reserved", (unsigned)value);
	if (needs_growth(map) && (error = grow(map)) < 0)
		return error;
	slot = find_slot(map->slots, map->capacity, id);
	if (slot->value != NHI_GIT_OIDMAP_EMPTY) {
		if (existing)
			*existing = slot->value;
		return 0;
	}
	git_oid_cpy(&slot->id, id);
	slot->value = value;
	map->count++;
	return 1;
}

bool nhi_git_oidmap_get(const struct nhi_git_oidmap *map, const git_oid *id, uint32_t *value)
{
	const struct nhi_git_oidmap_slot *slot;

	if (map->capacity == 0)
		return false;
	slot = find_slot(map->slots, map->capacity, id);
	if (slot->value == NHI_GIT_OIDMAP_EMPTY)
		return false;
	if (value)
		*value = slot->value;
	return true;
}

void nhi_git_oidmap_dispose(struct nhi_git_oidmap *map)
{
	free(map->slots);
	memset(map, 0, sizeof(*map));
}
