/* http.c: see http.h. Easy handles are pooled so their connections stay warm. */
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "headers.h"
#include "stop.h"

typedef struct transfer {
    CURL *easy;
    struct curl_slist *headers;
    void *tag;
    char *req_body;
    char *buf;
    size_t len;
    size_t cap;
    bool too_large;
    int64_t retry_after_s;
    sl_headers reply_headers; /* the reply's, for the pagers and the error rules */
    char errbuf[CURL_ERROR_SIZE];
    size_t max_body;
    struct transfer *next; /* free list, or the list of transfers in flight */
    struct transfer *prev;
} transfer;

struct sl_http {
    CURLM *multi;
    transfer *free_list;
    transfer *active;
    int in_flight;
    int64_t timeout_ms;
    int64_t connect_timeout_ms;
    size_t max_body;
};

static size_t on_body(char *data, size_t size, size_t n, void *userp)
{
    transfer *t = userp;
    size_t len = size * n;
    if (t->len + len > t->max_body) {
        t->too_large = true;
        return 0; /* makes libcurl fail the transfer with CURLE_WRITE_ERROR */
    }
    if (t->len + len + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 16384;
        while (cap < t->len + len + 1)
            cap *= 2;
        if (cap > t->max_body + 1) /* the body never takes more than the cap */
            cap = t->max_body + 1;
        char *p = realloc(t->buf, cap);
        if (!p)
            return 0;
        t->buf = p;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, data, len);
    t->len += len;
    t->buf[t->len] = '\0';
    return len;
}

/* Retry-After's value (RFC 9110 10.2.3): delay seconds, or an HTTP date (seconds from now,
 * 0 when past); -1 when neither. Seconds stop growing past a day: max_wait caps them anyway. */
static int64_t retry_after(const char *v, size_t len)
{
    while (len && (*v == ' ' || *v == '\t'))
        v++, len--;
    if (len && *v >= '0' && *v <= '9') {
        int64_t s = 0;
        for (size_t i = 0; i < len && v[i] >= '0' && v[i] <= '9' && s < 86400; i++)
            s = s * 10 + (v[i] - '0');
        return s;
    }
    char date[64];
    if (len == 0 || len >= sizeof date)
        return -1;
    memcpy(date, v, len);
    date[len] = '\0';
    time_t at = curl_getdate(date, NULL);
    if (at < 0)
        return -1;
    time_t now = time(NULL);
    return at > now ? (int64_t)(at - now) : 0;
}

static size_t on_header(char *data, size_t size, size_t n, void *userp)
{
    transfer *t = userp;
    size_t len = size * n;
    static const char name[] = "retry-after:";
    sl_headers_add_line(&t->reply_headers, data, len);
    if (len > sizeof name && strncasecmp(data, name, sizeof name - 1) == 0) {
        const char *v = data + sizeof name - 1;
        size_t vlen = len - (sizeof name - 1);
        while (vlen && (v[vlen - 1] == '\r' || v[vlen - 1] == '\n' || v[vlen - 1] == ' '))
            vlen--;
        t->retry_after_s = retry_after(v, vlen);
    }
    return len;
}

sl_http *sl_http_new(int64_t timeout_ms, int64_t connect_timeout_ms, size_t max_body)
{
    static int global_done;
    if (!global_done) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return NULL;
        global_done = 1;
    }
    sl_http *http = calloc(1, sizeof *http);
    if (!http)
        return NULL;
    http->multi = curl_multi_init();
    if (!http->multi) {
        free(http);
        return NULL;
    }
    curl_multi_setopt(http->multi, CURLMOPT_MAXCONNECTS, 64L);
    http->timeout_ms = timeout_ms;
    http->connect_timeout_ms = connect_timeout_ms;
    http->max_body = max_body;
    return http;
}

static void transfer_free(transfer *t)
{
    curl_easy_cleanup(t->easy);
    curl_slist_free_all(t->headers);
    free(t->req_body);
    free(t->buf);
    free(t);
}

void sl_http_free(sl_http *http)
{
    if (!http)
        return;
    while (http->active) {
        transfer *t = http->active;
        http->active = t->next;
        curl_multi_remove_handle(http->multi, t->easy);
        transfer_free(t);
    }
    while (http->free_list) {
        transfer *t = http->free_list;
        http->free_list = t->next;
        transfer_free(t);
    }
    curl_multi_cleanup(http->multi);
    free(http);
}

static transfer *transfer_get(sl_http *http)
{
    transfer *t = http->free_list;
    if (t) {
        http->free_list = t->next;
        curl_easy_reset(t->easy);
        curl_slist_free_all(t->headers);
        t->headers = NULL;
        free(t->req_body);
        t->req_body = NULL;
    } else {
        t = calloc(1, sizeof *t);
        if (!t)
            return NULL;
        t->easy = curl_easy_init();
        if (!t->easy) {
            free(t);
            return NULL;
        }
    }
    t->len = 0;
    t->too_large = false;
    t->retry_after_s = -1;
    sl_headers_clear(&t->reply_headers);
    t->errbuf[0] = '\0';
    return t;
}

/* Appends "name: value" to *list; false when out of memory (the list is kept either way). */
static bool add_header(struct curl_slist **list, const char *name, const char *value)
{
    size_t len = strlen(name) + strlen(value) + 3;
    char *line = malloc(len);
    if (!line)
        return false;
    snprintf(line, len, "%s: %s", name, value);
    struct curl_slist *l = curl_slist_append(*list, line);
    free(line);
    if (!l)
        return false;
    *list = l;
    return true;
}

/* The transfer's headers and body: Content-Type for a POST, no "Expect: 100-continue" wait,
 * then the request's own. False when out of memory. */
static bool set_payload(transfer *t, const sl_http_req *r)
{
    bool ok = add_header(&t->headers, "Expect", "") &&
              (r->get || add_header(&t->headers, "Content-Type", r->content_type));
    for (size_t i = 0; ok && i < r->n_headers; i++)
        if (r->header_names[i])
            ok = add_header(&t->headers, r->header_names[i], r->header_values[i]);
    if (!ok || r->get)
        return ok;
    if (!(t->req_body = malloc(r->body_len + 1)))
        return false;
    memcpy(t->req_body, r->body, r->body_len);
    t->req_body[r->body_len] = '\0';
    curl_easy_setopt(t->easy, CURLOPT_POST, 1L);
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDS, t->req_body);
    curl_easy_setopt(t->easy, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
    return true;
}

int sl_http_start(sl_http *http, const sl_http_req *req, void *tag)
{
    transfer *t = transfer_get(http);
    if (!t)
        return -1;
    t->tag = tag;
    t->max_body = http->max_body;
    if (!set_payload(t, req)) {
        transfer_free(t);
        return -1;
    }
    CURL *e = t->easy;
    curl_easy_setopt(e, CURLOPT_URL, req->url);
    if (req->get)
        curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, t);
    curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(e, CURLOPT_HEADERDATA, t);
    curl_easy_setopt(e, CURLOPT_PRIVATE, (char *)t);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->errbuf);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, (long)http->timeout_ms);
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, (long)http->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_USERAGENT, "sluice/0.1");
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    if (curl_multi_add_handle(http->multi, e) != CURLM_OK) {
        transfer_free(t);
        return -1;
    }
    t->prev = NULL;
    t->next = http->active;
    if (http->active)
        http->active->prev = t;
    http->active = t;
    http->in_flight++;
    return 0;
}

static void finish(sl_http *http, CURL *e, CURLcode code, sl_http_done_fn *done, void *ctx)
{
    transfer *t;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&t);
    curl_multi_remove_handle(http->multi, e);
    if (t->prev)
        t->prev->next = t->next;
    else
        http->active = t->next;
    if (t->next)
        t->next->prev = t->prev;
    http->in_flight--;
    sl_http_result res = {.tag = t->tag, .curl_code = (int)code, .body = t->buf ? t->buf : "",
                          .len = t->len, .too_large = t->too_large,
                          .retry_after_s = t->retry_after_s, .headers = &t->reply_headers};
    if (code == CURLE_OK)
        curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &res.status);
    curl_off_t us = 0;
    if (curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &us) == CURLE_OK)
        res.elapsed_s = (double)us / 1e6;
    res.error = t->errbuf[0] ? t->errbuf : curl_easy_strerror(code);
    t->next = http->free_list;
    http->free_list = t;
    done(&res, ctx);
}

int sl_http_poll(sl_http *http, int timeout_ms, sl_http_done_fn *done, void *ctx)
{
    int running = 0;
    curl_multi_perform(http->multi, &running);
    CURLMsg *msg;
    int left;
    bool any = false;
    while ((msg = curl_multi_info_read(http->multi, &left))) {
        if (msg->msg == CURLMSG_DONE) {
            finish(http, msg->easy_handle, msg->data.result, done, ctx);
            any = true;
        }
    }
    if (!any && timeout_ms > 0) {
        /* With nothing in flight this just sleeps: the caller is waiting for a backoff. A stop
         * request (stop.h) ends the wait at once. */
        struct curl_waitfd stop = {.fd = sl_stop_fd(), .events = CURL_WAIT_POLLIN};
        curl_multi_poll(http->multi, stop.fd >= 0 ? &stop : NULL, stop.fd >= 0 ? 1 : 0,
                        timeout_ms, NULL);
        curl_multi_perform(http->multi, &running);
        while ((msg = curl_multi_info_read(http->multi, &left))) {
            if (msg->msg == CURLMSG_DONE)
                finish(http, msg->easy_handle, msg->data.result, done, ctx);
        }
    }
    return http->in_flight;
}

