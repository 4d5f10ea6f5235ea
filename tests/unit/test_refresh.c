/* Unit tests of a full refresh's guard (run/refresh.c) and its shadow tables (sink/shadow.c):
 * the boundaries of max_drop_percent in integers, the empty read, an unknown count, and the
 * shadow plan's names. */
#include <string.h>

#include "check.h"
#include "refresh.h"
#include "shadow.h"

static bool refused(int64_t max_drop, bool allow_empty, int64_t live, int64_t read)
{
    sl_refresh_plan g = {.on = true, .max_drop_percent = max_drop, .allow_empty = allow_empty};
    char why[300];
    return sl_refresh_refusal(&g, live, read, why, sizeof why) != NULL;
}

int main(void)
{
    /* 50%: exactly half is kept, one row less is refused. */
    CHECK(!refused(50, false, 100, 50));
    CHECK(refused(50, false, 100, 49));
    CHECK(!refused(50, false, 3, 2) && refused(50, false, 3, 1));
    /* Growth and an empty table are never a drop. */
    CHECK(!refused(0, false, 100, 100) && refused(0, false, 100, 99));
    CHECK(!refused(50, false, 0, 7) && !refused(50, false, 10, 1000));
    /* 100: any drop but to nothing; allow_empty decides about nothing. */
    CHECK(!refused(100, false, 1000, 1));
    CHECK(refused(100, false, 1000, 0) && !refused(100, true, 1000, 0));
    CHECK(refused(50, false, 0, 0) && !refused(50, true, 0, 0));
    /* allow_empty accepts an empty read, not a drop to one row. */
    CHECK(!refused(50, true, 1000, 0) && refused(50, true, 1000, 1));
    /* Unknown counts (a dry-run): never refused. */
    CHECK(!refused(50, false, -1, -1));
    /* The reason names the counts and the setting. */
    sl_refresh_plan g = {.on = true, .max_drop_percent = 50};
    char why[300];
    CHECK(sl_refresh_refusal(&g, 39, 14, why, sizeof why));
    CHECK(strstr(why, "14 rows, 64% fewer than the table's 39") != NULL);
    CHECK(strstr(why, "max_drop_percent is 50") != NULL);

    /* The shadow plan: same tables, other names; the job's plan untouched. */
    sl_table kids[1] = {{.name = "shop_tags"}};
    sl_plan plan = {.table = {.name = "shops"}, .children = kids, .n_children = 1};
    sl_shadow *sh = sl_shadow_new(&plan);
    CHECK(sh != NULL && sl_shadow_tables(sh) == 2);
    const sl_plan *sp = sl_shadow_plan(sh);
    CHECK(!strcmp(sp->table.name, "shops__sluice_new"));
    CHECK(!strcmp(sp->children[0].name, "shop_tags__sluice_new"));
    CHECK(!strcmp(sl_shadow_name(sh, 1, SL_SHADOW_OLD_T), "shop_tags__sluice_old"));
    CHECK(!strcmp(sl_shadow_name(sh, 0, SL_SHADOW_LIVE), "shops"));
    CHECK(!strcmp(plan.table.name, "shops") && !strcmp(kids[0].name, "shop_tags"));
    CHECK(SL_SHADOW_NAME_MAX + (int)strlen(SL_SHADOW_NEW) == 64);
    sl_shadow_free(sh);
    return check_done();
}
