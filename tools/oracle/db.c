/* db.c: MariaDB access for the oracle (Connector/C): URL parsing, one streamed SELECT a table
 * (mysql_use_result: no per-row queries, no whole result in memory), and a prepared-statement
 * loader. */
#include "db.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct dsn {
    char user[128], pass[256], host[256], db[128], socket[1024];
    unsigned port;
} dsn;

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Copies s[0..n) percent-decoded into dst (cap bytes); -1 if malformed or too long. */
static int decode(char *dst, size_t cap, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
                return -1;
            c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        }
        if (o + 1 >= cap)
            return -1;
        dst[o++] = c;
    }
    dst[o] = '\0';
    return 0;
}

static int parse_dsn(const char *url, dsn *d)
{
    const char *p, *at, *colon, *slash, *q, *end;
    memset(d, 0, sizeof *d);
    if (strncmp(url, "mysql://", 8) != 0)
        return -1;
    p = url + 8;
    at = strrchr(p, '@');
    if (!at)
        return -1;
    colon = memchr(p, ':', (size_t)(at - p));
    if (decode(d->user, sizeof d->user, p, (size_t)((colon ? colon : at) - p)) < 0 ||
        (colon && decode(d->pass, sizeof d->pass, colon + 1, (size_t)(at - colon - 1)) < 0))
        return -1;
    p = at + 1;
    slash = strchr(p, '/');
    if (!slash)
        return -1;
    colon = memchr(p, ':', (size_t)(slash - p));
    if (decode(d->host, sizeof d->host, p, (size_t)((colon ? colon : slash) - p)) < 0)
        return -1;
    if (colon) {
        char *e;
        unsigned long port = strtoul(colon + 1, &e, 10);
        if (e != slash || port == 0 || port > 65535)
            return -1;
        d->port = (unsigned)port;
    }
    q = strchr(slash, '?');
    end = q ? q : slash + strlen(slash);
    if (decode(d->db, sizeof d->db, slash + 1, (size_t)(end - slash - 1)) < 0 || !d->db[0])
        return -1;
    if (q && strncmp(q, "?socket=", 8) == 0)
        return decode(d->socket, sizeof d->socket, q + 8, strlen(q + 8));
    return q ? -1 : 0;
}

MYSQL *orc_db_connect(const char *url, char *err, size_t errlen)
{
    dsn d;
    unsigned timeout = 10;
    my_bool off = 0;
    MYSQL *db;
    if (parse_dsn(url, &d) < 0) {
        snprintf(err, errlen, "bad --db URL (want mysql://USER:PASS@HOST:PORT/DB[?socket=PATH])");
        return NULL;
    }
    db = mysql_init(NULL);
    if (!db) {
        snprintf(err, errlen, "mysql_init failed");
        return NULL;
    }
    mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(db, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_options(db, MYSQL_OPT_LOCAL_INFILE, &off);
    if (!mysql_real_connect(db, d.host, d.user, d.pass, d.db, d.port,
                            d.socket[0] ? d.socket : NULL, 0)) {
        snprintf(err, errlen, "connecting to %s/%s as %s: %s", d.host, d.db, d.user,
                 mysql_error(db));
        mysql_close(db);
        db = NULL;
    }
    memset(d.pass, 0, sizeof d.pass);
    return db;
}

void orc_examples_add(orc_examples *ex, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    if (ex->n >= ex->max)
        return;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ex->line[ex->n] = strdup(buf);
    if (ex->line[ex->n])
        ex->n++;
}

/* SELECT `c1`,`c2`,... FROM `t` into sql (cap bytes); -1 if it does not fit. */
static int select_sql(const orc_table *t, char *sql, size_t cap)
{
    size_t o = (size_t)snprintf(sql, cap, "SELECT ");
    for (int i = 0; i < t->ncols && o < cap; i++)
        o += (size_t)snprintf(sql + o, cap - o, "%s`%s`", i ? "," : "", t->cols[i].name);
    if (o < cap)
        o += (size_t)snprintf(sql + o, cap - o, " FROM `%s`", t->name);
    return o < cap ? 0 : -1;
}

/* Compares one stored row with its expected row; counts and describes the differing cells. */
static void compare_row(const orc_table *t, const orc_row *want, MYSQL_ROW got,
                        const unsigned long *glen, orc_report *rep, orc_examples *ex)
{
    int differs = 0;
    for (int i = 0; i < t->ncols; i++) {
        size_t wlen = 0;
        const char *w = orc_row_cell(want, i, &wlen);
        if (orc_cell_equal(&t->cols[i], w ? w : "", wlen, w == NULL, got[i], got[i] ? glen[i] : 0))
            continue;
        differs = 1;
        rep->cells++;
        orc_examples_add(ex, "differ  %s %s=%lld %s: want %s%.200s%s got %s%.200s%s", t->name,
                         t->cols[t->key_col].name, (long long)want->key, t->cols[i].name,
                         w ? "\"" : "", w ? w : "NULL", w ? "\"" : "", got[i] ? "\"" : "",
                         got[i] ? got[i] : "NULL", got[i] ? "\"" : "");
    }
    rep->differing += differs;
}

/* A stored row without an in-window expected row: ignored when it belongs to a truth record
 * outside the window, else extra. */
static void unexpected_row(const orc_rules *r, int ti, orc_rowset **sets, const orc_row *want,
                           MYSQL_ROW got, int64_t key, orc_report *rep, orc_examples *ex)
{
    const orc_table *t = &r->tables[ti];
    const orc_row *parent = NULL;
    if (!want && t->parent >= 0) {
        for (int i = 0; i < t->ncols; i++)
            if (t->cols[i].type == ORC_PARENT && got[i])
                parent = orc_rowset_get(sets[t->parent], strtoll(got[i], NULL, 10));
    }
    if ((want && !want->in_window) || (parent && !parent->in_window)) {
        rep->ignored++;
        return;
    }
    rep->extra++;
    orc_examples_add(ex, "extra   %s %s=%lld", t->name, t->cols[t->key_col].name, (long long)key);
}

int orc_db_compare(MYSQL *db, const orc_rules *r, int ti, orc_rowset **sets, orc_report *rep,
                   orc_examples *ex, char *err, size_t errlen)
{
    const orc_table *t = &r->tables[ti];
    char sql[8192];
    MYSQL_RES *res;
    MYSQL_ROW row;
    memset(rep, 0, sizeof *rep);
    if (select_sql(t, sql, sizeof sql) < 0 || mysql_real_query(db, sql, strlen(sql)) != 0 ||
        !(res = mysql_use_result(db))) {
        snprintf(err, errlen, "reading %s: %s", t->name, mysql_error(db));
        return -1;
    }
    while ((row = mysql_fetch_row(res))) {
        const unsigned long *len = mysql_fetch_lengths(res);
        int64_t key = row[t->key_col] ? strtoll(row[t->key_col], NULL, 10) : 0;
        orc_row *want = orc_rowset_get(sets[ti], key);
        rep->found++;
        if (want && want->in_window) {
            want->seen = 1;
            compare_row(t, want, row, len, rep, ex);
        } else
            unexpected_row(r, ti, sets, want, row, key, rep, ex);
    }
    if (mysql_errno(db)) {
        snprintf(err, errlen, "reading %s: %s", t->name, mysql_error(db));
        mysql_free_result(res);
        return -1;
    }
    mysql_free_result(res);
    for (size_t i = 0; i < orc_rowset_count(sets[ti]); i++) {
        const orc_row *w = orc_rowset_at(sets[ti], i);
        if (!w->in_window)
            continue;
        rep->expected++;
        if (!w->seen) {
            rep->missing++;
            orc_examples_add(ex, "missing %s %s=%lld", t->name, t->cols[t->key_col].name,
                             (long long)w->key);
        }
    }
    return 0;
}

/* INSERT INTO `t` (`c1`,...) VALUES (?,...) into sql; -1 if it does not fit. */
static int insert_sql(const orc_table *t, char *sql, size_t cap)
{
    size_t o = (size_t)snprintf(sql, cap, "INSERT INTO `%s` (", t->name);
    for (int i = 0; i < t->ncols && o < cap; i++)
        o += (size_t)snprintf(sql + o, cap - o, "%s`%s`", i ? "," : "", t->cols[i].name);
    for (int i = 0; i < t->ncols && o < cap; i++)
        o += (size_t)snprintf(sql + o, cap - o, "%s", i ? ",?" : ") VALUES (?");
    if (o < cap)
        o += (size_t)snprintf(sql + o, cap - o, ")");
    return o < cap ? 0 : -1;
}

static int load_rows(MYSQL_STMT *st, const orc_table *t, const orc_rowset *rs, MYSQL_BIND *b,
                     unsigned long *len, my_bool *nul)
{
    for (size_t k = 0; k < orc_rowset_count(rs); k++) {
        const orc_row *row = orc_rowset_at(rs, k);
        if (!row->in_window)
            continue;
        for (int i = 0; i < t->ncols; i++) {
            size_t n = 0;
            const char *s = orc_row_cell(row, i, &n);
            memset(&b[i], 0, sizeof b[i]);
            b[i].buffer_type = MYSQL_TYPE_STRING;
            b[i].buffer = (void *)(s ? s : "");
            len[i] = (unsigned long)n;
            b[i].length = &len[i];
            nul[i] = s == NULL;
            b[i].is_null = &nul[i];
        }
        if (mysql_stmt_bind_param(st, b) || mysql_stmt_execute(st))
            return -1;
    }
    return 0;
}

int orc_db_load(MYSQL *db, const orc_table *t, const orc_rowset *rs, char *err, size_t errlen)
{
    char sql[8192];
    MYSQL_BIND b[ORC_MAX_COLS];
    unsigned long len[ORC_MAX_COLS];
    my_bool nul[ORC_MAX_COLS];
    int rc = -1;
    MYSQL_STMT *st = mysql_stmt_init(db);
    if (!st || insert_sql(t, sql, sizeof sql) < 0 || mysql_autocommit(db, 0) ||
        mysql_stmt_prepare(st, sql, strlen(sql)) || load_rows(st, t, rs, b, len, nul) ||
        mysql_commit(db)) {
        snprintf(err, errlen, "loading %s: %s", t->name, st ? mysql_stmt_error(st) : "no memory");
        if (st && !mysql_stmt_errno(st))
            snprintf(err, errlen, "loading %s: %s", t->name, mysql_error(db));
        mysql_rollback(db);
        goto out;
    }
    rc = 0;
out:
    if (st)
        mysql_stmt_close(st);
    return rc;
}
