/* my_load.c: the MySQL sink's LOAD DATA path (target.load: load_data). The live rows of a
 * table go as TSV built in memory (sql.c: sl_sql_tsv_row) by LOAD DATA LOCAL INFILE, inside the
 * batch's transaction, served by the connection's local-infile callbacks (my_conn.c), which
 * send nothing else. Warnings (truncation, bad values: LOAD DATA LOCAL turns data errors
 * into warnings even in strict mode) fail the batch. */
#include <stdio.h>
#include <string.h>

#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

#include "my_conn.h"
#include "my_load.h"

/* Cap of one statement's TSV; a bigger table part goes as several statements. */
#define LOAD_MAX ((size_t)16 << 20)

/* The warnings of the last statement as an SL_ERR_SINK naming table t. */
static sl_status warnings_fail(mysql_sink *s, const sl_table *t, unsigned count, sl_error *err)
{
    char shown[768] = "";
    size_t n = 0;
    MYSQL_RES *res = mysql_query(s->db, "SHOW WARNINGS LIMIT 3") == 0 ? mysql_store_result(s->db)
                                                                       : NULL;
    MYSQL_ROW row;
    while (res && (row = mysql_fetch_row(res)) != NULL && n < sizeof shown) {
        int k = snprintf(shown + n, sizeof shown - n, "%s%s %s: %s", n ? "; " : "",
                         row[0] ? row[0] : "?", row[1] ? row[1] : "?", row[2] ? row[2] : "?");
        n += k > 0 ? (size_t)k : 0;
    }
    if (res)
        mysql_free_result(res);
    s->last_errno = 0;
    return sl_error_set(err, SL_ERR_SINK, "write on %s: LOAD DATA into %s gave %u warning(s),"
                        " treated as errors: %s", s->where, t->name, count, shown);
}

/* Sends s->tsv to table t by one LOAD DATA statement; empties s->tsv. */
static sl_status load_flush(mysql_sink *s, const sl_table *t, sl_error *err)
{
    if (s->tsv.len == 0)
        return SL_OK;
    s->q.len = 0;
    if (sl_sql_load_data(&s->q, t) != 0)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    s->tsv_armed = true;
    int rc = mysql_real_query(s->db, s->q.data, (unsigned long)s->q.len);
    s->tsv_armed = false;
    s->tsv.len = 0;
    if (rc != 0) {
        unsigned e = mysql_errno(s->db);
        if (e != ER_NOT_ALLOWED_COMMAND && e != ER_LOAD_INFILE_CAPABILITY_DISABLED)
            return sl_my_fail(s, "write (LOAD DATA)", err);
        s->last_errno = e;
        return sl_error_set(err, SL_ERR_SINK, "write on %s: the server refuses LOAD DATA LOCAL"
                            " INFILE (error %u: %s): set local_infile=ON on the server, or use"
                            " 'load: bulk'", s->where, e, mysql_error(s->db));
    }
    unsigned warnings = mysql_warning_count(s->db);
    return warnings ? warnings_fail(s, t, warnings, err) : SL_OK;
}

/* The live rows of rs into table t, as few LOAD DATA statements as the cap allows. */
static sl_status load_rows(mysql_sink *s, const sl_table *t, const sl_rowset *rs, sl_error *err)
{
    sl_status st = SL_OK;
    s->tsv.len = 0;
    for (size_t r = 0; st == SL_OK && r < rs->n_rows; r++) {
        if (rs->dead && rs->dead[r])
            continue;
        if (sl_sql_tsv_row(&s->tsv, rs, r) == 0)
            continue;
        st = load_flush(s, t, err);
        if (st == SL_OK && sl_sql_tsv_row(&s->tsv, rs, r) != 0)
            st = sl_error_set(err, SL_ERR_SINK, "a row of %s needs more than the %zu bytes a"
                              " LOAD DATA statement may carry", t->name, s->tsv.max);
    }
    return st == SL_OK ? load_flush(s, t, err) : st;
}

sl_status sl_my_load_all(mysql_sink *s, const sl_batch *batch, sl_error *err)
{
    const sl_plan *plan = s->base.plan;
    sl_batch *b = (sl_batch *)batch; /* only read; the accessors take a non-const handle */
    sl_status st = load_rows(s, &plan->table, sl_batch_parent(b), err);
    for (size_t i = 0; st == SL_OK && i < plan->n_children; i++)
        st = load_rows(s, &plan->children[i], sl_batch_child(b, i), err);
    return st;
}

void sl_my_load_init(mysql_sink *s)
{
    sl_sqlbuf_init(&s->tsv, LOAD_MAX);
}
