/*
 * Blob and tree reading straight from pack files, for the history scan.
 *
 * libgit2 rebuilds a deltified blob by inflating with zlib and walking its delta chain, and
 * keeps no account of which bytes the delta copied from its base. This reader inflates with
 * libdeflate: 1.2 s of CPU against zlib's 1.9 s for every object of curl's pack, measured by
 * bench/inflate.sh. It keeps the objects that later deltas are based on in a cache that the
 * scan's threads share, and reports the copy instructions of the delta it applied last. The
 * scan uses them to search again only the bytes that a blob does not share with its base (see
 * match_scan_delta() in match/engine.h).
 *
 * Anything the reader does not handle, from an object outside the open packs to damaged
 * data, fails with -1. The caller then reads the object through libgit2, whose error is the
 * one reported.
 */
#ifndef NHI_GIT_PACKREAD_H
#define NHI_GIT_PACKREAD_H

#include "git/packorder.h"
#include "util/span.h"

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

struct nhi_git_pack_cache;
struct nhi_git_pack_entry;

/* A reader for one thread, over a cache that all threads share. */
struct nhi_git_pack_reader {
	struct nhi_git_pack_cache *cache;
	size_t max_size;  /* objects read are at most this large; SIZE_MAX after init */
	struct libdeflate_decompressor *inflater;
	struct nhi_copy_span *copies;
	size_t copy_count, copy_alloc;
	/* Bytes of the pack file stored_fd from offset stored_start, read last. */
	unsigned char *stored;
	size_t stored_len, stored_alloc;
	uint64_t stored_start;
	int stored_fd;
};

/* An object read from a pack. data and size stay valid until nhi_git_pack_release(). */
struct nhi_git_pack_object {
	git_object_t type;
	const char *data;
	size_t size;
	/* For a delta: its base, still held, and the copies from it (in the reader). */
	struct nhi_git_pack_entry *base;
	const struct nhi_copy_span *copies;
	size_t copy_count;
	struct nhi_git_pack_entry *entry;
};

/* Create a cache over the packs of order that keeps up to limit bytes of rebuilt objects. */
int nhi_git_pack_cache_new(struct nhi_git_pack_cache **out, const struct nhi_git_pack_order *order, size_t limit);
void nhi_git_pack_cache_free(struct nhi_git_pack_cache *cache);

int nhi_git_pack_reader_init(struct nhi_git_pack_reader *reader, struct nhi_git_pack_cache *cache);
void nhi_git_pack_reader_dispose(struct nhi_git_pack_reader *reader);

/*
 * Read the object of key; -1 when the packs cannot give it or it is over reader->max_size. A
 * delta on it read by another thread waits, in nhi_git_pack_base_attachment(), until the
 * caller attaches data to it or releases it.
 */
int nhi_git_pack_read(struct nhi_git_pack_object *out, struct nhi_git_pack_reader *reader, uint64_t key);

/* Read the object id when the open packs contain it, with no attachment to follow; -1 otherwise. */
int nhi_git_pack_read_id(struct nhi_git_pack_object *out, struct nhi_git_pack_reader *reader, const git_oid *id);

/*
 * Attach data of bytes size to the cached copy of object, for nhi_git_pack_base_attachment()
 * on the deltas based on it. free_data disposes of it with the cache entry, or at once when
 * the object is not cached.
 */
void nhi_git_pack_attach(struct nhi_git_pack_reader *reader, struct nhi_git_pack_object *object, void *data,
			 size_t bytes, void (*free_data)(void *data));

/*
 * Return the data attached to the base of object, or NULL. When another thread still scans
 * that base, wait for its data. The result stays valid until object is released.
 */
const void *nhi_git_pack_base_attachment(struct nhi_git_pack_reader *reader, const struct nhi_git_pack_object *object);

void nhi_git_pack_release(struct nhi_git_pack_reader *reader, struct nhi_git_pack_object *object);

#endif
