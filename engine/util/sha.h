/* sha.h: SHA-1 and SHA-256 (FIPS 180-4), for the signing recipes only; no OpenSSL, like md5.h.
 * Incremental, so a recipe can hash a string to sign piece by piece. */
#ifndef SLUICE_SHA_H
#define SLUICE_SHA_H

#include <stddef.h>
#include <stdint.h>

typedef struct sl_sha1 {
    uint32_t state[5];
    uint64_t bytes;  /* total length fed so far */
    uint8_t buf[64]; /* pending partial block */
} sl_sha1;

typedef struct sl_sha256 {
    uint32_t state[8];
    uint64_t bytes;
    uint8_t buf[64];
} sl_sha256;

/* Starts a new SHA-1 digest. */
void sl_sha1_init(sl_sha1 *ctx);
/* Feeds len bytes. */
void sl_sha1_update(sl_sha1 *ctx, const void *data, size_t len);
/* Finishes into 20 raw bytes; ctx must be re-initialised before reuse. */
void sl_sha1_final(sl_sha1 *ctx, uint8_t digest[20]);

/* Starts a new SHA-256 digest. */
void sl_sha256_init(sl_sha256 *ctx);
/* Feeds len bytes. */
void sl_sha256_update(sl_sha256 *ctx, const void *data, size_t len);
/* Finishes into 32 raw bytes; ctx must be re-initialised before reuse. */
void sl_sha256_final(sl_sha256 *ctx, uint8_t digest[32]);

#endif
