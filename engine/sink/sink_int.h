/* sink_int.h: what a sink implements: the vtable behind the opaque sl_sink (sink.h), and the
 * descriptor each sink's folder exports and sinks.def lists. Private to engine/sink/. */
#ifndef SLUICE_SINK_INT_H
#define SLUICE_SINK_INT_H

#include "shadow.h"
#include "sink.h"
#include "sqlbuf.h"

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
    int64_t (*db_retries)(const sl_sink *sink);
    void (*free)(sl_sink *sink);
    sl_status (*refresh)(sl_sink *sink, sl_refresh_step step, sl_error *err);
    sl_status (*refresh_count)(sl_sink *sink, int64_t *live, int64_t *read, sl_error *err);
    /* Reject review; NULL: the sink keeps no rejects. */
    sl_status (*rejects_read)(sl_sink *sink, const char *job, const sl_reject_filter *f,
                              int (*fn)(const sl_reject_row *row, void *ctx), void *ctx,
                              sl_error *err);
    sl_status (*rejects_settle)(sl_sink *sink, const sl_batch *batch, const char *job,
                                const int64_t *done, size_t n_done, const sl_reject_kept *kept,
                                size_t n_kept, sl_error *err);
    /* The volume baseline's counts (sink.h); NULL: the sink keeps no table. */
    sl_status (*volume_read)(sl_sink *sink, const sl_volume_query *q, sl_volume_fn fn,
                             void *ctx, sl_error *err);
} sl_sink_ops;

/* Every sink starts with this header. */
struct sl_sink {
    const sl_sink_ops *ops;
    const sl_plan *plan;
};

/* A sink kind, chosen by the scheme of target.dsn (sinks.def). Besides opening the sink, it
 * says what the sink would send without a connection: the printing sink (dry-run) and
 * sl_sink_ddl print through it, in the sink's own dialect. */
typedef struct sl_sink_kind {
    const char *scheme; /* "mysql": DSNs starting "mysql://" */
    /* Connects as plan->target.dsn says (see sl_sink_open). */
    sl_sink *(*open)(const sl_plan *plan, sl_error *err);
    /* What a dry-run prints first (a session setting a pasting client needs), or "". */
    const char *preamble;
    /* Prints the CREATE statements of every table of plan, as migrate would run them on an
     * empty database. */
    sl_status (*ddl)(const sl_plan *plan, FILE *out, sl_error *err);
    /* The statements of one batch write exactly as the sink sends them in statements form,
     * none over max_stmt bytes, in order to emit. */
    sl_status (*batch_sql)(const sl_plan *plan, const sl_batch *batch, const char *job,
                           const int64_t *watermark, size_t max_stmt, sl_sql_emit_fn emit,
                           void *ctx, sl_error *err);
    /* The statements of a full refresh's step on the tables of sh, in order to emit. */
    sl_status (*refresh_sql)(const sl_shadow *sh, sl_refresh_step step, sl_sql_emit_fn emit,
                             void *ctx, sl_error *err);
} sl_sink_kind;

/* The kind of plan's sink: by the scheme of target.dsn, the first of sinks.def when the DSN
 * is unknown (not read by a dry-run). */
const sl_sink_kind *sl_sink_kind_of(const sl_plan *plan);

#endif
