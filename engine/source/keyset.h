/* keyset.h: the distinct records received in one window, as a set of 64-bit hashes of their
 * parent key values: what a pager's count check compares with the API's total. */
#ifndef SLUICE_KEYSET_H
#define SLUICE_KEYSET_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "plan.h"

typedef struct sl_keyset {
    uint64_t *slots; /* 0 = empty */
    size_t cap;      /* power of two */
    size_t n;        /* distinct hashes held */
} sl_keyset;

/* Adds the keys of every record of a page (the parent key columns' values; a record without
 * a key counts by its whole content); returns 0, or -1 when out of memory. */
int sl_keyset_add_page(sl_keyset *ks, const sl_plan *plan, const json_t *records);
/* Empties the set, keeping its memory. */
void sl_keyset_clear(sl_keyset *ks);
/* Frees the set's memory and zeroes it. */
void sl_keyset_free(sl_keyset *ks);

#endif
