/* my_rejects.h: the MySQL sink's reject review (my_rejects.c): reading the reject table and
 * settling a replay in one transaction. */
#ifndef SLUICE_MY_REJECTS_H
#define SLUICE_MY_REJECTS_H

#include "my_conn.h"

/* The sink operations sl_sink_rejects_read and sl_sink_rejects_settle (sink.h). */
sl_status sl_my_rejects_read(sl_sink *sink, const char *job, const sl_reject_filter *f,
                             int (*fn)(const sl_reject_row *row, void *ctx), void *ctx,
                             sl_error *err);
sl_status sl_my_rejects_settle(sl_sink *sink, const sl_batch *batch, const char *job,
                               const int64_t *done, size_t n_done, const sl_reject_kept *kept,
                               size_t n_kept, sl_error *err);

#endif
