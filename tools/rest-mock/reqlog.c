/* reqlog.c: the last API requests as the server saw them (GET /_requests), so a test can check
 * what a client sent: its method, query parameters (an API key parameter redacted) and body,
 * which credentials it carried (never their values), when it came, what it got (a client
 * honouring Retry-After shows in the arrival times). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rest.h"

#define LOG_MAX 10000 /* the oldest entries are dropped past this */

static enum MHD_Result add_param(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    json_object_set_new(cls, key, json_string(value ? value : ""));
    return MHD_YES;
}

/* Which credentials the request carried (not their values: a log is no place for secrets). */
static const char *credentials(struct MHD_Connection *mc, const rm_creds *c)
{
    const char *h = MHD_lookup_connection_value(mc, MHD_HEADER_KIND, "Authorization");
    if (h && strncasecmp(h, "Bearer ", 7) == 0)
        return "bearer";
    if (h && strncasecmp(h, "Basic ", 6) == 0)
        return "basic";
    if (h)
        return "other";
    if (MHD_lookup_connection_value(mc, MHD_HEADER_KIND, c->api_key_header) ||
        MHD_lookup_connection_value(mc, MHD_GET_ARGUMENT_KIND, c->api_key_param))
        return "api-key";
    return "none";
}

void rm_log_request(rm_server *s, const rm_request *req, int64_t at_ms, int status)
{
    struct MHD_Connection *mc = req->mc;
    json_t *params = json_object();
    MHD_get_connection_values(mc, MHD_GET_ARGUMENT_KIND, add_param, params);
    if (json_object_get(params, s->creds.api_key_param)) /* a secret, even in a query string */
        json_object_set_new(params, s->creds.api_key_param, json_string("<redacted>"));
    json_t *body = json_stringn(req->post ? req->body->s : "", req->post ? req->body->len : 0);
    if (!body)
        body = json_string("<not UTF-8>");
    json_t *e = json_pack("{s:I,s:s,s:s,s:o,s:o,s:s,s:I,s:i}", "n", (json_int_t)s->stats.requests,
                          "method", req->post ? "POST" : "GET", "path", req->url, "params",
                          params, "body", body, "credentials", credentials(mc, &s->creds),
                          "at_ms", (json_int_t)at_ms, "status", status);
    char *line = json_dumps(e, JSON_COMPACT);
    json_decref(e);
    if (!line)
        abort();
    if (s->nlog == LOG_MAX) {
        free(s->log[0]);
        memmove(s->log, s->log + 1, (LOG_MAX - 1) * sizeof *s->log);
        s->nlog--;
    }
    if (!s->log)
        s->log = mock_xcalloc(LOG_MAX, sizeof *s->log);
    s->log[s->nlog++] = line;
}

void rm_log_dump(const rm_server *s, mock_buf *out)
{
    for (size_t i = 0; i < s->nlog; i++) {
        mock_buf_str(out, s->log[i]);
        mock_buf_str(out, "\n");
    }
}

void rm_log_clear(rm_server *s)
{
    for (size_t i = 0; i < s->nlog; i++)
        free(s->log[i]);
    s->nlog = 0;
}
