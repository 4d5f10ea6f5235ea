/* source.h: the source of a run: it cuts the run's range into windows, pages each window
 * through its pager with several requests in flight under the shared limiter, signs and sends
 * the requests (or replays recorded replies), classifies every reply by the error rules
 * (retry with backoff, throttle, split, fail), checks with the pager that each window was read
 * completely, and hands the records of each good page to the pipeline through hooks. The
 * pipeline (engine/run/runner.c) drives the loop: cut, dispatch, poll. */
#ifndef SLUICE_SOURCE_H
#define SLUICE_SOURCE_H

#include <stdint.h>

#include "hooks.h"
#include "plan.h"
#include "runlog.h"

/* A new source for plan (owned; free with sl_source_free), failures recorded in rl; NULL when
 * it can't be set up (rl says why). opts, hooks and rl are borrowed for its life. */
sl_source *sl_source_new(const sl_plan *plan, const sl_source_opts *opts,
                         const sl_source_hooks *hooks, sl_runlog *rl);
/* Aborts the requests in flight and frees the source and its windows; the pipeline must have
 * freed every window's rows first. NULL is fine. */
void sl_source_free(sl_source *src);
/* Cuts windows while fewer than `concurrency` are open and, so that memory stays bounded when
 * the head window lags, fewer than twice that are queued. */
void sl_source_cut(sl_source *src);
/* Starts every request that may start now; returns how long to wait before trying again (ms). */
int64_t sl_source_dispatch(sl_source *src);
/* Waits up to wait_ms for replies and handles those that arrived. */
void sl_source_poll(sl_source *src, int64_t wait_ms);
/* The windows cut and not yet popped, oldest first (borrowed). */
const sl_window_queue *sl_source_windows(const sl_source *src);
/* Windows cut and not finished. */
int sl_source_open(const sl_source *src);
/* The counters so far (borrowed). */
const sl_source_stats *sl_source_stats_get(const sl_source *src);

#endif
