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
    bool overflowed; /* some node of the current tree came from the previous allocator */
};

static json_malloc_t prev_malloc = malloc;
static json_free_t prev_free = free;
static pthread_once_t hooks_once = PTHREAD_ONCE_INIT;
static _Thread_local sl_jarena *active; /* allocations go here */
static _Thread_local sl_jarena *owner;  /* frees of this block are no-ops */

static void *hook_malloc(size_t n)
{
    sl_jarena *a = active;
    if (a) {
        size_t need = (n + 15) & ~(size_t)15;
        if (need >= n && a->size - a->used >= need) {
            void *p = a->block + a->used;
            a->used += need;
            return p;
        }
        a->overflowed = true;
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

sl_jarena *sl_jarena_new(size_t initial, size_t max)
{
    pthread_once(&hooks_once, install_hooks);
    sl_jarena *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    a->size = initial;
    a->max = max < initial ? initial : max;
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
}
