/* limiter.h: the one rate limiter a job's requests share: a token bucket for calls per minute
 * (no burst: requests are spaced evenly, so no 60-second span ever holds more than the quota),
 * a cap on requests in flight, and feedback from throttle replies: a ban blocks every request
 * until it ends, the rate is halved, and it recovers gradually on success. Single-threaded;
 * the caller passes the clock (milliseconds, CLOCK_MONOTONIC: one origin for every process).
 * Limiters made with the same credentials after sl_limiter_pool_open share their rate, ban and
 * throttle feedback across the processes forked from the opener (docs/serve.md, "Shared
 * quotas"); the cap on requests in flight is each limiter's own. */
#ifndef SLUICE_LIMITER_H
#define SLUICE_LIMITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sl_limiter sl_limiter;

/* Returns a limiter for calls_per_minute (> 0) and concurrency (>= 1); owned. */
sl_limiter *sl_limiter_new(double calls_per_minute, int concurrency);
/* As sl_limiter_new, sharing its rate with every limiter of the same credentials (creds: len
 * bytes, hashed with the pool's random key; the secret is never stored) while a pool is open;
 * the smallest calls_per_minute of those sharing applies. A private limiter when no pool is
 * open, len is 0 or the pool is full. Owned. */
sl_limiter *sl_limiter_new_shared(const void *creds, size_t len, double calls_per_minute,
                                  int concurrency);
void sl_limiter_free(sl_limiter *lim);
/* Maps the pool of shared rates (idempotent); call before forking the processes that share
 * it. Returns 0, or -1 when shared memory can't be had (limiters stay private). */
int sl_limiter_pool_open(void);
/* True once sl_limiter_pool_open succeeded in this process or an ancestor. */
bool sl_limiter_pool_is_open(void);

/* Takes a token and a slot if a request may start at now_ms and returns 0; otherwise returns
 * the milliseconds to wait (a positive number), or -1 when every slot is busy (wait for a
 * request to finish). */
int64_t sl_limiter_acquire(sl_limiter *lim, int64_t now_ms);
/* Gives back the slot of a finished request. */
void sl_limiter_release(sl_limiter *lim);
/* A throttle reply arrived: no request before now_ms + ban_ms (a default pause when ban_ms is
 * 0), the rate halves (not below 1/16 of the configured one); concurrency_hit also lowers the
 * cap on requests in flight by one (not below 1). */
void sl_limiter_throttled(sl_limiter *lim, int64_t now_ms, int64_t ban_ms, int concurrency_hit);
/* A request succeeded: the rate and cap climb back towards the configured ones. */
void sl_limiter_success(sl_limiter *lim);
/* Current calls per minute allowed (for the progress line and tests). */
double sl_limiter_rate(const sl_limiter *lim);
/* Current cap on requests in flight. */
int sl_limiter_cap(const sl_limiter *lim);
/* End of the current ban in the caller's clock, or INT64_MIN when none was ever set. */
int64_t sl_limiter_ban_until(const sl_limiter *lim);

#endif
