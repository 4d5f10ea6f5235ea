/* kind.c: see kind.h (the helpers for a kind's compile live with the compiler). */
#include "kind.h"

#include <string.h>

const sl_kind *sl_kind_find(const sl_kind_family *f, const char *name)
{
    for (size_t i = 0; i < f->n_kinds; i++)
        if (!strcmp(f->kinds[i]->name, name))
            return f->kinds[i];
    return NULL;
}

void sl_kind_ref_clear(sl_kind_ref *ref)
{
    if (ref->kind && ref->kind->free)
        ref->kind->free(ref->cfg);
    ref->kind = NULL;
    ref->cfg = NULL;
}
