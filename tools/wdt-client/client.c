/* client.c: wdt-client, a small signed-request client for the mock's tests and benchmark. It
 * builds requests with the engine's signer (engine/sign/sign.c), can break them on purpose (set,
 * drop or tamper with a parameter, re-sign), and prints one normalised summary line per reply,
 * so shell tests can assert exact codes and messages without a JSON tool. Modes:
 *   (default)     one request            --all      page a window forward, print the records
 *   --truth       the window of /_truth  --parallel N identical requests at once
 *   --bench S     pages/s for S seconds over --connections C (curl multi) */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "kind.h"
#include "sign.h"
#include "timeutil.h"
#include "wdt_creds.h"

#define TZ8 (8 * 3600)
#define MAX_MODS 32

typedef struct cfg {
    const char *url, *route, *method, *from, *to, *format;
    bool no_window, resign, resign_top, all, truth;
    int64_t page, page_size, clock_offset, timeout_ms, parallel, bench_s, connections;
    sl_wdt_creds creds;  /* the signer's config: both WDT signers take these */
    sl_kind_ref signer; /* a kind of signers.def, configured with creds */
    const char *params[MAX_MODS], *sets[MAX_MODS], *drops[MAX_MODS], *in_query[MAX_MODS];
    const char *tamper;
    int n_params, n_sets, n_drops, n_in_query;
} cfg;

typedef struct buf {
    char *s;
    size_t len, cap;
    bool count_only; /* bench: keep the first bytes only */
    size_t total;
} buf;

static void die(const char *msg)
{
    fprintf(stderr, "wdt-client: %s\n", msg);
    exit(2);
}

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
    buf *b = ud;
    size_t len = sz * n, keep = len;
    b->total += len;
    if (b->count_only)
        keep = b->len >= 64 ? 0 : len < 64 - b->len ? len : 64 - b->len;
    if (b->len + keep + 1 > b->cap) {
        b->cap = (b->len + keep + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (!b->s)
            die("out of memory");
    }
    memcpy(b->s + b->len, p, keep);
    b->len += keep;
    b->s[b->len] = '\0';
    return len;
}

/* ---- building requests ---- */

static json_t *filter_new(const cfg *c)
{
    json_t *f = json_object();
    if (!c->no_window) {
        json_object_set_new(f, "modified_from", json_string(c->from));
        json_object_set_new(f, "modified_to", json_string(c->to));
    }
    for (int i = 0; i < c->n_params; i++) {
        const char *eq = strchr(c->params[i], '=');
        if (!eq)
            die("--param needs k=v");
        char key[128];
        snprintf(key, sizeof key, "%.*s", (int)(eq - c->params[i]), c->params[i]);
        json_t *v = json_loads(eq + 1, JSON_DECODE_ANY, NULL);
        json_object_set_new(f, key, v ? v : json_string(eq + 1));
    }
    return f;
}

static bool is_top_param(const char *k)
{
    static const char *const top[] = {"app_key", "timestamp", "format", "v", "sign_method",
                                      "sign", "partner_id", "session", "target_app_key"};
    for (size_t i = 0; i < sizeof top / sizeof top[0]; i++)
        if (strcmp(top[i], k) == 0)
            return true;
    return false;
}

static void resign_qimen(const cfg *c, sl_params *p, bool wdt_too)
{
    char h[33];
    if (wdt_too) {
        sl_params *biz = sl_params_new();
        for (size_t i = 0; i < sl_params_count(p); i++)
            if (!is_top_param(sl_params_key(p, i)))
                sl_params_set(biz, sl_params_key(p, i), sl_params_value(p, i));
        sl_sign_wdt(biz, c->creds.wdt_secret, h);
        sl_params_set(p, "wdt_sign", h);
        sl_params_free(biz);
    }
    sl_sign_top(p, c->creds.app_secret, h);
    sl_params_set(p, "sign", h);
}

/* Changes one byte: the first digit of the value (or of the body), else its first byte. */
static void flip_byte(char *s)
{
    char *d = s;
    while (*d && (*d < '0' || *d > '9'))
        d++;
    if (!*d)
        d = s;
    if (*d)
        *d = *d == '9' ? '8' : (char)(*d + 1);
}

static sl_params *without(const sl_params *p, const char *drop)
{
    sl_params *q = sl_params_new();
    for (size_t i = 0; i < sl_params_count(p); i++)
        if (strcmp(sl_params_key(p, i), drop) != 0)
            sl_params_set(q, sl_params_key(p, i), sl_params_value(p, i));
    return q;
}

static sl_params *apply_edits(const cfg *c, sl_params *p, sl_request *r)
{
    for (int i = 0; i < c->n_sets; i++) {
        const char *eq = strchr(c->sets[i], '=');
        if (!eq)
            die("--set needs k=v");
        sl_params_setn(p, c->sets[i], (size_t)(eq - c->sets[i]), eq + 1, strlen(eq + 1));
    }
    for (int i = 0; i < c->n_drops; i++) {
        sl_params *q = without(p, c->drops[i]);
        sl_params_free(p);
        p = q;
    }
    if (c->tamper && strcmp(c->tamper, "body") == 0) {
        flip_byte(r->body);
    } else if (c->tamper) {
        const char *v = sl_params_get(p, c->tamper);
        if (!v)
            die("--tamper: no such parameter");
        char *t = strdup(v);
        flip_byte(t);
        sl_params_set(p, c->tamper, t);
        free(t);
    }
    return p;
}

/* Re-encodes the request after --set/--drop/--tamper/--resign. */
static void edit(const cfg *c, sl_request *r)
{
    bool direct = !strcmp(c->signer.kind->name, "wdt-direct");
    sl_params *p = sl_params_new();
    const char *src = direct ? r->query + (r->query[0] == '?') : r->body;
    if (!sl_params_parse_form(p, src, strlen(src)))
        die("cannot re-read the built request");
    p = apply_edits(c, p, r);
    if (direct && c->resign) {
        char h[33];
        sl_sign_direct(p, r->body, strlen(r->body), c->creds.wdt_secret, h);
        sl_params_set(p, "sign", h);
    } else if (!direct && (c->resign || c->resign_top)) {
        resign_qimen(c, p, c->resign);
    }
    if (!direct && c->n_in_query) { /* Qimen: these params travel in the query string */
        sl_params *q = sl_params_new(), *rest = sl_params_new();
        for (size_t i = 0; i < sl_params_count(p); i++) {
            int k = 0;
            while (k < c->n_in_query && strcmp(c->in_query[k], sl_params_key(p, i)) != 0)
                k++;
            sl_params_set(k < c->n_in_query ? q : rest, sl_params_key(p, i), sl_params_value(p, i));
        }
        char *qs = sl_params_encode(q, NULL);
        free(r->query);
        r->query = malloc(strlen(qs) + 2);
        snprintf(r->query, strlen(qs) + 2, "?%s", qs);
        free(qs);
        sl_params_free(q);
        sl_params_free(p);
        p = rest;
    }
    char *enc = sl_params_encode(p, NULL);
    if (direct) {
        free(r->query);
        r->query = malloc(strlen(enc) + 2);
        snprintf(r->query, strlen(enc) + 2, "?%s", enc);
        free(enc);
    } else {
        free(r->body);
        r->body = enc;
        r->body_len = strlen(enc);
    }
    r->body_len = strlen(r->body);
    sl_params_free(p);
}

static void build(const cfg *c, int64_t page, sl_request *r)
{
    json_t *f = filter_new(c);
    sl_page_req pr = {.method = c->method, .filter = f, .page_param = "page_no",
                      .size_param = "page_size", .page_no = page, .page_size = c->page_size,
                      .now = (int64_t)time(NULL) + c->clock_offset};
    sl_error err = {0};
    if (sl_request_build(&c->signer, &pr, r, &err) != SL_OK)
        die(err.msg);
    json_decref(f);
    if (c->n_sets || c->n_drops || c->n_in_query || c->tamper || c->resign || c->resign_top)
        edit(c, r);
}

static CURL *easy_new(const cfg *c, const sl_request *r, buf *out, struct curl_slist **hdr)
{
    CURL *e = curl_easy_init();
    char url[4096], ct[128];
    const char *path = strcmp(c->route, "direct") == 0 ? "/openapi" : "/router/qm";
    snprintf(url, sizeof url, "%s%s%s", c->url, path, r->query);
    snprintf(ct, sizeof ct, "Content-Type: %s", r->content_type);
    *hdr = curl_slist_append(NULL, ct);
    *hdr = curl_slist_append(*hdr, "Expect:");
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
    curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, (long)r->body_len);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, *hdr);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)c->timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    return e;
}

/* ---- replies ---- */

typedef struct reply {
    long http;
    CURLcode cc;
    json_t *inner; /* the WDT object, unwrapped from "response"; NULL if not JSON */
    buf body;
} reply;

static void reply_parse(reply *rp)
{
    json_t *j = rp->body.s ? json_loadb(rp->body.s, rp->body.len, 0, NULL) : NULL;
    json_t *in = json_object_get(j, "response");
    if (!in)
        in = json_object_get(j, "error_response"); /* classic TOP gateway errors */
    rp->inner = in ? json_incref(in) : j ? json_incref(j) : NULL;
    json_decref(j);
}

static void reply_free(reply *rp)
{
    json_decref(rp->inner);
    free(rp->body.s);
}

/* One normalised line: http=..., code=/status= and message, or status=0 total= records=. */
static void summary(const reply *rp, char *out, size_t n)
{
    const json_t *o = rp->inner;
    if (rp->cc != CURLE_OK) {
        snprintf(out, n, "error=%s", rp->cc == CURLE_OPERATION_TIMEDOUT ? "timeout"
                                                                      : curl_easy_strerror(rp->cc));
    } else if (rp->http != 200) {
        snprintf(out, n, "http=%ld", rp->http);
    } else if (!json_is_object(o)) {
        snprintf(out, n, "badjson bytes=%zu", rp->body.len);
    } else if (json_object_get(o, "code")) { /* Qimen's or TOP's classic field names */
        const char *sub = json_string_value(json_object_get(o, "sub_message"));
        const char *m = json_string_value(json_object_get(o, "message"));
        sub = sub ? sub : json_string_value(json_object_get(o, "sub_msg"));
        m = m ? m : json_string_value(json_object_get(o, "msg"));
        snprintf(out, n, "code=%" JSON_INTEGER_FORMAT " message=%s%s%s",
                 json_integer_value(json_object_get(o, "code")), m ? m : "",
                 sub ? " sub_message=" : "", sub ? sub : "");
    } else if (json_integer_value(json_object_get(o, "status")) != 0) {
        snprintf(out, n, "status=%" JSON_INTEGER_FORMAT " message=%s",
                 json_integer_value(json_object_get(o, "status")),
                 json_string_value(json_object_get(o, "message")));
    } else {
        json_t *d = json_object_get(o, "data"), *t = json_object_get(d, "total_count");
        char tot[32] = "none";
        if (t)
            snprintf(tot, sizeof tot, "%" JSON_INTEGER_FORMAT, json_integer_value(t));
        snprintf(out, n, "status=0 total=%s records=%zu", tot,
                 json_array_size(json_object_get(d, "order")));
    }
}

static void fetch(const cfg *c, int64_t page, reply *rp)
{
    sl_request r;
    struct curl_slist *hdr;
    memset(rp, 0, sizeof *rp);
    build(c, page, &r);
    CURL *e = easy_new(c, &r, &rp->body, &hdr);
    rp->cc = curl_easy_perform(e);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &rp->http);
    curl_easy_cleanup(e);
    curl_slist_free_all(hdr);
    sl_request_clear(&r);
    reply_parse(rp);
}

/* ---- modes ---- */

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Prints records: "order" = refund_ids as received; else sorted and de-duplicated, "ids" =
 * refund_id, "json" = the record in canonical form (sorted keys). */
static void print_records(const cfg *c, json_t *records)
{
    size_t n = json_array_size(records);
    bool ids = strcmp(c->format, "ids") == 0 || strcmp(c->format, "order") == 0;
    char **lines = calloc(n ? n : 1, sizeof(char *));
    for (size_t i = 0; i < n; i++) {
        json_t *rec = json_array_get(records, i);
        if (ids) {
            lines[i] = malloc(24);
            snprintf(lines[i], 24, "%020" JSON_INTEGER_FORMAT,
                     json_integer_value(json_object_get(rec, "refund_id")));
        } else {
            lines[i] = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15));
        }
    }
    bool sorted = strcmp(c->format, "order") != 0;
    if (sorted)
        qsort(lines, n, sizeof(char *), cmp_line);
    for (size_t i = 0; i < n; i++) {
        if (sorted && i > 0 && strcmp(lines[i], lines[i - 1]) == 0)
            continue;
        const char *s = lines[i];
        while (ids && s[0] == '0' && s[1])
            s++;
        puts(s);
    }
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

static int mode_all(const cfg *c)
{
    json_t *all = json_array();
    int64_t total = -1, pages = 0;
    for (int64_t p = 0; total < 0 || p * c->page_size < total; p++) {
        reply rp;
        char line[512];
        fetch(c, p, &rp);
        summary(&rp, line, sizeof line);
        json_t *d = json_object_get(rp.inner, "data");
        if (!json_is_array(json_object_get(d, "order"))) {
            fprintf(stderr, "wdt-client: page %" PRId64 ": %s\n", p, line);
            reply_free(&rp);
            json_decref(all);
            return 1;
        }
        if (total < 0)
            total = json_integer_value(json_object_get(d, "total_count"));
        json_array_extend(all, json_object_get(d, "order"));
        pages++;
        reply_free(&rp);
    }
    fprintf(stderr, "total=%" PRId64 " pages=%" PRId64 " records=%zu\n", total, pages,
            json_array_size(all));
    print_records(c, all);
    json_decref(all);
    return 0;
}

static int mode_truth(const cfg *c)
{
    buf b = {0};
    char url[4096];
    int64_t from, to;
    snprintf(url, sizeof url, "%s/_truth", c->url);
    if (!sl_time_parse(c->from, strlen(c->from), TZ8, &from) ||
        !sl_time_parse(c->to, strlen(c->to), TZ8, &to))
        die("--from/--to: YYYY-MM-DD HH:MM:SS");
    CURL *e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &b);
    CURLcode cc = curl_easy_perform(e);
    curl_easy_cleanup(e);
    if (cc != CURLE_OK)
        die("cannot read /_truth");
    json_t *in = json_array();
    for (char *line = b.s, *nl; line && *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl)
            break;
        json_t *rec = json_loadb(line, (size_t)(nl - line), 0, NULL);
        json_int_t ms = json_integer_value(json_object_get(rec, "modified"));
        if (rec && ms >= from * 1000 && ms <= to * 1000)
            json_array_append(in, rec);
        json_decref(rec);
    }
    print_records(c, in);
    json_decref(in);
    free(b.s);
    return 0;
}

static int mode_parallel(const cfg *c)
{
    CURLM *m = curl_multi_init();
    int64_t n = c->parallel;
    reply *rp = calloc((size_t)n, sizeof(reply));
    sl_request *rq = calloc((size_t)n, sizeof(sl_request));
    struct curl_slist **hdr = calloc((size_t)n, sizeof(*hdr));
    CURL **e = calloc((size_t)n, sizeof(CURL *));
    for (int64_t i = 0; i < n; i++) {
        build(c, c->page, &rq[i]);
        e[i] = easy_new(c, &rq[i], &rp[i].body, &hdr[i]);
        curl_multi_add_handle(m, e[i]);
    }
    int running = 1;
    while (running) {
        curl_multi_perform(m, &running);
        if (running)
            curl_multi_poll(m, NULL, 0, 1000, NULL);
    }
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(m, &left)))
        for (int64_t i = 0; i < n; i++)
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == e[i])
                rp[i].cc = msg->data.result;
    for (int64_t i = 0; i < n; i++) {
        char line[512];
        curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &rp[i].http);
        reply_parse(&rp[i]);
        summary(&rp[i], line, sizeof line);
        puts(line);
        curl_multi_remove_handle(m, e[i]);
        curl_easy_cleanup(e[i]);
        curl_slist_free_all(hdr[i]);
        sl_request_clear(&rq[i]);
        reply_free(&rp[i]);
    }
    curl_multi_cleanup(m);
    free(rp);
    free(rq);
    free(hdr);
    free(e);
    return 0;
}

typedef struct slot {
    CURL *e;
    sl_request r;
    struct curl_slist *hdr;
    buf b;
} slot;

static void slot_start(const cfg *c, CURLM *m, slot *s, int64_t page)
{
    build(c, page, &s->r);
    s->b.len = s->b.total = 0;
    s->b.count_only = true;
    s->e = easy_new(c, &s->r, &s->b, &s->hdr);
    curl_multi_add_handle(m, s->e);
}

static void slot_end(CURLM *m, slot *s)
{
    curl_multi_remove_handle(m, s->e);
    curl_easy_cleanup(s->e);
    curl_slist_free_all(s->hdr);
    sl_request_clear(&s->r);
    s->e = NULL;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A good page starts like a success reply (the bench does not parse whole pages). */
static bool good_page(const slot *s)
{
    long http = 0;
    curl_easy_getinfo(s->e, CURLINFO_RESPONSE_CODE, &http);
    return http == 200 && s->b.s &&
           (strncmp(s->b.s, "{\"response\":{\"status\":0,", 24) == 0 ||
            strncmp(s->b.s, "{\"status\":0,", 12) == 0);
}

static int mode_bench(const cfg *c)
{
    reply first;
    fetch(c, 0, &first);
    json_t *data = json_object_get(first.inner, "data");
    int64_t total = json_integer_value(json_object_get(data, "total_count"));
    reply_free(&first);
    int64_t pages = (total + c->page_size - 1) / c->page_size, next = 0, ok = 0, bad = 0;
    if (pages < 1)
        die("--bench: the window is empty");
    size_t bytes = 0;
    CURLM *m = curl_multi_init();
    slot *slots = calloc((size_t)c->connections, sizeof(slot));
    double t0 = now_s(), end = t0 + (double)c->bench_s;
    for (int64_t i = 0; i < c->connections; i++)
        slot_start(c, m, &slots[i], next++ % pages);
    int running = 1;
    while (running) {
        curl_multi_perform(m, &running);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left))) {
            for (int64_t i = 0; i < c->connections; i++) {
                slot *s = &slots[i];
                if (msg->msg != CURLMSG_DONE || s->e != msg->easy_handle)
                    continue;
                bool good = msg->data.result == CURLE_OK && good_page(s);
                ok += good;
                bad += !good;
                bytes += s->b.total;
                slot_end(m, s);
                if (now_s() < end)
                    slot_start(c, m, s, next++ % pages);
                running = 1;
                break;
            }
        }
        if (running)
            curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    double el = now_s() - t0;
    printf("wdt-mock bench: %.0f pages/s (%" PRId64 " pages of %" PRId64 " records in %.2f s, "
           "%" PRId64 " bad, %d connections, route %s, %.0f KiB/page)\n",
           (double)ok / el, ok, c->page_size, el, bad, (int)c->connections, c->route,
           ok ? (double)bytes / (double)ok / 1024.0 : 0.0);
    for (int64_t i = 0; i < c->connections; i++)
        free(slots[i].b.s);
    free(slots);
    curl_multi_cleanup(m);
    return bad ? 1 : 0;
}

static int mode_one(const cfg *c)
{
    reply rp;
    char line[1024];
    fetch(c, c->page, &rp);
    summary(&rp, line, sizeof line);
    if (strcmp(c->format, "raw") == 0)
        fwrite(rp.body.s ? rp.body.s : "", 1, rp.body.len, stdout);
    else
        puts(line);
    reply_free(&rp);
    return 0;
}

/* ---- command line ---- */

static void usage(void)
{
    puts("usage: wdt-client --url http://127.0.0.1:PORT [options]\n"
         "  --route qimen|direct|none  (default qimen)   --method M\n"
         "  --from T --to T | --no-window   --param k=v (v as JSON if it parses, else text)\n"
         "  --page N --page-size N (default 0, 50)   --clock-offset S   --timeout-ms N\n"
         "  credentials (default: the fixture of wdt-api.md 6): --app-key --app-secret\n"
         "    --target-app-key --sid --wdt-appkey --wdt-secret --wdt-salt\n"
         "  breaking a request: --set k=v --drop k --tamper k|body, then --resign (all\n"
         "    signatures) or --resign-top (TOP sign only); --in-query k: send k in the query\n"
         "  modes: (one request: a summary line, or the body with --format raw)\n"
         "    | --all | --truth [--format ids|json|order]\n"
         "    | --parallel N | --bench SECONDS [--connections C]");
}

static int64_t num(const char *v)
{
    char *end;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end)
        die("a number is required");
    return x;
}

/* Options taking a string value; returns false if name is not one of them. */
static bool str_opt(cfg *c, const char *name, const char *v)
{
    struct { const char *name; const char **dst; } t[] = {
        {"url", &c->url}, {"route", &c->route}, {"method", &c->method}, {"from", &c->from},
        {"to", &c->to}, {"format", &c->format}, {"tamper", &c->tamper},
        {"app-key", (const char **)&c->creds.app_key},
        {"app-secret", (const char **)&c->creds.app_secret},
        {"target-app-key", (const char **)&c->creds.target_app_key},
        {"sid", (const char **)&c->creds.sid},
        {"wdt-appkey", (const char **)&c->creds.wdt_appkey},
        {"wdt-secret", (const char **)&c->creds.wdt_secret},
        {"wdt-salt", (const char **)&c->creds.wdt_salt}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(name, t[i].name) == 0) {
            *t[i].dst = v;
            return true;
        }
    return false;
}

static bool list_opt(cfg *c, const char *name, const char *v)
{
    const char **lists[] = {c->params, c->sets, c->drops, c->in_query};
    int *counts[] = {&c->n_params, &c->n_sets, &c->n_drops, &c->n_in_query};
    const char *names[] = {"param", "set", "drop", "in-query"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) {
            if (*counts[i] >= MAX_MODS)
                die("too many edits");
            lists[i][(*counts[i])++] = v;
            return true;
        }
    return false;
}

static bool num_opt(cfg *c, const char *name, const char *v)
{
    struct { const char *name; int64_t *dst; } t[] = {
        {"page", &c->page}, {"page-size", &c->page_size}, {"clock-offset", &c->clock_offset},
        {"timeout-ms", &c->timeout_ms}, {"parallel", &c->parallel}, {"bench", &c->bench_s},
        {"connections", &c->connections}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (strcmp(name, t[i].name) == 0) {
            *t[i].dst = num(v);
            return true;
        }
    return false;
}

static void parse_args(int argc, char **argv, cfg *c)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strncmp(a, "--", 2) != 0)
            die("options start with --");
        a += 2;
        bool *flags[] = {&c->no_window, &c->resign, &c->resign_top, &c->all, &c->truth};
        const char *fnames[] = {"no-window", "resign", "resign-top", "all", "truth"};
        bool done = false;
        for (int f = 0; f < 5 && !done; f++)
            if (strcmp(a, fnames[f]) == 0)
                done = *flags[f] = true;
        if (done)
            continue;
        if (strcmp(a, "help") == 0) {
            usage();
            exit(0);
        }
        if (i + 1 >= argc)
            die("an option is missing its value");
        const char *v = argv[++i];
        if (!str_opt(c, a, v) && !list_opt(c, a, v) && !num_opt(c, a, v))
            die("unknown option (see --help)");
    }
}

int main(int argc, char **argv)
{
    static char ak[] = "12345678", as[] = "qmsecret", tk[] = "87654321", sid[] = "wdtapi3",
                wk[] = "testkey", ws[] = "testsecret", wsalt[] = "testsalt";
    cfg c = {0};
    c.route = "qimen";
    c.from = "2024-06-01 00:00:00";
    c.to = "2024-06-02 00:00:00";
    c.format = "json";
    c.page_size = 50;
    c.timeout_ms = 10000;
    c.connections = 4;
    c.creds = (sl_wdt_creds){ak, as, tk, sid, wk, ws, wsalt};
    parse_args(argc, argv, &c);
    if (!c.url)
        die("--url is required");
    bool direct = strcmp(c.route, "direct") == 0;
    const char *kind = direct ? "wdt-direct" : strcmp(c.route, "none") == 0 ? "none"
                     : strcmp(c.route, "qimen") == 0 ? "qimen-wdt" : NULL;
    if (!kind)
        die("--route: qimen, direct or none");
    c.signer = (sl_kind_ref){sl_kind_find(&sl_kinds_signer, kind), &c.creds};
    if (!c.method)
        c.method = direct ? "aftersales.refund.Refund.search"
                          : "wdt.aftersales.refund.refund.search";
    curl_global_init(CURL_GLOBAL_DEFAULT);
    int rc = c.truth ? mode_truth(&c) : c.all ? mode_all(&c) : c.parallel ? mode_parallel(&c)
           : c.bench_s ? mode_bench(&c) : mode_one(&c);
    curl_global_cleanup();
    return rc;
}
