/* bearer.c: the auth method `bearer`: "Authorization: Bearer <token>" on every request. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    sl_auth_cred *a = sl_auth_cred_new();
    if (!a || !(a->header = strdup("Authorization")))
        return sl_auth_cred_free(a), NULL;
    const char *token = o->token.s ? o->token.s : "";
    size_t len = strlen("Bearer ") + strlen(token);
    char *value = malloc(len + 1);
    if (!value)
        return sl_auth_cred_free(a), NULL;
    snprintf(value, len + 1, "Bearer %s", token);
    sl_kind_secret_part(c, &o->token, &a->value, value, len);
    sl_kind_secret(c, &o->token, &a->secret);
    free(value);
    return a;
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
