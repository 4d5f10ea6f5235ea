/* sqlbuf.c: the capped statement buffer (sqlbuf.h). */
#include "sqlbuf.h"

#include <stdlib.h>
#include <string.h>

#include "grow.h"

void sl_sqlbuf_init(sl_sqlbuf *b, size_t max)
{
    *b = (sl_sqlbuf){.max = max};
}

void sl_sqlbuf_free(sl_sqlbuf *b)
{
    free(b->data);
    *b = (sl_sqlbuf){.max = b->max, .shown = b->shown};
}

int sl_sqlbuf_reserve(sl_sqlbuf *b, size_t n)
{
    if (n > b->max || b->len > b->max - n)
        return -1;
    char *p = sl_grow(b->data, &b->cap, b->len + n + 1, 1, 256);
    if (!p)
        return -1;
    b->data = p;
    return 0;
}

int sl_sqlbuf_add(sl_sqlbuf *b, const char *s, size_t n)
{
    if (sl_sqlbuf_reserve(b, n) != 0)
        return -1;
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int sl_sqlbuf_str(sl_sqlbuf *b, const char *s)
{
    return sl_sqlbuf_add(b, s, strlen(s));
}
