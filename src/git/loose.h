/*
 * A read-only object database backend for loose objects, used in place of libgit2's own.
 *
 * libgit2 1.5.1 loops for ever inside zlib's inflate when a loose object file is truncated,
 * so one damaged file would hang every git mode, the pre-commit hook among them. This backend
 * inflates each file in one bounded pass and reports a truncated or damaged file as an error
 * that names the object, which the scan turns into a warning before it goes on.
 */
#ifndef NHI_GIT_LOOSE_H
#define NHI_GIT_LOOSE_H

#include <git2.h>

/* Allocator for the content buffer of nhi_git_loose_inflate(): its alloc and release functions. */
struct nhi_git_loose_alloc {
	void *(*alloc)(void *payload, size_t size);
	void (*release)(void *payload, void *ptr);
	void *payload;
};

/* The allocator of malloc() and free(). */
extern const struct nhi_git_loose_alloc nhi_git_loose_plain_alloc;

/*
 * Replace the object database of repo with one that reads packs through libgit2 and loose
 * objects through this backend, for the repository's object folder and each alternate that
 * objects/info/alternates names.
 */
int nhi_git_loose_install(git_repository *repo);

/*
 * Read the loose copy of id in the object folder of repo, whether or not a pack also has it,
 * into a buffer that the caller frees with free(). Returns GIT_ENOTFOUND when there is no
 * loose copy, or a libgit2 error with a message when the copy cannot be read.
 */
int nhi_git_loose_read(void **out, size_t *out_len, git_object_t *out_type, git_repository *repo,
		       const git_oid *id);

/*
 * Inflate one loose object file held in data[0..len) into a buffer from alloc, which gets the
 * object size plus one. The byte past the object is set to NUL. Returns 0, or -1 with a reason
 * in *reason when the file is truncated, damaged or not a loose object. Exposed for unit tests.
 */
int nhi_git_loose_inflate(void **out, size_t *out_len, git_object_t *out_type,
			  const unsigned char *data, size_t len,
			  const struct nhi_git_loose_alloc *alloc, const char **reason);

/*
 * Read the type and size from the start of a loose object file, data[0..len), which may be a
 * prefix of the file. Returns 0, or -1 with a reason in *reason.
 */
int nhi_git_loose_parse_header(size_t *out_size, git_object_t *out_type,
			       const unsigned char *data, size_t len, const char **reason);

#endif
