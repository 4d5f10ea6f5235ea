/* runner.c: see runner.h. The loop: cut windows while fewer than `concurrency` are open,
 * start every request the limiter allows, poll libcurl, classify each reply and move its
 * window along (probe -> pages last..first -> total check -> done or re-read). */
#include "runner.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "batch.h"
#include "expr.h"
#include "http.h"
#include "jarena.h"
#include "jpath.h"
#include "jscan.h"
#include "limiter.h"
#include "regex.h"
#include "sign.h"
#include "sink.h"
#include "stop.h"
#include "text.h"
#include "timeutil.h"
#include "transform.h"
#include "window.h"
#include "writer.h"

enum { MAX_THROTTLES_PER_REQUEST = 200, WRITER_QUEUE = 4 };
/* The arena for one reply's JSON tree: a 190 KB page of 50 refunds needs about 1.5 MB. */
#define ARENA_INITIAL ((size_t)2 << 20)
#define ARENA_MAX ((size_t)32 << 20)

typedef enum phase { PH_PROBE, PH_PAGES } phase;

/* A set of 64-bit key hashes: distinct records received in a window. */
typedef struct keyset {
    uint64_t *slots; /* 0 = empty */
    size_t cap;      /* power of two */
    size_t n;
} keyset;

typedef struct batch_list {
    sl_batch **items;
    size_t n;
    size_t cap;
} batch_list;

/* The runner's state of one window. */
typedef struct win_run {
    phase ph;
    int64_t page;  /* next page to ask for */
    int64_t last;  /* last page of the window (from the probe's total) */
    int64_t total; /* the total of the latest reply */
    int64_t rereads;
    bool in_flight;
    uint64_t turn;      /* when it last sent (r->sends); the smallest sends next */
    int64_t not_before; /* ms: backoff */
    int attempts;       /* failures of the current request */
    int throttles;
    keyset keys;
    sl_batch *cur;   /* rows being filled */
    batch_list held; /* full batches waiting for the windows before this one */
} win_run;

typedef struct replayed {
    sl_window *w;
    char *body;
    size_t len;
    int missing;
} replayed;

typedef struct runner {
    const sl_plan *plan;
    const sl_run_opts *opts;
    sl_run_summary *stats;
    sl_error *err;
    sl_status status;
    sl_window_queue q;
    int open;          /* windows cut and not finished */
    uint64_t cut;      /* windows cut so far */
    uint64_t sends;    /* requests sent so far: the clock of win_run.turn */
    sl_http *http;
    sl_limiter *lim;
    sl_writer *writer;
    sl_jarena *arena; /* the JSON tree of the reply being handled */
    sl_jscan *scan;   /* decodes replies keeping only what the plan reads */
    sl_seen *seen;    /* which column paths found a value in this run */
    const json_t *bad; /* the reply's notes on records it could not represent, or NULL */
    bool write_watermark;
    bool writer_down; /* the writer failed; its error is the run's */
    bool proven;      /* a reply has passed the error rules: the credentials work */
    uint64_t rng;
    uint64_t rejects;
    replayed *pending; /* replay mode: replies read, not yet handled */
    size_t n_pending;
    size_t cap_pending;
    int64_t progress_at;
    int64_t t0;
} runner;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static uint64_t rng_next(runner *r)
{
    r->rng ^= r->rng << 13;
    r->rng ^= r->rng >> 7;
    r->rng ^= r->rng << 17;
    return r->rng;
}

static void logf_(runner *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(runner *r, const char *fmt, ...)
{
    if (!r->opts->log)
        return;
    char ts[20], msg[1024], line[1024];
    sl_time_format(time(NULL), 0, ts);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sl_plan_redact(r->plan, msg, sizeof msg);
    sl_text_escape(line, sizeof line, msg, strlen(msg)); /* it may quote the API: one line */
    fprintf(r->opts->log, "%sZ sluice %s: %s\n", ts, r->plan->name, line);
}

/* sl_seen_report's callback: one event line. */
static void log_warning(const char *msg, void *ctx)
{
    logf_(ctx, "%s", msg);
}

static sl_status fatal(runner *r, sl_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static sl_status fatal(runner *r, sl_status code, const char *fmt, ...)
{
    if (r->status != SL_OK)
        return r->status;
    char msg[sizeof r->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sl_plan_redact(r->plan, msg, sizeof msg);
    r->status = code;
    sl_error_set(r->err, code, "%s", msg);
    return code;
}

/* The writer thread failed: its error (sl_writer_finish) says why, so record none here. */
static void writer_down(runner *r)
{
    if (r->status != SL_OK)
        return;
    r->status = SL_ERR_SINK;
    r->writer_down = true;
}

/* ---- window naming and keys ---- */

static void window_name(const runner *r, const sl_window *w, char *out, size_t len)
{
    char a[20], b[20];
    int tz = r->plan->source.window.tz_offset_s;
    sl_time_format(w->from, tz, a);
    sl_time_format(w->to, tz, b);
    snprintf(out, len, "[%s, %s]", a, b);
}

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Hash of a record's key values (the parent key columns' paths), never 0. */
/* A record without a key (not an object, a key missing or null) is a reject, yet one record of
 * the API's total: it counts by its whole content, so two such records count two, not one
 * (which left every window holding two of them short of its total, run after run). */
static uint64_t content_key(const json_t *rec)
{
    char *dump = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    uint64_t h = dump ? hash_bytes(1099511628211ULL, dump, strlen(dump)) : 2;
    free(dump);
    return h ? h : 1;
}

static uint64_t record_key(const sl_plan *plan, const json_t *rec)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < plan->table.n_key; i++) {
        const sl_column *c = &plan->table.cols[plan->table.key[i]];
        const json_t *v = c->path ? sl_jpath_get(c->path, rec) : NULL;
        if (!v || json_is_null(v))
            return content_key(rec);
        if (json_is_string(v)) {
            h = hash_bytes(h, json_string_value(v), json_string_length(v));
        } else if (json_is_integer(v)) { /* the value's bytes: no formatting per record */
            json_int_t x = json_integer_value(v);
            h = hash_bytes(h, &x, sizeof x);
        } else {
            char *dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            if (dump)
                h = hash_bytes(h, dump, strlen(dump));
            free(dump);
        }
        h = hash_bytes(h, "\x1f", 1);
    }
    return h ? h : 1;
}

static int keyset_add(keyset *ks, uint64_t h)
{
    if ((ks->n + 1) * 2 > ks->cap) {
        size_t cap = ks->cap ? ks->cap * 2 : 256;
        uint64_t *slots = calloc(cap, sizeof *slots);
        if (!slots)
            return -1;
        for (size_t i = 0; i < ks->cap; i++) {
            if (!ks->slots[i])
                continue;
            size_t j = ks->slots[i] & (cap - 1);
            while (slots[j])
                j = (j + 1) & (cap - 1);
            slots[j] = ks->slots[i];
        }
        free(ks->slots);
        ks->slots = slots;
        ks->cap = cap;
    }
    size_t j = h & (ks->cap - 1);
    while (ks->slots[j]) {
        if (ks->slots[j] == h)
            return 0;
        j = (j + 1) & (ks->cap - 1);
    }
    ks->slots[j] = h;
    ks->n++;
    return 0;
}

static void keyset_clear(keyset *ks)
{
    if (ks->slots)
        memset(ks->slots, 0, ks->cap * sizeof *ks->slots);
    ks->n = 0;
}

/* ---- window state ---- */

static win_run *run_of(sl_window *w)
{
    return w->run;
}

static int window_open(runner *r, sl_window *w)
{
    win_run *wr = calloc(1, sizeof *wr);
    if (!wr)
        return -1;
    wr->ph = PH_PROBE;
    wr->page = r->plan->source.paging.first_page;
    wr->cur = sl_writer_batch(r->writer);
    if (!wr->cur) {
        free(wr);
        return -1;
    }
    w->run = wr;
    r->open++;
    return 0;
}

static void window_release(runner *r, sl_window *w)
{
    win_run *wr = run_of(w);
    if (!wr)
        return;
    if (wr->cur)
        sl_writer_recycle(r->writer, wr->cur);
    for (size_t i = 0; i < wr->held.n; i++)
        sl_writer_recycle(r->writer, wr->held.items[i]);
    free(wr->held.items);
    free(wr->keys.slots);
    free(wr);
    w->run = NULL;
}

static void restart_window(runner *r, sl_window *w)
{
    win_run *wr = run_of(w);
    wr->ph = PH_PROBE;
    wr->page = r->plan->source.paging.first_page;
    wr->attempts = 0;
    wr->turn = 0; /* starts again: first in line, in queue order, like a new window */
    keyset_clear(&wr->keys);
}

/* ---- handing rows to the writer, in window order ---- */

static int push(runner *r, sl_batch *b, const int64_t *watermark)
{
    if (sl_writer_push(r->writer, b, watermark) != 0)
        return writer_down(r), -1;
    return 0;
}

static int hold(batch_list *l, sl_batch *b)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 4;
        sl_batch **items = realloc(l->items, cap * sizeof *items);
        if (!items)
            return -1;
        l->items = items;
        l->cap = cap;
    }
    l->items[l->n++] = b;
    return 0;
}

/* The head window streams its batches; the others hold them until they become the head. */
static int ship_full(runner *r, sl_window *w)
{
    win_run *wr = run_of(w);
    sl_batch *b = wr->cur;
    wr->cur = sl_writer_batch(r->writer);
    if (!wr->cur)
        return fatal(r, SL_ERR_INTERNAL, "out of memory"), -1;
    if (w == r->q.head)
        return push(r, b, NULL);
    if (hold(&wr->held, b) != 0)
        return fatal(r, SL_ERR_INTERNAL, "out of memory"), -1;
    return 0;
}

static int ship_held(runner *r, win_run *wr)
{
    for (size_t i = 0; i < wr->held.n; i++) {
        if (push(r, wr->held.items[i], NULL) != 0) {
            for (size_t j = i + 1; j < wr->held.n; j++)
                sl_writer_recycle(r->writer, wr->held.items[j]);
            wr->held.n = 0;
            return -1;
        }
    }
    wr->held.n = 0;
    return 0;
}

/* Called for each finished window popped off the head, in order. */
static void on_popped(sl_window *w, void *ctx)
{
    runner *r = ctx;
    win_run *wr = run_of(w);
    r->stats->windows++;
    if (r->status == SL_OK && ship_held(r, wr) == 0) {
        sl_batch *b = wr->cur;
        wr->cur = NULL;
        int64_t wm = w->to;
        push(r, b, r->write_watermark ? &wm : NULL);
    }
    window_release(r, w);
}

static void finish_window(runner *r, sl_window *w)
{
    r->open--;
    sl_wq_finish(&r->q, w, on_popped, r);
    /* The new head streams from now on: send what it held. */
    if (r->q.head && run_of(r->q.head) && r->status == SL_OK)
        ship_held(r, run_of(r->q.head));
}

/* ---- consuming records ---- */

/* A record the decoder could not represent: a reject with the decoder's reason and text. */
static int reject_bad(const sl_plan *plan, const json_t *rec, const json_t *bad, sl_batch *b,
                      sl_error *err)
{
    const json_t *raw = json_object_get(bad, "raw");
    return sl_transform_reject(plan, rec, json_string_value(json_object_get(bad, "reason")),
                               json_string_value(raw), json_string_length(raw), b, err);
}

static int consume(runner *r, sl_window *w, const json_t *records)
{
    win_run *wr = run_of(w);
    const sl_plan *plan = r->plan;
    size_t i, next_bad = 0;
    const json_t *rec;
    json_array_foreach(records, i, rec)
    {
        r->stats->records++;
        if (keyset_add(&wr->keys, record_key(plan, rec)) != 0)
            return fatal(r, SL_ERR_INTERNAL, "out of memory"), -1;
        sl_error terr = {0};
        const json_t *bad = json_array_get(r->bad, next_bad);
        int rc = bad && json_integer_value(json_object_get(bad, "index")) == (json_int_t)i
                     ? (next_bad++, reject_bad(plan, rec, bad, wr->cur, &terr))
                     : sl_transform_record_seen(plan, rec, wr->cur, r->seen, &terr);
        if (rc < 0)
            return fatal(r, SL_ERR_INTERNAL, "%s", terr.msg), -1;
        if (rc == 1 && ++r->rejects > (uint64_t)plan->target.max_rejects) {
            /* Keep the rejects for diagnosis, but never move the watermark past them. */
            sl_batch *b = wr->cur;
            wr->cur = sl_writer_batch(r->writer);
            push(r, b, NULL);
            return fatal(r, SL_ERR_DATA,
                         "%" PRIu64 " records rejected, more than max_rejects (%" PRId64
                         "); see the reject table %s",
                         r->rejects, plan->target.max_rejects, plan->target.reject_table),
                   -1;
        }
        if (sl_batch_live_rows(wr->cur) >= (size_t)plan->target.batch_rows &&
            ship_full(r, w) != 0)
            return -1;
    }
    return 0;
}

/* After the last page: every record still in the window must have arrived. */
static void check_window(runner *r, sl_window *w)
{
    win_run *wr = run_of(w);
    const sl_paging_plan *pg = &r->plan->source.paging;
    if (pg->check_total && (int64_t)wr->keys.n < wr->total) {
        char name[64];
        window_name(r, w, name, sizeof name);
        if (wr->rereads >= pg->max_rereads) {
            fatal(r, SL_ERR_SOURCE,
                  "window %s: received %zu distinct records of %" PRId64
                  " after %" PRId64 " re-reads; the watermark stays before it",
                  name, wr->keys.n, wr->total, wr->rereads);
            return;
        }
        wr->rereads++;
        r->stats->rereads++;
        logf_(r, "window %s: %zu distinct records of %" PRId64 ", reading it again", name,
              wr->keys.n, wr->total);
        restart_window(r, w);
        return;
    }
    finish_window(r, w);
}

/* Pages to read after a probe answering total: every page the total spans (at least the first)
 * and, when the last of them is full, the one after it, which must be empty: a total too low
 * by whole pages shows only there. */
static int64_t pages_to_read(int64_t total, int64_t size)
{
    int64_t pages = total / size + (total % size != 0); /* no total + size - 1: it may overflow */
    if (pages == 0)
        return 1;
    return total % size == 0 && pages < INT64_MAX ? pages + 1 : pages;
}

/* A reply whose page holds more records than its own total leaves for that page: the total is
 * too low, and the records past it would be skipped. The window is read again, then the run
 * fails with the watermark before it. Returns true when the page was refused. */
static bool page_over_total(runner *r, sl_window *w, size_t n, int64_t total)
{
    win_run *wr = run_of(w);
    const sl_paging_plan *pg = &r->plan->source.paging;
    int64_t page = wr->ph == PH_PROBE ? pg->first_page : wr->page;
    int64_t index = page - pg->first_page;
    int64_t room = index <= total / pg->size ? total - index * pg->size : 0;
    room = room > pg->size ? pg->size : room;
    if ((int64_t)n <= room)
        return false;
    char name[64];
    window_name(r, w, name, sizeof name);
    if (wr->rereads >= pg->max_rereads) {
        fatal(r, SL_ERR_SOURCE,
              "window %s: page %" PRId64 " holds %zu records, more than the total %" PRId64
              " leaves for it (%" PRId64 "), after %" PRId64
              " re-reads; the watermark stays before it",
              name, page, n, total, room, wr->rereads);
        return true;
    }
    wr->rereads++;
    r->stats->rereads++;
    logf_(r, "window %s: page %" PRId64 " holds %zu records, more than the total %" PRId64
          " leaves for it (%" PRId64 "), reading it again", name, page, n, total, room);
    restart_window(r, w);
    return true;
}

static void split_window(runner *r, sl_window *w, const char *why)
{
    char name[64];
    window_name(r, w, name, sizeof name);
    sl_window *b = sl_wq_split(&r->q, w);
    if (!b) {
        fatal(r, SL_ERR_SOURCE,
              "window %s can't be split further (%s); raise max_records or narrow the "
              "filters; the watermark stays before it",
              name, why);
        return;
    }
    if (window_open(r, b) != 0) {
        fatal(r, SL_ERR_INTERNAL, "out of memory");
        return;
    }
    r->stats->splits++;
    logf_(r, "window %s split in halves (%s)", name, why);
    restart_window(r, w);
}

static int64_t json_int(const json_t *v, bool *ok)
{
    *ok = true;
    if (json_is_integer(v))
        return json_integer_value(v);
    if (json_is_string(v)) {
        char *end;
        errno = 0;
        long long x = strtoll(json_string_value(v), &end, 10);
        if (!errno && end != json_string_value(v) && !*end)
            return x;
    }
    *ok = false;
    return 0;
}

/* Fails the run on a reply whose total is missing (v NULL) or is no count, quoting it. */
static void total_refused(runner *r, const json_t *v)
{
    const char *path = sl_jpath_text(r->plan->source.paging.total);
    if (!v || json_is_null(v)) {
        fatal(r, SL_ERR_SOURCE, "the reply has no total at %s", path);
        return;
    }
    char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    if (text)
        sl_text_cut(text, 48); /* sl_error_set escapes what is left */
    fatal(r, SL_ERR_SOURCE, "the reply's total at %s is not a count of records: %s", path,
          text ? text : "(a value)");
    free(text);
}

static void on_page(runner *r, sl_window *w, const json_t *doc)
{
    win_run *wr = run_of(w);
    const sl_source_plan *src = &r->plan->source;
    bool ok;
    const json_t *total_v = sl_jpath_get(src->paging.total, doc);
    int64_t total = json_int(total_v, &ok);
    if (!ok || total < 0) {
        total_refused(r, total_v);
        return;
    }
    const json_t *records = sl_jpath_get(src->records, doc);
    if (records && !json_is_array(records)) {
        fatal(r, SL_ERR_SOURCE, "the reply's %s is not a list", sl_jpath_text(src->records));
        return;
    }
    /* A missing list is an empty page (jansson's array functions accept NULL). */
    wr->total = total;
    if (r->opts->on_total) {
        r->opts->on_total(w->from, w->to, total, r->opts->on_total_ctx);
        finish_window(r, w);
        return;
    }
    if (page_over_total(r, w, json_array_size(records), total))
        return;
    if (wr->ph == PH_PROBE) {
        if (total > src->window.max_records) {
            char why[80];
            snprintf(why, sizeof why, "%" PRId64 " records, max_records is %" PRId64, total,
                     src->window.max_records);
            split_window(r, w, why);
            return;
        }
        int64_t reads = pages_to_read(total, src->paging.size);
        wr->last = src->paging.first_page + reads - 1;
        wr->ph = PH_PAGES;
        if (reads <= 1 || !src->paging.backward) {
            /* The probe is the first page: keep its records; one page means done. */
            if (consume(r, w, records) != 0)
                return;
            wr->page = src->paging.first_page + 1;
            if (reads <= 1) {
                check_window(r, w);
                return;
            }
        } else {
            wr->page = wr->last; /* the probe's records are read again as the last request */
        }
        return;
    }
    if (consume(r, w, records) != 0)
        return;
    wr->page += src->paging.backward ? -1 : 1;
    bool finished = src->paging.backward ? wr->page < src->paging.first_page
                                         : wr->page > wr->last;
    if (finished)
        check_window(r, w);
}

/* ---- classifying replies ---- */

static int64_t backoff_ms(runner *r, int attempt)
{
    const sl_source_plan *src = &r->plan->source;
    double d = (double)src->backoff_min_ms * pow(2.0, attempt - 1);
    if (d > (double)src->backoff_max_ms)
        d = (double)src->backoff_max_ms;
    /* "equal jitter": half fixed, half random, so retries of many requests spread out. */
    int64_t half = (int64_t)(d / 2);
    return half + (half > 0 ? (int64_t)(rng_next(r) % (uint64_t)half) : 0);
}

static void transient(runner *r, sl_window *w, const char *what)
{
    win_run *wr = run_of(w);
    char name[64];
    window_name(r, w, name, sizeof name);
    wr->attempts++;
    r->stats->retries++;
    if (wr->attempts >= r->plan->source.retry_attempts) {
        fatal(r, SL_ERR_SOURCE, "window %s page %" PRId64 ": giving up after %d attempts: %s",
              name, wr->page, wr->attempts, what);
        return;
    }
    int64_t wait = backoff_ms(r, wr->attempts);
    wr->not_before = now_ms() + wait;
    logf_(r, "window %s page %" PRId64 ": %s; retry %d in %" PRId64 " ms", name, wr->page, what,
          wr->attempts, wait);
}

static void throttled(runner *r, sl_window *w, int64_t ban_ms, int conc, const char *what)
{
    win_run *wr = run_of(w);
    int64_t cap = r->plan->source.max_wait_ms;
    if (ban_ms > cap) {
        /* Obeying would hold the run lock for as long as the API likes: fail the request as
         * transient, so retry.attempts bounds what a hostile or broken throttle can cost. */
        char why[160];
        snprintf(why, sizeof why,
                 "%s asks to wait %" PRId64 " s, more than source.limits.max_wait (%" PRId64 " s)",
                 what, ban_ms / 1000, cap / 1000);
        transient(r, w, why);
        return;
    }
    r->stats->throttles++;
    if (++wr->throttles > MAX_THROTTLES_PER_REQUEST) {
        fatal(r, SL_ERR_SOURCE, "throttled %d times on one request (%s); lower calls_per_minute",
              wr->throttles - 1, what);
        return;
    }
    int64_t t = now_ms();
    if (r->lim) {
        sl_limiter_throttled(r->lim, t, ban_ms, conc);
        ban_ms = sl_limiter_ban_until(r->lim) - t; /* the pause in force, default included */
    }
    logf_(r, "throttled (%s)%s; waiting %" PRId64 " ms, rate now %.0f/min", what,
          conc ? ", concurrency" : "", ban_ms, r->lim ? sl_limiter_rate(r->lim) : 0.0);
}

static int64_t rule_wait_ms(const sl_error_rule *rule, const json_t *doc)
{
    if (!rule->wait_path || !rule->wait_regex)
        return 0;
    const json_t *v = sl_jpath_get(rule->wait_path, doc);
    if (!json_is_string(v))
        return 0;
    size_t start, len;
    const char *s = json_string_value(v);
    if (sl_regex_group(rule->wait_regex, s, json_string_length(v), 1, &start, &len) !=
        SL_RE_MATCHED)
        return 0; /* no number (or the pattern gave up): the default wait */
    int64_t secs = 0;
    for (size_t i = 0; i < len && secs < 86400; i++)
        if (s[start + i] >= '0' && s[start + i] <= '9')
            secs = secs * 10 + (s[start + i] - '0');
    return secs * 1000;
}

static void rule_failed(runner *r, sl_window *w, const sl_error_rule *rule, const json_t *doc)
{
    char name[64];
    window_name(r, w, name, sizeof name);
    const json_t *m = rule->message ? sl_jpath_get(rule->message, doc) : NULL;
    char *dump = m ? NULL : json_dumps(doc, JSON_COMPACT);
    const char *text = json_is_string(m) ? json_string_value(m) : dump ? dump : "";
    size_t len = json_is_string(m) ? json_string_length(m) : strlen(text);
    fatal(r, SL_ERR_SOURCE, "the API refused window %s (rule at %s:%d): %.*s%s%s", name,
          r->plan->file, rule->pos.line, (int)sl_text_cut_len(text, len, 300), text,
          rule->hint ? "; " : "",
          rule->hint ? rule->hint : "");
    free(dump);
}

/* Applies the first matching error rule; returns 1 when one matched. */
static int apply_rules(runner *r, sl_window *w, const json_t *doc)
{
    const sl_source_plan *src = &r->plan->source;
    for (size_t i = 0; i < src->n_rules; i++) {
        const sl_error_rule *rule = &src->rules[i];
        if (!sl_expr_eval(rule->when, doc))
            continue;
        switch (rule->then) {
        case SL_ACT_THROTTLE:
            throttled(r, w, rule_wait_ms(rule, doc), rule->lower_concurrency, "error rule");
            break;
        case SL_ACT_RETRY:
            transient(r, w, "error rule says retry");
            break;
        case SL_ACT_SPLIT:
            split_window(r, w, "the API says the window is too wide");
            break;
        case SL_ACT_FAIL:
            rule_failed(r, w, rule, doc);
            break;
        }
        return 1;
    }
    return 0;
}

static void save_reply(runner *r, const sl_window *w, const char *body, size_t len);

/* The same reply would take the same memory again: no retry. */
static void too_big_decoded(runner *r, const sl_window *w, size_t len)
{
    char name[64];
    window_name(r, w, name, sizeof name);
    fatal(r, SL_ERR_SOURCE,
          "window %s: a reply of %zu bytes needs more than %" PRId64
          " bytes of memory decoded (twice source.max_body); refused, the watermark stays "
          "before it; raise max_body if the API's pages are really this large",
          name, len, 2 * r->plan->source.max_body_bytes);
}

static void handle_reply(runner *r, sl_window *w, long status, const char *body, size_t len,
                         int64_t retry_after_s)
{
    char what[96];
    if (status == 429) {
        throttled(r, w, retry_after_s > 0 ? retry_after_s * 1000 : 0, 0, "HTTP 429");
        return;
    }
    if (status >= 500 || status == 408) {
        snprintf(what, sizeof what, "HTTP %ld", status);
        transient(r, w, what);
        return;
    }
    if (status != 200) {
        fatal(r, SL_ERR_SOURCE, "the API answered HTTP %ld; check source.endpoint", status);
        return;
    }
    char jerr[80];
    sl_jarena_begin(r->arena);
    json_t *bad = NULL;
    json_t *doc = sl_jscan_decode(r->scan, body, len, &bad, jerr, sizeof jerr);
    sl_jarena_end();
    if (!doc && sl_jarena_over_limit(r->arena)) {
        sl_jarena_drop(r->arena, NULL);
        too_big_decoded(r, w, len);
        return;
    }
    if (!doc) {
        sl_jarena_drop(r->arena, NULL);
        snprintf(what, sizeof what, "malformed JSON reply (%.*s)",
                 (int)sl_text_cut_len(jerr, strlen(jerr), 60), jerr);
        transient(r, w, what);
        return;
    }
    if (!apply_rules(r, w, doc)) {
        r->proven = true;
        run_of(w)->attempts = 0;
        run_of(w)->throttles = 0;
        if (r->lim)
            sl_limiter_success(r->lim);
        r->stats->pages++;
        save_reply(r, w, body, len);
        r->bad = bad;
        on_page(r, w, doc);
        r->bad = NULL;
    }
    json_decref(bad); /* its own tree: the drop walks only doc's */
    sl_jarena_drop(r->arena, doc);
}

/* ---- requests ---- */

static json_t *window_filter(const runner *r, const sl_window *w)
{
    const sl_window_plan *wp = &r->plan->source.window;
    json_t *f = r->plan->source.params ? json_deep_copy(r->plan->source.params) : json_object();
    if (!f)
        return NULL;
    int64_t bounds[2] = {w->from, w->to};
    const char *names[2] = {wp->from_param, wp->to_param};
    for (int i = 0; i < 2; i++) {
        char buf[SL_TIME_FMT_MAX];
        if (sl_time_strftime(wp->format, bounds[i], wp->tz_offset_s, buf, sizeof buf) < 0 ||
            json_object_set_new(f, names[i], json_string(buf)) != 0) {
            json_decref(f);
            return NULL;
        }
    }
    return f;
}

static void reply_path(const char *dir, const sl_window *w, int64_t page,
                       char *out, size_t len)
{
    snprintf(out, len, "%s/%" PRId64 "_%" PRId64 "_%" PRId64 ".json", dir, w->from, w->to, page);
}

static void save_reply(runner *r, const sl_window *w, const char *body, size_t len)
{
    if (!r->opts->record_dir)
        return;
    char path[4096];
    reply_path(r->opts->record_dir, w, run_of((sl_window *)w)->page, path, sizeof path);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(body, 1, len, f) != len) {
        if (f)
            fclose(f);
        fatal(r, SL_ERR_INTERNAL, "can't record a reply into %s: %s", path, strerror(errno));
        return;
    }
    fclose(f);
}

static int replay_request(runner *r, sl_window *w)
{
    char path[4096];
    reply_path(r->opts->replay_dir, w, run_of(w)->page, path, sizeof path);
    replayed rp = {.w = w};
    FILE *f = fopen(path, "rb");
    if (f) {
        fseek(f, 0, SEEK_END);
        long n = ftell(f);
        fseek(f, 0, SEEK_SET);
        if (n > r->plan->source.max_body_bytes) { /* as the API's reply would be */
            fclose(f);
            return fatal(r, SL_ERR_SOURCE, "recorded reply %s is over source.max_body", path),
                   -1;
        }
        rp.body = n >= 0 ? malloc((size_t)n + 1) : NULL;
        if (rp.body && fread(rp.body, 1, (size_t)n, f) == (size_t)n) {
            rp.len = (size_t)n;
            rp.body[n] = '\0';
        } else {
            free(rp.body);
            rp.body = NULL;
        }
        fclose(f);
    }
    if (!rp.body)
        return fatal(r, SL_ERR_SOURCE, "no recorded reply %s (record with run --record)", path),
               -1;
    if (r->n_pending == r->cap_pending) {
        size_t cap = r->cap_pending ? r->cap_pending * 2 : 16;
        replayed *p = realloc(r->pending, cap * sizeof *p);
        if (!p) {
            free(rp.body);
            return fatal(r, SL_ERR_INTERNAL, "out of memory"), -1;
        }
        r->pending = p;
        r->cap_pending = cap;
    }
    r->pending[r->n_pending++] = rp;
    return 0;
}

static int send_request(runner *r, sl_window *w)
{
    win_run *wr = run_of(w);
    const sl_source_plan *src = &r->plan->source;
    wr->in_flight = true;
    wr->turn = ++r->sends;
    r->stats->requests++;
    if (r->opts->replay_dir)
        return replay_request(r, w);
    json_t *filter = window_filter(r, w);
    if (!filter)
        return fatal(r, SL_ERR_INTERNAL, "can't format the window bounds"), -1;
    sl_page_req req = {.method = src->method, .filter = filter,
                       .page_param = src->paging.page_param, .size_param = src->paging.size_param,
                       .page_no = wr->page, .page_size = src->paging.size, .now = time(NULL)};
    sl_request out = {0};
    sl_error err = {0};
    sl_status st = sl_request_build(&src->signer, &req, &out, &err);
    json_decref(filter);
    if (st != SL_OK)
        return fatal(r, st, "%s", err.msg), -1;
    size_t ulen = strlen(src->endpoint) + strlen(out.query) + 1;
    char *url = malloc(ulen);
    int rc = -1;
    if (url) {
        snprintf(url, ulen, "%s%s", src->endpoint, out.query);
        rc = sl_http_start(r->http, url, out.content_type, out.body, out.body_len, w);
        free(url);
    }
    sl_request_clear(&out);
    if (rc != 0)
        return fatal(r, SL_ERR_INTERNAL, "can't start an HTTP request"), -1;
    return 0;
}

/* Until a first reply has passed the error rules, one request at a time: wrong credentials
 * then cost one request, not one per window in flight. */
static bool first_reply_pending(const runner *r)
{
    if (r->proven)
        return false;
    for (const sl_window *w = r->q.head; w; w = w->next)
        if (w->run && ((const win_run *)w->run)->in_flight)
            return true;
    return false;
}

/* The window that may send now and has waited longest since it last sent (new ones first, in
 * queue order), or NULL. Taking turns keeps every open window moving: scanning from the head
 * instead lets the first windows take every token while the last waits, and then finishes
 * alone, one request in flight (docs/performance.md). */
static sl_window *next_sender(runner *r, int64_t t, int64_t *wait)
{
    sl_window *pick = NULL;
    for (sl_window *w = r->q.head; w; w = w->next) {
        win_run *wr = run_of(w);
        if (w->done || !wr || wr->in_flight)
            continue;
        if (wr->not_before > t) {
            if (wr->not_before - t < *wait)
                *wait = wr->not_before - t;
            continue;
        }
        if (!pick || wr->turn < run_of(pick)->turn)
            pick = w;
    }
    return pick;
}

/* Starts what may start now; returns how long to wait before trying again (ms). */
static int64_t dispatch(runner *r)
{
    int64_t wait = 200, t = now_ms();
    sl_window *w;
    while (r->status == SL_OK && (w = next_sender(r, t, &wait)) && !first_reply_pending(r)) {
        if (r->lim) {
            int64_t lw = sl_limiter_acquire(r->lim, t);
            if (lw != 0) {
                if (lw > 0 && lw < wait)
                    wait = lw;
                break;
            }
        }
        if (send_request(r, w) != 0)
            break;
    }
    return wait < 1 ? 1 : wait;
}

static void on_http_done(const sl_http_result *res, void *ctx)
{
    runner *r = ctx;
    sl_window *w = res->tag;
    run_of(w)->in_flight = false;
    sl_limiter_release(r->lim);
    if (r->status != SL_OK)
        return;
    if (res->curl_code != 0) {
        char what[160];
        snprintf(what, sizeof what, "%s%s", res->too_large ? "reply over max_body: " : "",
                 res->error);
        transient(r, w, what);
        return;
    }
    handle_reply(r, w, res->status, res->body, res->len, res->retry_after_s);
}

static void poll_replies(runner *r, int64_t wait)
{
    if (!r->opts->replay_dir) {
        sl_http_poll(r->http, (int)wait, on_http_done, r);
        return;
    }
    /* Handle the replies read so far; handling may queue more, which wait for the next turn. */
    size_t n = r->n_pending;
    replayed *batch = malloc((n ? n : 1) * sizeof *batch);
    if (!batch) {
        fatal(r, SL_ERR_INTERNAL, "out of memory");
        return;
    }
    memcpy(batch, r->pending, n * sizeof *batch);
    r->n_pending = 0;
    for (size_t i = 0; i < n; i++) {
        run_of(batch[i].w)->in_flight = false;
        if (r->status == SL_OK)
            handle_reply(r, batch[i].w, 200, batch[i].body, batch[i].len, -1);
        free(batch[i].body);
    }
    free(batch);
}

/* ---- the loop ---- */

/* Windows cut and not yet handed to the writer: open, or finished and holding their rows until
 * the windows before them finish. */
static int64_t queued(const runner *r)
{
    int64_t n = 0;
    for (const sl_window *w = r->q.head; w; w = w->next)
        n++;
    return n;
}

/* Cuts windows while fewer than `concurrency` are open and, so that memory stays bounded when the
 * head window lags (retries, a long window), fewer than twice that wait for the writer. */
static void open_windows(runner *r)
{
    int64_t cap = r->plan->source.concurrency;
    while (r->status == SL_OK && !sl_stop_requested() && r->open < cap && queued(r) < 2 * cap &&
           (!r->opts->max_windows || r->cut < (uint64_t)r->opts->max_windows)) {
        sl_window *w = sl_wq_cut(&r->q);
        if (!w)
            break;
        r->cut++;
        if (window_open(r, w) != 0)
            fatal(r, SL_ERR_INTERNAL, "out of memory");
    }
}

static void progress(runner *r, bool last)
{
    if (!r->opts->progress)
        return;
    int64_t t = now_ms();
    if (!last && t - r->progress_at < 250)
        return;
    r->progress_at = t;
    char wm[20] = "-";
    if (r->q.watermark != INT64_MIN)
        sl_time_format(r->q.watermark, r->plan->source.window.tz_offset_s, wm);
    fprintf(r->opts->progress,
            "\r\033[Kwindows %" PRIu64 " done, %d open | pages %" PRIu64 " | records %" PRIu64
            " | retries %" PRIu64 " | throttles %" PRIu64 " | up to %s",
            r->stats->windows, r->open, r->stats->pages, r->stats->records, r->stats->retries,
            r->stats->throttles, wm);
    if (last)
        fputc('\n', r->opts->progress);
    fflush(r->opts->progress);
}

static void run_loop(runner *r)
{
    for (;;) {
        open_windows(r);
        if (r->status != SL_OK)
            break;
        if (!r->q.head) {
            if (sl_stop_requested())
                fatal(r, SL_ERR_INTERRUPTED, "interrupted; the watermark is consistent");
            break;
        }
        if (sl_stop_requested()) {
            fatal(r, SL_ERR_INTERRUPTED, "interrupted; the watermark is consistent");
            break;
        }
        int64_t wait = dispatch(r);
        if (r->status != SL_OK)
            break;
        poll_replies(r, wait);
        if (r->status == SL_OK && sl_writer_failed(r->writer))
            writer_down(r);
        progress(r, false);
    }
    progress(r, true);
}

static sl_status plan_range(runner *r, sl_sink *sink)
{
    const sl_window_plan *wp = &r->plan->source.window;
    const sl_run_opts *o = r->opts;
    int64_t wm = INT64_MIN;
    bool found = false;
    sl_status st = sl_sink_state_get(sink, r->plan->name, &wm, &found, r->err);
    if (st != SL_OK)
        return r->status = st;
    r->stats->watermark_before = found ? wm : INT64_MIN;
    if (o->has_range) {
        r->stats->range_from = o->range_from;
        r->stats->range_to = o->range_to;
        r->write_watermark = false;
    } else {
        int64_t start = found && wm - wp->overlap_s > wp->start ? wm - wp->overlap_s : wp->start;
        r->stats->range_from = start;
        r->stats->range_to = o->now - wp->lag_s;
        r->write_watermark = true;
    }
    sl_wq_init(&r->q, r->stats->range_from, r->stats->range_to, wp->max_span_s, wp->overlap_s);
    return SL_OK;
}

static void release_all(runner *r)
{
    for (sl_window *w = r->q.head; w; w = w->next)
        window_release(r, w);
    sl_wq_clear(&r->q);
    for (size_t i = 0; i < r->n_pending; i++)
        free(r->pending[i].body);
    free(r->pending);
}

sl_status sl_run(const sl_plan *plan, sl_sink *sink, const sl_run_opts *opts,
                 sl_run_summary *stats, sl_error *err)
{
    runner r = {.plan = plan, .opts = opts, .stats = stats, .err = err, .t0 = now_ms(),
                .rng = (uint64_t)time(NULL) * 2654435761u | 1};
    memset(stats, 0, sizeof *stats);
    /* "none" until planned: a run that fails reading its state has no range or watermark */
    stats->range_from = stats->range_to = INT64_MIN;
    stats->watermark_before = stats->watermark_after = INT64_MIN;
    int64_t db_retries0 = sl_sink_db_retries(sink);
    if (plan_range(&r, sink) != SL_OK)
        return r.status;
    const sl_source_plan *src = &plan->source;
    if (!opts->replay_dir) {
        r.http = sl_http_new(src->timeout_ms, src->connect_timeout_ms, (size_t)src->max_body_bytes);
        r.lim = sl_limiter_new((double)src->calls_per_minute, (int)src->concurrency);
        if (!r.http || !r.lim)
            fatal(&r, SL_ERR_INTERNAL, "can't set up the HTTP client");
    }
    r.arena = sl_jarena_new(ARENA_INITIAL, ARENA_MAX, 2 * (size_t)src->max_body_bytes);
    r.scan = sl_jscan_new(plan);
    r.seen = sl_seen_new(plan);
    r.writer = sl_writer_start(sink, plan, WRITER_QUEUE);
    if (!r.writer || !r.arena || !r.scan || !r.seen)
        fatal(&r, SL_ERR_INTERNAL, "can't start the writer thread");
    if (r.status == SL_OK)
        run_loop(&r);
    sl_http_free(r.http); /* aborts requests in flight */
    if (r.writer) {
        release_all(&r);
        sl_writer_stats ws;
        sl_status wst = sl_writer_finish(r.writer, 0, &ws, err);
        if (r.status == SL_OK || (r.writer_down && wst != SL_OK))
            r.status = wst;
        stats->batches = ws.batches;
        stats->rows = ws.rows;
        stats->child_rows = ws.child_rows;
        stats->rejects = ws.rejects;
        stats->watermark_after = ws.watermark != INT64_MIN ? ws.watermark
                                                           : stats->watermark_before;
        /* The writer thread has ended: its sink's count is settled. */
        stats->db_retries = (uint64_t)(sl_sink_db_retries(sink) - db_retries0);
    }
    if (r.seen)
        sl_seen_report(r.seen, plan, log_warning, &r);
    sl_seen_free(r.seen);
    sl_limiter_free(r.lim);
    sl_jarena_free(r.arena);
    sl_jscan_free(r.scan);
    stats->elapsed_s = (double)(now_ms() - r.t0) / 1000.0;
    return r.status;
}
