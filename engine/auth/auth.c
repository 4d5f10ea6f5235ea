/* auth.c: what every auth method shares: its credential's life and its line in `sluice plan`. */
#include "auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sl_auth_cred *sl_auth_cred_new(void)
{
    return calloc(1, sizeof(sl_auth_cred));
}

void sl_auth_cred_free(void *cfg)
{
    sl_auth_cred *a = cfg;
    if (!a)
        return;
    free(a->header);
    free(a->param);
    free(a->value);
    free(a->secret);
    free(a);
}

sl_auth_cred *sl_auth_authorization(sl_kind_ctx *c, const sl_optval *secret, const char *scheme,
                                    const char *credentials)
{
    sl_auth_cred *a = sl_auth_cred_new();
    size_t len = strlen(scheme) + 1 + strlen(credentials);
    char *value = malloc(len + 1);
    if (!a || !value || !(a->header = strdup("Authorization")))
        return free(value), sl_auth_cred_free(a), NULL;
    snprintf(value, len + 1, "%s %s", scheme, credentials);
    sl_kind_secret_part(c, secret, &a->value, value, len);
    sl_kind_secret(c, secret, &a->secret);
    free(value);
    return a;
}

void sl_auth_cred_dump(const void *cfg, const sl_plan *plan, FILE *out)
{
    (void)plan;
    const sl_auth_cred *a = cfg;
    if (a->header)
        fprintf(out, "  auth: header %s: <secret>\n", a->header);
    else if (a->param)
        fprintf(out, "  auth: parameter %s: <secret>\n", a->param);
}
