/* cursor.c: the pager `cursor`: the first request carries no cursor; each reply names the next
 * page's cursor (an opaque token) at a JSON path of the body or in a header, sent back as a
 * parameter; a reply without one (absent, null or empty) is the window's last page. A token
 * that repeats one already received means the API pages in a loop: the run fails rather than
 * read forever (pageloop.h). There is no total: a window is complete when its last page came,
 * so the guarantee while records change rests on what the cursor holds (docs/sync-rules.md). */
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jpath.h"
#include "kind.h"
#include "pageloop.h"
#include "pager.h"

typedef struct sl_cursor {
    char *cursor_param; /* the parameter carrying the cursor */
    char *limit_param;  /* the page size's, or NULL */
    int64_t limit;
    sl_jpath *next;    /* where the body holds the next cursor, or NULL ... */
    char *next_header; /* ... the header that does */
    int holds;         /* sl_page_holds: what the API's cursor holds (the guarantee) */
} sl_cursor;

typedef struct cursor_state {
    int64_t page;                 /* pages received since the window's first */
    char token[SL_PAGE_TOKEN_MAX]; /* the cursor to send; "" for the first page */
    sl_page_loop loop;
} cursor_state;

static void cursor_start(const void *cfg, void *st)
{
    (void)cfg;
    cursor_state *s = st;
    s->page = 0;
    s->token[0] = '\0';
    sl_page_loop_start(&s->loop);
}

static bool cursor_ask(const void *cfg, const void *st, sl_page_ask *ask)
{
    const sl_cursor *c = cfg;
    const cursor_state *s = st;
    ask->label = s->page;
    ask->req->page_param = s->token[0] ? c->cursor_param : NULL;
    ask->req->page_token = s->token;
    ask->req->size_param = c->limit_param;
    ask->req->page_size = c->limit;
    return true;
}

static bool cursor_total(const void *cfg, const sl_page_reply *rp, int64_t *total,
                         sl_page_note *note)
{
    (void)cfg, (void)rp, (void)note;
    *total = -1;
    return true;
}

/* The reply's next cursor (borrowed), "" when it has none; NULL, with the note, when it is no
 * token (an object, a list, a boolean). Numbers are tokens as written. */
static const char *next_token(const sl_cursor *c, const sl_page_reply *rp, char *num,
                              size_t numlen, sl_page_note *note)
{
    if (c->next_header && !rp->headers) {
        snprintf(note->text, sizeof note->text,
                 "the reply has no headers (a replayed reply keeps its body only), so no "
                 "%s to read the next cursor from",
                 c->next_header);
        return NULL;
    }
    if (c->next_header) {
        const char *v = sl_headers_get(rp->headers, c->next_header);
        return v ? v : "";
    }
    const json_t *v = sl_jpath_get(c->next, rp->doc);
    if (!v || json_is_null(v))
        return "";
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(num, numlen, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return num;
    }
    snprintf(note->text, sizeof note->text,
             "the reply's next cursor at %s is not a token (a string or a number)",
             sl_jpath_text(c->next));
    return NULL;
}

static sl_page_act cursor_step(const void *cfg, void *st, const sl_page_reply *rp,
                               int64_t total, sl_page_note *note)
{
    (void)total;
    const sl_cursor *c = cfg;
    cursor_state *s = st;
    char num[32];
    const char *tok = next_token(c, rp, num, sizeof num, note);
    const char *where = c->next_header ? c->next_header : sl_jpath_text(c->next);
    if (!tok)
        return SL_PAGE_FAIL;
    s->page++;
    if (!*tok)
        return SL_PAGE_LAST;
    if (strlen(tok) >= sizeof s->token) {
        snprintf(note->text, sizeof note->text,
                 "the next cursor (%s) is longer than %d bytes; refused", where,
                 SL_PAGE_TOKEN_MAX - 1);
        return SL_PAGE_FAIL;
    }
    if (sl_page_loop_repeats(&s->loop, tok)) {
        snprintf(note->text, sizeof note->text,
                 "the API pages in a loop: page %" PRId64 "'s next cursor (%s) repeats one "
                 "it sent before; the watermark stays before it",
                 s->page, where);
        return SL_PAGE_FAIL;
    }
    memcpy(s->token, tok, strlen(tok) + 1);
    return SL_PAGE_TAKE;
}

static sl_page_act cursor_complete(const void *cfg, void *st, size_t distinct,
                                   sl_page_note *note)
{
    (void)cfg, (void)st, (void)distinct, (void)note;
    return SL_PAGE_DONE;
}

/* ---- the kind ---- */

typedef struct cursor_opts {
    sl_optval cursor_param, limit_param, limit, next, next_header, holds;
} cursor_opts;

#define F(field) offsetof(cursor_opts, field)
static const sl_opt rows[] = {
    {"cursor_param", SL_T_STRING, SL_OF_REQUIRED, NULL, 1, 0, F(cursor_param), NULL, NULL,
     "request parameter carrying the cursor (not sent for a window's first page)"},
    {"limit_param", SL_T_STRING, 0, NULL, 1, 0, F(limit_param), NULL, NULL,
     "request parameter carrying the page size (none when unset)"},
    {"limit", SL_T_INT, 0, "50", 1, 10000, F(limit), NULL, NULL, "records per page"},
    {"next", SL_T_JPATH, 0, NULL, 1, 0, F(next), NULL, NULL,
     "JSON path of the next page's cursor in a reply (absent, null or empty on the last page)"},
    {"next_header", SL_T_STRING, 0, NULL, 1, 0, F(next_header), NULL, NULL,
     "or the reply header holding it, e.g. X-Next-Cursor (absent or empty on the last page)"},
    {"holds", SL_T_ENUM, 0, "position", 1, 0, F(holds), sl_page_holds_names, NULL,
     "what the API's cursor holds: key (the last record's sort key, resumed after: no record "
     "missed while records change, when that key only grows) or position (an offset in "
     "disguise: validate warns)"},
};
#undef F

static const sl_opt_table table = {"paging", "cursor", rows, sizeof rows / sizeof rows[0]};

static void *compile(sl_kind_ctx *c, const void *opts)
{
    const cursor_opts *o = opts;
    sl_cursor *cur = calloc(1, sizeof *cur);
    if (!cur)
        return NULL;
    sl_kind_text(c, &o->cursor_param, &cur->cursor_param);
    sl_kind_text(c, &o->limit_param, &cur->limit_param);
    cur->limit = o->limit.i;
    if (o->next.set && o->next_header.set)
        sl_kind_error(c, &o->next_header,
                      "paging 'cursor' reads the next cursor from one place: next (a JSON path) "
                      "or next_header, not both");
    else if (!o->next.set && !o->next_header.set)
        sl_kind_error(c, &o->next,
                      "paging 'cursor' needs where each reply names the next cursor: next (a "
                      "JSON path in the body) or next_header (a header)");
    if (o->next.set) {
        cur->next = sl_kind_jpath(c, &o->next, "next");
        sl_kind_reply_path(c, cur->next);
    }
    sl_kind_text(c, &o->next_header, &cur->next_header);
    cur->holds = (int)o->holds.i;
    sl_page_holds_warn(c, "cursor", &o->holds);
    return cur;
}

static void dump(const void *cfg, const sl_plan *plan, FILE *out)
{
    const sl_cursor *c = cfg;
    char param[1200], size[1200], hdr[1200];
    fprintf(out, "  paging: cursor %s, next from %s %s, limit %s %" PRId64 ", holds %s\n",
            sl_plan_shown(plan, &c->cursor_param, param, sizeof param),
            c->next_header ? "header" : "body at",
            c->next_header ? sl_plan_shown(plan, &c->next_header, hdr, sizeof hdr)
            : c->next      ? sl_jpath_text(c->next)
                           : "?",
            sl_plan_shown(plan, &c->limit_param, size, sizeof size), c->limit,
            sl_page_holds_names[c->holds]);
}

static void free_cfg(void *cfg)
{
    sl_cursor *c = cfg;
    if (!c)
        return;
    free(c->cursor_param);
    free(c->limit_param);
    sl_jpath_free(c->next);
    free(c->next_header);
    free(c);
}

static const sl_pager_ops ops = {
    .state_size = sizeof(cursor_state),
    .start = cursor_start,
    .ask = cursor_ask,
    .total = cursor_total,
    .step = cursor_step,
    .complete = cursor_complete,
};

const sl_kind sl_kind_pager_cursor = {
    .family = "paging",
    .name = "cursor",
    .doc = "An opaque cursor read from each reply (a body path or a header) and sent back as a "
           "parameter; no cursor means the last page; a cursor that repeats fails the run.",
    .opts = &table,
    .opts_size = sizeof(cursor_opts),
    .compile = compile,
    .dump = dump,
    .free = free_cfg,
    .ops = &ops,
};
