/* http.h: GET and POST requests over one libcurl multi handle: several in flight, connections kept
 * alive and reused, per-request timeouts, a cap on reply size, TLS verification left on.
 * Single-threaded: start requests, then poll; finished transfers are handed to a callback. */
#ifndef SLUICE_HTTP_H
#define SLUICE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "headers.h"

typedef struct sl_http sl_http;

typedef struct sl_http_result {
    void *tag;             /* as given to sl_http_start */
    int curl_code;         /* CURLE_OK (0) when a reply arrived */
    long status;           /* HTTP status, 0 without a reply */
    const char *body;      /* reply body (borrowed until the callback returns), NUL-terminated */
    size_t len;
    bool too_large;        /* the reply passed max_body and was cut off */
    int64_t retry_after_s; /* Retry-After header in seconds, or -1 */
    const char *error;     /* libcurl's message when curl_code != 0 */
    const sl_headers *headers; /* the reply's headers (borrowed like body) */
    double elapsed_s;          /* from the request's start to its end (libcurl's total time) */
} sl_http_result;

typedef void sl_http_done_fn(const sl_http_result *res, void *ctx);

/* Returns a client; timeouts in ms; replies over max_body bytes fail. NULL on failure. */
sl_http *sl_http_new(int64_t timeout_ms, int64_t connect_timeout_ms, size_t max_body);
/* Aborts every transfer in flight and frees the client; NULL is fine. */
void sl_http_free(sl_http *http);
/* One request: the caller owns every pointer (copied by sl_http_start). */
typedef struct sl_http_req {
    const char *url;
    bool get;                 /* a GET without a body, else a POST of body */
    const char *content_type; /* of the POST body */
    const char *body;
    size_t body_len;
    const char *const *header_names; /* n_headers extra headers (NULL names skipped) */
    const char *const *header_values;
    size_t n_headers;
} sl_http_req;

/* Starts req; returns 0, or -1 if it could not be started. */
int sl_http_start(sl_http *http, const sl_http_req *req, void *tag);
/* Runs transfers for at most timeout_ms (returns early when one finishes) and calls done for
 * each finished one. Returns the number still in flight. */
int sl_http_poll(sl_http *http, int timeout_ms, sl_http_done_fn *done, void *ctx);

#endif
