/* apiwords.c: see apiwords.h. */
#include "apiwords.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

enum { API_JSON_MAX = 64 << 10 };

static bool is_space(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Copies body[0..len) to out (cap bytes) on one line, every run of white space as one space,
 * leading and trailing space dropped; invalid bytes and controls escaped by sl_text_escape. */
static void one_line(const char *body, size_t len, char *out, size_t cap)
{
    char flat[4 * SL_API_WORDS_MAX];
    size_t n = 0;
    bool space = false;
    for (size_t i = 0; i < len && n < sizeof flat; i++) {
        if (is_space(body[i])) {
            space = n > 0;
            continue;
        }
        if (space && n + 1 < sizeof flat)
            flat[n++] = ' ';
        space = false;
        flat[n++] = body[i];
    }
    sl_text_escape(out, cap, flat, n);
}

void sl_api_words(const char *body, size_t len, char *out, size_t cap)
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
        one_line(dump, strlen(dump), out, cap);
    else
        one_line(body, len, out, cap);
    free(dump);
}
