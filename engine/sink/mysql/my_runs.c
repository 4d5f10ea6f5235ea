/* my_runs.c: the MySQL sink's run records (my_runs.h): one row per run in the runs table,
 * begun with status "running", counted up inside each batch's transaction, completed at the
 * end; a run that died without its end is marked "abandoned" by the next. */
#include <stdlib.h>
#include <string.h>

#include <mysql.h>

#include "batch.h"
#include "my_conn.h"
#include "my_runs.h"
#include "text.h"

typedef struct run_args {
    const char *job;
    const int64_t *wm;
    sl_status status;
    const char *message;
    const sl_run_stats *stats;
} run_args;

static int add_int(sl_sqlbuf *b, const char *name, const int64_t *v, bool comma)
{
    char num[32];
    snprintf(num, sizeof num, "%lld", v ? (long long)*v : 0LL);
    int rc = comma ? sl_sqlbuf_add(b, ",", 1) : 0;
    if (name) {
        rc |= sl_sqlbuf_ident(b, name);
        rc |= sl_sqlbuf_add(b, "=", 1);
    }
    rc |= v ? sl_sqlbuf_str(b, num) : sl_sqlbuf_str(b, "NULL");
    return rc;
}

/* " AND `account`='<account>'" for the plan of an account (its lock covers its runs only). */
static int account_is(sl_sqlbuf *b, const char *account)
{
    if (!account)
        return 0;
    int rc = sl_sqlbuf_str(b, " AND `account`=");
    return rc | sl_sqlbuf_value(b, account, (int32_t)strlen(account));
}

/* Runs of job still "running" hold no lock any more (the caller holds it): they were killed
 * or lost their connection before recording their end. Say so instead of leaving them open. */
static sl_status close_abandoned(mysql_sink *s, const char *runs, const char *job, sl_error *err)
{
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, "UPDATE ");
    rc |= sl_sqlbuf_ident(&s->q, runs);
    rc |= sl_sqlbuf_str(&s->q, " SET `status`='abandoned',`message`='ended without recording its "
                               "end (killed or disconnected)' WHERE `status`='running' AND `job`=");
    rc |= sl_sqlbuf_value(&s->q, job, (int32_t)strlen(job));
    rc |= account_is(&s->q, s->base.plan->account);
    if (rc)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    return sl_my_exec(s, s->q.data, s->q.len, "record the run", err);
}

static sl_status run_begin_once(mysql_sink *s, void *arg, sl_error *err)
{
    const run_args *a = arg;
    char runs[80];
    sl_sql_runs_table(s->base.plan->target.state_table, runs, sizeof runs);
    sl_status closed = close_abandoned(s, runs, a->job, err);
    if (closed != SL_OK)
        return closed;
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, "INSERT INTO ");
    rc |= sl_sqlbuf_ident(&s->q, runs);
    const char *account = s->base.plan->account;
    rc |= sl_sqlbuf_str(&s->q, account ? " (`job`,`account`,`started_at`,`status`,`watermark_from`)"
                                         " VALUES ("
                                       : " (`job`,`started_at`,`status`,`watermark_from`) VALUES (");
    rc |= sl_sqlbuf_value(&s->q, a->job, (int32_t)strlen(a->job));
    if (account) {
        rc |= sl_sqlbuf_add(&s->q, ",", 1);
        rc |= sl_sqlbuf_value(&s->q, account, (int32_t)strlen(account));
    }
    rc |= sl_sqlbuf_str(&s->q, ",UTC_TIMESTAMP(3),'running',");
    rc |= add_int(&s->q, NULL, a->wm, false);
    rc |= sl_sqlbuf_add(&s->q, ")", 1);
    if (rc)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    sl_status st = sl_my_exec(s, s->q.data, s->q.len, "record the run", err);
    if (st == SL_OK)
        s->run_id = (int64_t)mysql_insert_id(s->db);
    return st;
}

sl_status sl_my_run_begin(sl_sink *sink, const char *job, const int64_t *from, sl_error *err)
{
    run_args a = {.job = job, .wm = from};
    return sl_my_retrying((mysql_sink *)sink, "record the run", run_begin_once, &a, err);
}

sl_status sl_my_run_count(mysql_sink *s, const sl_batch *batch, sl_error *err)
{
    sl_batch *b = (sl_batch *)batch; /* only read; the accessors take a non-const handle */
    int64_t rejects = (int64_t)sl_batch_rejects(b)->n_rows;
    int64_t rows = (int64_t)sl_batch_live_rows(batch) - rejects;
    if (s->run_id == 0 || (rows == 0 && rejects == 0))
        return SL_OK;
    char runs[80], num[64];
    sl_sql_runs_table(s->base.plan->target.state_table, runs, sizeof runs);
    snprintf(num, sizeof num, "%lld,`rejects`=`rejects`+%lld", (long long)rows,
             (long long)rejects);
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, "UPDATE ");
    rc |= sl_sqlbuf_ident(&s->q, runs);
    rc |= sl_sqlbuf_str(&s->q, " SET `rows_written`=`rows_written`+");
    rc |= sl_sqlbuf_str(&s->q, num);
    rc |= sl_sqlbuf_str(&s->q, " WHERE `id`=");
    rc |= add_int(&s->q, NULL, &s->run_id, false);
    if (rc)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    return sl_my_exec(s, s->q.data, s->q.len, "record the run", err);
}

static sl_status run_end_once(mysql_sink *s, void *arg, sl_error *err)
{
    const run_args *a = arg;
    const sl_run_stats *x = a->stats;
    char runs[80];
    const char *status = sl_status_name(a->status);
    if (a->status == SL_OK)
        status = "ok";
    sl_sql_runs_table(s->base.plan->target.state_table, runs, sizeof runs);
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, "UPDATE ");
    rc |= sl_sqlbuf_ident(&s->q, runs);
    rc |= sl_sqlbuf_str(&s->q, " SET `ended_at`=UTC_TIMESTAMP(3),`status`=");
    rc |= sl_sqlbuf_value(&s->q, status, (int32_t)strlen(status));
    rc |= sl_sqlbuf_str(&s->q, ",`message`=");
    /* The message may quote the API: one line of valid UTF-8 within VARCHAR(1024) (1023 bytes
     * are at most 1023 characters), or the UPDATE fails and the run stays "running". */
    char msg[1024];
    if (a->message)
        sl_text_escape(msg, sizeof msg, a->message, strlen(a->message));
    rc |= sl_sqlbuf_value(&s->q, msg, a->message ? (int32_t)strlen(msg) : -1);
    if (x) {
        rc |= add_int(&s->q, "windows", &x->windows, true);
        rc |= add_int(&s->q, "pages", &x->pages, true);
        rc |= add_int(&s->q, "rows_written", &x->rows_written, true);
        rc |= add_int(&s->q, "rejects", &x->rejects, true);
        rc |= add_int(&s->q, "retries", &x->retries, true);
        rc |= add_int(&s->q, "throttles", &x->throttles, true);
    }
    rc |= add_int(&s->q, "watermark_to", a->wm, true);
    rc |= sl_sqlbuf_str(&s->q, " WHERE `id`=");
    rc |= add_int(&s->q, NULL, &s->run_id, false);
    if (rc)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    return sl_my_exec(s, s->q.data, s->q.len, "record the run", err);
}

/* One row per quality rule of the run, keyed by the run's id (REPLACE: a replay is harmless). */
static sl_status quality_rows(mysql_sink *s, const run_args *a, sl_error *err)
{
    const sl_plan *plan = s->base.plan;
    const sl_run_stats *x = a->stats;
    if (!x || !x->quality || !x->n_quality)
        return SL_OK;
    char table[80];
    sl_sql_quality_table(plan->target.state_table, table, sizeof table);
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, "REPLACE INTO ");
    rc |= sl_sqlbuf_ident(&s->q, table);
    rc |= sl_sqlbuf_str(&s->q, " (`run_id`,`job`,`rule`,`kind`,`action`,`checked`,`failed`,"
                               "`run_failed`) VALUES ");
    for (size_t i = 0; i < x->n_quality && i < plan->n_quality; i++) {
        const sl_dq_rule *r = &plan->quality[i];
        const char *kind = sl_dq_kind_names[r->kind], *action = sl_dq_action_names[r->action];
        int64_t checked = (int64_t)x->quality[i].checked, failed = (int64_t)x->quality[i].failed;
        int64_t run_failed = x->quality[i].run_failed;
        rc |= sl_sqlbuf_str(&s->q, i ? "),(" : "(");
        rc |= add_int(&s->q, NULL, &s->run_id, false);
        rc |= sl_sqlbuf_add(&s->q, ",", 1);
        rc |= sl_sqlbuf_value(&s->q, plan->name, (int32_t)strlen(plan->name));
        rc |= sl_sqlbuf_add(&s->q, ",", 1);
        rc |= sl_sqlbuf_value(&s->q, r->name, (int32_t)strlen(r->name));
        rc |= sl_sqlbuf_add(&s->q, ",", 1);
        rc |= sl_sqlbuf_value(&s->q, kind, (int32_t)strlen(kind));
        rc |= sl_sqlbuf_add(&s->q, ",", 1);
        rc |= sl_sqlbuf_value(&s->q, action, (int32_t)strlen(action));
        rc |= add_int(&s->q, NULL, &checked, true);
        rc |= add_int(&s->q, NULL, &failed, true);
        rc |= add_int(&s->q, NULL, &run_failed, true);
    }
    rc |= sl_sqlbuf_add(&s->q, ")", 1);
    if (rc)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    return sl_my_exec(s, s->q.data, s->q.len, "record the run's quality counts", err);
}

static sl_status run_end_both(mysql_sink *s, void *arg, sl_error *err)
{
    sl_status st = run_end_once(s, arg, err);
    return st == SL_OK ? quality_rows(s, arg, err) : st;
}

sl_status sl_my_run_end(sl_sink *sink, sl_status status, const char *message,
                            const sl_run_stats *stats, const int64_t *to, sl_error *err)
{
    mysql_sink *s = (mysql_sink *)sink;
    if (s->run_id == 0)
        return sl_error_set(err, SL_ERR_INTERNAL, "run end without a run begin");
    run_args a = {.wm = to, .status = status, .message = message, .stats = stats};
    return sl_my_retrying(s, "record the run", run_end_both, &a, err);
}

