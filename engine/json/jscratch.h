/* jscratch.h: scratch buffers for the reply decoder (jscan.c, jscan_note.c). Private to
 * engine/json. */
#ifndef SLUICE_JSCRATCH_H
#define SLUICE_JSCRATCH_H

#include <stddef.h>

#include <jansson.h>

/* Scratch memory comes from jansson's allocator like the tree's, so a jarena's limit covers
 * everything one decode takes. */
static inline void *scratch_alloc(size_t n)
{
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    return m(n);
}

static inline void scratch_free(void *p)
{
    json_malloc_t m;
    json_free_t f;
    json_get_alloc_funcs(&m, &f);
    f(p);
}

#endif
