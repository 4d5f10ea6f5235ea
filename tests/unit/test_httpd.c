/* Unit tests of serve/httpd.c, the service's listener, driven by this test's own poll loop
 * over real loopback sockets: a GET reaches the handler with its path (the query cut off) and
 * gets the status line, length and headers back; HEAD gets no body; other methods 405 with
 * Allow; a malformed request line 400; a request head past HTTPD_MAX_HEAD 431; a bad address
 * is refused; with HTTPD_MAX_CONNS connections open the listener is not polled (new ones
 * wait in the backlog) until one closes; and a request with bytes the server never reads (a
 * POST's body, a head too large) gets its whole response and a clean EOF, not a reset. */
#include <errno.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "httpd.h"

static char last_path[256];

static void handler(const char *path, httpd_reply *out, void *ctx)
{
    (void)ctx;
    snprintf(last_path, sizeof last_path, "%s", path);
    *out = (httpd_reply){200, "text/plain", strdup("hello <&>\n")};
}

static int dial(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Drives the listener for up to ms milliseconds or until fd (if >= 0) is readable. */
static void pump(httpd *h, int fd, int ms)
{
    for (int i = 0; i < ms / 10; i++) {
        struct pollfd fds[HTTPD_MAX_FDS];
        int timeout = 10;
        size_t n = httpd_pollfds(h, fds, 0, &timeout);
        poll(fds, n, timeout);
        httpd_handle(h, fds, n, 0, handler, NULL);
        struct pollfd c = {.fd = fd, .events = POLLIN};
        if (fd >= 0 && poll(&c, 1, 0) == 1)
            return;
    }
}

/* Sends req on a new connection and returns what came back until the server closed. */
static const char *exchange(httpd *h, const char *req, size_t len)
{
    static char buf[16384];
    int fd = dial(httpd_port(h));
    CHECK(fd >= 0);
    CHECK(send(fd, req, len, MSG_NOSIGNAL) == (ssize_t)len);
    size_t got = 0;
    for (int round = 0; round < 200; round++) {
        pump(h, fd, 50);
        ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, MSG_DONTWAIT);
        if (n == 0)
            break;
        if (n > 0)
            got += (size_t)n;
    }
    buf[got] = '\0';
    close(fd);
    return buf;
}

/* Sends req on a new connection as an upload goes: its head (or its first 9000 bytes), then,
 * once the answer is on its way, the rest in two halves; true when every send went through
 * (no reset from a server that closed with input unread: a client that writes its whole
 * request before reading then never sees the answer) and the answer came whole, ending in a
 * clean EOF; the answer in *out. */
static bool exchange_clean(httpd *h, const char *req, size_t len, const char **out)
{
    static char buf[16384];
    int fd = dial(httpd_port(h));
    CHECK(fd >= 0);
    const char *end = strstr(req, "\r\n\r\n");
    size_t first = end && (size_t)(end - req) + 4 < 9000 ? (size_t)(end - req) + 4 : 9000;
    CHECK(send(fd, req, first, MSG_NOSIGNAL) == (ssize_t)first);
    pump(h, fd, 1000); /* the answer is on its way */
    pump(h, -1, 50);
    size_t half = (len - first) / 2;
    bool sent = send(fd, req + first, half, MSG_NOSIGNAL) == (ssize_t)half;
    pump(h, -1, 50);
    sent = sent && send(fd, req + first + half, len - first - half, MSG_NOSIGNAL) ==
                       (ssize_t)(len - first - half);
    size_t got = 0;
    bool eof = false;
    for (int round = 0; round < 200 && !eof; round++) {
        pump(h, fd, 50);
        ssize_t n = recv(fd, buf + got, sizeof buf - 1 - got, MSG_DONTWAIT);
        if (n < 0 && errno != EAGAIN)
            break;
        eof = n == 0;
        got += n > 0 ? (size_t)n : 0;
    }
    buf[got] = '\0';
    close(fd);
    pump(h, -1, 100); /* the server sees the EOF and frees the slot */
    *out = buf;
    return sent && eof;
}

/* A POST with a body larger than the server reads, and a head past HTTPD_MAX_HEAD with more
 * after it: the 405 and 431 arrive whole and the connection ends without a reset. */
static void test_unread_input(httpd *h)
{
    static char req[40000];
    const char *r;
    int head = snprintf(req, sizeof req, "POST /x HTTP/1.1\r\nContent-Length: %d\r\n\r\n",
                        30000);
    memset(req + head, 'b', 30000);
    CHECK(exchange_clean(h, req, (size_t)head + 30000, &r));
    CHECK(!strncmp(r, "HTTP/1.1 405 ", 13) && strstr(r, "\r\n\r\nonly GET and HEAD\n"));
    memcpy(req, "GET / HTTP/1.1\r\nX: ", 19);
    memset(req + 19, 'a', 30000);
    CHECK(exchange_clean(h, req, 30019, &r));
    CHECK(!strncmp(r, "HTTP/1.1 431 ", 13) && strstr(r, "\r\n\r\nrequest head too large\n"));
}

static void test_requests(httpd *h)
{
    const char *r = exchange(h, "GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\n\r\n", 38);
    CHECK_STR(last_path, "/metrics");
    CHECK(!strncmp(r, "HTTP/1.1 200 OK\r\n", 17));
    CHECK(strstr(r, "\r\nContent-Length: 10\r\n") != NULL);
    CHECK(strstr(r, "\r\nConnection: close\r\n") != NULL);
    CHECK(strstr(r, "\r\nContent-Security-Policy: default-src 'none'") != NULL);
    CHECK(strstr(r, "\r\n\r\nhello <&>\n") != NULL);
    r = exchange(h, "HEAD / HTTP/1.0\n\n", 17);
    CHECK(!strncmp(r, "HTTP/1.1 200 OK\r\n", 17));
    CHECK(strstr(r, "hello") == NULL);
    last_path[0] = '\0';
    r = exchange(h, "POST /metrics HTTP/1.1\r\n\r\n", 26);
    CHECK(!strncmp(r, "HTTP/1.1 405 ", 13) && strstr(r, "\r\nAllow: GET, HEAD\r\n"));
    CHECK(last_path[0] == '\0'); /* the handler never saw it */
    r = exchange(h, "GET\r\n\r\n", 7);
    CHECK(!strncmp(r, "HTTP/1.1 400 ", 13));
    r = exchange(h, "GET metrics HTTP/1.1\r\n\r\n", 24);
    CHECK(!strncmp(r, "HTTP/1.1 400 ", 13));
    size_t big = HTTPD_MAX_HEAD + 500;
    char *huge = malloc(big);
    memcpy(huge, "GET / HTTP/1.1\r\nX: ", 19);
    memset(huge + 19, 'a', big - 19);
    r = exchange(h, huge, big);
    CHECK(!strncmp(r, "HTTP/1.1 431 ", 13));
    free(huge);
}

/* With every slot taken the listener is left out of the poll set; a slot freed brings it back,
 * and the connection that waited in the backlog is answered. */
static void test_connection_cap(httpd *h)
{
    int fds[HTTPD_MAX_CONNS];
    for (int i = 0; i < HTTPD_MAX_CONNS; i++) {
        fds[i] = dial(httpd_port(h));
        pump(h, -1, 20);
    }
    struct pollfd p[HTTPD_MAX_FDS];
    int timeout = 1000;
    CHECK(httpd_pollfds(h, p, 0, &timeout) == HTTPD_MAX_CONNS); /* no listener */
    int late = dial(httpd_port(h)); /* accepted by the kernel's backlog only */
    CHECK(late >= 0);
    CHECK(send(late, "GET /late HTTP/1.1\r\n\r\n", 22, MSG_NOSIGNAL) == 22);
    pump(h, late, 200);
    char buf[64];
    CHECK(recv(late, buf, sizeof buf, MSG_DONTWAIT) < 0); /* nothing yet */
    close(fds[0]);
    pump(h, -1, 200); /* the server notices the close and frees the slot */
    pump(h, late, 2000);
    ssize_t n = recv(late, buf, sizeof buf - 1, MSG_DONTWAIT);
    CHECK(n > 12 && !strncmp(buf, "HTTP/1.1 200 ", 13));
    CHECK_STR(last_path, "/late");
    close(late);
    for (int i = 1; i < HTTPD_MAX_CONNS; i++)
        close(fds[i]);
}

int main(void)
{
    char err[200];
    CHECK(httpd_open("127.0.0.1", err, sizeof err) == NULL);
    CHECK(strstr(err, "is not HOST:PORT") != NULL);
    CHECK(httpd_open("127.0.0.1:99999x", err, sizeof err) == NULL);
    httpd *h = httpd_open("127.0.0.1:0", err, sizeof err);
    CHECK(h != NULL && httpd_port(h) > 0);
    if (!h)
        return check_done();
    test_requests(h);
    test_connection_cap(h);
    test_unread_input(h);
    httpd_free(h);
    return check_done();
}
