/* ddl.c: the tables of a plan as a SQL sink creates them (ddl.h), in logical types. */
#include "ddl.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"

bool sl_sql_ident_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 64 || isdigit((unsigned char)name[0]))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && name[i] != '_')
            return false;
    return true;
}


/* state_table with a trailing "_state" replaced by "_<suffix>", else with it appended. */
static void sibling_table(const char *state_table, const char *suffix, char *out, size_t outlen)
{
    size_t n = strlen(state_table);
    if (n >= 6 && strcmp(state_table + n - 6, "_state") == 0)
        snprintf(out, outlen, "%.*s_%s", (int)(n - 6), state_table, suffix);
    else
        snprintf(out, outlen, "%s_%s", state_table, suffix);
}

void sl_sql_runs_table(const char *state_table, char *out, size_t outlen)
{
    sibling_table(state_table, "runs", out, outlen);
}

void sl_sql_quality_table(const char *state_table, char *out, size_t outlen)
{
    sibling_table(state_table, "quality", out, outlen);
}

#define BIGINT {SL_LT_BIGINT, 0, 0}
#define VARCHAR(n) {SL_LT_VARCHAR, n, 0}
#define TIME3(kind) {kind, 3, 0}

static sl_ddl_col state_cols[] = {
    {"job", NULL, VARCHAR(64), true, NULL, SL_FILL_NONE, "job name", false},
    {"watermark", NULL, BIGINT, true, NULL, SL_FILL_NONE, "synced up to here: epoch seconds, UTC", false},
    {"watermark_text", NULL, VARCHAR(32), true, NULL, SL_FILL_NONE, "the watermark in the window zone", false},
    {"updated_at", NULL, TIME3(SL_LT_TIMESTAMP), true, NULL, SL_FILL_NOW_ON_UPDATE, NULL, false},
};

static sl_ddl_col runs_cols[] = {
    {"id", NULL, BIGINT, true, NULL, SL_FILL_SERIAL, NULL, false},
    {"job", NULL, VARCHAR(64), true, NULL, SL_FILL_NONE, NULL, false},
    {"started_at", NULL, TIME3(SL_LT_DATETIME), true, NULL, SL_FILL_NONE, "UTC", false},
    {"ended_at", NULL, TIME3(SL_LT_DATETIME), false, NULL, SL_FILL_NONE, "UTC; NULL while running or after a crash", false},
    {"status", NULL, VARCHAR(16), true, NULL, SL_FILL_NONE, "running, ok, or the failure (sl_status name)", false},
    {"message", NULL, VARCHAR(1024), false, NULL, SL_FILL_NONE, NULL, false},
    {"windows", NULL, BIGINT, true, "0", SL_FILL_NONE, NULL, false},
    {"pages", NULL, BIGINT, true, "0", SL_FILL_NONE, NULL, false},
    {"rows_written", NULL, BIGINT, true, "0", SL_FILL_NONE, NULL, false},
    {"rejects", NULL, BIGINT, true, "0", SL_FILL_NONE, NULL, false},
    {"retries", NULL, BIGINT, true, "0", SL_FILL_NONE, NULL, false},
    {"throttles", NULL, BIGINT, true, "0", SL_FILL_NONE, NULL, false},
    {"watermark_from", NULL, BIGINT, false, NULL, SL_FILL_NONE, "epoch seconds at the start", false},
    {"watermark_to", NULL, BIGINT, false, NULL, SL_FILL_NONE, "epoch seconds at the end", false},
};

static sl_ddl_col reject_cols[] = {
    {"id", NULL, BIGINT, true, NULL, SL_FILL_SERIAL, NULL, false},
    {"job", NULL, VARCHAR(64), true, NULL, SL_FILL_NONE, NULL, false},
    {"record_key", NULL, VARCHAR(255), false, NULL, SL_FILL_NONE, "the key cells, comma-separated", false},
    {"column_name", NULL, VARCHAR(64), false, NULL, SL_FILL_NONE, NULL, false},
    {"reason", NULL, VARCHAR(1024), true, NULL, SL_FILL_NONE, NULL, false},
    {"raw", NULL, {SL_LT_JSON, 0, 0}, false, NULL, SL_FILL_NONE, "the record as JSON", false},
    {"created_at", NULL, TIME3(SL_LT_TIMESTAMP), true, NULL, SL_FILL_NOW, NULL, false},
};

static sl_ddl_col quality_cols[] = {
    {"run_id", NULL, BIGINT, true, NULL, SL_FILL_NONE, "the run (runs table id)", false},
    {"job", NULL, VARCHAR(64), true, NULL, SL_FILL_NONE, NULL, false},
    {"rule", NULL, VARCHAR(64), true, NULL, SL_FILL_NONE, "the quality rule's name", false},
    {"kind", NULL, VARCHAR(16), true, NULL, SL_FILL_NONE, "range, pattern, values, not_null, unique or check", false},
    {"action", NULL, VARCHAR(8), true, NULL, SL_FILL_NONE, "reject or warn", false},
    {"checked", NULL, BIGINT, true, "0", SL_FILL_NONE, "rows the rule checked", false},
    {"failed", NULL, BIGINT, true, "0", SL_FILL_NONE, "rows it failed (not_null: rows without a value)", false},
    {"run_failed", NULL, {SL_LT_BOOL, 0, 0}, true, "0", SL_FILL_NONE, "not_null: the run's share was under the rule's", false},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* A job with accounts (docs/accounts.md): the state and runs tables have the account right
 * after the job ('' in the rows of jobs without accounts), and the state is keyed by both. */
static const sl_ddl_col account_col = {"account", NULL, VARCHAR(64), true, "", SL_FILL_NONE,
                                       "account id ('' for a job without accounts)", false};

/* cols with account_col inserted after the column `job`, into out (n + 1 columns). */
static void with_account(const sl_ddl_col *cols, size_t n, sl_ddl_col *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        out[o++] = cols[i];
        if (!strcmp(cols[i].name, "job"))
            out[o++] = account_col;
    }
}

struct sl_ddl {
    sl_ddl_table *tables;
    size_t n_tables;
    size_t n_owned; /* the first n_owned tables (the job's) own their arrays */
    char runs_name[80];
    char quality_name[80];
    const char *quality_keys[2];
    const char *job_keys[2]; /* job, and with accounts the account */
    sl_ddl_col state_acc[NELEM(state_cols) + 1];
    sl_ddl_col runs_acc[NELEM(runs_cols) + 1];
    const char *run_keys[1];
    const char *run_index[2];
    const char *run_index_acc[3]; /* with accounts: job, account, started_at */
};

/* The converter that types column c of t: its own, or for a copy of a parent column the
 * parent column's (up through the parents: a copy of a copy). */
static const sl_conv *col_conv(const sl_plan *plan, const sl_table *t, size_t c)
{
    const sl_column *col = &t->cols[c];
    const sl_table *up;
    while (!col->conv && col->from_parent >= 0 && (up = sl_plan_parent_table(plan, t)) &&
           (size_t)col->from_parent < up->n_cols) {
        t = up;
        col = &up->cols[col->from_parent];
    }
    return col->conv;
}

bool sl_ddl_is_key(const sl_table *t, size_t c)
{
    for (size_t k = 0; k < t->n_key; k++)
        if (t->key[k] == c)
            return true;
    return false;
}

/* Fills d from a plan table; child tables get an index over their link to the parent (their
 * copies of its key: how a record's child rows are found to be replaced). */
static sl_status describe_table(const sl_plan *plan, const sl_table *t, bool child,
                                sl_ddl_table *d, sl_error *err)
{
    d->name = t->name;
    d->role = child ? "child table" : "table";
    d->cols = calloc(t->n_cols ? t->n_cols : 1, sizeof *d->cols);
    d->pkey = calloc(t->n_key ? t->n_key : 1, sizeof *d->pkey);
    d->index = calloc(t->n_cols ? t->n_cols : 1, sizeof *d->index);
    if (!d->cols || !d->pkey || !d->index)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory describing table %s", t->name);
    if (!sl_sql_ident_ok(t->name))
        return sl_error_set(err, SL_ERR_CONFIG, "table name '%s' is not a plain identifier",
                            t->name);
    if (t->n_key == 0)
        return sl_error_set(err, SL_ERR_CONFIG, "table %s has no key", t->name);
    for (size_t c = 0; c < t->n_cols; c++) {
        const sl_column *col = &t->cols[c];
        if (!sl_sql_ident_ok(col->name) || (col->rename_from && !sl_sql_ident_ok(col->rename_from)))
            return sl_error_set(err, SL_ERR_CONFIG, "column name '%s' of %s is not a plain identifier",
                                col->name, t->name);
        const sl_conv *conv = col_conv(plan, t, c);
        if (!conv)
            return sl_error_set(err, SL_ERR_INTERNAL, "column %s.%s has no type", t->name, col->name);
        sl_ddl_col *dc = &d->cols[d->n_cols++];
        dc->name = col->name;
        dc->rename_from = col->rename_from;
        dc->type = sl_conv_type(conv);
        dc->not_null = sl_ddl_is_key(t, c);
        dc->default_value = col->default_text;
        dc->comment = col->comment;
        dc->comment_secret = col->comment && sl_plan_holds_secret(plan, col->comment);
        if (child && sl_plan_is_link(plan, t, c))
            d->index[d->n_index++] = col->name;
    }
    for (size_t k = 0; k < t->n_key; k++)
        d->pkey[d->n_pkey++] = t->cols[t->key[k]].name;
    d->index_name = d->n_index ? "sluice_parent" : NULL;
    return SL_OK;
}

static void engine_table(sl_ddl_table *d, const char *name, const char *role, sl_ddl_col *cols,
                         size_t n, const char **pkey, const char **index, size_t n_index,
                         const char *index_name)
{
    d->name = name;
    d->role = role;
    d->cols = cols;
    d->n_cols = n;
    d->pkey = pkey;
    d->n_pkey = 1;
    d->index = index;
    d->n_index = n_index;
    d->index_name = index_name;
}

sl_ddl *sl_ddl_new(const sl_plan *plan, sl_error *err)
{
    sl_ddl *ddl = calloc(1, sizeof *ddl);
    size_t n_plan = 1 + plan->n_children;
    if (!ddl || !(ddl->tables = calloc(n_plan + 4, sizeof *ddl->tables))) {
        free(ddl);
        sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    ddl->n_tables = n_plan;
    ddl->n_owned = n_plan;
    sl_status st = describe_table(plan, &plan->table, false, &ddl->tables[0], err);
    for (size_t i = 0; st == SL_OK && i < plan->n_children; i++)
        st = describe_table(plan, &plan->children[i], true, &ddl->tables[1 + i], err);
    const char *state = plan->target.state_table, *rejects = plan->target.reject_table;
    if (st == SL_OK && (!sl_sql_ident_ok(state) || strlen(state) > 59 || !sl_sql_ident_ok(rejects)))
        st = sl_error_set(err, SL_ERR_CONFIG, "state_table/reject_table must be plain identifiers"
                                              " (state_table at most 59 bytes)");
    if (st != SL_OK) {
        sl_ddl_free(ddl);
        return NULL;
    }
    sl_sql_runs_table(state, ddl->runs_name, sizeof ddl->runs_name);
    ddl->job_keys[0] = "job";
    ddl->job_keys[1] = "account";
    ddl->run_keys[0] = "id";
    ddl->run_index[0] = "job";
    ddl->run_index[1] = "started_at";
    ddl->run_index_acc[0] = "job";
    ddl->run_index_acc[1] = "account";
    ddl->run_index_acc[2] = "started_at";
    sl_ddl_table *t = ddl->tables + n_plan;
    bool acc = plan->n_accounts > 0;
    with_account(state_cols, NELEM(state_cols), ddl->state_acc);
    with_account(runs_cols, NELEM(runs_cols), ddl->runs_acc);
    engine_table(&t[0], state, "state table", acc ? ddl->state_acc : state_cols,
                 NELEM(state_cols) + acc, ddl->job_keys, NULL, 0, NULL);
    t[0].n_pkey += acc;
    /* With accounts every run has the same job: the account in the index keeps a run's own
     * statements (e.g. closing an abandoned run) from reading every run of the job. */
    engine_table(&t[1], ddl->runs_name, "runs table", acc ? ddl->runs_acc : runs_cols,
                 NELEM(runs_cols) + acc, ddl->run_keys, acc ? ddl->run_index_acc : ddl->run_index,
                 2 + acc, "sluice_job");
    engine_table(&t[2], rejects, "reject table", reject_cols, NELEM(reject_cols), ddl->run_keys,
                 ddl->run_index, 1, "sluice_job");
    ddl->n_tables = n_plan + 3;
    if (plan->n_quality) { /* only a job with rules has counts to keep */
        sl_sql_quality_table(state, ddl->quality_name, sizeof ddl->quality_name);
        ddl->quality_keys[0] = "run_id";
        ddl->quality_keys[1] = "rule";
        engine_table(&t[3], ddl->quality_name, "quality table", quality_cols, NELEM(quality_cols),
                     ddl->quality_keys, ddl->job_keys, 1, "sluice_job");
        t[3].n_pkey = 2;
        ddl->n_tables++;
    }
    return ddl;
}

void sl_ddl_free(sl_ddl *ddl)
{
    if (!ddl)
        return;
    for (size_t i = 0; i < ddl->n_owned; i++) {
        free(ddl->tables[i].cols);
        free(ddl->tables[i].pkey);
        free(ddl->tables[i].index);
    }
    free(ddl->tables);
    free(ddl);
}

size_t sl_ddl_count(const sl_ddl *ddl)
{
    return ddl->n_tables;
}

const sl_ddl_table *sl_ddl_table_at(const sl_ddl *ddl, size_t i)
{
    return &ddl->tables[i];
}
