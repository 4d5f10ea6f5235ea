/* jarena.h: a bump arena for the JSON tree of one API reply. jansson's allocation hooks are
 * process-wide, so the hooks route only the allocations a thread makes between
 * sl_jarena_begin and sl_jarena_end into that thread's arena; every other allocation (other
 * threads, other jansson calls) goes to the functions installed before. The whole tree is
 * dropped at once by sl_jarena_drop, without walking it. */
#ifndef SLUICE_JARENA_H
#define SLUICE_JARENA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct sl_jarena sl_jarena;

/* A new arena whose block starts at `initial` bytes and grows (doubling, on the next drop)
 * up to `max` bytes after a reply that did not fit; what does not fit comes from the previous
 * allocator meanwhile. Between a begin and the next drop, at most `limit` bytes are handed out
 * (block and spill together, freed ones included): past it allocations fail, so one hostile
 * reply cannot take more memory than that. Installs the hooks the first time. NULL on out of
 * memory. */
sl_jarena *sl_jarena_new(size_t initial, size_t max, size_t limit);
/* True when an allocation failed because of the limit since the last drop. */
bool sl_jarena_over_limit(const sl_jarena *a);
/* Frees the arena; nothing allocated from it may be used afterwards. NULL is a no-op. */
void sl_jarena_free(sl_jarena *a);
/* jansson allocations of the calling thread come from `a` until sl_jarena_end. */
void sl_jarena_begin(sl_jarena *a);
void sl_jarena_end(void);
/* Releases doc (decoded between begin and end; may be NULL) and everything else allocated from
 * the arena, which must all be dead. Call on the thread that decoded doc. */
void sl_jarena_drop(sl_jarena *a, json_t *doc);

#endif
