/* my_conn.h: the MySQL sink's state and its connection (my_conn.c), the layer every other
 * file of engine/sink/mysql/ stands on: my_load.c, my_runs.c, my_migrate.c above it, then
 * my_write.c, my_state.c, and sink_mysql.c (the sink's operations) on top. Private to them. */
#ifndef SLUICE_MY_CONN_H
#define SLUICE_MY_CONN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <mysql.h>

#include "dsn.h"
#include "sink_int.h"
#include "sql.h"

typedef struct mysql_sink {
    sl_sink base;
    MYSQL *db;            /* NULL while disconnected */
    unsigned long conn_id; /* server thread id of db */
    sl_dsn dsn;
    char where[320];      /* "user@host:port/db": for messages, no password */
    sl_ddl *ddl;
    size_t max_stmt;
    char *lock_job;       /* job whose run lock this sink holds, or NULL */
    int64_t run_id;       /* the run record begun last, or 0 */
    unsigned last_errno;  /* server/client error number of the last failed statement */
    int64_t retries;      /* attempts replayed after a transient database error */
    sl_sqlbuf q;          /* scratch for small statements */
    bool bulk_ok;         /* the server supports bulk binding (MariaDB >= 10.2); else multi-row */
    MYSQL_STMT **prepared; /* bulk: per table (parent, then children); NULL until first use */
    bool prepared_upsert;  /* the write mode the parent's statement was prepared for */
    size_t n_tables;
    MYSQL_BIND *binds;    /* bulk scratch: column-wise arrays of cap_cells cells */
    char **ptrs;
    unsigned long *lens;
    char *inds;
    size_t cap_cells;
    sl_sqlbuf tsv;        /* load_data: the rows of the LOAD DATA in flight, as TSV */
    size_t tsv_pos;       /* how much of tsv the server has read */
    bool tsv_armed;       /* a LOAD DATA of tsv is in flight: the next file request gets it */
    sl_shadow *shadow;    /* a full refresh in progress: base.plan is its shadow plan */
    const sl_plan *live_plan; /* the job's own plan while base.plan is a shadow plan */
} mysql_sink;

/* Records the connection's last error (number in s->last_errno) as the failure of `what`. */
sl_status sl_my_fail(mysql_sink *s, const char *what, sl_error *err);
/* Runs one statement that returns no rows. */
sl_status sl_my_exec(mysql_sink *s, const char *sql, size_t len, const char *what, sl_error *err);
/* Runs a query answering one row of one integer column; *isnull when NULL or no row. */
sl_status sl_my_query_int(mysql_sink *s, const char *sql, size_t len, const char *what,
                          int64_t *out, bool *isnull, sl_error *err);

/* One attempt of an operation, on a connected sink. */
typedef sl_status (*sl_my_attempt)(mysql_sink *s, void *arg, sl_error *err);
/* Runs fn until it succeeds, fails for good, or the retry budget is spent (see sink.h). */
sl_status sl_my_retrying(mysql_sink *s, const char *what, sl_my_attempt fn, void *arg,
                         sl_error *err);
/* Connects now if the sink is disconnected (re-taking its run lock). */
sl_status sl_my_ensure(mysql_sink *s, sl_error *err);
/* Connects (within the retry budget), after initialising the client library once. */
sl_status sl_my_connect(mysql_sink *s, sl_error *err);
/* Takes the run lock of job (no wait, within the retry budget) and keeps it across reconnects;
 * SL_ERR_LOCKED when another connection holds it. */
sl_status sl_my_lock(mysql_sink *s, const char *job, sl_error *err);
/* Closes the connection (prepared statements first); the sink stays usable (it reconnects). */
void sl_my_disconnect(mysql_sink *s);

#endif
