/* mock.h: internal interfaces of wdt-mock, the stand-in for the WDT Ultimate refund API
 * (wdt-api.md section 6). main.c: flags, HTTP server, admin endpoints; knobs.c: the option
 * table shared by flags, /_admin and --help; data.c: the deterministic record set, its sorted
 * index, pages and mutation; route.c: the Qimen and direct routes, checks and replies;
 * tools/mockkit: buffers, clocks, PRNG, the knob table engine and the server frame. The mock is
 * a test tool: on out of memory it aborts rather than limping on. */
#ifndef WDT_MOCK_H
#define WDT_MOCK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "mockkit.h"
#include "sign.h"

#define MOCK_TZ (8 * 3600) /* the server's zone, GMT+8 */

/* ---- knobs (knobs.c) ---- */

typedef struct mock_knobs {
    int64_t latency_ms, jitter_ms;
    int64_t calls_per_minute; /* 0 = unlimited */
    int64_t concurrency;      /* 0 = unlimited */
    int64_t gateway_qps;      /* 0 = unlimited */
    int64_t ban_seconds;
    int64_t ban_grace_ms; /* the client's time to hear of a ban: requests sooner are excused */
    double fail_500, fail_502, fail_503;
    double fail_throttle_gw, fail_throttle_freq, fail_throttle_conc;
    double fail_truncate, fail_stall;
    int64_t stall_ms;
    int64_t mutate, mutate_insert;
    double mutate_share; /* of the window's records, on top of mutate */
    int64_t classic_errors; /* 1: gateway errors as TOP's {"error_response": ...} */
    int64_t max_page_size, default_page_size;
    int64_t total_cap; /* a reply's total_count says at most this (0 = the true count) */
    int64_t retry_after; /* > 0: every API call answers HTTP 429 with this Retry-After */
    int64_t bad_literals; /* every Nth record holds values jansson cannot represent; 0 = none */
} mock_knobs;

/* The knobs' table (knobs.c), for the mk_knob_* functions. */
extern const mk_knob_table mock_knob_table;

/* ---- records (data.c) ---- */

typedef struct mock_data mock_data;

typedef struct mock_query {
    bool has_window;
    int64_t from, to; /* epoch seconds, both inclusive on modified */
    char shop_nos[256]; /* comma-separated, "" = any */
    int n_status;
    int status[16];
    bool has_type, has_stockin;
    int type, stockin;
    const char *num_key; /* a number filter (refund_no, tid, ...) or NULL */
    const char *num_val;
    bool desc; /* order_type 1 */
    int64_t page_no, page_size;
    int64_t total_cap; /* the total_count reported is at most this (0 = no cap) */
    int64_t bad_literals; /* the knob, for the page's records */
} mock_query;

/* A volume drop (--volume-drop-*): of the records generated with modified in [from, to)
 * (and of shop `shop`, unless ""), this share is removed before the mock serves anything, so
 * the API and /_truth agree; share 0 = none. */
typedef struct mock_drop {
    int64_t from, to;
    double share;
    char shop[16];
} mock_drop;

/* Generates n records with modified spread over [from, to] (epoch s) from seed, less those a
 * drop removes (drop may be NULL); now is the data clock. Owned; free with mock_data_free. */
mock_data *mock_data_new(uint64_t seed, int64_t n, int64_t from, int64_t to, int64_t now,
                         const mock_drop *drop);
void mock_data_free(mock_data *d);
/* Appends the members of a reply's data object for page q: "total_count":N, (if with_total)
 * then "order":[records]. Sets *total to the matching records; returns those on the page. */
int64_t mock_data_page(mock_data *d, const mock_query *q, bool with_total, mock_buf *out,
                       int64_t *total);
/* Mutation while paging: moves k + share x (its records) random records of q's window to the
 * data clock's now (editing their goods lines) and inserts m new records modified now. */
void mock_data_mutate(mock_data *d, const mock_query *q, int64_t k, double share, int64_t m);
/* Inserts add new records and modifies modify random existing ones at the data clock. */
void mock_data_change(mock_data *d, int64_t add, int64_t modify);
/* Appends every record, one JSON object per line, in (modified, refund_id) order; with
 * bad_literals > 0, without the records whose read fields the pages make unrepresentable
 * (a correct client rejects those). */
void mock_data_truth(mock_data *d, int64_t bad_literals, mock_buf *out);
int64_t mock_data_count(mock_data *d);
/* Sets top-level field of the record at position i (in (modified, refund_id) order) to v (a copy;
 * modified unchanged): a test serves a hostile value in a real record. False if i is out of range
 * or field is an index key (refund_id, modified). */
bool mock_data_set_field(mock_data *d, int64_t i, const char *field, const json_t *v);
int64_t mock_data_now(mock_data *d);
void mock_data_set_now(mock_data *d, int64_t now);

/* ---- the server (main.c) and routes (route.c) ---- */

typedef enum mock_fault {
    F_500, F_502, F_503, F_THROTTLE_GW, F_THROTTLE_FREQ, F_THROTTLE_CONC, F_TRUNCATE, F_STALL,
    F_COUNT
} mock_fault;

typedef struct mock_stats {
    atomic_llong calls, pages, records, errors;
    atomic_llong faults[F_COUNT];
    atomic_llong thr_gateway, thr_freq, thr_conc; /* throttle replies served, injected or not */
    atomic_llong ban_violations;
    atomic_llong ban_excused; /* during a ban, but sent before the client could know */
    atomic_llong inflight, max_inflight;
} mock_stats;

typedef struct mock_server {
    pthread_mutex_t lock; /* knobs, rng, rate-limit state */
    mock_knobs knobs;
    mock_rng rng;
    int64_t *calls_ring; /* wall ms of the last calls_per_minute accepted calls */
    int64_t ring_cap, ring_n, ring_head;
    int64_t qps_second, qps_count, ban_until_ms;
    int64_t ban_known_ms; /* when the reply starting the ban went out; INT64_MAX until then */
    atomic_llong wdt_inflight;
    char *refuse_msg; /* set: every WDT call past the gates gets status refuse_status with it */
    int refuse_status;
    atomic_llong request_ids;
    mock_data *data;
    mock_stats stats;
} mock_server;

typedef struct mock_reply {
    int http;
    mock_buf body;
    int64_t arrived_ms; /* wall ms when the request was in, before any delay */
    bool ban_started;   /* this reply starts a gateway ban */
    int64_t retry_after; /* > 0: a Retry-After header (seconds) */
} mock_reply;

/* Draws one fault of kind f with its configured rate (counted in stats when it hits). */
bool mock_draw(mock_server *s, mock_fault f);
/* mock_draw for a caller already holding s->lock. */
bool mock_draw_locked(mock_server *s, mock_fault f);
/* Handles a request on /router/qm(test): query + form body merged; inflight = API requests
 * in flight when this one arrived (for the concurrency limit). */
void mock_route_qimen(mock_server *s, const sl_params *params, long long inflight,
                      mock_reply *rep);
/* Handles a request on /openapi: query params and the raw body. */
void mock_route_direct(mock_server *s, const sl_params *query, const char *body, size_t len,
                       long long inflight, mock_reply *rep);

/* /_webhook (webhook.c): POST stores a JSON body, GET replies with all stored bodies, one per
 * line. */
void mock_webhook(bool post, const char *body, size_t len, mock_reply *rep);

#endif
