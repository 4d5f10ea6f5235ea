/* rest.h: internal interfaces of rest-mock, the second fixture API: a plain REST service
 * (GET, query parameters, bearer/API key/basic/OAuth2 auth, offset, page, cursor and
 * next-link paging) serving orders and shops generated from a seed (README.md says every
 * option). main.c: flags, routes, admin endpoints, faults; knobs.c: the tunables' table;
 * data.c: the record sets, their order, mutation and JSON; page.c: queries, pages and their
 * replies; auth.c: credentials and the token endpoint; reqlog.c: the request log; iso.c:
 * ISO-8601 times. */
#ifndef REST_MOCK_H
#define REST_MOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "mockkit.h"

#define RM_TZ (8 * 3600) /* the server's zone, +08:00 */

/* ---- times (iso.c) ---- */

typedef enum rm_time_style {
    RM_ISO_OFFSET,       /* 2024-03-03T15:23:32+08:00 */
    RM_ISO_UTC,          /* 2024-03-03T07:23:32Z */
    RM_ISO_UTC_MILLI,    /* 2024-03-03T07:23:32.123Z */
    RM_ISO_OFFSET_MICRO, /* 2024-03-03T15:23:32.123000+08:00 */
    RM_ISO_STYLES
} rm_time_style;

#define RM_ISO_MAX 40

/* Reads YYYY-MM-DD(T| )HH:MM:SS[.fraction][Z|+hh:mm|+hhmm] (no zone: +08:00) into epoch ms
 * (a fraction beyond ms is cut); false if s is anything else. */
bool rm_iso_parse(const char *s, int64_t *ms);
/* A window bound: epoch seconds (digits only) or ISO-8601, into epoch ms. */
bool rm_time_param(const char *s, int64_t *ms);
/* Writes ms in style (a style without a fraction drops the milliseconds). */
void rm_iso_format(int64_t ms, rm_time_style style, char out[RM_ISO_MAX]);

/* ---- request bodies (form.c) ---- */

/* Receives one parameter; key and value are owned by the callee. */
typedef void (*rm_param_fn)(void *cls, char *key, char *value);
/* Calls fn for each pair of an application/x-www-form-urlencoded body (decoded). */
void rm_form_parse(const char *body, rm_param_fn fn, void *cls);
/* Calls fn for each scalar member of a JSON object body, at any depth, by its own name; false
 * if the body is not an object or holds an array or null (fn may have been called). */
bool rm_json_params(const char *body, size_t len, rm_param_fn fn, void *cls);

/* ---- knobs (knobs.c) ---- */

typedef enum rm_paging { RM_PAGE_OFFSET, RM_PAGE_PAGE, RM_PAGE_CURSOR, RM_PAGE_LINK } rm_paging;
typedef enum rm_total { RM_TOTAL_BODY, RM_TOTAL_HEADER, RM_TOTAL_BOTH, RM_TOTAL_NONE } rm_total;
typedef enum rm_auth { RM_AUTH_NONE, RM_AUTH_BEARER, RM_AUTH_API_KEY, RM_AUTH_BASIC,
                       RM_AUTH_OAUTH2 } rm_auth;
typedef enum rm_in { RM_IN_BOTH, RM_IN_BODY, RM_IN_HEADER } rm_in;
typedef enum rm_window_format { RM_WIN_ANY, RM_WIN_ISO, RM_WIN_EPOCH_S, RM_WIN_EPOCH_MS } rm_window_format;

typedef struct rm_knobs {
    int64_t paging, total, auth;        /* rm_paging, rm_total, rm_auth */
    int64_t cursor_in, link_in, link_via; /* rm_in, rm_in, rm_paging (not link) */
    int64_t cursor_kind;                /* 0 keyset, 1 offset */
    int64_t page_base;                  /* the first page's number: 0 or 1 */
    int64_t default_page_size, max_page_size;
    int64_t max_window_s;               /* 0 = any width */
    int64_t window_format;              /* rm_window_format */
    int64_t to_exclusive;               /* 1: updated_to is exclusive */
    int64_t strict_params;              /* 1: an unknown query parameter is a 400 */
    int64_t shop_tokens;                /* 1: bearer TOKEN-N for shop_id=N (per-shop creds) */
    int64_t token_ttl_s;
    int64_t token_uses;
    int64_t token_faults;
    int64_t latency_ms;
    double fail_500, fail_502, fail_503, fail_429, fail_truncate, fail_empty;
    int64_t retry_after_s, retry_after_date; /* date: Retry-After as an HTTP date */
    int64_t mutate_after, mutate_every, mutate_update, mutate_insert;
    int64_t mutate_drop_item;           /* 1: a change also drops a record's last item */
    int64_t sign;                       /* 1: requests carry an HMAC-SHA256 `sign` (page.c) */
} rm_knobs;

/* The key of sign hmac-sha256 (README: "Signed requests"). */
#define RM_SIGN_SECRET "rest-sign-secret"

extern const mk_knob_table rm_knob_table;
/* Knob value names, for replies and messages. */
extern const char *const RM_PAGING_NAMES[];

/* ---- records (data.c) ---- */

typedef enum rm_resource { RM_ORDERS, RM_SHOPS, RM_RESOURCES } rm_resource;

typedef struct rm_data rm_data;

/* A record's place in the sort order: ascending updated time, then id. */
typedef struct rm_key {
    int64_t upd_ms;
    uint64_t id;
} rm_key;

typedef struct rm_filter {
    bool has_from, has_to, to_exclusive;
    int64_t from_ms, to_ms;
    const char *status;  /* orders: exact status, or NULL */
    int64_t shop_id;     /* orders: 0 = any */
    bool by_id;          /* sort by id alone (not updated time, then id) */
} rm_filter;

/* Generates orders and shops from seed with updated times in [from_ms, to_ms]; now_ms is
 * the data clock (the updated time of changes). Owned; free with rm_data_free. */
rm_data *rm_data_new(uint64_t seed, int64_t orders, int64_t shops, int64_t from_ms,
                     int64_t to_ms, int64_t now_ms);
void rm_data_free(rm_data *d);
/* The positions of the records of r matching f, in the sort order (owned array, *n set). */
int32_t *rm_data_select(const rm_data *d, rm_resource r, const rm_filter *f, size_t *n);
/* The sort key of record pos of r under f's order. */
rm_key rm_data_key(const rm_data *d, rm_resource r, int32_t pos, bool by_id);
/* Appends record pos of r as one JSON object. */
void rm_data_emit(const rm_data *d, rm_resource r, int32_t pos, mock_buf *out);
/* Appends every live record of r, one JSON object a line, in the sort order. */
void rm_data_truth(const rm_data *d, rm_resource r, mock_buf *out);
size_t rm_data_count(const rm_data *d, rm_resource r);
/* Changes while paging: update random records among pick (n of them; all orders if n is 0) to
 * the data clock and insert new orders there; the clock then moves on a second. */
void rm_data_mutate(rm_data *d, const int32_t *pick, size_t n, int64_t update, int64_t insert,
                    bool drop_item);
/* Shops: adds n new ones, or deletes the shop with this id (false if there is none). */
void rm_data_add_shops(rm_data *d, int64_t n);
bool rm_data_delete_shop(rm_data *d, int64_t id);
int64_t rm_data_now(const rm_data *d);
void rm_data_set_now(rm_data *d, int64_t now_ms);

/* ---- the server (main.c), pages (page.c), auth (auth.c) ---- */

typedef enum rm_fault { RF_500, RF_502, RF_503, RF_429, RF_TRUNCATE, RF_EMPTY, RF_COUNT } rm_fault;

typedef struct rm_stats {
    int64_t requests, pages, order_pages, records, auth_failures, errors, mutations, tokens;
    int64_t early; /* requests that came before a Retry-After sent earlier had passed */
    int64_t faults[RF_COUNT];
} rm_stats;

typedef struct rm_creds {
    const char *token, *api_key, *api_key_header, *api_key_param;
    const char *basic_user, *basic_password, *client_id, *client_secret;
} rm_creds;

typedef struct rm_token rm_token;

/* Everything below lock is guarded by it (one lock: a fixture needs clarity, not speed). */
typedef struct rm_server {
    pthread_mutex_t lock;
    rm_knobs knobs;
    rm_creds creds;
    mock_rng rng;
    rm_data *data;
    rm_stats stats;
    int64_t fail_next_status, fail_next_count; /* POST /_admin {"fail_next": ...} */
    int64_t mutated_at;                        /* 1 + order_pages at the last change */
    int64_t retry_until_ms;                    /* the last Retry-After sent ends then */
    rm_token *tokens;                          /* issued OAuth2 tokens */
    char **log;                                /* GET /_requests: one JSON line each */
    size_t nlog;
    size_t ntokens, cap_tokens;
    uint64_t token_seq;
} rm_server;

/* A reply under construction: status, body, content type and up to RM_MAX_HEADERS headers. */
#define RM_MAX_HEADERS 6
typedef struct rm_reply {
    int http;
    mock_buf body;
    const char *ctype;
    char *headers[2 * RM_MAX_HEADERS + 1]; /* owned name, value pairs; NULL-terminated */
    size_t nheaders;
} rm_reply;

/* Adds a header (both strings copied). */
void rm_reply_header(rm_reply *rep, const char *name, const char *value);
/* Sets an error reply: status with {"error": code, "message": message}. */
void rm_reply_error(rm_reply *rep, int status, const char *code, const char *message);

/* An API request as the routes see it: its connection (query parameters, headers), path,
 * Host header and, for a POST, its body and content type. */
typedef struct rm_request {
    struct MHD_Connection *mc;
    const char *url, *host;
    bool post;
    const mock_buf *body;
    const char *ctype;
    bool empty; /* an injected silent fault: a 200 as if nothing matched */
} rm_request;

/* Answers a page of resource r (paging style: forced, else the _paging parameter, else the
 * knob). Caller holds s->lock. */
void rm_page(rm_server *s, const rm_request *req, rm_resource r, int forced, rm_reply *rep);
/* Checks the request's credentials under the auth knob; false with a 401 set in rep. Caller
 * holds s->lock. */
bool rm_auth_check(rm_server *s, struct MHD_Connection *mc, rm_reply *rep);
/* POST /oauth/token (client credentials, in the form body or HTTP basic). Caller holds
 * s->lock. */
void rm_auth_token(rm_server *s, struct MHD_Connection *mc, const mock_buf *body, rm_reply *rep);
/* Makes every issued token expired. Caller holds s->lock. */
void rm_auth_expire_all(rm_server *s);
/* Appends the API request on mc (arrived at at_ms, answered status) to the request log.
 * Caller holds s->lock. */
void rm_log_request(rm_server *s, const rm_request *req, int64_t at_ms, int status);
/* Appends the log, one JSON object a line, oldest first. Caller holds s->lock. */
void rm_log_dump(const rm_server *s, mock_buf *out);
void rm_log_clear(rm_server *s);
/* True if name is a parameter auth reads (so strict parameter checks let it through). */
bool rm_auth_param(const rm_server *s, const char *name);

#endif
