/*
 * Pack file reading for the history scan (see packread.h).
 *
 * An object in a pack starts with a header: a type and the inflated size, as 7-bit groups. An
 * OFS_DELTA then gives the distance back to its base in the same pack, a REF_DELTA the base's
 * id. The zlib stream follows. A delta starts with the sizes of its base and of its result,
 * then lists instructions. A byte with the top bit set copies a range of the base, and its low
 * bits select which offset and length bytes follow. Any other byte but zero inserts that many
 * of the bytes that follow it.
 */
#include "git/packread.h"
#include "util/vec.h"

#include <libdeflate.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* git refuses pack.depth above 4095, so a longer chain is damage or a crafted pack. */
#define MAX_DELTA_DEPTH 4096
#define BUCKET_BITS 16
/* An object bigger than this share of the cache is not kept in it. */
#define CACHE_SHARE 4
#define PACK_TRAILER_BYTES 20
/* Enough bytes for any object header: a size of up to 10 groups and a base id. */
#define HEADER_MAX 64
/* Bytes read at once for an object smaller than that, which covers the next few objects. */
#define READ_AHEAD ((size_t)8 << 10)
/* Bytes read at once while the object headers are listed. */
#define LIST_CHUNK ((size_t)1 << 20)

enum pack_type {
	PACK_OFS_DELTA = 6,
	PACK_REF_DELTA = 7,
};

struct nhi_git_pack_entry {
	uint64_t key;
	git_object_t type;
	char *data;
	size_t size;
	unsigned refs;     /* one per holder, plus one while the cache keeps it */
	bool cached;
	bool pending;      /* read to be scanned: an attachment may follow */
	void *attachment;
	size_t attachment_bytes;
	void (*free_attachment)(void *data);
	struct nhi_git_pack_entry *next_in_bucket, *newer, *older;
};

/* An object that deltas are based on, and how many of them have not been rebuilt yet. */
struct base_use {
	uint64_t key;
	uint32_t left;  /* atomic */
};

/* A delta of the open packs, and whether its rebuild has been counted against its base. */
struct delta_link {
	uint64_t key;
	uint64_t base;
	unsigned char counted;  /* atomic */
};

struct nhi_git_pack_cache {
	const struct nhi_git_pack_order *order;
	struct base_use *uses;  /* by key */
	size_t use_count;
	struct delta_link *deltas;  /* by key */
	size_t delta_count;
	pthread_mutex_t lock;
	pthread_cond_t attached;  /* signalled when an entry stops being pending */
	struct nhi_git_pack_entry *buckets[1 << BUCKET_BITS];
	struct nhi_git_pack_entry *newest, *oldest;
	size_t bytes, limit;
	/* Per pack: the key of every object, sorted, to find where each object ends. */
	uint64_t **sorted_keys;
	size_t *key_counts;
};

/* The header of one object in a pack. */
struct object_header {
	int type;             /* a git_object_t from commit to tag, or a delta type */
	size_t size;          /* inflated size: of the object, or of the delta */
	const unsigned char *stream;
	size_t stream_avail;  /* bytes from stream to the object's end */
	uint64_t base;        /* a delta's base key */
};

static size_t bucket_of(uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> (64 - BUCKET_BITS));
}

static void free_entry(struct nhi_git_pack_entry *entry)
{
	if (entry->attachment && entry->free_attachment)
		entry->free_attachment(entry->attachment);
	free(entry->data);
	free(entry);
}

static int parse_header(struct object_header *header, const struct nhi_git_pack_order *order, uint64_t key,
			const unsigned char *bytes, size_t len);

static int compare_keys(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int push_link(struct delta_link **links, size_t *count, size_t *alloc, uint64_t key, uint64_t base)
{
	if (nhi_array_reserve(links, alloc, *count + 1, sizeof(**links)) < 0)
		return -1;
	(*links)[(*count)++] = (struct delta_link){ key, base, 0 };
	return 0;
}

/*
 * Parse the header of each object of one pack, at the sorted keys, reading the pack in
 * sequence a chunk at a time, and list every delta with its base.
 */
static int list_pack_deltas(struct delta_link **links, size_t *count, size_t *alloc,
			    const struct nhi_git_pack_order *order, const uint64_t *keys, size_t objects)
{
	unsigned char *chunk;
	uint64_t chunk_start = 0;
	size_t chunk_len = 0, pack_size;
	int fd, error = 0;

	if (objects == 0 || (fd = nhi_git_pack_order_fd(order, keys[0], &pack_size)) < 0)
		return 0;
	if (!(chunk = malloc(LIST_CHUNK)))
		return -1;
	for (size_t i = 0; i < objects && error == 0; i++) {
		uint64_t offset = NHI_GIT_PACK_KEY_OFFSET(keys[i]);
		struct object_header header;
		ssize_t got;

		if (offset < chunk_start || offset + HEADER_MAX > chunk_start + chunk_len) {
			if ((got = pread(fd, chunk, LIST_CHUNK, (off_t)offset)) <= 0)
				break;
			chunk_start = offset;
			chunk_len = (size_t)got;
		}
		if (parse_header(&header, order, keys[i], chunk + (offset - chunk_start),
				 chunk_len - (size_t)(offset - chunk_start)) == 0 &&
		    header.base != NHI_GIT_PACK_KEY_NONE)
			error = push_link(links, count, alloc, keys[i], header.base);
	}
	free(chunk);
	return error;
}

/* Sort the keys of one pack's objects, which sorts them by offset, into the cache. */
static int sort_pack_keys(struct nhi_git_pack_cache *cache, size_t pack)
{
	size_t objects = nhi_git_pack_order_objects(cache->order, pack);
	uint64_t *keys = malloc((objects ? objects : 1) * sizeof(*keys));

	if (!keys)
		return -1;
	for (size_t i = 0; i < objects; i++)
		keys[i] = nhi_git_pack_order_key_at(cache->order, pack, i);
	if (objects)
		qsort(keys, objects, sizeof(*keys), compare_keys);
	cache->sorted_keys[pack] = keys;
	cache->key_counts[pack] = objects;
	return 0;
}

/* List every delta in the open packs with its base, and keep each pack's sorted keys. */
static int list_deltas(struct nhi_git_pack_cache *cache)
{
	size_t packs = cache->order->count ? cache->order->count : 1;
	size_t alloc = 0;

	if (!(cache->sorted_keys = calloc(packs, sizeof(*cache->sorted_keys))) ||
	    !(cache->key_counts = calloc(packs, sizeof(*cache->key_counts))))
		return -1;
	for (size_t pack = 0; pack < cache->order->count; pack++)
		if (sort_pack_keys(cache, pack) < 0 ||
		    list_pack_deltas(&cache->deltas, &cache->delta_count, &alloc, cache->order, cache->sorted_keys[pack],
				     cache->key_counts[pack]) < 0)
			return -1;
	return 0;
}

static int compare_links(const void *a, const void *b)
{
	const struct delta_link *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/*
 * Count how many deltas each object is the base of, from the object headers alone. The cache
 * keeps only objects that some delta still needs, and drops each once its last delta is
 * rebuilt: a blob that nothing is based on is never kept.
 */
static int count_base_uses(struct nhi_git_pack_cache *cache)
{
	uint64_t *keys = NULL;
	size_t count = 0;
	int error = -1;

	if (list_deltas(cache) < 0)
		goto done;
	count = cache->delta_count;
	if (!(keys = malloc((count ? count : 1) * sizeof(*keys))) ||
	    !(cache->uses = malloc((count ? count : 1) * sizeof(*cache->uses))))
		goto done;
	for (size_t i = 0; i < count; i++)
		keys[i] = cache->deltas[i].base;
	/* qsort() takes no NULL array, even empty, and a pack of no deltas leaves deltas NULL. */
	if (count) {
		qsort(keys, count, sizeof(*keys), compare_keys);
		qsort(cache->deltas, count, sizeof(*cache->deltas), compare_links);
	}
	for (size_t i = 0; i < count; i++) {
		if (cache->use_count && cache->uses[cache->use_count - 1].key == keys[i]) {
			cache->uses[cache->use_count - 1].left++;
			continue;
		}
		cache->uses[cache->use_count++] = (struct base_use){ keys[i], 1 };
	}
	error = 0;

done:
	free(keys);
	return error;
}

static int compare_uses(const void *a, const void *b)
{
	const struct base_use *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Return whether this is the first rebuild of the delta of key; the first one counts. */
static bool first_rebuild(struct nhi_git_pack_cache *cache, uint64_t key)
{
	const struct delta_link wanted = { key, 0, 0 };
	struct delta_link *link = cache->delta_count ? bsearch(&wanted, cache->deltas, cache->delta_count,
							       sizeof(*cache->deltas), compare_links)
						     : NULL;

	return link && __atomic_exchange_n(&link->counted, 1, __ATOMIC_RELAXED) == 0;
}

static struct base_use *find_use(const struct nhi_git_pack_cache *cache, uint64_t key)
{
	const struct base_use wanted = { key, 0 };

	if (cache->use_count == 0)
		return NULL;
	return bsearch(&wanted, cache->uses, cache->use_count, sizeof(*cache->uses), compare_uses);
}

/* Return true when a delta not yet rebuilt may need the object of key. */
static bool is_needed(const struct nhi_git_pack_cache *cache, uint64_t key)
{
	const struct base_use *use = find_use(cache, key);

	return use && __atomic_load_n(&use->left, __ATOMIC_RELAXED) > 0;
}

static void free_tables(struct nhi_git_pack_cache *cache)
{
	for (size_t i = 0; cache->sorted_keys && i < cache->order->count; i++)
		free(cache->sorted_keys[i]);
	free(cache->sorted_keys);
	free(cache->key_counts);
	free(cache->uses);
	free(cache->deltas);
}

int nhi_git_pack_cache_new(struct nhi_git_pack_cache **out, const struct nhi_git_pack_order *order, size_t limit)
{
	struct nhi_git_pack_cache *cache = calloc(1, sizeof(*cache));

	*out = NULL;
	if (!cache)
		return -1;
	if (pthread_mutex_init(&cache->lock, NULL) != 0) {
		free(cache);
		return -1;
	}
	if (pthread_cond_init(&cache->attached, NULL) != 0) {
		pthread_mutex_destroy(&cache->lock);
		free(cache);
		return -1;
	}
	cache->order = order;
	cache->limit = limit;
	/* Without the sorted keys no object can be read, so the scan goes without the packs. */
	if (count_base_uses(cache) < 0) {
		free_tables(cache);
		pthread_cond_destroy(&cache->attached);
		pthread_mutex_destroy(&cache->lock);
		free(cache);
		return -1;
	}
	*out = cache;
	return 0;
}

void nhi_git_pack_cache_free(struct nhi_git_pack_cache *cache)
{
	struct nhi_git_pack_entry *entry, *older;

	if (!cache)
		return;
	for (entry = cache->newest; entry; entry = older) {
		older = entry->older;
		if (--entry->refs == 0)
			free_entry(entry);
	}
	pthread_cond_destroy(&cache->attached);
	pthread_mutex_destroy(&cache->lock);
	free_tables(cache);
	free(cache);
}

/* Cache list operations. The caller holds the lock. */

static void unlink_lru(struct nhi_git_pack_cache *cache, struct nhi_git_pack_entry *entry)
{
	if (entry->newer)
		entry->newer->older = entry->older;
	else
		cache->newest = entry->older;
	if (entry->older)
		entry->older->newer = entry->newer;
	else
		cache->oldest = entry->newer;
	entry->newer = entry->older = NULL;
}

static void link_newest(struct nhi_git_pack_cache *cache, struct nhi_git_pack_entry *entry)
{
	entry->older = cache->newest;
	entry->newer = NULL;
	if (cache->newest)
		cache->newest->newer = entry;
	cache->newest = entry;
	if (!cache->oldest)
		cache->oldest = entry;
}

static struct nhi_git_pack_entry *find_locked(struct nhi_git_pack_cache *cache, uint64_t key)
{
	struct nhi_git_pack_entry *entry = cache->buckets[bucket_of(key)];

	while (entry && entry->key != key)
		entry = entry->next_in_bucket;
	return entry;
}

/* Drop entry from the cache. It is freed once its last holder lets go. */
static void drop_locked(struct nhi_git_pack_cache *cache, struct nhi_git_pack_entry *entry)
{
	struct nhi_git_pack_entry **link = &cache->buckets[bucket_of(entry->key)];

	while (*link != entry)
		link = &(*link)->next_in_bucket;
	*link = entry->next_in_bucket;
	unlink_lru(cache, entry);
	entry->cached = false;
	cache->bytes -= entry->size + entry->attachment_bytes;
	if (--entry->refs == 0)
		free_entry(entry);
}

static void evict_locked(struct nhi_git_pack_cache *cache)
{
	while (cache->bytes > cache->limit && cache->oldest)
		drop_locked(cache, cache->oldest);
}

/* Return the cached entry of key, held for the caller, or NULL. */
static struct nhi_git_pack_entry *take_cached(struct nhi_git_pack_cache *cache, uint64_t key)
{
	struct nhi_git_pack_entry *entry;

	pthread_mutex_lock(&cache->lock);
	if ((entry = find_locked(cache, key))) {
		entry->refs++;
		unlink_lru(cache, entry);
		link_newest(cache, entry);
	}
	pthread_mutex_unlock(&cache->lock);
	return entry;
}

/*
 * Put a new entry, held once by the caller, into the cache. When another thread has put the
 * same object there first, the new entry is freed and *entry becomes the cached one.
 */
static void keep_entry(struct nhi_git_pack_cache *cache, struct nhi_git_pack_entry **entry)
{
	struct nhi_git_pack_entry *known;

	if ((*entry)->size > cache->limit / CACHE_SHARE || !is_needed(cache, (*entry)->key))
		return;
	pthread_mutex_lock(&cache->lock);
	if ((known = find_locked(cache, (*entry)->key))) {
		known->refs++;
		pthread_mutex_unlock(&cache->lock);
		free_entry(*entry);
		*entry = known;
		return;
	}
	(*entry)->cached = true;
	(*entry)->refs++;
	(*entry)->next_in_bucket = cache->buckets[bucket_of((*entry)->key)];
	cache->buckets[bucket_of((*entry)->key)] = *entry;
	link_newest(cache, *entry);
	cache->bytes += (*entry)->size;
	evict_locked(cache);
	pthread_mutex_unlock(&cache->lock);
}

/*
 * Count the delta of key as rebuilt on its base, once however often it is rebuilt, and drop the
 * base after its last delta.
 */
static void use_base(struct nhi_git_pack_cache *cache, uint64_t key, uint64_t base)
{
	struct base_use *use = first_rebuild(cache, key) ? find_use(cache, base) : NULL;
	struct nhi_git_pack_entry *entry;
	uint32_t left;

	if (!use)
		return;
	left = __atomic_load_n(&use->left, __ATOMIC_RELAXED);
	while (left > 0 && !__atomic_compare_exchange_n(&use->left, &left, left - 1, false, __ATOMIC_RELAXED,
							__ATOMIC_RELAXED))
		;
	if (left != 1)
		return;
	pthread_mutex_lock(&cache->lock);
	if ((entry = find_locked(cache, base)))
		drop_locked(cache, entry);
	pthread_mutex_unlock(&cache->lock);
}

static void release_entry(struct nhi_git_pack_cache *cache, struct nhi_git_pack_entry *entry)
{
	bool last;

	if (!entry)
		return;
	pthread_mutex_lock(&cache->lock);
	last = --entry->refs == 0;
	pthread_mutex_unlock(&cache->lock);
	if (last)
		free_entry(entry);
}

/* Reading. */

/* Read a 7-bit group number of a delta's header at *p, or return -1 when it runs past end. */
static int read_delta_size(size_t *out, const unsigned char **p, const unsigned char *end)
{
	unsigned shift = 0;
	size_t value = 0;
	unsigned char c;

	do {
		if (*p >= end || shift > 8 * sizeof(size_t) - 7)
			return -1;
		c = *(*p)++;
		value |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	} while (c & 0x80);
	*out = value;
	return 0;
}

/* Find the base key of a delta whose header part ends at *p. */
static int read_base(struct object_header *header, const struct nhi_git_pack_order *order, uint64_t key,
		     const unsigned char **p, const unsigned char *end)
{
	uint64_t offset = NHI_GIT_PACK_KEY_OFFSET(key), distance;
	unsigned char c;
	git_oid id;

	if (header->type == PACK_REF_DELTA) {
		if (end - *p < GIT_OID_RAWSZ)
			return -1;
		memcpy(id.id, *p, GIT_OID_RAWSZ);
		*p += GIT_OID_RAWSZ;
		header->base = nhi_git_pack_order_key_in(order, key, &id);
		return header->base == NHI_GIT_PACK_KEY_NONE ? -1 : 0;
	}

	if (*p >= end)
		return -1;
	c = *(*p)++;
	distance = c & 0x7f;
	while (c & 0x80) {
		if (*p >= end || distance >= ((uint64_t)1 << 48))
			return -1;
		c = *(*p)++;
		distance = ((distance + 1) << 7) | (c & 0x7f);
	}
	if (distance == 0 || distance > offset)
		return -1;
	header->base = key - distance;
	return 0;
}

/* Parse the header of the object of key from its first len bytes. */
static int parse_header(struct object_header *header, const struct nhi_git_pack_order *order, uint64_t key,
			const unsigned char *bytes, size_t len)
{
	const unsigned char *p = bytes, *end = bytes + len;
	unsigned shift = 4;
	unsigned char c;

	if (len == 0 || NHI_GIT_PACK_KEY_OFFSET(key) < 12)
		return -1;
	c = *p++;
	header->type = (c >> 4) & 7;
	header->size = c & 15;
	while (c & 0x80) {
		if (p >= end || shift > 8 * sizeof(size_t) - 7)
			return -1;
		c = *p++;
		header->size |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	}
	if (header->size > SIZE_MAX / 2)
		return -1;

	header->base = NHI_GIT_PACK_KEY_NONE;
	if (header->type == PACK_OFS_DELTA || header->type == PACK_REF_DELTA) {
		if (read_base(header, order, key, &p, end) < 0)
			return -1;
	} else if (header->type < GIT_OBJECT_COMMIT || header->type > GIT_OBJECT_TAG) {
		return -1;
	}
	header->stream = p;
	header->stream_avail = (size_t)(end - p);
	return 0;
}

/* Find where the object of key ends: at the next object's offset, or at the pack's trailer. */
static int find_object_end(uint64_t *end, const struct nhi_git_pack_cache *cache, uint64_t key, size_t pack_size)
{
	uint64_t pack = key >> 48;
	const uint64_t *keys;
	size_t lo = 0, hi, count;

	if (pack >= cache->order->count || pack_size < PACK_TRAILER_BYTES)
		return -1;
	keys = cache->sorted_keys[pack];
	count = cache->key_counts[pack];
	hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (keys[mid] <= key)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || keys[lo - 1] != key)
		return -1;
	if (lo < count && keys[lo] != NHI_GIT_PACK_KEY_NONE)
		*end = NHI_GIT_PACK_KEY_OFFSET(keys[lo]);
	else
		*end = pack_size - PACK_TRAILER_BYTES;
	return 0;
}

/*
 * Read the stored bytes of the object of key into the reader's buffer, and parse its header.
 * The pack is read with pread(2), not mapped. The pages of a mapping count in the resident set
 * once touched, and the kernel also maps the pages around each one. Reading objects all over a
 * large pack then kept most of it resident.
 */
static int read_object(struct object_header *header, struct nhi_git_pack_reader *reader, uint64_t key, bool top)
{
	uint64_t offset = NHI_GIT_PACK_KEY_OFFSET(key), end;
	size_t pack_size, len, want;
	int fd = nhi_git_pack_order_fd(reader->cache->order, key, &pack_size);
	ssize_t got;

	if (fd < 0 || find_object_end(&end, reader->cache, key, pack_size) < 0 || end <= offset ||
	    end - offset > SIZE_MAX / 2)
		return -1;
	len = (size_t)(end - offset);
	/*
	 * Deflate makes data that does not compress only slightly larger: with the default settings,
	 * which git uses, zlib's deflateBound() allows about 0.03% and a few bytes. So an object
	 * stored in over 0.1% more bytes than the limit is over it, and is not read here. libgit2
	 * then reads it and applies the exact limit.
	 */
	if (top && reader->max_size < SIZE_MAX / 2 &&
	    len > reader->max_size + reader->max_size / 1024 + HEADER_MAX + 1024)
		return -1;

	/* Objects read in pack order mostly lie in the stretch that the last read took in. */
	if (reader->stored_fd != fd || offset < reader->stored_start ||
	    end > reader->stored_start + reader->stored_len) {
		want = len > READ_AHEAD ? len : READ_AHEAD;
		if (want > pack_size - offset)
			want = pack_size - offset;
		if (want > reader->stored_alloc) {
			unsigned char *grown = realloc(reader->stored, want);

			if (!grown)
				return -1;
			reader->stored = grown;
			reader->stored_alloc = want;
		}
		reader->stored_fd = -1;
		if ((got = pread(fd, reader->stored, want, (off_t)offset)) < 0 || (size_t)got < len)
			return -1;
		reader->stored_fd = fd;
		reader->stored_start = offset;
		reader->stored_len = (size_t)got;
	}
	return parse_header(header, reader->cache->order, key, reader->stored + (offset - reader->stored_start), len);
}

/* Inflate the zlib stream of header into out, which takes exactly header->size bytes. */
static int inflate_object(struct nhi_git_pack_reader *reader, const struct object_header *header, char *out)
{
	size_t in_used, out_used;
	enum libdeflate_result result;

	result = libdeflate_zlib_decompress_ex(reader->inflater, header->stream, header->stream_avail, out,
					       header->size, &in_used, &out_used);
	return result == LIBDEFLATE_SUCCESS && out_used == header->size ? 0 : -1;
}

static int record_copy(struct nhi_git_pack_reader *reader, size_t target, size_t source, size_t length)
{
	struct nhi_copy_span *last = reader->copy_count ? &reader->copies[reader->copy_count - 1] : NULL;

	/* Adjacent copies of adjacent ranges are one copy. */
	if (last && last->target + last->length == target && last->source + last->length == source) {
		last->length += length;
		return 0;
	}
	if (nhi_array_reserve(&reader->copies, &reader->copy_alloc, reader->copy_count + 1, sizeof(*reader->copies)) < 0)
		return -1;
	reader->copies[reader->copy_count++] = (struct nhi_copy_span){ target, source, length };
	return 0;
}

/* Read a copy instruction's offset and length, whose presence the bits of op select. */
static int read_copy(size_t *offset, size_t *length, unsigned char op, const unsigned char **p,
		     const unsigned char *end)
{
	*offset = 0;
	*length = 0;
	for (unsigned i = 0; i < 7; i++) {
		if (!(op & (1u << i)))
			continue;
		if (*p >= end)
			return -1;
		if (i < 4)
			*offset |= (size_t)*(*p)++ << (8 * i);
		else
			*length |= (size_t)*(*p)++ << (8 * (i - 4));
	}
	if (*length == 0)
		*length = 0x10000;
	return 0;
}

/* Apply delta to base into entry, recording the copies when record is set. */
static int apply_delta(struct nhi_git_pack_entry *entry, struct nhi_git_pack_reader *reader,
		       const struct nhi_git_pack_entry *base, const unsigned char *delta, size_t delta_size,
		       bool record)
{
	const unsigned char *p = delta, *end = delta + delta_size;
	size_t base_size, size, done = 0;

	if (read_delta_size(&base_size, &p, end) < 0 || base_size != base->size ||
	    read_delta_size(&size, &p, end) < 0 || size > SIZE_MAX / 2 || (record && size > reader->max_size))
		return -1;
	if (!(entry->data = malloc(size ? size : 1)))
		return -1;
	entry->size = size;

	while (p < end) {
		unsigned char op = *p++;
		size_t offset, length;

		if (op & 0x80) {
			if (read_copy(&offset, &length, op, &p, end) < 0 || offset > base_size ||
			    length > base_size - offset || length > size - done)
				return -1;
			memcpy(entry->data + done, base->data + offset, length);
			if (record && record_copy(reader, done, offset, length) < 0)
				return -1;
			done += length;
		} else if (op) {
			if (op > (size_t)(end - p) || op > size - done)
				return -1;
			memcpy(entry->data + done, p, op);
			p += op;
			done += op;
		} else {
			return -1;
		}
	}
	return done == size ? 0 : -1;
}

static int load_entry(struct nhi_git_pack_entry **out, struct nhi_git_pack_reader *reader, uint64_t key,
		      unsigned depth, struct nhi_git_pack_object *top);

/*
 * Rebuild the delta of header on its base. When top is given, the base stays held in it and
 * the copies are recorded. Otherwise the base is let go.
 */
static int rebuild_delta(struct nhi_git_pack_entry *entry, struct nhi_git_pack_reader *reader,
			 const struct object_header *header, unsigned depth, struct nhi_git_pack_object *top)
{
	struct nhi_git_pack_entry *base = NULL;
	unsigned char *delta = NULL;
	int error = -1;

	/* The delta is inflated first, because reading the base reuses the reader's buffer. */
	if (depth >= MAX_DELTA_DEPTH || !(delta = malloc(header->size ? header->size : 1)) ||
	    inflate_object(reader, header, (char *)delta) < 0 ||
	    load_entry(&base, reader, header->base, depth + 1, NULL) < 0)
		goto done;
	if (top)
		reader->copy_count = 0;
	if (apply_delta(entry, reader, base, delta, header->size, top != NULL) < 0)
		goto done;
	entry->type = base->type;
	use_base(reader->cache, entry->key, header->base);
	if (top) {
		top->base = base;
		base = NULL;
	}
	error = 0;

done:
	free(delta);
	release_entry(reader->cache, base);
	return error;
}

static int load_entry(struct nhi_git_pack_entry **out, struct nhi_git_pack_reader *reader, uint64_t key,
		      unsigned depth, struct nhi_git_pack_object *top)
{
	struct nhi_git_pack_entry *entry;
	struct object_header header;
	int error;

	/* A cached object was rebuilt without keeping its copies, so the top object is rebuilt. */
	if (!top && (*out = take_cached(reader->cache, key)))
		return 0;
	*out = NULL;
	if (read_object(&header, reader, key, top != NULL) < 0 || !(entry = calloc(1, sizeof(*entry))))
		return -1;
	entry->key = key;
	entry->refs = 1;

	if (header.base == NHI_GIT_PACK_KEY_NONE) {
		if (top && header.size > reader->max_size) {
			free_entry(entry);
			return -1;
		}
		entry->type = (git_object_t)header.type;
		entry->size = header.size;
		error = (entry->data = malloc(header.size ? header.size : 1)) ? inflate_object(reader, &header, entry->data)
									      : -1;
	} else {
		error = rebuild_delta(entry, reader, &header, depth, top);
	}
	if (error < 0) {
		free_entry(entry);
		return -1;
	}
	keep_entry(reader->cache, &entry);
	*out = entry;
	return 0;
}

int nhi_git_pack_reader_init(struct nhi_git_pack_reader *reader, struct nhi_git_pack_cache *cache)
{
	memset(reader, 0, sizeof(*reader));
	reader->cache = cache;
	reader->max_size = SIZE_MAX;
	reader->stored_fd = -1;
	return (reader->inflater = libdeflate_alloc_decompressor()) ? 0 : -1;
}

void nhi_git_pack_reader_dispose(struct nhi_git_pack_reader *reader)
{
	if (reader->inflater)
		libdeflate_free_decompressor(reader->inflater);
	free(reader->copies);
	free(reader->stored);
	memset(reader, 0, sizeof(*reader));
}

/* Read the object of key into out; with will_attach, mark it as pending its attachment. */
static int read_top(struct nhi_git_pack_object *out, struct nhi_git_pack_reader *reader, uint64_t key,
		    bool will_attach)
{
	struct nhi_git_pack_entry *entry;

	memset(out, 0, sizeof(*out));
	if (load_entry(&entry, reader, key, 0, out) < 0) {
		release_entry(reader->cache, out->base);
		memset(out, 0, sizeof(*out));
		return -1;
	}
	/* Another thread that rebuilds a delta on this object waits for what the scan attaches. */
	if (will_attach) {
		pthread_mutex_lock(&reader->cache->lock);
		if (entry->cached && !entry->attachment)
			entry->pending = true;
		pthread_mutex_unlock(&reader->cache->lock);
	}
	out->entry = entry;
	out->type = entry->type;
	out->data = entry->data;
	out->size = entry->size;
	if (out->base) {
		out->copies = reader->copies;
		out->copy_count = reader->copy_count;
	}
	return 0;
}

int nhi_git_pack_read(struct nhi_git_pack_object *out, struct nhi_git_pack_reader *reader, uint64_t key)
{
	return read_top(out, reader, key, true);
}

int nhi_git_pack_read_id(struct nhi_git_pack_object *out, struct nhi_git_pack_reader *reader, const git_oid *id)
{
	uint64_t key = nhi_git_pack_order_key(reader->cache->order, id);

	if (key == NHI_GIT_PACK_KEY_NONE) {
		memset(out, 0, sizeof(*out));
		return -1;
	}
	return read_top(out, reader, key, false);
}

void nhi_git_pack_attach(struct nhi_git_pack_reader *reader, struct nhi_git_pack_object *object, void *data,
			 size_t bytes, void (*free_data)(void *data))
{
	struct nhi_git_pack_cache *cache = reader->cache;
	struct nhi_git_pack_entry *entry = object->entry;
	bool kept = false;

	pthread_mutex_lock(&cache->lock);
	if (entry->pending) {
		entry->pending = false;
		pthread_cond_broadcast(&cache->attached);
	}
	if (entry->cached && !entry->attachment) {
		entry->attachment = data;
		entry->attachment_bytes = bytes;
		entry->free_attachment = free_data;
		cache->bytes += bytes;
		kept = true;
		evict_locked(cache);
	}
	pthread_mutex_unlock(&cache->lock);
	if (!kept)
		free_data(data);
}

const void *nhi_git_pack_base_attachment(struct nhi_git_pack_reader *reader, const struct nhi_git_pack_object *object)
{
	const void *data;

	if (!object->base)
		return NULL;
	pthread_mutex_lock(&reader->cache->lock);
	while (object->base->pending)
		pthread_cond_wait(&reader->cache->attached, &reader->cache->lock);
	data = object->base->attachment;
	pthread_mutex_unlock(&reader->cache->lock);
	return data;
}

void nhi_git_pack_release(struct nhi_git_pack_reader *reader, struct nhi_git_pack_object *object)
{
	if (object->entry) {
		pthread_mutex_lock(&reader->cache->lock);
		if (object->entry->pending) {
			object->entry->pending = false;
			pthread_cond_broadcast(&reader->cache->attached);
		}
		pthread_mutex_unlock(&reader->cache->lock);
	}
	release_entry(reader->cache, object->base);
	release_entry(reader->cache, object->entry);
	memset(object, 0, sizeof(*object));
}
