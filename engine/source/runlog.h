/* runlog.h: what the source and the pipeline of one run share about its outcome: the first
 * failure (later ones never overwrite it) and the event log, one line per notable event. Both
 * redact the plan's secrets and keep each message one line. */
#ifndef SLUICE_RUNLOG_H
#define SLUICE_RUNLOG_H

#include <stdio.h>

#include "error.h"
#include "plan.h"

typedef struct sl_runlog {
    const sl_plan *plan;
    FILE *log;        /* event lines, or NULL */
    sl_error *err;    /* the first failure's message */
    sl_status status; /* SL_OK until something fails */
} sl_runlog;

/* Records the run's first failure (redacted) and returns the status in force. */
sl_status sl_runlog_fail(sl_runlog *rl, sl_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Writes one timestamped event line (redacted, escaped) when a log is set. */
void sl_runlog_event(const sl_runlog *rl, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "[from, to]" in the job's zone, for messages naming a window. */
void sl_runlog_window(const sl_runlog *rl, int64_t from, int64_t to, char *out, size_t len);

#endif
