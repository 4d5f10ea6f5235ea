/* test_urlcode.c: which URLs are plain http to another machine (item 13 of issue 9), and that
 * only the host is ever copied out of one. */
#include <stdbool.h>

#include "check.h"
#include "urlcode.h"

static void test_plain_remote(void)
{
    static const struct {
        const char *url;
        bool remote;
        const char *host;
    } cases[] = {
        {"https://gw.example/router", false, ""},
        {"http://gw.example/router?token=t", true, "gw.example"},
        {"HTTP://GW.example:8080", true, "GW.example"},
        {"http://u:pw@gw.example:81/x", true, "gw.example"},
        {"http://127.0.0.1:9/x", false, ""},
        {"http://127.255.3.4/", false, ""},
        {"http://localhost:8080/x", false, ""},
        {"http://LocalHost./x", false, ""},
        {"http://[::1]:9/hook", false, ""},
        {"http://[::ffff:127.0.0.1]/", false, ""},
        {"http://u:p@ss@127.0.0.1:8/x", false, ""},
        /* look-alikes of this machine are other machines */
        {"http://127.0.0.1@evil.example/", true, "evil.example"},
        {"http://evil.example#@127.0.0.1/", true, "evil.example"},
        {"http://evil.example/?@127.0.0.1", true, "evil.example"},
        {"http://127.0.0.1.nip.io/", true, "127.0.0.1.nip.io"},
        {"http://0x7f000001/", true, "0x7f000001"},
        {"http://[::2]/", true, "::2"},
        {"http://128.0.0.1/", true, "128.0.0.1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char host[64] = "";
        bool got = sl_url_plain_remote(cases[i].url, host, sizeof host);
        CHECK(got == cases[i].remote);
        if (got != cases[i].remote)
            fprintf(stderr, "  for %s\n", cases[i].url);
        CHECK_STR(host, cases[i].host);
    }
}

int main(void)
{
    test_plain_remote();
    return check_done();
}
