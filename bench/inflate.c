/*
 * Inflate every object of one pack file twice, with zlib and with libdeflate, and print the
 * CPU time of each pass: what the choice of inflater costs a history scan (bench/inflate.sh).
 *   inflate PACK < OFFSETS     (one object offset per line, in pack order)
 * Delta objects are inflated as stored, without applying them to their bases.
 */
#include <fcntl.h>
#include <libdeflate.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

struct object {
	size_t stream;  /* offset of the zlib stream */
	size_t size;    /* inflated size */
};

static double cpu_seconds(void)
{
	struct timespec now;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
	return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* Parse the object header at offset; returns -1 on anything unexpected. */
static int parse_header(struct object *object, const unsigned char *pack, size_t pack_size, size_t offset)
{
	const unsigned char *p = pack + offset, *end = pack + pack_size;
	unsigned shift = 4, type;
	unsigned char c = *p++;

	type = (c >> 4) & 7;
	object->size = c & 15;
	while (c & 0x80) {
		if (p >= end || shift > 57)
			return -1;
		c = *p++;
		object->size |= (size_t)(c & 0x7f) << shift;
		shift += 7;
	}
	if (type == 6) {
		do {
			if (p >= end)
				return -1;
		} while (*p++ & 0x80);
	} else if (type == 7) {
		p += 20;
	}
	object->stream = (size_t)(p - pack);
	return p < end ? 0 : -1;
}

static int inflate_zlib(z_stream *stream, const unsigned char *in, size_t avail, unsigned char *out, size_t size)
{
	stream->next_in = (unsigned char *)in;
	stream->avail_in = avail > UINT32_MAX ? UINT32_MAX : (unsigned)avail;
	stream->next_out = out;
	stream->avail_out = (unsigned)size;
	if (inflate(stream, Z_FINISH) != Z_STREAM_END || stream->total_out != size)
		return -1;
	return inflateReset(stream) == Z_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct libdeflate_decompressor *deflater = libdeflate_alloc_decompressor();
	struct object *objects = NULL;
	size_t count = 0, alloc = 0, bytes = 0, failed = 0;
	unsigned long long offset;
	unsigned char *out = NULL;
	size_t out_alloc = 0;
	z_stream stream;
	struct stat st;
	double start, zlib_s, deflate_s;
	int fd;
	unsigned char *pack;

	if (argc != 2 || (fd = open(argv[1], O_RDONLY)) < 0 || fstat(fd, &st) < 0) {
		fprintf(stderr, "usage: inflate PACK < OFFSETS\n");
		return 2;
	}
	pack = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (pack == MAP_FAILED || !deflater)
		return 2;

	while (scanf("%llu", &offset) == 1) {
		if (count == alloc) {
			alloc = alloc ? alloc * 2 : 4096;
			if (!(objects = realloc(objects, alloc * sizeof(*objects))))
				return 2;
		}
		if (parse_header(&objects[count], pack, (size_t)st.st_size, (size_t)offset) == 0) {
			if (objects[count].size > out_alloc && !(out = realloc(out, out_alloc = objects[count].size)))
				return 2;
			bytes += objects[count].size;
			count++;
		}
	}

	memset(&stream, 0, sizeof(stream));
	if (inflateInit(&stream) != Z_OK)
		return 2;
	start = cpu_seconds();
	for (size_t i = 0; i < count; i++)
		failed += inflate_zlib(&stream, pack + objects[i].stream, (size_t)st.st_size - objects[i].stream, out,
				       objects[i].size) < 0;
	zlib_s = cpu_seconds() - start;
	inflateEnd(&stream);

	start = cpu_seconds();
	for (size_t i = 0; i < count; i++) {
		size_t in_used, out_used;

		failed += libdeflate_zlib_decompress_ex(deflater, pack + objects[i].stream,
							(size_t)st.st_size - objects[i].stream, out, objects[i].size,
							&in_used, &out_used) != LIBDEFLATE_SUCCESS;
	}
	deflate_s = cpu_seconds() - start;

	printf("%zu %zu %.2f %.2f %zu\n", count, bytes, zlib_s, deflate_s, failed);
	return failed ? 1 : 0;
}
