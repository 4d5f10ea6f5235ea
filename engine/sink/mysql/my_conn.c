/* my_conn.c: the MySQL sink's connection (my_conn.h): connect with the session every write
 * relies on, the run lock (GET_LOCK) that lives on the connection, and the retry loop that
 * reconnects, re-takes the lock and replays an operation after a transient error. The
 * connection's local-infile callbacks never open a file: whatever name the server asks for,
 * they serve the buffer of the LOAD DATA in flight (my_load.c), once, and refuse any other
 * request, so a hostile server cannot read the client's files. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "md5.h"
#include "my_conn.h"
#include "stop.h"
#include "text.h"

#define CONNECT_TIMEOUT_S 10
#define IO_TIMEOUT_S 600
#define BACKOFF_MIN_MS 100
#define BACKOFF_MAX_MS 5000
#define RELOCK_WAIT_S 5

/* ---- local-infile callbacks: serve s->tsv once per armed statement ---- */

static int infile_init(void **ptr, const char *filename, void *userdata)
{
    mysql_sink *s = userdata;
    (void)filename; /* never opened: the server does not choose what sluice sends */
    *ptr = s;
    if (!s->tsv_armed)
        return 1;
    s->tsv_armed = false;
    s->tsv_pos = 0;
    return 0;
}

static int infile_read(void *ptr, char *buf, unsigned int len)
{
    mysql_sink *s = ptr;
    size_t left = s->tsv.len - s->tsv_pos, n = len < left ? len : left;
    if (n)
        memcpy(buf, s->tsv.data + s->tsv_pos, n);
    s->tsv_pos += n;
    return (int)n;
}

static void infile_end(void *ptr)
{
    (void)ptr; /* the buffer belongs to the sink */
}

static int infile_error(void *ptr, char *buf, unsigned int len)
{
    (void)ptr;
    snprintf(buf, len, "sluice sends LOCAL INFILE data only for its own LOAD DATA");
    return CR_UNKNOWN_ERROR;
}

/* Sets up a new connection (before connecting) for plan->target.load: LOCAL INFILE allowed,
 * with the callbacks above, in load_data mode; refused otherwise. */
static void load_setup(mysql_sink *s)
{
    unsigned int on = s->base.plan->target.load == SL_LOAD_DATA;
    mysql_options(s->db, MYSQL_OPT_LOCAL_INFILE, &on);
    if (on)
        mysql_set_local_infile_handler(s->db, infile_init, infile_read, infile_end, infile_error,
                                       s);
}

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
    load_setup(s);
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

/* The run lock's name: per database and job (and account, for the plan of one: "job/account"),
 * so the same job name in two databases of one server does not collide; MySQL caps lock names
 * at 64 characters, so long ones are hashed. */
static int lock_name(const mysql_sink *s, const char *job, char name[72])
{
    char full[300];
    const char *account = s->base.plan->account;
    int n = snprintf(full, sizeof full, "sluice.%s.%s%s%s", s->dsn.database ? s->dsn.database : "",
                     job, account ? "/" : "", account ? account : "");
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
    const char *account = s->base.plan->account;
    return sl_error_set(err, SL_ERR_LOCKED,
                        "another run of job '%s'%s%s%s is in progress (lock held by connection "
                        "%lld)",
                        job, account ? " account '" : "", account ? account : "", account ? "'" : "",
                        (long long)holder);
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

/* ---- lock, connect, close ---- */

static sl_status lock_once(mysql_sink *s, void *arg, sl_error *err)
{
    return take_lock(s, arg, 0, 0, err);
}

sl_status sl_my_lock(mysql_sink *s, const char *job, sl_error *err)
{
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

sl_status sl_my_connect(mysql_sink *s, sl_error *err)
{
    pthread_once(&library_once, library_init);
    return sl_my_retrying(s, "connect", connected, NULL, err);
}

void sl_my_disconnect(mysql_sink *s)
{
    disconnect(s);
}
