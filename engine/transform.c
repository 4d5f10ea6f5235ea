/* transform.c: record -> rows. Parent key columns are converted first so a reject can name
 * the key; any failure rolls every row set back to where the record started. */
#include "transform.h"

#include <stdio.h>
#include <string.h>

#include "convert.h"
#include "jpath.h"
#include "text.h"

enum { DONE = 0, REJECT = 1, OOM = -1 };

/* Why a record was rejected. */
typedef struct reject {
    const sl_table *table;
    const char *column;
    char reason[256];
} reject;

static int set_reject(reject *rej, const sl_table *t, const sl_column *c, const char *reason)
{
    rej->table = t;
    rej->column = c->name;
    sl_text_escape(rej->reason, sizeof rej->reason, reason, strlen(reason));
    return REJECT;
}

/* Converts one column of row from src (or copies it from the parent row), then applies the
 * default and `required` to a NULL result. */
static int fill_cell(const sl_table *t, size_t ci, const json_t *src, sl_rowset *rs, size_t row,
                     const sl_rowset *prs, size_t prow, reject *rej)
{
    const sl_column *c = &t->cols[ci];
    const json_t *v = NULL;
    int32_t len;
    if (c->from_parent >= 0) {
        const char *s = sl_rowset_get(prs, prow, (size_t)c->from_parent, &len);
        if (len >= 0 && sl_rowset_set(rs, row, ci, s, (size_t)len))
            return OOM;
    } else {
        char why[200];
        v = sl_jpath_get(c->path, src);
        int rc = sl_conv_apply(c->conv, v, rs, row, ci, why, sizeof why);
        if (rc == -1)
            return set_reject(rej, t, c, why);
        if (rc)
            return OOM;
    }
    if (sl_rowset_get(rs, row, ci, &len), len >= 0)
        return DONE;
    if (c->default_text)
        return sl_rowset_set(rs, row, ci, c->default_text, strlen(c->default_text)) ? OOM : DONE;
    if (c->required)
        return set_reject(rej, t, c,
                          c->from_parent >= 0 ? "required value is NULL in the parent row"
                          : !v                ? "required value is missing"
                          : json_is_null(v)   ? "required value is null"
                                              : "required value is empty");
    return DONE;
}

static bool is_key(const sl_table *t, size_t ci)
{
    for (size_t k = 0; k < t->n_key; k++)
        if (t->key[k] == ci)
            return true;
    return false;
}

/* Fills every cell of row: key columns first, then the rest in column order. */
static int fill_row(const sl_table *t, const json_t *src, sl_rowset *rs, size_t row,
                    const sl_rowset *prs, size_t prow, reject *rej)
{
    int rc;
    for (size_t k = 0; k < t->n_key; k++)
        if ((rc = fill_cell(t, t->key[k], src, rs, row, prs, prow, rej)))
            return rc;
    for (size_t ci = 0; ci < t->n_cols; ci++)
        if (!is_key(t, ci) && (rc = fill_cell(t, ci, src, rs, row, prs, prow, rej)))
            return rc;
    return DONE;
}

typedef struct child_ctx {
    const sl_table *table;
    sl_rowset *rs;
    const sl_rowset *prs;
    size_t prow;
    reject *rej;
} child_ctx;

static int add_child(const json_t *item, void *vctx)
{
    child_ctx *x = vctx;
    size_t row = sl_rowset_add_row(x->rs);
    if (row == SIZE_MAX)
        return OOM;
    x->rs->parent[row] = (uint32_t)x->prow;
    return fill_row(x->table, item, x->rs, row, x->prs, x->prow, x->rej);
}

/* Key cells of the parent row joined by ",", as far as they are known. */
static int put_reject_key(const sl_table *t, const sl_rowset *prs, size_t prow, sl_rowset *rj,
                          size_t rrow)
{
    size_t total = 0, len = 0;
    int32_t l;
    for (size_t k = 0; k < t->n_key; k++) {
        sl_rowset_get(prs, prow, t->key[k], &l);
        total += (l > 0 ? (size_t)l : 0) + 1;
    }
    char *dst = sl_rowset_reserve(rj, total);
    if (!dst)
        return OOM;
    for (size_t k = 0; k < t->n_key; k++) {
        const char *s = sl_rowset_get(prs, prow, t->key[k], &l);
        if (k)
            dst[len++] = ',';
        if (l > 0) {
            memcpy(dst + len, s, (size_t)l);
            len += (size_t)l;
        }
    }
    sl_rowset_commit(rj, rrow, SL_REJ_KEY, sl_text_cut_chars(dst, len, SL_REJ_KEY_CHARS));
    return DONE;
}

/* The reject's column ("column", or "table.column" in a child table) and reason. When
 * "table.column" is wider than the column_name column, it holds the column alone and the
 * reason starts with "table <name>: ", so nothing is lost and the INSERT fits. */
static int put_reject_why(const sl_table *parent, const reject *rej, sl_rowset *rj, size_t row)
{
    char col[300], why[sizeof rej->reason + 300];
    const char *reason = rej->reason;
    size_t n = 0;
    if (rej->table == parent)
        snprintf(col, sizeof col, "%s", rej->column);
    else
        snprintf(col, sizeof col, "%s.%s", rej->table->name, rej->column);
    if (sl_text_cut_chars(col, strlen(col), SL_REJ_COLUMN_CHARS) < strlen(col)) {
        snprintf(col, sizeof col, "%s", rej->column);
        snprintf(why, sizeof why, "table %s: %s", rej->table->name, rej->reason);
        reason = why;
    }
    n = strlen(col);
    if (sl_rowset_set(rj, row, SL_REJ_COLUMN, col, sl_text_cut_chars(col, n, SL_REJ_COLUMN_CHARS)))
        return OOM;
    n = strlen(reason);
    return sl_rowset_set(rj, row, SL_REJ_REASON, reason,
                         sl_text_cut_chars(reason, n, SL_REJ_REASON_CHARS)) ? OOM : DONE;
}

static int add_reject(const sl_plan *plan, const json_t *record, const reject *rej,
                      const sl_rowset *prs, size_t prow, sl_rowset *rj)
{
    const size_t flags = JSON_COMPACT | JSON_ENCODE_ANY;
    size_t row = sl_rowset_add_row(rj), n;
    if (row == SIZE_MAX || put_reject_key(&plan->table, prs, prow, rj, row) ||
        put_reject_why(&plan->table, rej, rj, row))
        return OOM;
    n = json_dumpb(record, NULL, 0, flags);
    char *dst = sl_rowset_reserve(rj, n);
    if (!dst || json_dumpb(record, dst, n, flags) != n)
        return OOM;
    sl_rowset_commit(rj, row, SL_REJ_RAW, n);
    return REJECT;
}

/* Parent row, then each child table's rows. */
static int fill_record(const sl_plan *plan, const json_t *record, sl_batch *batch, size_t prow,
                       reject *rej)
{
    sl_rowset *prs = sl_batch_parent(batch);
    int rc = fill_row(&plan->table, record, prs, prow, NULL, 0, rej);
    for (size_t i = 0; i < plan->n_children && rc == DONE; i++) {
        child_ctx x = {&plan->children[i], sl_batch_child(batch, i), prs, prow, rej};
        rc = sl_jpath_each(plan->children[i].each, record, add_child, &x);
    }
    return rc;
}

int sl_transform_record(const sl_plan *plan, const json_t *record, sl_batch *batch,
                        sl_error *err)
{
    sl_rowset *prs = sl_batch_parent(batch), *rj = sl_batch_rejects(batch);
    size_t rj_rows = rj->n_rows, rj_text = rj->text_len;
    reject rej = {0};
    sl_batch_savepoint(batch);
    size_t prow = sl_rowset_add_row(prs);
    int rc = prow == SIZE_MAX ? OOM : fill_record(plan, record, batch, prow, &rej);
    if (rc == DONE) {
        sl_batch_commit_record(batch, prow);
        return 0;
    }
    if (rc == REJECT) /* reads the parent row's key cells, so before the rollback */
        rc = add_reject(plan, record, &rej, prs, prow, rj);
    sl_batch_rollback(batch);
    if (rc == REJECT)
        return 1;
    sl_rowset_truncate(rj, rj_rows, rj_text);
    sl_error_set(err, SL_ERR_INTERNAL, "out of memory while converting a record");
    return -1;
}
