/* sha256: SHA-256 (FIPS 180-4) of bytes and files, so every output records the content
 * hashes of the inputs it came from. */
#ifndef TRAINSIM_SHA256_H
#define TRAINSIM_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

struct sha256 {
	uint32_t state[8];
	uint64_t length;          /* bytes hashed so far */
	unsigned char block[64];
	size_t used;              /* bytes waiting in block */
};

void sha256_init(struct sha256 *h);
void sha256_update(struct sha256 *h, const void *data, size_t size);
void sha256_final(struct sha256 *h, unsigned char digest[32]);

/* Lowercase hex digest of `size` bytes (64 characters and a NUL). */
void sha256_hex(const void *data, size_t size, char out[65]);

/* Hex digest of a file's content; false (err: "path: cannot read: ...") when unreadable. */
bool sha256_file_hex(const char *path, char out[65], struct ts_error *err);

#endif
