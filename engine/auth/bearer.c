/* bearer.c: the auth method `bearer`: "Authorization: Bearer <token>" on every request. */
#include <stddef.h>

#include "auth.h"

typedef struct bearer_opts {
    sl_optval token;
} bearer_opts;

static const sl_opt rows[] = {
    {"token", SL_T_SECRET, SL_OF_REQUIRED, NULL, 1, 0, offsetof(bearer_opts, token), NULL, NULL,
     "the token, as ${env:NAME} or ${file:PATH} (sent after \"Bearer \")"},
};

static const sl_opt_table table = {"auth", "bearer", rows, sizeof rows / sizeof rows[0]};

static void *compile(sl_kind_ctx *c, const void *opts)
{
    const bearer_opts *o = opts;
    return sl_auth_authorization(c, &o->token, "Bearer", o->token.s ? o->token.s : "");
}

const sl_kind sl_kind_auth_bearer = {
    .family = "auth",
    .name = "bearer",
    .doc = "A bearer token in the Authorization header (OAuth2 access tokens, most REST APIs).",
    .opts = &table,
    .opts_size = sizeof(bearer_opts),
    .compile = compile,
    .dump = sl_auth_cred_dump,
    .free = sl_auth_cred_free,
};
