/* page_number.c: the page-number pager (docs/sync-rules.md rules 3 to 6). The first request
 * (the probe) reads page first_page and the window's total; then the pages the total spans are
 * read from the last to the first (backward, the default) or from the first on, one more when
 * the last is full; a page holding more than its total leaves for it, or a window whose distinct
 * records fall short of the total, is read again up to max_rereads times. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>

#include "jpath.h"
#include "kind.h"
#include "page_number.h"
#include "pager.h"
#include "text.h"

typedef struct pn_state {
    bool probed;     /* the probe has answered: pages first..last are being read */
    int64_t page;    /* next page to ask for */
    int64_t last;    /* last page of the window (from the probe's total) */
    int64_t total;   /* the total of the latest reply */
    int64_t rereads; /* kept across re-reads */
} pn_state;

static void pn_start(const void *cfg, void *st)
{
    const sl_page_number *pg = cfg;
    pn_state *s = st;
    s->probed = false;
    s->page = pg->first_page;
}

static bool pn_ask(const void *cfg, const void *st, sl_page_ask *ask)
{
    const sl_page_number *pg = cfg;
    const pn_state *s = st;
    ask->label = s->page;
    ask->req->page_param = pg->page_param;
    ask->req->size_param = pg->size_param;
    ask->req->page_no = pg->offsets ? (s->page - pg->first_page) * pg->size : s->page;
    ask->req->page_size = pg->size;
    return true;
}

static int64_t json_int(const json_t *v, bool *ok)
{
    *ok = true;
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_string(v)) {
        char *end;
        errno = 0;
        long long x = strtoll(json_string_value(v), &end, 10);
        if (!errno && end != json_string_value(v) && !*end)
            return x;
    }
    *ok = false;
    return 0;
}

/* A missing total (v NULL) or one that is no count, quoted. */
static void total_refused(const sl_page_number *pg, const json_t *v, sl_page_note *note)
{
    const char *path = sl_jpath_text(pg->total);
    if (!v || json_is_null(v)) {
        snprintf(note->text, sizeof note->text, "the reply has no total at %s", path);
        return;
    }
    char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    if (text)
        sl_text_cut(text, 48); /* the error escapes what is left */
    snprintf(note->text, sizeof note->text, "the reply's total at %s is not a count of records: %s",
             path, text ? text : "(a value)");
    free(text);
}

/* The total from the header total_header: a count of records, or refused with the note. */
static bool header_total(const sl_page_number *pg, const sl_page_reply *rp, int64_t *total,
                         sl_page_note *note)
{
    const char *v = sl_headers_get(rp->headers, pg->total_header);
    char *end = NULL;
    errno = 0;
    long long x = v ? strtoll(v, &end, 10) : -1;
    if (v && !errno && end != v && !*end && x >= 0) {
        *total = x;
        return true;
    }
    if (!v)
        snprintf(note->text, sizeof note->text, "the reply has no %s header (the window's total)",
                 pg->total_header);
    else
        snprintf(note->text, sizeof note->text,
                 "the reply's %s header is not a count of records: %.48s", pg->total_header, v);
    return false;
}

static bool pn_total(const void *cfg, const sl_page_reply *rp, int64_t *total, sl_page_note *note)
{
    const sl_page_number *pg = cfg;
    bool ok;
    *total = -1;
    if (pg->total_from == SL_TOTAL_NONE)
        return true;
    if (pg->total_from == SL_TOTAL_HEADER)
        return header_total(pg, rp, total, note);
    const json_t *v = sl_jpath_get(pg->total, rp->doc);
    *total = json_int(v, &ok);
    if (ok && *total >= 0)
        return true;
    total_refused(pg, v, note);
    return false;
}

/* Re-reads the window while max_rereads allows: the log says "<logged>, reading it again",
 * the error "<reason> after N re-reads; ...". */
static sl_page_act reread(const sl_page_number *pg, pn_state *s, const char *reason,
                          const char *logged, sl_page_note *note)
{
    if (s->rereads >= pg->max_rereads) {
        snprintf(note->text, sizeof note->text,
                 "%s after %" PRId64 " re-reads; the watermark stays before it", reason,
                 s->rereads);
        return SL_PAGE_FAIL;
    }
    s->rereads++;
    snprintf(note->text, sizeof note->text, "%s, reading it again", logged);
    return SL_PAGE_REREAD;
}

/* Pages to read after a probe answering total: every page the total spans (at least the first)
 * and, when the last of them is full, the one after it, which must be empty: a total too low
 * by whole pages shows only there. */
static int64_t pages_to_read(int64_t total, int64_t size)
{
    int64_t pages = total / size + (total % size != 0); /* no total + size - 1: it may overflow */
    if (pages == 0)
        return 1;
    return total % size == 0 && pages < INT64_MAX ? pages + 1 : pages;
}

/* A page holding more records than its own total leaves for it: the total is too low, and the
 * records past it would be skipped. Returns true when the page is refused (note set). */
static bool over_total(const sl_page_number *pg, pn_state *s, size_t n, int64_t total,
                       sl_page_act *act, sl_page_note *note)
{
    int64_t page = s->page;
    int64_t index = page - pg->first_page;
    int64_t room = index <= total / pg->size ? total - index * pg->size : 0;
    room = room > pg->size ? pg->size : room;
    if ((int64_t)n <= room)
        return false;
    char what[200], reason[204];
    snprintf(what, sizeof what,
             "page %" PRId64 " holds %zu records, more than the total %" PRId64
             " leaves for it (%" PRId64 ")",
             page, n, total, room);
    snprintf(reason, sizeof reason, "%s,", what);
    *act = reread(pg, s, reason, what, note);
    return true;
}

/* The probe's reply: split a window over max_records, else plan the pages to read. */
static sl_page_act probed(const sl_page_number *pg, pn_state *s, const sl_page_reply *rp,
                          int64_t total, sl_page_note *note)
{
    if (total > rp->max_records) {
        snprintf(note->text, sizeof note->text, "%" PRId64 " records, max_records is %" PRId64,
                 total, rp->max_records);
        return SL_PAGE_SPLIT;
    }
    int64_t reads = pages_to_read(total, pg->size);
    s->last = pg->first_page + reads - 1;
    s->probed = true;
    if (reads > 1 && pg->backward) {
        s->page = s->last; /* the probe's records are read again as the last request */
        return SL_PAGE_SKIP;
    }
    /* The probe is the first page: keep its records; one page means done. */
    s->page = pg->first_page + 1;
    return reads <= 1 ? SL_PAGE_LAST : SL_PAGE_TAKE;
}

/* Without a total: pages first to last, the window read when a page comes short or empty. A
 * window whose pages would pass max_records is split (an API ignoring the page parameter
 * would otherwise be read forever). */
static sl_page_act untotalled(const sl_page_number *pg, pn_state *s, const sl_page_reply *rp,
                              sl_page_note *note)
{
    int64_t read = (s->page - pg->first_page) * pg->size + (int64_t)rp->n;
    if (read > rp->max_records) {
        snprintf(note->text, sizeof note->text,
                 "%" PRId64 " records and more, max_records is %" PRId64, read, rp->max_records);
        return SL_PAGE_SPLIT;
    }
    if ((int64_t)rp->n < pg->size)
        return SL_PAGE_LAST;
    s->page++;
    return SL_PAGE_TAKE;
}

static sl_page_act pn_step(const void *cfg, void *st, const sl_page_reply *rp, int64_t total,
                           sl_page_note *note)
{
    const sl_page_number *pg = cfg;
    pn_state *s = st;
    sl_page_act act;
    s->total = total;
    if (pg->total_from == SL_TOTAL_NONE)
        return untotalled(pg, s, rp, note);
    if (over_total(pg, s, rp->n, total, &act, note))
        return act;
    if (!s->probed)
        return probed(pg, s, rp, total, note);
    s->page += pg->backward ? -1 : 1;
    bool finished = pg->backward ? s->page < pg->first_page : s->page > s->last;
    return finished ? SL_PAGE_LAST : SL_PAGE_TAKE;
}

/* After the last page: every record still in the window must have arrived. */
static sl_page_act pn_complete(const void *cfg, void *st, size_t distinct, sl_page_note *note)
{
    const sl_page_number *pg = cfg;
    pn_state *s = st;
    if (!pg->check_total || pg->total_from == SL_TOTAL_NONE || (int64_t)distinct >= s->total)
        return SL_PAGE_DONE;
    char reason[120], logged[120];
    snprintf(reason, sizeof reason, "received %zu distinct records of %" PRId64, distinct,
             s->total);
    snprintf(logged, sizeof logged, "%zu distinct records of %" PRId64, distinct, s->total);
    return reread(pg, s, reason, logged, note);
}

/* ---- the kind ---- */

const char *const sl_page_order_names[] = {[SL_PAGE_BACKWARD] = "backward",
                                            [SL_PAGE_FORWARD] = "forward", NULL};
const char *const sl_page_total_from_names[] = {
    [SL_TOTAL_BODY] = "body", [SL_TOTAL_HEADER] = "header", [SL_TOTAL_NONE] = "none", NULL};

typedef struct pn_opts {
    sl_optval page_param, size_param, first_page, size, total, total_from, total_header, order,
        check_total, max_rereads;
} pn_opts;

#define F(field) offsetof(pn_opts, field)
static const sl_opt rows[] = {
    {"page_param", SL_T_STRING, SL_OF_REQUIRED, NULL, 1, 0, F(page_param), NULL, NULL,
     "request parameter carrying the page number"},
    {"size_param", SL_T_STRING, SL_OF_REQUIRED, NULL, 1, 0, F(size_param), NULL, NULL,
     "request parameter carrying the page size"},
    {"first_page", SL_T_INT, 0, "0", 0, 1, F(first_page), NULL, NULL, "number of the first page"},
    {"size", SL_T_INT, 0, "50", 1, 10000, F(size), NULL, NULL, "records per page"},
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

static const sl_opt_table table = {"paging", "page-number", rows, sizeof rows / sizeof rows[0]};

void sl_page_number_warn(sl_kind_ctx *c, const char *kind, const sl_optval *order,
                         const sl_optval *check_total)
{
    if (order->i == SL_PAGE_FORWARD)
        sl_kind_warning(c, order,
                        "paging '%s' with order: forward cannot promise no missed records: a "
                        "record that leaves the window while it is paged moves later records "
                        "onto pages already read (docs/sync-rules.md)",
                        kind);
    if (!check_total->i)
        sl_kind_warning(c, check_total,
                        "paging '%s' without check_total cannot promise no missed records: a "
                        "window that comes up short of its total is not read again "
                        "(docs/sync-rules.md)",
                        kind);
}

/* Where the total comes from when total_from is not written: the body when total is given,
 * none when the count check is off; -1 (an error) when neither says. */
static int total_from_default(const sl_page_total_opts *o)
{
    if (o->from->set)
        return (int)o->from->i;
    if (o->total->set)
        return SL_TOTAL_BODY;
    return o->check_total->i ? -1 : SL_TOTAL_NONE;
}

void sl_page_number_total(sl_kind_ctx *c, sl_page_number *pg, const char *kind,
                          const sl_page_total_opts *o)
{
    int from = total_from_default(o);
    pg->total_from = from < 0 ? SL_TOTAL_BODY : from;
    pg->check_total = o->check_total->i != 0;
    pg->backward = o->order->i == SL_PAGE_BACKWARD;
    if (from < 0)
        sl_kind_error(c, o->total,
                      "paging '%s' needs a total: give total (its JSON path in the body), or "
                      "total_from: header or none (none reads pages until a short one)",
                      kind);
    else if (from == SL_TOTAL_BODY && !o->total->set)
        sl_kind_error(c, o->from, "total_from: body needs total (its JSON path in the body)");
    else if (from != SL_TOTAL_BODY && o->total->set)
        sl_kind_error(c, o->total, "total is read from the body only; total_from is %s",
                      sl_page_total_from_names[from]);
    pg->total = sl_kind_jpath(c, o->total, "total");
    sl_kind_reply_path(c, pg->total);
    sl_kind_text(c, o->header, &pg->total_header);
    if (from != SL_TOTAL_NONE) {
        sl_page_number_warn(c, kind, o->order, o->check_total);
        return;
    }
    if (o->order->node && pg->backward) {
        sl_kind_error(c, o->order, "order: backward needs a total (the last page's number); "
                                   "without one, pages are read forward");
        return;
    }
    pg->backward = false;
    sl_kind_warning(c, o->from->set ? o->from : o->check_total,
                    "paging '%s' without a total cannot promise no missed records: pages are "
                    "read first to last, and a record that leaves the window while it is paged "
                    "moves a later one onto a page already read, which nothing shows "
                    "(docs/sync-rules.md)",
                    kind);
}

const char *sl_page_total_text(const sl_page_number *pg)
{
    switch (pg->total_from) {
    case SL_TOTAL_HEADER: return pg->total_header ? pg->total_header : "?";
    case SL_TOTAL_NONE: return "none (until a short page)";
    default: return pg->total ? sl_jpath_text(pg->total) : "?";
    }
}

static void *compile(sl_kind_ctx *c, const void *opts)
{
    const pn_opts *o = opts;
    sl_page_number *pg = calloc(1, sizeof *pg);
    if (!pg)
        return NULL;
    sl_kind_text(c, &o->page_param, &pg->page_param);
    sl_kind_text(c, &o->size_param, &pg->size_param);
    pg->first_page = o->first_page.i;
    pg->size = o->size.i;
    pg->max_rereads = o->max_rereads.i;
    sl_page_total_opts t = {&o->total, &o->total_from, &o->total_header, &o->order,
                            &o->check_total};
    sl_page_number_total(c, pg, "page-number", &t);
    return pg;
}

static void dump(const void *cfg, const sl_plan *plan, FILE *out)
{
    const sl_page_number *p = cfg;
    char page[1200], size[1200];
    fprintf(out, "  paging: %s (first %" PRId64 "), %s %" PRId64 ", total %s %s, %s\n",
            sl_plan_shown(plan, &p->page_param, page, sizeof page), p->first_page,
            sl_plan_shown(plan, &p->size_param, size, sizeof size), p->size,
            p->total_from == SL_TOTAL_BODY ? "at" : "from", sl_page_total_text(p),
            sl_page_order_names[!p->backward]);
}

void sl_page_number_free(void *cfg)
{
    sl_page_number *p = cfg;
    if (!p)
        return;
    free(p->page_param);
    free(p->size_param);
    sl_jpath_free(p->total);
    free(p->total_header);
    free(p);
}

const sl_pager_ops sl_page_number_ops = {
    .state_size = sizeof(pn_state),
    .start = pn_start,
    .ask = pn_ask,
    .total = pn_total,
    .step = pn_step,
    .complete = pn_complete,
};

const sl_kind sl_kind_pager_page_number = {
    .family = "paging",
    .name = "page-number",
    .doc = "Page numbers with the window's total in the body: the probe reads the total, then "
           "the pages from the last to the first, the distinct records counted against the "
           "total (docs/sync-rules.md, rules 3 to 6).",
    .opts = &table,
    .opts_size = sizeof(pn_opts),
    .compile = compile,
    .dump = dump,
    .free = sl_page_number_free,
    .ops = &sl_page_number_ops,
};
