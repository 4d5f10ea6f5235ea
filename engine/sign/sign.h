/* sign.h: the request signers of wdt-api.md section 1, shared by the engine's HTTP client and
 * by the mock server (which verifies by recomputing). Three layers:
 *   - sl_params: an ordered list of string key/value pairs (query or form parameters);
 *   - the signature functions (Qimen wdt_sign, TOP sign, WDT direct sign), each also available
 *     as a "_write" form that streams the exact source string to a sink (tests, debugging);
 *   - sl_request_build: one page request, signed and encoded by the plan's signer kind
 *     (each signer is one file of this folder, listed in signers.def; see kind.h).
 * Secrets are only ever hashed; nothing here logs or formats them into messages. */
#ifndef SLUICE_SIGN_H
#define SLUICE_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "error.h"
#include "plan.h"

/* ---- parameter lists ---- */

typedef struct sl_params sl_params;

/* A new empty list (owned; free with sl_params_free); NULL on out of memory. */
sl_params *sl_params_new(void);
/* Frees the list and its strings; NULL is fine. */
void sl_params_free(sl_params *p);
/* Sets key to value (both copied, explicit lengths): replaces an existing key in place, else
 * appends. False on out of memory. */
bool sl_params_setn(sl_params *p, const char *key, size_t klen, const char *val, size_t vlen);
/* sl_params_setn for NUL-terminated strings. */
bool sl_params_set(sl_params *p, const char *key, const char *val);
/* The value of key (borrowed), or NULL if absent. */
const char *sl_params_get(const sl_params *p, const char *key);
/* Number of pairs. */
size_t sl_params_count(const sl_params *p);
/* Key / value of pair i (borrowed; i < count). */
const char *sl_params_key(const sl_params *p, size_t i);
const char *sl_params_value(const sl_params *p, size_t i);
/* Sorts the pairs by key, byte order. */
void sl_params_sort(sl_params *p);
/* Encodes as application/x-www-form-urlencoded "k=v&k=v" (RFC 3986 percent-encoding, space as
 * %20); returns an owned string and its length in *len, NULL on out of memory. */
char *sl_params_encode(const sl_params *p, size_t *len);
/* Adds the pairs of a form-encoded string ("+" is a space); false if malformed or out of memory. */
bool sl_params_parse_form(sl_params *p, const char *s, size_t len);

/* ---- signatures ---- */

/* Receives the pieces of a signature's source string, in order. */
typedef void sl_sign_sink(void *ctx, const void *data, size_t len);

/* Writes a JSON value the way wdt_sign serialises one: object keys sorted, each key then its
 * value, arrays in order, nulls skipped, booleans true/false, numbers as plain text. */
void sl_sign_json_flat(const json_t *j, sl_sign_sink *sink, void *ctx);
/* Qimen wdt_sign over the business params biz: keys sorted; wdt3_customer_id and wdt_sign
 * dropped; method stripped of any prefix before "wdt."; values holding a JSON object/array are
 * serialised recursively (keys sorted, key then value, arrays in order, nulls skipped, booleans
 * true/false); wrapped with wdt_secret on both ends. MD5, lower-case hex. */
void sl_sign_wdt(const sl_params *biz, const char *wdt_secret, char out[33]);
void sl_sign_wdt_write(const sl_params *biz, const char *wdt_secret, sl_sign_sink *sink,
                       void *ctx);
/* TOP sign over every request param but "sign": sorted, key+value with raw values, empty
 * values skipped, wrapped with app_secret. MD5, upper-case hex. */
void sl_sign_top(const sl_params *all, const char *app_secret, char out[33]);
void sl_sign_top_write(const sl_params *all, const char *app_secret, sl_sign_sink *sink,
                       void *ctx);
/* WDT direct sign over the query params plus body = the exact body bytes, "sign" dropped,
 * sorted, key+value, wrapped with secret. MD5, lower-case hex. */
void sl_sign_direct(const sl_params *query, const char *body, size_t body_len,
                    const char *secret, char out[33]);
void sl_sign_direct_write(const sl_params *query, const char *body, size_t body_len,
                          const char *secret, sl_sign_sink *sink, void *ctx);

/* ---- one page request ---- */

/* Seconds between the Unix epoch and WDT direct's epoch, 2012-01-01 00:00:00 +08:00. */
#define SL_WDT_DIRECT_EPOCH 1325347200

/* What to ask for: the caller owns every pointer. */
typedef struct sl_page_req {
    const char *method;     /* API method, e.g. wdt.aftersales.refund.refund.search */
    const json_t *filter;   /* business filter object: static params + window bounds */
    const char *page_param; /* e.g. page_no */
    const char *size_param; /* e.g. page_size */
    int64_t page_no;
    int64_t page_size;
    int64_t now; /* epoch seconds (UTC) used for the request timestamps */
    const char *page_token; /* the page as text (a cursor), sent instead of page_no; NULL: the
                             * number. A NULL page_param or size_param is not sent (a cursor's
                             * first page, a next link carrying its own) */
    const char *url;        /* the URL to ask (a next link), whose query holds the request's
                             * parameters; NULL: source.endpoint with the window's */
    const json_t *json_body; /* a JSON body's template (jsonbody.h): the parameters go in a
                              * JSON body; NULL: a form body (or a GET's query) */
    const char *http_method; /* "GET" or "POST" ({http_method} of a recipe); NULL: POST */
    const char *path;        /* the URL's path ({path} of a recipe), e.g. "/v1/orders" */
} sl_page_req;

/* What to send: POST to endpoint + query, with this content type and body. */
typedef struct sl_request {
    char *query;              /* owned; "" or "?k=v&..." to append to the endpoint */
    const char *content_type; /* static string */
    char *body;               /* owned, body_len bytes + NUL */
    size_t body_len;
    sl_params *headers;       /* owned: headers the signer adds (a signature, a timestamp);
                               * NULL when none */
} sl_request;

/* A signer kind's runtime operations (its sl_kind's ops). */
typedef struct sl_signer_ops {
    bool needs_method; /* the API method is part of what is signed */
    bool json_body;    /* it builds a JSON body when the request has one (else only forms) */
    /* Builds the signed request for req into out (zeroed); SL_ERR_CONFIG (err set) when a
     * credential is missing, SL_ERR_INTERNAL when out of memory. */
    sl_status (*build)(const void *cfg, const sl_page_req *req, sl_request *out, sl_error *err);
} sl_signer_ops;

/* Builds the signed request of one page with the plan's signer (the kind's build, which
 * its file describes). On failure returns SL_ERR_INTERNAL (out of memory) or SL_ERR_CONFIG,
 * out zeroed. */
sl_status sl_request_build(const sl_kind_ref *signer, const sl_page_req *req, sl_request *out,
                           sl_error *err);
/* Frees what a built request owns and zeroes it; NULL is fine. */
void sl_request_clear(sl_request *r);

/* ---- for the signer kinds ---- */

/* sl_params_set with the decimal text of v. */
bool sl_params_set_int(sl_params *p, const char *key, int64_t v);
/* Names the first NULL among the n credentials vals (called names[i]), or NULL if all set. */
const char *sl_sign_missing(const char *const *vals, const char *const *names, size_t n);
/* Adds the unsigned request's parameters: the filter's members (strings as they are, other
 * values as compact JSON), the method when given and not empty, the page and its size. False
 * when out of memory. */
bool sl_sign_plain_params(sl_params *p, const sl_page_req *r);
/* Fills out as a form POST of p: encoded body, empty query. SL_OK or SL_ERR_INTERNAL. */
sl_status sl_request_form(const sl_params *p, sl_request *out);

#endif
