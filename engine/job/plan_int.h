/* plan_int.h: private to the compiler, kind.c and plan*.c. A plan is allocated inside this
 * container, which also remembers which string fields came from ${env:}/${file:} references (or are
 * secrets written into the file), so the plan dump can name their origin instead of printing
 * them. */
#ifndef SLUICE_PLAN_INT_H
#define SLUICE_PLAN_INT_H

#include <stdbool.h>

#include "plan.h"

typedef struct sl_plan_origin {
    const char *const *field; /* address of a char* field of the plan */
    char *ref;                /* "env:NAME" / "file:PATH", or NULL: written in the file */
    bool resolved;            /* false: validated without reading the reference */
} sl_plan_origin;

typedef struct sl_plan_priv {
    sl_plan pub; /* first: a sl_plan* is a sl_plan_priv* */
    sl_plan_origin *origins;
    size_t n_origins;
    size_t cap_origins;
    size_t cap_secrets; /* capacity of plan.secrets (sl_grow) */
    size_t cred_from, cred_to; /* origins[cred_from, cred_to): the source section's fields */
} sl_plan_priv;

/* Returns a zeroed plan inside its container; owned (sl_plan_free). */
sl_plan *sl_plan_alloc(void);
/* Adds a copy of value to plan->secrets (once). Returns 0, or -1 when out of memory. */
int sl_plan_add_secret(sl_plan *plan, const char *value);
/* Records that *field is secret, from ref (copied; NULL = literal). Returns 0 or -1. */
int sl_plan_mark_secret(sl_plan *plan, char *const *field, const char *ref, bool resolved);

#endif
