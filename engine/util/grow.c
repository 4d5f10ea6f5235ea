/* grow.c: see grow.h. */
#include "grow.h"

#include <stdint.h>
#include <stdlib.h>

void *sl_grow(void *items, size_t *cap, size_t need, size_t size, size_t min_cap)
{
    if (need <= *cap)
        return items;
    size_t n = *cap ? *cap : min_cap;
    while (n < need && n <= SIZE_MAX / 2)
        n *= 2;
    if (n < need || size == 0 || n > SIZE_MAX / size)
        return NULL;
    void *p = realloc(items, n * size);
    if (p)
        *cap = n;
    return p;
}
