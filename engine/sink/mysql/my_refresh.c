/* my_refresh.c: see my_refresh.h. Why shadow tables and one RENAME (docs/sink.md, "Full
 * refresh"): a reader sees the old tables or the new ones, never a mix, and a crash at any
 * point leaves the live tables whole; what it leaves behind is dropped by the next BEGIN. */
#include <string.h>

#include <mysqld_error.h>

#include "my_refresh.h"

/* Appends the names of every job table in role, comma separated. */
static int name_list(sl_sqlbuf *b, const sl_shadow *sh, sl_shadow_role role, bool first)
{
    int rc = 0;
    for (size_t ti = 0; ti < sl_shadow_tables(sh); ti++) {
        rc |= first && ti == 0 ? 0 : sl_sqlbuf_str(b, ", ");
        rc |= sl_sqlbuf_ident(b, sl_shadow_name(sh, ti, role));
    }
    return rc;
}

/* "RENAME TABLE `t` TO `t__sluice_old`, `t__sluice_new` TO `t`, ..." for every job table. */
static int rename_all(sl_sqlbuf *b, const sl_shadow *sh)
{
    int rc = sl_sqlbuf_str(b, "RENAME TABLE ");
    for (size_t ti = 0; ti < sl_shadow_tables(sh); ti++) {
        const char *live = sl_shadow_name(sh, ti, SL_SHADOW_LIVE);
        rc |= ti ? sl_sqlbuf_str(b, ", ") : 0;
        rc |= sl_sqlbuf_ident(b, live);
        rc |= sl_sqlbuf_str(b, " TO ");
        rc |= sl_sqlbuf_ident(b, sl_shadow_name(sh, ti, SL_SHADOW_OLD_T));
        rc |= sl_sqlbuf_str(b, ", ");
        rc |= sl_sqlbuf_ident(b, sl_shadow_name(sh, ti, SL_SHADOW_NEW_T));
        rc |= sl_sqlbuf_str(b, " TO ");
        rc |= sl_sqlbuf_ident(b, live);
    }
    return rc;
}

static sl_status emit_buf(sl_sqlbuf *b, int rc, sl_sql_emit_fn emit, void *ctx, sl_error *err)
{
    if (rc != 0)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    sl_sql_stmt st = {.sql = b->data, .len = b->len, .head_len = b->len};
    return emit(ctx, &st, err);
}

static sl_status begin_sql(const sl_shadow *sh, sl_sqlbuf *b, sl_sql_emit_fn emit, void *ctx,
                           sl_error *err)
{
    int rc = sl_sqlbuf_str(b, "DROP TABLE IF EXISTS ");
    rc |= name_list(b, sh, SL_SHADOW_NEW_T, true);
    rc |= name_list(b, sh, SL_SHADOW_OLD_T, false);
    sl_status st = emit_buf(b, rc, emit, ctx, err);
    for (size_t ti = 0; st == SL_OK && ti < sl_shadow_tables(sh); ti++) {
        b->len = 0;
        rc = sl_sqlbuf_str(b, "CREATE TABLE ");
        rc |= sl_sqlbuf_ident(b, sl_shadow_name(sh, ti, SL_SHADOW_NEW_T));
        rc |= sl_sqlbuf_str(b, " LIKE ");
        rc |= sl_sqlbuf_ident(b, sl_shadow_name(sh, ti, SL_SHADOW_LIVE));
        st = emit_buf(b, rc, emit, ctx, err);
    }
    return st;
}

sl_status sl_sql_refresh(const sl_shadow *sh, sl_refresh_step step, sl_sql_emit_fn emit,
                         void *ctx, sl_error *err)
{
    sl_sqlbuf b;
    sl_sqlbuf_init(&b, SL_SQL_STMT_MAX);
    sl_status st;
    if (step == SL_REFRESH_BEGIN) {
        st = begin_sql(sh, &b, emit, ctx, err);
    } else if (step == SL_REFRESH_SWAP) {
        st = emit_buf(&b, rename_all(&b, sh), emit, ctx, err);
        b.len = 0;
        int rc = sl_sqlbuf_str(&b, "DROP TABLE IF EXISTS ");
        if (st == SL_OK)
            st = emit_buf(&b, rc | name_list(&b, sh, SL_SHADOW_OLD_T, true), emit, ctx, err);
    } else {
        int rc = sl_sqlbuf_str(&b, "DROP TABLE IF EXISTS ");
        st = emit_buf(&b, rc | name_list(&b, sh, SL_SHADOW_NEW_T, true), emit, ctx, err);
    }
    sl_sqlbuf_free(&b);
    return st;
}

/* ---- the sink's operations ---- */

typedef struct step_run {
    mysql_sink *s;
    sl_refresh_step step;
    int n; /* statements emitted so far in this attempt */
} step_run;

/* 1 when the parent's shadow exists: a SWAP replayed after its RENAME went through (the reply
 * was lost) finds it gone and must not rename again. */
static sl_status shadow_exists(mysql_sink *s, bool *yes, sl_error *err)
{
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, "SELECT COUNT(*) FROM information_schema.TABLES WHERE "
                                  "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ");
    const char *name = sl_shadow_name(s->shadow, 0, SL_SHADOW_NEW_T);
    rc |= sl_sqlbuf_value(&s->q, name, (int32_t)strlen(name));
    if (rc)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    int64_t n = 0;
    bool isnull = true;
    sl_status st = sl_my_query_int(s, s->q.data, s->q.len, "full refresh", &n, &isnull, err);
    *yes = n > 0;
    return st;
}

static sl_status exec_step_stmt(void *ctx, const sl_sql_stmt *stmt, sl_error *err)
{
    step_run *r = ctx;
    if (r->step == SL_REFRESH_SWAP && r->n++ == 0) {
        bool exists = false;
        sl_status st = shadow_exists(r->s, &exists, err);
        if (st != SL_OK || !exists)
            return st;
    }
    return sl_my_exec(r->s, stmt->sql, stmt->len, "full refresh", err);
}

static sl_status step_once(mysql_sink *s, void *arg, sl_error *err)
{
    step_run *r = arg;
    r->n = 0;
    return sl_sql_refresh(s->shadow, r->step, exec_step_stmt, r, err);
}

/* The prepared bulk statements name the tables they were prepared for. */
static void close_prepared(mysql_sink *s)
{
    for (size_t i = 0; s->prepared && i < s->n_tables; i++) {
        if (s->prepared[i])
            mysql_stmt_close(s->prepared[i]);
        s->prepared[i] = NULL;
    }
}

sl_status sl_my_refresh(sl_sink *sink, sl_refresh_step step, sl_error *err)
{
    mysql_sink *s = (mysql_sink *)sink;
    if (step == SL_REFRESH_BEGIN && !s->shadow) {
        s->live_plan = s->base.plan;
        if (!(s->shadow = sl_shadow_new(s->live_plan)))
            return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    }
    if (!s->shadow)
        return SL_OK; /* no refresh begun: nothing to swap or drop */
    step_run r = {.s = s, .step = step};
    sl_error e = {SL_OK, ""};
    sl_status st = sl_my_retrying(s, "full refresh", step_once, &r, &e);
    if (st != SL_OK) /* RENAME TABLE asks for DROP on the live table, a common gap */
        sl_error_set(err, st, "%s%s", e.msg,
                     s->last_errno == ER_TABLEACCESS_DENIED_ERROR
                         ? " (a full refresh needs the DROP privilege on the job's tables)"
                         : "");
    close_prepared(s);
    if (step == SL_REFRESH_BEGIN) {
        s->base.plan = st == SL_OK ? sl_shadow_plan(s->shadow) : s->live_plan;
        return st;
    }
    s->base.plan = s->live_plan;
    sl_shadow_free(s->shadow);
    s->shadow = NULL;
    return st;
}

typedef struct count_args {
    int64_t *out[2];
} count_args;

static sl_status count_once(mysql_sink *s, void *arg, sl_error *err)
{
    count_args *a = arg;
    const sl_shadow_role roles[2] = {SL_SHADOW_LIVE, SL_SHADOW_NEW_T};
    sl_status st = SL_OK;
    for (int i = 0; st == SL_OK && i < 2; i++) {
        s->q.len = 0;
        int rc = sl_sqlbuf_str(&s->q, "SELECT COUNT(*) FROM ");
        rc |= sl_sqlbuf_ident(&s->q, sl_shadow_name(s->shadow, 0, roles[i]));
        bool isnull = true;
        st = rc ? sl_error_set(err, SL_ERR_INTERNAL, "out of memory")
                : sl_my_query_int(s, s->q.data, s->q.len, "full refresh count", a->out[i],
                                  &isnull, err);
    }
    return st;
}

sl_status sl_my_refresh_count(sl_sink *sink, int64_t *live, int64_t *read, sl_error *err)
{
    mysql_sink *s = (mysql_sink *)sink;
    *live = *read = -1;
    if (!s->shadow)
        return sl_error_set(err, SL_ERR_INTERNAL, "full refresh: counted before it began");
    count_args a = {{live, read}};
    return sl_my_retrying(s, "full refresh count", count_once, &a, err);
}
