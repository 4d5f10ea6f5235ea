/* sink_mysql.c: the MySQL/MariaDB sink (sink.h) on MariaDB Connector/C, and its kind
 * (sinks.def: mysql://). It owns one connection for the whole run (my_conn.c): the run lock
 * (GET_LOCK) lives on it, every batch is one transaction on it (my_write.c), and when it
 * breaks the sink reconnects, re-takes the lock and replays the batch, which is safe because
 * every write is idempotent (REPLACE / upsert / DELETE+REPLACE of child rows / upsert of the
 * state row). SQL text, the MySQL dialect, comes from sql.c; values are escaped there.
 * Migrate: my_migrate.c; state and verify counts: my_state.c; run records: my_runs.c. */
#include <stdlib.h>

#include "my_conn.h"
#include "my_load.h"
#include "my_migrate.h"
#include "my_refresh.h"
#include "my_rejects.h"
#include "my_runs.h"
#include "my_state.h"
#include "my_volume.h"
#include "my_write.h"

static sl_status my_lock(sl_sink *sink, const char *job, sl_error *err)
{
    return sl_my_lock((mysql_sink *)sink, job, err);
}

static int64_t my_db_retries(const sl_sink *sink)
{
    return ((const mysql_sink *)sink)->retries;
}

static void my_free(sl_sink *sink)
{
    mysql_sink *s = (mysql_sink *)sink;
    sl_my_disconnect(s);
    sl_dsn_clear(&s->dsn);
    sl_ddl_free(s->ddl);
    sl_sqlbuf_free(&s->q);
    sl_sqlbuf_free(&s->tsv);
    free(s->lock_job);
    free(s->prepared);
    free(s->binds);
    free(s->ptrs);
    free(s->lens);
    free(s->inds);
    sl_shadow_free(s->shadow);
    free(s);
}

static const sl_sink_ops mysql_ops = {
    sl_my_migrate,   sl_my_write,   my_lock,          sl_my_state_get, sl_my_state_set,
    sl_my_run_begin, sl_my_run_end, sl_my_count_keys, my_db_retries,   my_free,
    sl_my_refresh,   sl_my_refresh_count,
    sl_my_rejects_read, sl_my_rejects_settle,
    sl_my_volume_read,
};

/* A sink with its buffers, not connected yet; NULL when out of memory. */
static mysql_sink *my_new(const sl_plan *plan)
{
    mysql_sink *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->base.ops = &mysql_ops;
    s->base.plan = plan;
    sl_sqlbuf_init(&s->q, SL_SQL_STMT_MAX);
    s->n_tables = 1 + plan->n_children;
    sl_my_load_init(s);
    size_t width = plan->table.n_cols;
    for (size_t i = 0; i < plan->n_children; i++)
        width = plan->children[i].n_cols > width ? plan->children[i].n_cols : width;
    s->prepared = calloc(s->n_tables, sizeof *s->prepared);
    s->binds = calloc(width + 1, sizeof *s->binds);
    if (!s->prepared || !s->binds) {
        my_free(&s->base);
        return NULL;
    }
    return s;
}

sl_sink *sl_sink_mysql_open(const sl_plan *plan, sl_error *err)
{
    mysql_sink *s = my_new(plan);
    if (!s) {
        sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    sl_status st = sl_dsn_parse(plan->target.dsn, &s->dsn, err);
    if (st == SL_OK) {
        sl_dsn_describe(&s->dsn, s->where, sizeof s->where);
        s->ddl = sl_ddl_new(plan, err);
        st = s->ddl ? sl_my_connect(s, err) : SL_ERR_CONFIG;
    }
    if (st != SL_OK) {
        my_free(&s->base);
        return NULL;
    }
    return &s->base;
}

/* ---- the kind: what the sink sends, without a connection ---- */

static sl_status my_ddl(const sl_plan *plan, FILE *out, sl_error *err)
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

static sl_status my_batch_sql(const sl_plan *plan, const sl_batch *batch, const char *job,
                              const int64_t *watermark, size_t max_stmt, sl_sql_emit_fn emit,
                              void *ctx, sl_error *err)
{
    return sl_sql_batch(plan, batch, job, watermark, max_stmt, 0, emit, ctx, err);
}

const sl_sink_kind sl_sink_kind_mysql = {
    .scheme = "mysql",
    .open = sl_sink_mysql_open,
    .preamble = SL_SQL_PREAMBLE,
    .ddl = my_ddl,
    .batch_sql = my_batch_sql,
    .refresh_sql = sl_sql_refresh,
};
