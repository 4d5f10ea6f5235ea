/* urlcode.c: see urlcode.h. */
#include "urlcode.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *sl_url_decode(const char *s, size_t n, bool plus_is_space, size_t *outlen)
{
    char *d = malloc(n + 1);
    size_t j = 0;
    if (!d)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+' && plus_is_space) {
            d[j++] = ' ';
        } else if (s[i] == '%') {
            int hi = i + 2 < n ? hexval(s[i + 1]) : -1;
            int lo = hi >= 0 ? hexval(s[i + 2]) : -1;
            if (lo < 0) {
                free(d);
                return NULL;
            }
            d[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            d[j++] = s[i];
        }
    }
    d[j] = '\0';
    if (outlen)
        *outlen = j;
    return d;
}

/* The host of an http URL: after the userinfo (which ends at the last '@' of the authority),
 * up to the port, path, query or fragment; the brackets of an IPv6 literal are dropped. */
static void url_host(const char *authority, char *host, size_t n)
{
    size_t alen = strcspn(authority, "/?#");
    const char *h = authority;
    for (size_t i = 0; i < alen; i++)
        if (authority[i] == '@')
            h = authority + i + 1;
    size_t hlen = (size_t)(authority + alen - h);
    if (hlen > 0 && h[0] == '[') {
        const char *rb = memchr(h, ']', hlen);
        hlen = rb ? (size_t)(rb - h - 1) : hlen - 1;
        h++;
    } else {
        const char *colon = memchr(h, ':', hlen);
        if (colon)
            hlen = (size_t)(colon - h);
    }
    snprintf(host, n, "%.*s", (int)hlen, h);
}

static bool is_loopback(const char *host)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (strcasecmp(host, "localhost") == 0 || strcasecmp(host, "localhost.") == 0)
        return true;
    if (inet_pton(AF_INET, host, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, host, &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6) || (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
    return false;
}

bool sl_url_plain_remote(const char *url, char *host, size_t n)
{
    static const char scheme[] = "http://";
    char h[256];
    if (strncasecmp(url, scheme, sizeof scheme - 1) != 0)
        return false;
    url_host(url + sizeof scheme - 1, h, sizeof h);
    if (is_loopback(h))
        return false;
    snprintf(host, n, "%s", h);
    return true;
}
