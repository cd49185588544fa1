/*
 * `nhiscan merge`: combine the output folders of the shards of one sweep. Each shard's state
 * file lists the repositories it swept. Their inventories are copied into the merged folder, the
 * states are joined into one sorted state file, and the organisation inventory is built again
 * from the whole, exactly as a single sweep builds it at its end.
 */
#include "core/sweep_private.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* NOTE: an inventory larger than this is not copied; the organisation inventory has the same bound. */
#define MAX_INVENTORY_SIZE ((size_t)256 << 20)

static bool same_result(const struct sweep_state_entry *a, const struct sweep_state_entry *b)
{
	return strcmp(a->id, b->id) == 0 && strcmp(a->head, b->head) == 0 && strcmp(a->status, b->status) == 0 &&
	       strcmp(a->settings, b->settings) == 0;
}

static bool same_file(const char *a, const char *b)
{
	struct stat x, y;

	return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* Copy repos/ID/nhi-inventory.yaml of one entry from a shard folder to the merged folder. */
static int copy_inventory(const char *shard_dir, const char *output_dir, const struct sweep_state_entry *entry)
{
	struct nhi_buf relative = NHI_BUF_INIT;
	char *from = NULL;
	char *to = NULL;
	char *data = NULL;
	size_t len = 0;
	int error;

	if ((error = nhi_buf_printf(&relative, "repos/%s", entry->id)) < 0)
		goto done;
	if (!(to = nhi_path_join(output_dir, relative.ptr))) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	if ((error = nhi_fs_mkdir_p(to)) < 0)
		goto done;
	free(to);
	to = NULL;
	if ((error = nhi_buf_printf(&relative, "/%s", NHI_SWEEP_INVENTORY_FILE)) < 0)
		goto done;
	if (!(from = nhi_path_join(shard_dir, relative.ptr)) || !(to = nhi_path_join(output_dir, relative.ptr))) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	if (same_file(from, to))
		goto done;
	if ((error = nhi_fs_read_file(&data, &len, from, MAX_INVENTORY_SIZE)) < 0)
		goto done;
	error = nhi_fs_write_atomic(to, data, len);

done:
	free(data);
	free(from);
	free(to);
	nhi_buf_dispose(&relative);
	return error;
}

/* Add the entries of one shard's state to merged and copy their inventories. */
static int merge_shard(struct sweep_state *merged, const char *shard_dir, const char *output_dir)
{
	struct sweep_state shard = { NHI_VEC_INIT, MODEL_IDMAP_INIT };
	char *path = nhi_path_join(shard_dir, NHI_SWEEP_STATE_FILE);
	struct stat st;
	int error = 0;

	if (!path)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	if (stat(path, &st) < 0) {
		error = nhi_error_set(NHI_ENOTFOUND, "'%s' is not the output of a sweep: '%s' is missing", shard_dir,
				      NHI_SWEEP_STATE_FILE);
		goto done;
	}
	if ((error = sweep_state_load(&shard, path)) < 0)
		goto done;

	for (size_t i = 0; i < shard.entries.count && error == 0; i++) {
		const struct sweep_state_entry *entry = shard.entries.items[i];
		const struct sweep_state_entry *seen = sweep_state_find(merged, entry->key);

		if (seen && !same_result(seen, entry)) {
			error = nhi_error_set(NHI_EINVALID,
					      "'%s' appears in two shards with different results (HEAD %.12s and %.12s); merge the shards of one sweep of one list",
					      entry->key, seen->head, entry->head);
			break;
		}
		if (seen)
			continue;
		if ((error = sweep_state_put(merged, entry)) == 0 && strcmp(entry->status, SWEEP_STATUS_OK) == 0)
			error = copy_inventory(shard_dir, output_dir, entry);
	}

done:
	sweep_state_dispose(&shard);
	free(path);
	return error;
}

int core_sweep_merge(struct nhi_sweep_result *out, const char *output_dir, char *const *shard_dirs,
		     size_t shard_count)
{
	struct sweep_state merged = { NHI_VEC_INIT, MODEL_IDMAP_INIT };
	char *state_path = NULL;
	int error;

	if ((error = nhi_fs_mkdir_p(output_dir)) < 0)
		goto done;
	for (size_t i = 0; i < shard_count && error == 0; i++)
		error = merge_shard(&merged, shard_dirs[i], output_dir);
	if (error < 0)
		goto done;

	sweep_state_sort(&merged);
	if (!(state_path = nhi_path_join(output_dir, NHI_SWEEP_STATE_FILE))) {
		error = nhi_error_set(NHI_ENOMEM, "out of memory");
		goto done;
	}
	if ((error = sweep_state_write(&merged, state_path)) < 0 ||
	    (error = sweep_org_write(&out->reused_credentials, output_dir, &merged)) < 0)
		goto done;

	out->total = merged.entries.count;
	for (size_t i = 0; i < merged.entries.count; i++) {
		const struct sweep_state_entry *entry = merged.entries.items[i];

		if (strcmp(entry->status, SWEEP_STATUS_OK) == 0)
			out->scanned++;
		else
			out->failed++;
	}

done:
	free(state_path);
	sweep_state_dispose(&merged);
	return error;
}
