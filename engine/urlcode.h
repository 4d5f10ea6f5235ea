/* urlcode.h: percent-decoding (URLs, form bodies). */
#ifndef SLUICE_URLCODE_H
#define SLUICE_URLCODE_H

#include <stdbool.h>
#include <stddef.h>

/* Decodes n bytes of s ("%XX" escapes; "+" is a space when plus_is_space) into a new
 * NUL-terminated string of *outlen bytes (outlen may be NULL). NULL on a malformed escape or
 * out of memory. The result may hold NUL bytes: callers that can't take them check *outlen. */
char *sl_url_decode(const char *s, size_t n, bool plus_is_space, size_t *outlen);

#endif
