/* source.c: see source.h. Cutting windows, the requests (the pager's ask, the window's
 * bounds, signed by the plan's signer), the order in which windows take turns to send, and
 * polling for replies. A window's life is reading.c's, what a reply means reply.c's. */
#include "source.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apiwords.h"
#include "auth.h"
#include "kind.h"
#include "pager.h"
#include "reading.h"
#include "reply.h"
#include "sign.h"
#include "stop.h"
#include "timeutil.h"

/* The arena for one reply's JSON tree: a 190 KB page of 50 refunds needs about 1.5 MB. */
#define ARENA_INITIAL ((size_t)2 << 20)
#define ARENA_MAX ((size_t)32 << 20)

/* Windows cut and not yet handed to the pipeline: open, or finished and holding their rows
 * until the windows before them finish. */
static int64_t queued(const sl_source *src)
{
    int64_t n = 0;
    for (const sl_window *w = src->q.head; w; w = w->next)
        n++;
    return n;
}

void sl_source_cut(sl_source *src)
{
    int64_t cap = src->sp->concurrency;
    int64_t max = src->opts->max_windows;
    while (src->rl->status == SL_OK && !sl_stop_requested() && src->open < cap &&
           queued(src) < 2 * cap && (!max || src->cut < (uint64_t)max)) {
        sl_window *w = sl_wq_cut(&src->q);
        if (!w)
            break;
        src->cut++;
        if (sl_source_window_open(src, w) != 0)
            sl_runlog_fail(src->rl, SL_ERR_INTERNAL, "out of memory");
    }
}

/* ---- requests ---- */

/* The static parameters with the window's bounds, written as the API reads them. */
static json_t *window_filter(const sl_source *src, const sl_window *w)
{
    const sl_window_plan *wp = &src->sp->window;
    json_t *f = src->sp->params ? json_deep_copy(src->sp->params) : json_object();
    if (!f)
        return NULL;
    int64_t bounds[2] = {w->from, w->to};
    const char *names[2] = {wp->from_param, wp->to_param};
    /* a full refresh has no window, so no format */
    sl_bound_form form = wp->format ? sl_time_bound_form(wp->format) : SL_BOUND_STRFTIME;
    /* In a JSON body an epoch is a number; a form writes both alike. */
    bool number = src->sp->json_body && (form == SL_BOUND_EPOCH || form == SL_BOUND_EPOCH_MS);
    for (int i = 0; i < 2 && names[i]; i++) { /* a full refresh has no bounds to send */
        char buf[SL_TIME_FMT_MAX];
        if (sl_time_bound(wp->format, bounds[i], wp->tz_offset_s, buf, sizeof buf) < 0 ||
            json_object_set_new(f, names[i],
                                number ? json_integer(strtoll(buf, NULL, 10))
                                       : json_string(buf)) != 0) {
            json_decref(f);
            return NULL;
        }
    }
    const sl_auth_cred *a = src->sp->auth.cfg;
    if (a && a->param && json_object_set_new(f, a->param, json_string(a->value)) != 0) {
        json_decref(f);
        return NULL;
    }
    return f;
}

/* The parameters of a next link's query (a link pager's request), as a filter: the link
 * says what to ask next, so the window's own parameters are not added again; the auth
 * method's parameter is. Owned; NULL when out of memory or the query is malformed. */
static json_t *link_filter(const sl_source *src, const char *url)
{
    const char *q = strchr(url, '?');
    size_t qlen = q ? strcspn(++q, "#") : 0;
    sl_params *p = sl_params_new();
    json_t *f = json_object();
    bool ok = p && f && (!q || sl_params_parse_form(p, q, qlen));
    for (size_t i = 0; ok && i < sl_params_count(p); i++)
        ok = json_object_set_new(f, sl_params_key(p, i), json_string(sl_params_value(p, i))) == 0;
    const sl_auth_cred *a = src->sp->auth.cfg;
    if (ok && a && a->param)
        ok = json_object_set_new(f, a->param, json_string(a->value)) == 0;
    sl_params_free(p);
    if (!ok)
        json_decref(f);
    return ok ? f : NULL;
}

/* The URL of a built request: base (the endpoint, or a next link without its query) and the
 * signer's query; for a GET, the form body's parameters too (a signer builds the same
 * parameters whatever the method). Owned; NULL when out of memory. */
static char *request_url(const sl_source_plan *sp, const char *base, const sl_request *out)
{
    bool body_in_query = sp->http_get && out->body_len;
    bool base_q = strchr(base, '?') != NULL;
    /* a signer's query starts with '?': after an endpoint that has one, it goes on with '&' */
    const char *query = base_q && out->query[0] == '?' ? out->query + 1 : out->query;
    const char *qsep = query != out->query ? "&" : "";
    char sep = !body_in_query ? '\0' : base_q || *out->query ? '&' : '?';
    size_t ulen = strlen(base) + strlen(query) + 3 + (sep ? out->body_len : 0);
    char *url = malloc(ulen);
    if (url)
        snprintf(url, ulen, "%s%s%s%c%s", base, qsep, query, sep, sep ? out->body : "");
    return url;
}

/* The job's headers, the auth method's (its value auth_value) and the signer's (sh, may be
 * NULL), as sl_http_req wants them: names[i], values[i] (borrowed; the arrays are owned, one
 * allocation). *n = how many. */
static const char **request_headers(const sl_source_plan *sp, const char *auth_value,
                                    const sl_params *sh, size_t *n)
{
    const sl_auth_cred *a = sp->auth.cfg;
    size_t extra = a && a->header && auth_value ? 1 : 0, ns = sh ? sl_params_count(sh) : 0;
    const char **v = malloc(2 * (sp->n_headers + extra + ns + 1) * sizeof *v);
    if (!v)
        return NULL;
    *n = sp->n_headers + extra + ns;
    for (size_t i = 0; i < ns; i++) {
        v[sp->n_headers + extra + i] = sl_params_key(sh, i);
        v[*n + sp->n_headers + extra + i] = sl_params_value(sh, i);
    }
    for (size_t i = 0; i < sp->n_headers; i++) {
        v[i] = sp->header_names[i];
        v[*n + i] = sp->header_values[i];
    }
    if (extra) {
        v[sp->n_headers] = a->header;
        v[*n + sp->n_headers] = auth_value;
    }
    return v;
}

/* The path of url ("/v1/orders": after the host, before the query; "/" when none) into out
 * (cap bytes, cut to fit). */
static void url_path(const char *url, char *out, size_t cap)
{
    const char *s = strstr(url, "://");
    s = s ? s + 3 : url;
    s += strcspn(s, "/?#");
    size_t n = *s == '/' ? strcspn(s, "?#") : 0;
    snprintf(out, cap, "%.*s", n ? (int)n : 1, n ? s : "/");
}

/* Signs the request and starts it over HTTP with the auth header's value auth_value; 0, or
 * -1 having failed the run. */
static int start_http(sl_source *src, sl_window *w, const sl_page_req *req,
                      const char *auth_value)
{
    sl_request out = {0};
    sl_error err = {0};
    sl_status st = sl_request_build(&src->sp->signer, req, &out, &err);
    if (st != SL_OK)
        return sl_runlog_fail(src->rl, st, "%s", err.msg), -1;
    const sl_source_plan *sp = src->sp;
    char *link = req->url ? strndup(req->url, strcspn(req->url, "?#")) : NULL;
    char *url = !req->url || link ? request_url(sp, link ? link : sp->endpoint, &out) : NULL;
    free(link);
    size_t n = 0;
    const char **hv = request_headers(sp, auth_value, out.headers, &n);
    int rc = -1;
    if (url && hv) {
        sl_http_req hr = {.url = url, .get = sp->http_get, .content_type = out.content_type,
                          .body = out.body, .body_len = out.body_len, .header_names = hv,
                          .header_values = hv + n, .n_headers = n};
        rc = sl_http_start(src->http, &hr, w);
    }
    free(url);
    free(hv);
    sl_request_clear(&out);
    if (rc != 0)
        return sl_runlog_fail(src->rl, SL_ERR_INTERNAL, "can't start an HTTP request"), -1;
    return 0;
}

/* The auth header's value for w's next request into *value: the plan's, or the credential the
 * session has in force (fetched when none is). Returns 0; 1 when the request must wait (the
 * credential's issuer failed for now: a transient failure of w, its limiter slot given back);
 * -1 having failed the run. */
static int auth_value(sl_source *src, sl_window *w, const char **value)
{
    const sl_auth_cred *a = src->sp->auth.cfg;
    *value = a ? a->value : NULL;
    if (!src->auth)
        return 0;
    char why[SL_API_WORDS_MAX + 200];
    uint64_t gen = 0;
    sl_auth_got got = src->auth->current(src->auth_session, sl_source_now_ms(), value, &gen,
                                         why, sizeof why);
    if (got == SL_AUTH_REFUSED)
        return sl_runlog_fail(src->rl, SL_ERR_SOURCE, "%s", why), -1;
    if (got == SL_AUTH_TRANSIENT) {
        sl_limiter_release(src->lim);
        sl_source_transient(src, w, why);
        return 1;
    }
    if (gen != src->auth_gen)
        sl_runlog_event(src->rl, "source.auth: credential %" PRIu64 " fetched", gen);
    src->auth_gen = read_of(w)->auth_gen = gen;
    return 0;
}

/* Asks the window's pager for its next page and sends the request (or replays its reply). */
static int send_request(sl_source *src, sl_window *w)
{
    win_read *wr = read_of(w);
    const char *auth = NULL;
    int ar = src->replay ? 0 : auth_value(src, w, &auth);
    if (ar != 0)
        return ar < 0 ? -1 : 0;
    wr->in_flight = true;
    wr->turn = ++src->sends;
    src->stats.requests++;
    char path[1024];
    sl_page_req req = {.method = src->sp->method, .json_body = src->sp->json_body,
                       .http_method = src->sp->http_get ? "GET" : "POST", .path = path};
    sl_page_ask ask = {.req = &req};
    if (!src->pager->ask(src->pager_cfg, wr->paging, &ask))
        return sl_runlog_fail(src->rl, SL_ERR_INTERNAL, "out of memory"), -1;
    wr->label = ask.label;
    if (src->replay)
        return sl_replay_request(src->replay, w, ask.label, src->rl);
    json_t *filter = req.url ? link_filter(src, req.url) : window_filter(src, w);
    if (!filter)
        return sl_runlog_fail(src->rl, SL_ERR_INTERNAL, "%s",
                              req.url ? "can't read the next link's parameters"
                                      : "can't format the window bounds"), -1;
    req.filter = filter;
    req.now = time(NULL);
    url_path(req.url ? req.url : src->sp->endpoint, path, sizeof path);
    int rc = start_http(src, w, &req, auth);
    json_decref(filter);
    return rc;
}

/* Until a first reply has passed the error rules, one request at a time: wrong credentials
 * then cost one request, not one per window in flight. */
static bool first_reply_pending(const sl_source *src)
{
    if (src->proven)
        return false;
    for (const sl_window *w = src->q.head; w; w = w->next)
        if (w->read && read_of(w)->in_flight)
            return true;
    return false;
}

/* The window that may send now and has waited longest since it last sent (new ones first, in
 * queue order), or NULL. Taking turns keeps every open window moving: scanning from the head
 * instead lets the first windows take every token while the last waits, and then finishes
 * alone, one request in flight (docs/performance.md). */
static sl_window *next_sender(sl_source *src, int64_t t, int64_t *wait)
{
    sl_window *pick = NULL;
    for (sl_window *w = src->q.head; w; w = w->next) {
        win_read *wr = read_of(w);
        if (w->done || !wr || wr->in_flight)
            continue;
        if (wr->not_before > t) {
            if (wr->not_before - t < *wait)
                *wait = wr->not_before - t;
            continue;
        }
        if (!pick || wr->turn < read_of(pick)->turn)
            pick = w;
    }
    return pick;
}

int64_t sl_source_dispatch(sl_source *src)
{
    int64_t wait = 200, t = sl_source_now_ms();
    sl_window *w;
    while (src->rl->status == SL_OK && (w = next_sender(src, t, &wait)) &&
           !first_reply_pending(src)) {
        if (src->lim) {
            int64_t lw = sl_limiter_acquire(src->lim, t);
            if (lw != 0) {
                if (lw > 0 && lw < wait)
                    wait = lw;
                break;
            }
        }
        if (send_request(src, w) != 0)
            break;
    }
    return wait < 1 ? 1 : wait;
}

/* ---- replies ---- */

/* One request's latency into the histogram of the run's counters. */
static void count_latency(sl_source_stats *st, double s)
{
    static const double bounds[SL_N_LATENCY_BOUNDS] = SL_LATENCY_BOUNDS_S;
    size_t b = 0;
    while (b < SL_N_LATENCY_BOUNDS && s > bounds[b])
        b++;
    st->latency[b]++;
    st->latency_sum_s += s;
}

static void on_http_done(const sl_http_result *res, void *ctx)
{
    sl_source *src = ctx;
    sl_window *w = res->tag;
    read_of(w)->in_flight = false;
    sl_limiter_release(src->lim);
    count_latency(&src->stats, res->elapsed_s);
    if (src->rl->status != SL_OK)
        return;
    if (res->curl_code != 0) {
        char what[160];
        snprintf(what, sizeof what, "%s%s", res->too_large ? "reply over max_body: " : "",
                 res->error);
        sl_source_transient(src, w, what);
        return;
    }
    src->headers = res->headers;
    sl_source_reply(src, w, res->status, res->body, res->len, res->retry_after_s);
    src->headers = NULL; /* borrowed from the transfer, like the body */
}

static void on_replayed(sl_window *w, const char *body, size_t len, void *ctx)
{
    sl_source *src = ctx;
    read_of(w)->in_flight = false;
    if (src->rl->status == SL_OK)
        sl_source_reply(src, w, 200, body, len, -1);
}

void sl_source_poll(sl_source *src, int64_t wait_ms)
{
    if (src->replay)
        sl_replay_poll(src->replay, on_replayed, src, src->rl);
    else
        sl_http_poll(src->http, (int)wait_ms, on_http_done, src);
}

/* ---- the source's life ---- */

typedef struct cred_buf {
    char *p;
    size_t len, cap;
    bool oom;
} cred_buf;

/* Appends one credential, its length first, so ("ab","c") and ("a","bc") differ. */
static void add_cred(const char *value, void *ctx)
{
    cred_buf *b = ctx;
    size_t n = strlen(value), need = b->len + sizeof n + n;
    if (b->oom)
        return;
    if (need > b->cap) {
        char *p = malloc(2 * need);
        if (!p) {
            b->oom = true;
            return;
        }
        if (b->p) {
            memcpy(p, b->p, b->len);
            explicit_bzero(b->p, b->len);
            free(b->p);
        }
        b->p = p;
        b->cap = 2 * need;
    }
    memcpy(b->p + b->len, &n, sizeof n);
    memcpy(b->p + b->len + sizeof n, value, n);
    b->len = need;
}

/* The limiter of the plan's source: shared with every run of the same credentials when a
 * pool is open (limiter.h), else its own. */
static sl_limiter *source_limiter(const sl_plan *plan)
{
    const sl_source_plan *sp = &plan->source;
    cred_buf b = {0};
    if (sl_limiter_pool_is_open())
        sl_plan_each_credential(plan, add_cred, &b);
    sl_limiter *lim = sl_limiter_new_shared(b.p, b.oom ? 0 : b.len,
                                            (double)sp->calls_per_minute, (int)sp->concurrency);
    if (b.p)
        explicit_bzero(b.p, b.len);
    free(b.p);
    return lim;
}

sl_source *sl_source_new(const sl_plan *plan, const sl_source_opts *opts,
                         const sl_source_hooks *hooks, sl_runlog *rl)
{
    sl_source *src = calloc(1, sizeof *src);
    if (!src) {
        sl_runlog_fail(rl, SL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    const sl_source_plan *sp = &plan->source;
    *src = (sl_source){.plan = plan, .sp = sp, .opts = opts, .hooks = hooks, .rl = rl,
                       .pager = sp->paging.kind->ops, .pager_cfg = sp->paging.cfg,
                       .rng = (uint64_t)time(NULL) * 2654435761u | 1};
    sl_wq_init(&src->q, opts->range_from, opts->range_to, sp->window.max_span_s,
               sp->window.overlap_s);
    if (opts->replay_dir) {
        src->replay = sl_replay_new(opts->replay_dir, sp->max_body_bytes);
    } else {
        src->http = sl_http_new(sp->timeout_ms, sp->connect_timeout_ms, (size_t)sp->max_body_bytes);
        src->lim = source_limiter(plan);
    }
    if (opts->replay_dir ? !src->replay : !src->http || !src->lim)
        sl_runlog_fail(rl, SL_ERR_INTERNAL, "can't set up the HTTP client");
    if (src->http && sp->auth.kind && sp->auth.kind->ops) { /* a credential fetched at run time */
        src->auth = sp->auth.kind->ops;
        src->auth_session = src->auth->session_new(sp->auth.cfg, sp->timeout_ms,
                                                   sp->connect_timeout_ms);
        if (!src->auth_session)
            sl_runlog_fail(rl, SL_ERR_INTERNAL, "out of memory");
    }
    src->arena = sl_jarena_new(ARENA_INITIAL, ARENA_MAX, 2 * (size_t)sp->max_body_bytes);
    src->scan = sl_jscan_new(plan);
    if (!src->arena || !src->scan)
        sl_runlog_fail(rl, SL_ERR_INTERNAL, "can't start the writer thread");
    return src;
}

void sl_source_free(sl_source *src)
{
    if (!src)
        return;
    sl_http_free(src->http); /* aborts requests in flight */
    for (sl_window *w = src->q.head; w; w = w->next)
        sl_source_window_free(w);
    sl_wq_clear(&src->q);
    sl_replay_free(src->replay);
    if (src->auth)
        src->auth->session_free(src->auth_session);
    sl_limiter_free(src->lim);
    sl_jarena_free(src->arena);
    sl_jscan_free(src->scan);
    free(src);
}

const sl_window_queue *sl_source_windows(const sl_source *src)
{
    return &src->q;
}

int sl_source_open(const sl_source *src)
{
    return src->open;
}

const sl_source_stats *sl_source_stats_get(const sl_source *src)
{
    return &src->stats;
}
