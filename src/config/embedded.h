/*
 * Files compiled into the binary at build time (src/tools/embed-files.sh writes their arrays),
 * so that the installed binary needs no data folder.
 */
#ifndef NHI_CONFIG_EMBEDDED_H
#define NHI_CONFIG_EMBEDDED_H

#include <stddef.h>

struct nhi_embedded_file {
	const char *name;          /* path relative to the repository, like "signatures/aws.yml" */
	const unsigned char *data; /* NUL-terminated */
	size_t len;                /* without the NUL */
};

/* The *.yml files of signatures/, in name order. */
extern const struct nhi_embedded_file nhi_embedded_signatures[];
extern const size_t nhi_embedded_signatures_count;

/* The hook scripts of hooks/ ("hooks/pre-commit", "hooks/pre-push"), for install-hooks. */
extern const struct nhi_embedded_file nhi_embedded_hooks[];
extern const size_t nhi_embedded_hooks_count;

#endif
