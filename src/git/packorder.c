/*
 * Pack index lookups for the read order of a history scan; see packorder.h.
 *
 * A version 2 .idx file starts with an 8-byte header and a fan-out table of 256 big-endian
 * counts. Then come the sorted object ids, one CRC32 per object and one 32-bit offset per
 * object. Objects whose 32-bit entry has its top bit set take their offset from a last table
 * of 64-bit offsets.
 */
#include "git/packorder.h"
#include "util/error.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define IDX_HEADER_BYTES 8
#define IDX_FANOUT_BYTES (256 * 4)
#define IDX_TRAILER_BYTES 40
#define OFFSET_BITS 48

struct nhi_git_pack_index {
	const unsigned char *map;
	size_t size;
	uint32_t count;
	const unsigned char *ids;
	const unsigned char *offsets;
	const unsigned char *large_offsets;
	size_t large_count;
	int pack_fd;       /* the .pack file, open for reading, or -1 */
	size_t pack_size;
};

static uint32_t read_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t read_be64(const unsigned char *p)
{
	return (uint64_t)read_be32(p) << 32 | read_be32(p + 4);
}

/* Check the header and the table sizes of a mapped index, and set the table pointers. */
static int parse_index(struct nhi_git_pack_index *index)
{
	static const unsigned char magic[] = { 0xff, 't', 'O', 'c', 0, 0, 0, 2 };
	const unsigned char *fanout = index->map + IDX_HEADER_BYTES;
	size_t fixed;

	if (index->size < IDX_HEADER_BYTES + IDX_FANOUT_BYTES + IDX_TRAILER_BYTES ||
	    memcmp(index->map, magic, sizeof(magic)) != 0)
		return -1;
	index->count = read_be32(fanout + 255 * 4);
	fixed = IDX_HEADER_BYTES + IDX_FANOUT_BYTES + (size_t)index->count * (20 + 4 + 4) +
		IDX_TRAILER_BYTES;
	if (fixed > index->size || (index->size - fixed) % 8 != 0)
		return -1;

	index->ids = fanout + IDX_FANOUT_BYTES;
	index->offsets = index->ids + (size_t)index->count * (20 + 4);
	index->large_offsets = index->offsets + (size_t)index->count * 4;
	index->large_count = (index->size - fixed) / 8;
	return 0;
}

/* Map the regular file at path read-only; NULL when it cannot be opened or is empty. */
static const unsigned char *map_file(const char *path, size_t *size)
{
	struct stat st;
	void *map;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size <= 0) {
		close(fd);
		return NULL;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return NULL;
	*size = (size_t)st.st_size;
	return map;
}

static uint64_t offset_at(const struct nhi_git_pack_index *index, uint32_t i);

/* Return true when every object of index starts before the trailer of a pack of size bytes. */
static bool offsets_fit(const struct nhi_git_pack_index *index, size_t size)
{
	for (uint32_t i = 0; i < index->count; i++) {
		uint64_t offset = offset_at(index, i);

		if (offset == NHI_GIT_PACK_KEY_NONE || offset < 12 || offset >= size - 20)
			return false;
	}
	return true;
}

/*
 * Open the .pack file at path and check its 12-byte header ("PACK", version 2 or 3 and the
 * object count of its index) and that it is long enough for the offsets of its index. A pack
 * that does not pass is left closed, and its objects are read through libgit2.
 */
static bool open_pack(struct nhi_git_pack_index *index, const char *path)
{
	unsigned char header[12];
	struct stat st;
	uint32_t version;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	index->pack_fd = -1;
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < 12 + 20 ||
	    pread(fd, header, sizeof(header), 0) != (ssize_t)sizeof(header) || memcmp(header, "PACK", 4) != 0) {
		close(fd);
		return false;
	}
	version = read_be32(header + 4);
	if ((version != 2 && version != 3) || read_be32(header + 8) != index->count ||
	    !offsets_fit(index, (size_t)st.st_size)) {
		close(fd);
		return false;
	}
	index->pack_fd = fd;
	index->pack_size = (size_t)st.st_size;
	return true;
}

/* Warn "<subject> '<name>' <problem>" when the caller collects warnings. */
static void warn_pack(struct nhi_git_warnings *warnings, const char *subject, const char *name, const char *problem)
{
	/* A warning that cannot be stored is dropped: the packs only make the scan faster. */
	if (warnings && nhi_git_warnings_add(warnings, NHI_GIT_WARN_CORRUPT, "%s '%s' %s", subject, name, problem) < 0)
		nhi_error_clear();
}

/* Return true when the mapped file starts like a version 2 index; version 1 has no header. */
static bool looks_like_index_v2(const unsigned char *map, size_t size)
{
	return size >= 4 && memcmp(map, "\377tOc", 4) == 0;
}

/*
 * Map the .idx file at path, named name in messages, and open the .pack file beside it. A
 * damaged index, or a pack that does not match it, is warned about: its objects are then read
 * through libgit2, which reports what it cannot read.
 */
static int map_index(struct nhi_git_pack_index *index, const char *path, const char *name,
		     struct nhi_git_warnings *warnings)
{
	char pack_path[PATH_MAX];
	size_t len = strlen(path);

	index->pack_fd = -1;
	if (!(index->map = map_file(path, &index->size))) {
		warn_pack(warnings, "pack index", name, "cannot be read; its objects are read through libgit2");
		return -1;
	}
	if (parse_index(index) < 0) {
		if (looks_like_index_v2(index->map, index->size))
			warn_pack(warnings, "pack index", name, "is damaged; its objects are read through libgit2");
		munmap((void *)index->map, index->size);
		memset(index, 0, sizeof(*index));
		index->pack_fd = -1;
		return -1;
	}

	memcpy(pack_path, path, len - 4);
	memcpy(pack_path + len - 4, ".pack", 6);
	if (!open_pack(index, pack_path))
		warn_pack(warnings, "pack file of index", name,
			  "is missing, damaged or does not match it; its objects are read through libgit2");
	return 0;
}

static bool is_index_name(const char *name)
{
	size_t len = strlen(name);

	return len > 4 && strcmp(name + len - 4, ".idx") == 0;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Collect the .idx names of dir in name order, so that pack numbers do not depend on readdir. */
static char **list_index_names(const char *dir, size_t *count)
{
	struct dirent *entry;
	char **names = NULL;
	size_t alloc = 0;
	DIR *folder = opendir(dir);

	*count = 0;
	if (!folder)
		return NULL;
	while ((entry = readdir(folder))) {
		if (!is_index_name(entry->d_name))
			continue;
		if (*count == alloc) {
			size_t grown_alloc = alloc ? alloc * 2 : 8;
			char **grown = realloc(names, grown_alloc * sizeof(*names));

			if (!grown)
				break;
			names = grown;
			alloc = grown_alloc;
		}
		if (!(names[*count] = strdup(entry->d_name)))
			break;
		(*count)++;
	}
	closedir(folder);
	if (names)
		qsort(names, *count, sizeof(*names), compare_names);
	return names;
}

void nhi_git_pack_order_load(struct nhi_git_pack_order *order, git_repository *repo,
			     struct nhi_git_warnings *warnings)
{
	char dir[PATH_MAX], path[PATH_MAX];
	size_t count = 0;
	char **names;

	memset(order, 0, sizeof(*order));
	snprintf(dir, sizeof(dir), "%sobjects/pack", git_repository_commondir(repo));
	names = list_index_names(dir, &count);
	if (count && (order->packs = calloc(count, sizeof(*order->packs)))) {
		for (size_t i = 0; i < count; i++) {
			int len = snprintf(path, sizeof(path), "%s/%s", dir, names[i]);

			if (len > 0 && (size_t)len < sizeof(path) &&
			    map_index(&order->packs[order->count], path, names[i], warnings) == 0)
				order->count++;
		}
	}
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
}

/* Return the offset of the object at position i of index, or NHI_GIT_PACK_KEY_NONE. */
static uint64_t offset_at(const struct nhi_git_pack_index *index, uint32_t i)
{
	uint32_t offset = read_be32(index->offsets + (size_t)i * 4);

	if (!(offset & 0x80000000u))
		return offset;
	offset &= 0x7fffffffu;
	return offset < index->large_count ? read_be64(index->large_offsets + (size_t)offset * 8)
					   : NHI_GIT_PACK_KEY_NONE;
}

/* Return the offset of id in index, or NHI_GIT_PACK_KEY_NONE when the index lacks it. */
static uint64_t find_offset(const struct nhi_git_pack_index *index, const git_oid *id)
{
	const unsigned char *fanout = index->map + IDX_HEADER_BYTES;
	uint32_t lo = id->id[0] ? read_be32(fanout + (id->id[0] - 1) * 4) : 0;
	uint32_t hi = read_be32(fanout + id->id[0] * 4);

	if (hi > index->count || lo > hi)
		return NHI_GIT_PACK_KEY_NONE;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		int cmp = memcmp(index->ids + (size_t)mid * 20, id->id, 20);

		if (cmp == 0)
			return offset_at(index, mid);
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NHI_GIT_PACK_KEY_NONE;
}

int nhi_git_pack_order_fd(const struct nhi_git_pack_order *order, uint64_t key, size_t *size)
{
	uint64_t pack = key >> OFFSET_BITS;

	if (key == NHI_GIT_PACK_KEY_NONE || pack >= order->count || order->packs[pack].pack_fd < 0)
		return -1;
	*size = order->packs[pack].pack_size;
	return order->packs[pack].pack_fd;
}

uint64_t nhi_git_pack_order_key_in(const struct nhi_git_pack_order *order, uint64_t pack_of, const git_oid *id)
{
	uint64_t pack = pack_of >> OFFSET_BITS;
	uint64_t offset;

	if (pack_of == NHI_GIT_PACK_KEY_NONE || pack >= order->count)
		return NHI_GIT_PACK_KEY_NONE;
	offset = find_offset(&order->packs[pack], id);
	if (offset == NHI_GIT_PACK_KEY_NONE || offset >= ((uint64_t)1 << OFFSET_BITS))
		return NHI_GIT_PACK_KEY_NONE;
	return pack << OFFSET_BITS | offset;
}

uint64_t nhi_git_pack_order_key(const struct nhi_git_pack_order *order, const git_oid *id)
{
	for (size_t i = 0; i < order->count; i++) {
		uint64_t offset = find_offset(&order->packs[i], id);

		if (offset != NHI_GIT_PACK_KEY_NONE && offset < ((uint64_t)1 << OFFSET_BITS))
			return (uint64_t)i << OFFSET_BITS | offset;
	}
	return NHI_GIT_PACK_KEY_NONE;
}

size_t nhi_git_pack_order_objects(const struct nhi_git_pack_order *order, size_t pack)
{
	return pack < order->count && order->packs[pack].pack_fd >= 0 ? order->packs[pack].count : 0;
}

uint64_t nhi_git_pack_order_key_at(const struct nhi_git_pack_order *order, size_t pack, size_t i)
{
	uint64_t offset = offset_at(&order->packs[pack], (uint32_t)i);

	if (offset == NHI_GIT_PACK_KEY_NONE || offset >= ((uint64_t)1 << OFFSET_BITS))
		return NHI_GIT_PACK_KEY_NONE;
	return (uint64_t)pack << OFFSET_BITS | offset;
}

void nhi_git_pack_order_dispose(struct nhi_git_pack_order *order)
{
	for (size_t i = 0; i < order->count; i++) {
		munmap((void *)order->packs[i].map, order->packs[i].size);
		if (order->packs[i].pack_fd >= 0)
			close(order->packs[i].pack_fd);
	}
	free(order->packs);
	memset(order, 0, sizeof(*order));
}
