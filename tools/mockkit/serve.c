/* serve.c: the frame every fixture API runs in: its flags, the loopback libmicrohttpd daemon
 * (a thread per connection, request bodies accumulated up to a cap), the port file a test
 * waits for, and a clean stop on SIGINT or SIGTERM. */
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mockkit.h"

typedef struct conn {
    mock_buf body;
    bool too_large;
} conn;

typedef struct frame {
    const mk_server_opts *opts;
    mk_handler handler;
    void *cls;
} frame;

bool mk_parse_int(const char *prog, const char *name, const char *v, int64_t lo, int64_t hi,
                  int64_t *out)
{
    char *end;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || x < lo || x > hi) {
        fprintf(stderr, "%s: %s must be an integer between %lld and %lld\n", prog, name,
                (long long)lo, (long long)hi);
        return false;
    }
    *out = x;
    return true;
}

int mk_parse_args(int argc, char **argv, const char *prog, mk_option_fn option, void *cls,
                  void (*usage)(FILE *out))
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 2;
        }
        if (strncmp(a, "--", 2) != 0) {
            fprintf(stderr, "%s: unexpected argument '%s'\n", prog, a);
            return 1;
        }
        char name[64];
        const char *eqs = strchr(a, '='), *v;
        if (eqs) {
            snprintf(name, sizeof name, "%.*s", (int)(eqs - a - 2), a + 2);
            v = eqs + 1;
        } else {
            snprintf(name, sizeof name, "%s", a + 2);
            if (i + 1 >= argc) {
                fprintf(stderr, "%s: --%s needs a value\n", prog, name);
                return 1;
            }
            v = argv[++i];
        }
        if (!option(cls, name, v))
            return 1;
    }
    return 0;
}

static bool write_port_file(const char *path, int port)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (!f)
        return false;
    bool ok = fprintf(f, "%d\n", port) > 0;
    ok = fclose(f) == 0 && ok;
    return ok && rename(tmp, path) == 0;
}

enum MHD_Result mk_respond_take(struct MHD_Connection *mc, unsigned status, const char *ctype,
                                mock_buf *body, const char *const *headers)
{
    mock_buf_add(body, "", 0); /* never a NULL buffer */
    struct MHD_Response *r =
        MHD_create_response_from_buffer(body->len, body->s, MHD_RESPMEM_MUST_FREE);
    *body = (mock_buf){0};
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", ctype);
    for (size_t i = 0; headers && headers[i]; i += 2)
        MHD_add_response_header(r, headers[i], headers[i + 1]);
    enum MHD_Result ret = MHD_queue_response(mc, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc, const char *url,
                                  const char *method, const char *version, const char *data,
                                  size_t *size, void **ptr)
{
    frame *f = cls;
    conn *c = *ptr;
    if (!c) {
        *ptr = mock_xcalloc(1, sizeof(conn));
        return MHD_YES;
    }
    if (*size) {
        if (c->body.len + *size > f->opts->max_body)
            c->too_large = true;
        else
            mock_buf_add(&c->body, data, *size);
        *size = 0;
        return MHD_YES;
    }
    mock_buf_add(&c->body, "", 0); /* never a NULL body */
    return f->handler(f->cls, mc, url, method, &c->body, c->too_large);
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **ptr,
                         enum MHD_RequestTerminationCode toe)
{
    conn *c = *ptr;
    if (c) {
        free(c->body.s);
        free(c);
        *ptr = NULL;
    }
}

static struct MHD_Daemon *start(frame *f, int *port)
{
    struct sockaddr_in addr = {0};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)f->opts->port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_AUTO |
            MHD_USE_ERROR_LOG,
        (uint16_t)f->opts->port, NULL, NULL, on_request, f, MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, f, MHD_OPTION_SOCK_ADDR, &addr, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)120, MHD_OPTION_END);
    if (!d)
        return NULL;
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    *port = info ? info->port : 0;
    return d;
}

int mk_serve(const mk_server_opts *o, mk_handler handler, void *cls, void (*ready)(void *cls,
                                                                                 int port))
{
    frame f = {o, handler, cls};
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* server threads inherit the mask */
    signal(SIGPIPE, SIG_IGN);
    int port = 0;
    struct MHD_Daemon *d = start(&f, &port);
    if (!d || !port) {
        fprintf(stderr, "%s: cannot listen on 127.0.0.1:%d\n", o->prog, o->port);
        return 1;
    }
    if (o->port_file && !write_port_file(o->port_file, port)) {
        fprintf(stderr, "%s: cannot write %s\n", o->prog, o->port_file);
        MHD_stop_daemon(d);
        return 1;
    }
    if (ready)
        ready(cls, port);
    int sig;
    sigwait(&set, &sig);
    MHD_stop_daemon(d);
    return 0;
}
