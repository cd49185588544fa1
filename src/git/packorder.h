/*
 * The position of each object in the repository's pack files, read from their .idx files, so
 * that a history scan can read blobs in pack order.
 *
 * git writes a delta after the object it is based on. Reading in pack order therefore finds most
 * delta bases still in libgit2's base cache, where reading in history order resolves many
 * chains from the start. Reading every blob of curl's history took 14.9 s of CPU in pack order
 * and 19.0 s in history order (bench/read-order.sh, docs/BENCHMARKS.md).
 */
#ifndef NHI_GIT_PACKORDER_H
#define NHI_GIT_PACKORDER_H

#include "git/warnings.h"

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

/* Sort key of an object found in no pack index: loose objects and alternates go last. */
#define NHI_GIT_PACK_KEY_NONE UINT64_MAX

struct nhi_git_pack_index;

struct nhi_git_pack_order {
	struct nhi_git_pack_index *packs;
	size_t count;
};

/*
 * Map the version 2 .idx files in the objects/pack folder of repo, and open the .pack file
 * beside each (see git/packread.h). A damaged index or pack adds a warning to warnings, which
 * may be NULL. A missing folder, or an
 * index that is not version 2 or is damaged, leaves those objects without a key: the order
 * only affects speed.
 */
void nhi_git_pack_order_load(struct nhi_git_pack_order *order, git_repository *repo,
			     struct nhi_git_warnings *warnings);

/* Return the sort key of id: its pack's number, then its offset in that pack. */
uint64_t nhi_git_pack_order_key(const struct nhi_git_pack_order *order, const git_oid *id);

/*
 * Return the open .pack file holding the object of key, and its size; -1 when that pack could
 * not be opened or its header does not match its index.
 */
int nhi_git_pack_order_fd(const struct nhi_git_pack_order *order, uint64_t key, size_t *size);

/* Return the key of id in the pack of the key pack_of, or NHI_GIT_PACK_KEY_NONE. */
uint64_t nhi_git_pack_order_key_in(const struct nhi_git_pack_order *order, uint64_t pack_of, const git_oid *id);

/* The number of objects of pack number pack whose .pack file is open, else 0. */
size_t nhi_git_pack_order_objects(const struct nhi_git_pack_order *order, size_t pack);

/* The key of the object at position i (in id order) of pack number pack. */
uint64_t nhi_git_pack_order_key_at(const struct nhi_git_pack_order *order, size_t pack, size_t i);

/* The offset of key in its pack file. */
#define NHI_GIT_PACK_KEY_OFFSET(key) ((key) & (((uint64_t)1 << 48) - 1))

void nhi_git_pack_order_dispose(struct nhi_git_pack_order *order);

#endif
