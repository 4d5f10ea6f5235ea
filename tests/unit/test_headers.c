/* Unit tests of a reply's headers (util/headers.c): lines as libcurl hands them, lookup in any
 * case, repeated headers in order, a new status line forgetting the block before it, and the
 * bounds (count and bytes) dropping what is past them. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "headers.h"

static sl_headers h;

static void add(const char *line)
{
    sl_headers_add_line(&h, line, strlen(line));
}

int main(void)
{
    sl_headers_clear(&h);
    add("HTTP/1.1 302 Found\r\n");
    add("Location: /elsewhere\r\n");
    add("HTTP/1.1 200 OK\r\n"); /* the redirect's headers are forgotten */
    add("X-Total-Count: 42\r\n");
    add("Link: <http://a/1>; rel=\"next\"\r\n");
    add("link:\t<http://a/0>; rel=\"prev\" \r\n");
    add("no colon here\r\n");
    add("\r\n");
    CHECK(h.n == 3);
    CHECK(sl_headers_get(&h, "location") == NULL);
    CHECK_STR(sl_headers_get(&h, "x-total-count"), "42");
    CHECK_STR(sl_headers_get(&h, "X-TOTAL-COUNT"), "42");
    size_t i = 0;
    CHECK_STR(sl_headers_next(&h, "Link", &i), "<http://a/1>; rel=\"next\"");
    CHECK_STR(sl_headers_next(&h, "Link", &i), "<http://a/0>; rel=\"prev\"");
    CHECK(sl_headers_next(&h, "Link", &i) == NULL);
    CHECK(sl_headers_get(NULL, "x") == NULL);

    /* bounds: at most SL_HEADERS_MAX headers, SL_HEADERS_BYTES bytes */
    sl_headers_clear(&h);
    char line[64];
    for (int k = 0; k < SL_HEADERS_MAX + 5; k++) {
        snprintf(line, sizeof line, "X-H%d: %d\r\n", k, k);
        add(line);
    }
    CHECK(h.n == SL_HEADERS_MAX && h.dropped == 5);
    CHECK_STR(sl_headers_get(&h, "x-h0"), "0");
    CHECK(sl_headers_get(&h, "x-h66") == NULL);
    sl_headers_clear(&h);
    static char big[SL_HEADERS_BYTES + 10];
    memset(big, 'v', sizeof big - 1);
    memcpy(big, "X-Big: ", 7);
    add(big);
    add("X-Small: 1");
    CHECK(h.n == 1 && h.dropped == 1 && sl_headers_get(&h, "x-big") == NULL);
    CHECK_STR(sl_headers_get(&h, "x-small"), "1");
    return check_done();
}
