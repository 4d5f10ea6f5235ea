/* writer.h: the database writer thread. The runner hands it full batches in window order;
 * it writes each in one transaction through the sink (with the watermark when one rides along)
 * while the runner goes on fetching. The queue is bounded, so memory stays flat; written
 * batches are cleared and recycled. */
#ifndef SLUICE_WRITER_H
#define SLUICE_WRITER_H

#include <stdint.h>

#include "batch.h"
#include "error.h"
#include "plan.h"

typedef struct sl_sink sl_sink;
typedef struct sl_writer sl_writer;

typedef struct sl_writer_stats {
    uint64_t batches;    /* transactions committed */
    uint64_t rows;       /* live parent rows written */
    uint64_t child_rows; /* live child rows written */
    uint64_t rejects;    /* reject rows written */
    int64_t watermark;   /* last watermark committed, or INT64_MIN */
} sl_writer_stats;

/* Starts the thread writing to sink (borrowed; used only by that thread until finish) with
 * at most queue_cap batches waiting. NULL on failure. */
sl_writer *sl_writer_start(sl_sink *sink, const sl_plan *plan, size_t queue_cap);
/* An empty batch to fill: a recycled one or a new one. NULL on out of memory. */
sl_batch *sl_writer_batch(sl_writer *w);
/* Queues batch (taken, even on failure) and, when watermark is not NULL, the watermark to
 * commit with it; blocks while the queue is full. Returns -1 once the writer has failed. */
int sl_writer_push(sl_writer *w, sl_batch *batch, const int64_t *watermark);
/* Gives back a batch that will not be written. */
void sl_writer_recycle(sl_writer *w, sl_batch *batch);
/* True once a write has failed for good (the error is reported by sl_writer_finish). */
int sl_writer_failed(sl_writer *w);
/* Writes what is queued (unless abandon), stops the thread, frees the writer; copies stats
 * and the first error. Returns the writer's status. */
sl_status sl_writer_finish(sl_writer *w, int abandon, sl_writer_stats *stats, sl_error *err);

#endif
