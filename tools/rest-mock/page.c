/* page.c: a GET on a resource: its parameters checked (strictly, by default), its window and
 * filters applied, one page cut out by the paging style (offset/limit, page/per_page, an
 * opaque cursor, or a next link that carries one of those), and the reply with the next
 * position and the total where the knobs put them. Orders pages may trigger changes. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "rest.h"

typedef struct arg {
    const char *key, *value;
} arg;

#define MAX_ARGS 64

typedef struct page_req {
    rm_server *s;
    const rm_request *req;
    rm_resource res;
    rm_paging style, pos_style; /* pos_style: link paging's positions are another style's */
    rm_total total;
    rm_filter filter;
    int64_t size, start, page_no;
    arg args[MAX_ARGS];
    size_t nargs;
    size_t nquery;             /* args[0..nquery) came from the query string */
    char *owned[2 * MAX_ARGS]; /* the body's parameters */
    size_t nowned;
    bool too_many;
} page_req;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    page_req *p = cls;
    if (p->nargs < MAX_ARGS)
        p->args[p->nargs++] = (arg){key, value ? value : ""};
    else
        p->too_many = true;
    return MHD_YES;
}

static void collect_owned(void *cls, char *key, char *value)
{
    page_req *p = cls;
    if (p->nowned + 2 > sizeof p->owned / sizeof p->owned[0]) {
        p->too_many = true;
        free(key);
        free(value);
        return;
    }
    p->owned[p->nowned++] = key;
    p->owned[p->nowned++] = value;
    collect(cls, MHD_POSTDATA_KIND, key, value);
}

/* The query's parameters, then a POST body's (form or JSON). */
static bool read_params(page_req *p, rm_reply *rep)
{
    const rm_request *req = p->req;
    MHD_get_connection_values(req->mc, MHD_GET_ARGUMENT_KIND, collect, p);
    p->nquery = p->nargs;
    bool json = req->ctype && strncmp(req->ctype, "application/json", 16) == 0;
    if (req->post && json && !rm_json_params(req->body->s, req->body->len, collect_owned, p)) {
        rm_reply_error(rep, 400, "invalid_body",
                       "a JSON object of parameters (no arrays or nulls) is required");
        return false;
    }
    if (req->post && !json)
        rm_form_parse(req->body->s, collect_owned, p);
    if (p->too_many)
        rm_reply_error(rep, 400, "invalid_parameter", "too many parameters");
    return !p->too_many;
}

static const char *param(const page_req *p, const char *key)
{
    for (size_t i = 0; i < p->nargs; i++)
        if (strcmp(p->args[i].key, key) == 0)
            return p->args[i].value;
    return NULL;
}

static int name_index(const char *const *names, const char *v)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(names[i], v) == 0)
            return i;
    return -1;
}

/* The position parameters of a paging style (a NULL-terminated pair). */
static const char *const *position_params(rm_paging st)
{
    static const char *const OFF[] = {"offset", "limit", NULL};
    static const char *const PAGE[] = {"page", "per_page", NULL};
    static const char *const CUR[] = {"cursor", "limit", NULL};
    return st == RM_PAGE_OFFSET ? OFF : st == RM_PAGE_PAGE ? PAGE : CUR;
}

static bool known_param(const page_req *p, const char *k)
{
    static const char *const COMMON[] = {"updated_from", "updated_to", "sort", "_paging",
                                         "_total", NULL};
    static const char *const ORDERS[] = {"status", "shop_id", NULL};
    return name_index(COMMON, k) >= 0 || name_index(position_params(p->pos_style), k) >= 0 ||
           (p->s->knobs.sign && strcmp(k, "sign") == 0) ||
           (p->res == RM_ORDERS && name_index(ORDERS, k) >= 0) || rm_auth_param(p->s, k);
}

static bool bad(rm_reply *rep, int status, const char *code, const char *fmt, const char *what)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, what);
    rm_reply_error(rep, status, code, msg);
    return false;
}

/* The style: the path's, else _paging, else the knob; _total likewise. */
static bool read_style(page_req *p, int forced, rm_reply *rep)
{
    static const char *const TOTAL[] = {"body", "header", "both", "none", NULL};
    const char *v = param(p, "_paging"), *t = param(p, "_total");
    int st = forced >= 0 ? forced : v ? name_index(RM_PAGING_NAMES, v) : (int)p->s->knobs.paging;
    int tot = t ? name_index(TOTAL, t) : (int)p->s->knobs.total;
    if (st < 0)
        return bad(rep, 400, "invalid_parameter", "_paging: '%s' is not offset, page, cursor or link", v);
    if (tot < 0)
        return bad(rep, 400, "invalid_parameter", "_total: '%s' is not body, header, both or none", t);
    p->style = (rm_paging)st;
    p->pos_style = st == RM_PAGE_LINK ? (rm_paging)p->s->knobs.link_via : p->style;
    p->total = (rm_total)tot;
    for (size_t i = 0; i < p->nargs; i++)
        if (p->s->knobs.strict_params && !known_param(p, p->args[i].key))
            return bad(rep, 400, "unknown_parameter", "unknown parameter '%s'", p->args[i].key);
    return true;
}

static bool int_param(const page_req *p, const char *key, int64_t lo, int64_t hi, int64_t *out,
                      rm_reply *rep)
{
    const char *v = param(p, key);
    char *end;
    if (!v)
        return true;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || x < lo || x > hi) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s must be an integer between %" PRId64 " and %" PRId64, key,
                 lo, hi);
        rm_reply_error(rep, 400, "invalid_parameter", msg);
        return false;
    }
    *out = x;
    return true;
}

/* A window bound in the form the window-format knob demands. */
static bool window_time(const page_req *p, const char *name, const char *v, int64_t *ms,
                        rm_reply *rep)
{
    static const char *const WANT[] = {"ISO-8601 or epoch seconds", "ISO-8601", "epoch seconds",
                                       "epoch milliseconds"};
    rm_window_format f = (rm_window_format)p->s->knobs.window_format;
    size_t digits = strspn(v, "0123456789");
    bool ok = f == RM_WIN_ANY ? rm_time_param(v, ms)
            : f == RM_WIN_ISO ? rm_iso_parse(v, ms)
                              : digits > 0 && digits <= 15 && !v[digits];
    if (ok && (f == RM_WIN_EPOCH_S || f == RM_WIN_EPOCH_MS))
        *ms = strtoll(v, NULL, 10) * (f == RM_WIN_EPOCH_S ? 1000 : 1);
    if (!ok) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s: '%.64s' is not %s", name, v, WANT[f]);
        rm_reply_error(rep, 400, "invalid_parameter", msg);
    }
    return ok;
}

static bool read_window(page_req *p, rm_reply *rep)
{
    rm_filter *f = &p->filter;
    const char *from = param(p, "updated_from"), *to = param(p, "updated_to");
    if ((f->has_from = from != NULL) && !window_time(p, "updated_from", from, &f->from_ms, rep))
        return false;
    if ((f->has_to = to != NULL) && !window_time(p, "updated_to", to, &f->to_ms, rep))
        return false;
    f->to_exclusive = p->s->knobs.to_exclusive;
    int64_t max = p->s->knobs.max_window_s;
    if (p->res == RM_ORDERS && max > 0 &&
        (!from || !to || f->to_ms - f->from_ms > max * 1000)) {
        rep->http = 422;
        mock_buf_fmt(&rep->body,
                     "{\"error\":\"range_too_wide\",\"message\":\"the updated window is wider "
                     "than %" PRId64 " seconds\",\"max_seconds\":%" PRId64 "}",
                     max, max);
        return false;
    }
    return true;
}

static bool read_filter(page_req *p, rm_reply *rep)
{
    const char *sort = param(p, "sort");
    if (sort && strcmp(sort, "updated_at") != 0 && strcmp(sort, "id") != 0)
        return bad(rep, 400, "invalid_parameter", "sort: '%s' is not updated_at or id", sort);
    p->filter.by_id = sort && strcmp(sort, "id") == 0;
    p->filter.status = param(p, "status");
    return int_param(p, "shop_id", 1, INT64_MAX, &p->filter.shop_id, rep) && read_window(p, rep);
}

/* ---- positions ---- */

#define CURSOR_MAX 96
#define CURSOR_MASK 0x5a /* makes the cursor opaque to eyes, not to a determined reader */

static void cursor_encode(const char *plain, char out[CURSOR_MAX])
{
    size_t n = 0;
    for (const char *c = plain; *c && n + 3 < CURSOR_MAX; c++, n += 2)
        snprintf(out + n, 3, "%02x", (unsigned)(unsigned char)(*c ^ CURSOR_MASK));
    out[n] = '\0';
}

static bool cursor_decode(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    for (; in[0] && in[1] && n + 1 < cap; in += 2) {
        unsigned v;
        if (sscanf(in, "%2x", &v) != 1)
            return false;
        out[n++] = (char)(v ^ CURSOR_MASK);
    }
    out[n] = '\0';
    return !*in;
}

/* The first selected record after the cursor's sort key (binary search: sel is sorted). */
static int64_t after_key(const page_req *p, const int32_t *sel, size_t n, rm_key k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        rm_key m = rm_data_key(p->s->data, p->res, sel[mid], p->filter.by_id);
        bool le = m.upd_ms < k.upd_ms || (m.upd_ms == k.upd_ms && m.id <= k.id);
        if (le)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (int64_t)lo;
}

static bool read_cursor(page_req *p, const int32_t *sel, size_t n, rm_reply *rep)
{
    const char *c = param(p, "cursor");
    char plain[CURSOR_MAX];
    long long a, b;
    unsigned long long id;
    if (!c)
        return true;
    if (!cursor_decode(c, plain, sizeof plain))
        return bad(rep, 400, "invalid_cursor", "cursor '%s' is not one this server issued", c);
    if (sscanf(plain, "o.%lld", &a) == 1 && a >= 0) {
        p->start = a;
        return true;
    }
    if (sscanf(plain, "k.%lld.%llu", &b, &id) == 2) {
        p->start = after_key(p, sel, n, (rm_key){b, id});
        return true;
    }
    return bad(rep, 400, "invalid_cursor", "cursor '%s' is not one this server issued", c);
}

/* Where the page starts in the selection and how long it is. */
static bool read_position(page_req *p, const int32_t *sel, size_t n, rm_reply *rep)
{
    int64_t max = p->s->knobs.max_page_size, base = p->s->knobs.page_base;
    const char *const *pp = position_params(p->pos_style);
    p->size = p->s->knobs.default_page_size;
    if (!int_param(p, pp[1], 1, max, &p->size, rep))
        return false;
    switch (p->pos_style) {
    case RM_PAGE_OFFSET:
        return int_param(p, "offset", 0, INT64_MAX / 2, &p->start, rep);
    case RM_PAGE_PAGE:
        p->page_no = base;
        if (!int_param(p, "page", base, INT32_MAX, &p->page_no, rep))
            return false;
        p->start = (p->page_no - base) * p->size;
        return true;
    default:
        return read_cursor(p, sel, n, rep);
    }
}

/* The next page's cursor (keyset: the last record's key; else the next offset). */
static void next_cursor(const page_req *p, const int32_t *sel, int64_t end, char out[CURSOR_MAX])
{
    char plain[64];
    if (p->s->knobs.cursor_kind == 1) {
        snprintf(plain, sizeof plain, "o.%" PRId64, end);
    } else {
        rm_key k = rm_data_key(p->s->data, p->res, sel[end - 1], p->filter.by_id);
        snprintf(plain, sizeof plain, "k.%" PRId64 ".%" PRIu64, k.upd_ms, k.id);
    }
    cursor_encode(plain, out);
}

/* ---- the reply ---- */

static void url_encode(mock_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            strchr("-._~", c))
            mock_buf_add(b, s, 1);
        else
            mock_buf_fmt(b, "%%%02X", c);
    }
}

/* The next page's URL: this request's parameters with the position ones replaced by pos
 * (key, value pairs, NULL-terminated). */
static void next_url(const page_req *p, const char *const *pos, mock_buf *out)
{
    const char *const *pp = position_params(p->pos_style);
    mock_buf_fmt(out, "http://%s%s", p->req->host ? p->req->host : "127.0.0.1", p->req->url);
    char sep = '?';
    for (size_t i = 0; i < p->nargs; i++) {
        if (name_index(pp, p->args[i].key) >= 0)
            continue;
        mock_buf_add(out, &sep, 1);
        url_encode(out, p->args[i].key);
        mock_buf_str(out, "=");
        url_encode(out, p->args[i].value);
        sep = '&';
    }
    for (size_t i = 0; pos[i]; i += 2, sep = '&')
        mock_buf_fmt(out, "%c%s=%s", sep, pos[i], pos[i + 1]);
}

/* The next page's position parameters in pos_style (into texts held by the caller). */
static void next_position(const page_req *p, const int32_t *sel, int64_t end, char num[2][24],
                          char cur[CURSOR_MAX], const char *pos[5])
{
    const char *const *pp = position_params(p->pos_style);
    snprintf(num[1], 24, "%" PRId64, p->size);
    if (p->pos_style == RM_PAGE_CURSOR) {
        next_cursor(p, sel, end, cur);
        pos[1] = cur;
    } else {
        snprintf(num[0], 24, "%" PRId64, p->pos_style == RM_PAGE_PAGE ? p->page_no + 1 : end);
        pos[1] = num[0];
    }
    pos[0] = pp[0];
    pos[2] = pp[1];
    pos[3] = num[1];
    pos[4] = NULL;
}

static bool in_body(int64_t where) { return where != RM_IN_HEADER; }
static bool in_header(int64_t where) { return where != RM_IN_BODY; }

/* The style's own members after "data", and its headers. */
static void page_meta(const page_req *p, const int32_t *sel, size_t n, int64_t end,
                      rm_reply *rep)
{
    bool more = end < (int64_t)n && end > p->start;
    char num[2][24], cur[CURSOR_MAX];
    const char *pos[5] = {0};
    mock_buf *b = &rep->body;
    if (more)
        next_position(p, sel, end, num, cur, pos);
    if (p->style == RM_PAGE_OFFSET)
        mock_buf_fmt(b, ",\"offset\":%" PRId64 ",\"limit\":%" PRId64, p->start, p->size);
    if (p->style == RM_PAGE_PAGE)
        mock_buf_fmt(b, ",\"page\":%" PRId64 ",\"per_page\":%" PRId64, p->page_no, p->size);
    if (p->style == RM_PAGE_PAGE && p->total != RM_TOTAL_HEADER && p->total != RM_TOTAL_NONE)
        mock_buf_fmt(b, ",\"total_pages\":%" PRId64, ((int64_t)n + p->size - 1) / p->size);
    if (p->style == RM_PAGE_CURSOR && in_body(p->s->knobs.cursor_in)) {
        mock_buf_str(b, ",\"next_cursor\":");
        mock_buf_str(b, more ? "\"" : "null");
        mock_buf_str(b, more ? cur : "");
        mock_buf_str(b, more ? "\"" : "");
    }
    if (p->style == RM_PAGE_CURSOR && more && in_header(p->s->knobs.cursor_in))
        rm_reply_header(rep, "X-Next-Cursor", cur);
    if (p->style != RM_PAGE_LINK)
        return;
    mock_buf url = {0};
    if (more)
        next_url(p, pos, &url);
    if (in_body(p->s->knobs.link_in)) {
        mock_buf_str(b, ",\"links\":{\"next\":");
        if (more)
            mock_buf_json_str(b, url.s);
        mock_buf_str(b, more ? "}" : "null}");
    }
    if (more && in_header(p->s->knobs.link_in)) {
        mock_buf hdr = {0};
        mock_buf_fmt(&hdr, "<%s>; rel=\"next\"", url.s);
        rm_reply_header(rep, "Link", hdr.s);
        free(hdr.s);
    }
    free(url.s);
}

static void reply_page(page_req *p, const int32_t *sel, size_t n, rm_reply *rep)
{
    if (p->start > (int64_t)n)
        p->start = (int64_t)n;
    int64_t end = p->start + p->size < (int64_t)n ? p->start + p->size : (int64_t)n;
    mock_buf *b = &rep->body;
    mock_buf_str(b, "{\"data\":[");
    for (int64_t i = p->start; i < end; i++) {
        if (i > p->start)
            mock_buf_str(b, ",");
        rm_data_emit(p->s->data, p->res, sel[i], b);
    }
    mock_buf_str(b, "]");
    page_meta(p, sel, n, end, rep);
    if (p->total == RM_TOTAL_BODY || p->total == RM_TOTAL_BOTH)
        mock_buf_fmt(b, ",\"total\":%zu", n);
    mock_buf_str(b, "}");
    if (p->total == RM_TOTAL_HEADER || p->total == RM_TOTAL_BOTH) {
        char t[24];
        snprintf(t, sizeof t, "%zu", n);
        rm_reply_header(rep, "X-Total-Count", t);
    }
    p->s->stats.pages++;
    p->s->stats.records += end - p->start;
}

/* Orders: once mutate-after pages have been served (then every mutate-every more), records
 * change before the next page is cut, under that request's own selection, so the change
 * lands where this reader pages, and never after a reader's last page. */
static void maybe_mutate(page_req *p)
{
    rm_server *s = p->s;
    const rm_knobs *k = &s->knobs;
    int64_t served = s->stats.order_pages, past = served - k->mutate_after;
    if (k->mutate_after <= 0 || past < 0 || s->mutated_at == served + 1 ||
        (past != 0 && (k->mutate_every <= 0 || past % k->mutate_every != 0)))
        return;
    size_t n;
    int32_t *sel = rm_data_select(s->data, p->res, &p->filter, &n);
    rm_data_mutate(s->data, sel, n, k->mutate_update, k->mutate_insert, k->mutate_drop_item != 0);
    free(sel);
    s->mutated_at = served + 1; /* once per count, whatever fails after */
    s->stats.mutations++;
}

static int arg_cmp(const void *a, const void *b)
{
    return strcmp(((const arg *)a)->key, ((const arg *)b)->key);
}

/* sign hmac-sha256: `sign` must be the HMAC-SHA256 (key RM_SIGN_SECRET, lower-case hex) of
 * the other parameters, as received, sorted by key and written k=v joined by &. With
 * hmac-sha256-body, of the query's parameters and `body`, the exact body bytes; the signature
 * may also come in the header X-Sign. */
static bool sign_ok(const page_req *p, rm_reply *rep)
{
    arg v[MAX_ARGS + 1];
    size_t n = 0;
    bool body = p->s->knobs.sign == 2;
    const char *got =
        body ? MHD_lookup_connection_value(p->req->mc, MHD_HEADER_KIND, "X-Sign") : NULL;
    for (size_t i = 0; i < (body ? p->nquery : p->nargs); i++) {
        if (strcmp(p->args[i].key, "sign") == 0)
            got = p->args[i].value;
        else
            v[n++] = p->args[i];
    }
    if (body) /* NUL-free bodies only: a JSON or form body is text */
        v[n++] = (arg){"body", p->req->post ? p->req->body->s : ""};
    qsort(v, n, sizeof *v, arg_cmp);
    sl_digest d;
    uint8_t raw[SL_DIGEST_MAX];
    char want[SL_DIGEST_TEXT];
    sl_digest_init(&d, SL_HASH_SHA256, RM_SIGN_SECRET, strlen(RM_SIGN_SECRET));
    for (size_t i = 0; i < n; i++) {
        if (i)
            sl_digest_update(&d, "&", 1);
        sl_digest_update(&d, v[i].key, strlen(v[i].key));
        sl_digest_update(&d, "=", 1);
        sl_digest_update(&d, v[i].value, strlen(v[i].value));
    }
    sl_digest_encode(raw, sl_digest_final(&d, raw), SL_ENC_HEX, want);
    if (got && strcmp(got, want) == 0)
        return true;
    rm_reply_error(rep, 401, "invalid_signature",
                   got ? "the signature does not match the request" : "the request is not signed");
    return false;
}

void rm_page(rm_server *s, const rm_request *req, rm_resource r, int forced, rm_reply *rep)
{
    page_req *p = mock_xcalloc(1, sizeof *p);
    p->s = s;
    p->req = req;
    p->res = r;
    size_t n = 0;
    int32_t *sel = NULL;
    if (read_params(p, rep) && (!s->knobs.sign || sign_ok(p, rep)) &&
        read_style(p, forced, rep) && read_filter(p, rep)) {
        if (r == RM_ORDERS)
            maybe_mutate(p);
        sel = rm_data_select(s->data, r, &p->filter, &n);
        n = req->empty ? 0 : n;
        if (read_position(p, sel, n, rep)) {
            reply_page(p, sel, n, rep);
            s->stats.order_pages += r == RM_ORDERS;
        }
    }
    free(sel);
    for (size_t i = 0; i < p->nowned; i++)
        free(p->owned[i]);
    free(p);
}
