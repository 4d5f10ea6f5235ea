/* apiwords.c: see apiwords.h. Secrets are masked in a wide copy of the words before they are
 * cut to size: masking after the cut would miss a secret the cut splits, and print its start. */
#include "apiwords.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

enum {
    API_JSON_MAX = 64 << 10,
    FLAT = 4 * SL_API_WORDS_MAX,  /* bytes of the body looked at (white space runs as one) */
    MASKED = 2 * FLAT,            /* a mask may be longer than a very short secret */
};

static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* flat[0..*n) was cut from a longer text: drops its last word (after the last space or quote),
 * which may be the start of a secret that masking cannot recognise. */
static void drop_cut_word(const char *flat, size_t *n)
{
    size_t k = *n;
    while (k > 0 && flat[k - 1] != ' ' && flat[k - 1] != '"')
        k--;
    if (k > 0)
        *n = k;
}

/* flat[0..n) with its secrets masked into out (room for MASKED + 1 bytes); returns the length.
 * NUL bytes stay where they are: each run between them is masked as its own string. */
static size_t mask_flat(const char *flat, size_t n, sl_words_mask *mask, void *ctx, char *out)
{
    char seg[MASKED + 1];
    size_t w = 0;
    for (size_t at = 0; at <= n && w < MASKED;) {
        size_t len = strnlen(flat + at, n - at);
        memcpy(seg, flat + at, len);
        seg[len] = '\0';
        mask(ctx, seg, sizeof seg);
        size_t m = strnlen(seg, MASKED - w);
        memcpy(out + w, seg, m);
        w += m;
        at += len + 1;
        if (at <= n && w < MASKED)
            out[w++] = '\0'; /* the NUL between two runs */
    }
    return w;
}

/* Copies text[0..len) into flat (FLAT bytes) as sl_api_words shows it when one_line, else as it
 * is, cut on a character; returns the length and in *cut whether text had more. */
static size_t flatten(const char *text, size_t len, bool one_line, char *flat, bool *cut)
{
    size_t n = 0, i = 0;
    bool space = false;
    if (!one_line) {
        n = sl_text_cut_len(text, len, FLAT);
        memcpy(flat, text, n);
        *cut = n < len;
        return n;
    }
    for (; i < len && n < FLAT; i++) {
        if (is_space(text[i])) {
            space = n > 0;
            continue;
        }
        if (space && n + 1 < FLAT)
            flat[n++] = ' ';
        space = false;
        flat[n++] = text[i];
    }
    while (i < len && is_space(text[i]))
        i++;
    *cut = i < len;
    return n;
}

/* text[0..len), flattened, masked and escaped (escape) or cut (not) into out (cap bytes). */
static void words_of(const char *text, size_t len, bool escape, sl_words_mask *mask, void *ctx,
                     char *out, size_t cap)
{
    char flat[FLAT], masked[MASKED + 1];
    bool cut = false;
    size_t n = flatten(text, len, escape, flat, &cut);
    const char *shown = flat;
    if (mask) {
        if (cut)
            drop_cut_word(flat, &n);
        n = mask_flat(flat, n, mask, ctx, masked);
        shown = masked;
    }
    if (escape) {
        sl_text_escape(out, cap, shown, n);
        return;
    }
    n = sl_text_cut_len(shown, n, cap - 1);
    memcpy(out, shown, n);
    out[n] = '\0';
}

void sl_api_words(const char *body, size_t len, sl_words_mask *mask, void *ctx, char *out,
                  size_t cap)
{
    if (cap == 0)
        return;
    if (cap > SL_API_WORDS_MAX + 1)
        cap = SL_API_WORDS_MAX + 1;
    out[0] = '\0';
    size_t lead = 0;
    while (lead < len && is_space(body[lead]))
        lead++;
    if (lead == len || body[lead] == '<')
        return;
    json_t *doc = len <= API_JSON_MAX ? json_loadb(body, len, JSON_DECODE_ANY, NULL) : NULL;
    char *dump = doc ? json_dumps(doc, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(doc);
    if (dump)
        words_of(dump, strlen(dump), true, mask, ctx, out, cap);
    else
        words_of(body, len, true, mask, ctx, out, cap);
    free(dump);
}

void sl_api_quote(const char *text, size_t len, sl_words_mask *mask, void *ctx, char *out,
                  size_t cap)
{
    if (cap > 0)
        words_of(text, len, false, mask, ctx, out, cap);
}
