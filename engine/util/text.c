/* text.c: UTF-8 aware cutting and control-character escaping (see text.h). Written for the
 * log-forging and mid-character-cut bugs of issue 9: one place decides what a character is. */
#include "text.h"

#include <stdint.h>
#include <stdlib.h>

/* Bounds of the second byte after lead byte b (RFC 3629 table 3-7); first = 0 if b can't lead. */
static void second_byte_range(unsigned char b, unsigned char *first, unsigned char *last)
{
    *first = 0x80;
    *last = 0xBF;
    if (b == 0xE0)
        *first = 0xA0; /* no overlong 3-byte forms */
    else if (b == 0xED)
        *last = 0x9F; /* no surrogates */
    else if (b == 0xF0)
        *first = 0x90; /* no overlong 4-byte forms */
    else if (b == 0xF4)
        *last = 0x8F; /* nothing above U+10FFFF */
    else if (b < 0xC2 || b > 0xF4)
        *first = 0;
}

size_t sl_text_char_len(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len == 0)
        return 0;
    if (p[0] < 0x80)
        return 1;
    unsigned char lo, hi;
    second_byte_range(p[0], &lo, &hi);
    if (lo == 0)
        return 0;
    size_t n = p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
    if (len < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

size_t sl_text_cut_len(const char *s, size_t len, size_t max)
{
    size_t at = 0;
    while (at < len) {
        size_t n = sl_text_char_len(s + at, len - at);
        if (n == 0)
            n = 1;
        if (at + n > max)
            break;
        at += n;
    }
    return at;
}

size_t sl_text_cut_chars(const char *s, size_t len, size_t max)
{
    size_t at = 0;
    for (size_t chars = 0; at < len && chars < max; chars++) {
        size_t n = sl_text_char_len(s + at, len - at);
        at += n ? n : 1;
    }
    return at;
}

void sl_text_cut(char *s, size_t max)
{
    size_t len = 0; /* no strlen: s may be long and max small; a character is at most 4 bytes */
    while (s[len] && (len <= max || len - max < 4))
        len++;
    if (len > max)
        s[sl_text_cut_len(s, len, max)] = '\0';
}

/* The escape for byte c (a C0 control, DEL or an invalid byte) into out[5]; returns its length. */
static size_t byte_escape(unsigned char c, char *out)
{
    static const char hex[] = "0123456789abcdef";
    out[0] = '\\';
    if (c == '\n' || c == '\r' || c == '\t') {
        out[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        return 2;
    }
    out[1] = 'x';
    out[2] = hex[c >> 4];
    out[3] = hex[c & 15];
    return 4;
}

/* The text to write for the character of n bytes at p (n = 0: one invalid byte) into out[7]. */
static size_t char_out(const unsigned char *p, size_t n, char *out)
{
    if (n == 0 || (n == 1 && (p[0] < 0x20 || p[0] == 0x7F)))
        return byte_escape(p[0], out);
    if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0) { /* C1 control: a terminal may obey it */
        static const char hex[] = "0123456789abcdef";
        out[0] = '\\';
        out[1] = 'u';
        out[2] = '0';
        out[3] = '0';
        out[4] = hex[p[1] >> 4];
        out[5] = hex[p[1] & 15];
        return 6;
    }
    for (size_t i = 0; i < n; i++)
        out[i] = (char)p[i];
    return n;
}

size_t sl_text_escape(char *dst, size_t cap, const char *src, size_t len)
{
    const unsigned char *p = (const unsigned char *)src;
    size_t at = 0, w = 0;
    while (at < len) {
        size_t n = sl_text_char_len(src + at, len - at);
        char piece[8];
        size_t k = char_out(p + at, n, piece);
        if (w + k + 1 > cap)
            break;
        for (size_t i = 0; i < k; i++)
            dst[w++] = piece[i];
        at += n ? n : 1;
    }
    dst[w] = '\0';
    return at;
}

char *sl_text_escape_new(const char *src, size_t len, size_t max)
{
    /* An input byte becomes at most 4 output bytes (\xHH); a C1 control's 2 become 6. */
    size_t need = len <= (SIZE_MAX - 1) / 4 ? len * 4 : SIZE_MAX - 1;
    size_t cap = (need < max ? need : max) + 1;
    char *dst = malloc(cap);
    if (dst)
        sl_text_escape(dst, cap, src, len);
    return dst;
}
