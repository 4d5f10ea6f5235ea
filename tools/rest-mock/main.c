/* main.c: rest-mock's command line, routes, admin endpoints (/_truth, /_stats, /_admin) and
 * the frame around every API request: latency, injected faults (5xx, 429 with Retry-After,
 * truncated bodies, POST /_admin's fail_next), auth, then the page. The server itself is
 * tools/mockkit's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rest.h"

#define MAX_BODY (64 * 1024) /* a larger request body is refused */

typedef struct options {
    int64_t port, orders, shops, seed, from_ms, to_ms, now_ms;
    const char *port_file;
    bool has_now;
} options;

typedef struct args {
    options *o;
    rm_server *s;
} args;

static const char *const FAULT_NAMES[RF_COUNT] = {"http_500", "http_502", "http_503", "http_429",
                                                  "truncate", "empty"};

void rm_reply_header(rm_reply *rep, const char *name, const char *value)
{
    if (rep->nheaders == RM_MAX_HEADERS)
        abort(); /* a programming error: raise RM_MAX_HEADERS */
    rep->headers[2 * rep->nheaders] = mock_xstrdup(name);
    rep->headers[2 * rep->nheaders + 1] = mock_xstrdup(value);
    rep->nheaders++;
}

void rm_reply_error(rm_reply *rep, int status, const char *code, const char *message)
{
    rep->http = status;
    rep->body.len = 0;
    mock_buf_str(&rep->body, "{\"error\":");
    mock_buf_json_str(&rep->body, code);
    mock_buf_str(&rep->body, ",\"message\":");
    mock_buf_json_str(&rep->body, message);
    mock_buf_str(&rep->body, "}");
}

/* ---- faults ---- */

static bool draw(rm_server *s, rm_fault f)
{
    const double rates[RF_COUNT] = {s->knobs.fail_500,      s->knobs.fail_502,
                                    s->knobs.fail_503,      s->knobs.fail_429,
                                    s->knobs.fail_truncate, s->knobs.fail_empty};
    bool hit = rates[f] > 0 && mock_rng_unit(&s->rng) < rates[f];
    s->stats.faults[f] += hit;
    return hit;
}

/* A fault reply of this status, as a real service's gateway would send it. */
static void fault_reply(rm_server *s, int status, rm_reply *rep)
{
    if (status == 502) {
        rep->http = 502;
        rep->ctype = "text/html";
        mock_buf_str(&rep->body, "<html><body><h1>502 Bad Gateway</h1></body></html>");
        return;
    }
    rm_reply_error(rep, status,
                   status == 429 ? "rate_limited" : status == 503 ? "unavailable"
                   : status >= 500 ? "internal_error" : "injected",
                   status == 429 ? "too many requests" : "injected fault");
    if (status == 429 || status == 503) {
        char when[64];
        int64_t now = mock_wall_ms();
        time_t at = (time_t)(now / 1000 + s->knobs.retry_after_s);
        struct tm tm;
        if (s->knobs.retry_after_date)
            strftime(when, sizeof when, "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&at, &tm));
        else
            snprintf(when, sizeof when, "%lld", (long long)s->knobs.retry_after_s);
        rm_reply_header(rep, "Retry-After", when);
        /* a date has whole seconds: a client may go at that second, not a full delay later */
        s->retry_until_ms = s->knobs.retry_after_date ? (int64_t)at * 1000
                                                      : now + s->knobs.retry_after_s * 1000;
    }
}

/* The status of an injected fault for this request (200: an empty page), or 0. */
static int injected(rm_server *s)
{
    if (s->fail_next_count > 0) {
        s->fail_next_count--;
        return (int)s->fail_next_status;
    }
    return draw(s, RF_500) ? 500 : draw(s, RF_502) ? 502 : draw(s, RF_503) ? 503
         : draw(s, RF_429) ? 429 : draw(s, RF_EMPTY) ? 200 : 0;
}

/* ---- routes ---- */

/* /v1/orders, /v1/shops, or /v1/<style>/<resource>: the resource and the forced style (-1). */
static bool api_path(const char *url, rm_resource *r, int *forced)
{
    static const char *const RES[] = {"orders", "shops", NULL};
    char style[16], res[16];
    *forced = -1;
    if (sscanf(url, "/v1/%15[a-z]/%15[a-z]", style, res) == 2) {
        for (int i = 0; RM_PAGING_NAMES[i]; i++)
            if (strcmp(RM_PAGING_NAMES[i], style) == 0)
                *forced = i;
        if (*forced < 0)
            return false;
    } else if (sscanf(url, "/v1/%15[a-z]", res) != 1) {
        return false;
    }
    for (int i = 0; RES[i]; i++) {
        size_t n = strlen(url), m = strlen(RES[i]);
        if (strcmp(res, RES[i]) == 0 && n > m && strcmp(url + n - m, RES[i]) == 0 &&
            url[n - m - 1] == '/') {
            *r = (rm_resource)i;
            return true;
        }
    }
    return false;
}

static void api(rm_server *s, const rm_request *req, rm_resource r, int forced, rm_reply *rep)
{
    int64_t at_ms = mock_wall_ms();
    pthread_mutex_lock(&s->lock);
    int64_t delay = s->knobs.latency_ms;
    s->stats.requests++;
    pthread_mutex_unlock(&s->lock);
    if (delay > 0)
        mock_sleep_ms(delay);
    pthread_mutex_lock(&s->lock);
    s->stats.early += at_ms < s->retry_until_ms;
    int fault = injected(s);
    rm_request served = *req;
    served.empty = fault == 200;
    if (fault && !served.empty)
        fault_reply(s, fault, rep);
    else if (!rm_auth_check(s, req->mc, rep))
        s->stats.auth_failures++;
    else
        rm_page(s, &served, r, forced, rep);
    if (!fault && rep->http != 200 && rep->http != 401)
        s->stats.errors++;
    if (rep->http == 200 && draw(s, RF_TRUNCATE)) {
        rep->body.len /= 2;
        rep->body.s[rep->body.len] = '\0';
    }
    rm_log_request(s, req, at_ms, rep->http);
    pthread_mutex_unlock(&s->lock);
}

/* ---- admin endpoints ---- */

static void reply_stats(rm_server *s, rm_reply *rep)
{
    const rm_stats *st = &s->stats;
    json_t *faults = json_object();
    for (int f = 0; f < RF_COUNT; f++)
        json_object_set_new(faults, FAULT_NAMES[f], json_integer(st->faults[f]));
    json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:o}", "requests",
                          (json_int_t)st->requests, "early", (json_int_t)st->early, "pages",
                          (json_int_t)st->pages,
                          "order_pages", (json_int_t)st->order_pages, "records",
                          (json_int_t)st->records, "auth_failures", (json_int_t)st->auth_failures,
                          "errors", (json_int_t)st->errors, "mutations",
                          (json_int_t)st->mutations, "tokens", (json_int_t)st->tokens, "faults",
                          faults);
    mock_buf_json(&rep->body, o, 0);
    json_decref(o);
}

static void reply_state(rm_server *s, rm_reply *rep)
{
    char now[RM_ISO_MAX];
    rm_iso_format(rm_data_now(s->data), RM_ISO_OFFSET, now);
    json_t *o = json_pack("{s:o,s:s,s:I,s:I}", "knobs", mk_knobs_json(&rm_knob_table, &s->knobs),
                          "now", now, "orders", (json_int_t)rm_data_count(s->data, RM_ORDERS),
                          "shops", (json_int_t)rm_data_count(s->data, RM_SHOPS));
    mock_buf_json(&rep->body, o, 0);
    json_decref(o);
}

static bool admin_fail_next(rm_server *s, const json_t *v, char *err, size_t n)
{
    json_int_t st = json_integer_value(json_object_get(v, "status"));
    json_int_t count = json_integer_value(json_object_get(v, "count"));
    if ((st != 200 && (st < 400 || st > 599)) || count < 0) {
        snprintf(err, n, "fail_next: {\"status\": 200 or 400..599, \"count\": N >= 0} required");
        return false;
    }
    s->fail_next_status = st;
    s->fail_next_count = count;
    return true;
}

static bool admin_shops(rm_server *s, const char *key, const json_t *v, char *err, size_t n)
{
    size_t i;
    const json_t *id;
    if (strcmp(key, "add_shops") == 0 && json_integer_value(v) > 0) {
        rm_data_add_shops(s->data, json_integer_value(v));
        return true;
    }
    if (strcmp(key, "delete_shops") == 0 && json_is_array(v)) {
        json_array_foreach(v, i, id) {
            if (!rm_data_delete_shop(s->data, json_integer_value(id))) {
                snprintf(err, n, "delete_shops: no shop %lld", (long long)json_integer_value(id));
                return false;
            }
        }
        return true;
    }
    snprintf(err, n, "%s: bad value", key);
    return false;
}

/* Applies one admin action; false with err if it is unknown or malformed. */
static bool admin_action(rm_server *s, const char *key, const json_t *v, char *err, size_t n)
{
    int64_t t;
    if (strcmp(key, "now") == 0 && json_is_string(v) && rm_time_param(json_string_value(v), &t))
        rm_data_set_now(s->data, t);
    else if (strcmp(key, "advance_seconds") == 0 && json_is_integer(v))
        rm_data_set_now(s->data, rm_data_now(s->data) + json_integer_value(v) * 1000);
    else if (strcmp(key, "reset_stats") == 0 && json_is_true(v)) {
        s->stats = (rm_stats){0};
        s->mutated_at = 0;
        s->retry_until_ms = 0; /* early counts from a fresh start */
    } else if (strcmp(key, "clear_requests") == 0 && json_is_true(v)) {
        rm_log_clear(s);
    } else if (strcmp(key, "expire_tokens") == 0 && json_is_true(v))
        rm_auth_expire_all(s);
    else if (strcmp(key, "fail_next") == 0)
        return admin_fail_next(s, v, err, n);
    else if (strcmp(key, "mutate") == 0 && json_is_object(v))
        rm_data_mutate(s->data, NULL, 0, json_integer_value(json_object_get(v, "update")),
                       json_integer_value(json_object_get(v, "insert")),
                       s->knobs.mutate_drop_item != 0);
    else if (strcmp(key, "add_shops") == 0 || strcmp(key, "delete_shops") == 0)
        return admin_shops(s, key, v, err, n);
    else {
        snprintf(err, n, "%s: unknown knob or action, or a bad value", key);
        return false;
    }
    return true;
}

/* POST /_admin {knob: value, ..., action: value}: the knobs are checked together and applied
 * only if all are good; then the actions, in the object's order. */
static void admin_post(rm_server *s, const mock_buf *body, rm_reply *rep)
{
    char err[256] = "a JSON object is required";
    json_t *o = json_loadb(body->s, body->len, 0, NULL), *v;
    const char *k;
    rm_knobs knobs = s->knobs;
    bool ok = json_is_object(o);
    json_object_foreach(o, k, v) {
        if (ok && mk_knob_exists(&rm_knob_table, k))
            ok = mk_knob_set_json(&rm_knob_table, &knobs, k, v, err, sizeof err);
    }
    if (ok)
        s->knobs = knobs;
    json_object_foreach(o, k, v) {
        if (ok && !mk_knob_exists(&rm_knob_table, k))
            ok = admin_action(s, k, v, err, sizeof err);
    }
    if (ok)
        reply_state(s, rep);
    else
        rm_reply_error(rep, 400, "bad_admin_request", err);
    json_decref(o);
}

static void truth(rm_server *s, struct MHD_Connection *mc, rm_reply *rep)
{
    const char *r = MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, "resource");
    if (r && strcmp(r, "orders") != 0 && strcmp(r, "shops") != 0) {
        rm_reply_error(rep, 400, "invalid_parameter", "resource: orders or shops");
        return;
    }
    rep->ctype = "application/x-ndjson; charset=UTF-8";
    rm_data_truth(s->data, r && strcmp(r, "shops") == 0 ? RM_SHOPS : RM_ORDERS, &rep->body);
}

static void requests(rm_server *s, rm_reply *rep)
{
    rep->ctype = "application/x-ndjson; charset=UTF-8";
    rm_log_dump(s, &rep->body);
}

/* POST /oauth/token; with the knob token-faults, it draws the API's faults too. */
static void token(rm_server *s, struct MHD_Connection *mc, const mock_buf *body, rm_reply *rep)
{
    int fault = s->knobs.token_faults ? injected(s) : 0;
    if (fault && fault != 200) {
        fault_reply(s, fault, rep);
        return;
    }
    rm_auth_token(s, mc, body, rep);
    if (s->knobs.token_faults && rep->http == 200 && draw(s, RF_TRUNCATE)) {
        rep->body.len /= 2;
        rep->body.s[rep->body.len] = '\0';
    }
}

/* The admin and token routes, all under the lock; false if url is none of them. */
static bool admin_route(rm_server *s, struct MHD_Connection *mc, const char *url, bool get,
                        const mock_buf *body, rm_reply *rep)
{
    bool post = !get;
    if (post && strcmp(url, "/oauth/token") == 0)
        token(s, mc, body, rep);
    else if (get && strcmp(url, "/_truth") == 0)
        truth(s, mc, rep);
    else if (get && strcmp(url, "/_stats") == 0)
        reply_stats(s, rep);
    else if (get && strcmp(url, "/_requests") == 0)
        requests(s, rep);
    else if (get && strcmp(url, "/_admin") == 0)
        reply_state(s, rep);
    else if (post && strcmp(url, "/_admin") == 0)
        admin_post(s, body, rep);
    else
        return false;
    return true;
}

static void dispatch(rm_server *s, struct MHD_Connection *mc, const char *url, const char *method,
                     const mock_buf *body, rm_reply *rep)
{
    bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    rm_resource r;
    int forced;
    if (api_path(url, &r, &forced)) {
        rm_request req = {
            .mc = mc,
            .url = url,
            .host = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Host"),
            .post = post,
            .body = body,
            .ctype = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Content-Type"),
        };
        if (get || post)
            api(s, &req, r, forced, rep);
        else
            rm_reply_error(rep, 405, "method_not_allowed", "GET or POST reads a resource");
        return;
    }
    pthread_mutex_lock(&s->lock);
    bool found = (get || post) && admin_route(s, mc, url, get, body, rep);
    pthread_mutex_unlock(&s->lock);
    if (!found)
        rm_reply_error(rep, 404, "not_found", "no such route");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
                                  const char *method, const mock_buf *body, bool too_large)
{
    rm_reply rep = {.http = 200, .ctype = "application/json; charset=UTF-8"};
    if (too_large)
        rm_reply_error(&rep, 413, "too_large", "request body too large");
    else
        dispatch(cls, mc, url, method, body, &rep);
    enum MHD_Result ret = mk_respond_take(mc, (unsigned)rep.http, rep.ctype, &rep.body,
                                          (const char *const *)rep.headers);
    for (size_t i = 0; i < 2 * rep.nheaders; i++)
        free(rep.headers[i]);
    return ret;
}

/* ---- command line ---- */

static void usage(FILE *out)
{
    fputs("usage: rest-mock [options]   (tools/rest-mock/README.md says more)\n"
          "  --port P              port on 127.0.0.1 (0 = any free port; default 0)\n"
          "  --port-file F         write the bound port to F once listening\n"
          "  --seed S              data set seed (default 1)\n"
          "  --orders N            orders to generate (default 1000)\n"
          "  --shops N             shops to generate (default 8)\n"
          "  --from T / --to T     the orders' updated range, ISO-8601 or epoch seconds\n"
          "                        (default 2024-03-01T00:00:00+08:00 .. 2024-03-08T00:00:00+08:00)\n"
          "  --now T               the data clock: changes get this updated time, then it moves\n"
          "                        on a second (default: --to plus one hour)\n"
          "  --token T             bearer token (default test-token)\n"
          "  --api-key K           API key (default test-key), in header --api-key-header H\n"
          "                        (default X-API-Key) or parameter --api-key-param P (api_key)\n"
          "  --basic-user U, --basic-password P   HTTP basic (default user / pass)\n"
          "  --client-id I, --client-secret S     OAuth2 client (default client / secret)\n"
          "routes: GET /v1/orders, /v1/shops, /v1/{offset,page,cursor,link}/{orders,shops};\n"
          "  POST /oauth/token; GET /_truth[?resource=shops], /_stats, /_requests, /_admin;\n"
          "  POST /_admin {knob: value, \"now\": T, \"advance_seconds\": N, \"reset_stats\": true,\n"
          "  \"fail_next\": {\"status\": S, \"count\": N}, \"mutate\": {\"update\": K, \"insert\": I},\n"
          "  \"add_shops\": N, \"delete_shops\": [ID...], \"expire_tokens\": true,\n"
          "  \"clear_requests\": true}\n"
          "knobs (also settable with POST /_admin {\"knob\": value}):\n",
          out);
    mk_knobs_help(&rm_knob_table, out);
}

static bool time_arg(const char *name, const char *v, int64_t *ms)
{
    if (rm_time_param(v, ms))
        return true;
    fprintf(stderr, "rest-mock: --%s: ISO-8601 or epoch seconds required, got \"%s\"\n", name, v);
    return false;
}

/* The string flags: credentials. */
static const char **cred_slot(rm_creds *c, const char *name)
{
    struct { const char *name; const char **slot; } rows[] = {
        {"token", &c->token}, {"api-key", &c->api_key}, {"api-key-header", &c->api_key_header},
        {"api-key-param", &c->api_key_param}, {"basic-user", &c->basic_user},
        {"basic-password", &c->basic_password}, {"client-id", &c->client_id},
        {"client-secret", &c->client_secret}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        if (strcmp(rows[i].name, name) == 0)
            return rows[i].slot;
    return NULL;
}

static bool option(void *cls, const char *name, const char *v)
{
    options *o = ((args *)cls)->o;
    rm_server *s = ((args *)cls)->s;
    const char **slot = cred_slot(&s->creds, name);
    char err[256];
    if (slot)
        return (*slot = v), true;
    if (strcmp(name, "port") == 0)
        return mk_parse_int("rest-mock", "--port", v, 0, 65535, &o->port);
    if (strcmp(name, "seed") == 0)
        return mk_parse_int("rest-mock", "--seed", v, 0, INT64_MAX, &o->seed);
    if (strcmp(name, "orders") == 0)
        return mk_parse_int("rest-mock", "--orders", v, 0, 10000000, &o->orders);
    if (strcmp(name, "shops") == 0)
        return mk_parse_int("rest-mock", "--shops", v, 0, 100000, &o->shops);
    if (strcmp(name, "port-file") == 0)
        return (o->port_file = v), true;
    if (strcmp(name, "from") == 0)
        return time_arg(name, v, &o->from_ms);
    if (strcmp(name, "to") == 0)
        return time_arg(name, v, &o->to_ms);
    if (strcmp(name, "now") == 0)
        return (o->has_now = true), time_arg(name, v, &o->now_ms);
    if (mk_knob_set(&rm_knob_table, &s->knobs, name, v, err, sizeof err))
        return true;
    fprintf(stderr, "rest-mock: %s\n", err);
    return false;
}

static void ready(void *cls, int port)
{
    rm_server *s = cls;
    fprintf(stderr, "rest-mock: listening on 127.0.0.1:%d with %zu orders and %zu shops\n", port,
            rm_data_count(s->data, RM_ORDERS), rm_data_count(s->data, RM_SHOPS));
}

int main(int argc, char **argv)
{
    static rm_server s;
    options o = {.orders = 1000, .shops = 8, .seed = 1};
    s.creds = (rm_creds){"test-token", "test-key", "X-API-Key", "api_key", "user", "pass",
                         "client", "secret"};
    mk_knobs_default(&rm_knob_table, &s.knobs);
    rm_iso_parse("2024-03-01T00:00:00+08:00", &o.from_ms);
    rm_iso_parse("2024-03-08T00:00:00+08:00", &o.to_ms);
    args a = {&o, &s};
    int rc = mk_parse_args(argc, argv, "rest-mock", option, &a, usage);
    if (rc)
        return rc == 2 ? 0 : 2;
    if (o.to_ms < o.from_ms) {
        fputs("rest-mock: --to is before --from\n", stderr);
        return 2;
    }
    pthread_mutex_init(&s.lock, NULL);
    s.rng.s = (uint64_t)o.seed ^ 0x5DEECE66DULL;
    s.data = rm_data_new((uint64_t)o.seed, o.orders, o.shops, o.from_ms, o.to_ms,
                         o.has_now ? o.now_ms : o.to_ms + 3600 * 1000);
    mk_server_opts so = {"rest-mock", (int)o.port, o.port_file, MAX_BODY};
    rc = mk_serve(&so, on_request, &s, ready);
    rm_data_free(s.data);
    rm_log_clear(&s);
    free(s.log);
    free(s.tokens);
    return rc;
}
