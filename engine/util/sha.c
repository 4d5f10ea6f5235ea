/* sha.c: see sha.h. Straightforward FIPS 180-4 (big-endian words); both share the 64-byte
 * block buffering and the length padding, which differ from MD5's only in byte order. */
#include "sha.h"

#include <string.h>

typedef void block_fn(uint32_t *state, const uint8_t *p);

static uint32_t rotl(uint32_t x, unsigned c)
{
    return (x << c) | (x >> (32 - c));
}

static uint32_t rotr(uint32_t x, unsigned c)
{
    return (x >> c) | (x << (32 - c));
}

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Feeds len bytes to a 64-byte block function through the pending buffer. */
static void feed(uint32_t *state, uint64_t *bytes, uint8_t buf[64], block_fn *block,
                 const void *data, size_t len)
{
    const uint8_t *p = data;
    size_t have = (size_t)(*bytes % 64);
    *bytes += len;
    if (have) {
        size_t take = 64 - have < len ? 64 - have : len;
        memcpy(buf + have, p, take);
        p += take;
        len -= take;
        if (have + take < 64)
            return;
        block(state, buf);
    }
    for (; len >= 64; p += 64, len -= 64)
        block(state, p);
    if (len)
        memcpy(buf, p, len);
}

/* Pads with 0x80, zeros and the bit length (big-endian), then writes n state words out. */
static void finish(uint32_t *state, uint64_t *bytes, uint8_t buf[64], block_fn *block,
                   uint8_t *out, int n)
{
    static const uint8_t pad[64] = {0x80};
    uint64_t bits = *bytes * 8;
    size_t have = (size_t)(*bytes % 64);
    feed(state, bytes, buf, block, pad, have < 56 ? 56 - have : 120 - have);
    uint8_t len8[8];
    for (int i = 0; i < 8; i++)
        len8[i] = (uint8_t)(bits >> (56 - 8 * i));
    feed(state, bytes, buf, block, len8, 8);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < 4; j++)
            out[i * 4 + j] = (uint8_t)(state[i] >> (24 - 8 * j));
}

/* ---- SHA-1 ---- */

static void sha1_block(uint32_t *st, const uint8_t *p)
{
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
        w[i] = be32(p + 4 * i);
    for (int i = 16; i < 80; i++)
        w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4];
    for (int i = 0; i < 80; i++) {
        uint32_t f, k;
        if (i < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999;
        } else if (i < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1;
        } else if (i < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdc;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6;
        }
        uint32_t t = rotl(a, 5) + f + e + k + w[i];
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = t;
    }
    st[0] += a;
    st[1] += b;
    st[2] += c;
    st[3] += d;
    st[4] += e;
}

void sl_sha1_init(sl_sha1 *ctx)
{
    static const uint32_t iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    memcpy(ctx->state, iv, sizeof iv);
    ctx->bytes = 0;
}

void sl_sha1_update(sl_sha1 *ctx, const void *data, size_t len)
{
    feed(ctx->state, &ctx->bytes, ctx->buf, sha1_block, data, len);
}

void sl_sha1_final(sl_sha1 *ctx, uint8_t digest[20])
{
    finish(ctx->state, &ctx->bytes, ctx->buf, sha1_block, digest, 5);
}

/* ---- SHA-256 ---- */

static const uint32_t K256[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static void sha256_block(uint32_t *st, const uint8_t *p)
{
    uint32_t w[64], v[8];
    for (int i = 0; i < 16; i++)
        w[i] = be32(p + 4 * i);
    for (int i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    memcpy(v, st, sizeof v);
    for (int i = 0; i < 64; i++) {
        uint32_t s1 = rotr(v[4], 6) ^ rotr(v[4], 11) ^ rotr(v[4], 25);
        uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
        uint32_t t1 = v[7] + s1 + ch + K256[i] + w[i];
        uint32_t s0 = rotr(v[0], 2) ^ rotr(v[0], 13) ^ rotr(v[0], 22);
        uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
        memmove(v + 1, v, 7 * sizeof *v);
        v[4] += t1;
        v[0] = t1 + s0 + maj;
    }
    for (int i = 0; i < 8; i++)
        st[i] += v[i];
}

void sl_sha256_init(sl_sha256 *ctx)
{
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(ctx->state, iv, sizeof iv);
    ctx->bytes = 0;
}

void sl_sha256_update(sl_sha256 *ctx, const void *data, size_t len)
{
    feed(ctx->state, &ctx->bytes, ctx->buf, sha256_block, data, len);
}

void sl_sha256_final(sl_sha256 *ctx, uint8_t digest[32])
{
    finish(ctx->state, &ctx->bytes, ctx->buf, sha256_block, digest, 8);
}
