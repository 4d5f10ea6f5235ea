/* my_runs.h: the MySQL sink's run records in the runs table (my_runs.c). */
#ifndef SLUICE_MY_RUNS_H
#define SLUICE_MY_RUNS_H

#include "batch.h"
#include "my_conn.h"

/* Inside a batch's transaction: adds its rows and rejects to this run's record, so a run
 * killed later still shows what it committed. No-op without a run record. */
sl_status sl_my_run_count(mysql_sink *s, const sl_batch *batch, sl_error *err);
/* The sink operations of sink_int.h: sl_sink_run_begin and sl_sink_run_end (sink.h). */
sl_status sl_my_run_begin(sl_sink *sink, const char *job, const int64_t *from, sl_error *err);
sl_status sl_my_run_end(sl_sink *sink, sl_status status, const char *message,
                        const sl_run_stats *stats, const int64_t *to, sl_error *err);

#endif
