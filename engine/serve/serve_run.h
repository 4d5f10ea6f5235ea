/* serve_run.h: what `sluice serve` is given (serve.h): its options and the callback that does
 * one run of a job. Apart from serve.h so the service's own files can read it without
 * depending on serve.c. */
#ifndef SLUICE_SERVE_RUN_H
#define SLUICE_SERVE_RUN_H

#include <stdbool.h>

#include "error.h"
#include "plan.h"
#include "runner.h"

/* One run of plan as `sluice run` does it (lock, migrate, run record, run, summary, alerts),
 * in the child. *sum is filled and *started set once the run itself began; err holds the
 * first failure. Returns the exit status. */
typedef sl_status sl_serve_run_fn(const sl_plan *plan, sl_run_summary *sum, bool *started,
                                  sl_error *err);

typedef struct sl_serve_opts {
    const char *listen; /* "HOST:PORT" ("[::1]:PORT" for IPv6); port 0 picks a free one */
    int max_runs;       /* runs at once, across all jobs */
    sl_serve_run_fn *run;
} sl_serve_opts;

#endif
