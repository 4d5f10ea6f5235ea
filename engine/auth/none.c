/* none.c: the auth method `none` (the default): requests carry no credential of their own
 * (a signer may still sign them). */
#include "auth.h"

static void *compile(sl_kind_ctx *c, const void *opts)
{
    (void)c;
    (void)opts;
    return sl_auth_cred_new();
}

const sl_kind sl_kind_auth_none = {
    .family = "auth",
    .name = "none",
    .doc = "No credential of its own (the default; a signer may still sign the requests).",
    .opts_size = 0,
    .compile = compile,
    .dump = sl_auth_cred_dump,
    .free = sl_auth_cred_free,
};
