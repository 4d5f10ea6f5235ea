/* pagers.c: the pager family, from pagers.def. */
#include "kind.h"

#define SL_KIND(id) extern const sl_kind sl_kind_pager_##id;
#include "pagers.def"
#undef SL_KIND

static const sl_kind *const pagers[] = {
#define SL_KIND(id) &sl_kind_pager_##id,
#include "pagers.def"
#undef SL_KIND
};

const sl_kind_family sl_kinds_pager = {{"paging", "how a window's records are paged", NULL, 0},
                                       pagers, sizeof pagers / sizeof pagers[0]};
