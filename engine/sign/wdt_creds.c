/* wdt_creds.c: see wdt_creds.h. */
#include "wdt_creds.h"

#include <stdlib.h>
#include <string.h>

/* The WDT appsecret is written as one value "secret:salt"; each part is a secret of the
 * value's origin. */
static void split_appsecret(sl_kind_ctx *c, const sl_optval *v, sl_wdt_creds *w)
{
    const char *text = sl_kind_unread(v) ? ":" : v->s;
    const char *colon = strchr(text, ':');
    if (!colon) {
        sl_kind_error(c, v, "'wdt_appsecret' must be \"secret:salt\" (no ':' found)");
        return;
    }
    sl_kind_secret_part(c, v, &w->wdt_secret, text, (size_t)(colon - text));
    sl_kind_secret_part(c, v, &w->wdt_salt, colon + 1, strlen(colon + 1));
}

void sl_wdt_creds_compile(sl_kind_ctx *c, const sl_optval *sid, const sl_optval *appkey,
                          const sl_optval *appsecret, sl_wdt_creds *w)
{
    sl_kind_secret(c, sid, &w->sid);
    sl_kind_secret(c, appkey, &w->wdt_appkey);
    if (appsecret->set)
        split_appsecret(c, appsecret, w);
}

void sl_wdt_creds_dump(const char *name, const sl_wdt_creds *w, const sl_plan *plan, FILE *out)
{
    const struct {
        const char *label;
        char *const *field;
    } f[] = {{"    app_key", &w->app_key},       {"    app_secret", &w->app_secret},
             {"    target_app_key", &w->target_app_key}, {"    sid", &w->sid},
             {"    wdt_appkey", &w->wdt_appkey}, {"    wdt_secret", &w->wdt_secret},
             {"    wdt_salt", &w->wdt_salt}};
    fprintf(out, "  signer: %s\n", name);
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (*f[i].field)
            sl_plan_put_field(plan, out, f[i].label, f[i].field);
}

void sl_wdt_creds_free(void *creds)
{
    sl_wdt_creds *w = creds;
    if (!w)
        return;
    free(w->app_key);
    free(w->app_secret);
    free(w->target_app_key);
    free(w->sid);
    free(w->wdt_appkey);
    free(w->wdt_secret);
    free(w->wdt_salt);
    free(w);
}
