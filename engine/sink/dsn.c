/* dsn.c: parsing a sink's URL (<scheme>://, the schemes of sinks.def) with percent-decoding. Error messages name the part that is
 * wrong, never the URL itself, since it carries the password. */
#include "dsn.h"
#include "urlcode.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decodes [s, e) into *dst; on failure records which part was malformed. */
static sl_status take(const char *s, const char *e, char **dst, const char *part, sl_error *err)
{
    size_t n = 0;
    *dst = sl_url_decode(s, (size_t)(e - s), false, &n);
    if (*dst && memchr(*dst, '\0', n)) { /* a NUL would cut the value short */
        free(*dst);
        *dst = NULL;
    }
    if (!*dst)
        return sl_error_set(err, SL_ERR_CONFIG, "target dsn: bad percent-escape in the %s", part);
    return SL_OK;
}

static sl_status parse_port(const char *s, const char *e, unsigned *port, sl_error *err)
{
    unsigned long v = 0;
    if (s == e || e - s > 5)
        return sl_error_set(err, SL_ERR_CONFIG, "target dsn: the port must be 1..65535");
    for (const char *p = s; p < e; p++) {
        if (*p < '0' || *p > '9')
            return sl_error_set(err, SL_ERR_CONFIG, "target dsn: the port must be 1..65535");
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v == 0 || v > 65535)
        return sl_error_set(err, SL_ERR_CONFIG, "target dsn: the port must be 1..65535");
    *port = (unsigned)v;
    return SL_OK;
}

/* Parses "key=value&key=value"; only socket is known. */
static sl_status parse_query(const char *q, sl_dsn *dsn, sl_error *err)
{
    while (*q) {
        const char *amp = strchr(q, '&');
        const char *end = amp ? amp : q + strlen(q);
        const char *eq = memchr(q, '=', (size_t)(end - q));
        if (eq && eq - q == 6 && memcmp(q, "socket", 6) == 0) {
            free(dsn->socket);
            if (take(eq + 1, end, &dsn->socket, "socket path", err) != SL_OK)
                return err ? err->code : SL_ERR_CONFIG;
        } else {
            return sl_error_set(err, SL_ERR_CONFIG,
                                "target dsn: unknown option '%.*s' (allowed: socket)",
                                (int)((eq ? eq : end) - q), q);
        }
        q = amp ? amp + 1 : end;
    }
    return SL_OK;
}

/* Splits "user[:password]" */
static sl_status parse_userinfo(const char *s, const char *e, sl_dsn *dsn, sl_error *err)
{
    const char *colon = memchr(s, ':', (size_t)(e - s));
    if (take(s, colon ? colon : e, &dsn->user, "user", err) != SL_OK)
        return SL_ERR_CONFIG;
    if (!dsn->user[0])
        return sl_error_set(err, SL_ERR_CONFIG, "target dsn: the user is empty");
    return take(colon ? colon + 1 : e, e, &dsn->password, "password", err);
}

/* Splits "host[:port]" ("[v6]:port" too). */
static sl_status parse_hostport(const char *s, const char *e, sl_dsn *dsn, sl_error *err)
{
    const char *hs = s, *he = e, *colon = NULL;
    if (s < e && *s == '[') {
        const char *rb = memchr(s, ']', (size_t)(e - s));
        if (!rb)
            return sl_error_set(err, SL_ERR_CONFIG, "target dsn: unclosed '[' in the host");
        hs = s + 1;
        he = rb;
        colon = rb + 1 < e && rb[1] == ':' ? rb + 1 : NULL;
    } else {
        colon = memchr(s, ':', (size_t)(e - s));
        if (colon)
            he = colon;
    }
    if (hs == he)
        return sl_error_set(err, SL_ERR_CONFIG, "target dsn: the host is empty");
    if (take(hs, he, &dsn->host, "host", err) != SL_OK)
        return SL_ERR_CONFIG;
    return colon ? parse_port(colon + 1, e, &dsn->port, err) : SL_OK;
}

/* The schemes of sinks.def, with the port each defaults to. */
static const struct {
    const char *scheme;
    unsigned port;
} schemes[] = {
#define SL_SINK(scheme, port) {#scheme, port},
#include "sinks.def"
#undef SL_SINK
};

/* "a:// or b://": each line of sinks.def adds " or <scheme>://"; the first " or " is skipped. */
static const char scheme_list[] =
#define SL_SINK(scheme, port) " or " #scheme "://"
#include "sinks.def"
#undef SL_SINK
    ;

const char *sl_dsn_schemes(void)
{
    return scheme_list + 4;
}

int sl_dsn_sink(const char *url)
{
    for (size_t i = 0; url && i < sizeof schemes / sizeof schemes[0]; i++) {
        size_t n = strlen(schemes[i].scheme);
        if (strncmp(url, schemes[i].scheme, n) == 0 && strncmp(url + n, "://", 3) == 0)
            return (int)i;
    }
    return -1;
}

/* Where url's authority starts when its scheme is a sink's (noted in dsn), else NULL. */
static const char *take_scheme(const char *url, sl_dsn *dsn)
{
    int i = sl_dsn_sink(url);
    if (i < 0)
        return NULL;
    dsn->scheme = schemes[i].scheme;
    dsn->default_port = schemes[i].port;
    return url + strlen(dsn->scheme) + 3;
}

/* The authority is split RFC 3986's way, except that the userinfo ends at the LAST '@', not
 * at the first '/': a password written without percent-escapes may hold '@', '/', '?' or ':'
 * and still never spills into the host or database (which messages show). So an '@' in the
 * database name or socket path must be written %40. */
static sl_status parse_rest(const char *url, sl_dsn *dsn, sl_error *err)
{
    const char *p = take_scheme(url, dsn);
    if (!p)
        return sl_error_set(err, SL_ERR_CONFIG, "target dsn: must start with %s", sl_dsn_schemes());
    const char *at = strrchr(p, '@');
    const char *slash = strchr(at ? at : p, '/');
    if (!slash)
        return sl_error_set(err, SL_ERR_CONFIG, "target dsn: missing /database");
    if (!at)
        return sl_error_set(err, SL_ERR_CONFIG, "target dsn: missing user@ before the host");
    if (parse_userinfo(p, at, dsn, err) != SL_OK || parse_hostport(at + 1, slash, dsn, err) != SL_OK)
        return SL_ERR_CONFIG;
    const char *q = strchr(slash, '?');
    const char *dbend = q ? q : slash + strlen(slash);
    if (take(slash + 1, dbend, &dsn->database, "database", err) != SL_OK)
        return SL_ERR_CONFIG;
    if (!dsn->database[0])
        return sl_error_set(err, SL_ERR_CONFIG, "target dsn: the database is empty");
    return q ? parse_query(q + 1, dsn, err) : SL_OK;
}

sl_status sl_dsn_parse(const char *url, sl_dsn *dsn, sl_error *err)
{
    memset(dsn, 0, sizeof *dsn);
    if (!url || !url[0])
        return sl_error_set(err, SL_ERR_CONFIG, "target dsn is empty");
    sl_status st = parse_rest(url, dsn, err);
    if (st != SL_OK)
        sl_dsn_clear(dsn);
    return st;
}

void sl_dsn_clear(sl_dsn *dsn)
{
    free(dsn->user);
    if (dsn->password)
        memset(dsn->password, 0, strlen(dsn->password));
    free(dsn->password);
    free(dsn->host);
    free(dsn->database);
    free(dsn->socket);
    memset(dsn, 0, sizeof *dsn);
}

void sl_dsn_describe(const sl_dsn *dsn, char *out, size_t outlen)
{
    if (dsn->socket)
        snprintf(out, outlen, "%s@%s/%s (socket %s)", dsn->user, dsn->host, dsn->database,
                 dsn->socket);
    else
        snprintf(out, outlen, "%s@%s:%u/%s", dsn->user, dsn->host,
                 dsn->port ? dsn->port : dsn->default_port, dsn->database);
}
