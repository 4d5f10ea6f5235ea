/* Unit tests of the shared limiter with an injected clock. */
#include <sys/wait.h>
#include <unistd.h>

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

/* Two limiters taking turns over [0, horizon_ms); returns how many requests both let start. */
static int admitted_both(sl_limiter *a, sl_limiter *b, int64_t horizon_ms)
{
    int n = 0;
    for (int64_t t = 0; t < horizon_ms; t++) {
        sl_limiter *l = t % 2 ? a : b;
        if (sl_limiter_acquire(l, t) == 0) {
            n++;
            sl_limiter_release(l);
        }
    }
    return n;
}

/* The pool: the same credentials share one rate (also across fork), others do not. */
static void shared_pool(void)
{
    sl_limiter *a = sl_limiter_new_shared("key-1", 5, 600, 4); /* no pool yet: private */
    sl_limiter *b = sl_limiter_new_shared("key-1", 5, 600, 4);
    CHECK(!sl_limiter_pool_is_open());
    CHECK(admitted_both(a, b, 60000) == 1200);
    sl_limiter_free(a);
    sl_limiter_free(b);

    CHECK(sl_limiter_pool_open() == 0 && sl_limiter_pool_open() == 0 && sl_limiter_pool_is_open());
    a = sl_limiter_new_shared("key-2", 5, 600, 4);
    b = sl_limiter_new_shared("key-2", 5, 600, 4);
    CHECK(admitted_both(a, b, 60000) == 600); /* one bucket */
    sl_limiter_throttled(a, 60000, 2000, 1);  /* a ban and the halved rate reach b */
    CHECK(sl_limiter_acquire(b, 60001) == 1999);
    CHECK(sl_limiter_rate(b) > 299 && sl_limiter_rate(b) < 301);
    CHECK(sl_limiter_cap(a) == 3 && sl_limiter_cap(b) == 4); /* the cap stays each one's */
    sl_limiter *c = sl_limiter_new_shared("key-3", 5, 600, 4), *d = sl_limiter_new_shared("", 0, 600, 4);
    CHECK(admitted_both(c, d, 60000) == 1200); /* other credentials, and none: their own */
    sl_limiter_free(c);
    sl_limiter_free(d);
    c = sl_limiter_new_shared("key-4", 5, 600, 4);
    d = sl_limiter_new_shared("key-4", 5, 300, 4); /* the smaller limit wins for both */
    CHECK(admitted_both(c, d, 60000) == 300);

    /* A forked child takes the token of key-5 at t = 0: the parent then waits 100 ms. */
    sl_limiter *e = sl_limiter_new_shared("key-5", 5, 600, 4);
    pid_t pid = fork();
    if (pid == 0)
        _exit(sl_limiter_acquire(e, 100000) == 0 ? 0 : 1);
    int status = -1;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
          WEXITSTATUS(status) == 0);
    CHECK(sl_limiter_acquire(e, 100000) == 100);
    sl_limiter_free(a);
    sl_limiter_free(b);
    sl_limiter_free(c);
    sl_limiter_free(d);
    sl_limiter_free(e);
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
    shared_pool();
    return check_done();
}
