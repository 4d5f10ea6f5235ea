/* fuzz_digest.c: the engine's own hashes (util/sha.c, util/md5.c, util/digest.c) against
 * OpenSSL's, on any input: the first byte picks the hash, plain or HMAC, the next the key's
 * length, the rest is key then message, fed to the engine in pieces whose sizes the input
 * also picks. Every digest must equal EVP_Digest's or HMAC()'s byte for byte. Built only where
 * libcrypto is (the engine links none). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "digest.h"
#include "fuzz_target.h"

static const EVP_MD *md_of(sl_hash h)
{
    return h == SL_HASH_MD5 ? EVP_md5() : h == SL_HASH_SHA1 ? EVP_sha1() : EVP_sha256();
}

/* The engine's digest of msg, fed in pieces of 1 + (piece byte % 97) bytes. */
static size_t ours(sl_hash h, const uint8_t *key, size_t klen, bool hmac, const uint8_t *msg,
                   size_t len, uint8_t piece, uint8_t out[SL_DIGEST_MAX])
{
    sl_digest d;
    sl_digest_init(&d, h, hmac ? key : NULL, klen);
    size_t step = 1 + piece % 97;
    for (size_t at = 0; at < len; at += step)
        sl_digest_update(&d, msg + at, len - at < step ? len - at : step);
    return sl_digest_final(&d, out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    sl_hash h = (sl_hash)(data[0] % 3);
    bool hmac = data[0] & 4;
    uint8_t piece = data[1];
    size_t klen = data[2] % 160 < size - 3 ? data[2] % 160 : size - 3;
    const uint8_t *key = data + 3, *msg = key + klen;
    size_t len = size - 3 - klen;
    uint8_t got[SL_DIGEST_MAX], want[EVP_MAX_MD_SIZE];
    unsigned int wlen = 0;
    size_t glen = ours(h, key, klen, hmac, msg, len, piece, got);
    bool ok = hmac ? HMAC(md_of(h), key, (int)klen, msg, len, want, &wlen) != NULL
                   : EVP_Digest(msg, len, want, &wlen, md_of(h), NULL) == 1;
    if (!ok || glen != wlen || memcmp(got, want, glen) != 0) {
        fprintf(stderr, "fuzz_digest: hash %d hmac %d key %zu bytes message %zu bytes differs\n",
                (int)h, (int)hmac, klen, len);
        abort();
    }
    return 0;
}
