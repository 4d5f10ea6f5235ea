/* page_number.c: the page-number pager (docs/sync-rules.md rules 3 to 6). The first request
 * (the probe) reads page first_page and the window's total; then the pages the total spans are
 * read from the last to the first (backward, the default) or from the first on, one more when
 * the last is full; a page holding more than its total leaves for it, or a window whose distinct
 * records fall short of the total, is read again up to max_rereads times. */
#include "page_number.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "jpath.h"
#include "plan.h"
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
    const sl_paging_plan *pg = cfg;
    pn_state *s = st;
    s->probed = false;
    s->page = pg->first_page;
}

static bool pn_ask(const void *cfg, const void *st, sl_page_ask *ask)
{
    const sl_paging_plan *pg = cfg;
    const pn_state *s = st;
    ask->label = s->page;
    ask->req->page_param = pg->page_param;
    ask->req->size_param = pg->size_param;
    ask->req->page_no = s->page;
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
static void total_refused(const sl_paging_plan *pg, const json_t *v, sl_page_note *note)
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

static bool pn_total(const void *cfg, const sl_page_reply *rp, int64_t *total, sl_page_note *note)
{
    const sl_paging_plan *pg = cfg;
    bool ok;
    const json_t *v = sl_jpath_get(pg->total, rp->doc);
    *total = json_int(v, &ok);
    if (ok && *total >= 0)
        return true;
    total_refused(pg, v, note);
    return false;
}

/* Re-reads the window while max_rereads allows: the log says "<logged>, reading it again",
 * the error "<reason> after N re-reads; ...". */
static sl_page_act reread(const sl_paging_plan *pg, pn_state *s, const char *reason,
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
static bool over_total(const sl_paging_plan *pg, pn_state *s, size_t n, int64_t total,
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
static sl_page_act probed(const sl_paging_plan *pg, pn_state *s, const sl_page_reply *rp,
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

static sl_page_act pn_step(const void *cfg, void *st, const sl_page_reply *rp, int64_t total,
                           sl_page_note *note)
{
    const sl_paging_plan *pg = cfg;
    pn_state *s = st;
    sl_page_act act;
    s->total = total;
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
    const sl_paging_plan *pg = cfg;
    pn_state *s = st;
    if (!pg->check_total || (int64_t)distinct >= s->total)
        return SL_PAGE_DONE;
    char reason[120], logged[120];
    snprintf(reason, sizeof reason, "received %zu distinct records of %" PRId64, distinct,
             s->total);
    snprintf(logged, sizeof logged, "%zu distinct records of %" PRId64, distinct, s->total);
    return reread(pg, s, reason, logged, note);
}

const sl_pager_ops sl_pager_page_number = {
    .state_size = sizeof(pn_state),
    .start = pn_start,
    .ask = pn_ask,
    .total = pn_total,
    .step = pn_step,
    .complete = pn_complete,
};
