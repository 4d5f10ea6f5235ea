/* sink.c: the calls of sink.h, dispatched to the sink's implementation. */
#include "sink_int.h"
#include "sql.h"

void sl_sink_free(sl_sink *sink)
{
    if (sink)
        sink->ops->free(sink);
}

sl_status sl_sink_ddl(const sl_plan *plan, FILE *out, sl_error *err)
{
    sl_ddl *ddl = sl_ddl_new(plan, err);
    if (!ddl)
        return err ? err->code : SL_ERR_CONFIG;
    sl_status st = SL_OK;
    if (sl_sql_print_ddl(ddl, out) != 0)
        st = sl_error_set(err, SL_ERR_INTERNAL, "out of memory printing the DDL");
    sl_ddl_free(ddl);
    return st;
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

sl_status sl_sink_count_keys(sl_sink *sink, const sl_table *table, int column, const char *from,
                             const char *to, int64_t *count, sl_error *err)
{
    return sink->ops->count_keys(sink, table, column, from, to, count, err);
}
