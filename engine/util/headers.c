/* headers.c: see headers.h. */
#include "headers.h"

#include <string.h>
#include <strings.h>

void sl_headers_clear(sl_headers *h)
{
    h->n = h->used = h->dropped = 0;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Copies s (len bytes) and a NUL into buf; its offset, or -1 when it does not fit. */
static long keep(sl_headers *h, const char *s, size_t len)
{
    if (len + 1 > sizeof h->buf - h->used)
        return -1;
    long at = (long)h->used;
    memcpy(h->buf + h->used, s, len);
    h->buf[h->used + len] = '\0';
    h->used += len + 1;
    return at;
}

void sl_headers_add_line(sl_headers *h, const char *line, size_t len)
{
    if (len >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        sl_headers_clear(h);
        return;
    }
    const char *colon = memchr(line, ':', len);
    if (!colon || colon == line)
        return;
    size_t nlen = (size_t)(colon - line);
    const char *v = colon + 1, *end = line + len;
    while (v < end && blank(*v))
        v++;
    while (end > v && blank(end[-1]))
        end--;
    size_t mark = h->used;
    long name = h->n < SL_HEADERS_MAX ? keep(h, line, nlen) : -1;
    long value = name >= 0 ? keep(h, v, (size_t)(end - v)) : -1;
    if (value < 0) {
        h->used = mark; /* a name without its value is no header */
        h->dropped++;
        return;
    }
    h->at[h->n].name = (unsigned)name;
    h->at[h->n].value = (unsigned)value;
    h->n++;
}

const char *sl_headers_next(const sl_headers *h, const char *name, size_t *i)
{
    for (; h && *i < h->n; ++*i)
        if (strcasecmp(h->buf + h->at[*i].name, name) == 0)
            return h->buf + h->at[(*i)++].value;
    return NULL;
}

const char *sl_headers_get(const sl_headers *h, const char *name)
{
    size_t i = 0;
    return sl_headers_next(h, name, &i);
}
