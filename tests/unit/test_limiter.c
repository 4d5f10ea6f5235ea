/* Unit tests of the shared limiter with an injected clock. */
#include "check.h"
#include "limiter.h"

/* Counts how many requests the limiter lets start in [0, horizon_ms), releasing at once. */
static int admitted(sl_limiter *lim, int64_t horizon_ms)
{
    int n = 0;
    for (int64_t t = 0; t < horizon_ms; t++) {
        if (sl_limiter_acquire(lim, t) == 0) {
            n++;
            sl_limiter_release(lim);
        }
    }
    return n;
}

int main(void)
{
    /* 600/min = one every 100 ms, evenly: 60 s admit 600, never more. */
    sl_limiter *lim = sl_limiter_new(600, 5);
    CHECK(admitted(lim, 60000) == 600);
    sl_limiter_free(lim);

    /* The cap on requests in flight. */
    lim = sl_limiter_new(60000, 2);
    CHECK(sl_limiter_acquire(lim, 0) == 0);
    CHECK(sl_limiter_acquire(lim, 10) == 0);
    CHECK(sl_limiter_acquire(lim, 20) == -1);
    sl_limiter_release(lim);
    CHECK(sl_limiter_acquire(lim, 30) == 0);
    sl_limiter_free(lim);

    /* A ban blocks everything until it ends, and the rate halves then recovers. */
    lim = sl_limiter_new(600, 4);
    CHECK(sl_limiter_acquire(lim, 0) == 0);
    sl_limiter_release(lim);
    sl_limiter_throttled(lim, 1000, 3000, 0);
    CHECK(sl_limiter_acquire(lim, 1000) == 3000);
    CHECK(sl_limiter_acquire(lim, 3999) == 1);
    CHECK(sl_limiter_rate(lim) > 299 && sl_limiter_rate(lim) < 301);
    int64_t w = sl_limiter_acquire(lim, 4000);
    CHECK(w == 200); /* 300/min: 200 ms for a full token after the ban */
    CHECK(sl_limiter_acquire(lim, 4200) == 0);
    sl_limiter_release(lim);
    for (int i = 0; i < 100; i++)
        sl_limiter_success(lim);
    CHECK(sl_limiter_rate(lim) > 599 && sl_limiter_rate(lim) < 601);

    /* Concurrency throttles lower the cap, successes raise it back. */
    sl_limiter_throttled(lim, 5000, 0, 1);
    CHECK(sl_limiter_cap(lim) == 3);
    CHECK(sl_limiter_acquire(lim, 5500) > 0); /* default pause of 1 s */
    for (int i = 0; i < 20; i++)
        sl_limiter_success(lim);
    CHECK(sl_limiter_cap(lim) == 4);
    /* Repeated throttles never take the rate below 1/16. */
    for (int i = 0; i < 10; i++)
        sl_limiter_throttled(lim, 6000, 0, 1);
    CHECK(sl_limiter_rate(lim) > 37.4 && sl_limiter_rate(lim) < 37.6);
    CHECK(sl_limiter_cap(lim) == 1);
    sl_limiter_free(lim);
    return check_done();
}
