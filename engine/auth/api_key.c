/* api_key.c: the auth method `api-key`: a key sent with every request in a header (X-API-Key
 * unless `header` names another) or, with `param`, as a request parameter. */
#include <stddef.h>
#include <string.h>

#include "auth.h"

typedef struct api_key_opts {
    sl_optval key, header, param;
} api_key_opts;

#define F(field) offsetof(api_key_opts, field)
static const sl_opt rows[] = {
    {"key", SL_T_SECRET, SL_OF_REQUIRED, NULL, 1, 0, F(key), NULL, NULL,
     "the key, as ${env:NAME} or ${file:PATH}"},
    {"header", SL_T_STRING, 0, NULL, 1, 0, F(header), NULL, NULL,
     "the header carrying it (default X-API-Key)"},
    {"param", SL_T_STRING, 0, NULL, 1, 0, F(param), NULL, NULL,
     "the request parameter carrying it instead of a header"},
};
#undef F

static const sl_opt_table table = {"auth", "api-key", rows, sizeof rows / sizeof rows[0]};

static void *compile(sl_kind_ctx *c, const void *opts)
{
    const api_key_opts *o = opts;
    sl_auth_cred *a = sl_auth_cred_new();
    if (!a)
        return NULL;
    if (o->header.node && o->param.node)
        sl_kind_error(c, &o->param, "auth 'api-key' takes 'header' or 'param', not both");
    if (o->param.node)
        sl_kind_text(c, &o->param, &a->param);
    else if (o->header.node)
        sl_kind_text(c, &o->header, &a->header);
    else if (!(a->header = strdup("X-API-Key")))
        return sl_auth_cred_free(a), NULL;
    sl_kind_secret(c, &o->key, &a->value);
    return a;
}

const sl_kind sl_kind_auth_api_key = {
    .family = "auth",
    .name = "api-key",
    .doc = "An API key in a header (X-API-Key by default) or a request parameter.",
    .opts = &table,
    .opts_size = sizeof(api_key_opts),
    .compile = compile,
    .dump = sl_auth_cred_dump,
    .free = sl_auth_cred_free,
};
