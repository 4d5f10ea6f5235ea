/* sink_mysql.c: the MySQL/MariaDB sink (sink.h) on MariaDB Connector/C. It owns one
 * connection for the whole run: the run lock (GET_LOCK) lives on it, every batch is one
 * transaction on it, and when it breaks the sink reconnects, re-takes the lock and replays the
 * batch, which is safe because every write is idempotent (REPLACE / upsert / DELETE+REPLACE of
 * child rows / upsert of the state row). SQL text comes from sql.c; values are escaped there.
 * Migrate lives in sink_migrate.c; state, run records and verify counts in state.c. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "batch.h"
#include "md5.h"
#include "sink_mysql_int.h"
#include "stop.h"
#include "text.h"

#define CONNECT_TIMEOUT_S 10
#define IO_TIMEOUT_S 600
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
#define RELOCK_WAIT_S 5

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}


/* Errors after which the batch is replayed: the connection broke or the server is restarting
 * (reconnect first), or the transaction lost a lock conflict (just roll back). */
static bool is_transient(unsigned e)
{
    switch (e) {
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_SERVER_LOST_EXTENDED:
    case ER_SERVER_SHUTDOWN:
    case ER_CONNECTION_KILLED:
    case ER_LOCK_DEADLOCK:
    case ER_LOCK_WAIT_TIMEOUT:
    case ER_CON_COUNT_ERROR:
        return true;
    default:
        return false;
    }
}

static bool is_lock_conflict(unsigned e)
{
    return e == ER_LOCK_DEADLOCK || e == ER_LOCK_WAIT_TIMEOUT;
}

/* Records the connection's last error as the failure of `what`. */
sl_status sl_my_fail(mysql_sink *s, const char *what, sl_error *err)
{
    s->last_errno = s->db ? mysql_errno(s->db) : CR_SERVER_GONE_ERROR;
    return sl_error_set(err, SL_ERR_SINK, "%s on %s: error %u: %s%s", what, s->where,
                        s->last_errno, s->db ? mysql_error(s->db) : "not connected",
                        s->last_errno == ER_NO_SUCH_TABLE ? " (run `sluice migrate` first)" : "");
}

/* Runs one statement that returns no rows. */
sl_status sl_my_exec(mysql_sink *s, const char *sql, size_t len, const char *what, sl_error *err)
{
    if (mysql_real_query(s->db, sql, (unsigned long)len) != 0)
        return sl_my_fail(s, what, err);
    MYSQL_RES *res = mysql_store_result(s->db); /* statements here return none; be safe */
    if (res)
        mysql_free_result(res);
    return SL_OK;
}

static sl_status exec_str(mysql_sink *s, const char *sql, const char *what, sl_error *err)
{
    return sl_my_exec(s, sql, strlen(sql), what, err);
}

/* Runs a query whose answer is one row of one column; *isnull when it is NULL (or no row). */
sl_status sl_my_query_int(mysql_sink *s, const char *sql, size_t len, const char *what,
                           int64_t *out, bool *isnull, sl_error *err)
{
    if (mysql_real_query(s->db, sql, (unsigned long)len) != 0)
        return sl_my_fail(s, what, err);
    MYSQL_RES *res = mysql_store_result(s->db);
    if (!res)
        return sl_my_fail(s, what, err);
    MYSQL_ROW row = mysql_fetch_row(res);
    *isnull = !row || !row[0];
    *out = *isnull ? 0 : strtoll(row[0], NULL, 10);
    mysql_free_result(res);
    return SL_OK;
}

static void disconnect(mysql_sink *s)
{
    for (size_t i = 0; s->prepared && i < s->n_tables; i++) {
        if (s->prepared[i])
            mysql_stmt_close(s->prepared[i]);
        s->prepared[i] = NULL;
    }
    if (s->db)
        mysql_close(s->db);
    s->db = NULL;
}

/* The session every connection gets: strict, UTC, backslash escapes on (sql.c relies on it). */
static const char *const session_sql[] = {
    "SET SESSION sql_mode='STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,"
    "ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', time_zone='+00:00', autocommit=1",
    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED",
};

/* One connection attempt; on failure s->last_errno says whether to try again. */
static sl_status connect_once(mysql_sink *s, sl_error *err)
{
    disconnect(s);
    s->db = mysql_init(NULL);
    if (!s->db)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory (mysql_init)");
    unsigned int timeout = CONNECT_TIMEOUT_S, io = IO_TIMEOUT_S;
    my_bool off = 0;
    mysql_options(s->db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(s->db, MYSQL_OPT_READ_TIMEOUT, &io);
    mysql_options(s->db, MYSQL_OPT_WRITE_TIMEOUT, &io);
    mysql_options(s->db, MYSQL_OPT_RECONNECT, &off);
    mysql_options(s->db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    sl_my_load_setup(s);
    const sl_dsn *d = &s->dsn;
    if (!mysql_real_connect(s->db, d->socket ? "localhost" : d->host, d->user, d->password,
                            d->database, d->port, d->socket, 0)) {
        sl_status st = sl_my_fail(s, "connect", err);
        disconnect(s);
        return st;
    }
    s->conn_id = mysql_thread_id(s->db);
    sl_status st = SL_OK;
    for (size_t i = 0; st == SL_OK && i < sizeof session_sql / sizeof session_sql[0]; i++)
        st = exec_str(s, session_sql[i], "session setup", err);
    int64_t packet = 0;
    bool isnull = true;
    if (st == SL_OK)
        st = sl_my_query_int(s, "SELECT @@max_allowed_packet", 27, "session setup", &packet, &isnull, err);
    if (st != SL_OK) {
        disconnect(s);
        return st;
    }
    unsigned long caps = 0, ext = 0;
    mariadb_get_infov(s->db, MARIADB_CONNECTION_SERVER_CAPABILITIES, &caps);
    mariadb_get_infov(s->db, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &ext);
    s->bulk_ok = !(caps & CLIENT_MYSQL) && (ext & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32));
    s->max_stmt = SL_SQL_STMT_MAX;
    if (!isnull && packet > 65536 && (size_t)packet - 4096 < s->max_stmt)
        s->max_stmt = (size_t)packet - 4096;
    return SL_OK;
}

/* The run lock's name: per database and job, so the same job name in two databases of one
 * server does not collide; MySQL caps lock names at 64 characters, so long ones are hashed. */
static int lock_name(const mysql_sink *s, const char *job, char name[72])
{
    char full[300];
    int n = snprintf(full, sizeof full, "sluice.%s.%s", s->dsn.database ? s->dsn.database : "", job);
    if (n > 0 && n <= 64) {
        memcpy(name, full, (size_t)n + 1);
        return n;
    }
    char hex[33];
    sl_md5_hex(full, strlen(full), false, hex);
    return snprintf(name, 72, "sluice.%.*s.%s", (int)sl_text_cut_len(job, strlen(job), 24), job, hex);
}

/* Builds "SELECT <fn>('sluice.<database>.<job>'[, wait])" in s->q. */
static sl_status lock_query(mysql_sink *s, const char *fn, const char *job, int wait, sl_error *err)
{
    char name[72];
    int n = lock_name(s, job, name);
    char tail[32];
    snprintf(tail, sizeof tail, wait >= 0 ? ", %d)" : ")", wait);
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, "SELECT ");
    rc |= sl_sqlbuf_str(&s->q, fn);
    rc |= sl_sqlbuf_add(&s->q, "(", 1);
    rc |= sl_sqlbuf_value(&s->q, name, n);
    rc |= sl_sqlbuf_str(&s->q, tail);
    return rc ? sl_error_set(err, SL_ERR_INTERNAL, "out of memory") : SL_OK;
}

/* GET_LOCK with `wait` seconds; SL_ERR_LOCKED naming the holder when it is taken. If the
 * holder is `stale` (our own previous connection, not yet reaped) it is killed first. */
static sl_status take_lock(mysql_sink *s, const char *job, int wait, unsigned long stale,
                           sl_error *err)
{
    int64_t got = 0, holder = 0;
    bool isnull = true;
    sl_status st = lock_query(s, "IS_USED_LOCK", job, -1, err);
    if (st == SL_OK)
        st = sl_my_query_int(s, s->q.data, s->q.len, "run lock", &holder, &isnull, err);
    if (st == SL_OK && !isnull && stale && (unsigned long)holder == stale) {
        char kill[64];
        snprintf(kill, sizeof kill, "KILL CONNECTION %lu", stale);
        (void)mysql_query(s->db, kill); /* best effort: it may be gone already */
    }
    if (st == SL_OK)
        st = lock_query(s, "GET_LOCK", job, wait, err);
    if (st == SL_OK)
        st = sl_my_query_int(s, s->q.data, s->q.len, "run lock", &got, &isnull, err);
    if (st != SL_OK || got == 1)
        return st;
    st = lock_query(s, "IS_USED_LOCK", job, -1, err);
    if (st == SL_OK)
        st = sl_my_query_int(s, s->q.data, s->q.len, "run lock", &holder, &isnull, err);
    if (st != SL_OK)
        return st;
    s->last_errno = 0;
    return sl_error_set(err, SL_ERR_LOCKED,
                        "another run of job '%s' is in progress (lock held by connection %lld)",
                        job, (long long)holder);
}

/* Connects, and re-takes the run lock when the sink held one. */
static sl_status reconnect(mysql_sink *s, sl_error *err)
{
    unsigned long old = s->conn_id;
    sl_status st = connect_once(s, err);
    if (st == SL_OK && s->lock_job) {
        st = take_lock(s, s->lock_job, RELOCK_WAIT_S, old, err);
        if (st != SL_OK)
            disconnect(s);
    }
    return st;
}

sl_status sl_my_ensure(mysql_sink *s, sl_error *err)
{
    return s->db ? SL_OK : reconnect(s, err);
}

static sl_status interrupted(const char *what, const char *why, sl_error *err)
{
    return sl_error_set(err, SL_ERR_INTERRUPTED,
                        "interrupted while %s waited for the database (%s); the watermark is "
                        "consistent", what, why);
}

/* Runs fn until it succeeds, fails for good, or the retry budget is spent. A failed attempt
 * rolls back (lock conflicts) or drops the connection (everything else transient); the next
 * attempt reconnects first. Once a stop is requested (stop.h) nothing waits and nothing
 * connects: an attempt on a live connection still runs (so the run's end is recorded), a
 * failed one is not retried. */
sl_status sl_my_retrying(mysql_sink *s, const char *what, sl_my_attempt fn, void *arg,
                          sl_error *err)
{
    int64_t budget = s->base.plan->target.db_retry_budget_ms;
    int64_t deadline = now_ms() + (budget > 0 ? budget : 0), backoff = BACKOFF_MIN_MS;
    for (;;) {
        sl_error attempt = {SL_OK, ""};
        s->last_errno = 0;
        if (!s->db && sl_stop_requested())
            return interrupted(what, "not connected", err);
        sl_status st = s->db ? SL_OK : reconnect(s, &attempt);
        if (st == SL_OK)
            st = fn(s, arg, &attempt);
        if (st == SL_OK)
            return SL_OK;
        if (!is_transient(s->last_errno)) {
            if (s->db)
                (void)mysql_query(s->db, "ROLLBACK");
            return sl_error_set(err, attempt.code, "%s", attempt.msg);
        }
        if (s->db && is_lock_conflict(s->last_errno))
            (void)mysql_query(s->db, "ROLLBACK");
        else
            disconnect(s);
        if (sl_stop_requested())
            return interrupted(what, attempt.msg, err);
        int64_t left = deadline - now_ms();
        if (left <= 0)
            return sl_error_set(err, SL_ERR_SINK, "%s: gave up after the database retry budget"
                                " (%lld ms): %s", what, (long long)budget, attempt.msg);
        s->retries++;
        /* Say so: a run waiting out a database outage must not look hung. No password here. */
        fprintf(stderr, "sluice: database: %s failed (%s); retrying in %lld ms\n", what,
                attempt.msg, (long long)(backoff < left ? backoff : left));
        if (sl_stop_sleep_ms(backoff < left ? backoff : left))
            return interrupted(what, attempt.msg, err);
        backoff = backoff * 2 < BACKOFF_MAX_MS ? backoff * 2 : BACKOFF_MAX_MS;
    }
}

/* ---- writes ---- */

typedef struct write_args {
    const sl_batch *batch;
    const char *job;
    const int64_t *watermark;
} write_args;

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

/* One attempt, then COMMIT: the statements of sql.c (all of them), or in bulk mode the parent
 * rows by bulk binding, the child DELETEs (left out when every parent was new), rejects and
 * state, then the child rows; in load_data mode the statements but the rows, then LOAD DATA;
 * last the run record's counts, so they are committed with the rows they count. */
static sl_status write_once(mysql_sink *s, void *arg, sl_error *err)
{
    const write_args *a = arg;
    const sl_target_plan *t = &s->base.plan->target;
    bool bulk = t->load == SL_LOAD_BULK && s->bulk_ok, load = t->load == SL_LOAD_DATA;
    if (load && t->write == SL_WRITE_UPSERT) /* compile.c rejects the combination */
        return sl_error_set(err, SL_ERR_CONFIG, "'load: load_data' cannot upsert");
    bool fresh = false;
    sl_status st = exec_str(s, "START TRANSACTION", "write", err);
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

/* ---- lock ---- */

static sl_status lock_once(mysql_sink *s, void *arg, sl_error *err)
{
    return take_lock(s, arg, 0, 0, err);
}

static sl_status my_lock(sl_sink *sink, const char *job, sl_error *err)
{
    mysql_sink *s = (mysql_sink *)sink;
    if (strlen(job) > 57) /* MariaDB lock names hold at most 64 characters */
        return sl_error_set(err, SL_ERR_CONFIG, "job name '%s' is too long for a run lock", job);
    sl_status st = sl_my_retrying(s, "run lock", lock_once, (void *)job, err);
    if (st == SL_OK) {
        free(s->lock_job);
        s->lock_job = strdup(job);
        if (!s->lock_job)
            st = sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    }
    return st;
}

/* ---- open / free ---- */

static void my_free(sl_sink *sink)
{
    mysql_sink *s = (mysql_sink *)sink;
    disconnect(s);
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
    free(s);
}

static const sl_sink_ops mysql_ops = {
    sl_my_migrate, sl_my_write,   my_lock,       sl_my_state_get, sl_my_state_set,
    sl_my_run_begin, sl_my_run_end, sl_my_count_keys, my_free,
};

static sl_status connected(mysql_sink *s, void *arg, sl_error *err)
{
    return SL_OK; /* sl_my_retrying() connects before calling this */
}

/* The client library must be initialised once, before threads use it concurrently. */
static pthread_once_t library_once = PTHREAD_ONCE_INIT;
static void library_init(void)
{
    mysql_library_init(0, NULL, NULL);
}

sl_sink *sl_sink_mysql_open(const sl_plan *plan, sl_error *err)
{
    pthread_once(&library_once, library_init);
    mysql_sink *s = calloc(1, sizeof *s);
    if (!s) {
        sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
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
        free(s->prepared);
        free(s->binds);
        free(s);
        sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    sl_status st = sl_dsn_parse(plan->target.dsn, &s->dsn, err);
    if (st == SL_OK) {
        sl_dsn_describe(&s->dsn, s->where, sizeof s->where);
        s->ddl = sl_ddl_new(plan, err);
        st = s->ddl ? sl_my_retrying(s, "connect", connected, NULL, err) : SL_ERR_CONFIG;
    }
    if (st != SL_OK) {
        my_free(&s->base);
        return NULL;
    }
    return &s->base;
}

int64_t sl_sink_db_retries(const sl_sink *sink)
{
    return sink && sink->ops == &mysql_ops ? ((const mysql_sink *)sink)->retries : 0;
}
