/* linkhdr.c: see linkhdr.h. The Link header is parsed by hand (RFC 8288 section 3); URLs by
 * libcurl's URL API, the same parser that sends them. */
#include "linkhdr.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

typedef struct lexer {
    const char *p;
} lexer;

static void skip_ws(lexer *lx)
{
    while (*lx->p == ' ' || *lx->p == '\t')
        lx->p++;
}

/* A token character (RFC 9110 5.6.2). */
static bool tchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* A parameter value, a token or a quoted string, into val (cut to vlen - 1 bytes); false
 * when malformed. */
static bool param_value(lexer *lx, char *val, size_t vlen)
{
    size_t n = 0;
    if (*lx->p != '"') {
        for (; tchar(*lx->p); lx->p++)
            if (n + 1 < vlen)
                val[n++] = *lx->p;
        val[n] = '\0';
        return n > 0;
    }
    for (lx->p++; *lx->p != '"'; lx->p++) {
        if (*lx->p == '\\' && lx->p[1])
            lx->p++;
        if (!*lx->p)
            return false; /* unterminated */
        if (n + 1 < vlen)
            val[n++] = *lx->p;
    }
    lx->p++;
    val[n] = '\0';
    return true;
}

/* True when the space-separated relation types in rels include "next" (any case). */
static bool rel_has_next(const char *rels)
{
    for (const char *r = rels; *r;) {
        size_t len = strcspn(r, " \t");
        if (len == 4 && strncasecmp(r, "next", 4) == 0)
            return true;
        r += len;
        r += strspn(r, " \t");
    }
    return false;
}

/* The parameters after a link's target, up to the comma ending it or the end; *next when a
 * rel parameter lists "next". False when malformed. */
static bool link_params(lexer *lx, bool *next)
{
    char name[64], val[512];
    for (skip_ws(lx); *lx->p == ';'; skip_ws(lx)) {
        lx->p++;
        skip_ws(lx);
        size_t n = 0;
        for (; tchar(*lx->p); lx->p++)
            if (n + 1 < sizeof name)
                name[n++] = *lx->p;
        name[n] = '\0';
        if (n == 0)
            return false;
        skip_ws(lx);
        val[0] = '\0';
        if (*lx->p == '=') {
            lx->p++;
            skip_ws(lx);
            if (!param_value(lx, val, sizeof val))
                return false;
        }
        if (strcasecmp(name, "rel") == 0 && rel_has_next(val))
            *next = true;
    }
    return *lx->p == ',' || *lx->p == '\0';
}

sl_link_rc sl_link_next(const char *value, char *out, size_t outlen)
{
    lexer lx = {value};
    for (;;) {
        while (*lx.p == ',' || *lx.p == ' ' || *lx.p == '\t')
            lx.p++;
        if (!*lx.p)
            return SL_LINK_NONE;
        if (*lx.p != '<')
            return SL_LINK_BAD;
        const char *target = ++lx.p, *end = strchr(target, '>');
        if (!end)
            return SL_LINK_BAD;
        lx.p = end + 1;
        bool next = false;
        if (!link_params(&lx, &next))
            return SL_LINK_BAD;
        if (!next)
            continue;
        size_t len = (size_t)(end - target);
        if (len + 1 > outlen)
            return SL_LINK_TOO_LONG;
        memcpy(out, target, len);
        out[len] = '\0';
        return SL_LINK_FOUND;
    }
}

bool sl_link_resolve(const char *base, const char *ref, char *out, size_t outlen)
{
    CURLU *u = curl_url();
    char *s = NULL, *scheme = NULL;
    bool ok = u && curl_url_set(u, CURLUPART_URL, base, 0) == CURLUE_OK &&
              curl_url_set(u, CURLUPART_URL, ref, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
              (strcasecmp(scheme, "http") == 0 || strcasecmp(scheme, "https") == 0) &&
              curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK && strlen(s) + 1 <= outlen;
    if (ok)
        memcpy(out, s, strlen(s) + 1);
    curl_free(s);
    curl_free(scheme);
    curl_url_cleanup(u);
    return ok;
}

/* The origin of url: scheme, host and port (the default one when none is written). */
static bool origin_of(const char *url, char *out, size_t len)
{
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL, *port = NULL;
    bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK;
    if (ok)
        snprintf(out, len, "%s://%s:%s", scheme, host, port);
    curl_free(scheme);
    curl_free(host);
    curl_free(port);
    curl_url_cleanup(u);
    return ok;
}

bool sl_link_same_origin(const char *a, const char *b, char *origin, size_t len)
{
    char oa[512];
    if (!origin_of(a, oa, sizeof oa) || !origin_of(b, origin, len))
        return false;
    return strcasecmp(oa, origin) == 0;
}
