/*
 * Raw tree and commit parsing; see object.h.
 */
#include "git/object.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

#define HEX_ID_LEN 40
#define RAW_ID_LEN 20
/* "100644" is six digits; git never writes more, so a longer mode is damage, not a new format. */
#define MAX_MODE_DIGITS 7

void nhi_git_tree_reader_init(struct nhi_git_tree_reader *reader, const void *data, size_t len)
{
	reader->pos = data;
	reader->end = reader->pos + len;
}

static int parse_mode(uint32_t *out, const unsigned char **pos, const unsigned char *end)
{
	const unsigned char *p = *pos;
	uint32_t mode = 0;
	int digits = 0;

	while (p < end && *p != ' ') {
		if (*p < '0' || *p > '7' || ++digits > MAX_MODE_DIGITS)
			return NHI_EINVALID;
		mode = mode * 8 + (uint32_t)(*p - '0');
		p++;
	}
	if (p == end || digits == 0)
		return NHI_EINVALID;
	*out = mode;
	*pos = p + 1;
	return 0;
}

int nhi_git_tree_next(struct nhi_git_tree_entry *out, struct nhi_git_tree_reader *reader)
{
	const unsigned char *p = reader->pos;
	const unsigned char *name, *nul;

	if (p == reader->end)
		return 0;
	if (parse_mode(&out->mode, &p, reader->end) < 0)
		return NHI_EINVALID;

	name = p;
	nul = memchr(name, '\0', (size_t)(reader->end - name));
	if (!nul || nul == name || memchr(name, '/', (size_t)(nul - name)) ||
	    (size_t)(reader->end - nul - 1) < RAW_ID_LEN)
		return NHI_EINVALID;

	out->name = (const char *)name;
	out->name_len = (size_t)(nul - name);
	git_oid_fromraw(&out->id, nul + 1);
	reader->pos = nul + 1 + RAW_ID_LEN;
	return 1;
}

enum nhi_git_entry_kind nhi_git_entry_kind_of(uint32_t mode)
{
	switch (mode & 0170000) {
	case 0040000: return NHI_GIT_ENTRY_TREE;
	case 0100000: return NHI_GIT_ENTRY_FILE;
	case 0120000: return NHI_GIT_ENTRY_SYMLINK;
	case 0160000: return NHI_GIT_ENTRY_GITLINK;
	default: return NHI_GIT_ENTRY_UNKNOWN;
	}
}

static int push_parent(struct nhi_git_commit_header *header, const git_oid *id)
{
	if (header->parent_count == header->parent_alloc) {
		size_t alloc = header->parent_alloc ? header->parent_alloc * 2 : 4;
		git_oid *parents = realloc(header->parents, alloc * sizeof(*parents));

		if (!parents)
			return nhi_error_set(NHI_ENOMEM, "out of memory");
		header->parents = parents;
		header->parent_alloc = alloc;
	}
	git_oid_cpy(&header->parents[header->parent_count++], id);
	return 0;
}

/* Parse "<hex id>" that fills the rest of a line of length len. */
static int parse_hex_id(git_oid *out, const char *text, size_t len)
{
	if (len != HEX_ID_LEN || git_oid_fromstrn(out, text, HEX_ID_LEN) < 0)
		return NHI_EINVALID;
	return 0;
}

/* Read the seconds in "Name <email> 1700000000 +0100"; 0 when the line is malformed. */
static int64_t parse_signature_time(const char *line, size_t len)
{
	const char *gt = NULL;
	int64_t seconds = 0;

	for (size_t i = 0; i < len; i++)
		if (line[i] == '>')
			gt = line + i;
	if (!gt || gt + 1 >= line + len || gt[1] != ' ')
		return 0;
	for (const char *p = gt + 2; p < line + len && *p >= '0' && *p <= '9'; p++) {
		if (seconds > (INT64_MAX - 9) / 10)
			return 0;
		seconds = seconds * 10 + (*p - '0');
	}
	return seconds;
}

/* Handle one header line; *seen_tree records that the mandatory first line was read. */
static int parse_header_line(struct nhi_git_commit_header *out, const char *line, size_t len, int *seen_tree)
{
	if (!*seen_tree) {
		if (len < 5 || memcmp(line, "tree ", 5) != 0 || parse_hex_id(&out->tree, line + 5, len - 5) < 0)
			return NHI_EINVALID;
		*seen_tree = 1;
		return 0;
	}
	if (len > 7 && memcmp(line, "parent ", 7) == 0) {
		git_oid parent;

		if (parse_hex_id(&parent, line + 7, len - 7) < 0)
			return NHI_EINVALID;
		return push_parent(out, &parent);
	}
	if (len > 10 && memcmp(line, "committer ", 10) == 0)
		out->time = parse_signature_time(line + 10, len - 10);
	return 0;
}

int nhi_git_commit_header_parse(struct nhi_git_commit_header *out, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	int seen_tree = 0;
	int error;

	out->parent_count = 0;
	out->time = 0;
	while (p < end && *p != '\n') {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t line_len = eol ? (size_t)(eol - p) : (size_t)(end - p);

		if ((error = parse_header_line(out, p, line_len, &seen_tree)) < 0)
			return error;
		p += line_len + (eol ? 1 : 0);
	}
	return seen_tree ? 0 : NHI_EINVALID;
}

void nhi_git_commit_header_dispose(struct nhi_git_commit_header *header)
{
	free(header->parents);
	memset(header, 0, sizeof(*header));
}
