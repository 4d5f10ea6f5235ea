/* my_state.c: the MySQL sink's job state (my_state.h): the watermark in the state table and
 * the key counts of `sluice verify`. Every operation goes through the retry loop (my_conn.c). */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "my_conn.h"
#include "my_state.h"
#include "my_write.h"

typedef struct state_args {
    const char *job;
    int64_t *watermark;
    bool *found;
} state_args;

/* Appends "<prefix>`table` WHERE `job`='<job>'" (and "AND `account`='<account>'" for the plan
 * of an account) to s->q (emptied first). */
static sl_status by_job(mysql_sink *s, const char *prefix, const char *table, const char *job,
                        sl_error *err)
{
    const char *account = s->base.plan->account;
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, prefix);
    rc |= sl_sqlbuf_ident(&s->q, table);
    rc |= sl_sqlbuf_str(&s->q, " WHERE `job`=");
    rc |= sl_sqlbuf_value(&s->q, job, (int32_t)strlen(job));
    if (account) {
        rc |= sl_sqlbuf_str(&s->q, " AND `account`=");
        rc |= sl_sqlbuf_value(&s->q, account, (int32_t)strlen(account));
    }
    return rc ? sl_error_set(err, SL_ERR_INTERNAL, "out of memory") : SL_OK;
}

static sl_status state_get_once(mysql_sink *s, void *arg, sl_error *err)
{
    state_args *a = arg;
    bool isnull = true;
    sl_status st = by_job(s, "SELECT `watermark` FROM ", s->base.plan->target.state_table, a->job,
                          err);
    if (st == SL_OK)
        st = sl_my_query_int(s, s->q.data, s->q.len, "read state", a->watermark, &isnull, err);
    *a->found = st == SL_OK && !isnull;
    return st;
}

sl_status sl_my_state_get(sl_sink *sink, const char *job, int64_t *watermark, bool *found,
                              sl_error *err)
{
    state_args a = {job, watermark, found};
    return sl_my_retrying((mysql_sink *)sink, "read state", state_get_once, &a, err);
}

static sl_status state_delete_once(mysql_sink *s, void *arg, sl_error *err)
{
    sl_status st = by_job(s, "DELETE FROM ", s->base.plan->target.state_table, arg, err);
    return st == SL_OK ? sl_my_exec(s, s->q.data, s->q.len, "reset state", err) : st;
}

sl_status sl_my_state_set(sl_sink *sink, const char *job, const int64_t *watermark,
                              sl_error *err)
{
    if (!watermark)
        return sl_my_retrying((mysql_sink *)sink, "reset state", state_delete_once, (void *)job, err);
    /* An empty batch with a watermark is exactly the state upsert, in its own transaction. */
    sl_batch *empty = sl_batch_new(sink->plan);
    if (!empty)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    sl_status st = sl_my_write(sink, empty, job, watermark, err);
    sl_batch_free(empty);
    return st;
}

/* ---- verify ---- */

typedef struct count_args {
    const sl_table *table;
    int column;
    const char *from, *to;
    int64_t *count;
} count_args;

static sl_status count_once(mysql_sink *s, void *arg, sl_error *err)
{
    const count_args *a = arg;
    const sl_table *t = a->table;
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, "SELECT COUNT(DISTINCT ");
    for (size_t k = 0; k < t->n_key; k++) {
        if (k)
            rc |= sl_sqlbuf_add(&s->q, ",", 1);
        rc |= sl_sqlbuf_ident(&s->q, t->cols[t->key[k]].name);
    }
    rc |= sl_sqlbuf_str(&s->q, ") FROM ");
    rc |= sl_sqlbuf_ident(&s->q, t->name);
    rc |= sl_sqlbuf_str(&s->q, " WHERE ");
    rc |= sl_sqlbuf_ident(&s->q, t->cols[a->column].name);
    rc |= sl_sqlbuf_str(&s->q, " BETWEEN ");
    rc |= sl_sqlbuf_value(&s->q, a->from, (int32_t)strlen(a->from));
    rc |= sl_sqlbuf_str(&s->q, " AND ");
    rc |= sl_sqlbuf_value(&s->q, a->to, (int32_t)strlen(a->to));
    const sl_plan *plan = s->base.plan;
    if (plan->account) { /* one account's rows */
        rc |= sl_sqlbuf_str(&s->q, " AND ");
        rc |= sl_sqlbuf_ident(&s->q, plan->account_column);
        rc |= sl_sqlbuf_add(&s->q, "=", 1);
        rc |= sl_sqlbuf_value(&s->q, plan->account, (int32_t)strlen(plan->account));
    }
    if (rc)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    bool isnull;
    return sl_my_query_int(s, s->q.data, s->q.len, "count keys", a->count, &isnull, err);
}

sl_status sl_my_count_keys(sl_sink *sink, const sl_table *table, int column, const char *from,
                               const char *to, int64_t *count, sl_error *err)
{
    if (column < 0 || (size_t)column >= table->n_cols || table->n_key == 0)
        return sl_error_set(err, SL_ERR_INTERNAL, "count keys: bad column %d of %s", column,
                            table->name);
    count_args a = {table, column, from, to, count};
    return sl_my_retrying((mysql_sink *)sink, "count keys", count_once, &a, err);
}

