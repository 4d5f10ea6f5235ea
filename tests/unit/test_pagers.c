/* Unit tests of the pagers (engine/page/): a job's `source.paging` compiles to its kind (the
 * default page-number when `type` is absent), and each pager's runtime, driven as the source
 * drives it, asks for the pages it should, in order, takes or skips each reply's records, and
 * judges a window complete, short (re-read, then fail) or holding more than its total. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "kind.h"
#include "page_number.h"
#include "pager.h"

static sl_plan *compile_paging(const char *paging)
{
    char text[2048];
    snprintf(text, sizeof text,
             "version: 1\nname: p\nsource:\n  endpoint: http://127.0.0.1:9/api\n"
             "  method: m\n  signer: { type: none }\n"
             "  window: { from_param: f, to_param: t, start: \"2024-06-01 00:00:00\" }\n"
             "  paging: %s\n  records: items\n"
             "target: { dsn: \"mysql://u@localhost/db\", table: t, key: [id] }\n"
             "columns:\n  id: { path: id, type: int }\n",
             paging);
    sl_diag *diag = sl_diag_new("job.yml");
    sl_compile_options opts = {.resolve_secrets = false};
    sl_plan *plan = sl_compile_text("job.yml", text, strlen(text), &opts, diag);
    if (sl_diag_errors(diag))
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

/* One window's paging, as the source keeps it. */
typedef struct drive {
    const sl_pager_ops *ops;
    const void *cfg;
    void *st;
    sl_page_req req;
    int64_t label;
} drive;

static drive drive_new(const sl_plan *plan)
{
    drive d = {plan->source.paging.kind->ops, plan->source.paging.cfg, NULL, {0}, 0};
    d.st = calloc(1, d.ops->state_size);
    d.ops->start(d.cfg, d.st);
    return d;
}

/* Asks for the next page: the value of the page parameter. */
static int64_t ask(drive *d)
{
    sl_page_ask a = {.req = &d->req};
    CHECK(d->ops->ask(d->cfg, d->st, &a));
    d->label = a.label;
    return d->req.page_no;
}

/* A reply of n records (ids from id0) saying total; returns the pager's step. */
static sl_page_act reply(drive *d, int64_t total, size_t n, sl_page_note *note)
{
    json_t *doc = json_pack("{s:I}", "total", (json_int_t)total);
    sl_page_reply rp = {.doc = doc, .n = n, .max_records = 1000};
    int64_t t = -2;
    CHECK(d->ops->total(d->cfg, &rp, &t, note) && t == total);
    sl_page_act act = d->ops->step(d->cfg, d->st, &rp, t, note);
    json_decref(doc);
    return act;
}

static void test_default_is_page_number(void)
{
    sl_plan *p = compile_paging("{ page_param: page, size_param: size, total: total }");
    CHECK(p && p->source.paging.kind == sl_kind_find(&sl_kinds_pager, "page-number"));
    const sl_page_number *pg = p ? p->source.paging.cfg : NULL;
    CHECK(pg && pg->size == 50 && pg->first_page == 0 && pg->backward && !pg->offsets);
    CHECK(p && p->source.n_reply_paths == 1 && p->source.reply_paths[0] == pg->total);
    sl_plan_free(p);
}

/* page-number, first page 1, size 2, total 5: probe page 1, then pages 3, 2, 1. */
static void test_page_number_backward(void)
{
    sl_plan *p = compile_paging("{ page_param: pg, size_param: n, size: 2, first_page: 1, "
                                "total: total }");
    drive d = drive_new(p);
    sl_page_note note;
    CHECK(ask(&d) == 1 && d.label == 1 && !strcmp(d.req.page_param, "pg") &&
          d.req.page_size == 2);
    CHECK(reply(&d, 5, 2, &note) == SL_PAGE_SKIP);
    CHECK(ask(&d) == 3 && reply(&d, 5, 1, &note) == SL_PAGE_TAKE);
    CHECK(ask(&d) == 2 && reply(&d, 5, 2, &note) == SL_PAGE_TAKE);
    CHECK(ask(&d) == 1 && reply(&d, 5, 2, &note) == SL_PAGE_LAST);
    CHECK(d.ops->complete(d.cfg, d.st, 5, &note) == SL_PAGE_DONE);
    free(d.st);
    sl_plan_free(p);
}

/* offset, limit 2, total 4 (a full last page): probe offset 0, then offsets 4 (must be empty),
 * 2 and 0; a shortfall is read again three times, then fails. */
static void test_offset_shortfall(void)
{
    sl_plan *p = compile_paging("{ type: offset, offset_param: off, limit_param: lim, limit: 2, "
                                "total: total }");
    CHECK(p && p->source.paging.kind == sl_kind_find(&sl_kinds_pager, "offset"));
    drive d = drive_new(p);
    sl_page_note note;
    for (int round = 0; round < 4; round++) {
        CHECK(ask(&d) == 0 && !strcmp(d.req.page_param, "off") && d.req.page_size == 2);
        CHECK(reply(&d, 4, 2, &note) == SL_PAGE_SKIP);
        CHECK(ask(&d) == 4 && reply(&d, 4, 0, &note) == SL_PAGE_TAKE);
        CHECK(ask(&d) == 2 && reply(&d, 4, 2, &note) == SL_PAGE_TAKE);
        CHECK(ask(&d) == 0 && reply(&d, 4, 1, &note) == SL_PAGE_LAST);
        sl_page_act act = d.ops->complete(d.cfg, d.st, 3, &note);
        CHECK(act == (round < 3 ? SL_PAGE_REREAD : SL_PAGE_FAIL));
        if (act == SL_PAGE_REREAD)
            d.ops->start(d.cfg, d.st);
    }
    CHECK_STR(note.text, "received 3 distinct records of 4 after 3 re-reads; the watermark "
                         "stays before it");
    free(d.st);
    sl_plan_free(p);
}

/* A page holding more than its total leaves for it is refused; a reply without a total too. */
static void test_refusals(void)
{
    sl_plan *p = compile_paging("{ type: offset, offset_param: off, limit_param: lim, limit: 10, "
                                "total: total, max_rereads: 0 }");
    drive d = drive_new(p);
    sl_page_note note;
    ask(&d);
    CHECK(reply(&d, 3, 4, &note) == SL_PAGE_FAIL);
    CHECK_STR(note.text, "page 0 holds 4 records, more than the total 3 leaves for it (3), "
                         "after 0 re-reads; the watermark stays before it");
    json_t *doc = json_pack("{s:s}", "total", "many");
    sl_page_reply rp = {.doc = doc};
    int64_t t;
    CHECK(!d.ops->total(d.cfg, &rp, &t, &note));
    CHECK_STR(note.text, "the reply's total at total is not a count of records: \"many\"");
    json_decref(doc);
    free(d.st);
    sl_plan_free(p);
}

int main(void)
{
    test_default_is_page_number();
    test_page_number_backward();
    test_offset_shortfall();
    test_refusals();
    return check_done();
}
