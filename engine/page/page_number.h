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
    sl_jpath *total;     /* where the body carries the window's total (total_from body) */
    int total_from;      /* sl_page_total_from: body, a header, or none */
    char *total_header;  /* the header carrying it (total_from header), e.g. X-Total-Count */
    bool backward;       /* last page to first (the default; see docs/sync-rules.md) */
    bool check_total;    /* after a window, distinct keys must reach the total (default on) */
    int64_t max_rereads; /* re-reads of a window on shortfall before the run fails (3) */
    bool offsets;        /* page_param carries the offset of the page's first record (the
                          * pager `offset`), not the page's number */
} sl_page_number;

/* The order of a numbered pager's pages, and its names (the option rows and `sluice plan`). */
typedef enum sl_page_order { SL_PAGE_BACKWARD, SL_PAGE_FORWARD } sl_page_order;
extern const char *const sl_page_order_names[];

/* Where a numbered pager reads the window's total, and its names (the option rows). Without a
 * total, pages are read first to last until a short or empty one. */
typedef enum sl_page_total_from { SL_TOTAL_BODY, SL_TOTAL_HEADER, SL_TOTAL_NONE } sl_page_total_from;
extern const char *const sl_page_total_from_names[];

/* The option rows of the total, shared by both numbered pagers' tables (F: their offsetof). */
#define SL_PAGE_TOTAL_ROWS(F)                                                                   \
    {"total", SL_T_JPATH, 0, NULL, 1, 0, F(total), NULL, NULL,                                  \
     "JSON path of the window's total record count in a reply's body"},                         \
    {"total_from", SL_T_ENUM, 0, NULL, 1, 0, F(total_from), sl_page_total_from_names, NULL,     \
     "where the window's total comes from: body (at total; the default when total is given), "  \
     "header (total_header) or none (pages read first to last until a short or empty one; "     \
     "the default when check_total is false and total is not given)"},                          \
    {"total_header", SL_T_STRING, 0, "X-Total-Count", 1, 0, F(total_header), NULL, NULL,        \
     "the reply header carrying the total (total_from: header)"}
/* What `sluice plan` shows of where the total comes from (borrowed). */
const char *sl_page_total_text(const sl_page_number *pg);

/* The runtime of both numbered pagers, page-number and offset (pager.h). */
extern const sl_pager_ops sl_page_number_ops;

/* Frees a numbered pager's config; NULL is fine. */
void sl_page_number_free(void *cfg);
/* Warns (`sluice validate`) when a numbered pager's order or count check cannot give the
 * no-missed-records guarantee, naming why; kind names the pager in the message. */
void sl_page_number_warn(sl_kind_ctx *c, const char *kind, const sl_optval *order,
                         const sl_optval *check_total);
/* The options saying where the total comes from, shared by both numbered pagers. */
typedef struct sl_page_total_opts {
    const sl_optval *total, *from, *header, *order, *check_total;
} sl_page_total_opts;
/* Compiles them into pg (total, total_from, total_header, backward, check_total), reporting
 * what doesn't fit together, then warns as sl_page_number_warn does (or, without a total, that
 * nothing shows a skipped record); kind names the pager in messages. */
void sl_page_number_total(sl_kind_ctx *c, sl_page_number *pg, const char *kind,
                          const sl_page_total_opts *o);

#endif
