/* hostile-server: serves canned, possibly hostile HTTP replies for tests/hostile/.
 *
 *   hostile-server --case DIR --port-file FILE [--log FILE]
 *
 * Listens on a free loopback port (written to FILE once listening) and answers request N
 * (1-based, in arrival order) with the file DIR/reply.N, else DIR/reply. A reply file is a raw
 * HTTP response: a status line, header lines, an empty line, then the body, byte for byte
 * (binary bodies and bodies of any size are fine: the body is streamed from the file). Header
 * lines may end in LF or CRLF; they are sent with CRLF. A Content-Length is added unless the
 * file has its own (a wrong one is how a reply is cut short) or a Transfer-Encoding; every
 * connection is closed after one reply. Each request is appended to the log as one line,
 * "N METHOD TARGET HTTP/1.1 BODY" (the body's first 4 KB), so a test can count requests, see
 * where a redirect led and what parameters were sent.
 * No request is checked: hostile cases use `signer: { type: none }`. Runs until killed. */
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define HEAD_MAX 65536 /* request head and reply head, each */
#define CHUNK 65536
#define BODY_LOGGED 4096 /* bytes of a request body written to the log */

typedef struct server {
    const char *case_dir;
    FILE *log;
    long n_requests;
} server;

/* send_all: writes all of buf; false when the peer went away (a hostile reply may be cut
 * short by a client that stops reading: that is fine). */
static bool send_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* read_head: reads the request head (up to the empty line) into buf; returns its length
 * including the empty line and leaves in *extra how many body bytes came along with it. */
static ssize_t read_head(int fd, char *buf, size_t cap, size_t *extra)
{
    size_t len = 0;
    while (len < cap - 1) {
        ssize_t n = recv(fd, buf + len, cap - 1 - len, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        len += (size_t)n;
        buf[len] = '\0';
        char *end = strstr(buf, "\r\n\r\n");
        if (end) {
            size_t head = (size_t)(end + 4 - buf);
            *extra = len - head;
            return (ssize_t)head;
        }
    }
    return -1;
}

/* header_value: the value of header NAME in a request head, or NULL. */
static const char *header_value(const char *head, const char *name)
{
    size_t nlen = strlen(name);
    for (const char *p = strstr(head, "\r\n"); p && p[2] != '\r'; p = strstr(p + 2, "\r\n")) {
        if (strncasecmp(p + 2, name, nlen) == 0 && p[2 + nlen] == ':')
            return p + 3 + nlen;
    }
    return NULL;
}

/* read_body: reads the rest of the request body (already bytes of it came with the head, the
 * first kept of them are in keep), keeping its first cap - 1 bytes in keep, NUL-terminated.
 * The whole body is read so closing the socket does not reset the connection before the
 * client has read the reply. */
static void read_body(int fd, const char *head, size_t already, char *keep, size_t kept,
                      size_t cap)
{
    const char *cl = header_value(head, "Content-Length");
    long long want = cl ? strtoll(cl, NULL, 10) : 0;
    const char *expect = header_value(head, "Expect");
    if (expect && strstr(expect, "100-continue"))
        send_all(fd, "HTTP/1.1 100 Continue\r\n\r\n", 25);
    char buf[CHUNK];
    for (long long left = want - (long long)already; left > 0;) {
        ssize_t n = recv(fd, buf, left < CHUNK ? (size_t)left : CHUNK, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        size_t take = (size_t)n < cap - 1 - kept ? (size_t)n : cap - 1 - kept;
        memcpy(keep + kept, buf, take);
        kept += take;
        left -= n;
    }
    keep[kept] = '\0';
}

/* open_reply: the reply file for request n. */
static FILE *open_reply(const server *s, long n)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/reply.%ld", s->case_dir, n);
    FILE *f = fopen(path, "rb");
    if (f)
        return f;
    snprintf(path, sizeof path, "%s/reply", s->case_dir);
    return fopen(path, "rb");
}

/* send_head: sends the reply file's head with CRLF line ends, a Content-Length when the file
 * has none, and Connection: close; leaves f at the first body byte. */
static bool send_head(int fd, FILE *f)
{
    char line[HEAD_MAX], out[HEAD_MAX + 128];
    size_t used = 0;
    bool has_length = false;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0')
            break;
        if (strncasecmp(line, "Content-Length:", 15) == 0 ||
            strncasecmp(line, "Transfer-Encoding:", 18) == 0)
            has_length = true;
        int n = snprintf(out + used, sizeof out - used, "%s\r\n", line);
        if (n < 0 || (size_t)n >= sizeof out - used)
            return false;
        used += (size_t)n;
    }
    long body_at = ftell(f);
    fseek(f, 0, SEEK_END);
    long body_len = ftell(f) - body_at;
    fseek(f, body_at, SEEK_SET);
    int n = has_length ? snprintf(out + used, sizeof out - used, "Connection: close\r\n\r\n")
                       : snprintf(out + used, sizeof out - used,
                                  "Content-Length: %ld\r\nConnection: close\r\n\r\n", body_len);
    if (n < 0 || (size_t)n >= sizeof out - used)
        return false;
    return send_all(fd, out, used + (size_t)n);
}

static void send_reply(int fd, FILE *f)
{
    if (!f) {
        static const char none[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 17\r\n"
                                   "Connection: close\r\n\r\nno reply in case\n";
        send_all(fd, none, sizeof none - 1);
        return;
    }
    if (!send_head(fd, f))
        return;
    char buf[CHUNK];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (!send_all(fd, buf, n))
            return;
}

/* serve_one: one connection, one request, one reply. */
static void serve_one(server *s, int fd)
{
    char head[HEAD_MAX];
    size_t extra = 0;
    ssize_t len = read_head(fd, head, sizeof head, &extra);
    if (len < 0)
        return;
    char body[BODY_LOGGED];
    size_t kept = extra < sizeof body - 1 ? extra : sizeof body - 1;
    memcpy(body, head + len, kept);
    head[len] = '\0';
    read_body(fd, head, extra, body, kept, sizeof body);
    long n = ++s->n_requests;
    fprintf(s->log, "%ld %.*s %s\n", n, (int)strcspn(head, "\r\n"), head, body);
    fflush(s->log);
    FILE *f = open_reply(s, n);
    send_reply(fd, f);
    if (f)
        fclose(f);
    shutdown(fd, SHUT_WR);
}

static int listen_loopback(const char *port_file)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 64) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        perror("hostile-server: listen");
        return -1;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
    FILE *pf = fopen(tmp, "w");
    if (!pf || fprintf(pf, "%d\n", ntohs(a.sin_port)) < 0 || fclose(pf) != 0 ||
        rename(tmp, port_file) != 0) {
        perror("hostile-server: port file");
        return -1;
    }
    return fd;
}

static int usage(void)
{
    fputs("usage: hostile-server --case DIR --port-file FILE [--log FILE]\n", stderr);
    return 2;
}

int main(int argc, char **argv)
{
    server s = {.log = stderr};
    const char *port_file = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--case") == 0)
            s.case_dir = argv[i + 1];
        else if (strcmp(argv[i], "--port-file") == 0)
            port_file = argv[i + 1];
        else if (strcmp(argv[i], "--log") == 0 && !(s.log = fopen(argv[i + 1], "a")))
            return perror(argv[i + 1]), 1;
        else if (strcmp(argv[i], "--log") != 0)
            return usage();
    }
    if (!s.case_dir || !port_file || argc % 2 == 0)
        return usage();
    signal(SIGPIPE, SIG_IGN);
    int lfd = listen_loopback(port_file);
    if (lfd < 0)
        return 1;
    for (;;) {
        int fd = accept(lfd, NULL, NULL);
        if (fd < 0)
            continue;
        serve_one(&s, fd);
        close(fd);
    }
}
