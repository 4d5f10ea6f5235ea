/* sink_int.h: the sink vtable behind the opaque sl_sink (sink.h); private to sink*.c. */
#ifndef SLUICE_SINK_INT_H
#define SLUICE_SINK_INT_H

#include "sink.h"

typedef struct sl_sink_ops {
    sl_status (*migrate)(sl_sink *sink, bool dry_run, FILE *out, sl_error *err);
    sl_status (*write)(sl_sink *sink, const sl_batch *batch, const char *job,
                       const int64_t *watermark, sl_error *err);
    sl_status (*lock)(sl_sink *sink, const char *job, sl_error *err);
    sl_status (*state_get)(sl_sink *sink, const char *job, int64_t *watermark, bool *found,
                           sl_error *err);
    sl_status (*state_set)(sl_sink *sink, const char *job, const int64_t *watermark,
                           sl_error *err); /* NULL watermark: delete */
    sl_status (*run_begin)(sl_sink *sink, const char *job, const int64_t *from, sl_error *err);
    sl_status (*run_end)(sl_sink *sink, sl_status status, const char *message,
                         const sl_run_stats *stats, const int64_t *to, sl_error *err);
    sl_status (*count_keys)(sl_sink *sink, const sl_table *table, int column, const char *from,
                            const char *to, int64_t *count, sl_error *err);
    void (*free)(sl_sink *sink);
} sl_sink_ops;

/* Every sink starts with this header. */
struct sl_sink {
    const sl_sink_ops *ops;
    const sl_plan *plan;
};

#endif
