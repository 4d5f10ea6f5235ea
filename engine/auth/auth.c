/* auth.c: what every auth method shares: its credential's life and its line in `sluice plan`. */
#include "auth.h"

#include <stdlib.h>

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

void sl_auth_cred_dump(const void *cfg, const sl_plan *plan, FILE *out)
{
    (void)plan;
    const sl_auth_cred *a = cfg;
    if (a->header)
        fprintf(out, "  auth: header %s: <secret>\n", a->header);
    else if (a->param)
        fprintf(out, "  auth: parameter %s: <secret>\n", a->param);
}
