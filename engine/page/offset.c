/* offset.c: the pager `offset`: offset and limit parameters with the window's total in the
 * body. It pages as `page-number` does (the same runtime, page_number.c): the probe at offset 0
 * reads the total, then the pages from the last offset to 0, a page holding more than its total
 * leaves for it or a window short of its total read again; only the request differs, carrying
 * the offset of the page's first record instead of its number. */
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>

#include "jpath.h"
#include "kind.h"
#include "page_number.h"

typedef struct offset_opts {
    sl_optval offset_param, limit_param, limit, total, total_from, total_header, order,
        check_total, max_rereads;
} offset_opts;

#define F(field) offsetof(offset_opts, field)
static const sl_opt rows[] = {
    {"offset_param", SL_T_STRING, SL_OF_REQUIRED, NULL, 1, 0, F(offset_param), NULL, NULL,
     "request parameter carrying the offset of the page's first record (0 for the first)"},
    {"limit_param", SL_T_STRING, SL_OF_REQUIRED, NULL, 1, 0, F(limit_param), NULL, NULL,
     "request parameter carrying the page size"},
    {"limit", SL_T_INT, 0, "50", 1, 10000, F(limit), NULL, NULL, "records per page"},
    SL_PAGE_TOTAL_ROWS(F),
    {"order", SL_T_ENUM, 0, "backward", 1, 0, F(order), sl_page_order_names, NULL,
     "backward (last page first: a record moving during paging is re-read, never missed; "
     "needs a total) or forward (the default without a total)"},
    {"check_total", SL_T_BOOL, 0, "true", 1, 0, F(check_total), NULL, NULL,
     "after a window, the distinct keys received must reach the API's total, else the window "
     "is read again"},
    {"max_rereads", SL_T_INT, 0, "3", 0, 100, F(max_rereads), NULL, NULL,
     "re-reads of a window that came up short before the run fails"},
};
#undef F

static const sl_opt_table table = {"paging", "offset", rows, sizeof rows / sizeof rows[0]};

static void *compile(sl_kind_ctx *c, const void *opts)
{
    const offset_opts *o = opts;
    sl_page_number *pg = calloc(1, sizeof *pg);
    if (!pg)
        return NULL;
    sl_kind_text(c, &o->offset_param, &pg->page_param);
    sl_kind_text(c, &o->limit_param, &pg->size_param);
    pg->offsets = true;
    pg->size = o->limit.i;
    pg->max_rereads = o->max_rereads.i;
    sl_page_total_opts t = {&o->total, &o->total_from, &o->total_header, &o->order,
                            &o->check_total};
    sl_page_number_total(c, pg, "offset", &t);
    return pg;
}

static void dump(const void *cfg, const sl_plan *plan, FILE *out)
{
    const sl_page_number *p = cfg;
    char off[1200], lim[1200];
    fprintf(out, "  paging: offset %s, limit %s %" PRId64 ", total %s %s, %s\n",
            sl_plan_shown(plan, &p->page_param, off, sizeof off),
            sl_plan_shown(plan, &p->size_param, lim, sizeof lim), p->size,
            p->total_from == SL_TOTAL_BODY ? "at" : "from", sl_page_total_text(p),
            sl_page_order_names[!p->backward]);
}

const sl_kind sl_kind_pager_offset = {
    .family = "paging",
    .name = "offset",
    .doc = "Offset and limit with the window's total in the body: paged as page-number is (last "
           "page first, the distinct records counted against the total), asking by the offset "
           "of each page's first record.",
    .opts = &table,
    .opts_size = sizeof(offset_opts),
    .compile = compile,
    .dump = dump,
    .free = sl_page_number_free,
    .ops = &sl_page_number_ops,
};
