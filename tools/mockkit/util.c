/* util.c: growable buffers, aborting allocation, clocks and the PRNG of the fixture APIs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mockkit.h"

void *mock_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("mock: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *mock_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fputs("mock: out of memory\n", stderr);
        abort();
    }
    return p;
}

void mock_buf_add(mock_buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 1024;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            fputs("mock: out of memory\n", stderr);
            abort();
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void mock_buf_str(mock_buf *b, const char *s)
{
    mock_buf_add(b, s, strlen(s));
}

void mock_buf_fmt(mock_buf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof tmp) {
        mock_buf_add(b, tmp, (size_t)n);
        return;
    }
    char *big = mock_xmalloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    mock_buf_add(b, big, (size_t)n);
    free(big);
}

void mock_buf_json_str(mock_buf *b, const char *s)
{
    json_t *j = json_string(s);
    char *t = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
    mock_buf_str(b, t ? t : "\"\"");
    free(t);
    json_decref(j);
}

void mock_buf_json(mock_buf *b, const json_t *v, size_t flags)
{
    char *t = json_dumps(v, JSON_COMPACT | flags);
    if (!t) {
        fputs("mock: out of memory\n", stderr);
        abort();
    }
    mock_buf_str(b, t);
    free(t);
}

char *mock_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(mock_xmalloc(n), s, n);
}

int64_t mock_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void mock_sleep_ms(int64_t ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)(ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) != 0)
        ;
}

uint64_t mock_rng_next(mock_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int64_t mock_rng_range(mock_rng *r, int64_t lo, int64_t hi)
{
    if (hi <= lo)
        return lo;
    return lo + (int64_t)(mock_rng_next(r) % (uint64_t)(hi - lo + 1));
}

double mock_rng_unit(mock_rng *r)
{
    return (double)(mock_rng_next(r) >> 11) / 9007199254740992.0;
}
