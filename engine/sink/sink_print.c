/* sink_print.c: the dry-run sink. It prints the DDL (as `migrate --dry-run` against an empty
 * database) and, for every write, the exact statements a run would send, built and escaped by
 * the same code as the sink of the DSN's scheme (its kind's ddl and batch_sql) and framed in
 * START TRANSACTION; ... COMMIT;. It touches no database.
 *
 * Abbreviation (docs/dry-run.md): a multi-row statement of more than 5 tuples prints its first
 * 3 tuples, a line "-- ... N more rows ...", and its last tuple; N = tuples - 4. Everything
 * else (heads, tails, values) is printed in full. */
#include <stdlib.h>

#include "sink_int.h"

#define PRINT_HEAD_TUPLES 3

typedef struct print_sink {
    sl_sink base;
    FILE *out;
    const sl_sink_kind *kind; /* whose statements are printed */
    sl_shadow *shadow;        /* a full refresh in progress: base.plan is its shadow plan */
    const sl_plan *live_plan;
} print_sink;

/* The output starts with the kind's preamble, so that it can be pasted into a client. */
static sl_status print_migrate(sl_sink *sink, bool dry_run, FILE *out, sl_error *err)
{
    if (!out)
        return SL_OK;
    print_sink *p = (print_sink *)sink;
    fputs(p->kind->preamble, out);
    return p->kind->ddl(sink->plan, out, err);
}

/* Prints bytes [from, to) of s. */
static void put_range(FILE *out, const char *s, size_t from, size_t to)
{
    fwrite(s + from, 1, to - from, out);
}

static sl_status print_stmt(void *ctx, const sl_sql_stmt *st, sl_error *err)
{
    FILE *out = ctx;
    if (st->n_tuples <= PRINT_HEAD_TUPLES + 2) {
        put_range(out, st->sql, 0, st->len);
        fputs(";\n", out);
        return SL_OK;
    }
    /* The tuples are lines: find the end of the first 3 and the start of the last. */
    size_t pos = st->head_len, body_end = st->len - st->tail_len;
    for (int i = 0; i < PRINT_HEAD_TUPLES; i++)
        while (pos < body_end && st->sql[pos++] != '\n')
            ;
    size_t last = body_end;
    while (last > pos && st->sql[last - 1] != '\n')
        last--;
    put_range(out, st->sql, 0, pos);
    fprintf(out, "-- ... %zu more rows ...\n", st->n_tuples - PRINT_HEAD_TUPLES - 1);
    put_range(out, st->sql, last, st->len);
    fputs(";\n", out);
    return SL_OK;
}

static sl_status print_write(sl_sink *sink, const sl_batch *batch, const char *job,
                             const int64_t *watermark, sl_error *err)
{
    print_sink *p = (print_sink *)sink;
    fputs("START TRANSACTION;\n", p->out);
    sl_status st = p->kind->batch_sql(sink->plan, batch, job, watermark, SL_SQL_STMT_MAX,
                                      print_stmt, p->out, err);
    fputs(st == SL_OK ? "COMMIT;\n\n" : "ROLLBACK;\n\n", p->out);
    return st;
}

static sl_status print_lock(sl_sink *sink, const char *job, sl_error *err)
{
    return SL_OK; /* a dry-run writes nothing, so it needs no lock */
}

static sl_status print_state_get(sl_sink *sink, const char *job, int64_t *watermark, bool *found,
                                 sl_error *err)
{
    *found = false; /* as against an empty database */
    return SL_OK;
}

static sl_status print_state_set(sl_sink *sink, const char *job, const int64_t *watermark,
                                 sl_error *err)
{
    return SL_OK;
}

static sl_status print_run_begin(sl_sink *sink, const char *job, const int64_t *from,
                                 sl_error *err)
{
    return SL_OK;
}

static sl_status print_run_end(sl_sink *sink, sl_status status, const char *message,
                               const sl_run_stats *stats, const int64_t *to, sl_error *err)
{
    return SL_OK;
}

static sl_status print_count_keys(sl_sink *sink, const sl_table *table, int column,
                                  const char *from, const char *to, int64_t *count,
                                  sl_error *err)
{
    return sl_error_set(err, SL_ERR_INTERNAL, "the printing sink cannot count rows");
}

static int64_t print_db_retries(const sl_sink *sink)
{
    return 0; /* no database, nothing to retry */
}

/* A full refresh prints its statements as a run sends them (DDL: each commits on its own). */
static sl_status print_refresh(sl_sink *sink, sl_refresh_step step, sl_error *err)
{
    print_sink *p = (print_sink *)sink;
    static const char *const what[] = {
        "-- full refresh: the rows go to shadow tables, the live tables stay as they are\n",
        ("-- full refresh: the guard compares the rows read with the table's (a dry-run cannot "
         "count them), then swaps the shadows in at once\n"),
        "-- full refresh: refused or failed, the shadows are dropped\n"};
    if (step == SL_REFRESH_BEGIN && !p->shadow) {
        p->live_plan = sink->plan;
        if (!(p->shadow = sl_shadow_new(p->live_plan)))
            return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    }
    if (!p->shadow)
        return SL_OK;
    fputs(what[step], p->out);
    sl_status st = p->kind->refresh_sql(p->shadow, step, print_stmt, p->out, err);
    fputc('\n', p->out);
    if (step == SL_REFRESH_BEGIN) {
        sink->plan = sl_shadow_plan(p->shadow);
        return st;
    }
    sink->plan = p->live_plan;
    sl_shadow_free(p->shadow);
    p->shadow = NULL;
    return st;
}

static sl_status print_refresh_count(sl_sink *sink, int64_t *live, int64_t *read,
                                     sl_error *err)
{
    *live = *read = -1; /* no database to count in */
    return SL_OK;
}

static void print_free(sl_sink *sink)
{
    sl_shadow_free(((print_sink *)sink)->shadow);
    free(sink);
}

static const sl_sink_ops print_ops = {
    print_migrate, print_write,     print_lock,       print_state_get,  print_state_set,
    print_run_begin, print_run_end, print_count_keys, print_db_retries, print_free,
    print_refresh,   print_refresh_count,
    NULL, NULL, /* no rejects to review */
    NULL,       /* no table to count */
};

sl_sink *sl_sink_print_new(const sl_plan *plan, FILE *out)
{
    print_sink *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->base.ops = &print_ops;
    p->base.plan = plan;
    p->out = out;
    p->kind = sl_sink_kind_of(plan);
    return &p->base;
}
