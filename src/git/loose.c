/*
 * Loose objects, read without libgit2's loose backend; see loose.h for why.
 *
 * A loose object file is the zlib stream of "<type> <size>\0<content>". Reading one takes two
 * inflate calls. The first fills a small buffer that contains the header, and the second
 * inflates the rest straight into the object's buffer with Z_FINISH. Each call either finishes
 * or fails with an error that names the damage, so a truncated file cannot make the reader loop.
 */
#include "git/loose.h"

#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Maximum header length: "commit ", 20 digits of size, then NUL. */
#define HEADER_MAX 32

/* read_header() inflates only the start of a file; this much is more than the header needs. */
#define HEADER_READ_BYTES 512

/*
 * Deflate expands data at most about 1032 times, so a header that declares more than that
 * over the compressed length lies, and its size is not allocated.
 */
#define DEFLATE_MAX_RATIO 1032

/* git reads at most five levels of objects/info/alternates; so does nhiscan. */
#define ALTERNATES_MAX_DEPTH 5

#define PACK_PRIORITY 2
#define LOOSE_PRIORITY 1

struct loose_backend {
	git_odb_backend parent;
	size_t dir_len;
	char dir[];
};

static const struct {
	const char *name;
	git_object_t type;
} object_types[] = {
	{ "blob", GIT_OBJECT_BLOB },
	{ "tree", GIT_OBJECT_TREE },
	{ "commit", GIT_OBJECT_COMMIT },
	{ "tag", GIT_OBJECT_TAG },
};

static int parse_type(git_object_t *out, const char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(object_types) / sizeof(object_types[0]); i++) {
		if (strlen(object_types[i].name) == len &&
		    memcmp(object_types[i].name, name, len) == 0) {
			*out = object_types[i].type;
			return 0;
		}
	}
	return -1;
}

/* Parse "<type> <size>\0" at the start of head[0..len); *out_len is the header's length. */
static int parse_header_text(git_object_t *type, size_t *size, size_t *out_len,
			     const unsigned char *head, size_t len, const char **reason)
{
	const unsigned char *space = memchr(head, ' ', len);
	const unsigned char *end = memchr(head, '\0', len);
	size_t value = 0;

	if (!space || !end || end < space) {
		*reason = "no object header";
		return -1;
	}
	if (parse_type(type, (const char *)head, (size_t)(space - head)) < 0) {
		*reason = "unknown object type";
		return -1;
	}
	if (space + 1 == end) {
		*reason = "no object size";
		return -1;
	}
	for (const unsigned char *p = space + 1; p < end; p++) {
		if (*p < '0' || *p > '9' || value > (SIZE_MAX - 9) / 10) {
			*reason = "bad object size";
			return -1;
		}
		value = value * 10 + (size_t)(*p - '0');
	}

	*size = value;
	*out_len = (size_t)(end - head) + 1;
	return 0;
}

/* Inflate into head[HEADER_MAX] as much as the stream gives; returns zlib's status. */
static int inflate_head(z_stream *zs, unsigned char *head, const unsigned char *data, size_t len)
{
	zs->next_in = (Bytef *)data;
	zs->avail_in = (uInt)len;
	zs->next_out = head;
	zs->avail_out = HEADER_MAX;
	return inflate(zs, Z_SYNC_FLUSH);
}

int nhi_git_loose_parse_header(size_t *out_size, git_object_t *out_type,
			       const unsigned char *data, size_t len, const char **reason)
{
	unsigned char head[HEADER_MAX];
	z_stream zs = { 0 };
	size_t header_len;
	int status;

	if (len > UINT_MAX)
		len = UINT_MAX;
	if (inflateInit(&zs) != Z_OK) {
		*reason = "zlib could not start";
		return -1;
	}
	status = inflate_head(&zs, head, data, len);
	inflateEnd(&zs);
	if (status != Z_OK && status != Z_STREAM_END) {
		*reason = "truncated or damaged zlib data";
		return -1;
	}
	return parse_header_text(out_type, out_size, &header_len, head,
				 HEADER_MAX - zs.avail_out, reason);
}

/* Check that the stream ended exactly after size bytes of content. */
static int check_body_end(int status, const z_stream *zs, const char **reason)
{
	if (status == Z_STREAM_END && zs->avail_out == 1)
		return 0;
	if (status == Z_STREAM_END)
		*reason = "content shorter than its header says";
	else if (status == Z_BUF_ERROR && zs->avail_out == 0)
		*reason = "content longer than its header says";
	else
		*reason = "truncated or damaged zlib data";
	return -1;
}

/* Inflate the content after the header into body, which has room for size + 1 bytes. */
static int inflate_body(z_stream *zs, int status, unsigned char *body, size_t size,
			const unsigned char *head, size_t head_len, size_t header_len,
			const char **reason)
{
	size_t excess = head_len - header_len;

	if (excess > size) {
		*reason = "content longer than its header says";
		return -1;
	}
	memcpy(body, head + header_len, excess);
	if (status == Z_STREAM_END) {
		if (excess != size) {
			*reason = "content shorter than its header says";
			return -1;
		}
		return 0;
	}

	if (size - excess >= UINT_MAX) {
		*reason = "object too large for one zlib pass";
		return -1;
	}
	zs->next_out = body + excess;
	zs->avail_out = (uInt)(size - excess + 1);
	status = inflate(zs, Z_FINISH);
	return check_body_end(status, zs, reason);
}

int nhi_git_loose_inflate(void **out, size_t *out_len, git_object_t *out_type,
			  const unsigned char *data, size_t len,
			  const struct nhi_git_loose_alloc *alloc, const char **reason)
{
	unsigned char head[HEADER_MAX];
	unsigned char *body = NULL;
	z_stream zs = { 0 };
	size_t size, header_len, head_len;
	int status, error = -1;

	*out = NULL;
	if (len >= UINT_MAX) {
		*reason = "file too large for one zlib pass";
		return -1;
	}
	if (inflateInit(&zs) != Z_OK) {
		*reason = "zlib could not start";
		return -1;
	}

	status = inflate_head(&zs, head, data, len);
	if (status != Z_OK && status != Z_STREAM_END) {
		*reason = "truncated or damaged zlib data";
		goto done;
	}
	head_len = HEADER_MAX - zs.avail_out;
	if (parse_header_text(out_type, &size, &header_len, head, head_len, reason) < 0)
		goto done;
	if (size / DEFLATE_MAX_RATIO > len) {
		*reason = "header declares more content than the file can hold";
		goto done;
	}

	if (!(body = alloc->alloc(alloc->payload, size + 1))) {
		*reason = "out of memory";
		goto done;
	}
	if (inflate_body(&zs, status, body, size, head, head_len, header_len, reason) < 0)
		goto done;

	body[size] = '\0';
	*out = body;
	*out_len = size;
	body = NULL;
	error = 0;
done:
	if (body)
		alloc->release(alloc->payload, body);
	inflateEnd(&zs);
	return error;
}

/* Write the path of the loose file of hex (40 characters) into path. */
static void format_path(char *path, size_t size, const struct loose_backend *b, const char *hex)
{
	snprintf(path, size, "%s/%.2s/%s", b->dir, hex, hex + 2);
}

static int set_odb_error(const git_oid *id, const char *reason)
{
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	git_error_set(GIT_ERROR_ODB,
		      "loose object %s: %s; restore it from another clone", hex, reason);
	return GIT_ERROR;
}

/*
 * Read up to max bytes of the loose file of id into a new buffer. Returns GIT_ENOTFOUND when
 * there is no such file.
 */
static int read_loose_file(unsigned char **out, size_t *out_len, const struct loose_backend *b,
			   const git_oid *id, size_t max)
{
	char hex[GIT_OID_HEXSZ + 1];
	char path[PATH_MAX];
	unsigned char *data = NULL;
	struct stat st;
	size_t want, got = 0;
	int fd, error = GIT_ERROR;

	git_oid_tostr(hex, sizeof(hex), id);
	format_path(path, sizeof(path), b, hex);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT || errno == ENOTDIR ? GIT_ENOTFOUND
							   : set_odb_error(id, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		error = set_odb_error(id, "not a regular file");
		goto done;
	}

	want = (size_t)st.st_size < max ? (size_t)st.st_size : max;
	if (!(data = malloc(want ? want : 1))) {
		error = set_odb_error(id, "out of memory");
		goto done;
	}
	while (got < want) {
		ssize_t n = read(fd, data + got, want - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error = set_odb_error(id, n < 0 ? strerror(errno) : "file shrank while read");
			goto done;
		}
		got += (size_t)n;
	}

	*out = data;
	*out_len = got;
	data = NULL;
	error = 0;
done:
	free(data);
	close(fd);
	return error;
}

static void *alloc_backend_data(void *payload, size_t size)
{
	return git_odb_backend_data_alloc(payload, size);
}

static void release_backend_data(void *payload, void *ptr)
{
	git_odb_backend_data_free(payload, ptr);
}

/* Read and inflate the loose file of id into a buffer from alloc. */
static int inflate_loose_file(void **out, size_t *out_len, git_object_t *out_type, const struct loose_backend *b,
			      const git_oid *id, const struct nhi_git_loose_alloc *alloc)
{
	unsigned char *data = NULL;
	const char *reason = NULL;
	size_t len;
	int error;

	if ((error = read_loose_file(&data, &len, b, id, SIZE_MAX)) < 0)
		return error;
	if (nhi_git_loose_inflate(out, out_len, out_type, data, len, alloc, &reason) < 0)
		error = set_odb_error(id, reason);
	free(data);
	return error;
}

static int read_object(void **out, size_t *out_len, git_object_t *out_type,
		       git_odb_backend *backend, const git_oid *id)
{
	const struct nhi_git_loose_alloc alloc = { alloc_backend_data, release_backend_data,
						   backend };

	return inflate_loose_file(out, out_len, out_type, (const struct loose_backend *)backend, id, &alloc);
}

static int read_object_header(size_t *out_len, git_object_t *out_type, git_odb_backend *backend,
			      const git_oid *id)
{
	const struct loose_backend *b = (const struct loose_backend *)backend;
	unsigned char *data = NULL;
	const char *reason = NULL;
	size_t len;
	int error;

	if ((error = read_loose_file(&data, &len, b, id, HEADER_READ_BYTES)) < 0)
		return error;
	if (nhi_git_loose_parse_header(out_len, out_type, data, len, &reason) < 0)
		error = set_odb_error(id, reason);
	free(data);
	return error;
}

static int has_object(git_odb_backend *backend, const git_oid *id)
{
	const struct loose_backend *b = (const struct loose_backend *)backend;
	char hex[GIT_OID_HEXSZ + 1];
	char path[PATH_MAX];
	struct stat st;

	git_oid_tostr(hex, sizeof(hex), id);
	format_path(path, sizeof(path), b, hex);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int is_loose_name(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++)
		if (!strchr("0123456789abcdef", name[i]))
			return 0;
	return i == GIT_OID_HEXSZ - 2;
}

/* Call fn for each loose object in the fan-out folder of byte fanout. */
static int walk_fanout(const struct loose_backend *b, unsigned fanout,
		       int (*fn)(const git_oid *id, void *payload), void *payload)
{
	char path[PATH_MAX];
	char hex[GIT_OID_HEXSZ + 1];
	struct dirent *entry;
	DIR *dir;
	int error = 0;

	snprintf(path, sizeof(path), "%s/%02x", b->dir, fanout);
	if (!(dir = opendir(path)))
		return 0;
	while (!error && (entry = readdir(dir))) {
		git_oid id;

		if (!is_loose_name(entry->d_name))
			continue;
		snprintf(hex, sizeof(hex), "%02x%.38s", fanout, entry->d_name);
		if (git_oid_fromstr(&id, hex) < 0)
			continue;
		error = fn(&id, payload);
	}
	closedir(dir);
	return error;
}

static int list_objects(git_odb_backend *backend, git_odb_foreach_cb cb, void *payload)
{
	const struct loose_backend *b = (const struct loose_backend *)backend;
	int error = 0;

	for (unsigned fanout = 0; !error && fanout < 256; fanout++)
		error = walk_fanout(b, fanout, cb, payload);
	return error;
}

struct prefix_search {
	char hex[GIT_OID_HEXSZ + 1];
	size_t len;
	size_t found;
	git_oid id;
};

static int match_prefix(const git_oid *id, void *payload)
{
	struct prefix_search *search = payload;
	char hex[GIT_OID_HEXSZ + 1];

	git_oid_tostr(hex, sizeof(hex), id);
	if (strncmp(hex, search->hex, search->len) != 0)
		return 0;
	search->found++;
	git_oid_cpy(&search->id, id);
	return 0;
}

/* Find the one loose object whose id starts with the first len hex digits of short_id. */
static int find_by_prefix(git_oid *out, const struct loose_backend *b, const git_oid *short_id,
			  size_t len)
{
	struct prefix_search search = { .len = len };
	unsigned fanout;

	git_oid_tostr(search.hex, sizeof(search.hex), short_id);
	if (len < 2 || sscanf(search.hex, "%2x", &fanout) != 1)
		return GIT_ENOTFOUND;
	walk_fanout(b, fanout, match_prefix, &search);
	if (search.found == 0)
		return GIT_ENOTFOUND;
	if (search.found > 1) {
		git_error_set(GIT_ERROR_ODB, "object id prefix '%.*s' is ambiguous", (int)len,
			      search.hex);
		return GIT_EAMBIGUOUS;
	}
	git_oid_cpy(out, &search.id);
	return 0;
}

static int has_object_prefix(git_oid *out, git_odb_backend *backend, const git_oid *short_id,
			     size_t len)
{
	return find_by_prefix(out, (const struct loose_backend *)backend, short_id, len);
}

static int read_object_prefix(git_oid *out_id, void **out, size_t *out_len,
			      git_object_t *out_type, git_odb_backend *backend,
			      const git_oid *short_id, size_t len)
{
	int error;

	if (len >= GIT_OID_HEXSZ) {
		git_oid_cpy(out_id, short_id);
		return read_object(out, out_len, out_type, backend, short_id);
	}
	if ((error = has_object_prefix(out_id, backend, short_id, len)) < 0)
		return error;
	return read_object(out, out_len, out_type, backend, out_id);
}

static void free_backend(git_odb_backend *backend)
{
	free(backend);
}

static int new_loose_backend(git_odb_backend **out, const char *objects_dir)
{
	size_t len = strlen(objects_dir);
	struct loose_backend *b;

	while (len > 1 && objects_dir[len - 1] == '/')
		len--;
	if (!(b = calloc(1, sizeof(*b) + len + 1))) {
		git_error_set_oom();
		return GIT_ERROR;
	}
	git_odb_init_backend(&b->parent, GIT_ODB_BACKEND_VERSION);
	memcpy(b->dir, objects_dir, len);
	b->dir_len = len;
	b->parent.read = read_object;
	b->parent.read_prefix = read_object_prefix;
	b->parent.read_header = read_object_header;
	b->parent.exists = has_object;
	b->parent.exists_prefix = has_object_prefix;
	b->parent.foreach = list_objects;
	b->parent.free = free_backend;
	*out = &b->parent;
	return 0;
}

/* Add the pack and loose backends of one object folder, as main or as alternate. */
static int add_object_dir(git_odb *odb, const char *objects_dir, int alternate)
{
	int (*add)(git_odb *, git_odb_backend *, int) =
		alternate ? git_odb_add_alternate : git_odb_add_backend;
	git_odb_backend *pack = NULL, *loose = NULL;
	int error;

	if ((error = git_odb_backend_pack(&pack, objects_dir)) < 0)
		return error;
	if ((error = add(odb, pack, PACK_PRIORITY)) < 0) {
		pack->free(pack);
		return error;
	}
	if ((error = new_loose_backend(&loose, objects_dir)) < 0)
		return error;
	if ((error = add(odb, loose, LOOSE_PRIORITY)) < 0)
		loose->free(loose);
	return error;
}

static int add_alternates(git_odb *odb, const char *objects_dir, int depth);

/* Add one line of an alternates file, a path absolute or relative to objects_dir. */
static int add_alternate_line(git_odb *odb, const char *objects_dir, const char *line,
			      int depth)
{
	char path[PATH_MAX];
	struct stat st;
	int len, error;

	if (line[0] == '\0' || line[0] == '#')
		return 0;
	if (line[0] == '/')
		len = snprintf(path, sizeof(path), "%s", line);
	else
		len = snprintf(path, sizeof(path), "%s/%s", objects_dir, line);
	if (len < 0 || (size_t)len >= sizeof(path))
		return 0;

	/* A missing alternate leaves its objects missing; they are reported where needed. */
	if (stat(path, &st) < 0 || !S_ISDIR(st.st_mode))
		return 0;
	if ((error = add_object_dir(odb, path, 1)) < 0)
		return error;
	return add_alternates(odb, path, depth + 1);
}

static int add_alternates(git_odb *odb, const char *objects_dir, int depth)
{
	char path[PATH_MAX];
	char line[PATH_MAX];
	FILE *file;
	int error = 0;

	if (depth >= ALTERNATES_MAX_DEPTH)
		return 0;
	snprintf(path, sizeof(path), "%s/info/alternates", objects_dir);
	if (!(file = fopen(path, "re")))
		return 0;
	while (!error && fgets(line, sizeof(line), file)) {
		line[strcspn(line, "\r\n")] = '\0';
		error = add_alternate_line(odb, objects_dir, line, depth);
	}
	fclose(file);
	return error;
}

static void *alloc_plain(void *payload, size_t size)
{
	(void)payload;
	return malloc(size);
}

static void release_plain(void *payload, void *ptr)
{
	(void)payload;
	free(ptr);
}

const struct nhi_git_loose_alloc nhi_git_loose_plain_alloc = { alloc_plain, release_plain, NULL };

int nhi_git_loose_read(void **out, size_t *out_len, git_object_t *out_type, git_repository *repo,
		       const git_oid *id)
{
	char objects_dir[PATH_MAX];
	git_odb_backend *backend = NULL;
	int error;

	snprintf(objects_dir, sizeof(objects_dir), "%sobjects", git_repository_commondir(repo));
	if ((error = new_loose_backend(&backend, objects_dir)) < 0)
		return error;
	error = inflate_loose_file(out, out_len, out_type, (const struct loose_backend *)backend, id,
				   &nhi_git_loose_plain_alloc);
	free_backend(backend);
	return error;
}

int nhi_git_loose_install(git_repository *repo)
{
	char objects_dir[PATH_MAX];
	git_odb *odb = NULL;
	int error;

	snprintf(objects_dir, sizeof(objects_dir), "%sobjects", git_repository_commondir(repo));
	if ((error = git_odb_new(&odb)) < 0)
		return error;
	if ((error = add_object_dir(odb, objects_dir, 0)) == 0 &&
	    (error = add_alternates(odb, objects_dir, 0)) == 0)
		error = git_repository_set_odb(repo, odb);

	/* The repository holds its own reference to the database. */
	git_odb_free(odb);
	return error;
}
