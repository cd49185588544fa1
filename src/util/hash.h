/*
 * SHA-256 (FIPS 180-4) and CRC-32 (the IEEE 802.3 polynomial used by zlib). SHA-256 keys the
 * rule cache and makes finding fingerprints; CRC-32 checks the checksum that GitHub and npm
 * tokens carry. Both are small enough that a dependency is not worth it.
 */
#ifndef NHI_UTIL_HASH_H
#define NHI_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

struct nhi_sha256 {
	uint32_t state[8];
	uint64_t length; /* bytes hashed so far */
	unsigned char block[64];
	size_t used;     /* bytes waiting in block */
};

void nhi_sha256_init(struct nhi_sha256 *ctx);
void nhi_sha256_update(struct nhi_sha256 *ctx, const void *data, size_t len);
void nhi_sha256_final(struct nhi_sha256 *ctx, unsigned char digest[32]);

/* Hash data in one call. */
void nhi_sha256(unsigned char digest[32], const void *data, size_t len);

/* Write 2*len lower-case hex digits and a NUL to out. */
void nhi_hex_encode(char *out, const unsigned char *data, size_t len);

uint32_t nhi_crc32(const void *data, size_t len);

#endif
