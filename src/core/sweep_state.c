/*
 * The sweep's state file, OUTPUT_DIR/sweep-state.tsv: one tab-separated line per repository
 * (id, HEAD, status, settings, key), after one comment line. During a sweep each finished
 * repository is appended, so a later line of a key replaces an earlier one. At the end the file
 * is rewritten with one line per key, sorted by key, so that it does not depend on the order in
 * which the repositories finished. The key comes last because it is the only field that may
 * contain spaces.
 */
#include "core/sweep_private.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/fs.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define STATE_HEADER "# nhiscan sweep state: id, HEAD, status, settings, key (tab-separated)\n"
#define STATE_FIELDS 5

/* NOTE: a state file larger than this is rejected. 1 GiB is millions of repositories. */
#define MAX_STATE_SIZE ((size_t)1 << 30)

static void free_entry(struct sweep_state_entry *entry)
{
	if (!entry)
		return;
	free(entry->id);
	free(entry->head);
	free(entry->status);
	free(entry->settings);
	free(entry->key);
	free(entry);
}

static int copy_entry(struct sweep_state_entry **out, const struct sweep_state_entry *from)
{
	struct sweep_state_entry *entry = calloc(1, sizeof(*entry));

	if (!entry)
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	entry->id = strdup(from->id);
	entry->head = strdup(from->head);
	entry->status = strdup(from->status);
	entry->settings = strdup(from->settings);
	entry->key = strdup(from->key);
	if (!entry->id || !entry->head || !entry->status || !entry->settings || !entry->key) {
		free_entry(entry);
		return nhi_error_set(NHI_ENOMEM, "out of memory");
	}
	*out = entry;
	return 0;
}

bool sweep_state_valid_field(const char *text)
{
	return text && *text && !strpbrk(text, "\t\n\r");
}

int sweep_state_put(struct sweep_state *state, const struct sweep_state_entry *entry)
{
	struct sweep_state_entry *copy = NULL;
	struct sweep_state_entry *old;
	size_t key_len = strlen(entry->key);
	int error;

	if ((error = copy_entry(&copy, entry)) < 0)
		return error;

	old = model_idmap_get(&state->by_key, entry->key, key_len);
	if (old) {
		for (size_t i = 0; i < state->entries.count; i++) {
			if (state->entries.items[i] == old) {
				state->entries.items[i] = copy;
				break;
			}
		}
		free_entry(old);
	} else if ((error = nhi_vec_push(&state->entries, copy)) < 0) {
		free_entry(copy);
		return error;
	}
	return model_idmap_put(&state->by_key, copy->key, key_len, copy);
}

const struct sweep_state_entry *sweep_state_find(const struct sweep_state *state, const char *key)
{
	return model_idmap_get(&state->by_key, key, strlen(key));
}

/* Split line (modified in place) into its fields and put it; reject a line of another shape. */
static int parse_line(struct sweep_state *state, char *line, const char *path, size_t number)
{
	char *fields[STATE_FIELDS];
	struct sweep_state_entry entry;
	char *cursor = line;

	for (size_t i = 0; i < STATE_FIELDS; i++) {
		char *tab = i + 1 < STATE_FIELDS ? strchr(cursor, '\t') : NULL;

		fields[i] = cursor;
		if (i + 1 < STATE_FIELDS) {
			if (!tab)
				return nhi_error_set(NHI_EINVALID,
						     "%s:%zu: expected 5 tab-separated fields; delete the file to sweep every repository again",
						     path, number);
			*tab = '\0';
			cursor = tab + 1;
		}
	}
	for (size_t i = 0; i < STATE_FIELDS; i++)
		if (!sweep_state_valid_field(fields[i]))
			return nhi_error_set(NHI_EINVALID, "%s:%zu: empty or invalid field %zu", path, number, i + 1);

	entry.id = fields[0];
	entry.head = fields[1];
	entry.status = fields[2];
	entry.settings = fields[3];
	entry.key = fields[4];
	return sweep_state_put(state, &entry);
}

int sweep_state_load(struct sweep_state *state, const char *path)
{
	char *data = NULL;
	size_t len = 0;
	size_t number = 0;
	char *line;
	int error;

	error = nhi_fs_read_file(&data, &len, path, MAX_STATE_SIZE);
	if (error == NHI_ENOTFOUND) {
		nhi_error_clear();
		return 0;
	}
	if (error < 0)
		return error;

	line = data;
	while (error == 0 && line < data + len) {
		char *end = memchr(line, '\n', (size_t)(data + len - line));

		/* A last line without a newline is what an interrupted append leaves: drop it. */
		if (!end)
			break;
		*end = '\0';
		number++;
		if (*line && *line != '#')
			error = parse_line(state, line, path, number);
		line = end + 1;
	}
	free(data);
	return error;
}

static int format_line(struct nhi_buf *out, const struct sweep_state_entry *entry)
{
	return nhi_buf_printf(out, "%s\t%s\t%s\t%s\t%s\n", entry->id, entry->head, entry->status,
			      entry->settings, entry->key);
}

int sweep_state_append(FILE *file, const char *path, const struct sweep_state_entry *entry)
{
	struct nhi_buf line = NHI_BUF_INIT;
	int error;

	if ((error = format_line(&line, entry)) < 0)
		goto done;
	if (fwrite(line.ptr, 1, line.size, file) != line.size || fflush(file) != 0 || fsync(fileno(file)) < 0)
		error = nhi_error_set(NHI_EIO, "cannot write '%s': %s", path, strerror(errno));

done:
	nhi_buf_dispose(&line);
	return error;
}

static int compare_entries(const void *a, const void *b)
{
	const struct sweep_state_entry *x = *(const struct sweep_state_entry *const *)a;
	const struct sweep_state_entry *y = *(const struct sweep_state_entry *const *)b;

	return strcmp(x->key, y->key);
}

void sweep_state_sort(struct sweep_state *state)
{
	nhi_vec_sort(&state->entries, compare_entries);
}

int sweep_state_write(const struct sweep_state *state, const char *path)
{
	struct nhi_buf out = NHI_BUF_INIT;
	int error = nhi_buf_puts(&out, STATE_HEADER);

	for (size_t i = 0; i < state->entries.count && error == 0; i++)
		error = format_line(&out, state->entries.items[i]);
	if (error == 0)
		error = nhi_fs_write_atomic(path, out.ptr, out.size);
	nhi_buf_dispose(&out);
	return error;
}

void sweep_state_dispose(struct sweep_state *state)
{
	for (size_t i = 0; i < state->entries.count; i++)
		free_entry(state->entries.items[i]);
	nhi_vec_dispose(&state->entries);
	model_idmap_dispose(&state->by_key);
}
