/*
 * Rule database cache; see cache.h.
 *
 * File layout, little-endian as the host writes it (a cache is never shared between machines):
 *   8 bytes   magic "NHIHSDB1"
 *   32 bytes  key (SHA-256 of engine version, Hyperscan version and every rule's id and pattern)
 *   4 bytes   rule count
 *   4*count   maximum match width of each rule
 *   8 bytes   length of the serialized database
 *   ...       hs_serialize_database() output
 */
#include "match/cache.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CACHE_MAGIC "NHIHSDB1"
/* Databases kept per cache folder: one per rule set in use, such as each repository's custom rules. */
#define CACHE_KEEP 8
/* NOTE: a database above 512 MiB is not cached; ours is a few MiB. */
#define CACHE_FILE_MAX (512u << 20)

char *match_cache_default_dir(void)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = getenv("HOME");
	char *base = NULL;
	char *dir;

	if (xdg && xdg[0] == '/')
		return nhi_path_join(xdg, "nhiscan");
	if (!home || !*home)
		return NULL;
	base = nhi_path_join(home, ".cache");
	if (!base)
		return NULL;
	dir = nhi_path_join(base, "nhiscan");
	free(base);
	return dir;
}

static char *cache_path(const char *dir, const unsigned char key[32])
{
	char hex[65];
	char name[96];

	nhi_hex_encode(hex, key, 32);
	snprintf(name, sizeof(name), "rules-%.32s.hsdb", hex);
	return nhi_path_join(dir, name);
}

int match_cache_load(hs_database_t **out_db, uint32_t *widths, size_t count, const char *dir,
		     const unsigned char key[32])
{
	char *path = cache_path(dir, key);
	char *data = NULL;
	size_t len = 0, offset = 0;
	uint32_t stored_count;
	uint64_t db_len;
	hs_database_t *db = NULL;
	int error = NHI_ENOTFOUND;

	if (!path || nhi_fs_read_file(&data, &len, path, CACHE_FILE_MAX) < 0)
		goto done;

	size_t header = 8 + 32 + 4;

	if (len < header || memcmp(data, CACHE_MAGIC, 8) != 0 || memcmp(data + 8, key, 32) != 0)
		goto done;
	memcpy(&stored_count, data + 40, 4);
	offset = header;
	if (stored_count != count || len < offset + 4 * (size_t)count + 8)
		goto done;
	memcpy(widths, data + offset, 4 * count);
	offset += 4 * count;
	memcpy(&db_len, data + offset, 8);
	offset += 8;
	if (db_len != len - offset)
		goto done;

	if (hs_deserialize_database(data + offset, (size_t)db_len, &db) != HS_SUCCESS)
		goto done;

	*out_db = db;
	error = 0;

done:
	nhi_error_clear();
	free(path);
	free(data);
	return error;
}

struct cache_entry {
	char *path;
	time_t mtime;
};

static int compare_newest_first(const void *a, const void *b)
{
	const struct cache_entry *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? 1 : -1;
	return strcmp(x->path, y->path);
}

/* Delete all but the CACHE_KEEP most recently written databases; errors are ignored. */
static void prune_cache(const char *dir)
{
	struct cache_entry entries[256];
	size_t count = 0;
	struct dirent *entry;
	DIR *d = opendir(dir);

	if (!d)
		return;
	while ((entry = readdir(d)) != NULL && count < sizeof(entries) / sizeof(entries[0])) {
		struct stat st;
		char *path;

		if (strncmp(entry->d_name, "rules-", 6) != 0 || !strstr(entry->d_name, ".hsdb"))
			continue;
		path = nhi_path_join(dir, entry->d_name);
		if (!path || stat(path, &st) < 0) {
			free(path);
			continue;
		}
		entries[count].path = path;
		entries[count].mtime = st.st_mtime;
		count++;
	}
	closedir(d);

	qsort(entries, count, sizeof(entries[0]), compare_newest_first);
	for (size_t i = 0; i < count; i++) {
		if (i >= CACHE_KEEP)
			unlink(entries[i].path);
		free(entries[i].path);
	}
}

int match_cache_store(const char *dir, const unsigned char key[32], const hs_database_t *db,
		      const uint32_t *widths, size_t count)
{
	char *serialized = NULL;
	size_t serialized_len = 0;
	char *path = NULL;
	char *file = NULL;
	size_t file_len, offset = 0;
	uint32_t count32 = (uint32_t)count;
	uint64_t db_len;
	int error = 0;

	if (hs_serialize_database(db, &serialized, &serialized_len) != HS_SUCCESS) {
		error = nhi_error_set(NHI_ERROR, "cannot serialize the rule database");
		goto done;
	}
	if ((error = nhi_fs_mkdir_p(dir)) < 0)
		goto done;

	file_len = 8 + 32 + 4 + 4 * count + 8 + serialized_len;
	file = malloc(file_len);
	path = cache_path(dir, key);
	if (!file || !path) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}

	db_len = serialized_len;
	memcpy(file + offset, CACHE_MAGIC, 8), offset += 8;
	memcpy(file + offset, key, 32), offset += 32;
	memcpy(file + offset, &count32, 4), offset += 4;
	memcpy(file + offset, widths, 4 * count), offset += 4 * count;
	memcpy(file + offset, &db_len, 8), offset += 8;
	memcpy(file + offset, serialized, serialized_len);

	if ((error = nhi_fs_write_atomic(path, file, file_len)) == 0)
		prune_cache(dir);

done:
	free(serialized);
	free(file);
	free(path);
	return error;
}
