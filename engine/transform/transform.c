/* transform.c: record -> rows. Parent key columns are converted first so a reject can name
 * the key; any failure rolls every row set back to where the record started. */
#include "transform.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "jpath.h"
#include "personal.h"
#include "quality.h"
#include "text.h"

enum { DONE = 0, REJECT = 1, OOM = -1 };

/* Why a record was rejected. */
typedef struct reject {
    const sl_table *table;
    const char *column;
    char reason[512];
} reject;

static int set_reject(reject *rej, const sl_table *t, const sl_column *c, const char *reason)
{
    rej->table = t;
    rej->column = c->name;
    sl_text_escape(rej->reason, sizeof rej->reason, reason, strlen(reason));
    return REJECT;
}

/* What every table of one record is filled into. */
typedef struct record_ctx {
    const sl_plan *plan;
    sl_batch *batch;
    sl_seen *seen;
    reject *rej;
    bool stored; /* a stored reject being replayed: its markers are the protected cells */
} record_ctx;

/* Filling one table's row: where it goes and what it hangs from. */
typedef struct fill_ctx {
    const sl_table *t;
    sl_rowset *rs;
    const sl_rowset *prs; /* the parent rows (child tables) */
    size_t prow;
    reject *rej;
    uint8_t *hit;         /* t's "path found a value" flags (sl_seen), or NULL */
    size_t *rows;         /* t's count of rows tried (sl_seen), or NULL */
    const record_ctx *rec; /* child tables: for their own children */
    size_t ti;             /* child tables: table index, 1 + i for plan->children[i] */
    const sl_personal_plan *pp; /* the plan's personal settings */
    bool stored;           /* as record_ctx.stored */
} fill_ctx;

/* The seen flags and row counts of one table (0 = the parent, 1 + i = child i). */
static void seen_slots(sl_seen *seen, size_t table, fill_ctx *x);
static int fill_kids(const record_ctx *r, size_t up, const sl_rowset *prs, size_t prow,
                     const json_t *src);

/* Converts v into cell (row, ci) and protects it as the column's `personal` says: a dropped
 * column is never converted; a stored reject's marker is the protected cell already; a
 * conversion failure of a protected column does not quote the value. */
static int convert_cell(const fill_ctx *x, const sl_column *c, size_t ci, const json_t *v,
                        size_t row)
{
    if (c->personal == SL_PERSONAL_DROP)
        return DONE;
    const char *marked = x->stored ? sl_personal_marked(v, c->personal) : NULL;
    if (marked)
        return sl_rowset_set(x->rs, row, ci, marked, strlen(marked)) ? OOM : DONE;
    sl_error why;
    why.code = SL_OK; /* not the whole record: this runs for every cell */
    sl_status st = sl_conv_apply(c->conv, v, x->rs, row, ci, &why);
    if (st == SL_ERR_DATA && c->personal > SL_PERSONAL_CLEAR)
        return set_reject(x->rej, x->t, c, "the value does not convert to the column's type "
                                           "(not quoted: personal data)");
    if (st == SL_ERR_DATA)
        return set_reject(x->rej, x->t, c, why.msg);
    if (st || sl_personal_cell(x->pp, c->personal, x->rs, row, ci))
        return OOM;
    return DONE;
}

/* Converts one column of row from src (or copies it from the parent row), then applies the
 * default and `required` to a NULL result. */
static int fill_cell(const fill_ctx *x, size_t ci, const json_t *src, size_t row)
{
    const sl_table *t = x->t;
    const sl_column *c = &t->cols[ci];
    const json_t *v = NULL;
    int32_t len;
    if (c->from_parent >= 0) {
        const char *s = sl_rowset_get(x->prs, x->prow, (size_t)c->from_parent, &len);
        if (len >= 0 && sl_rowset_set(x->rs, row, ci, s, (size_t)len))
            return OOM;
    } else {
        v = c->path ? sl_jpath_get(c->path, src) : NULL; /* no path: the account column */
        if (v && x->hit)
            x->hit[ci] = 1;
        int rc = convert_cell(x, c, ci, v, row);
        if (rc)
            return rc;
    }
    if (sl_rowset_get(x->rs, row, ci, &len), len >= 0)
        return DONE;
    if (c->default_text)
        return sl_rowset_set(x->rs, row, ci, c->default_text, strlen(c->default_text)) ? OOM
                                                                                       : DONE;
    if (c->required)
        return set_reject(x->rej, t, c,
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
static int fill_row(const fill_ctx *x, const json_t *src, size_t row)
{
    const sl_table *t = x->t;
    int rc;
    if (x->rows)
        (*x->rows)++;
    for (size_t k = 0; k < t->n_key; k++)
        if ((rc = fill_cell(x, t->key[k], src, row)))
            return rc;
    for (size_t ci = 0; ci < t->n_cols; ci++)
        if (!is_key(t, ci) && (rc = fill_cell(x, ci, src, row)))
            return rc;
    return DONE;
}

static int add_child(const json_t *item, void *vctx)
{
    fill_ctx *x = vctx;
    size_t row = sl_rowset_add_row(x->rs);
    if (row == SIZE_MAX)
        return OOM;
    x->rs->parent[row] = (uint32_t)x->prow;
    int rc = fill_row(x, item, row);
    return rc == DONE ? fill_kids(x->rec, x->ti, x->rs, row, item) : rc;
}

/* The rows of the child tables of table `up` (0 the top table, 1 + i child i) from src, the
 * record or item its row prow of prs was made from; each child row is followed by its own
 * children's rows, so every row set stays in the order of its parent rows (batch.c relies on
 * it). */
static int fill_kids(const record_ctx *r, size_t up, const sl_rowset *prs, size_t prow,
                     const json_t *src)
{
    const sl_plan *plan = r->plan;
    int rc = DONE;
    for (size_t i = up, end = sl_plan_kids_end(plan, up); i < end && rc == DONE; i++) {
        if (plan->children[i].up != up)
            continue;
        fill_ctx cx = {.t = &plan->children[i], .rs = sl_batch_child(r->batch, i), .prs = prs,
                       .prow = prow, .rej = r->rej, .rec = r, .ti = 1 + i,
                       .pp = &plan->personal, .stored = r->stored};
        seen_slots(r->seen, 1 + i, &cx);
        rc = sl_jpath_each(plan->children[i].each, src, add_child, &cx);
    }
    return rc;
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
    json_t *safe = plan->personal.any ? sl_personal_record_new(plan, record) : NULL;
    if (plan->personal.any && !safe)
        return OOM;
    const json_t *kept = safe ? safe : record; /* no personal value in clear */
    n = json_dumpb(kept, NULL, 0, flags);
    char *dst = sl_rowset_reserve(rj, n);
    bool ok = dst && json_dumpb(kept, dst, n, flags) == n;
    json_decref(safe);
    if (!ok)
        return OOM;
    sl_rowset_commit(rj, row, SL_REJ_RAW, sl_text_cut_len(dst, n, SL_REJ_RAW_BYTES));
    return REJECT;
}

/* Parent row, then the child tables' rows at every depth. */
static int fill_record(const sl_plan *plan, const json_t *record, sl_batch *batch, size_t prow,
                       reject *rej, sl_seen *seen, bool stored)
{
    sl_rowset *prs = sl_batch_parent(batch);
    fill_ctx x = {.t = &plan->table, .rs = prs, .rej = rej, .pp = &plan->personal,
                  .stored = stored};
    seen_slots(seen, 0, &x);
    int rc = fill_row(&x, record, prow);
    record_ctx r = {plan, batch, seen, rej, stored};
    return rc == DONE ? fill_kids(&r, 0, prs, prow, record) : rc;
}

/* The data-quality rules on the converted parent row: a reject rule that fails rejects the
 * record, naming the rule's column (a check's first) and its reason. */
static int check_quality(const sl_plan *plan, sl_quality *q, const sl_rowset *prs, size_t prow,
                         reject *rej)
{
    size_t ri = 0;
    char why[sizeof rej->reason];
    int rc = q ? sl_quality_row(q, prs, prow, &ri, why, sizeof why) : 0;
    if (rc <= 0)
        return rc < 0 ? OOM : DONE;
    const sl_dq_rule *r = &plan->quality[ri];
    size_t col = r->column >= 0 ? (size_t)r->column : r->check_cols[0];
    return set_reject(rej, &plan->table, &plan->table.cols[col], why);
}

int sl_transform_record_seen(const sl_plan *plan, const json_t *record, sl_batch *batch,
                             sl_seen *seen, sl_error *err)
{
    return sl_transform_record_checked(plan, record, batch, seen, NULL, err);
}

/* sl_transform_record_checked, of a record from the API or (stored) from the reject table. */
static int transform(const sl_plan *plan, const json_t *record, sl_batch *batch, sl_seen *seen,
                     sl_quality *quality, bool stored, sl_error *err)
{
    sl_rowset *prs = sl_batch_parent(batch), *rj = sl_batch_rejects(batch);
    size_t rj_rows = rj->n_rows, rj_text = rj->text_len;
    reject rej = {0};
    sl_batch_savepoint(batch);
    size_t prow = sl_rowset_add_row(prs);
    int rc = prow == SIZE_MAX ? OOM : fill_record(plan, record, batch, prow, &rej, seen, stored);
    if (rc == DONE)
        rc = check_quality(plan, quality, prs, prow, &rej);
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

int sl_transform_record_checked(const sl_plan *plan, const json_t *record, sl_batch *batch,
                                sl_seen *seen, sl_quality *quality, sl_error *err)
{
    return transform(plan, record, batch, seen, quality, false, err);
}

int sl_transform_stored(const sl_plan *plan, const json_t *record, sl_batch *batch,
                        sl_quality *quality, sl_error *err)
{
    return transform(plan, record, batch, NULL, quality, true, err);
}

int sl_transform_record(const sl_plan *plan, const json_t *record, sl_batch *batch,
                        sl_error *err)
{
    return sl_transform_record_seen(plan, record, batch, NULL, err);
}

/* ---- seen paths ------------------------------------------------------------------------ */

struct sl_seen {
    uint8_t *hit;   /* per column: the parent's, then each child's, in order */
    size_t *first;  /* per table: its first column's index into hit */
    size_t *rows;   /* per table: rows tried (records; a child's: items) */
    size_t n_tables;
};

sl_seen *sl_seen_new(const sl_plan *plan)
{
    sl_seen *seen = calloc(1, sizeof *seen);
    size_t n = 1 + plan->n_children, cols = plan->table.n_cols;
    for (size_t i = 0; i < plan->n_children; i++)
        cols += plan->children[i].n_cols;
    if (!seen || !(seen->first = calloc(n, sizeof *seen->first)) ||
        !(seen->rows = calloc(n, sizeof *seen->rows)) ||
        !(seen->hit = calloc(cols ? cols : 1, 1))) {
        sl_seen_free(seen);
        return NULL;
    }
    seen->n_tables = n;
    for (size_t i = 1; i < n; i++)
        seen->first[i] = seen->first[i - 1] + (i == 1 ? plan->table.n_cols
                                                      : plan->children[i - 2].n_cols);
    return seen;
}

void sl_seen_free(sl_seen *seen)
{
    if (!seen)
        return;
    free(seen->hit);
    free(seen->first);
    free(seen->rows);
    free(seen);
}

static void seen_slots(sl_seen *seen, size_t table, fill_ctx *x)
{
    if (!seen)
        return;
    x->hit = seen->hit + seen->first[table];
    x->rows = &seen->rows[table];
}

void sl_seen_report(const sl_seen *seen, const sl_plan *plan,
                    void (*warn)(const char *msg, void *ctx), void *ctx)
{
    for (size_t ti = 0; ti < seen->n_tables; ti++) {
        const sl_table *t = ti == 0 ? &plan->table : &plan->children[ti - 1];
        size_t rows = seen->rows[ti];
        for (size_t ci = 0; rows > 0 && ci < t->n_cols; ci++) {
            const sl_column *c = &t->cols[ci];
            if (c->from_parent >= 0 || !c->path || seen->hit[seen->first[ti] + ci])
                continue;
            char msg[400];
            snprintf(msg, sizeof msg,
                     "warning: column %s%s%s: path '%s' was in none of the %zu %s of this run "
                     "(a typo? every row got %s)",
                     ti ? t->name : "", ti ? "." : "", c->name, sl_jpath_text(c->path), rows,
                     ti ? "items" : "records", c->default_text ? "the default" : "NULL");
            warn(msg, ctx);
        }
    }
}

static int reject_raw(const sl_plan *plan, const json_t *record, const char *reason,
                      const char *raw, size_t raw_len, sl_batch *batch, sl_error *err);

/* The record's key cells into the parent row, as far as they convert (a key that does not
 * stays empty): for the reject row's record_key. */
static int fill_key(const sl_plan *plan, const json_t *record, sl_rowset *prs, size_t prow)
{
    reject ignored;
    fill_ctx x = {.t = &plan->table, .rs = prs, .rej = &ignored, .pp = &plan->personal};
    for (size_t k = 0; k < plan->table.n_key; k++)
        if (fill_cell(&x, plan->table.key[k], record, prow) == OOM)
            return OOM;
    return DONE;
}

/* The record's text for the reject table when the job protects personal data: the record as
 * decoded with its personal fields protected (the raw bytes would hold them in clear); owned,
 * NULL when out of memory. */
static char *protected_raw(const sl_plan *plan, const json_t *record)
{
    json_t *safe = record ? sl_personal_record_new(plan, record) : NULL;
    char *text = safe ? json_dumps(safe, JSON_COMPACT | JSON_ENCODE_ANY) : NULL;
    json_decref(safe);
    return text ? text : record ? NULL : strdup("");
}

int sl_transform_reject(const sl_plan *plan, const json_t *record, const char *reason,
                        const char *raw, size_t raw_len, sl_batch *batch, sl_error *err)
{
    char *safe = plan->personal.any ? protected_raw(plan, record) : NULL;
    if (plan->personal.any && !safe) {
        sl_error_set(err, SL_ERR_INTERNAL, "out of memory while rejecting a record");
        return -1;
    }
    if (safe) {
        raw = safe;
        raw_len = strlen(safe);
    }
    int rc = reject_raw(plan, record, reason, raw, raw_len, batch, err);
    free(safe);
    return rc;
}

static int reject_raw(const sl_plan *plan, const json_t *record, const char *reason,
                      const char *raw, size_t raw_len, sl_batch *batch, sl_error *err)
{
    sl_rowset *prs = sl_batch_parent(batch), *rj = sl_batch_rejects(batch);
    size_t rj_rows = rj->n_rows, rj_text = rj->text_len;
    sl_batch_savepoint(batch);
    size_t prow = sl_rowset_add_row(prs), row = SIZE_MAX;
    int rc = prow == SIZE_MAX ? OOM : fill_key(plan, record, prs, prow);
    if (rc == DONE && ((row = sl_rowset_add_row(rj)) == SIZE_MAX ||
                       put_reject_key(&plan->table, prs, prow, rj, row) ||
                       sl_rowset_set(rj, row, SL_REJ_REASON, reason, strlen(reason)) ||
                       sl_rowset_set(rj, row, SL_REJ_RAW, raw,
                                     sl_text_cut_len(raw, raw_len, SL_REJ_RAW_BYTES))))
        rc = OOM;
    sl_batch_rollback(batch);
    if (rc == DONE)
        return 1;
    sl_rowset_truncate(rj, rj_rows, rj_text);
    sl_error_set(err, SL_ERR_INTERNAL, "out of memory while rejecting a record");
    return -1;
}
