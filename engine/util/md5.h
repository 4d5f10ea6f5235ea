/* md5.h: MD5 (RFC 1321), for the API signers only; no OpenSSL. Incremental, so a signer can
 * hash a concatenation without building it. */
#ifndef SLUICE_MD5_H
#define SLUICE_MD5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sl_md5 {
    uint32_t state[4];
    uint64_t bytes;   /* total length fed so far */
    uint8_t buf[64];  /* pending partial block */
} sl_md5;

/* Starts a new digest. */
void sl_md5_init(sl_md5 *ctx);
/* Feeds len bytes. */
void sl_md5_update(sl_md5 *ctx, const void *data, size_t len);
/* Finishes the digest into 16 raw bytes; ctx must be re-initialised before reuse. */
void sl_md5_final(sl_md5 *ctx, uint8_t digest[16]);
/* Finishes the digest as 32 hex digits + NUL, upper or lower case. */
void sl_md5_final_hex(sl_md5 *ctx, bool upper, char out[33]);
/* One-shot: hex MD5 of data. */
void sl_md5_hex(const void *data, size_t len, bool upper, char out[33]);

#endif
