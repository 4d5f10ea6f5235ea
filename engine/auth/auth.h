/* auth.h: the auth family (source.auth): how a request proves who sends it, beside (or
 * instead of) a signature. Every method compiles to one credential, an sl_auth_cred, that the
 * source adds to every request: a header (Authorization: Bearer ..., X-API-Key: ...) or a
 * parameter (api_key=..., signed and sent like the job's own). The value is a secret: it is
 * registered for redaction and never printed. A method is one file here plus one line in
 * auths.def (docs/architecture.md). */
#ifndef SLUICE_AUTH_H
#define SLUICE_AUTH_H

#include <stddef.h>
#include <stdint.h>
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

/* What asking a fetched credential for its value gave (sl_auth_ops.current). */
typedef enum sl_auth_got {
    SL_AUTH_READY,     /* *value is the header's value */
    SL_AUTH_TRANSIENT, /* the credential's issuer failed for now (network, 5xx, 429): the
                        * request waits and is retried like any transient failure */
    SL_AUTH_REFUSED,   /* the issuer refused (a wrong client secret): the run fails */
} sl_auth_got;

/* The runtime operations (the sl_kind's ops) of a method whose credential is fetched while the
 * run goes (oauth2): the source asks for the value before every request and reports a 401.
 * A method without ops sends sl_auth_cred.value as compiled. */
typedef struct sl_auth_ops {
    /* A new session of cfg (the plan's, borrowed; must outlive it), its requests timing out
     * after timeout_ms; owned (session_free), NULL when out of memory. */
    void *(*session_new)(const void *cfg, int64_t timeout_ms, int64_t connect_timeout_ms);
    /* Sets *value (borrowed until the session's next call) to the header's value now, fetching
     * a credential when there is none or it is about to expire; *gen names the credential (a
     * new one has a new number). Otherwise says why in why (cap bytes): the issuer's own
     * words, never the credential. */
    sl_auth_got (*current)(void *session, int64_t now_ms, const char **value, uint64_t *gen,
                           char *why, size_t cap);
    /* A request sent with credential gen was refused (HTTP 401): if it is still the one in
     * force, it is forgotten and the next current fetches another. */
    void (*refused)(void *session, uint64_t gen);
    /* Masks, in the NUL-terminated text (cap bytes), the credential in force and the recent
     * ones before it (a reply to a request sent with one of those may echo it): for quoting a
     * reply. */
    void (*mask)(void *session, char *text, size_t cap);
    void (*session_free)(void *session); /* NULL is fine */
} sl_auth_ops;

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
