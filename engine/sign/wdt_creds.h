/* wdt_creds.h: the credentials of WDT (wdt-api.md section 1), shared by the two signers that
 * reach it (qimen_wdt.c through the Qimen gateway, wdt_direct.c to its own OpenAPI): their
 * compiled config, the split of `wdt_appsecret` into secret and salt, dump and free. All are
 * secrets: they are only ever hashed or sent, never printed. */
#ifndef SLUICE_WDT_CREDS_H
#define SLUICE_WDT_CREDS_H

#include <stdio.h>

#include "kind.h"

typedef struct sl_wdt_creds {
    char *app_key;        /* qimen: TOP app key */
    char *app_secret;     /* qimen: TOP app secret */
    char *target_app_key; /* qimen: WDT's app on Qimen */
    char *sid;            /* wdt3_customer_id (qimen) / sid (direct) */
    char *wdt_appkey;     /* WDT key */
    char *wdt_secret;     /* WDT appsecret, part before ':' */
    char *wdt_salt;       /* WDT appsecret, part after ':' */
} sl_wdt_creds;

/* Compiles the WDT keys both signers take (sid, wdt_appkey, wdt_appsecret as "secret:salt")
 * into w, reporting through c. */
void sl_wdt_creds_compile(sl_kind_ctx *c, const sl_optval *sid, const sl_optval *appkey,
                          const sl_optval *appsecret, sl_wdt_creds *w);
/* Prints "  signer: name" and the credentials that are set, as their origins. */
void sl_wdt_creds_dump(const char *name, const sl_wdt_creds *w, const sl_plan *plan, FILE *out);
/* Frees w and its strings; NULL is fine. */
void sl_wdt_creds_free(void *w);

#endif
