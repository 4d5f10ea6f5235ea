/* runner.h: one run of a job: cut the range from the watermark to now - lag into windows,
 * page each window (last page to first) through the shared limiter with several requests in
 * flight, check what arrived against the API's total, convert records to rows and hand them
 * to the writer thread in window order, the watermark riding with each window's last batch.
 * The sync rules are in docs/sync-rules.md. */
#ifndef SLUICE_RUNNER_H
#define SLUICE_RUNNER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "hooks.h"
#include "plan.h"
#include "quality.h"
#include "volume.h"

typedef struct sl_sink sl_sink;

typedef struct sl_run_opts {
    int64_t now;            /* the engine's clock, epoch seconds (SLUICE_NOW / --now / time()) */
    bool has_range;         /* --from/--to: sync this range and leave the watermark alone */
    int64_t range_from;
    int64_t range_to;
    int64_t max_windows;    /* stop after this many windows (0 = no limit) */
    const char *record_dir; /* save every good reply here */
    const char *replay_dir; /* answer requests from replies saved here instead of the API */
    FILE *progress;         /* progress line target (a TTY), or NULL */
    FILE *log;              /* one line per notable event (retries, throttles, splits), or NULL */
    /* Verify mode: only ask each window's first page and report its total here; nothing is
     * written and windows are not split. */
    void (*on_total)(int64_t from, int64_t to, int64_t total, void *ctx);
    void *on_total_ctx;
    bool force_refresh;     /* a full refresh swaps its read in whatever the guard says */
} sl_run_opts;

typedef struct sl_run_summary {
    uint64_t windows;  /* windows finished */
    uint64_t splits;
    uint64_t rereads;  /* windows read again after a shortfall */
    uint64_t requests; /* requests sent (or replayed) */
    uint64_t pages;    /* good replies */
    uint64_t records;  /* records received */
    uint64_t retries;  /* transient failures retried */
    uint64_t throttles;
    uint64_t rows;       /* parent rows committed */
    uint64_t child_rows; /* child rows committed */
    uint64_t rejects;    /* rejected records committed */
    uint64_t batches;    /* transactions committed */
    uint64_t db_retries; /* database operations retried after a fault during the run */
    int64_t range_from;  /* what the run covered */
    int64_t range_to;
    int64_t watermark_before; /* INT64_MIN when the job had none */
    int64_t watermark_after;
    int64_t refresh_live; /* a full refresh: the table's rows before, -1 when not counted */
    int64_t refresh_read; /* a full refresh: the rows read, -1 when not counted */
    double elapsed_s;
    sl_dq_count quality[SL_MAX_QUALITY]; /* per rule of plan->quality, in order */
    size_t n_quality;
    bool quality_failed; /* a rule failed a row or the run (warn rules included) */
    uint64_t latency[SL_N_LATENCY_BOUNDS + 1]; /* API requests per latency bucket (hooks.h) */
    double latency_sum_s;
    sl_volume_result volume; /* the volume baseline's verdicts (plan->volume; volume.h) */
} sl_run_summary;

/* Runs plan into sink (state, lock and tables are the caller's business). Returns SL_OK or
 * the status of the first failure, described in err; stats are filled either way. */
sl_status sl_run(const sl_plan *plan, sl_sink *sink, const sl_run_opts *opts,
                 sl_run_summary *stats, sl_error *err);

#endif
