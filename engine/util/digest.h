/* digest.h: one interface over MD5, SHA-1 and SHA-256, plain or as HMAC (RFC 2104), and the
 * text encodings a signature is sent in (hex lower or upper case, base64). Incremental, so a
 * signing recipe streams its string to sign without building it twice. */
#ifndef SLUICE_DIGEST_H
#define SLUICE_DIGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "md5.h"
#include "sha.h"

typedef enum sl_hash { SL_HASH_MD5, SL_HASH_SHA1, SL_HASH_SHA256 } sl_hash;

typedef enum sl_encoding { SL_ENC_HEX, SL_ENC_HEX_UPPER, SL_ENC_BASE64 } sl_encoding;

enum {
    SL_DIGEST_MAX = 32,   /* bytes of the longest digest (SHA-256) */
    SL_DIGEST_TEXT = 65,  /* room for any digest encoded, NUL included */
};

typedef struct sl_digest {
    sl_hash alg;
    bool hmac;
    union {
        sl_md5 md5;
        sl_sha1 sha1;
        sl_sha256 sha256;
    } h;
    uint8_t opad[64]; /* HMAC: the key xor 0x5c, hashed again around the inner digest */
} sl_digest;

/* Starts a digest of alg; with key (keylen bytes, may be empty) non-NULL, an HMAC keyed by it. */
void sl_digest_init(sl_digest *d, sl_hash alg, const void *key, size_t keylen);
/* Feeds len bytes. */
void sl_digest_update(sl_digest *d, const void *data, size_t len);
/* Finishes into out (SL_DIGEST_MAX bytes of room); returns the digest's length. */
size_t sl_digest_final(sl_digest *d, uint8_t out[SL_DIGEST_MAX]);
/* Writes n bytes encoded as enc, NUL-terminated, into out (SL_DIGEST_TEXT bytes of room for a
 * digest); returns the text's length. */
size_t sl_digest_encode(const uint8_t *bytes, size_t n, sl_encoding enc, char *out);

#endif
