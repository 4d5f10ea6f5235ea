/* totals.c: see totals.h. */
#include "totals.h"

#include <stdlib.h>

#include "grow.h"

void sl_totals_add(int64_t from, int64_t to, int64_t total, void *ctx)
{
    sl_totals *t = ctx;
    sl_total *items = sl_grow(t->items, &t->cap, t->n + 1, sizeof *items, 64);
    if (!items) {
        t->lost++;
        return;
    }
    t->items = items;
    t->items[t->n++] = (sl_total){from, to, total};
}

sl_status sl_totals_check(const sl_totals *t, sl_error *err)
{
    if (!t->lost)
        return SL_OK;
    return sl_error_set(err, SL_ERR_INTERNAL,
                        "out of memory: the totals of %zu of %zu windows could not be kept, "
                        "so verify cannot tell whether they have gaps",
                        t->lost, t->n + t->lost);
}

void sl_totals_free(sl_totals *t)
{
    free(t->items);
    t->items = NULL;
    t->n = t->cap = 0;
}
