/* Unit tests of text.c: character lengths, cuts on a character boundary and the one-line
 * escaping of outside text, with exact expected bytes for Chinese text, a 4-byte emoji,
 * control characters and invalid UTF-8. */
#include <stdlib.h>
#include <string.h>

#include "apiwords.h"
#include "check.h"
#include "error.h"
#include "text.h"

/* 订 单 号: three 3-byte characters; 😀 U+1F600: 4 bytes. */
#define DING "\xe8\xae\xa2"
#define DAN "\xe5\x8d\x95"
#define HAO "\xe5\x8f\xb7"
#define GRIN "\xf0\x9f\x98\x80"

static void test_char_len(void)
{
    CHECK(sl_text_char_len("a", 1) == 1);
    CHECK(sl_text_char_len("\xc3\xa9", 2) == 2);  /* é */
    CHECK(sl_text_char_len(DING, 3) == 3);
    CHECK(sl_text_char_len(GRIN, 4) == 4);
    CHECK(sl_text_char_len(DING, 2) == 0);          /* truncated */
    CHECK(sl_text_char_len("\x80", 1) == 0);        /* stray continuation */
    CHECK(sl_text_char_len("\xc0\xaf", 2) == 0);    /* overlong '/' */
    CHECK(sl_text_char_len("\xe0\x80\xaf", 3) == 0); /* overlong 3-byte */
    CHECK(sl_text_char_len("\xed\xa0\x80", 3) == 0); /* surrogate D800 */
    CHECK(sl_text_char_len("\xf4\x90\x80\x80", 4) == 0); /* above U+10FFFF */
    CHECK(sl_text_char_len("\xff", 1) == 0);
    CHECK(sl_text_char_len("", 0) == 0);
}

static void test_cut(void)
{
    const char s[] = DING DAN HAO; /* 9 bytes */
    CHECK(sl_text_cut_len(s, 9, 9) == 9);
    CHECK(sl_text_cut_len(s, 9, 8) == 6);
    CHECK(sl_text_cut_len(s, 9, 7) == 6);
    CHECK(sl_text_cut_len(s, 9, 6) == 6);
    CHECK(sl_text_cut_len(s, 9, 2) == 0);
    CHECK(sl_text_cut_len("ab" GRIN, 6, 5) == 2);
    CHECK(sl_text_cut_len("ab\xff\xfe", 4, 3) == 3); /* an invalid byte is its own unit */

    CHECK(sl_text_cut_chars(s, 9, 2) == 6);
    CHECK(sl_text_cut_chars(s, 9, 3) == 9);
    CHECK(sl_text_cut_chars(s, 9, 10) == 9);
    CHECK(sl_text_cut_chars("a" GRIN "b", 6, 2) == 5);
    CHECK(sl_text_cut_chars("\xff\xfe" DING, 5, 2) == 2);
    CHECK(sl_text_cut_chars(s, 9, 0) == 0);

    char buf[64];
    snprintf(buf, sizeof buf, "%s", "x" DING DAN HAO);
    sl_text_cut(buf, 5); /* 'x' + 订 = 4 bytes; 单 would end at 7 */
    CHECK_STR(buf, "x" DING);
    snprintf(buf, sizeof buf, "%s", GRIN GRIN);
    sl_text_cut(buf, 7);
    CHECK_STR(buf, GRIN);
    snprintf(buf, sizeof buf, "%s", "short");
    sl_text_cut(buf, 40);
    CHECK_STR(buf, "short");
}

/* Escapes src (NUL-terminated) into a buffer of cap bytes and returns it. */
static const char *esc(const char *src, size_t cap)
{
    static char out[256];
    sl_text_escape(out, cap, src, strlen(src));
    return out;
}

static void test_escape(void)
{
    CHECK_STR(esc("plain text", 64), "plain text");
    CHECK_STR(esc("a\nb\rc\td", 64), "a\\nb\\rc\\td");
    CHECK_STR(esc("\x1b[31mred\x1b[0m", 64), "\\x1b[31mred\\x1b[0m");
    CHECK_STR(esc("bell\x07 del\x7f", 64), "bell\\x07 del\\x7f");
    CHECK_STR(esc("csi\xc2\x9b" "2J", 64), "csi\\u009b2J"); /* C1 CSI */
    CHECK_STR(esc("\xc2\xa0nbsp", 64), "\xc2\xa0nbsp");     /* U+00A0 is printable */
    CHECK_STR(esc(DING DAN HAO " " GRIN, 64), DING DAN HAO " " GRIN);
    CHECK_STR(esc("bad\xff\xfe end", 64), "bad\\xff\\xfe end");
    CHECK_STR(esc("cut" DING "\xe5\x8d", 64), "cut" DING "\\xe5\\x8d"); /* truncated char */
    CHECK_STR(esc("\xed\xa0\x80", 64), "\\xed\\xa0\\x80");               /* surrogate */
    CHECK_STR(esc("back\\slash \"q\"", 64), "back\\slash \"q\"");        /* kept as is */

    /* A cut never splits a character or an escape. */
    CHECK_STR(esc(DING DAN HAO, 9), DING DAN);   /* 8 bytes + NUL: 单 fits, 号 does not */
    CHECK_STR(esc(DING DAN HAO, 7), DING DAN);
    CHECK_STR(esc(DING DAN HAO, 6), DING);
    CHECK_STR(esc("ab" GRIN, 6), "ab");
    CHECK_STR(esc("ab\n", 4), "ab");             /* "\n" needs 2 more bytes */
    CHECK_STR(esc("ab\x1b", 6), "ab");           /* "\x1b" needs 4 */
    CHECK_STR(esc("anything", 1), "");

    char out[8];
    CHECK(sl_text_escape(out, sizeof out, "a\x00z", 3) == 3); /* NUL inside: "a\x00z" */
    CHECK_STR(out, "a\\x00z");
    CHECK(sl_text_escape(out, sizeof out, DING DAN HAO, 9) == 6); /* consumed: 订单 */
    CHECK_STR(out, DING DAN);
    CHECK(sl_text_escape(out, sizeof out, "ab\n", 3) == 3);
}

static void test_escape_new(void)
{
    char *s = sl_text_escape_new("x\ny" DING, 6, 100);
    CHECK_STR(s, "x\\ny" DING);
    free(s);
    s = sl_text_escape_new(DING DAN HAO, 9, 4);
    CHECK_STR(s, DING);
    free(s);
    s = sl_text_escape_new("\xff\xff", 2, 100); /* worst case: 4 bytes per byte */
    CHECK_STR(s, "\\xff\\xff");
    free(s);
    s = sl_text_escape_new("", 0, 100);
    CHECK_STR(s, "");
    free(s);
}

/* sl_error_set keeps a message as one line of valid UTF-8, cut on a character (issue 9 item 3). */
static void test_error_message(void)
{
    sl_error err = {0};
    sl_error_set(&err, SL_ERR_SOURCE, "refused: %s", "a\x1b[2J\r\nforged \xe5\x8d");
    CHECK_STR(err.msg, "refused: a\\x1b[2J\\r\\nforged \\xe5\\x8d");
    char big[3 * 400 + 1];
    for (size_t i = 0; i < 400; i++)
        memcpy(big + 3 * i, DING, 3);
    big[sizeof big - 1] = '\0';
    sl_error e2 = {0};
    sl_error_set(&e2, SL_ERR_SOURCE, "x%s", big); /* 1 + 1200 bytes into 1023 */
    CHECK(strlen(e2.msg) == 1 + 3 * 340);          /* 1022 bytes: 341 characters */
    CHECK(sl_text_char_len(e2.msg + strlen(e2.msg) - 3, 3) == 3);
}

/* An API's words (json/apiwords.c): JSON compact in the order sent, text on one line, markup
 * and empty bodies not quoted, at most SL_API_WORDS_MAX bytes cut on a character, controls and
 * invalid bytes escaped, a large body never decoded. */
static void test_api_words(void)
{
    char w[SL_API_WORDS_MAX + 1];
    const char *j = "{ \"error\" : \"invalid_client\",\n  \"message\": \"wrong \\u001b secret\" }";
    sl_api_words(j, strlen(j), NULL, NULL, w, sizeof w);
    CHECK_STR(w, "{\"error\":\"invalid_client\",\"message\":\"wrong \\u001B secret\"}");
    const char *t = "  no such\r\n\tmethod \x1b[2J ";
    sl_api_words(t, strlen(t), NULL, NULL, w, sizeof w);
    CHECK_STR(w, "no such method \\x1b[2J");
    sl_api_words(" <html><title>502</title></html>", 32, NULL, NULL, w, sizeof w);
    CHECK_STR(w, "");
    sl_api_words(" \n ", 3, NULL, NULL, w, sizeof w);
    CHECK_STR(w, "");
    sl_api_words("bad \xff byte", 10, NULL, NULL, w, sizeof w);
    CHECK_STR(w, "bad \\xff byte");
    size_t n = 1000;
    char *big = malloc(n);
    for (size_t i = 0; big && i + 3 <= n; i += 3)
        memcpy(big + i, "\xe4\xb8\xad", 3); /* 333 x U+4E2D, one byte short */
    if (big) {
        big[999] = 'x';
        sl_api_words(big, n, NULL, NULL, w, sizeof w);
        CHECK(strlen(w) == 300 && sl_text_cut_len(w, strlen(w), 300) == 300);
        char tiny[8];
        sl_api_words("{\"a\":1}", 7, NULL, NULL, tiny, sizeof tiny);
        CHECK_STR(tiny, "{\"a\":1}");
    }
    free(big);
}

/* The test's mask: every "s3cr3t-0123456789abcdef" becomes "***". */
static void mask_test_secret(void *ctx, char *text, size_t cap)
{
    static const char secret[] = "s3cr3t-0123456789abcdef";
    char *at;
    (void)ctx;
    (void)cap;
    while ((at = strstr(text, secret))) {
        memcpy(at, "***", 3);
        memmove(at + 3, at + sizeof secret - 1, strlen(at + sizeof secret - 1) + 1);
    }
}

/* Secrets are masked before the words are cut: a secret the cut splits (it starts at byte 290
 * of 300) is masked whole, not printed in part; a NUL byte still shows; a text longer than
 * what is looked at loses its last word, which may be the start of a secret. */
static void test_api_words_mask(void)
{
    char w[SL_API_WORDS_MAX + 1], body[2000];
    memset(body, 'a', sizeof body);
    for (size_t i = 9; i < 290; i += 10)
        body[i] = ' ';
    memcpy(body + 290, "s3cr3t-0123456789abcdef tail", 28);
    sl_api_words(body, 318, mask_test_secret, NULL, w, sizeof w);
    CHECK(strstr(w, "s3cr") == NULL);
    CHECK(strlen(w) > 280 && strstr(w, "*** tail") != NULL);
    sl_api_words(body, 318, NULL, NULL, w, sizeof w); /* the control: unmasked, cut inside */
    CHECK(strstr(w, "s3cr3t-012") != NULL);
    char quoted[SL_API_WORDS_MAX + 1];
    sl_api_quote(body, 318, mask_test_secret, NULL, quoted, sizeof quoted);
    CHECK(strstr(quoted, "s3cr") == NULL && strstr(quoted, "*** tail") != NULL);
    sl_api_words("bad \0 s3cr3t-0123456789abcdef byte", 34, mask_test_secret, NULL, w, sizeof w);
    CHECK_STR(w, "bad \\x00 *** byte");
    /* "x " and 49 secrets fill 1,178 of the 1,200 bytes looked at: the 50th is cut after 22
     * bytes, and masking the 49 leaves it within the 300 bytes shown */
    body[0] = 'x';
    for (size_t i = 1; i < sizeof body; i++)
        body[i] = (i - 2) % 24 == 23 || i == 1 ? ' ' : "s3cr3t-0123456789abcdef"[(i - 2) % 24];
    sl_api_words(body, sizeof body, mask_test_secret, NULL, w, sizeof w);
    CHECK(strstr(w, "s3cr") == NULL && strncmp(w, "x *** *** ", 10) == 0);
}

int main(void)
{
    test_error_message();
    test_char_len();
    test_cut();
    test_escape();
    test_escape_new();
    test_api_words();
    test_api_words_mask();
    return check_done();
}
