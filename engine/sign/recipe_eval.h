/* recipe_eval.h: declarative signing recipes (docs/signing.md), evaluated; the signer kind
 * `recipe` (recipe.c) compiles them from the job file. A recipe says which request
 * parameters take part in a signature, how each value is canonicalised, how pairs are written
 * and joined, what comes before and after them, the hash and its text encoding, and where the
 * result goes; plus the values a signature needs generated per request (a timestamp, a nonce)
 * and fixed parameters sent beside it. The compiled recipe is read-only at run time, so one
 * recipe serves every request thread; the per-request state lives in an sl_recipe_call.
 * Nothing here logs or formats the secret; it is only hashed. */
#ifndef SLUICE_RECIPE_EVAL_H
#define SLUICE_RECIPE_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "error.h"
#include "sign.h"
#include "timeutil.h"

/* A compiled template: literal text and placeholders, in order. */
typedef struct sl_tpl sl_tpl;

/* Where a template may be used: only `pair` may name {key} and {value}. */
typedef enum sl_tpl_use { SL_TPL_USE_PAIR, SL_TPL_USE_OTHER } sl_tpl_use;

/* Compiles text ("{secret}{key}={value}", "{{" for a literal "{"); returns an owned template,
 * or NULL with the reason in err (SL_ERR_CONFIG, naming the byte offset) or out of memory. */
sl_tpl *sl_tpl_compile(const char *text, sl_tpl_use use, sl_error *err);
/* Frees a template; NULL is fine. */
void sl_tpl_free(sl_tpl *t);
/* Writes the template back as text, one line (a line break as \n, "{" as "{{"), into out
 * (cut to cap bytes, NUL-terminated). */
void sl_tpl_text(const sl_tpl *t, char *out, size_t cap);
/* True when the template holds the placeholder {name}. */
bool sl_tpl_has(const sl_tpl *t, const char *name);

typedef enum sl_stamp {
    SL_STAMP_NONE,     /* no timestamp generated */
    SL_STAMP_EPOCH,    /* whole seconds since stamp_epoch_s */
    SL_STAMP_EPOCH_MS, /* milliseconds since stamp_epoch_s */
    SL_STAMP_FORMAT,   /* stamp_format (strftime, timeutil.h's subset) in stamp_zone_s */
} sl_stamp;

enum { SL_RECIPE_NONCE_MAX = 64 }; /* longest nonce */

/* A compiled recipe; every pointer is owned (sl_recipe_free). Lists are sl_params used as
 * ordered sets of names (values empty), except sign_from. */
typedef struct sl_recipe {
    char *secret;          /* {secret}, and the HMAC key */
    char **add_keys, **add_vals; /* parameters sent with every request (n_add; the values
                                    stay put, so the plan can tell which came from a reference) */
    size_t n_add;
    sl_stamp stamp;
    char *stamp_format;    /* SL_STAMP_FORMAT */
    int stamp_zone_s;      /* zone of stamp_format, seconds east of UTC */
    int64_t stamp_epoch_s; /* SL_STAMP_EPOCH(_MS) count from here (0 = 1970-01-01 UTC) */
    char *stamp_param, *stamp_header; /* where the timestamp is sent; either may be NULL */
    size_t nonce_len;                 /* 0 = no nonce */
    char *nonce_param, *nonce_header;
    sl_params *only;       /* NULL = every parameter takes part, else these (in this order) */
    sl_params *exclude;    /* never take part */
    bool skip_empty;       /* a parameter whose value is "" takes no part */
    bool sort;             /* pairs by key, byte order (else request order / `only` order) */
    sl_params *json;       /* values rewritten canonically when they hold a JSON object/array */
    bool json_flat;        /* canonical = keys sorted, key then value, recursively (WDT); else
                              JSON with keys sorted and no spaces */
    sl_params *sign_from;  /* name -> text: the value is signed from its first occurrence on */
    char *body_param;      /* the request body takes part as a pair of this name; may be NULL */
    sl_tpl *pair, *join, *before, *after;
    sl_hash hash;
    bool hmac;             /* HMAC keyed by secret, else a plain hash */
    sl_encoding encoding;
    char *sign_param, *sign_header; /* where the signature goes: exactly one is set */
} sl_recipe;

/* A new recipe with the defaults (pair "{key}{value}", sorted, md5, hex); owned. NULL on out
 * of memory. */
sl_recipe *sl_recipe_new(void);
/* Frees a recipe and all it owns; NULL is fine. */
void sl_recipe_free(sl_recipe *r);

/* One request being signed: what the caller knows about it, and the values generated for it. */
typedef struct sl_recipe_call {
    const char *http_method; /* {http_method}, e.g. "GET" */
    const char *path;        /* {path}, e.g. "/v2/orders" */
    const char *body;        /* {body} and body_param: the exact bytes sent; may be NULL */
    size_t body_len;
    char timestamp[SL_TIME_FMT_MAX];        /* set by sl_recipe_prepare */
    char nonce[SL_RECIPE_NONCE_MAX + 1];    /* set by sl_recipe_prepare */
} sl_recipe_call;

/* Generates the call's timestamp (from now_ms, epoch milliseconds) and nonce (fixed_nonce when
 * non-NULL, for tests; else random letters and digits) and sets them, and the recipe's added
 * parameters, into params and headers as the recipe says. Call it before the body is built.
 * SL_ERR_INTERNAL when out of memory or no randomness is available. */
sl_status sl_recipe_prepare(const sl_recipe *r, int64_t now_ms, const char *fixed_nonce,
                            sl_recipe_call *call, sl_params *params, sl_params *headers,
                            sl_error *err);
/* Streams the exact string to sign for params (and the call) into sink; false when out of
 * memory part way (the string is then incomplete). */
bool sl_recipe_write(const sl_recipe *r, const sl_params *params, const sl_recipe_call *call,
                     sl_sign_sink *sink, void *ctx);
/* Computes the signature into out (SL_DIGEST_TEXT bytes); false when out of memory. */
bool sl_recipe_compute(const sl_recipe *r, const sl_params *params, const sl_recipe_call *call,
                       char out[SL_DIGEST_TEXT]);
/* Computes the signature and sets it into params or headers as the recipe says. */
sl_status sl_recipe_sign(const sl_recipe *r, sl_params *params, sl_params *headers,
                         const sl_recipe_call *call, sl_error *err);

#endif
