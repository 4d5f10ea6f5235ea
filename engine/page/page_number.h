/* page_number.h: the numbered pagers' config and runtime (page_number.c), shared by the pagers
 * `page-number` (page_number.c) and `offset` (offset.c). */
#ifndef SLUICE_PAGE_NUMBER_H
#define SLUICE_PAGE_NUMBER_H

#include <stdbool.h>
#include <stdint.h>

#include "kind.h"
#include "pager.h"
#include "plan.h"

typedef struct sl_page_number {
    char *page_param;    /* e.g. page_no */
    char *size_param;    /* e.g. page_size */
    int64_t first_page;  /* 0 or 1 */
    int64_t size;        /* records per page */
    sl_jpath *total;     /* where the reply carries the window's total */
    bool backward;       /* last page to first (the default; see docs/sync-rules.md) */
    bool check_total;    /* after a window, distinct keys must reach the total (default on) */
    int64_t max_rereads; /* re-reads of a window on shortfall before the run fails (3) */
    bool offsets;        /* page_param carries the offset of the page's first record (the
                          * pager `offset`), not the page's number */
} sl_page_number;

/* The order of a numbered pager's pages, and its names (the option rows and `sluice plan`). */
typedef enum sl_page_order { SL_PAGE_BACKWARD, SL_PAGE_FORWARD } sl_page_order;
extern const char *const sl_page_order_names[];

/* The runtime of both numbered pagers, page-number and offset (pager.h). */
extern const sl_pager_ops sl_page_number_ops;

/* Frees a numbered pager's config; NULL is fine. */
void sl_page_number_free(void *cfg);
/* Warns (`sluice validate`) when a numbered pager's order or count check cannot give the
 * no-missed-records guarantee, naming why; kind names the pager in the message. */
void sl_page_number_warn(sl_kind_ctx *c, const char *kind, const sl_optval *order,
                         const sl_optval *check_total);

#endif
