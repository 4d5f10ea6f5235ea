/* my_write.c: the MySQL sink's batch write (my_write.h): one transaction per attempt holding
 * the statements of sql.c, or the rows by bulk array binding (target.load: bulk) or LOAD DATA
 * (my_load.c), and the run record's counts (my_runs.c), replayed by the retry loop. */
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "batch.h"
#include "my_conn.h"
#include "my_load.h"
#include "my_runs.h"
#include "my_write.h"

typedef struct write_args {
    const sl_batch *batch;
    const char *job;
    const int64_t *watermark;
} write_args;

static sl_status exec_str(mysql_sink *s, const char *sql, const char *what, sl_error *err)
{
    return sl_my_exec(s, sql, strlen(sql), what, err);
}

static sl_status exec_stmt(void *ctx, const sl_sql_stmt *stmt, sl_error *err)
{
    return sl_my_exec(ctx, stmt->sql, stmt->len, "write", err);
}

static sl_status stmt_fail(mysql_sink *s, MYSQL_STMT *stmt, const char *what, sl_error *err)
{
    s->last_errno = mysql_stmt_errno(stmt);
    return sl_error_set(err, SL_ERR_SINK, "%s on %s: error %u: %s", what, s->where, s->last_errno,
                        mysql_stmt_error(stmt));
}

/* The prepared bulk statement of table ti (0 = parent), prepared on first use. */
static sl_status prepared(mysql_sink *s, size_t ti, const sl_table *t, MYSQL_STMT **out,
                          sl_error *err)
{
    bool upsert = ti == 0 && s->base.plan->target.write == SL_WRITE_UPSERT;
    if (ti == 0 && s->prepared[0] && upsert != s->prepared_upsert) {
        mysql_stmt_close(s->prepared[0]);
        s->prepared[0] = NULL;
    }
    if (!s->prepared[ti]) {
        MYSQL_STMT *stmt = mysql_stmt_init(s->db);
        s->q.len = 0;
        if (!stmt || sl_sql_insert_prepared(&s->q, t, upsert) != 0) {
            if (stmt)
                mysql_stmt_close(stmt);
            return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
        }
        if (mysql_stmt_prepare(stmt, s->q.data, (unsigned long)s->q.len) != 0) {
            sl_status st = stmt_fail(s, stmt, "prepare", err);
            mysql_stmt_close(stmt);
            return st;
        }
        s->prepared[ti] = stmt;
        if (ti == 0)
            s->prepared_upsert = upsert;
    }
    *out = s->prepared[ti];
    return SL_OK;
}

/* Grows the bulk scratch to `cells` cells (binds were sized for the widest table at open). */
static sl_status bulk_reserve(mysql_sink *s, size_t cells, sl_error *err)
{
    if (cells <= s->cap_cells)
        return SL_OK;
    free(s->ptrs);
    free(s->lens);
    free(s->inds);
    s->ptrs = calloc(cells, sizeof *s->ptrs);
    s->lens = calloc(cells, sizeof *s->lens);
    s->inds = calloc(cells, 1);
    s->cap_cells = s->ptrs && s->lens && s->inds ? cells : 0;
    if (!s->cap_cells)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory (bulk binding)");
    return SL_OK;
}

/* Executes the n rows gathered column-wise (stride rows apart) in one bulk round trip and adds
 * the rows it affected to *affected. */
static sl_status bulk_exec(mysql_sink *s, MYSQL_STMT *stmt, size_t n_cols, size_t stride,
                           unsigned int n, uint64_t *affected, sl_error *err)
{
    memset(s->binds, 0, n_cols * sizeof *s->binds);
    for (size_t c = 0; c < n_cols; c++) {
        s->binds[c].buffer_type = MYSQL_TYPE_STRING;
        s->binds[c].buffer = &s->ptrs[c * stride];
        s->binds[c].length = &s->lens[c * stride];
        s->binds[c].u.indicator = &s->inds[c * stride];
    }
    if (mysql_stmt_attr_set(stmt, STMT_ATTR_ARRAY_SIZE, &n) || mysql_stmt_bind_param(stmt, s->binds) ||
        mysql_stmt_execute(stmt))
        return stmt_fail(s, stmt, "write", err);
    *affected += mysql_stmt_affected_rows(stmt);
    return SL_OK;
}

/* The live rows of rs into table ti by bulk binding, in chunks below max_stmt bytes; *live and
 * *affected count the rows sent and the rows the server says it changed. */
static sl_status bulk_rows(mysql_sink *s, size_t ti, const sl_table *t, const sl_rowset *rs,
                           uint64_t *live, uint64_t *affected, sl_error *err)
{
    MYSQL_STMT *stmt = NULL;
    size_t stride = rs->n_rows, nc = rs->n_cols;
    if (stride == 0)
        return SL_OK;
    sl_status st = prepared(s, ti, t, &stmt, err);
    if (st == SL_OK)
        st = bulk_reserve(s, stride * nc, err);
    size_t r = 0;
    while (st == SL_OK && r < rs->n_rows) {
        size_t n = 0, bytes = 0;
        for (; r < rs->n_rows; r++) {
            if (rs->dead && rs->dead[r])
                continue;
            const sl_cell *cells = rs->cells + r * nc;
            size_t rb = 4 * nc;
            for (size_t c = 0; c < nc; c++)
                rb += cells[c].len > 0 ? (size_t)cells[c].len : 0;
            if (n && bytes + rb > s->max_stmt)
                break;
            for (size_t c = 0; c < nc; c++) {
                size_t i = c * stride + n;
                s->ptrs[i] = rs->text + cells[c].off;
                s->lens[i] = cells[c].len < 0 ? 0 : (unsigned long)cells[c].len;
                s->inds[i] = cells[c].len < 0 ? STMT_INDICATOR_NULL : STMT_INDICATOR_NONE;
            }
            n++;
            bytes += rb;
        }
        *live += n;
        if (n)
            st = bulk_exec(s, stmt, nc, stride, (unsigned int)n, affected, err);
    }
    return st;
}

/* The parent rows by bulk binding. *fresh: every one was new to the table (REPLACE counts a
 * replaced row twice, a new one once), so none can have child rows to delete yet. */
static sl_status bulk_parents(mysql_sink *s, const sl_batch *batch, bool *fresh, sl_error *err)
{
    const sl_plan *plan = s->base.plan;
    uint64_t live = 0, affected = 0;
    sl_status st = bulk_rows(s, 0, &plan->table, sl_batch_parent((sl_batch *)batch), &live,
                             &affected, err);
    *fresh = st == SL_OK && plan->target.write == SL_WRITE_REPLACE && affected == live;
    return st;
}

static sl_status bulk_children(mysql_sink *s, const sl_batch *batch, sl_error *err)
{
    const sl_plan *plan = s->base.plan;
    sl_batch *b = (sl_batch *)batch; /* only read; the accessors take a non-const handle */
    sl_status st = SL_OK;
    uint64_t live = 0, affected = 0;
    for (size_t i = 0; st == SL_OK && i < plan->n_children; i++)
        st = bulk_rows(s, 1 + i, &plan->children[i], sl_batch_child(b, i), &live, &affected, err);
    return st;
}

/* Inside a transaction: the statements of sql.c (all of them), or in bulk mode the parent
 * rows by bulk binding, the child DELETEs (left out when every parent was new), rejects and
 * state, then the child rows; in load_data mode the statements but the rows, then LOAD DATA;
 * last the run record's counts, so they are committed with the rows they count. */
sl_status sl_my_write_body(mysql_sink *s, const sl_batch *batch, const char *job,
                           const int64_t *watermark, sl_error *err)
{
    const write_args args = {batch, job, watermark}, *a = &args;
    const sl_target_plan *t = &s->base.plan->target;
    bool bulk = t->load == SL_LOAD_BULK && s->bulk_ok, load = t->load == SL_LOAD_DATA;
    if (load && t->write == SL_WRITE_UPSERT) /* compile.c rejects the combination */
        return sl_error_set(err, SL_ERR_CONFIG, "'load: load_data' cannot upsert");
    bool fresh = false;
    sl_status st = SL_OK;
    /* Bulk: parents first, so a batch of new parents (a first load) skips the child DELETEs. */
    if (st == SL_OK && bulk)
        st = bulk_parents(s, a->batch, &fresh, err);
    int flags = (bulk || load ? SL_SQL_SKIP_ROWS : 0) | (fresh ? SL_SQL_SKIP_DELETES : 0);
    if (st == SL_OK)
        st = sl_sql_batch(s->base.plan, a->batch, a->job, a->watermark, s->max_stmt, flags,
                          exec_stmt, s, err);
    if (st == SL_OK && bulk)
        st = bulk_children(s, a->batch, err);
    if (st == SL_OK && load)
        st = sl_my_load_all(s, a->batch, err);
    if (st == SL_OK)
        st = sl_my_run_count(s, a->batch, err);
    return st;
}

/* One attempt: the batch in its transaction, then COMMIT. */
static sl_status write_once(mysql_sink *s, void *arg, sl_error *err)
{
    const write_args *a = arg;
    sl_status st = exec_str(s, "START TRANSACTION", "write", err);
    if (st == SL_OK)
        st = sl_my_write_body(s, a->batch, a->job, a->watermark, err);
    if (st == SL_OK)
        st = exec_str(s, "COMMIT", "commit", err);
    return st;
}

sl_status sl_my_write(sl_sink *sink, const sl_batch *batch, const char *job,
                          const int64_t *watermark, sl_error *err)
{
    write_args a = {batch, job, watermark};
    return sl_my_retrying((mysql_sink *)sink, "write", write_once, &a, err);
}

