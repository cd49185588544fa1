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
 * Map the version 2 .idx files in the objects/pack folder of repo. A missing folder, or an
 * index that is not version 2 or is damaged, leaves those objects without a key: the order
 * only affects speed.
 */
void nhi_git_pack_order_load(struct nhi_git_pack_order *order, git_repository *repo);

/* Return the sort key of id: its pack's number, then its offset in that pack. */
uint64_t nhi_git_pack_order_key(const struct nhi_git_pack_order *order, const git_oid *id);

void nhi_git_pack_order_dispose(struct nhi_git_pack_order *order);

#endif
