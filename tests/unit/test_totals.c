/* test_totals: what `sluice verify` keeps of the API's totals (engine/run/totals.c) and the growth
 * helper under it (engine/util/grow.c). A window that cannot be kept makes verify fail with an
 * internal error naming the loss; it is never dropped silently (it used to be: verify could then
 * miss a gap). */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "grow.h"
#include "totals.h"

static void test_keeps_every_window_in_order(void)
{
    sl_totals t = {0};
    for (int64_t i = 0; i < 1000; i++)
        sl_totals_add(i * 3600, i * 3600 + 3599, i % 7, &t);
    CHECK(t.n == 1000);
    CHECK(t.lost == 0);
    CHECK(t.items[0].from == 0 && t.items[0].to == 3599 && t.items[0].total == 0);
    CHECK(t.items[999].from == 999 * 3600 && t.items[999].total == 999 % 7);
    sl_error err = {0};
    CHECK(sl_totals_check(&t, &err) == SL_OK);
    CHECK(err.code == SL_OK && err.msg[0] == '\0');
    sl_totals_free(&t);
    CHECK(t.items == NULL && t.n == 0);
}

/* A list that cannot grow (its next size overflows, as an allocation failure would refuse it):
 * the window is counted as lost, what was kept stays, and the check fails with exit 70. */
static void test_a_window_that_cannot_be_kept_fails_verify(void)
{
    sl_total kept[2] = {{0, 59, 5}, {60, 119, 6}};
    size_t full = SIZE_MAX / sizeof(sl_total);
    sl_totals t = {.items = kept, .n = full, .cap = full};
    sl_totals_add(120, 179, 7, &t);
    CHECK(t.lost == 1);
    CHECK(t.n == full && t.cap == full && t.items == kept);
    CHECK(kept[1].total == 6);
    sl_error err = {0};
    CHECK(sl_totals_check(&t, &err) == SL_ERR_INTERNAL);
    CHECK(err.code == SL_ERR_INTERNAL);
    CHECK(strstr(err.msg, "out of memory") != NULL);
    CHECK(strstr(err.msg, "1 of ") != NULL);
}

static void test_grow(void)
{
    size_t cap = 0;
    int *a = sl_grow(NULL, &cap, 1, sizeof *a, 8);
    CHECK(a != NULL && cap == 8);
    int *b = sl_grow(a, &cap, 8, sizeof *a, 8);
    CHECK(b == a && cap == 8); /* fits: untouched */
    b = sl_grow(a, &cap, 9, sizeof *a, 8);
    CHECK(b != NULL && cap == 16);
    a = b;
    a[15] = 42;
    size_t before = cap;
    CHECK(sl_grow(a, &cap, SIZE_MAX / 2, sizeof *a, 8) == NULL); /* overflows */
    CHECK(cap == before && a[15] == 42);
    CHECK(sl_grow(a, &cap, SIZE_MAX, 1, 8) == NULL);
    CHECK(cap == before);
    free(a);
}

int main(void)
{
    test_keeps_every_window_in_order();
    test_a_window_that_cannot_be_kept_fails_verify();
    test_grow();
    return check_done();
}
