/* httpd.h: the service's small HTTP/1.1 listener over sockets, driven by the service's poll
 * loop (no thread). Bounded everywhere: at most HTTPD_MAX_CONNS connections, a request head
 * of at most HTTPD_MAX_HEAD bytes, HTTPD_DEADLINE_MS per connection from accept to the last
 * byte sent; GET and HEAD only, one request per connection (Connection: close), no body read
 * (what the client sent past the head is read and dropped after the response, until its EOF,
 * so the close sends no reset that could lose the response). Out of descriptors, the listener
 * rests HTTPD_PAUSE_MS instead of spinning on a readable socket it can't accept from.
 * Every response forbids scripts and outside assets (Content-Security-Policy). */
#ifndef SLUICE_HTTPD_H
#define SLUICE_HTTPD_H

#include <poll.h>
#include <stddef.h>
#include <stdint.h>

enum {
    HTTPD_MAX_CONNS = 32,
    HTTPD_MAX_HEAD = 8192,
    HTTPD_DEADLINE_MS = 10000,
    HTTPD_PAUSE_MS = 100, /* the listener's rest when accept finds no descriptor */
    HTTPD_MAX_FDS = HTTPD_MAX_CONNS + 1,
};

typedef struct httpd httpd;

/* What a handler answers: status, content type, and the body (owned: the listener frees it;
 * NULL with status 500 when out of memory). */
typedef struct httpd_reply {
    int status;
    const char *type;
    char *body;
} httpd_reply;

/* Answers a GET of path (the request target without its query). */
typedef void httpd_handler(const char *path, httpd_reply *out, void *ctx);

/* Listens on "HOST:PORT" ("[::1]:PORT" for IPv6; port 0 picks a free one). Returns the owned
 * listener, or NULL with the reason in err. */
httpd *httpd_open(const char *listen, char *err, size_t cap);
/* The port it listens on. */
int httpd_port(const httpd *h);
/* Fills fds (room for HTTPD_MAX_FDS) with what the listener waits for and lowers *timeout_ms
 * to its next deadline; returns how many it filled. */
size_t httpd_pollfds(httpd *h, struct pollfd *fds, int64_t now_ms, int *timeout_ms);
/* Handles the n events poll returned on the fds httpd_pollfds filled: accepts, reads requests,
 * answers them through fn, writes, closes finished or late connections. */
void httpd_handle(httpd *h, const struct pollfd *fds, size_t n, int64_t now_ms,
                  httpd_handler *fn, void *ctx);
/* Closes the listener and every connection; NULL is fine. */
void httpd_free(httpd *h);

#endif
