/* sink.c: the sink factory (the kind by the DSN's scheme, sinks.def) and the calls of
 * sink.h, dispatched to the sink's implementation. */
#include "dsn.h"
#include "sink_int.h"

#define SL_SINK(scheme, port) extern const sl_sink_kind sl_sink_kind_##scheme;
#include "sinks.def"
#undef SL_SINK

static const sl_sink_kind *const kinds[] = {
#define SL_SINK(scheme, port) &sl_sink_kind_##scheme,
#include "sinks.def"
#undef SL_SINK
};

const sl_sink_kind *sl_sink_kind_of(const sl_plan *plan)
{
    int i = sl_dsn_sink(plan->target.dsn); /* dsn.c's table: the same lines, the same order */
    return kinds[i < 0 ? 0 : i];
}

sl_sink *sl_sink_open(const sl_plan *plan, sl_error *err)
{
    const char *dsn = plan->target.dsn;
    if (dsn && dsn[0] && sl_dsn_sink(dsn) < 0) { /* empty: the sink's own parser says so */
        sl_error_set(err, SL_ERR_CONFIG, "target dsn: must start with %s", sl_dsn_schemes());
        return NULL;
    }
    return sl_sink_kind_of(plan)->open(plan, err);
}

int64_t sl_sink_db_retries(const sl_sink *sink)
{
    return sink ? sink->ops->db_retries(sink) : 0;
}

void sl_sink_free(sl_sink *sink)
{
    if (sink)
        sink->ops->free(sink);
}

sl_status sl_sink_ddl(const sl_plan *plan, FILE *out, sl_error *err)
{
    return sl_sink_kind_of(plan)->ddl(plan, out, err);
}

sl_status sl_sink_migrate(sl_sink *sink, bool dry_run, FILE *out, sl_error *err)
{
    return sink->ops->migrate(sink, dry_run, out, err);
}

sl_status sl_sink_write(sl_sink *sink, const sl_batch *batch, const char *job,
                        const int64_t *watermark, sl_error *err)
{
    return sink->ops->write(sink, batch, job, watermark, err);
}

sl_status sl_sink_lock(sl_sink *sink, const char *job, sl_error *err)
{
    return sink->ops->lock(sink, job, err);
}

sl_status sl_sink_state_get(sl_sink *sink, const char *job, int64_t *watermark, bool *found,
                            sl_error *err)
{
    return sink->ops->state_get(sink, job, watermark, found, err);
}

sl_status sl_sink_state_set(sl_sink *sink, const char *job, int64_t watermark, sl_error *err)
{
    return sink->ops->state_set(sink, job, &watermark, err);
}

sl_status sl_sink_state_reset(sl_sink *sink, const char *job, sl_error *err)
{
    return sink->ops->state_set(sink, job, NULL, err);
}

sl_status sl_sink_run_begin(sl_sink *sink, const char *job, const int64_t *watermark_from,
                            sl_error *err)
{
    return sink->ops->run_begin(sink, job, watermark_from, err);
}

sl_status sl_sink_run_end(sl_sink *sink, sl_status status, const char *message,
                          const sl_run_stats *stats, const int64_t *watermark_to, sl_error *err)
{
    return sink->ops->run_end(sink, status, message, stats, watermark_to, err);
}

sl_status sl_sink_refresh(sl_sink *sink, sl_refresh_step step, sl_error *err)
{
    return sink->ops->refresh(sink, step, err);
}

sl_status sl_sink_refresh_count(sl_sink *sink, int64_t *live, int64_t *read, sl_error *err)
{
    return sink->ops->refresh_count(sink, live, read, err);
}

sl_status sl_sink_count_keys(sl_sink *sink, const sl_table *table, int column, const char *from,
                             const char *to, int64_t *count, sl_error *err)
{
    return sink->ops->count_keys(sink, table, column, from, to, count, err);
}

sl_status sl_sink_volume_read(sl_sink *sink, const sl_volume_query *q, sl_volume_fn fn,
                              void *ctx, sl_error *err)
{
    if (!sink->ops->volume_read)
        return sl_error_set(err, SL_ERR_CONFIG, "this sink keeps no table to count");
    return sink->ops->volume_read(sink, q, fn, ctx, err);
}

sl_status sl_sink_rejects_read(sl_sink *sink, const char *job, const sl_reject_filter *f,
                               int (*fn)(const sl_reject_row *row, void *ctx), void *ctx,
                               sl_error *err)
{
    if (!sink->ops->rejects_read)
        return sl_error_set(err, SL_ERR_CONFIG, "this sink keeps no rejects");
    return sink->ops->rejects_read(sink, job, f, fn, ctx, err);
}

sl_status sl_sink_rejects_settle(sl_sink *sink, const sl_batch *batch, const char *job,
                                 const int64_t *done, size_t n_done, const sl_reject_kept *kept,
                                 size_t n_kept, sl_error *err)
{
    if (!sink->ops->rejects_settle)
        return sl_error_set(err, SL_ERR_CONFIG, "this sink keeps no rejects");
    return sink->ops->rejects_settle(sink, batch, job, done, n_done, kept, n_kept, err);
}
