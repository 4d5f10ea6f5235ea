/* jarena.c: see jarena.h. One block per arena; an allocation is a pointer bump (16-byte
 * aligned); free is a no-op inside the block. Overflow falls back to the previous allocator and
 * is remembered, so the drop walks the tree only then and the block grows for the next reply. */
#include "jarena.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

struct sl_jarena {
    char *block;
    size_t size;
    size_t used;
    size_t max;
    size_t limit;
    size_t spilled;  /* bytes from the previous allocator since the last drop */
    bool overflowed; /* some node of the current tree came from the previous allocator */
    bool over_limit;
};

/* What malloc adds to a block it hands out, counted against the limit. */
#define SPILL_OVERHEAD 16


static json_malloc_t prev_malloc = malloc;
static json_free_t prev_free = free;
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;
static _Thread_local sl_jarena *active; /* allocations go here */
static _Thread_local sl_jarena *owner;  /* frees of this block are no-ops */

static void *hook_malloc(size_t n)
{
    sl_jarena *a = active;
    if (a) {
        size_t need = (n + 15) & ~(size_t)15, left = a->limit - a->used - a->spilled;
        bool in_block = need >= n && a->size - a->used >= need;
        if (need < n || (in_block ? need : need + SPILL_OVERHEAD) > left) {
            a->over_limit = true;
            return NULL;
        }
        if (in_block) {
            void *p = a->block + a->used;
            a->used += need;
            return p;
        }
        a->overflowed = true;
        a->spilled += need + SPILL_OVERHEAD;
    }
    return prev_malloc(n);
}

static void hook_free(void *p)
{
    sl_jarena *a = owner;
    if (a && (uintptr_t)p >= (uintptr_t)a->block &&
        (uintptr_t)p < (uintptr_t)a->block + a->size)
        return;
    prev_free(p);
}

static void install_hooks(void)
{
    json_get_alloc_funcs(&prev_malloc, &prev_free);
    json_set_alloc_funcs(hook_malloc, hook_free);
}

sl_jarena *sl_jarena_new(size_t initial, size_t max, size_t limit)
{
    pthread_once(&hooks_once, install_hooks);
    sl_jarena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    if (initial > limit) /* a block past the limit could never be used */
        initial = limit;
    if (max > limit)
        max = limit;
    a->size = initial;
    a->max = max < initial ? initial : max;
    a->limit = limit;
    a->block = malloc(initial);
    if (!a->block) {
        free(a);
        return NULL;
    }
    return a;
}

void sl_jarena_free(sl_jarena *a)
{
    if (!a)
        return;
    if (owner == a)
        owner = NULL;
    if (active == a)
        active = NULL;
    free(a->block);
    free(a);
}

void sl_jarena_begin(sl_jarena *a)
{
    active = a;
    owner = a;
}

void sl_jarena_end(void)
{
    active = NULL;
}

/* A bigger block for the next reply, when the last one did not fit and the cap allows. */
static void grow(sl_jarena *a)
{
    size_t size = a->size * 2 > a->max ? a->max : a->size * 2;
    if (size <= a->size)
        return;
    char *block = malloc(size);
    if (!block)
        return;
    free(a->block);
    a->block = block;
    a->size = size;
}

void sl_jarena_drop(sl_jarena *a, json_t *doc)
{
    if (a->overflowed) {
        /* Nodes outside the block must be freed; the walk skips the ones inside. */
        sl_jarena *was = owner;
        owner = a;
        json_decref(doc);
        owner = was;
        grow(a);
        a->overflowed = false;
    }
    a->used = 0;
    a->spilled = 0;
    a->over_limit = false;
}

bool sl_jarena_over_limit(const sl_jarena *a)
{
    return a->over_limit;
}
