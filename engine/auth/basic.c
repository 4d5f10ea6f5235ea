/* basic.c: the auth method `basic`: HTTP basic authentication, "Authorization: Basic
 * base64(username:password)" on every request (RFC 7617). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "digest.h"

typedef struct basic_opts {
    sl_optval username, password;
} basic_opts;

static const sl_opt rows[] = {
    {"username", SL_T_STRING, SL_OF_REQUIRED, NULL, 1, 0, offsetof(basic_opts, username), NULL,
     NULL, "the user name (may be a ${env:}/${file:} reference)"},
    {"password", SL_T_SECRET, SL_OF_REQUIRED, NULL, 1, 0, offsetof(basic_opts, password), NULL,
     NULL, "the password, as ${env:NAME} or ${file:PATH}"},
};

static const sl_opt_table table = {"auth", "basic", rows, sizeof rows / sizeof rows[0]};

/* base64 of "user:password"; owned, NULL when out of memory. */
static char *basic_credentials(const char *user, const char *password)
{
    size_t n = strlen(user) + 1 + strlen(password);
    char *pair = malloc(n + 1);
    char *out = malloc(4 * (n / 3 + 1) + 1);
    if (pair && out) {
        snprintf(pair, n + 1, "%s:%s", user, password);
        sl_digest_encode((const uint8_t *)pair, n, SL_ENC_BASE64, out);
    }
    free(pair);
    if (!pair)
        return free(out), NULL;
    return out;
}

static void *compile(sl_kind_ctx *c, const void *opts)
{
    const basic_opts *o = opts;
    char *cred = basic_credentials(o->username.s ? o->username.s : "",
                                   o->password.s ? o->password.s : "");
    sl_auth_cred *a = cred ? sl_auth_authorization(c, &o->password, "Basic", cred) : NULL;
    free(cred);
    return a;
}

const sl_kind sl_kind_auth_basic = {
    .family = "auth",
    .name = "basic",
    .doc = "HTTP basic authentication: the user name and password in the Authorization header.",
    .opts = &table,
    .opts_size = sizeof(basic_opts),
    .compile = compile,
    .dump = sl_auth_cred_dump,
    .free = sl_auth_cred_free,
};
