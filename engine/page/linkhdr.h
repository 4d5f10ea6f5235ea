/* linkhdr.h: what the pager `link` needs of URLs: the rel="next" target of an HTTP Link header
 * (RFC 8288), a reference resolved against the URL it came from (RFC 3986), and whether two
 * URLs share an origin (scheme, host and port: credentials go to the endpoint's only). */
#ifndef SLUICE_LINKHDR_H
#define SLUICE_LINKHDR_H

#include <stdbool.h>
#include <stddef.h>

/* What a Link header says about the next page. */
typedef enum sl_link_rc {
    SL_LINK_NONE,     /* no link whose rel includes "next" */
    SL_LINK_FOUND,    /* its target is in out */
    SL_LINK_TOO_LONG, /* its target does not fit in out */
    SL_LINK_BAD,      /* the header is not a Link header's syntax */
} sl_link_rc;

/* Finds, in one Link header value (several comma-separated links, each `<target>` and
 * `; name=value` parameters, values a token or a "quoted string" with \ escapes, names and
 * relation types in any case), the first link whose rel lists "next"; copies its target (as
 * written, perhaps relative) into out (outlen bytes, NUL included). */
sl_link_rc sl_link_next(const char *value, char *out, size_t outlen);

/* Resolves ref against base (both URLs; ref may be relative) into out; false when either is
 * malformed, the result is not http(s) or it does not fit. */
bool sl_link_resolve(const char *base, const char *ref, char *out, size_t outlen);

/* True when a and b have the same scheme, host (any case) and port (the scheme's default when
 * none is written). Writes b's origin ("scheme://host:port", never its path, query or user
 * info) into origin. False when either URL is malformed. */
bool sl_link_same_origin(const char *a, const char *b, char *origin, size_t len);

#endif
