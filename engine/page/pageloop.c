/* pageloop.c: see pageloop.h. */
#include "pageloop.h"

#include <stdio.h>
#include <string.h>

void sl_page_loop_start(sl_page_loop *l)
{
    l->power = 1;
    l->lam = 0;
    l->saved_any = false;
    l->saved[0] = '\0';
}

bool sl_page_loop_repeats(sl_page_loop *l, const char *tok)
{
    if (l->saved_any && strcmp(l->saved, tok) == 0)
        return true;
    if (!l->saved_any || l->lam == l->power) {
        snprintf(l->saved, sizeof l->saved, "%s", tok); /* tokens are bounded by the caller */
        l->power *= l->saved_any ? 2 : 1;
        l->saved_any = true;
        l->lam = 0;
    }
    l->lam++;
    return false;
}

const char *const sl_page_holds_names[] = {[SL_HOLDS_POSITION] = "position",
                                           [SL_HOLDS_KEY] = "key", NULL};

void sl_page_holds_warn(sl_kind_ctx *c, const char *kind, const sl_optval *holds)
{
    if (holds->i != SL_HOLDS_POSITION)
        return;
    sl_kind_warning(c, holds,
                    "paging '%s' whose token holds a position (holds: position, the default) "
                    "cannot promise no missed records: a record that leaves the window or "
                    "moves while it is paged shifts later records behind the position already "
                    "passed; say holds: key when the API resumes after the last record's sort "
                    "key and that key only grows (docs/sync-rules.md)",
                    kind);
}
