/* Unit tests of sha.c and digest.c against the published test vectors: FIPS 180-2 appendix
 * examples (SHA-1, SHA-256), RFC 2202 (HMAC-MD5, HMAC-SHA1), RFC 4231 (HMAC-SHA256) and
 * RFC 4648 (base64). Each digest is also fed in uneven pieces. */
#include <stdlib.h>

#include "check.h"
#include "digest.h"

/* The digest of data (keyed when key is non-NULL) as lower-case hex. */
static const char *hex_of(sl_hash alg, const char *key, size_t keylen, const char *data,
                          size_t len)
{
    static char out[SL_DIGEST_TEXT];
    uint8_t d[SL_DIGEST_MAX];
    sl_digest g;
    sl_digest_init(&g, alg, key, keylen);
    sl_digest_update(&g, data, len);
    sl_digest_encode(d, sl_digest_final(&g, d), SL_ENC_HEX, out);
    return out;
}

static const char *hex_str(sl_hash alg, const char *data)
{
    return hex_of(alg, NULL, 0, data, strlen(data));
}

static const char *million_a(sl_hash alg)
{
    static char out[SL_DIGEST_TEXT];
    char block[1000];
    uint8_t d[SL_DIGEST_MAX];
    sl_digest g;
    memset(block, 'a', sizeof block);
    sl_digest_init(&g, alg, NULL, 0);
    for (int i = 0; i < 1000; i++) /* pieces of 1000 cross the 64-byte blocks unevenly */
        sl_digest_update(&g, block, sizeof block);
    sl_digest_encode(d, sl_digest_final(&g, d), SL_ENC_HEX, out);
    return out;
}

static const char *abc448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";

static void test_sha1(void)
{
    CHECK_STR(hex_str(SL_HASH_SHA1, ""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    CHECK_STR(hex_str(SL_HASH_SHA1, "abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    CHECK_STR(hex_str(SL_HASH_SHA1, abc448), "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    CHECK_STR(million_a(SL_HASH_SHA1), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

static void test_sha256(void)
{
    CHECK_STR(hex_str(SL_HASH_SHA256, ""),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK_STR(hex_str(SL_HASH_SHA256, "abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_STR(hex_str(SL_HASH_SHA256, abc448),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK_STR(million_a(SL_HASH_SHA256),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    CHECK_STR(hex_str(SL_HASH_MD5, "abc"), "900150983cd24fb0d6963f7d28e17f72");
}

/* RFC 2202 / 4231 cases 1, 2 and 6 (key longer than a block, hashed first). */
static void test_hmac(void)
{
    char k0b[20], kaa[131];
    memset(k0b, 0x0b, sizeof k0b);
    memset(kaa, 0xaa, sizeof kaa);
    const char *hi = "Hi There", *jefe = "what do ya want for nothing?";
    const char *big = "Test Using Larger Than Block-Size Key - Hash Key First";
    CHECK_STR(hex_of(SL_HASH_MD5, k0b, 16, hi, 8), "9294727a3638bb1c13f48ef8158bfc9d");
    CHECK_STR(hex_of(SL_HASH_MD5, "Jefe", 4, jefe, 28), "750c783e6ab0b503eaa86e310a5db738");
    CHECK_STR(hex_of(SL_HASH_MD5, kaa, 80, big, 54), "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd");
    CHECK_STR(hex_of(SL_HASH_SHA1, k0b, 20, hi, 8), "b617318655057264e28bc0b6fb378c8ef146be00");
    CHECK_STR(hex_of(SL_HASH_SHA1, "Jefe", 4, jefe, 28),
              "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    CHECK_STR(hex_of(SL_HASH_SHA1, kaa, 80, big, 54), "aa4ae5e15272d00e95705637ce8a3b55ed402112");
    CHECK_STR(hex_of(SL_HASH_SHA256, k0b, 20, hi, 8),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    CHECK_STR(hex_of(SL_HASH_SHA256, "Jefe", 4, jefe, 28),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    CHECK_STR(hex_of(SL_HASH_SHA256, kaa, 131, big, 54),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    /* an empty key is a key (all zeros), not "no HMAC" */
    CHECK_STR(hex_of(SL_HASH_SHA256, "", 0, "", 0),
              "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

static void test_encodings(void)
{
    static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *b64[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    char out[SL_DIGEST_TEXT];
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) {
        size_t n = sl_digest_encode((const uint8_t *)plain[i], strlen(plain[i]), SL_ENC_BASE64,
                                    out);
        CHECK_STR(out, b64[i]);
        CHECK(n == strlen(b64[i]));
    }
    sl_digest_encode((const uint8_t *)"\xab\x0f", 2, SL_ENC_HEX_UPPER, out);
    CHECK_STR(out, "AB0F");
    sl_digest_encode((const uint8_t *)"\xab\x0f", 2, SL_ENC_HEX, out);
    CHECK_STR(out, "ab0f");
}

int main(void)
{
    test_sha1();
    test_sha256();
    test_hmac();
    test_encodings();
    return check_done();
}
