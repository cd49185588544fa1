/*
 * Parsers for the raw tree and commit objects that the history walk reads from the object
 * database. The walk reads tens of thousands of trees, each once. Parsing the raw bytes here
 * avoids libgit2's object cache and per-entry allocations, and it lets the walk report and step
 * over one damaged object instead of failing.
 *
 * Both parsers accept input from an untrusted repository: they never read past the end of the
 * buffer and reject what git itself would not write.
 */
#ifndef NHI_GIT_OBJECT_H
#define NHI_GIT_OBJECT_H

#include <git2.h>
#include <stddef.h>
#include <stdint.h>

/* File modes that git writes in trees. Any other 0100xxx mode is also read as a regular file. */
#define NHI_GIT_MODE_TREE 0040000
#define NHI_GIT_MODE_FILE 0100644
#define NHI_GIT_MODE_SYMLINK 0120000
#define NHI_GIT_MODE_GITLINK 0160000

struct nhi_git_tree_entry {
	uint32_t mode;
	const char *name;   /* not NUL-terminated: name_len bytes, never containing '/' */
	size_t name_len;
	git_oid id;
};

/* A position in a raw tree object: "<octal mode> <name>\0<20-byte id>" repeated. */
struct nhi_git_tree_reader {
	const unsigned char *pos;
	const unsigned char *end;
};

void nhi_git_tree_reader_init(struct nhi_git_tree_reader *reader, const void *data, size_t len);

/* Read the next entry: returns 1 with *out filled, 0 at the end, NHI_EINVALID on damaged data. */
int nhi_git_tree_next(struct nhi_git_tree_entry *out, struct nhi_git_tree_reader *reader);

enum nhi_git_entry_kind {
	NHI_GIT_ENTRY_TREE,
	NHI_GIT_ENTRY_FILE,
	NHI_GIT_ENTRY_SYMLINK,
	NHI_GIT_ENTRY_GITLINK,
	NHI_GIT_ENTRY_UNKNOWN,
};

enum nhi_git_entry_kind nhi_git_entry_kind_of(uint32_t mode);

/* The parts of a commit that the graph needs. Reuse one header across parses to keep its array. */
struct nhi_git_commit_header {
	git_oid tree;
	git_oid *parents;
	size_t parent_count;
	size_t parent_alloc;
	int64_t time;       /* committer time, seconds since the epoch; 0 when unreadable */
};

/* Parse a raw commit; NHI_EINVALID when the tree or a parent line is malformed. */
int nhi_git_commit_header_parse(struct nhi_git_commit_header *out, const char *data, size_t len);

void nhi_git_commit_header_dispose(struct nhi_git_commit_header *header);

#endif
