/* digest.c: see digest.h. HMAC is H((K ^ opad) || H((K ^ ipad) || m)) with K hashed first when
 * longer than the 64-byte block all three hashes share. */
#include "digest.h"

#include <string.h>

static void plain_init(sl_digest *d)
{
    switch (d->alg) {
    case SL_HASH_MD5:
        sl_md5_init(&d->h.md5);
        break;
    case SL_HASH_SHA1:
        sl_sha1_init(&d->h.sha1);
        break;
    case SL_HASH_SHA256:
        sl_sha256_init(&d->h.sha256);
        break;
    }
}

static void plain_update(sl_digest *d, const void *data, size_t len)
{
    switch (d->alg) {
    case SL_HASH_MD5:
        sl_md5_update(&d->h.md5, data, len);
        break;
    case SL_HASH_SHA1:
        sl_sha1_update(&d->h.sha1, data, len);
        break;
    case SL_HASH_SHA256:
        sl_sha256_update(&d->h.sha256, data, len);
        break;
    }
}

static size_t plain_final(sl_digest *d, uint8_t *out)
{
    switch (d->alg) {
    case SL_HASH_MD5:
        sl_md5_final(&d->h.md5, out);
        return 16;
    case SL_HASH_SHA1:
        sl_sha1_final(&d->h.sha1, out);
        return 20;
    case SL_HASH_SHA256:
        sl_sha256_final(&d->h.sha256, out);
        return 32;
    }
    return 0;
}

void sl_digest_init(sl_digest *d, sl_hash alg, const void *key, size_t keylen)
{
    d->alg = alg;
    d->hmac = key != NULL;
    if (!d->hmac) {
        plain_init(d);
        return;
    }
    uint8_t k[64] = {0}, ipad[64];
    if (keylen > sizeof k) {
        plain_init(d);
        plain_update(d, key, keylen);
        plain_final(d, k);
    } else if (keylen) {
        memcpy(k, key, keylen);
    }
    for (size_t i = 0; i < sizeof k; i++) {
        ipad[i] = k[i] ^ 0x36;
        d->opad[i] = k[i] ^ 0x5c;
    }
    plain_init(d);
    plain_update(d, ipad, sizeof ipad);
}

void sl_digest_update(sl_digest *d, const void *data, size_t len)
{
    plain_update(d, data, len);
}

size_t sl_digest_final(sl_digest *d, uint8_t out[SL_DIGEST_MAX])
{
    size_t n = plain_final(d, out);
    if (!d->hmac)
        return n;
    plain_init(d);
    plain_update(d, d->opad, sizeof d->opad);
    plain_update(d, out, n);
    return plain_final(d, out);
}

static size_t base64(const uint8_t *b, size_t n, char *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t o = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)b[i] << 16;
        if (i + 1 < n)
            v |= (uint32_t)b[i + 1] << 8;
        if (i + 2 < n)
            v |= b[i + 2];
        out[o++] = tab[v >> 18];
        out[o++] = tab[(v >> 12) & 63];
        out[o++] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < n ? tab[v & 63] : '=';
    }
    out[o] = '\0';
    return o;
}

size_t sl_digest_encode(const uint8_t *bytes, size_t n, sl_encoding enc, char *out)
{
    if (enc == SL_ENC_BASE64)
        return base64(bytes, n, out);
    const char *hex = enc == SL_ENC_HEX_UPPER ? "0123456789ABCDEF" : "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[i * 2] = hex[bytes[i] >> 4];
        out[i * 2 + 1] = hex[bytes[i] & 15];
    }
    out[n * 2] = '\0';
    return n * 2;
}
