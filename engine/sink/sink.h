/* sink.h: where batches go. sl_sink_open picks the sink by the scheme of target.dsn
 * (sinks.def; today mysql:// only: mysql/sink_mysql.c), which migrates, writes each batch with
 * its child rows, rejects and watermark in one transaction, keeps the run lock and the state,
 * and survives database faults by reconnecting and replaying the batch. The printing sink
 * (sink_print.c) for dry-runs prints the DDL and the exact SQL that sink would send and touches
 * no database. One sink is used by one thread at a time. Every function returns an sl_status
 * (SL_OK or the failure, also in err). */
#ifndef SLUICE_SINK_H
#define SLUICE_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "batch.h"
#include "error.h"
#include "plan.h"
#include "quality.h"

typedef struct sl_sink sl_sink;

/* Counters of one run, for the runs table (sluice_runs). */
typedef struct sl_run_stats {
    int64_t windows;
    int64_t pages;
    int64_t rows_written;
    int64_t rejects;
    int64_t retries;
    int64_t throttles;
    const sl_dq_count *quality; /* per rule of plan->quality (n_quality of them), or NULL */
    size_t n_quality;
} sl_run_stats;

/* Opens the sink of plan->target.dsn's scheme (sinks.def): an owned sink, or NULL with
 * SL_ERR_CONFIG ("target dsn: must start with mysql://" for an unknown scheme, or a bad DSN) or
 * the sink's failure to connect in err. */
sl_sink *sl_sink_open(const sl_plan *plan, sl_error *err);
/* The MySQL sink's open (sinks.def's mysql line; called directly by its tests and the bench).
 * Connects to plan->target.dsn (utf8mb4, strict mode, backslash escapes on, autocommit off;
 * no auto-reconnect: the sink reconnects itself so it can replay and re-take the lock).
 * Returns an owned sink, or NULL with SL_ERR_CONFIG (bad DSN) / SL_ERR_SINK (cannot connect
 * within the retry budget) in err; messages never carry the password. Rows travel as
 * plan->target.load says (read at connect and at each write): bulk array binding (multi-row
 * statements on servers without it), LOAD DATA LOCAL INFILE fed from memory (the only mode
 * that allows LOCAL INFILE on the connection), or multi-row statements (what a dry-run prints).
 * Deletes, rejects and the state row are always statements. */
sl_sink *sl_sink_mysql_open(const sl_plan *plan, sl_error *err);
/* How many times the MySQL sink replayed an operation after a transient database error
 * (lost connection, restart, deadlock, lock-wait timeout); 0 for other sinks. */
int64_t sl_sink_db_retries(const sl_sink *sink);
/* Returns an owned printing sink writing to out (borrowed), or NULL when out of memory. It
 * prints what the sink of plan's DSN scheme would send (the first of sinks.def when the DSN is
 * not read). */
sl_sink *sl_sink_print_new(const sl_plan *plan, FILE *out);
/* Closes the connection (releasing the run lock) and frees the sink; NULL is fine. */
void sl_sink_free(sl_sink *sink);

/* Prints the CREATE statements of every table of plan (job tables, then the engine's state,
 * runs and reject tables), exactly as `migrate --dry-run` prints them for an empty database,
 * in the dialect of plan's sink. Needs no connection. */
sl_status sl_sink_ddl(const sl_plan *plan, FILE *out, sl_error *err);

/* Brings the database in line with the plan: creates missing tables; for existing ones adds
 * missing columns (after their predecessor), renames `rename_from` columns (CHANGE COLUMN,
 * data kept) and prints a warning for a column whose type differs; never drops anything.
 * Prints each step to out ("-- migrate: ..." then the statement). dry_run: print, run
 * nothing. The printing sink behaves as against an empty database. */
sl_status sl_sink_migrate(sl_sink *sink, bool dry_run, FILE *out, sl_error *err);

/* Writes one batch in one transaction: the live parent rows (REPLACE, or upsert when
 * plan->target.write says so), per child table the DELETE of the batch's parents' child rows
 * and the insert of its live rows, the rejects, and when watermark != NULL the state row of
 * job. All or nothing. Lost connections, restarts, deadlocks and lock-wait timeouts are
 * retried (rollback, reconnect with backoff, re-take the run lock, replay) until
 * plan->target.db_retry_budget_ms is spent, then SL_ERR_SINK naming the error. */
sl_status sl_sink_write(sl_sink *sink, const sl_batch *batch, const char *job,
                        const int64_t *watermark, sl_error *err);

/* Takes the run lock of job (GET_LOCK 'sluice.<job>', no wait) on the sink's connection; it
 * lasts until the sink is freed and is re-taken after a reconnect. SL_ERR_LOCKED when another
 * connection holds it ("another run of job 'X' is in progress (lock held by connection N)"). */
sl_status sl_sink_lock(sl_sink *sink, const char *job, sl_error *err);

/* Reads job's watermark (epoch seconds, UTC): *found false when the job has no state yet. */
sl_status sl_sink_state_get(sl_sink *sink, const char *job, int64_t *watermark, bool *found,
                            sl_error *err);
/* Sets job's watermark (for `sluice state reset --to T`), committed at once. */
sl_status sl_sink_state_set(sl_sink *sink, const char *job, int64_t watermark, sl_error *err);
/* Deletes job's state, so the next run starts from the job's window.start. */
sl_status sl_sink_state_reset(sl_sink *sink, const char *job, sl_error *err);

/* Records the start of a run of job (status "running") and keeps its id in the sink. */
sl_status sl_sink_run_begin(sl_sink *sink, const char *job, const int64_t *watermark_from,
                            sl_error *err);
/* Completes the run record begun last: end time, status (sl_status_name(status)), message
 * (NULL for none; must carry no secret), counters and the final watermark (NULL: unknown),
 * and a row per quality rule in the quality table (sl_sql_quality_table). */
sl_status sl_sink_run_end(sl_sink *sink, sl_status status, const char *message,
                          const sl_run_stats *stats, const int64_t *watermark_to, sl_error *err);

/* The steps of a full refresh (plan->target.refresh.on; docs/sink.md, "Full refresh"). */
typedef enum sl_refresh_step {
    SL_REFRESH_BEGIN, /* drop what an interrupted refresh left, create the shadow tables like the
                       * live ones; every write then goes to the shadows */
    SL_REFRESH_SWAP,  /* rename the shadows to the live names in one statement, drop the old */
    SL_REFRESH_ABORT, /* drop the shadows, leaving the live tables as they were */
} sl_refresh_step;

/* Runs a step of a full refresh (retried on database faults as a write is). After SWAP or
 * ABORT (even a failed one) writes go to the live tables again. */
sl_status sl_sink_refresh(sl_sink *sink, sl_refresh_step step, sl_error *err);
/* Between BEGIN and SWAP: the rows of the live parent table and of its shadow; both -1 when
 * the sink cannot count them (the printing sink). */
sl_status sl_sink_refresh_count(sl_sink *sink, int64_t *live, int64_t *read, sl_error *err);

/* For `sluice verify`: *count = distinct primary keys of table whose column `column` (index
 * into table->cols) lies in [from, to] (SQL-ready text, compared by the server). */
sl_status sl_sink_count_keys(sl_sink *sink, const sl_table *table, int column, const char *from,
                             const char *to, int64_t *count, sl_error *err);

/* ---- the volume baseline (docs/volume.md) ---- */

/* Which rows sl_sink_volume_read counts: those of table whose time_column lies in
 * [from, to) (SQL-ready datetime text), by the hour or day of that column. */
typedef struct sl_volume_query {
    const sl_table *table;
    int time_column;
    int sum_column; /* also sums this column; -1: no sum */
    bool by_day;
    const char *from, *to;
} sl_volume_query;

/* One bucket: its start ("YYYY-MM-DD HH:00:00"), its rows and the sum ("" without a sum
 * column, or when every value was NULL), borrowed for the call; non-zero stops the reading. */
typedef int (*sl_volume_fn)(const char *bucket, int64_t rows, const char *sum, void *ctx);

/* Calls fn for every bucket holding rows, in no particular order (one query, retried on
 * database faults as a read). SL_ERR_CONFIG when the sink keeps no table (a dry-run). */
sl_status sl_sink_volume_read(sl_sink *sink, const sl_volume_query *q, sl_volume_fn fn,
                              void *ctx, sl_error *err);

/* ---- reject review (`sluice rejects`) ---- */

/* One stored reject; the strings are borrowed for the callback's duration. */
typedef struct sl_reject_row {
    int64_t id;
    const char *created_at; /* "YYYY-MM-DD HH:MM:SS" UTC */
    const char *key;        /* record_key, or NULL */
    const char *column;     /* column_name, or NULL */
    const char *reason;
    const char *raw;        /* the record as stored, or NULL */
    size_t raw_len;
} sl_reject_row;

/* Which rejects of a job to read: all, or those matching every given part. */
typedef struct sl_reject_filter {
    const int64_t *ids; /* these ids only (n_ids of them), or NULL */
    size_t n_ids;
    const char *rule;   /* reason starts "rule RULE:" */
    const char *reason; /* reason holds this text */
    int64_t after_id;   /* ids above this one, in id order */
    size_t limit;       /* at most this many (0: no limit) */
} sl_reject_filter;

/* What a replay of stored rejects decided for one of them that still fails. */
typedef struct sl_reject_kept {
    int64_t id;
    const char *column; /* or NULL */
    const char *reason; /* the new reason */
} sl_reject_kept;

/* Calls fn on each of job's stored rejects that f selects, in id order; fn returns 0 to go on.
 * SL_ERR_CONFIG for a sink that keeps no rejects (the printing sink). */
sl_status sl_sink_rejects_read(sl_sink *sink, const char *job, const sl_reject_filter *f,
                               int (*fn)(const sl_reject_row *row, void *ctx), void *ctx,
                               sl_error *err);
/* In one transaction: writes batch's rows as sl_sink_write does (its rejects and no
 * watermark), deletes the rejects whose ids are in done, and sets the reason and column of each
 * kept one; all or nothing (retried on faults like a batch). */
sl_status sl_sink_rejects_settle(sl_sink *sink, const sl_batch *batch, const char *job,
                                 const int64_t *done, size_t n_done, const sl_reject_kept *kept,
                                 size_t n_kept, sl_error *err);

#endif
