/* headers.h: a reply's HTTP headers, as the pagers and the error rules read them: a bounded
 * list (SL_HEADERS_MAX headers, SL_HEADERS_BYTES bytes of names and values; what is past either
 * is dropped and counted) with case-insensitive lookup by name. No allocation: it lives inside
 * its owner (one per transfer in http.c). */
#ifndef SLUICE_HEADERS_H
#define SLUICE_HEADERS_H

#include <stdbool.h>
#include <stddef.h>

enum { SL_HEADERS_MAX = 64, SL_HEADERS_BYTES = 16384 };

typedef struct sl_headers {
    size_t n;       /* headers kept */
    size_t used;    /* bytes of buf in use */
    size_t dropped; /* headers past the bounds, not kept */
    struct {
        unsigned name, value; /* offsets into buf of NUL-terminated texts */
    } at[SL_HEADERS_MAX];
    char buf[SL_HEADERS_BYTES];
} sl_headers;

/* Empties h. */
void sl_headers_clear(sl_headers *h);
/* Adds one raw header line as libcurl hands it ("Name: value\r\n"): a status line ("HTTP/...")
 * starts a new reply (a redirect's or a 100 Continue's headers are forgotten); the blank line
 * ending the block and a line without a colon are ignored. Leading and trailing blanks of the
 * value are trimmed. */
void sl_headers_add_line(sl_headers *h, const char *line, size_t len);
/* The value of the first header called name (any case; borrowed), or NULL; h may be NULL. */
const char *sl_headers_get(const sl_headers *h, const char *name);
/* The value of the next header called name after index *i (start with *i = 0), advancing *i
 * past it; NULL when there is none. For headers that may repeat (Link). h may be NULL. */
const char *sl_headers_next(const sl_headers *h, const char *name, size_t *i);

#endif
