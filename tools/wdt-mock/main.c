/* main.c: wdt-mock's command line, the admin endpoints (/_truth, /_stats, /_admin), the test
 * webhook (/_webhook, webhook.c) and the per-request frame around the API routes: in-flight
 * accounting, latency, HTTP faults and stalls. The server itself is tools/mockkit's. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <microhttpd.h>

#include "mock.h"
#include "timeutil.h"

#define MAX_BODY (1 << 20) /* a larger request body is refused */

typedef struct options {
    int port;
    const char *port_file;
    uint64_t seed;
    int64_t records, from, to, now;
    mock_drop drop;
} options;

static const char *const FAULT_NAMES[F_COUNT] = {
    "http_500", "http_502", "http_503", "throttle_gw", "throttle_freq", "throttle_conc",
    "truncate", "stall"};

bool mock_draw_locked(mock_server *s, mock_fault f)
{
    const double rates[F_COUNT] = {
        s->knobs.fail_500,           s->knobs.fail_502,           s->knobs.fail_503,
        s->knobs.fail_throttle_gw,   s->knobs.fail_throttle_freq, s->knobs.fail_throttle_conc,
        s->knobs.fail_truncate,      s->knobs.fail_stall};
    bool hit = rates[f] > 0 && mock_rng_unit(&s->rng) < rates[f];
    if (hit)
        atomic_fetch_add(&s->stats.faults[f], 1);
    return hit;
}

bool mock_draw(mock_server *s, mock_fault f)
{
    pthread_mutex_lock(&s->lock);
    bool hit = mock_draw_locked(s, f);
    pthread_mutex_unlock(&s->lock);
    return hit;
}

/* ---- admin endpoints ---- */

static void reply_stats(mock_server *s, mock_reply *rep)
{
    mock_stats *st = &s->stats;
    json_t *faults = json_object(), *thr = json_object();
    for (int f = 0; f < F_COUNT; f++)
        json_object_set_new(faults, FAULT_NAMES[f], json_integer(atomic_load(&st->faults[f])));
    json_object_set_new(thr, "gateway", json_integer(atomic_load(&st->thr_gateway)));
    json_object_set_new(thr, "freq", json_integer(atomic_load(&st->thr_freq)));
    json_object_set_new(thr, "conc", json_integer(atomic_load(&st->thr_conc)));
    json_t *o = json_pack("{s:I,s:I,s:I,s:I,s:o,s:o,s:I,s:I,s:I,s:I}",
                          "calls", (json_int_t)atomic_load(&st->calls),
                          "pages", (json_int_t)atomic_load(&st->pages),
                          "records", (json_int_t)atomic_load(&st->records),
                          "errors", (json_int_t)atomic_load(&st->errors), "faults", faults,
                          "throttles", thr,
                          "ban_violations", (json_int_t)atomic_load(&st->ban_violations),
                          "ban_excused", (json_int_t)atomic_load(&st->ban_excused),
                          "max_inflight", (json_int_t)atomic_load(&st->max_inflight),
                          "inflight", (json_int_t)atomic_load(&st->inflight));
    char *t = json_dumps(o, JSON_COMPACT);
    mock_buf_str(&rep->body, t ? t : "{}");
    free(t);
    json_decref(o);
}

static void reply_state(mock_server *s, mock_reply *rep)
{
    char now[20];
    sl_time_format(mock_data_now(s->data), MOCK_TZ, now);
    pthread_mutex_lock(&s->lock);
    json_t *k = mk_knobs_json(&mock_knob_table, &s->knobs);
    pthread_mutex_unlock(&s->lock);
    json_t *o = json_pack("{s:o,s:s,s:I}", "knobs", k, "now", now, "records",
                          (json_int_t)mock_data_count(s->data));
    char *t = json_dumps(o, JSON_COMPACT);
    mock_buf_str(&rep->body, t ? t : "{}");
    free(t);
    json_decref(o);
}

static void stats_reset(mock_stats *st)
{
    atomic_store(&st->calls, 0);
    atomic_store(&st->pages, 0);
    atomic_store(&st->records, 0);
    atomic_store(&st->errors, 0);
    for (int f = 0; f < F_COUNT; f++)
        atomic_store(&st->faults[f], 0);
    atomic_store(&st->thr_gateway, 0);
    atomic_store(&st->thr_freq, 0);
    atomic_store(&st->thr_conc, 0);
    atomic_store(&st->ban_violations, 0);
    atomic_store(&st->ban_excused, 0);
    atomic_store(&st->max_inflight, atomic_load(&st->inflight));
}

/* {"record": N, "field": F, "value": V}: record N (in modified order) gets F = V. */
static bool admin_set_field(mock_server *s, const json_t *v, char *err, size_t n)
{
    const json_t *i = json_object_get(v, "record"), *f = json_object_get(v, "field");
    const json_t *val = json_object_get(v, "value");
    if (!json_is_integer(i) || !json_is_string(f) || !val ||
        !mock_data_set_field(s->data, json_integer_value(i), json_string_value(f), val)) {
        snprintf(err, n, "set_field: {\"record\": N, \"field\": F, \"value\": V} with N in range "
                         "and F not refund_id or modified");
        return false;
    }
    return true;
}

/* {"status": N, "message": M}: every WDT call gets that failure from now on; null stops it. */
static bool admin_refuse(mock_server *s, const json_t *v, char *err, size_t n)
{
    const json_t *st = json_object_get(v, "status"), *m = json_object_get(v, "message");
    if (!json_is_null(v) && (!json_is_integer(st) || !json_is_string(m))) {
        snprintf(err, n, "refuse: {\"status\": N, \"message\": M} or null");
        return false;
    }
    char *msg = json_is_null(v) ? NULL : strdup(json_string_value(m));
    if (!json_is_null(v) && !msg)
        abort();
    pthread_mutex_lock(&s->lock);
    free(s->refuse_msg);
    s->refuse_msg = msg;
    s->refuse_status = msg ? (int)json_integer_value(st) : 0;
    pthread_mutex_unlock(&s->lock);
    return true;
}

/* Applies one non-knob admin action; false with err if it is malformed. */
static bool admin_action(mock_server *s, const char *key, const json_t *v, char *err, size_t n)
{
    int64_t t;
    if (strcmp(key, "now") == 0) {
        const char *txt = json_string_value(v);
        if (!txt || !sl_time_parse(txt, strlen(txt), MOCK_TZ, &t)) {
            snprintf(err, n, "now: \"YYYY-MM-DD HH:MM:SS\" required");
            return false;
        }
        mock_data_set_now(s->data, t);
    } else if (strcmp(key, "advance_seconds") == 0 && json_is_integer(v)) {
        mock_data_set_now(s->data, mock_data_now(s->data) + json_integer_value(v));
    } else if (strcmp(key, "reset_stats") == 0) {
        if (json_is_true(v))
            stats_reset(&s->stats);
    } else if (strcmp(key, "set_field") == 0) {
        return admin_set_field(s, v, err, n);
    } else if (strcmp(key, "refuse") == 0) {
        return admin_refuse(s, v, err, n);
    } else if (strcmp(key, "ban_clear") == 0) {
        pthread_mutex_lock(&s->lock);
        s->ban_until_ms = 0;
        pthread_mutex_unlock(&s->lock);
    } else {
        snprintf(err, n, "%s: bad value", key);
        return false;
    }
    return true;
}

static bool is_action(const char *k)
{
    return strcmp(k, "now") == 0 || strcmp(k, "advance_seconds") == 0 ||
           strcmp(k, "reset_stats") == 0 || strcmp(k, "ban_clear") == 0 ||
           strcmp(k, "set_field") == 0 || strcmp(k, "refuse") == 0 ||
           strcmp(k, "add_records") == 0 || strcmp(k, "modify_records") == 0;
}

/* POST /_admin {knob: value, now|advance_seconds, add_records, modify_records, reset_stats}:
 * knobs are checked all together first, then applied; then the clock, then data changes. */
static void admin_post(mock_server *s, const mock_buf *body, mock_reply *rep)
{
    char err[256] = "";
    json_t *o = json_loadb(body->s, body->len, 0, NULL), *v;
    const char *k;
    pthread_mutex_lock(&s->lock);
    mock_knobs knobs = s->knobs;
    bool ok = json_is_object(o);
    json_object_foreach(o, k, v) {
        if (ok && !is_action(k))
            ok = mk_knob_set_json(&mock_knob_table, &knobs, k, v, err, sizeof err);
    }
    if (ok)
        s->knobs = knobs;
    pthread_mutex_unlock(&s->lock);
    json_object_foreach(o, k, v) {
        bool data_change = strcmp(k, "add_records") == 0 || strcmp(k, "modify_records") == 0;
        if (ok && is_action(k) && !data_change)
            ok = admin_action(s, k, v, err, sizeof err);
    }
    if (ok) {
        json_int_t add = json_integer_value(json_object_get(o, "add_records"));
        json_int_t mod = json_integer_value(json_object_get(o, "modify_records"));
        if (add > 0 || mod > 0)
            mock_data_change(s->data, add > 0 ? add : 0, mod > 0 ? mod : 0);
        reply_state(s, rep);
    } else {
        rep->http = 400;
        mock_buf_str(&rep->body, "{\"error\":");
        mock_buf_json_str(&rep->body, *err ? err : "a JSON object is required");
        mock_buf_str(&rep->body, "}");
    }
    json_decref(o);
}

/* ---- API requests ---- */

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                   const char *value)
{
    sl_params_set(cls, key, value ? value : "");
    return MHD_YES;
}

static void note_inflight(mock_stats *st, long long cur)
{
    long long max = atomic_load(&st->max_inflight);
    while (cur > max && !atomic_compare_exchange_weak(&st->max_inflight, &max, cur))
        ;
}

static void http_fault(mock_reply *rep, int code)
{
    rep->http = code;
    mock_buf_fmt(&rep->body, "<html><body><h1>%d</h1>mock fault</body></html>", code);
}

static void api(mock_server *s, struct MHD_Connection *mc, bool qimen, const mock_buf *body,
                mock_reply *rep)
{
    rep->arrived_ms = mock_wall_ms();
    long long cur = atomic_fetch_add(&s->stats.inflight, 1) + 1;
    note_inflight(&s->stats, cur);
    atomic_fetch_add(&s->stats.calls, 1);
    pthread_mutex_lock(&s->lock);
    int64_t delay = s->knobs.latency_ms + mock_rng_range(&s->rng, 0, s->knobs.jitter_ms);
    int64_t stall = mock_draw_locked(s, F_STALL) ? s->knobs.stall_ms : 0;
    int http = mock_draw_locked(s, F_500) ? 500 : mock_draw_locked(s, F_502) ? 502
             : mock_draw_locked(s, F_503) ? 503 : 0;
    rep->retry_after = s->knobs.retry_after;
    pthread_mutex_unlock(&s->lock);
    if (rep->retry_after > 0)
        http = 429;
    if (delay > 0)
        mock_sleep_ms(delay);
    sl_params *p = sl_params_new();
    if (!p)
        abort();
    MHD_get_connection_values(mc, MHD_GET_ARGUMENT_KIND, collect_arg, p);
    if (http) {
        http_fault(rep, http);
    } else if (qimen) {
        if (sl_params_parse_form(p, body->s, body->len))
            mock_route_qimen(s, p, cur, rep);
        else
            http_fault(rep, 400);
    } else {
        mock_route_direct(s, p, body->s, body->len, cur, rep);
    }
    sl_params_free(p);
    if (stall > 0)
        mock_sleep_ms(stall);
    if (rep->ban_started) { /* the client knows of the ban from now on */
        pthread_mutex_lock(&s->lock);
        s->ban_known_ms = mock_wall_ms();
        pthread_mutex_unlock(&s->lock);
    }
    atomic_fetch_sub(&s->stats.inflight, 1);
}

static void dispatch(mock_server *s, struct MHD_Connection *mc, const char *url,
                     const char *method, const mock_buf *body, bool too_large, mock_reply *rep)
{
    bool get = strcmp(method, "GET") == 0, post = strcmp(method, "POST") == 0;
    rep->http = 200;
    if (too_large) {
        rep->http = 413;
        mock_buf_str(&rep->body, "{\"error\":\"request body too large\"}");
    } else if (post && (strcmp(url, "/router/qm") == 0 || strcmp(url, "/router/qmtest") == 0)) {
        api(s, mc, true, body, rep);
    } else if (post && strcmp(url, "/openapi") == 0) {
        api(s, mc, false, body, rep);
    } else if (get && strcmp(url, "/_truth") == 0) {
        pthread_mutex_lock(&s->lock);
        int64_t bad = s->knobs.bad_literals;
        pthread_mutex_unlock(&s->lock);
        mock_data_truth(s->data, bad, &rep->body);
    } else if (get && strcmp(url, "/_stats") == 0) {
        reply_stats(s, rep);
    } else if (get && strcmp(url, "/_admin") == 0) {
        reply_state(s, rep);
    } else if (post && strcmp(url, "/_admin") == 0) {
        admin_post(s, body, rep);
    } else if ((get || post) && strcmp(url, "/_webhook") == 0) {
        mock_webhook(post, body->s, body->len, rep);
    } else {
        rep->http = 404;
        mock_buf_str(&rep->body, "{\"error\":\"not found\"}");
    }
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
                                  const char *method, const mock_buf *body, bool too_large)
{
    mock_reply rep = {0};
    dispatch(cls, mc, url, method, body, too_large, &rep);
    bool ndjson = strcmp(url, "/_truth") == 0;
    bool html = rep.http >= 500 || rep.http == 400;
    char secs[24];
    snprintf(secs, sizeof secs, "%lld", (long long)rep.retry_after);
    const char *const retry[] = {"Retry-After", secs, NULL};
    return mk_respond_take(mc, (unsigned)rep.http,
                           ndjson ? "application/x-ndjson; charset=UTF-8"
                           : html ? "text/html"
                                  : "application/json;charset=UTF-8",
                           &rep.body, rep.http == 429 ? retry : NULL);
}

/* ---- command line ---- */

static void usage(FILE *out)
{
    fputs("usage: wdt-mock [options]\n"
          "  --port P            port on 127.0.0.1 (0 = any free port; default 0)\n"
          "  --port-file F       write the bound port to F once listening\n"
          "  --seed S            data set seed (default 1)\n"
          "  --records N         records to generate (default 1000)\n"
          "  --from T / --to T   their modified range, \"YYYY-MM-DD HH:MM:SS\" GMT+8\n"
          "                      (default 2024-06-01 00:00:00 .. 2024-06-02 00:00:00)\n"
          "  --now T             the data clock (default: the wall clock at start); fixed\n"
          "  --volume-drop-from T / --volume-drop-to T / --volume-drop-share R\n"
          "  [--volume-drop-shop S]  a volume drop: share R (0..1, default 1) of the records\n"
          "                      modified in [from, to) (of shop_no S only, when given) is\n"
          "                      removed at start, from the API and /_truth alike\n"
          "routes: POST /router/qm, /router/qmtest (Qimen), /openapi (direct); GET /_truth,\n"
          "  /_stats, /_admin; POST /_admin {knob: value, \"now\": T, \"advance_seconds\": N,\n"
          "  \"add_records\": N, \"modify_records\": N, \"reset_stats\": true, \"ban_clear\": true,\n"
          "  \"set_field\": {\"record\": N, \"field\": F, \"value\": V} (record N in modified order),\n"
          "  \"refuse\": {\"status\": N, \"message\": M} (every API call fails so; null ends it)}\n"
          "  POST /_webhook stores an alert's JSON body; GET /_webhook returns them, one a line\n"
          "knobs (also settable with POST /_admin {\"knob\": value}):\n",
          out);
    mk_knobs_help(&mock_knob_table, out);
}

static bool parse_time_arg(const char *name, const char *v, int64_t *t)
{
    if (sl_time_parse(v, strlen(v), MOCK_TZ, t))
        return true;
    fprintf(stderr, "wdt-mock: %s: \"YYYY-MM-DD HH:MM:SS\" required, got \"%s\"\n", name, v);
    return false;
}

static bool parse_share(const char *v, double *share)
{
    char *end;
    double x = strtod(v, &end);
    if (end != v && !*end && x >= 0 && x <= 1) {
        *share = x;
        return true;
    }
    fprintf(stderr, "wdt-mock: --volume-drop-share: a share 0..1 required, got \"%s\"\n", v);
    return false;
}

typedef struct args {
    options *o;
    mock_knobs *k;
} args;

static bool option(void *cls, const char *name, const char *v)
{
    options *o = ((args *)cls)->o;
    mock_knobs *k = ((args *)cls)->k;
    int64_t x;
    char err[256];
    if (strcmp(name, "port") == 0)
        return mk_parse_int("wdt-mock", "--port", v, 0, 65535, &x) && ((o->port = (int)x), true);
    if (strcmp(name, "seed") == 0)
        return mk_parse_int("wdt-mock", "--seed", v, 0, INT64_MAX, &x) && ((o->seed = (uint64_t)x), true);
    if (strcmp(name, "records") == 0)
        return mk_parse_int("wdt-mock", "--records", v, 0, 50000000, &o->records);
    if (strcmp(name, "port-file") == 0)
        return (o->port_file = v), true;
    if (strcmp(name, "from") == 0)
        return parse_time_arg("--from", v, &o->from);
    if (strcmp(name, "to") == 0)
        return parse_time_arg("--to", v, &o->to);
    if (strcmp(name, "now") == 0)
        return parse_time_arg("--now", v, &o->now);
    if (strcmp(name, "volume-drop-from") == 0)
        return parse_time_arg("--volume-drop-from", v, &o->drop.from);
    if (strcmp(name, "volume-drop-to") == 0)
        return parse_time_arg("--volume-drop-to", v, &o->drop.to);
    if (strcmp(name, "volume-drop-share") == 0)
        return parse_share(v, &o->drop.share);
    if (strcmp(name, "volume-drop-shop") == 0 && strlen(v) < sizeof o->drop.shop)
        return snprintf(o->drop.shop, sizeof o->drop.shop, "%s", v), true;
    if (mk_knob_set(&mock_knob_table, k, name, v, err, sizeof err))
        return true;
    fprintf(stderr, "wdt-mock: %s\n", err);
    return false;
}

/* Returns 0 to run, 1 on a usage error, 2 after --help. */
static int parse_args(int argc, char **argv, options *o, mock_knobs *k)
{
    args a = {o, k};
    int rc = mk_parse_args(argc, argv, "wdt-mock", option, &a, usage);
    if (rc == 0 && o->to < o->from) {
        fputs("wdt-mock: --to is before --from\n", stderr);
        return 1;
    }
    if (rc == 0 && o->drop.to <= o->drop.from && (o->drop.from || o->drop.to)) {
        fputs("wdt-mock: --volume-drop-to must be after --volume-drop-from\n", stderr);
        return 1;
    }
    return rc;
}

static void ready(void *cls, int port)
{
    mock_server *s = cls;
    fprintf(stderr, "wdt-mock: listening on 127.0.0.1:%d with %lld records\n", port,
            (long long)mock_data_count(s->data));
}

int main(int argc, char **argv)
{
    options o = {0, NULL, 1, 1000, 0, 0, 0, {0, 0, -1, ""}};
    static mock_server s;
    mk_knobs_default(&mock_knob_table, &s.knobs);
    sl_time_parse("2024-06-01 00:00:00", 19, MOCK_TZ, &o.from);
    sl_time_parse("2024-06-02 00:00:00", 19, MOCK_TZ, &o.to);
    o.now = mock_wall_ms() / 1000;
    int rc = parse_args(argc, argv, &o, &s.knobs);
    if (rc)
        return rc == 2 ? 0 : 2;
    pthread_mutex_init(&s.lock, NULL);
    s.rng.s = o.seed ^ 0x5DEECE66DULL;
    if (o.drop.share < 0) /* unset: all of the range when there is one */
        o.drop.share = o.drop.to > o.drop.from ? 1 : 0;
    s.data = mock_data_new(o.seed, o.records, o.from, o.to, o.now, &o.drop);
    mk_server_opts so = {"wdt-mock", o.port, o.port_file, MAX_BODY};
    rc = mk_serve(&so, on_request, &s, ready);
    mock_data_free(s.data);
    free(s.calls_ring);
    free(s.refuse_msg);
    return rc;
}
