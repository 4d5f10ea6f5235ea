/* shadow.c: see shadow.h. */
#include "shadow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sl_shadow {
    sl_plan plan;       /* a shallow copy of the job's plan: only the table names differ */
    sl_table *children; /* the copy's children, named after their shadows */
    char **names;       /* names[3 * ti + role] */
    size_t n_tables;
};

static char *suffixed(const char *name, const char *suffix)
{
    size_t n = strlen(name) + strlen(suffix) + 1;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%s%s", name, suffix);
    return s;
}

void sl_shadow_free(sl_shadow *sh)
{
    if (!sh)
        return;
    for (size_t i = 0; sh->names && i < 3 * sh->n_tables; i++)
        if (i % 3 != SL_SHADOW_LIVE)
            free(sh->names[i]);
    free(sh->names);
    free(sh->children);
    free(sh);
}

sl_shadow *sl_shadow_new(const sl_plan *plan)
{
    sl_shadow *sh = calloc(1, sizeof *sh);
    if (!sh)
        return NULL;
    sh->plan = *plan;
    sh->n_tables = 1 + plan->n_children;
    sh->names = calloc(3 * sh->n_tables, sizeof *sh->names);
    sh->children = calloc(plan->n_children + 1, sizeof *sh->children);
    if (!sh->names || !sh->children) {
        sl_shadow_free(sh);
        return NULL;
    }
    for (size_t ti = 0; ti < sh->n_tables; ti++) {
        const char *live = ti ? plan->children[ti - 1].name : plan->table.name;
        char **n = &sh->names[3 * ti];
        n[SL_SHADOW_LIVE] = (char *)live; /* borrowed from the plan, never freed */
        n[SL_SHADOW_NEW_T] = suffixed(live, SL_SHADOW_NEW);
        n[SL_SHADOW_OLD_T] = suffixed(live, SL_SHADOW_OLD);
        if (!n[SL_SHADOW_NEW_T] || !n[SL_SHADOW_OLD_T]) {
            sl_shadow_free(sh);
            return NULL;
        }
        if (ti)
            sh->children[ti - 1] = plan->children[ti - 1];
        (ti ? &sh->children[ti - 1] : &sh->plan.table)->name = n[SL_SHADOW_NEW_T];
    }
    sh->plan.children = sh->children;
    return sh;
}

const sl_plan *sl_shadow_plan(const sl_shadow *sh)
{
    return &sh->plan;
}

size_t sl_shadow_tables(const sl_shadow *sh)
{
    return sh->n_tables;
}

const char *sl_shadow_name(const sl_shadow *sh, size_t ti, sl_shadow_role role)
{
    return sh->names[3 * ti + role];
}
