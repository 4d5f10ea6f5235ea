/* sink_mysql_int.h: the MySQL sink's state and the helpers its files share (sink_mysql.c:
 * connection, retries, lock, writes; sink_load.c: the LOAD DATA path; sink_migrate.c: migrate;
 * state.c: state, run records, verify counts). Private to those files. */
#ifndef SLUICE_SINK_MYSQL_INT_H
#define SLUICE_SINK_MYSQL_INT_H

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
/* Inside a batch's transaction: adds its rows and rejects to this run's record (state.c), so a
 * run killed later still shows what it committed. No-op without a run record. */
sl_status sl_my_run_count(mysql_sink *s, const sl_batch *batch, sl_error *err);
/* Connects now if the sink is disconnected (re-taking its run lock). */
sl_status sl_my_ensure(mysql_sink *s, sl_error *err);

/* Sets up a new connection (before connecting) for plan->target.load: LOCAL INFILE allowed,
 * with callbacks that serve only sluice's own buffer, in load_data mode; refused otherwise. */
void sl_my_load_setup(mysql_sink *s);
/* Empties the TSV buffer with its cap; call once at open (my_free frees s->tsv). */
void sl_my_load_init(mysql_sink *s);
/* The batch's live parent and child rows by LOAD DATA LOCAL INFILE, in the open transaction.
 * SL_ERR_SINK when the server refuses LOCAL INFILE or reports any warning. */
sl_status sl_my_load_all(mysql_sink *s, const sl_batch *batch, sl_error *err);

/* The sink operations implemented outside sink_mysql.c (sink_int.h's vtable). */
sl_status sl_my_write(sl_sink *sink, const sl_batch *batch, const char *job,
                      const int64_t *watermark, sl_error *err);
sl_status sl_my_migrate(sl_sink *sink, bool dry_run, FILE *out, sl_error *err);
sl_status sl_my_state_get(sl_sink *sink, const char *job, int64_t *watermark, bool *found,
                          sl_error *err);
sl_status sl_my_state_set(sl_sink *sink, const char *job, const int64_t *watermark,
                          sl_error *err);
sl_status sl_my_run_begin(sl_sink *sink, const char *job, const int64_t *from, sl_error *err);
sl_status sl_my_run_end(sl_sink *sink, sl_status status, const char *message,
                        const sl_run_stats *stats, const int64_t *to, sl_error *err);
sl_status sl_my_count_keys(sl_sink *sink, const sl_table *table, int column, const char *from,
                           const char *to, int64_t *count, sl_error *err);

#endif
