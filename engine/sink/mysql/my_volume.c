/* my_volume.c: the volume baseline's one query (my_volume.h): the rows (and a column's sum)
 * of the parent table per hour or day of its time column, over a range of that column:
 *   SELECT DATE_FORMAT(`t`,'%Y-%m-%d %H:00:00'), COUNT(*), SUM(`s`) FROM `table`
 *   WHERE `t` >= 'from' AND `t` < 'to' [AND `account` = 'id'] GROUP BY 1
 * A job with accounts runs each account with its own plan: the sink's plan names the account,
 * whose rows alone are counted (the key starts with the account column, so the server reads
 * that account's rows only). The sum comes back as the server's exact decimal text, never through a double. */
#include <stdlib.h>
#include <string.h>

#include "my_volume.h"

typedef struct volume_args {
    const sl_volume_query *q;
    MYSQL_RES *res;
} volume_args;

static int volume_sql(sl_sqlbuf *b, const sl_plan *plan, const sl_volume_query *q)
{
    const sl_column *cols = q->table->cols;
    b->len = 0;
    int rc = sl_sqlbuf_str(b, "SELECT DATE_FORMAT(");
    rc |= sl_sqlbuf_ident(b, cols[q->time_column].name);
    rc |= sl_sqlbuf_str(b, q->by_day ? ",'%Y-%m-%d 00:00:00'),COUNT(*),"
                                     : ",'%Y-%m-%d %H:00:00'),COUNT(*),");
    if (q->sum_column >= 0) {
        rc |= sl_sqlbuf_str(b, "SUM(");
        rc |= sl_sqlbuf_ident(b, cols[q->sum_column].name);
        rc |= sl_sqlbuf_str(b, ")");
    } else {
        rc |= sl_sqlbuf_str(b, "NULL");
    }
    rc |= sl_sqlbuf_str(b, " FROM ");
    rc |= sl_sqlbuf_ident(b, q->table->name);
    rc |= sl_sqlbuf_str(b, " WHERE ");
    rc |= sl_sqlbuf_ident(b, cols[q->time_column].name);
    rc |= sl_sqlbuf_str(b, ">=");
    rc |= sl_sqlbuf_value(b, q->from, (int32_t)strlen(q->from));
    rc |= sl_sqlbuf_str(b, " AND ");
    rc |= sl_sqlbuf_ident(b, cols[q->time_column].name);
    rc |= sl_sqlbuf_str(b, "<");
    rc |= sl_sqlbuf_value(b, q->to, (int32_t)strlen(q->to));
    if (plan->account) { /* one account's rows: its own baseline */
        rc |= sl_sqlbuf_str(b, " AND ");
        rc |= sl_sqlbuf_ident(b, plan->account_column);
        rc |= sl_sqlbuf_str(b, "=");
        rc |= sl_sqlbuf_value(b, plan->account, (int32_t)strlen(plan->account));
    }
    rc |= sl_sqlbuf_str(b, " GROUP BY 1");
    return rc;
}

/* The query runs (and is retried) whole; the rows go to fn once it has succeeded. */
static sl_status volume_once(mysql_sink *s, void *arg, sl_error *err)
{
    volume_args *a = arg;
    if (volume_sql(&s->q, s->base.plan, a->q) != 0)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    if (mysql_real_query(s->db, s->q.data, (unsigned long)s->q.len) != 0)
        return sl_my_fail(s, "count the volume", err);
    if (!(a->res = mysql_store_result(s->db)))
        return sl_my_fail(s, "count the volume", err);
    return SL_OK;
}

sl_status sl_my_volume_read(sl_sink *sink, const sl_volume_query *q, sl_volume_fn fn,
                            void *ctx, sl_error *err)
{
    volume_args a = {q, NULL};
    sl_status st = sl_my_retrying((mysql_sink *)sink, "count the volume", volume_once, &a, err);
    if (st != SL_OK)
        return st;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(a.res)) != NULL) {
        if (!row[0] || !row[1])
            continue; /* a NULL datetime is in no hour */
        if (fn(row[0], strtoll(row[1], NULL, 10), row[2] ? row[2] : "", ctx) != 0)
            break;
    }
    mysql_free_result(a.res);
    return SL_OK;
}
