/*
 * Path interning; see pathpool.h. Strings live in 64 KiB chunks that are never moved or freed
 * before the pool, so readers on other threads can keep a pointer. A path longer than a quarter
 * chunk gets a chunk of its own.
 */
#include "git/pathpool.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define CHUNK_BYTES ((size_t)64 << 10)
#define INITIAL_CAPACITY 1024

struct pathpool_entry {
	const char *path;   /* NULL for an empty slot */
	uint64_t hash;
};

struct pathpool_chunk {
	struct pathpool_chunk *next;
	size_t used, size;
	char data[];
};

/* FNV-1a, 64 bits: paths are short and this is cheap. */
static uint64_t hash_path(const char *path, size_t len)
{
	uint64_t hash = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		hash ^= (unsigned char)path[i];
		hash *= 0x100000001b3ULL;
	}
	return hash;
}

static struct pathpool_entry *find_entry(struct pathpool_entry *table, size_t capacity, const char *path,
					 size_t len, uint64_t hash)
{
	size_t i = (size_t)hash & (capacity - 1);

	while (table[i].path) {
		if (table[i].hash == hash && strncmp(table[i].path, path, len) == 0 && table[i].path[len] == '\0')
			break;
		i = (i + 1) & (capacity - 1);
	}
	return &table[i];
}

static int grow_table(struct nhi_git_pathpool *pool)
{
	size_t capacity = pool->capacity ? pool->capacity * 2 : INITIAL_CAPACITY;
	struct pathpool_entry *table = calloc(capacity, sizeof(*table));

	if (!table)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	for (size_t i = 0; i < pool->capacity; i++) {
		const struct pathpool_entry *old = &pool->table[i];

		if (old->path)
			*find_entry(table, capacity, old->path, strlen(old->path), old->hash) = *old;
	}
	free(pool->table);
	pool->table = table;
	pool->capacity = capacity;
	return 0;
}

/* Copy path into chunk storage, starting a chunk when the current one is full. */
static char *store_path(struct nhi_git_pathpool *pool, const char *path, size_t len)
{
	struct pathpool_chunk *chunk = pool->chunks;
	char *copy;

	if (!chunk || chunk->size - chunk->used < len + 1) {
		size_t size = len + 1 > CHUNK_BYTES / 4 ? len + 1 : CHUNK_BYTES;

		if (!(chunk = malloc(sizeof(*chunk) + size)))
			return NULL;
		chunk->used = 0;
		chunk->size = size;
		chunk->next = pool->chunks;
		pool->chunks = chunk;
	}
	copy = chunk->data + chunk->used;
	memcpy(copy, path, len);
	copy[len] = '\0';
	chunk->used += len + 1;
	return copy;
}

int nhi_git_pathpool_intern(const char **out, struct nhi_git_pathpool *pool, const char *path, size_t len)
{
	uint64_t hash = hash_path(path, len);
	struct pathpool_entry *entry;
	int error;

	if ((pool->count + 1) * 2 > pool->capacity && (error = grow_table(pool)) < 0)
		return error;
	entry = find_entry(pool->table, pool->capacity, path, len, hash);
	if (!entry->path) {
		if (!(entry->path = store_path(pool, path, len)))
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		entry->hash = hash;
		pool->count++;
	}
	*out = entry->path;
	return 0;
}

void nhi_git_pathpool_dispose(struct nhi_git_pathpool *pool)
{
	struct pathpool_chunk *chunk = pool->chunks;

	while (chunk) {
		struct pathpool_chunk *next = chunk->next;

		free(chunk);
		chunk = next;
	}
	free(pool->table);
	memset(pool, 0, sizeof(*pool));
}
