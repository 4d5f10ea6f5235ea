/* auth.h: the auth family (source.auth): how a request proves who sends it, beside (or
 * instead of) a signature. Every method compiles to one credential, an sl_auth_cred, that the
 * source adds to every request: a header (Authorization: Bearer ..., X-API-Key: ...) or a
 * parameter (api_key=..., signed and sent like the job's own). The value is a secret: it is
 * registered for redaction and never printed. A method is one file here plus one line in
 * auths.def (docs/architecture.md). */
#ifndef SLUICE_AUTH_H
#define SLUICE_AUTH_H

#include <stdio.h>

#include "kind.h"

/* What a method adds to every request (owned by the plan through its kind ref). */
typedef struct sl_auth_cred {
    char *header; /* header name, or NULL */
    char *param;  /* parameter name, or NULL */
    char *value;  /* secret: the header's or parameter's value */
    char *secret; /* the credential as written (token, password): registered so that it is
                   * masked on its own too, not only inside value */
} sl_auth_cred;

/* A new empty credential (owned; sl_auth_cred_free); NULL when out of memory. */
sl_auth_cred *sl_auth_cred_new(void);
/* Frees a credential (an sl_kind's free); NULL is fine. */
void sl_auth_cred_free(void *cfg);
/* A credential sending "Authorization: <scheme> <credentials>" (bearer, basic): the value is
 * registered as a secret of the option `secret`, and so is that option's own text. NULL when
 * out of memory (owned otherwise; sl_auth_cred_free). */
sl_auth_cred *sl_auth_authorization(sl_kind_ctx *c, const sl_optval *secret, const char *scheme,
                                    const char *credentials);
/* Prints "  auth: <kind> <where>" for `sluice plan`, never the value (an sl_kind's dump). */
void sl_auth_cred_dump(const void *cfg, const sl_plan *plan, FILE *out);

#endif
