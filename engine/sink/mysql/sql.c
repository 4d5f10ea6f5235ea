/* sql.c: the MySQL dialect (see sql.h): SQL text for the MySQL sink and for the printing sink
 * on its behalf. Nothing here talks to a server. */
#include "sql.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "timeutil.h"

/* ---- quoting ---- */

int sl_sqlbuf_ident(sl_sqlbuf *b, const char *name)
{
    int rc = sl_sqlbuf_add(b, "`", 1);
    for (const char *tick; rc == 0 && (tick = strchr(name, '`')) != NULL; name = tick + 1)
        rc = sl_sqlbuf_add(b, name, (size_t)(tick - name + 1)) | sl_sqlbuf_add(b, "`", 1);
    if (rc == 0)
        rc = sl_sqlbuf_str(b, name);
    return rc ? -1 : sl_sqlbuf_add(b, "`", 1);
}

int sl_sqlbuf_value(sl_sqlbuf *b, const char *s, int32_t len)
{
    if (len < 0)
        return sl_sqlbuf_add(b, "NULL", 4);
    size_t n = (size_t)len;
    if (sl_sqlbuf_reserve(b, 2 * n + 2) != 0)
        return -1;
    b->data[b->len++] = '\'';
    b->len += sl_sql_escape(b->data + b->len, s, n);
    b->data[b->len++] = '\'';
    b->data[b->len] = '\0';
    return 0;
}

/* ---- identifiers, escaping, types ---- */

void sl_sql_comment_text(char *out, size_t n, const char *text)
{
    sl_text_escape(out, n, text, strlen(text));
}

void sl_sql_comment_ident(char *out, size_t n, const char *name)
{
    char quoted[1024];
    size_t q = 0;
    quoted[q++] = '`';
    for (; *name && q + 3 < sizeof quoted; name++) {
        quoted[q++] = *name;
        if (*name == '`')
            quoted[q++] = '`';
    }
    quoted[q++] = '`';
    sl_text_escape(out, n, quoted, q);
}

size_t sl_sql_escape(char *dst, const char *src, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char e;
        switch (src[i]) {
        case '\0': e = '0'; break;
        case '\n': e = 'n'; break;
        case '\r': e = 'r'; break;
        case '\\': e = '\\'; break;
        case '\'': e = '\''; break;
        case '"': e = '"'; break;
        case '\032': e = 'Z'; break;
        default: dst[n++] = src[i]; continue;
        }
        dst[n++] = '\\';
        dst[n++] = e;
    }
    dst[n] = '\0';
    return n;
}

/* Lower-cases t into out, dropping "(n)" after integer types and mapping bool to tinyint(1). */
static void type_norm(const char *t, char *out, size_t outlen)
{
    static const char *const ints[] = {"tinyint", "smallint", "mediumint", "int", "bigint"};
    size_t n = 0;
    for (; *t && n + 1 < outlen; t++)
        out[n++] = (char)tolower((unsigned char)*t);
    out[n] = '\0';
    if (strcmp(out, "bool") == 0 || strcmp(out, "boolean") == 0) {
        snprintf(out, outlen, "tinyint(1)");
        return;
    }
    if (strcmp(out, "tinyint(1)") == 0)
        return;
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        size_t k = strlen(ints[i]);
        if (strncmp(out, ints[i], k) == 0 && out[k] == '(') {
            char *close = strchr(out + k, ')');
            if (close)
                memmove(out + k, close + 1, strlen(close + 1) + 1);
            return;
        }
    }
}

bool sl_sql_type_same(const char *declared, const char *column_type)
{
    char a[128], b[128];
    type_norm(declared, a, sizeof a);
    type_norm(column_type, b, sizeof b);
    return strcmp(a, b) == 0;
}

/* ---- DDL text ---- */

void sl_sql_type_name(sl_ltype t, char *out, size_t n)
{
    switch (t.kind) {
    case SL_LT_INT: snprintf(out, n, "INT"); break;
    case SL_LT_BIGINT: snprintf(out, n, "BIGINT"); break;
    case SL_LT_DECIMAL: snprintf(out, n, "DECIMAL(%d,%d)", t.n, t.scale); break;
    case SL_LT_BOOL: snprintf(out, n, "TINYINT(1)"); break;
    case SL_LT_DATETIME: snprintf(out, n, t.n ? "DATETIME(%d)" : "DATETIME", t.n); break;
    case SL_LT_TIMESTAMP: snprintf(out, n, t.n ? "TIMESTAMP(%d)" : "TIMESTAMP", t.n); break;
    case SL_LT_VARCHAR: snprintf(out, n, "VARCHAR(%d)", t.n); break;
    case SL_LT_TEXT: snprintf(out, n, "TEXT"); break;
    case SL_LT_JSON: snprintf(out, n, "LONGTEXT"); break;
    }
}

/* The clause that has the server fill a column in, for a column of type t. */
static int fill_clause(sl_sqlbuf *b, sl_ddl_fill fill, sl_ltype t)
{
    char now[32];
    snprintf(now, sizeof now, t.n ? "CURRENT_TIMESTAMP(%d)" : "CURRENT_TIMESTAMP", t.n);
    int rc = 0;
    if (fill == SL_FILL_SERIAL)
        rc |= sl_sqlbuf_str(b, " AUTO_INCREMENT");
    if (fill == SL_FILL_NOW || fill == SL_FILL_NOW_ON_UPDATE)
        rc |= sl_sqlbuf_str(b, " DEFAULT ") | sl_sqlbuf_str(b, now);
    if (fill == SL_FILL_NOW_ON_UPDATE)
        rc |= sl_sqlbuf_str(b, " ON UPDATE ") | sl_sqlbuf_str(b, now);
    return rc ? -1 : 0;
}

int sl_sql_column_def(sl_sqlbuf *b, const sl_ddl_col *c)
{
    char type[48];
    sl_sql_type_name(c->type, type, sizeof type);
    int rc = sl_sqlbuf_ident(b, c->name);
    rc |= sl_sqlbuf_add(b, " ", 1);
    rc |= sl_sqlbuf_str(b, type);
    if (c->not_null)
        rc |= sl_sqlbuf_str(b, " NOT NULL");
    rc |= fill_clause(b, c->fill, c->type);
    if (c->default_value) {
        rc |= sl_sqlbuf_str(b, " DEFAULT ");
        rc |= sl_sqlbuf_value(b, c->default_value, (int32_t)strlen(c->default_value));
    }
    if (c->comment) {
        const char *comment = b->shown && c->comment_secret ? "***" : c->comment;
        rc |= sl_sqlbuf_str(b, " COMMENT ");
        rc |= sl_sqlbuf_value(b, comment, (int32_t)strlen(comment));
    }
    return rc ? -1 : 0;
}

static int ident_list(sl_sqlbuf *b, const char **names, size_t n)
{
    int rc = sl_sqlbuf_add(b, "(", 1);
    for (size_t i = 0; i < n; i++) {
        if (i)
            rc |= sl_sqlbuf_add(b, ",", 1);
        rc |= sl_sqlbuf_ident(b, names[i]);
    }
    rc |= sl_sqlbuf_add(b, ")", 1);
    return rc ? -1 : 0;
}

int sl_sql_create_table(sl_sqlbuf *b, const sl_ddl_table *t)
{
    int rc = sl_sqlbuf_str(b, "CREATE TABLE IF NOT EXISTS ");
    rc |= sl_sqlbuf_ident(b, t->name);
    rc |= sl_sqlbuf_str(b, " (\n");
    for (size_t i = 0; i < t->n_cols; i++) {
        rc |= sl_sqlbuf_str(b, "  ");
        rc |= sl_sql_column_def(b, &t->cols[i]);
        rc |= sl_sqlbuf_str(b, ",\n");
    }
    rc |= sl_sqlbuf_str(b, "  PRIMARY KEY ");
    rc |= ident_list(b, t->pkey, t->n_pkey);
    if (t->n_index) {
        rc |= sl_sqlbuf_str(b, ",\n  KEY ");
        rc |= sl_sqlbuf_ident(b, t->index_name);
        rc |= sl_sqlbuf_add(b, " ", 1);
        rc |= ident_list(b, t->index, t->n_index);
    }
    rc |= sl_sqlbuf_str(b, "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci");
    return rc ? -1 : 0;
}

int sl_sql_add_column(sl_sqlbuf *b, const sl_ddl_table *t, const sl_ddl_col *c, const char *after)
{
    int rc = sl_sqlbuf_str(b, "ALTER TABLE ");
    rc |= sl_sqlbuf_ident(b, t->name);
    rc |= sl_sqlbuf_str(b, " ADD COLUMN ");
    rc |= sl_sql_column_def(b, c);
    if (after) {
        rc |= sl_sqlbuf_str(b, " AFTER ");
        rc |= sl_sqlbuf_ident(b, after);
    } else {
        rc |= sl_sqlbuf_str(b, " FIRST");
    }
    bool keyed = false; /* a new key column (the account's): the key takes it in the same step */
    for (size_t k = 0; k < t->n_pkey && !keyed; k++)
        keyed = !strcmp(t->pkey[k], c->name);
    for (size_t k = 0; keyed && k < t->n_pkey; k++) {
        rc |= sl_sqlbuf_str(b, k ? "," : ", DROP PRIMARY KEY, ADD PRIMARY KEY (");
        rc |= sl_sqlbuf_ident(b, t->pkey[k]);
    }
    rc |= keyed ? sl_sqlbuf_add(b, ")", 1) : 0;
    bool indexed = false; /* a new column of the secondary index: rebuilt in the same step */
    for (size_t k = 0; k < t->n_index && !indexed; k++)
        indexed = !strcmp(t->index[k], c->name);
    if (indexed) {
        rc |= sl_sqlbuf_str(b, ", DROP KEY ");
        rc |= sl_sqlbuf_ident(b, t->index_name);
        rc |= sl_sqlbuf_str(b, ", ADD KEY ");
        rc |= sl_sqlbuf_ident(b, t->index_name);
        rc |= sl_sqlbuf_add(b, " ", 1);
        rc |= ident_list(b, t->index, t->n_index);
    }
    return rc ? -1 : 0;
}

int sl_sql_rename_column(sl_sqlbuf *b, const sl_ddl_table *t, const sl_ddl_col *c)
{
    int rc = sl_sqlbuf_str(b, "ALTER TABLE ");
    rc |= sl_sqlbuf_ident(b, t->name);
    rc |= sl_sqlbuf_str(b, " CHANGE COLUMN ");
    rc |= sl_sqlbuf_ident(b, c->rename_from);
    rc |= sl_sqlbuf_add(b, " ", 1);
    rc |= sl_sql_column_def(b, c);
    return rc ? -1 : 0;
}

int sl_sql_print_ddl(const sl_ddl *ddl, FILE *out)
{
    sl_sqlbuf b;
    sl_sqlbuf_init(&b, SL_SQL_STMT_MAX);
    b.shown = true;
    int rc = 0;
    for (size_t i = 0; i < sl_ddl_count(ddl) && rc == 0; i++) {
        const sl_ddl_table *t = sl_ddl_table_at(ddl, i);
        char name[400];
        b.len = 0;
        rc = sl_sql_create_table(&b, t);
        sl_sql_comment_ident(name, sizeof name, t->name);
        if (rc == 0)
            fprintf(out, "-- migrate: create %s %s\n%s;\n\n", t->role, name, b.data);
    }
    sl_sqlbuf_free(&b);
    return rc;
}

/* ---- batch statements ---- */

/* A multi-row statement being filled: head, tuples (one per line), tail; flushed to emit
 * whenever the next tuple would push it past the cap. */
typedef struct multi {
    sl_sqlbuf stmt;
    sl_sqlbuf tuple;
    const char *head; /* ends with '\n' */
    const char *tail;
    size_t n_tuples;
    sl_sql_emit_fn emit;
    void *ctx;
} multi;

static sl_status multi_flush(multi *m, sl_error *err)
{
    if (m->n_tuples == 0)
        return SL_OK;
    size_t head_len = strlen(m->head), tail_len = strlen(m->tail);
    if (sl_sqlbuf_str(&m->stmt, m->tail) != 0)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory building SQL");
    sl_sql_stmt s = {m->stmt.data, m->stmt.len, head_len, tail_len, m->n_tuples};
    sl_status st = m->emit(m->ctx, &s, err);
    m->stmt.len = 0;
    m->n_tuples = 0;
    return st;
}

/* Appends m->tuple as the next tuple, flushing first if it would not fit. */
static sl_status multi_push(multi *m, sl_error *err)
{
    size_t need = m->tuple.len + 2 + strlen(m->tail);
    if (m->n_tuples && m->stmt.len + need > m->stmt.max) {
        sl_status st = multi_flush(m, err);
        if (st != SL_OK)
            return st;
    }
    int rc = 0;
    if (m->n_tuples == 0)
        rc |= sl_sqlbuf_str(&m->stmt, m->head);
    else
        rc |= sl_sqlbuf_add(&m->stmt, ",\n", 2);
    rc |= sl_sqlbuf_add(&m->stmt, m->tuple.data, m->tuple.len);
    if (rc || m->stmt.len + strlen(m->tail) > m->stmt.max)
        return sl_error_set(err, SL_ERR_SINK, "one row needs %zu bytes of SQL, more than the %zu a"
                                              " statement may have", m->tuple.len, m->stmt.max);
    m->n_tuples++;
    m->tuple.len = 0;
    return SL_OK;
}

/* Head "INSERT|REPLACE INTO `t` (`a`,`b`) VALUES\n" for n column names. */
static int insert_head(sl_sqlbuf *b, const char *verb, const char *table, const char **names,
                       size_t n)
{
    int rc = sl_sqlbuf_str(b, verb);
    rc |= sl_sqlbuf_ident(b, table);
    rc |= sl_sqlbuf_add(b, " ", 1);
    rc |= ident_list(b, names, n);
    rc |= sl_sqlbuf_str(b, " VALUES\n");
    return rc ? -1 : 0;
}

/* Tail "\nON DUPLICATE KEY UPDATE `c`=VALUES(`c`),..." over names[first..n). */
static int upsert_tail(sl_sqlbuf *b, const char **names, size_t n, const bool *skip)
{
    int rc = 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        if (skip && skip[i])
            continue;
        rc |= sl_sqlbuf_str(b, any ? "," : "\nON DUPLICATE KEY UPDATE ");
        rc |= sl_sqlbuf_ident(b, names[i]);
        rc |= sl_sqlbuf_str(b, "=VALUES(");
        rc |= sl_sqlbuf_ident(b, names[i]);
        rc |= sl_sqlbuf_add(b, ")", 1);
        any = true;
    }
    return rc ? -1 : 0;
}

/* Writes one row as "(v,v,...)" into b. */
static int row_tuple(sl_sqlbuf *b, const sl_rowset *rs, size_t row)
{
    const sl_cell *cells = rs->cells + row * rs->n_cols;
    int rc = sl_sqlbuf_add(b, "(", 1);
    for (size_t c = 0; c < rs->n_cols; c++) {
        if (c)
            rc |= sl_sqlbuf_add(b, ",", 1);
        rc |= sl_sqlbuf_value(b, rs->text + cells[c].off, cells[c].len);
    }
    rc |= sl_sqlbuf_add(b, ")", 1);
    return rc ? -1 : 0;
}

typedef struct batch_gen {
    const sl_plan *plan;
    sl_batch *batch;
    const char *job;
    bool skip_rows;
    bool skip_deletes;
    sl_error *err;
    multi m;
    sl_sqlbuf head;
    sl_sqlbuf tail;
    const char **names; /* scratch, one per column of the widest table */
    bool *skip;
    size_t *link;       /* scratch: parent column index of each link column */
} batch_gen;

static sl_status oom(sl_error *err)
{
    return sl_error_set(err, SL_ERR_INTERNAL, "out of memory building SQL");
}

/* Starts a new statement kind from g->head / g->tail (both already built). */
static sl_status multi_start(batch_gen *g)
{
    if (sl_sqlbuf_str(&g->tail, "") != 0)
        return oom(g->err);
    g->m.head = g->head.data;
    g->m.tail = g->tail.data;
    g->m.n_tuples = 0;
    g->m.stmt.len = 0;
    return SL_OK;
}

/* Pushes the tuple built in g->m.tuple; a failed build is out of memory. */
static sl_status push(batch_gen *g, int build_rc)
{
    if (build_rc != 0)
        return oom(g->err);
    return multi_push(&g->m, g->err);
}

/* The live rows of rs as multi-row REPLACE (or upsert) statements into t. */
static sl_status write_rows(batch_gen *g, const sl_table *t, const sl_rowset *rs, bool upsert)
{
    if (g->skip_rows)
        return SL_OK;
    g->head.len = 0;
    g->tail.len = 0;
    for (size_t c = 0; c < t->n_cols; c++) {
        g->names[c] = t->cols[c].name;
        g->skip[c] = sl_ddl_is_key(t, c);
    }
    if (insert_head(&g->head, upsert ? "INSERT INTO " : "REPLACE INTO ", t->name, g->names,
                    t->n_cols) != 0 ||
        (upsert && upsert_tail(&g->tail, g->names, t->n_cols, g->skip) != 0))
        return oom(g->err);
    sl_status st = multi_start(g);
    for (size_t r = 0; st == SL_OK && r < rs->n_rows; r++) {
        if (!(rs->dead && rs->dead[r]))
            st = push(g, row_tuple(&g->m.tuple, rs, r));
    }
    return st == SL_OK ? multi_flush(&g->m, g->err) : st;
}

/* ---- child DELETEs: a child of the top table holds copies of the top key; a deeper table
 * holds only its own parent's key, so it is reached through its ancestors' rows, which are
 * still there because a table's descendants are deleted before it ---- */

/* `table`.`col`, or `col` when table is NULL. */
static int column(sl_sqlbuf *b, const char *table, const char *col)
{
    int rc = 0;
    if (table) {
        rc |= sl_sqlbuf_ident(b, table);
        rc |= sl_sqlbuf_add(b, ".", 1);
    }
    return rc | sl_sqlbuf_ident(b, col);
}

/* " JOIN `p` ON `u`.`a` = `p`.`x` AND ..." over the link of u to its parent p. */
static int join_parent(sl_sqlbuf *b, const sl_plan *plan, const sl_table *u, const sl_table *p)
{
    int rc = sl_sqlbuf_str(b, " JOIN ");
    rc |= sl_sqlbuf_ident(b, p->name);
    const char *sep = " ON ";
    for (size_t c = 0; c < u->n_cols; c++) {
        if (!sl_plan_is_link(plan, u, c))
            continue;
        rc |= sl_sqlbuf_str(b, sep);
        rc |= column(b, u->name, u->cols[c].name);
        rc |= sl_sqlbuf_str(b, " = ");
        rc |= column(b, p->name, p->cols[u->cols[c].from_parent].name);
        sep = " AND ";
    }
    return rc;
}

/* "`a` IN (" or "(`u`.`a`,`u`.`b`) IN (" over u's copies of the top key (qualified by
 * table when joined); their top columns into top_cols. */
static int where_in(sl_sqlbuf *b, const sl_plan *plan, const sl_table *u, const char *table,
                    size_t *top_cols, size_t *n)
{
    size_t count = 0;
    for (size_t c = 0; c < u->n_cols; c++)
        count += sl_plan_is_link(plan, u, c);
    int rc = count > 1 ? sl_sqlbuf_add(b, "(", 1) : 0;
    *n = 0;
    for (size_t c = 0; c < u->n_cols; c++) {
        if (!sl_plan_is_link(plan, u, c))
            continue;
        if (*n)
            rc |= sl_sqlbuf_add(b, ",", 1);
        rc |= column(b, table, u->cols[c].name);
        top_cols[(*n)++] = (size_t)u->cols[c].from_parent;
    }
    rc |= count > 1 ? sl_sqlbuf_add(b, ")", 1) : 0;
    return rc | sl_sqlbuf_str(b, " IN (\n");
}

int sl_sql_delete_head(sl_sqlbuf *b, const sl_plan *plan, const sl_table *t, size_t *top_cols,
                       size_t *n)
{
    const sl_table *u = t, *up;
    int rc = 0;
    if (t->up == 0) {
        rc |= sl_sqlbuf_str(b, "DELETE FROM ");
        rc |= sl_sqlbuf_ident(b, t->name);
        rc |= sl_sqlbuf_str(b, " WHERE ");
        return rc | where_in(b, plan, t, NULL, top_cols, n);
    }
    rc |= sl_sqlbuf_str(b, "DELETE ");
    rc |= sl_sqlbuf_ident(b, t->name);
    rc |= sl_sqlbuf_str(b, " FROM ");
    rc |= sl_sqlbuf_ident(b, t->name);
    for (; u->up != 0 && (up = sl_plan_parent_table(plan, u)); u = up)
        rc |= join_parent(b, plan, u, up);
    rc |= sl_sqlbuf_str(b, " WHERE ");
    return rc | where_in(b, plan, u, u->name, top_cols, n);
}

/* DELETE of t's rows under every live top row of the batch (sl_sql_delete_head). */
static sl_status delete_children(batch_gen *g, const sl_table *t, const sl_rowset *parents)
{
    size_t n = 0;
    g->head.len = 0;
    g->tail.len = 0;
    if (sl_sql_delete_head(&g->head, g->plan, t, g->link, &n) ||
        sl_sqlbuf_str(&g->tail, "\n)"))
        return oom(g->err);
    if (n == 0)
        return SL_OK;
    sl_status st = multi_start(g);
    for (size_t r = 0; st == SL_OK && r < parents->n_rows; r++) {
        if (parents->dead && parents->dead[r])
            continue;
        const sl_cell *cells = parents->cells + r * parents->n_cols;
        int rc = n > 1 ? sl_sqlbuf_add(&g->m.tuple, "(", 1) : 0;
        for (size_t k = 0; k < n; k++) {
            const sl_cell *cell = &cells[g->link[k]];
            if (k)
                rc |= sl_sqlbuf_add(&g->m.tuple, ",", 1);
            rc |= sl_sqlbuf_value(&g->m.tuple, parents->text + cell->off, cell->len);
        }
        if (n > 1)
            rc |= sl_sqlbuf_add(&g->m.tuple, ")", 1);
        st = push(g, rc);
    }
    return st == SL_OK ? multi_flush(&g->m, g->err) : st;
}

static sl_status write_rejects(batch_gen *g, const sl_rowset *rs)
{
    static const char *names[] = {"job", "record_key", "column_name", "reason", "raw"};
    g->head.len = 0;
    g->tail.len = 0;
    if (insert_head(&g->head, "INSERT INTO ", g->plan->target.reject_table, names, 5) != 0)
        return oom(g->err);
    sl_status st = multi_start(g);
    size_t jlen = strlen(g->job);
    for (size_t r = 0; st == SL_OK && r < rs->n_rows; r++) {
        if (rs->dead && rs->dead[r])
            continue;
        const sl_cell *cells = rs->cells + r * rs->n_cols;
        int rc = sl_sqlbuf_add(&g->m.tuple, "(", 1);
        rc |= sl_sqlbuf_value(&g->m.tuple, g->job, (int32_t)jlen);
        for (size_t c = 0; c < SL_REJ_NCOLS; c++) {
            rc |= sl_sqlbuf_add(&g->m.tuple, ",", 1);
            rc |= sl_sqlbuf_value(&g->m.tuple, rs->text + cells[c].off, cells[c].len);
        }
        rc |= sl_sqlbuf_add(&g->m.tuple, ")", 1);
        st = push(g, rc);
    }
    return st == SL_OK ? multi_flush(&g->m, g->err) : st;
}

static sl_status write_state(batch_gen *g, int64_t watermark)
{
    static const char *plain[] = {"job", "watermark", "watermark_text"},
                      *by_account[] = {"job", "account", "watermark", "watermark_text"};
    const char *account = g->plan->account, **names = account ? by_account : plain;
    size_t n = account ? 4 : 3;
    char num[24], text[20];
    snprintf(num, sizeof num, "%lld", (long long)watermark);
    sl_time_format(watermark, g->plan->source.window.tz_offset_s, text);
    g->head.len = 0;
    g->tail.len = 0;
    int rc = insert_head(&g->head, "INSERT INTO ", g->plan->target.state_table, names, n);
    rc |= upsert_tail(&g->tail, names + n - 2, 2, NULL);
    if (rc)
        return oom(g->err);
    sl_status st = multi_start(g);
    if (st != SL_OK)
        return st;
    rc = sl_sqlbuf_add(&g->m.tuple, "(", 1);
    rc |= sl_sqlbuf_value(&g->m.tuple, g->job, (int32_t)strlen(g->job));
    if (account) {
        rc |= sl_sqlbuf_add(&g->m.tuple, ",", 1);
        rc |= sl_sqlbuf_value(&g->m.tuple, account, (int32_t)strlen(account));
    }
    rc |= sl_sqlbuf_add(&g->m.tuple, ",", 1);
    rc |= sl_sqlbuf_value(&g->m.tuple, num, (int32_t)strlen(num));
    rc |= sl_sqlbuf_add(&g->m.tuple, ",", 1);
    rc |= sl_sqlbuf_value(&g->m.tuple, text, (int32_t)strlen(text));
    rc |= sl_sqlbuf_add(&g->m.tuple, ")", 1);
    st = push(g, rc);
    return st == SL_OK ? multi_flush(&g->m, g->err) : st;
}

static sl_status batch_all(batch_gen *g, const int64_t *watermark)
{
    const sl_plan *plan = g->plan;
    sl_rowset *parents = sl_batch_parent(g->batch);
    bool upsert = plan->target.write == SL_WRITE_UPSERT;
    sl_status st = write_rows(g, &plan->table, parents, upsert);
    /* per child of the top table: its tree's DELETEs, deepest first (a deeper one joins
     * through its ancestors' rows), then its tree's rows */
    for (size_t i = 0, end; st == SL_OK && i < plan->n_children; i = end) {
        end = sl_plan_subtree_end(plan, i);
        for (size_t j = end; st == SL_OK && !g->skip_deletes && j-- > i;)
            st = delete_children(g, &plan->children[j], parents);
        for (size_t j = i; st == SL_OK && j < end; j++)
            st = write_rows(g, &plan->children[j], sl_batch_child(g->batch, j), false);
    }
    if (st == SL_OK)
        st = write_rejects(g, sl_batch_rejects(g->batch));
    if (st == SL_OK && watermark)
        st = write_state(g, *watermark);
    return st;
}

sl_status sl_sql_batch(const sl_plan *plan, const sl_batch *batch, const char *job,
                       const int64_t *watermark, size_t max_stmt, int flags,
                       sl_sql_emit_fn emit, void *ctx, sl_error *err)
{
    size_t width = plan->table.n_cols;
    for (size_t i = 0; i < plan->n_children; i++)
        if (plan->children[i].n_cols > width)
            width = plan->children[i].n_cols;
    /* The row sets are only read; batch.h's accessors just take a non-const handle. */
    batch_gen g = {.plan = plan, .batch = (sl_batch *)batch, .job = job,
                   .skip_rows = flags & SL_SQL_SKIP_ROWS, .skip_deletes = flags & SL_SQL_SKIP_DELETES,
                   .err = err};
    g.m.emit = emit;
    g.m.ctx = ctx;
    sl_sqlbuf_init(&g.m.stmt, max_stmt);
    sl_sqlbuf_init(&g.m.tuple, max_stmt);
    sl_sqlbuf_init(&g.head, max_stmt);
    sl_sqlbuf_init(&g.tail, max_stmt);
    g.names = calloc(width + 1, sizeof *g.names);
    g.skip = calloc(width + 1, sizeof *g.skip);
    g.link = calloc(width + 1, sizeof *g.link);
    sl_status st = g.names && g.skip && g.link ? batch_all(&g, watermark) : oom(err);
    sl_sqlbuf_free(&g.m.stmt);
    sl_sqlbuf_free(&g.m.tuple);
    sl_sqlbuf_free(&g.head);
    sl_sqlbuf_free(&g.tail);
    free(g.names);
    free(g.skip);
    free(g.link);
    return st;
}

int sl_sql_insert_prepared(sl_sqlbuf *b, const sl_table *t, bool upsert)
{
    const char **names = calloc(t->n_cols + 1, sizeof *names);
    bool *skip = calloc(t->n_cols + 1, sizeof *skip);
    int rc = names && skip ? 0 : -1;
    for (size_t c = 0; rc == 0 && c < t->n_cols; c++) {
        names[c] = t->cols[c].name;
        skip[c] = sl_ddl_is_key(t, c);
    }
    if (rc == 0)
        rc = insert_head(b, upsert ? "INSERT INTO " : "REPLACE INTO ", t->name, names, t->n_cols);
    rc |= sl_sqlbuf_add(b, "(", 1);
    for (size_t c = 0; c < t->n_cols; c++)
        rc |= sl_sqlbuf_str(b, c ? ",?" : "?");
    rc |= sl_sqlbuf_add(b, ")", 1);
    if (upsert)
        rc |= upsert_tail(b, names, t->n_cols, skip);
    free(names);
    free(skip);
    return rc ? -1 : 0;
}
