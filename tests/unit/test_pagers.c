/* Unit tests of the pagers (engine/page/): a job's `source.paging` compiles to its kind (the
 * default page-number when `type` is absent), and each pager's runtime, driven as the source
 * drives it, asks for the pages it should, in order, takes or skips each reply's records, and
 * judges a window complete, short (re-read, then fail) or holding more than its total; the
 * token pagers (cursor, link) follow what each reply names, stop when it names nothing and
 * fail on a loop or another origin; Link headers parse as RFC 8288 says. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "headers.h"
#include "kind.h"
#include "linkhdr.h"
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

/* A reply whose body is json and whose headers are the lines given (NULL-terminated); returns
 * the pager's step. */
static sl_page_act reply_with(drive *d, const char *json, const char *const *lines, size_t n,
                              sl_page_note *note)
{
    static sl_headers h;
    sl_headers_clear(&h);
    for (size_t i = 0; lines && lines[i]; i++)
        sl_headers_add_line(&h, lines[i], strlen(lines[i]));
    json_t *doc = json_loads(json, 0, NULL);
    sl_page_reply rp = {.doc = doc, .n = n, .max_records = 1000, .headers = &h,
                        .endpoint = "http://127.0.0.1:9/api"};
    int64_t t = -2;
    CHECK(d->ops->total(d->cfg, &rp, &t, note));
    sl_page_act act = d->ops->step(d->cfg, d->st, &rp, t, note);
    json_decref(doc);
    return act;
}

static void test_link_header(void)
{
    char out[64];
    CHECK(sl_link_next("<http://a/2>; rel=\"next\"", out, sizeof out) == SL_LINK_FOUND);
    CHECK_STR(out, "http://a/2");
    CHECK(sl_link_next("<http://a/0>; rel=\"prev\", <http://a/2>; rel=\"next\"", out,
                       sizeof out) == SL_LINK_FOUND);
    CHECK_STR(out, "http://a/2");
    /* a comma and "rel=next" inside a quoted title are text; REL and Next in any case */
    CHECK(sl_link_next("<http://a/x>; title=\"a, b; rel=next\", <http://a/3>;REL=\"Next last\"",
                       out, sizeof out) == SL_LINK_FOUND);
    CHECK_STR(out, "http://a/3");
    CHECK(sl_link_next("<u?a=1>; title=\"x\\\"y\"; rel=next", out, sizeof out) == SL_LINK_FOUND);
    CHECK_STR(out, "u?a=1");
    CHECK(sl_link_next("<http://a/1>; rel=prev, <http://a/9>; rel=\"nextish\"", out,
                       sizeof out) == SL_LINK_NONE);
    CHECK(sl_link_next("", out, sizeof out) == SL_LINK_NONE);
    CHECK(sl_link_next("<http://a/1; rel=next", out, sizeof out) == SL_LINK_BAD);
    CHECK(sl_link_next("http://a/1; rel=next", out, sizeof out) == SL_LINK_BAD);
    CHECK(sl_link_next("<http://a/1>; title=\"open; rel=next", out, sizeof out) == SL_LINK_BAD);
    CHECK(sl_link_next("<http://a/1>; rel=next", out, 5) == SL_LINK_TOO_LONG);
}

static void test_resolve_and_origin(void)
{
    char url[128], origin[64];
    CHECK(sl_link_resolve("http://h:8080/v1/orders?x=1", "/v1/orders?cursor=2", url, sizeof url));
    CHECK_STR(url, "http://h:8080/v1/orders?cursor=2");
    CHECK(sl_link_resolve("http://h:8080/v1/orders?x=1", "?page=2", url, sizeof url));
    CHECK_STR(url, "http://h:8080/v1/orders?page=2");
    CHECK(sl_link_resolve("http://h/v1/orders", "https://other/x", url, sizeof url));
    CHECK_STR(url, "https://other/x");
    CHECK(!sl_link_resolve("http://h/v1/orders", "ftp://h/x", url, sizeof url));
    CHECK(!sl_link_resolve("http://h/v1/orders", "/a-long-path", url, 12));
    CHECK(sl_link_same_origin("http://h:8080/a", "http://H:8080/b?c", origin, sizeof origin));
    CHECK(sl_link_same_origin("http://h/a", "http://h:80/b", origin, sizeof origin));
    CHECK(!sl_link_same_origin("http://h:8080/a", "http://h:8081/a", origin, sizeof origin));
    CHECK_STR(origin, "http://h:8081");
    CHECK(!sl_link_same_origin("https://h/a", "http://h/a", origin, sizeof origin));
    CHECK(!sl_link_same_origin("http://h/a", "http://u:secret@evil.example/x", origin,
                               sizeof origin));
    CHECK_STR(origin, "http://evil.example:80"); /* never the user info */
}

/* cursor: no cursor on the first page, each reply's sent back, none or "" ends the window; a
 * cursor that comes back (A B A B) is a loop; from a header too. */
static void test_cursor(void)
{
    sl_plan *p = compile_paging("{ type: cursor, cursor_param: cur, limit_param: lim, limit: 2, "
                                "next: meta.next, holds: key }");
    CHECK(p && p->source.paging.kind == sl_kind_find(&sl_kinds_pager, "cursor"));
    drive d = drive_new(p);
    sl_page_note note;
    ask(&d);
    CHECK(d.req.page_param == NULL && !strcmp(d.req.size_param, "lim") && d.label == 0);
    CHECK(reply_with(&d, "{\"meta\":{\"next\":\"A\"}}", NULL, 2, &note) == SL_PAGE_TAKE);
    ask(&d);
    CHECK(!strcmp(d.req.page_param, "cur") && !strcmp(d.req.page_token, "A") && d.label == 1);
    CHECK(reply_with(&d, "{\"meta\":{\"next\":42}}", NULL, 2, &note) == SL_PAGE_TAKE);
    ask(&d);
    CHECK_STR(d.req.page_token, "42");
    CHECK(reply_with(&d, "{\"meta\":{\"next\":\"\"}}", NULL, 1, &note) == SL_PAGE_LAST);
    CHECK(d.ops->complete(d.cfg, d.st, 5, &note) == SL_PAGE_DONE);
    d.ops->start(d.cfg, d.st);
    const char *seq[] = {"A", "B", "A", "B"};
    sl_page_act act = SL_PAGE_TAKE;
    for (int i = 0; i < 4; i++) {
        char body[64];
        snprintf(body, sizeof body, "{\"meta\":{\"next\":\"%s\"}}", seq[i]);
        act = reply_with(&d, body, NULL, 2, &note);
        CHECK(act == (i < 3 ? SL_PAGE_TAKE : SL_PAGE_FAIL));
    }
    CHECK_STR(note.text, "the API pages in a loop: page 4's next cursor (meta.next) repeats one "
                         "it sent before; the watermark stays before it");
    d.ops->start(d.cfg, d.st);
    CHECK(reply_with(&d, "{\"meta\":{\"next\":[1]}}", NULL, 2, &note) == SL_PAGE_FAIL);
    CHECK(reply_with(&d, "{\"meta\":{}}", NULL, 2, &note) == SL_PAGE_LAST);
    free(d.st);
    sl_plan_free(p);

    p = compile_paging("{ type: cursor, cursor_param: c, next_header: X-Next-Cursor }");
    d = drive_new(p);
    const char *next[] = {"x-next-cursor: t1\r\n", NULL};
    CHECK(reply_with(&d, "{}", next, 50, &note) == SL_PAGE_TAKE);
    ask(&d);
    CHECK(!strcmp(d.req.page_token, "t1") && d.req.size_param == NULL);
    CHECK(reply_with(&d, "{}", next, 50, &note) == SL_PAGE_FAIL); /* t1 again at once */
    d.ops->start(d.cfg, d.st);
    CHECK(reply_with(&d, "{}", NULL, 3, &note) == SL_PAGE_LAST);
    /* a replayed reply has no headers at all: refused, never taken for the last page */
    json_t *doc = json_object();
    sl_page_reply rp = {.doc = doc, .n = 3, .max_records = 10};
    CHECK(d.ops->step(d.cfg, d.st, &rp, -1, &note) == SL_PAGE_FAIL);
    CHECK(strstr(note.text, "no headers") != NULL);
    json_decref(doc);
    free(d.st);
    sl_plan_free(p);
}

/* link: the next URL resolved against the endpoint and asked with its own query; another
 * origin is refused; no link ends the window. */
static void test_link(void)
{
    sl_plan *p = compile_paging("{ type: link, limit_param: limit, limit: 5 }");
    CHECK(p && p->source.paging.kind == sl_kind_find(&sl_kinds_pager, "link"));
    drive d = drive_new(p);
    sl_page_note note;
    ask(&d);
    CHECK(d.req.url == NULL && !strcmp(d.req.size_param, "limit") && d.req.page_param == NULL);
    const char *next[] = {"Link: </api?cursor=2>; rel=\"next\", </api>; rel=first\r\n", NULL};
    CHECK(reply_with(&d, "{}", next, 5, &note) == SL_PAGE_TAKE);
    ask(&d);
    CHECK_STR(d.req.url, "http://127.0.0.1:9/api?cursor=2");
    CHECK(d.req.size_param == NULL && d.label == 1);
    const char *evil[] = {"Link: <http://evil.example/api?cursor=3>; rel=\"next\"\r\n", NULL};
    CHECK(reply_with(&d, "{}", evil, 5, &note) == SL_PAGE_FAIL);
    CHECK_STR(note.text, "page 2's next link points to http://evil.example:80, another origin "
                         "than source.endpoint's; refused: the job's credentials go to the "
                         "endpoint's origin only");
    const char *none[] = {"Link: </api>; rel=\"prev\"\r\n", NULL};
    CHECK(reply_with(&d, "{}", none, 2, &note) == SL_PAGE_LAST);
    free(d.st);
    sl_plan_free(p);

    p = compile_paging("{ type: link, next: links.next, holds: key }");
    d = drive_new(p);
    CHECK(reply_with(&d, "{\"links\":{\"next\":\"http://127.0.0.1:9/api?p=2\"}}", NULL, 5,
                     &note) == SL_PAGE_TAKE);
    CHECK(reply_with(&d, "{\"links\":{\"next\":\"http://127.0.0.1:9/api?p=2\"}}", NULL, 5,
                     &note) == SL_PAGE_FAIL);
    CHECK(strstr(note.text, "pages in a loop") != NULL);
    CHECK(reply_with(&d, "{\"links\":{\"next\":null}}", NULL, 5, &note) == SL_PAGE_LAST);
    free(d.st);
    sl_plan_free(p);
}

/* page-number without a total: forward until a short page; past max_records, split. Offset
 * with the total in a header. */
static void test_totals(void)
{
    sl_plan *p = compile_paging("{ page_param: pg, size_param: n, size: 2, total_from: none }");
    const sl_page_number *pg = p ? p->source.paging.cfg : NULL;
    CHECK(pg && !pg->backward && pg->total_from == SL_TOTAL_NONE);
    drive d = drive_new(p);
    sl_page_note note;
    CHECK(ask(&d) == 0 && reply_with(&d, "{}", NULL, 2, &note) == SL_PAGE_TAKE);
    CHECK(ask(&d) == 1 && reply_with(&d, "{}", NULL, 2, &note) == SL_PAGE_TAKE);
    CHECK(ask(&d) == 2 && reply_with(&d, "{}", NULL, 0, &note) == SL_PAGE_LAST);
    CHECK(d.ops->complete(d.cfg, d.st, 4, &note) == SL_PAGE_DONE);
    free(d.st);
    sl_plan_free(p);

    p = compile_paging("{ type: offset, offset_param: o, limit_param: l, limit: 2, "
                       "total_from: header }");
    d = drive_new(p);
    const char *total[] = {"X-Total-Count: 3\r\n", NULL};
    CHECK(ask(&d) == 0 && reply_with(&d, "{}", total, 2, &note) == SL_PAGE_SKIP);
    CHECK(ask(&d) == 2 && reply_with(&d, "{}", total, 1, &note) == SL_PAGE_TAKE);
    CHECK(ask(&d) == 0 && reply_with(&d, "{}", total, 2, &note) == SL_PAGE_LAST);
    json_t *doc = json_object();
    sl_page_reply rp = {.doc = doc};
    int64_t t;
    CHECK(!d.ops->total(d.cfg, &rp, &t, &note));
    CHECK_STR(note.text, "the reply has no X-Total-Count header (the window's total)");
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
    test_link_header();
    test_resolve_and_origin();
    test_cursor();
    test_link();
    test_totals();
    return check_done();
}
