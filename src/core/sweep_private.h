/*
 * Declarations shared by the parts of the sweep: the state file (sweep_state.c), the organisation
 * inventory (sweep_org.c), and cloning (sweep_clone.c). Only src/core/sweep*.c include this header.
 */
#ifndef NHI_CORE_SWEEP_PRIVATE_H
#define NHI_CORE_SWEEP_PRIVATE_H

#include <stdio.h>

#include "core/sweep.h"
#include "model/idmap.h"
#include "util/vec.h"

#define SWEEP_STATUS_OK "ok"
#define SWEEP_STATUS_FAILED "failed"

/* One line of the state file. */
struct sweep_state_entry {
	char *id;
	char *head;      /* the commit id of HEAD that was swept, or "unborn" */
	char *status;    /* SWEEP_STATUS_OK or SWEEP_STATUS_FAILED */
	char *settings;  /* nhiscan's version and the inventory options, so a change rescans */
	char *key;
};

/* The state file in memory: the last line of each key wins. */
struct sweep_state {
	struct nhi_vec entries;     /* struct sweep_state_entry * */
	struct model_idmap by_key;  /* key -> entry */
};

/* Read path into state; a missing file is an empty state. */
int sweep_state_load(struct sweep_state *state, const char *path);

/* Add entry (a copy of its strings) or replace the entry of its key. */
int sweep_state_put(struct sweep_state *state, const struct sweep_state_entry *entry);

/* Return the entry of key, or NULL. */
const struct sweep_state_entry *sweep_state_find(const struct sweep_state *state, const char *key);

/* Append entry as one line to an open state file and flush it to the disk. */
int sweep_state_append(FILE *file, const char *path, const struct sweep_state_entry *entry);

/* Sort the entries by key, in byte order. */
void sweep_state_sort(struct sweep_state *state);

/* Write the sorted state to path through a temporary file. */
int sweep_state_write(const struct sweep_state *state, const char *path);

void sweep_state_dispose(struct sweep_state *state);

/* Return true when text can be a field of a state line: no tab, newline or carriage return. */
bool sweep_state_valid_field(const char *text);

/*
 * Build OUTPUT_DIR/org-inventory.yaml from the inventories of the state's "ok" entries, and
 * store in *reused how many credentials two or more repositories share.
 */
int sweep_org_write(size_t *reused, const char *output_dir, const struct sweep_state *state);

/*
 * Store in *head the commit id that the remote's HEAD points to, without cloning ("unborn" for
 * an empty remote).
 */
int sweep_remote_head(char **head, const char *url);

/* Clone url into path, replacing what is there. */
int sweep_clone(const char *url, const char *path);

/* Store in *head the commit id of HEAD of the repository at path, or "unborn". */
int sweep_local_head(char **head, const char *path);

/* Remove path and everything under it; a missing path is not an error. */
int sweep_remove_tree(const char *path);

#endif
