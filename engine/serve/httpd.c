/* httpd.c: see httpd.h. A connection reads its request head into a fixed buffer, is answered
 * at once from the handler, and writes the response without blocking as the socket allows. */
#include "httpd.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

typedef struct conn {
    int fd; /* -1: the slot is free */
    int64_t deadline_ms;
    char in[HTTPD_MAX_HEAD + 1];
    size_t in_len;
    char *out; /* the response, once answered */
    size_t out_len, out_off;
    bool draining; /* the response is sent (and our side shut): reading to the client's EOF */
} conn;

struct httpd {
    int fd;
    int port;
    int64_t resume_ms; /* out of descriptors: the listener is not polled before then */
    conn conns[HTTPD_MAX_CONNS];
    size_t polled[HTTPD_MAX_FDS]; /* which slot each polled fd is (the listener: SIZE_MAX) */
};

/* Splits "HOST:PORT" / "[V6]:PORT" into host and port; false when malformed. */
static bool split_addr(const char *listen, char *host, size_t hcap, char *port, size_t pcap)
{
    const char *colon = strrchr(listen, ':');
    if (!colon || !colon[1] || strlen(colon + 1) >= pcap)
        return false;
    const char *h = listen;
    size_t len = (size_t)(colon - listen);
    if (len >= 2 && h[0] == '[' && h[len - 1] == ']') {
        h++;
        len -= 2;
    }
    if (len == 0 || len >= hcap)
        return false;
    memcpy(host, h, len);
    host[len] = '\0';
    snprintf(port, pcap, "%s", colon + 1);
    return strspn(port, "0123456789") == strlen(port);
}

static int bind_first(const struct addrinfo *ai, char *err, size_t cap)
{
    int fd = -1;
    for (; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            continue;
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 64) == 0)
            return fd;
        snprintf(err, cap, "%s", strerror(errno));
        close(fd);
        fd = -1;
    }
    return fd;
}

static int bound_port(int fd)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
        return -1;
    char port[16];
    if (getnameinfo((struct sockaddr *)&ss, len, NULL, 0, port, sizeof port, NI_NUMERICSERV))
        return -1;
    return atoi(port);
}

httpd *httpd_open(const char *listen, char *err, size_t cap)
{
    char host[256], port[8];
    if (!split_addr(listen, host, sizeof host, port, sizeof port)) {
        snprintf(err, cap, "'%s' is not HOST:PORT (e.g. 127.0.0.1:9187 or [::1]:9187)", listen);
        return NULL;
    }
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *ai = NULL;
    int rc = getaddrinfo(host, port, &hints, &ai);
    if (rc != 0) {
        snprintf(err, cap, "can't resolve '%s': %s", host, gai_strerror(rc));
        return NULL;
    }
    snprintf(err, cap, "no address");
    int fd = bind_first(ai, err, cap);
    freeaddrinfo(ai);
    httpd *h = fd >= 0 ? calloc(1, sizeof *h) : NULL;
    if (!h) {
        if (fd >= 0) {
            close(fd);
            snprintf(err, cap, "out of memory");
        }
        return NULL;
    }
    h->fd = fd;
    h->port = bound_port(fd);
    for (size_t i = 0; i < HTTPD_MAX_CONNS; i++)
        h->conns[i].fd = -1;
    return h;
}

int httpd_port(const httpd *h)
{
    return h->port;
}

static void conn_close(conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    free(c->out);
    c->fd = -1;
    c->out = NULL;
    c->in_len = c->out_len = c->out_off = 0;
    c->draining = false;
}

size_t httpd_pollfds(httpd *h, struct pollfd *fds, int64_t now_ms, int *timeout_ms)
{
    size_t n = 0, free_slots = 0;
    for (size_t i = 0; i < HTTPD_MAX_CONNS; i++) {
        conn *c = &h->conns[i];
        if (c->fd < 0) {
            free_slots++;
            continue;
        }
        fds[n] = (struct pollfd){.fd = c->fd, .events = c->out ? POLLOUT : POLLIN};
        h->polled[n++] = i;
        int64_t left = c->deadline_ms - now_ms;
        if (left < *timeout_ms)
            *timeout_ms = left < 0 ? 0 : (int)left;
    }
    if (free_slots && now_ms < h->resume_ms) { /* out of descriptors: wait, don't spin */
        if (h->resume_ms - now_ms < *timeout_ms)
            *timeout_ms = (int)(h->resume_ms - now_ms);
    } else if (free_slots) { /* a full house leaves new connections waiting in the backlog */
        fds[n] = (struct pollfd){.fd = h->fd, .events = POLLIN};
        h->polled[n++] = SIZE_MAX;
    }
    return n;
}

static void accept_one(httpd *h, int64_t now_ms)
{
    for (size_t i = 0; i < HTTPD_MAX_CONNS; i++) {
        conn *c = &h->conns[i];
        if (c->fd >= 0)
            continue;
        c->fd = accept4(h->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        c->deadline_ms = now_ms + HTTPD_DEADLINE_MS;
        if (c->fd < 0 && (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
                          errno == ENOMEM)) /* the listener stays readable: pause it */
            h->resume_ms = now_ms + HTTPD_PAUSE_MS;
        return;
    }
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    default: return "Internal Server Error";
    }
}

/* Makes c's response from r (taking r->body); HEAD sends the head only. */
static void respond(conn *c, httpd_reply *r, bool head)
{
    const char *body = r->body ? r->body : "out of memory\n";
    int status = r->body ? r->status : 500;
    size_t len = strlen(body);
    char *out = NULL;
    size_t out_len = 0;
    FILE *f = open_memstream(&out, &out_len);
    if (f) {
        fprintf(f, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
                   "Connection: close\r\nCache-Control: no-store\r\n"
                   "X-Content-Type-Options: nosniff\r\n"
                   "Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n"
                   "%s\r\n%s",
                status, reason(status), r->body ? r->type : "text/plain; charset=utf-8", len,
                status == 405 ? "Allow: GET, HEAD\r\n" : "", head ? "" : body);
        if (fclose(f) != 0) {
            free(out);
            out = NULL;
        }
    }
    free(r->body);
    c->out = out;
    c->out_len = out ? out_len : 0;
    if (!out)
        conn_close(c);
}

static void plain(httpd_reply *r, int status, const char *text)
{
    *r = (httpd_reply){status, "text/plain; charset=utf-8", strdup(text)};
}

/* The request head is complete in c->in: answer it. */
static void answer(conn *c, httpd_handler *fn, void *ctx)
{
    char method[8], target[1024], version[16];
    httpd_reply r;
    bool head = false;
    if (sscanf(c->in, "%7s %1023s %15s", method, target, version) != 3 ||
        strncmp(version, "HTTP/1.", 7) != 0 || target[0] != '/') {
        plain(&r, 400, "bad request\n");
    } else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        plain(&r, 405, "only GET and HEAD\n");
    } else {
        head = method[0] == 'H';
        target[strcspn(target, "?#")] = '\0';
        fn(target, &r, ctx);
    }
    respond(c, &r, head);
}

static void on_readable(conn *c, httpd_handler *fn, void *ctx)
{
    ssize_t got = read(c->fd, c->in + c->in_len, HTTPD_MAX_HEAD - c->in_len);
    if (got <= 0) {
        if (got == 0 || (errno != EAGAIN && errno != EINTR))
            conn_close(c);
        return;
    }
    c->in_len += (size_t)got;
    c->in[c->in_len] = '\0';
    if (strstr(c->in, "\r\n\r\n") || strstr(c->in, "\n\n")) {
        answer(c, fn, ctx);
    } else if (c->in_len == HTTPD_MAX_HEAD) {
        httpd_reply r;
        plain(&r, 431, "request head too large\n");
        respond(c, &r, false);
    }
}

static void on_writable(conn *c)
{
    ssize_t put = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);
    if (put < 0) {
        if (errno != EAGAIN && errno != EINTR)
            conn_close(c);
        return;
    }
    c->out_off += (size_t)put;
    if (c->out_off == c->out_len) { /* closing with unread input would send a reset */
        shutdown(c->fd, SHUT_WR);
        free(c->out);
        c->out = NULL;
        c->draining = true;
    }
}

/* Reads and drops what the client still sends (a body, the rest of a head too large) until
 * its EOF; the connection's deadline bounds it. */
static void on_draining(conn *c)
{
    char buf[4096];
    ssize_t got;
    while ((got = read(c->fd, buf, sizeof buf)) > 0) {
    }
    if (got == 0 || (errno != EAGAIN && errno != EINTR))
        conn_close(c);
}

void httpd_handle(httpd *h, const struct pollfd *fds, size_t n, int64_t now_ms,
                  httpd_handler *fn, void *ctx)
{
    for (size_t i = 0; i < n; i++) {
        if (!fds[i].revents)
            continue;
        if (h->polled[i] == SIZE_MAX) {
            accept_one(h, now_ms);
            continue;
        }
        conn *c = &h->conns[h->polled[i]];
        if (c->fd != fds[i].fd)
            continue;
        if (fds[i].revents & (POLLERR | POLLNVAL))
            conn_close(c);
        else if (c->draining)
            on_draining(c);
        else if (c->out)
            on_writable(c);
        else
            on_readable(c, fn, ctx);
    }
    for (size_t i = 0; i < HTTPD_MAX_CONNS; i++)
        if (h->conns[i].fd >= 0 && now_ms >= h->conns[i].deadline_ms)
            conn_close(&h->conns[i]);
}

void httpd_free(httpd *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < HTTPD_MAX_CONNS; i++)
        conn_close(&h->conns[i]);
    close(h->fd);
    free(h);
}
