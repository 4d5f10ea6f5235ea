/* limiter.c: see limiter.h. Multiplicative decrease on throttles, additive increase on success. */
#include "limiter.h"

#include <math.h>
#include <stdlib.h>

enum { DEFAULT_PAUSE_MS = 1000, RECOVER_EVERY = 20 };

struct sl_limiter {
    double rate0;     /* configured calls per ms */
    double rate;      /* current calls per ms */
    double tokens;    /* 0..1 */
    int64_t last_ms;  /* when tokens were last refilled */
    int64_t ban_until;
    int cap0;
    int cap;
    int in_flight;
    int successes;    /* since the cap was last raised */
    int started;
};

sl_limiter *sl_limiter_new(double calls_per_minute, int concurrency)
{
    sl_limiter *lim = calloc(1, sizeof *lim);
    if (!lim)
        return NULL;
    lim->rate0 = lim->rate = calls_per_minute / 60000.0;
    lim->tokens = 1.0;
    lim->cap0 = lim->cap = concurrency < 1 ? 1 : concurrency;
    lim->ban_until = INT64_MIN;
    return lim;
}

void sl_limiter_free(sl_limiter *lim)
{
    free(lim);
}

static void refill(sl_limiter *lim, int64_t now_ms)
{
    if (!lim->started) {
        lim->started = 1;
        lim->last_ms = now_ms;
        return;
    }
    if (now_ms > lim->last_ms) {
        lim->tokens += (double)(now_ms - lim->last_ms) * lim->rate;
        if (lim->tokens > 1.0)
            lim->tokens = 1.0;
        lim->last_ms = now_ms;
    }
}

int64_t sl_limiter_acquire(sl_limiter *lim, int64_t now_ms)
{
    if (now_ms < lim->ban_until)
        return lim->ban_until - now_ms;
    if (lim->in_flight >= lim->cap)
        return -1;
    refill(lim, now_ms);
    if (lim->tokens < 1.0) {
        int64_t wait = (int64_t)ceil((1.0 - lim->tokens) / lim->rate);
        return wait > 0 ? wait : 1;
    }
    lim->tokens -= 1.0;
    lim->in_flight++;
    return 0;
}

void sl_limiter_release(sl_limiter *lim)
{
    if (lim->in_flight > 0)
        lim->in_flight--;
}

void sl_limiter_throttled(sl_limiter *lim, int64_t now_ms, int64_t ban_ms, int concurrency_hit)
{
    int64_t until = now_ms + (ban_ms > 0 ? ban_ms : DEFAULT_PAUSE_MS);
    if (until > lim->ban_until)
        lim->ban_until = until;
    lim->rate /= 2.0;
    if (lim->rate < lim->rate0 / 16.0)
        lim->rate = lim->rate0 / 16.0;
    refill(lim, now_ms);
    lim->tokens = 0.0;
    lim->last_ms = lim->ban_until;
    if (concurrency_hit && lim->cap > 1)
        lim->cap--;
    lim->successes = 0;
}

void sl_limiter_success(sl_limiter *lim)
{
    lim->rate += lim->rate0 / 20.0;
    if (lim->rate > lim->rate0)
        lim->rate = lim->rate0;
    if (lim->cap < lim->cap0 && ++lim->successes >= RECOVER_EVERY) {
        lim->cap++;
        lim->successes = 0;
    }
}

double sl_limiter_rate(const sl_limiter *lim)
{
    return lim->rate * 60000.0;
}

int sl_limiter_cap(const sl_limiter *lim)
{
    return lim->cap;
}

int64_t sl_limiter_ban_until(const sl_limiter *lim)
{
    return lim->ban_until;
}
