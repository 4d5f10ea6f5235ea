/* urlcode.c: see urlcode.h. */
#include "urlcode.h"

#include <stdlib.h>

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
