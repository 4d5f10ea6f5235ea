/* link.c: the pager `link`: the first request goes to source.endpoint with the window's
 * parameters; each reply names the next page's URL, at a JSON path of the body or in an HTTP
 * `Link: <...>; rel="next"` header (linkhdr.c), and the next request goes there, its query
 * holding the parameters (the window's are not added again; auth and the signer still
 * apply). A relative URL is resolved against the one it came from. A next URL on another
 * origin than the endpoint is refused: the job's credentials go to the endpoint's host only.
 * A URL that repeats one received before means the API pages in a loop (pageloop.h). */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jpath.h"
#include "kind.h"
#include "linkhdr.h"
#include "pageloop.h"
#include "pager.h"

typedef struct sl_link {
    char *limit_param; /* the page size's parameter on the first request, or NULL */
    int64_t limit;
    sl_jpath *next; /* where the body holds the next URL; NULL: the Link header */
    int holds;      /* sl_page_holds: what the API's next URL holds (the guarantee) */
} sl_link;

typedef struct link_state {
    int64_t page;               /* pages received since the window's first */
    char url[SL_PAGE_TOKEN_MAX]; /* the next request's URL; "" for the endpoint */
    sl_page_loop loop;
} link_state;

static void link_start(const void *cfg, void *st)
{
    (void)cfg;
    link_state *s = st;
    s->page = 0;
    s->url[0] = '\0';
    sl_page_loop_start(&s->loop);
}

static bool link_ask(const void *cfg, const void *st, sl_page_ask *ask)
{
    const sl_link *l = cfg;
    const link_state *s = st;
    ask->label = s->page;
    ask->req->page_param = NULL;
    ask->req->size_param = s->url[0] ? NULL : l->limit_param; /* a next URL carries its own */
    ask->req->page_size = l->limit;
    ask->req->url = s->url[0] ? s->url : NULL;
    return true;
}

static bool link_total(const void *cfg, const sl_page_reply *rp, int64_t *total,
                       sl_page_note *note)
{
    (void)cfg, (void)rp, (void)note;
    *total = -1;
    return true;
}

/* The reply's next URL as written into out ("" when it has none); false, with the note, when
 * it is malformed or too long. */
static bool next_ref(const sl_link *l, const sl_page_reply *rp, char *out, size_t len,
                     sl_page_note *note)
{
    out[0] = '\0';
    if (l->next) {
        const json_t *v = sl_jpath_get(l->next, rp->doc);
        if (!v || json_is_null(v))
            return true;
        if (!json_is_string(v) || json_string_length(v) + 1 > len) {
            snprintf(note->text, sizeof note->text,
                     "the reply's next link at %s is %s", sl_jpath_text(l->next),
                     json_is_string(v) ? "too long" : "not a string");
            return false;
        }
        memcpy(out, json_string_value(v), json_string_length(v) + 1);
        return true;
    }
    if (!rp->headers) {
        snprintf(note->text, sizeof note->text,
                 "the reply has no headers (a replayed reply keeps its body only), so no Link "
                 "header to read the next URL from");
        return false;
    }
    size_t i = 0;
    for (const char *h; (h = sl_headers_next(rp->headers, "Link", &i));) {
        sl_link_rc rc = sl_link_next(h, out, len);
        if (rc == SL_LINK_FOUND)
            return true;
        if (rc != SL_LINK_NONE) {
            snprintf(note->text, sizeof note->text, "the reply's Link header is %s",
                     rc == SL_LINK_TOO_LONG ? "too long" : "malformed");
            return false;
        }
    }
    return true;
}

/* Resolves ref against the URL it came from into s->url, checking its origin. */
static sl_page_act follow(link_state *s, const sl_page_reply *rp, const char *ref,
                          sl_page_note *note)
{
    char url[SL_PAGE_TOKEN_MAX], origin[256];
    const char *from = s->url[0] ? s->url : rp->endpoint;
    if (!sl_link_resolve(from, ref, url, sizeof url)) {
        snprintf(note->text, sizeof note->text,
                 "page %" PRId64 "'s next link is no http(s) URL, or longer than %d bytes",
                 s->page, SL_PAGE_TOKEN_MAX - 1);
        return SL_PAGE_FAIL;
    }
    if (!sl_link_same_origin(rp->endpoint, url, origin, sizeof origin)) {
        snprintf(note->text, sizeof note->text,
                 "page %" PRId64 "'s next link points to %s, another origin than "
                 "source.endpoint's; refused: the job's credentials go to the endpoint's origin "
                 "only",
                 s->page, origin);
        return SL_PAGE_FAIL;
    }
    if (sl_page_loop_repeats(&s->loop, url)) {
        snprintf(note->text, sizeof note->text,
                 "the API pages in a loop: page %" PRId64 "'s next link repeats one it sent "
                 "before; the watermark stays before it",
                 s->page);
        return SL_PAGE_FAIL;
    }
    memcpy(s->url, url, strlen(url) + 1);
    return SL_PAGE_TAKE;
}

static sl_page_act link_step(const void *cfg, void *st, const sl_page_reply *rp, int64_t total,
                             sl_page_note *note)
{
    (void)total;
    link_state *s = st;
    char ref[SL_PAGE_TOKEN_MAX];
    if (!next_ref(cfg, rp, ref, sizeof ref, note))
        return SL_PAGE_FAIL;
    s->page++;
    return ref[0] ? follow(s, rp, ref, note) : SL_PAGE_LAST;
}

static sl_page_act link_complete(const void *cfg, void *st, size_t distinct, sl_page_note *note)
{
    (void)cfg, (void)st, (void)distinct, (void)note;
    return SL_PAGE_DONE;
}

/* ---- the kind ---- */

typedef struct link_opts {
    sl_optval next, limit_param, limit, holds;
} link_opts;

#define F(field) offsetof(link_opts, field)
static const sl_opt rows[] = {
    {"next", SL_T_JPATH, 0, NULL, 1, 0, F(next), NULL, NULL,
     "JSON path of the next page's URL in a reply (absent, null or empty on the last page); "
     "unset: the HTTP Link header's rel=\"next\""},
    {"limit_param", SL_T_STRING, 0, NULL, 1, 0, F(limit_param), NULL, NULL,
     "request parameter carrying the page size on a window's first request (the next URLs "
     "carry their own); none when unset"},
    {"limit", SL_T_INT, 0, "50", 1, 10000, F(limit), NULL, NULL, "records per page"},
    {"holds", SL_T_ENUM, 0, "position", 1, 0, F(holds), sl_page_holds_names, NULL,
     "what the API's next URL holds: key (the last record's sort key, resumed after: no "
     "record missed while records change, when that key only grows) or position (an offset "
     "or page number: validate warns)"},
};
#undef F

static const sl_opt_table table = {"paging", "link", rows, sizeof rows / sizeof rows[0]};

static void *compile(sl_kind_ctx *c, const void *opts)
{
    const link_opts *o = opts;
    sl_link *l = calloc(1, sizeof *l);
    if (!l)
        return NULL;
    sl_kind_text(c, &o->limit_param, &l->limit_param);
    l->limit = o->limit.i;
    if (o->next.set) {
        l->next = sl_kind_jpath(c, &o->next, "next");
        sl_kind_reply_path(c, l->next);
    }
    l->holds = (int)o->holds.i;
    sl_page_holds_warn(c, "link", &o->holds);
    return l;
}

static void dump(const void *cfg, const sl_plan *plan, FILE *out)
{
    const sl_link *l = cfg;
    char size[1200];
    fprintf(out, "  paging: link, next from %s%s, limit %s %" PRId64 ", holds %s\n",
            l->next ? "body at " : "the Link header", l->next ? sl_jpath_text(l->next) : "",
            sl_plan_shown(plan, &l->limit_param, size, sizeof size), l->limit,
            sl_page_holds_names[l->holds]);
}

static void free_cfg(void *cfg)
{
    sl_link *l = cfg;
    if (!l)
        return;
    free(l->limit_param);
    sl_jpath_free(l->next);
    free(l);
}

static const sl_pager_ops ops = {
    .state_size = sizeof(link_state),
    .start = link_start,
    .ask = link_ask,
    .total = link_total,
    .step = link_step,
    .complete = link_complete,
};

const sl_kind sl_kind_pager_link = {
    .family = "paging",
    .name = "link",
    .doc = "The next page's URL read from each reply (a body path or the Link header's "
           "rel=\"next\") and asked next, on the endpoint's origin only; no URL means the last "
           "page; a URL that repeats fails the run.",
    .opts = &table,
    .opts_size = sizeof(link_opts),
    .compile = compile,
    .dump = dump,
    .free = free_cfg,
    .ops = &ops,
};
