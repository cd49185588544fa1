/*
 * Read the blobs named on standard input (one object id per line) through libgit2, in that
 * order, with the object database settings of a history scan, and print how many were read.
 * bench/read-order.sh times it on the same blobs in different orders.
 */
#include <git2.h>
#include <stdio.h>
#include <string.h>

/* The settings of src/git/repo.c, so that the reads cost what they cost in a scan. */
static int configure_libgit2(void)
{
	if (git_libgit2_init() < 0 ||
	    git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)16 << 20) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)32 << 20) < 0 ||
	    git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)128 << 20) < 0)
		return -1;
	return 0;
}

static size_t read_listed_blobs(git_odb *odb, size_t *bytes)
{
	char line[128];
	size_t count = 0;

	*bytes = 0;
	while (fgets(line, sizeof(line), stdin)) {
		git_odb_object *object;
		git_oid id;

		line[strcspn(line, " \r\n")] = '\0';
		if (git_oid_fromstr(&id, line) < 0 || git_odb_read(&object, odb, &id) < 0)
			continue;
		*bytes += git_odb_object_size(object);
		git_odb_object_free(object);
		count++;
	}
	return count;
}

int main(int argc, char **argv)
{
	git_repository *repo = NULL;
	git_odb *odb = NULL;
	size_t count, bytes;

	if (argc != 2) {
		fprintf(stderr, "usage: read-order REPO < object-ids\n");
		return 2;
	}
	if (configure_libgit2() < 0 || git_repository_open_bare(&repo, argv[1]) < 0 ||
	    git_repository_odb(&odb, repo) < 0) {
		fprintf(stderr, "read-order: cannot open '%s': %s\n", argv[1],
			git_error_last() ? git_error_last()->message : "unknown error");
		return 2;
	}
	count = read_listed_blobs(odb, &bytes);
	printf("%zu blobs, %zu bytes\n", count, bytes);
	git_odb_free(odb);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return 0;
}
