/* my_migrate.c: the MySQL sink's migrate: compares the plan's tables (ddl.h's sl_ddl) with
 * information_schema and creates missing tables, adds missing columns after their
 * predecessor, renames `rename_from` columns keeping their data, and only warns about a type
 * that differs. Never drops anything. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "my_conn.h"
#include "my_migrate.h"

/* The columns a table has in the database (information_schema), in order. A name is at most
 * 64 characters, 256 bytes in utf8mb4; anything in them may be hostile, so they are printed
 * only through sl_sql_comment_ident/_text. */
typedef struct db_cols {
    char (*name)[257];
    char (*type)[256];
    size_t n;
} db_cols;

static void db_cols_free(db_cols *c)
{
    free(c->name);
    free(c->type);
    memset(c, 0, sizeof *c);
}

static sl_status read_columns(mysql_sink *s, const char *table, db_cols *out, sl_error *err)
{
    memset(out, 0, sizeof *out);
    s->q.len = 0;
    int rc = sl_sqlbuf_str(&s->q, "SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS"
                                  " WHERE TABLE_SCHEMA=DATABASE() AND TABLE_NAME=");
    rc |= sl_sqlbuf_value(&s->q, table, (int32_t)strlen(table));
    rc |= sl_sqlbuf_str(&s->q, " ORDER BY ORDINAL_POSITION");
    if (rc)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    if (mysql_real_query(s->db, s->q.data, (unsigned long)s->q.len) != 0)
        return sl_my_fail(s, "read the columns of a table", err);
    MYSQL_RES *res = mysql_store_result(s->db);
    if (!res)
        return sl_my_fail(s, "read the columns of a table", err);
    size_t n = (size_t)mysql_num_rows(res);
    out->name = calloc(n + 1, sizeof *out->name);
    out->type = calloc(n + 1, sizeof *out->type);
    if (!out->name || !out->type) {
        mysql_free_result(res);
        db_cols_free(out);
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    }
    MYSQL_ROW row;
    while ((row = mysql_fetch_row(res)) && out->n < n) {
        snprintf(out->name[out->n], sizeof out->name[0], "%s", row[0] ? row[0] : "");
        snprintf(out->type[out->n], sizeof out->type[0], "%s", row[1] ? row[1] : "");
        out->n++;
    }
    mysql_free_result(res);
    return SL_OK;
}

static long find_col(const db_cols *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcasecmp(c->name[i], name) == 0)
            return (long)i;
    return -1;
}

/* fprintf to out, which may be NULL (print nothing). */
static void say(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(FILE *out, const char *fmt, ...)
{
    if (!out)
        return;
    va_list ap;
    va_start(ap, fmt);
    vfprintf(out, fmt, ap);
    va_end(ap);
}

static sl_status oom_q(sl_error *err)
{
    return sl_error_set(err, SL_ERR_INTERNAL, "out of memory building DDL");
}

/* One DDL statement of a migrate: CREATE TABLE t, or ADD/CHANGE COLUMN c of t. */
typedef enum { DDL_CREATE, DDL_ADD, DDL_RENAME } ddl_kind;
typedef struct ddl_step {
    ddl_kind kind;
    const sl_ddl_table *t;
    const sl_ddl_col *c;
    const char *after; /* DDL_ADD: the previous column, or NULL for FIRST */
} ddl_step;

static int build(sl_sqlbuf *b, const ddl_step *d)
{
    b->len = 0;
    switch (d->kind) {
    case DDL_CREATE: return sl_sql_create_table(b, d->t);
    case DDL_ADD: return sl_sql_add_column(b, d->t, d->c, d->after);
    case DDL_RENAME: return sl_sql_rename_column(b, d->t, d->c);
    }
    return -1;
}

/* Prints one step ("-- migrate: <what>" and the statement's shown form: values read through
 * references masked) and runs the statement unless dry. */
static sl_status step(mysql_sink *s, bool dry, FILE *out, const char *what, const ddl_step *d,
                      sl_error *err)
{
    if (build(&s->q, d) != 0)
        return oom_q(err);
    if (out) {
        sl_sqlbuf shown;
        sl_sqlbuf_init(&shown, SL_SQL_STMT_MAX);
        shown.shown = true;
        int rc = build(&shown, d);
        if (rc == 0)
            say(out, "-- migrate: %s\n%s;\n\n", what, shown.data);
        sl_sqlbuf_free(&shown);
        if (rc != 0)
            return oom_q(err);
    }
    return dry ? SL_OK : sl_my_exec(s, s->q.data, s->q.len, "migrate", err);
}

/* Warns about columns the table has but the job does not declare: they are kept, and since
 * REPLACE rewrites whole rows, they fall back to their default on every write. */
static void note_extras(const sl_ddl_table *t, const db_cols *have, FILE *out)
{
    char table[400], col[1100];
    sl_sql_comment_ident(table, sizeof table, t->name);
    for (size_t i = 0; i < have->n; i++) {
        bool known = false;
        for (size_t k = 0; k < t->n_cols && !known; k++)
            known = strcasecmp(have->name[i], t->cols[k].name) == 0;
        sl_sql_comment_ident(col, sizeof col, have->name[i]);
        if (!known)
            say(out, "-- migrate: warning: column %s.%s is not in the job; kept (rows written"
                     " with REPLACE get its default)\n\n", table, col);
    }
}

/* Warns about what differs in a column both the job and the table have. */
static void note_existing(const sl_ddl_table *t, const sl_ddl_col *c, const db_cols *have,
                          long at, long old, FILE *out)
{
    char table[400], name[400], type[1100], want[400], from[400];
    sl_sql_comment_ident(table, sizeof table, t->name);
    sl_sql_comment_ident(name, sizeof name, c->name);
    sl_sql_comment_text(type, sizeof type, have->type[at]);
    char declared[48];
    sl_sql_type_name(c->type, declared, sizeof declared);
    sl_sql_comment_text(want, sizeof want, declared);
    if (!sl_sql_type_same(declared, have->type[at]))
        say(out, "-- migrate: warning: column %s.%s is %s in the database but %s in the job;"
                 " not changed (alter it by hand if intended)\n\n", table, name, type, want);
    if (old >= 0) {
        sl_sql_comment_ident(from, sizeof from, c->rename_from);
        say(out, "-- migrate: warning: %s has both %s and %s; not renamed\n\n", table, from, name);
    }
}

/* Brings one existing table in line: add, rename, warn; never drop. */
static sl_status alter_table(mysql_sink *s, const sl_ddl_table *t, db_cols *have, bool dry,
                             FILE *out, sl_error *err)
{
    char what[1300], table[400], name[400], from[400];
    int changes = 0;
    sl_status st = SL_OK;
    sl_sql_comment_ident(table, sizeof table, t->name);
    for (size_t i = 0; st == SL_OK && i < t->n_cols; i++) {
        const sl_ddl_col *c = &t->cols[i];
        long at = find_col(have, c->name), old = c->rename_from ? find_col(have, c->rename_from) : -1;
        if (at >= 0) {
            note_existing(t, c, have, at, old, out);
            continue;
        }
        changes++;
        sl_sql_comment_ident(name, sizeof name, c->name);
        ddl_step d = {old >= 0 ? DDL_RENAME : DDL_ADD, t, c, i ? t->cols[i - 1].name : NULL};
        if (old >= 0) {
            sl_sql_comment_ident(from, sizeof from, c->rename_from);
            snprintf(what, sizeof what, "rename column %s to %s in %s", from, name, table);
            snprintf(have->name[old], sizeof have->name[0], "%s", c->name);
        } else {
            snprintf(what, sizeof what, "add column %s to %s", name, table);
        }
        st = step(s, dry, out, what, &d, err);
    }
    if (st == SL_OK)
        note_extras(t, have, out);
    if (st == SL_OK && changes == 0)
        say(out, "-- migrate: %s %s is up to date\n\n", t->role, table);
    return st;
}

static sl_status migrate_table(mysql_sink *s, const sl_ddl_table *t, bool dry, FILE *out,
                               sl_error *err)
{
    db_cols have;
    sl_status st = read_columns(s, t->name, &have, err);
    if (st != SL_OK)
        return st;
    if (have.n == 0) {
        char what[500], name[400];
        sl_sql_comment_ident(name, sizeof name, t->name);
        snprintf(what, sizeof what, "create %s %s", t->role, name);
        ddl_step d = {DDL_CREATE, t, NULL, NULL};
        st = step(s, dry, out, what, &d, err);
    } else {
        st = alter_table(s, t, &have, dry, out, err);
    }
    db_cols_free(&have);
    return st;
}

sl_status sl_my_migrate(sl_sink *sink, bool dry_run, FILE *out, sl_error *err)
{
    mysql_sink *s = (mysql_sink *)sink;
    sl_status st = sl_my_ensure(s, err);
    if (st == SL_OK && dry_run) /* what a client needs to paste the text as printed */
        say(out, "%s", SL_SQL_PREAMBLE);
    for (size_t i = 0; st == SL_OK && i < sl_ddl_count(s->ddl); i++)
        st = migrate_table(s, sl_ddl_table_at(s->ddl, i), dry_run, out, err);
    return st;
}

