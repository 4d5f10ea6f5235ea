/* route.c: the two API routes of wdt-api.md section 6: the checks in their documented order,
 * the WDT business rules shared by both, and the exact reply texts. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mock.h"
#include "timeutil.h"

/* Fixture credentials (wdt-api.md section 6). */
#define FX_SID "wdtapi3"
#define FX_KEY "testkey"
#define FX_SECRET "testsecret"
#define FX_APP_KEY "12345678"
#define FX_APP_SECRET "qmsecret"
#define FX_TARGET "87654321"
#define QIMEN_METHOD "wdt.aftersales.refund.refund.search"
#define QIMEN_SCENE "3ldsmu02o9."
#define DIRECT_METHOD "aftersales.refund.Refund.search"

#define MSG_FREQ "超过每分钟最大调用频率限制，请稍后重试"
#define MSG_CONC "超过每分钟最大并发次数限制，请稍后重试"
#define MSG_PAGER "此方法仅支持分页查询：" DIRECT_METHOD
#define MSG_NO_TIME "参数中必须包含起止时间"
#define MSG_SPAN "您的查询时间过宽,查询时间不能大于30天"
#define MSG_STATUS "状态应该是由逗号分隔开的整数数组"

/* One call in the WDT stage: what both routes hand to the business rules. */
typedef struct wdt_call {
    bool wrap;       /* Qimen: {"response": ...} */
    bool with_total; /* Qimen always; direct when calc_total=1 */
    bool has_pager;
    const char *page_no, *page_size; /* text or NULL */
    json_t *filter;                  /* borrowed */
    long long inflight;
} wdt_call;

static const char *get(const sl_params *p, const char *k)
{
    return sl_params_get(p, k);
}

static bool eq(const char *a, const char *b)
{
    return a && strcmp(a, b) == 0;
}

/* ---- replies ---- */

static void reply_status(mock_server *s, mock_reply *rep, bool wrap, int status, const char *msg)
{
    atomic_fetch_add(&s->stats.errors, 1);
    rep->http = 200;
    mock_buf_str(&rep->body, wrap ? "{\"response\":{\"status\":" : "{\"status\":");
    mock_buf_fmt(&rep->body, "%d,\"message\":", status);
    mock_buf_json_str(&rep->body, msg);
    mock_buf_str(&rep->body, wrap ? "}}" : "}");
}

/* A gateway failure, in the Qimen form {"response":{"flag":"failure",...}} or, with the
 * classic-errors knob, TOP's {"error_response":{"code","msg","sub_code","sub_msg"}}. */
static void reply_gateway(mock_server *s, mock_reply *rep, int code, const char *msg,
                          const char *sub_msg)
{
    pthread_mutex_lock(&s->lock);
    bool classic = s->knobs.classic_errors;
    pthread_mutex_unlock(&s->lock);
    atomic_fetch_add(&s->stats.errors, 1);
    rep->http = 200;
    if (classic)
        mock_buf_fmt(&rep->body, "{\"error_response\":{\"code\":%d,\"msg\":", code);
    else
        mock_buf_fmt(&rep->body, "{\"response\":{\"flag\":\"failure\",\"code\":%d,\"message\":",
                     code);
    mock_buf_json_str(&rep->body, msg);
    if (sub_msg) {
        mock_buf_str(&rep->body, ",\"sub_code\":\"accesscontrol.limited-by-app-access-count\",");
        mock_buf_str(&rep->body, classic ? "\"sub_msg\":" : "\"sub_message\":");
        mock_buf_json_str(&rep->body, sub_msg);
    }
    mock_buf_fmt(&rep->body, ",\"request_id\":\"mock-%lld\"}}",
                 (long long)atomic_fetch_add(&s->request_ids, 1) + 1);
}

/* ---- limits ---- */

/* Gateway code 7: a ban in force, a qps limit just reached, or an injected fault. A request
 * during a ban is a violation only if it came in later than ban_grace_ms after the reply that
 * started the ban went out: requests already on their way could not know. */
static bool gateway_throttled(mock_server *s, mock_reply *rep)
{
    int64_t now = mock_wall_ms(), left = 0;
    pthread_mutex_lock(&s->lock);
    if (now < s->ban_until_ms) {
        left = s->ban_until_ms - now;
        if (s->ban_known_ms != INT64_MAX &&
            rep->arrived_ms > s->ban_known_ms + s->knobs.ban_grace_ms)
            atomic_fetch_add(&s->stats.ban_violations, 1);
        else
            atomic_fetch_add(&s->stats.ban_excused, 1);
    } else {
        bool over = false;
        if (s->knobs.gateway_qps > 0) {
            if (now / 1000 != s->qps_second) {
                s->qps_second = now / 1000;
                s->qps_count = 0;
            }
            over = ++s->qps_count > s->knobs.gateway_qps;
        }
        if (over || mock_draw_locked(s, F_THROTTLE_GW)) {
            left = s->knobs.ban_seconds * 1000;
            s->ban_until_ms = now + left;
            s->ban_known_ms = INT64_MAX;
            rep->ban_started = true;
        }
    }
    pthread_mutex_unlock(&s->lock);
    if (!left)
        return false;
    atomic_fetch_add(&s->stats.thr_gateway, 1);
    char sub[80];
    snprintf(sub, sizeof sub, "This ban will last for %lld more seconds",
             (long long)((left + 999) / 1000));
    reply_gateway(s, rep, 7, "App Call Limited", sub);
    return true;
}

/* Per-minute call limit over a sliding minute; accepted calls are remembered. */
static bool over_rate(mock_server *s)
{
    int64_t now = mock_wall_ms();
    bool over = false;
    pthread_mutex_lock(&s->lock);
    int64_t lim = s->knobs.calls_per_minute;
    if (lim > 0) {
        if (s->ring_cap != lim) {
            free(s->calls_ring);
            s->calls_ring = mock_xcalloc((size_t)lim, sizeof(int64_t));
            s->ring_cap = lim;
            s->ring_n = s->ring_head = 0;
        }
        /* ring_head is the oldest of the last lim accepted calls once the ring is full */
        over = s->ring_n == lim && now - s->calls_ring[s->ring_head] < 60000;
        if (!over) {
            s->calls_ring[s->ring_head] = now;
            s->ring_head = (s->ring_head + 1) % lim;
            if (s->ring_n < lim)
                s->ring_n++;
        }
    }
    pthread_mutex_unlock(&s->lock);
    return over;
}

static bool wdt_throttled(mock_server *s, const wdt_call *c, mock_reply *rep)
{
    if (over_rate(s) || mock_draw(s, F_THROTTLE_FREQ)) {
        atomic_fetch_add(&s->stats.thr_freq, 1);
        reply_status(s, rep, c->wrap, 100, MSG_FREQ);
        return true;
    }
    pthread_mutex_lock(&s->lock);
    int64_t conc = s->knobs.concurrency;
    pthread_mutex_unlock(&s->lock);
    if ((conc > 0 && c->inflight > conc) || mock_draw(s, F_THROTTLE_CONC)) {
        atomic_fetch_add(&s->stats.thr_conc, 1);
        reply_status(s, rep, c->wrap, 100, MSG_CONC);
        return true;
    }
    return false;
}

/* ---- business rules ---- */

/* An integer from a JSON integer or a numeric string. */
static bool json_int(const json_t *v, int64_t *out)
{
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return true;
    }
    const char *s = json_string_value(v);
    char *end;
    if (!s || !*s)
        return false;
    long long x = strtoll(s, &end, 10);
    *out = x;
    return *end == '\0';
}

static bool text_int(const char *s, int64_t *out)
{
    char *end;
    if (!s || !*s)
        return false;
    *out = strtoll(s, &end, 10);
    return *end == '\0';
}

/* "yyyy-MM-dd HH:mm:ss", or minute precision "yyyy-MM-dd HH:mm". */
static bool parse_date(const json_t *v, int64_t *t, char *msg, size_t n)
{
    const char *s = json_string_value(v);
    char full[20];
    size_t len = s ? strlen(s) : 0;
    if (len == 16) {
        snprintf(full, sizeof full, "%s:00", s);
        s = full;
        len = 19;
    }
    if (s && sl_time_parse(s, len, MOCK_TZ, t))
        return true;
    char *text = json_is_string(v) ? NULL : json_dumps(v, JSON_ENCODE_ANY);
    snprintf(msg, n, "Unparseable date: \"%s\"", json_is_string(v) ? json_string_value(v)
                                                               : text ? text : "");
    free(text);
    return false;
}

static bool parse_status(const json_t *v, mock_query *q)
{
    int64_t x;
    if (json_int(v, &x)) {
        q->status[q->n_status++] = (int)x;
        return true;
    }
    const char *s = json_string_value(v);
    if (!s)
        return false;
    while (*s && q->n_status < 16) {
        char *end;
        long long st = strtoll(s, &end, 10);
        if (end == s || (*end && *end != ','))
            return false;
        q->status[q->n_status++] = (int)st;
        s = *end ? end + 1 : end;
    }
    return true;
}

static const char *number_filter(const json_t *f, const char **val)
{
    static const char *const keys[] = {"refund_no", "tid", "trade_no", "buyer_nick",
                                       "return_logistics_no", "raw_refund_nos"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const char *v = json_string_value(json_object_get(f, keys[i]));
        if (v && *v) {
            *val = v;
            return keys[i];
        }
    }
    return NULL;
}

static bool parse_window(const json_t *f, mock_query *q, char *msg, size_t n)
{
    const json_t *from = json_object_get(f, "modified_from");
    const json_t *to = json_object_get(f, "modified_to");
    q->num_key = number_filter(f, &q->num_val);
    if ((from && !parse_date(from, &q->from, msg, n)) || (to && !parse_date(to, &q->to, msg, n)))
        return false;
    q->has_window = from && to;
    if (!q->has_window && !q->num_key) {
        snprintf(msg, n, "%s", MSG_NO_TIME);
        return false;
    }
    if (q->has_window && q->to - q->from > 30 * 86400) {
        snprintf(msg, n, "%s", MSG_SPAN);
        return false;
    }
    return true;
}

static bool parse_filters(const json_t *f, mock_query *q, char *msg, size_t n)
{
    const json_t *v;
    int64_t x;
    if (!parse_window(f, q, msg, n))
        return false;
    if ((v = json_object_get(f, "shop_nos")) && json_is_string(v))
        snprintf(q->shop_nos, sizeof q->shop_nos, "%s", json_string_value(v));
    if ((v = json_object_get(f, "status")) && !parse_status(v, q)) {
        snprintf(msg, n, "%s", MSG_STATUS);
        return false;
    }
    if ((v = json_object_get(f, "type")) && json_int(v, &x)) {
        q->has_type = true;
        q->type = (int)x;
    }
    if ((v = json_object_get(f, "stockin_status")) && json_int(v, &x)) {
        q->has_stockin = true;
        q->stockin = (int)x;
    }
    q->desc = json_int(json_object_get(f, "order_type"), &x) && x == 1;
    return true;
}

static bool parse_pager(mock_server *s, const wdt_call *c, mock_query *q, char *msg, size_t n)
{
    pthread_mutex_lock(&s->lock);
    int64_t max = s->knobs.max_page_size, def = s->knobs.default_page_size;
    q->total_cap = s->knobs.total_cap;
    q->bad_literals = s->knobs.bad_literals;
    pthread_mutex_unlock(&s->lock);
    if (!text_int(c->page_no, &q->page_no) || q->page_no < 0 || q->page_no > 1000000000) {
        snprintf(msg, n, "page_no不合法: %s", c->page_no ? c->page_no : "");
        return false;
    }
    if (!c->page_size || !text_int(c->page_size, &q->page_size) || q->page_size <= 0)
        q->page_size = def;
    if (q->page_size > max) {
        snprintf(msg, n, "page_size超过最大值");
        return false;
    }
    return true;
}

static void reply_page(mock_server *s, const wdt_call *c, const mock_query *q, mock_reply *rep)
{
    int64_t total;
    mock_buf *b = &rep->body;
    rep->http = 200;
    mock_buf_str(b, c->wrap ? "{\"response\":{\"status\":0,\"data\":{"
                            : "{\"status\":0,\"data\":{");
    int64_t n = mock_data_page(s->data, q, c->with_total, b, &total);
    mock_buf_str(b, c->wrap ? "}}}" : "}}");
    atomic_fetch_add(&s->stats.pages, 1);
    atomic_fetch_add(&s->stats.records, n);
}

/* The admin's "refuse": every call gets its status and message (a test's hostile API error). */
static bool refused(mock_server *s, const wdt_call *c, mock_reply *rep)
{
    pthread_mutex_lock(&s->lock);
    char *msg = s->refuse_msg ? strdup(s->refuse_msg) : NULL;
    int status = s->refuse_status;
    pthread_mutex_unlock(&s->lock);
    bool hit = msg != NULL;
    if (hit)
        reply_status(s, rep, c->wrap, status, msg);
    free(msg);
    return hit;
}

/* After the gates: limits, pager, business rules, page, then mutation and truncation. */
static void wdt_stage(mock_server *s, const wdt_call *c, mock_reply *rep)
{
    mock_query q;
    char msg[512];
    memset(&q, 0, sizeof q);
    if (wdt_throttled(s, c, rep) || refused(s, c, rep))
        return;
    if (!c->has_pager) {
        reply_status(s, rep, c->wrap, 100, MSG_PAGER);
        return;
    }
    if (!json_is_object(c->filter)) {
        reply_status(s, rep, c->wrap, 100, "参数格式错误");
        return;
    }
    if (!parse_pager(s, c, &q, msg, sizeof msg) || !parse_filters(c->filter, &q, msg, sizeof msg)) {
        reply_status(s, rep, c->wrap, 100, msg);
        return;
    }
    reply_page(s, c, &q, rep);
    pthread_mutex_lock(&s->lock);
    int64_t k = s->knobs.mutate, m = s->knobs.mutate_insert;
    double share = s->knobs.mutate_share;
    pthread_mutex_unlock(&s->lock);
    if (q.has_window && (k > 0 || m > 0 || share > 0))
        mock_data_mutate(s->data, &q, k, share, m);
    if (mock_draw(s, F_TRUNCATE))
        rep->body.len /= 2;
}

/* ---- Qimen ---- */

static bool known_method(const char *m)
{
    size_t n = strlen(QIMEN_SCENE);
    if (strncmp(m, QIMEN_SCENE, n) == 0)
        m += n;
    return strcmp(m, QIMEN_METHOD) == 0;
}

/* wdt_sign covers the business params: everything but TOP's system params. Clients differ
 * on target_app_key, so both forms are accepted. */
static bool wdt_sign_ok(const sl_params *p)
{
    static const char *const top[] = {"app_key", "timestamp", "format", "v", "sign_method",
                                      "sign", "partner_id", "session", "simplify"};
    sl_params *biz = sl_params_new();
    char want[33];
    bool ok = false;
    for (size_t i = 0; biz && i < sl_params_count(p); i++) {
        const char *k = sl_params_key(p, i);
        size_t j = 0;
        while (j < sizeof top / sizeof top[0] && strcmp(top[j], k) != 0)
            j++;
        if (j == sizeof top / sizeof top[0] && !sl_params_set(biz, k, sl_params_value(p, i)))
            goto out;
    }
    sl_sign_wdt(biz, FX_SECRET, want);
    if (eq(get(p, "wdt_sign"), want)) {
        ok = true;
        goto out;
    }
    if (!get(biz, "target_app_key")) /* nothing else to try */
        goto out;
    sl_params *alt = sl_params_new();
    for (size_t i = 0; alt && i < sl_params_count(biz); i++)
        if (strcmp(sl_params_key(biz, i), "target_app_key") != 0)
            sl_params_set(alt, sl_params_key(biz, i), sl_params_value(biz, i));
    if (alt) {
        sl_sign_wdt(alt, FX_SECRET, want);
        ok = eq(get(p, "wdt_sign"), want);
    }
    sl_params_free(alt);
out:
    sl_params_free(biz);
    return ok;
}

static bool top_sign_ok(const sl_params *p)
{
    char want[33];
    sl_sign_top(p, FX_APP_SECRET, want);
    return eq(get(p, "sign"), want);
}

/* Gateway checks 1-4 of section 6 A; true if a reply was made. */
static bool qimen_gate(mock_server *s, const sl_params *p, mock_reply *rep)
{
    const char *m = get(p, "method"), *ts = get(p, "timestamp"), *ak = get(p, "app_key");
    int64_t t;
    if (!m || !*m)
        reply_gateway(s, rep, 21, "Missing method", NULL);
    else if (!known_method(m))
        reply_gateway(s, rep, 22, "Invalid method", NULL);
    else if (!ak || !*ak)
        reply_gateway(s, rep, 28, "Missing app key", NULL);
    else if (!eq(ak, FX_APP_KEY) || !eq(get(p, "target_app_key"), FX_TARGET))
        reply_gateway(s, rep, 29, "Invalid app Key", NULL);
    else if (!ts || !*ts)
        reply_gateway(s, rep, 30, "Missing timestamp", NULL);
    else if (!sl_time_parse(ts, strlen(ts), MOCK_TZ, &t) ||
             llabs((long long)(mock_wall_ms() / 1000 - t)) > 600)
        reply_gateway(s, rep, 31, "Invalid timestamp", NULL);
    else if (!top_sign_ok(p))
        reply_gateway(s, rep, 25, "Invalid signature", NULL);
    else
        return gateway_throttled(s, rep);
    return true;
}

void mock_route_qimen(mock_server *s, const sl_params *p, long long inflight, mock_reply *rep)
{
    if (qimen_gate(s, p, rep))
        return;
    if (!eq(get(p, "wdt3_customer_id"), FX_SID)) {
        reply_status(s, rep, true, 1, "sid is not exists");
        return;
    }
    if (!eq(get(p, "wdt_appkey"), FX_KEY) || !wdt_sign_ok(p)) {
        reply_status(s, rep, true, 1, "验证失败");
        return;
    }
    const char *params = get(p, "params"), *pager = get(p, "pager");
    json_t *filter = params ? json_loads(params, 0, NULL) : json_object();
    json_t *pg = pager ? json_loads(pager, 0, NULL) : NULL;
    char no[24] = "", size[24] = "";
    int64_t x;
    if (json_int(json_object_get(pg, "page_no"), &x))
        snprintf(no, sizeof no, "%" PRId64, x);
    if (json_int(json_object_get(pg, "page_size"), &x))
        snprintf(size, sizeof size, "%" PRId64, x);
    wdt_call c = {true, true, json_is_object(pg), no, *size ? size : NULL, filter, inflight};
    wdt_stage(s, &c, rep);
    json_decref(filter);
    json_decref(pg);
}

/* ---- direct ---- */

static bool direct_sign_ok(const sl_params *q, const char *body, size_t len)
{
    char want[33];
    if (!eq(get(q, "key"), FX_KEY))
        return false;
    sl_sign_direct(q, body, len, FX_SECRET, want);
    return eq(get(q, "sign"), want);
}

/* Direct-route gates of section 6 B; true if a reply was made. */
static bool direct_gate(mock_server *s, const sl_params *q, const char *body, size_t len,
                        mock_reply *rep)
{
    const char *ts = get(q, "timestamp");
    int64_t t;
    char msg[160];
    if (!eq(get(q, "sid"), FX_SID)) {
        reply_status(s, rep, false, 1, "sid is not exists");
    } else if (!eq(get(q, "v"), "1.0")) {
        reply_status(s, rep, false, 8, "版本错误");
    } else if (!text_int(ts, &t) || strlen(ts) > 10 || t > INT32_MAX || t < INT32_MIN) {
        snprintf(msg, sizeof msg, "For input string: \"%s\"", ts ? ts : "");
        reply_status(s, rep, false, 1, msg);
    } else if (llabs((long long)(mock_wall_ms() / 1000 - SL_WDT_DIRECT_EPOCH - t)) > 120) {
        reply_status(s, rep, false, 7, "时间戳错误");
    } else if (!direct_sign_ok(q, body, len)) {
        reply_status(s, rep, false, 1, "验证失败");
    } else if (!eq(get(q, "method"), DIRECT_METHOD)) {
        reply_status(s, rep, false, 1, "method not exists");
    } else {
        return false;
    }
    return true;
}

void mock_route_direct(mock_server *s, const sl_params *q, const char *body, size_t len,
                       long long inflight, mock_reply *rep)
{
    if (direct_gate(s, q, body, len, rep))
        return;
    json_t *arr = json_loadb(body, len, 0, NULL);
    json_t *filter = json_array_get(arr, 0);
    wdt_call c = {false, eq(get(q, "calc_total"), "1"), get(q, "page_no") != NULL,
                  get(q, "page_no"), get(q, "page_size"), filter, inflight};
    wdt_stage(s, &c, rep);
    json_decref(arr);
}
