/* urlcode.h: percent-decoding (URLs, form bodies) and the one question asked of a URL's host. */
#ifndef SLUICE_URLCODE_H
#define SLUICE_URLCODE_H

#include <stdbool.h>
#include <stddef.h>

/* Decodes n bytes of s ("%XX" escapes; "+" is a space when plus_is_space) into a new
 * NUL-terminated string of *outlen bytes (outlen may be NULL). NULL on a malformed escape or
 * out of memory. The result may hold NUL bytes: callers that can't take them check *outlen. */
char *sl_url_decode(const char *s, size_t n, bool plus_is_space, size_t *outlen);

/* True when url is plain http:// to a host that is not this machine: anything but localhost,
 * 127.0.0.0/8 and ::1 (also as ::ffff:127.x.y.z). Then the host (only the host: a URL's
 * userinfo, path and query may hold secrets) is copied into host (n bytes, cut to fit).
 * False for https://, other schemes, and loopback hosts. */
bool sl_url_plain_remote(const char *url, char *host, size_t n);

#endif
