/* totals.h: the API's total per window, as `sluice verify` collects them from sl_run (its
 * on_total callback) before comparing them with the table. A window that cannot be kept is
 * counted, never dropped silently: verify must not miss a gap because memory ran out. */
#ifndef SLUICE_TOTALS_H
#define SLUICE_TOTALS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

typedef struct sl_total {
    int64_t from, to, total;
} sl_total;

typedef struct sl_totals {
    sl_total *items; /* owned; free with sl_totals_free */
    size_t n, cap;
    size_t lost; /* windows that could not be kept (out of memory) */
} sl_totals;

/* sl_run_opts.on_total: appends the window to the sl_totals at ctx, or counts it as lost. */
void sl_totals_add(int64_t from, int64_t to, int64_t total, void *ctx);
/* SL_OK when every window was kept, else SL_ERR_INTERNAL described in err. */
sl_status sl_totals_check(const sl_totals *t, sl_error *err);
/* Frees the items; t itself is the caller's. */
void sl_totals_free(sl_totals *t);

#endif
