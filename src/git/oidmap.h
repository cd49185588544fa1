/*
 * A hash map from object id to a 32-bit value, with open addressing and linear probing. The
 * history walk keeps the ids of every blob and tree it has seen in such maps, and the commit
 * graph maps commit ids to their index. They are the only per-object state of a history scan:
 * a 24-byte slot per object, 32 to 64 bytes with the map's load between 3/8 and 3/4.
 *
 * Object ids are SHA-1 digests and so already uniform: their first eight bytes are the hash.
 * Not thread-safe; each map has one owner.
 */
#ifndef NHI_GIT_OIDMAP_H
#define NHI_GIT_OIDMAP_H

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The one value a map cannot store: it marks an empty slot. */
#define NHI_GIT_OIDMAP_EMPTY UINT32_MAX

struct nhi_git_oidmap_slot {
	git_oid id;
	uint32_t value;
};

struct nhi_git_oidmap {
	struct nhi_git_oidmap_slot *slots;
	size_t capacity;    /* 0 or a power of two */
	size_t count;
};

/*
 * Insert id with value unless id is present. Returns 1 when inserted, 0 when id was already
 * there (its value is stored in *existing when existing is not NULL), NHI_ENOMEM on failure.
 */
int nhi_git_oidmap_insert(struct nhi_git_oidmap *map, const git_oid *id, uint32_t value, uint32_t *existing);

/* Return true and store the value in *value (when not NULL) if id is present. */
bool nhi_git_oidmap_get(const struct nhi_git_oidmap *map, const git_oid *id, uint32_t *value);

void nhi_git_oidmap_dispose(struct nhi_git_oidmap *map);

#endif
