/* my_rejects.c: see my_rejects.h. Reading selects by job, ids, the rule's prefix or a piece of
 * the reason, in id order; settling a replay is one transaction holding the replayed rows (the
 * batch write's own statements), the DELETE of the rejects they came from and the new reasons
 * of those that still fail, so a replay killed at any point has moved each record exactly once
 * or not at all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "my_conn.h"
#include "my_rejects.h"
#include "my_write.h"
#include "text.h"

/* Appends a LIKE pattern matching text literally (% _ and \ escaped), between pre and post. */
static int add_like(sl_sqlbuf *b, const char *pre, const char *text, const char *post)
{
    size_t n = strlen(text), len = strlen(pre);
    char *p = malloc(2 * n + len + strlen(post) + 1);
    if (!p)
        return -1;
    memcpy(p, pre, len);
    for (size_t i = 0; i < n; i++) {
        if (text[i] == '%' || text[i] == '_' || text[i] == '\\')
            p[len++] = '\\';
        p[len++] = text[i];
    }
    memcpy(p + len, post, strlen(post));
    len += strlen(post);
    int rc = sl_sqlbuf_value(b, p, (int32_t)len);
    free(p);
    return rc;
}

static int add_i64(sl_sqlbuf *b, int64_t v)
{
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)v);
    return sl_sqlbuf_str(b, num);
}

/* SELECT ... WHERE job = ? and the filter's parts, in id order. */
static int select_sql(mysql_sink *s, const char *job, const sl_reject_filter *f)
{
    sl_sqlbuf *b = &s->q;
    b->len = 0;
    int rc = sl_sqlbuf_str(b, "SELECT `id`,DATE_FORMAT(`created_at`,'%Y-%m-%d %H:%i:%s'),"
                              "`record_key`,`column_name`,`reason`,`raw` FROM ");
    rc |= sl_sqlbuf_ident(b, s->base.plan->target.reject_table);
    rc |= sl_sqlbuf_str(b, " WHERE `job`=");
    rc |= sl_sqlbuf_value(b, job, (int32_t)strlen(job));
    rc |= sl_sqlbuf_str(b, " AND `id`>");
    rc |= add_i64(b, f->after_id);
    for (size_t i = 0; i < f->n_ids; i++) {
        rc |= sl_sqlbuf_str(b, i ? "," : " AND `id` IN (");
        rc |= add_i64(b, f->ids[i]);
    }
    if (f->n_ids)
        rc |= sl_sqlbuf_str(b, ")");
    if (f->rule) {
        rc |= sl_sqlbuf_str(b, " AND `reason` LIKE ");
        rc |= add_like(b, "rule ", f->rule, ":%");
    }
    if (f->reason) {
        rc |= sl_sqlbuf_str(b, " AND `reason` LIKE ");
        rc |= add_like(b, "%", f->reason, "%");
    }
    rc |= sl_sqlbuf_str(b, " ORDER BY `id`");
    if (f->limit) {
        rc |= sl_sqlbuf_str(b, " LIMIT ");
        rc |= add_i64(b, (int64_t)f->limit);
    }
    return rc;
}

typedef struct read_args {
    const char *job;
    const sl_reject_filter *f;
    MYSQL_RES *res;
} read_args;

/* The query runs (and is retried) whole; the rows go to fn once it has succeeded. */
static sl_status read_once(mysql_sink *s, void *arg, sl_error *err)
{
    read_args *a = arg;
    if (select_sql(s, a->job, a->f) != 0)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    if (mysql_real_query(s->db, s->q.data, (unsigned long)s->q.len) != 0)
        return sl_my_fail(s, "read the rejects", err);
    MYSQL_RES *res = mysql_store_result(s->db);
    if (!res)
        return sl_my_fail(s, "read the rejects", err);
    a->res = res;
    return SL_OK;
}

sl_status sl_my_rejects_read(sl_sink *sink, const char *job, const sl_reject_filter *f,
                             int (*fn)(const sl_reject_row *row, void *ctx), void *ctx,
                             sl_error *err)
{
    read_args a = {job, f, NULL};
    sl_status st = sl_my_retrying((mysql_sink *)sink, "read the rejects", read_once, &a, err);
    if (st != SL_OK)
        return st;
    MYSQL_RES *res = a.res;
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) != NULL) {
        unsigned long *lens = mysql_fetch_lengths(res);
        sl_reject_row r = {.id = strtoll(row[0], NULL, 10), .created_at = row[1],
                           .key = row[2], .column = row[3], .reason = row[4], .raw = row[5],
                           .raw_len = row[5] ? lens[5] : 0};
        if (fn(&r, ctx) != 0)
            break;
    }
    mysql_free_result(res);
    return SL_OK;
}

typedef struct settle_args {
    const sl_batch *batch;
    const char *job;
    const int64_t *done;
    size_t n_done;
    const sl_reject_kept *kept;
    size_t n_kept;
} settle_args;

static sl_status delete_done(mysql_sink *s, const settle_args *a, sl_error *err)
{
    if (!a->n_done)
        return SL_OK;
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, "DELETE FROM ");
    rc |= sl_sqlbuf_ident(&s->q, s->base.plan->target.reject_table);
    rc |= sl_sqlbuf_str(&s->q, " WHERE `job`=");
    rc |= sl_sqlbuf_value(&s->q, a->job, (int32_t)strlen(a->job));
    for (size_t i = 0; i < a->n_done; i++) {
        rc |= sl_sqlbuf_str(&s->q, i ? "," : " AND `id` IN (");
        rc |= add_i64(&s->q, a->done[i]);
    }
    rc |= sl_sqlbuf_str(&s->q, ")");
    if (rc)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    return sl_my_exec(s, s->q.data, s->q.len, "remove replayed rejects", err);
}

/* The kept reject's new reason and column, cut to their columns as the transform cuts them. */
static sl_status update_kept(mysql_sink *s, const sl_reject_kept *k, sl_error *err)
{
    size_t rn = sl_text_cut_chars(k->reason, strlen(k->reason), SL_REJ_REASON_CHARS);
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, "UPDATE ");
    rc |= sl_sqlbuf_ident(&s->q, s->base.plan->target.reject_table);
    rc |= sl_sqlbuf_str(&s->q, " SET `reason`=");
    rc |= sl_sqlbuf_value(&s->q, k->reason, (int32_t)rn);
    rc |= sl_sqlbuf_str(&s->q, ",`column_name`=");
    rc |= sl_sqlbuf_value(&s->q, k->column ? k->column : "",
                          k->column ? (int32_t)sl_text_cut_chars(k->column, strlen(k->column),
                                                                 SL_REJ_COLUMN_CHARS)
                                    : -1);
    rc |= sl_sqlbuf_str(&s->q, " WHERE `id`=");
    rc |= add_i64(&s->q, k->id);
    if (rc)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    return sl_my_exec(s, s->q.data, s->q.len, "keep a reject's new reason", err);
}

static sl_status settle_once(mysql_sink *s, void *arg, sl_error *err)
{
    const settle_args *a = arg;
    sl_status st = sl_my_exec(s, "START TRANSACTION", 17, "replay", err);
    if (st == SL_OK)
        st = sl_my_write_body(s, a->batch, a->job, NULL, err);
    if (st == SL_OK)
        st = delete_done(s, a, err);
    for (size_t i = 0; st == SL_OK && i < a->n_kept; i++)
        st = update_kept(s, &a->kept[i], err);
    if (st == SL_OK)
        st = sl_my_exec(s, "COMMIT", 6, "commit", err);
    return st;
}

sl_status sl_my_rejects_settle(sl_sink *sink, const sl_batch *batch, const char *job,
                               const int64_t *done, size_t n_done, const sl_reject_kept *kept,
                               size_t n_kept, sl_error *err)
{
    settle_args a = {batch, job, done, n_done, kept, n_kept};
    return sl_my_retrying((mysql_sink *)sink, "replay", settle_once, &a, err);
}
