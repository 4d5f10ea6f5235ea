/* hooks.h: what the source and the pipeline of a run pass each other: the hooks through which
 * the source hands over windows and records, the source's options and its counters. */
#ifndef SLUICE_HOOKS_H
#define SLUICE_HOOKS_H

#include <stdint.h>

#include <jansson.h>

#include "window.h"

typedef struct sl_source sl_source;

/* Upper bounds, in seconds, of the buckets of the request latency histogram (the last bucket,
 * past them, is +Inf): the service's /metrics (docs/serve.md). */
#define SL_LATENCY_BOUNDS_S {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30}
enum { SL_N_LATENCY_BOUNDS = 9 };

typedef struct sl_source_stats {
    uint64_t splits;
    uint64_t rereads;  /* windows read again */
    uint64_t requests; /* requests sent (or replayed) */
    uint64_t pages;    /* good replies */
    uint64_t retries;  /* transient failures retried */
    uint64_t throttles;
    uint64_t latency[SL_N_LATENCY_BOUNDS + 1]; /* HTTP replies (or failures) per bucket */
    double latency_sum_s;                      /* their latencies added up */
} sl_source_stats;

/* What the pipeline does for the source; each hook gets ctx. */
typedef struct sl_source_hooks {
    /* A window was cut or split off: set up w->rows; 0, or -1 when out of memory. */
    int (*opened)(sl_window *w, void *ctx);
    /* A page's records for w, with the decoder's notes on records it could not represent
     * (bad, or NULL); 0, or -1 having failed the run. */
    int (*records)(sl_window *w, const json_t *records, const json_t *bad, void *ctx);
    /* A window of the finished prefix, in order: hand its rows over and free w->rows. */
    void (*popped)(sl_window *w, void *ctx);
    /* A window finished (after any pops): the queue's head may have changed. */
    void (*finished)(void *ctx);
    void *ctx;
} sl_source_hooks;

typedef struct sl_source_opts {
    int64_t range_from;     /* the run's range, both ends inclusive */
    int64_t range_to;
    int64_t max_windows;    /* cut no more than this many windows (0 = no limit) */
    const char *record_dir; /* save every good reply here */
    const char *replay_dir; /* answer requests from replies saved here instead of the API */
    /* Verify mode: only ask each window's first page and report its total here; nothing is
     * handed to the pipeline and windows are not split. */
    void (*on_total)(int64_t from, int64_t to, int64_t total, void *ctx);
    void *on_total_ctx;
} sl_source_opts;

#endif
