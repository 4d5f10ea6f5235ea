/* sink_fixture.h: a small hand-built plan (an order table with a line-item child table) and
 * batch helpers, shared by the sink tests. Table names carry a suffix so runs against a shared
 * database never collide. */
#ifndef SLUICE_SINK_FIXTURE_H
#define SLUICE_SINK_FIXTURE_H

#include <stdio.h>
#include <string.h>

#include "batch.h"
#include "convert.h"
#include "plan.h"

typedef struct fixture {
    sl_plan plan;
    sl_column pcols[5];
    sl_column ccols[3];
    size_t pkey[1];
    size_t ckey[1];
    sl_table child;
    char parent_name[64], child_name[64], state[64], rejects[64];
} fixture;

static inline sl_conv *fixture_conv(const char *type)
{
    sl_conv_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.type = type;
    sl_error err = {0};
    const char *bad = NULL;
    sl_conv *c = sl_conv_compile(&spec, &err, &bad);
    if (!c)
        fprintf(stderr, "fixture: converter %s: %s\n", type, err.msg);
    return c;
}

static inline void fixture_col(sl_column *c, const char *name, const char *type)
{
    memset(c, 0, sizeof *c);
    c->name = (char *)name;
    c->from_parent = -1;
    c->conv = type ? fixture_conv(type) : NULL;
}

/* Parent `t_order<sfx>` (id key, name, amount, modified, note); child `t_line<sfx>` (line_id
 * key, id from the parent, sku); engine tables `sl<sfx>_state` / `sl<sfx>_rejects`. */
static inline void fixture_init(fixture *f, const char *sfx, const char *dsn)
{
    memset(f, 0, sizeof *f);
    snprintf(f->parent_name, sizeof f->parent_name, "t_order%s", sfx);
    snprintf(f->child_name, sizeof f->child_name, "t_line%s", sfx);
    snprintf(f->state, sizeof f->state, "sl%s_state", sfx);
    snprintf(f->rejects, sizeof f->rejects, "sl%s_rejects", sfx);
    fixture_col(&f->pcols[0], "id", "bigint");
    fixture_col(&f->pcols[1], "name", "varchar(32)");
    f->pcols[1].comment = (char *)"the customer's name";
    fixture_col(&f->pcols[2], "amount", "decimal(10,2)");
    f->pcols[2].default_text = (char *)"0.00";
    fixture_col(&f->pcols[3], "modified", "datetime");
    fixture_col(&f->pcols[4], "note", "text");
    fixture_col(&f->ccols[0], "line_id", "bigint");
    fixture_col(&f->ccols[1], "id", NULL);
    f->ccols[1].from_parent = 0;
    fixture_col(&f->ccols[2], "sku", "varchar(16)");
    f->pkey[0] = 0;
    f->ckey[0] = 0;
    sl_plan *p = &f->plan;
    p->name = (char *)"orders";
    p->table = (sl_table){.name = f->parent_name, .cols = f->pcols, .n_cols = 5, .key = f->pkey,
                          .n_key = 1};
    f->child = (sl_table){.name = f->child_name, .cols = f->ccols, .n_cols = 3, .key = f->ckey,
                          .n_key = 1};
    p->children = &f->child;
    p->n_children = 1;
    p->source.window.tz_offset_s = 8 * 3600;
    p->target.dsn = (char *)dsn;
    p->target.write = SL_WRITE_REPLACE;
    p->target.batch_rows = 1000;
    p->target.state_table = f->state;
    p->target.reject_table = f->rejects;
    p->target.db_retry_budget_ms = 20000;
    p->target.window_column = 3;
}

static inline void fixture_free(fixture *f)
{
    for (size_t i = 0; i < 5; i++)
        sl_conv_free(f->pcols[i].conv);
    for (size_t i = 0; i < 3; i++)
        sl_conv_free(f->ccols[i].conv);
}

static inline void set_cell(sl_rowset *rs, size_t row, size_t col, const char *s)
{
    if (s)
        sl_rowset_set(rs, row, col, s, strlen(s));
}

/* Adds parent row (id, name, amount, modified, note) and its line rows (line ids, "sku-<id>")
 * and commits the record. */
static inline void add_order(sl_batch *b, const char *id, const char *name, const char *amount,
                      const char *modified, const char *note, const char *const *lines,
                      size_t n_lines)
{
    sl_rowset *p = sl_batch_parent(b), *c = sl_batch_child(b, 0);
    size_t row = sl_rowset_add_row(p);
    set_cell(p, row, 0, id);
    set_cell(p, row, 1, name);
    set_cell(p, row, 2, amount);
    set_cell(p, row, 3, modified);
    set_cell(p, row, 4, note);
    for (size_t i = 0; i < n_lines; i++) {
        size_t r = sl_rowset_add_row(c);
        char sku[64];
        snprintf(sku, sizeof sku, "sku-%s", lines[i]);
        c->parent[r] = (uint32_t)row;
        set_cell(c, r, 0, lines[i]);
        set_cell(c, r, 1, id);
        set_cell(c, r, 2, sku);
    }
    sl_batch_commit_record(b, row);
}

static inline void add_reject(sl_batch *b, const char *key, const char *col, const char *reason,
                       const char *raw)
{
    sl_rowset *r = sl_batch_rejects(b);
    size_t row = sl_rowset_add_row(r);
    set_cell(r, row, SL_REJ_KEY, key);
    set_cell(r, row, SL_REJ_COLUMN, col);
    set_cell(r, row, SL_REJ_REASON, reason);
    set_cell(r, row, SL_REJ_RAW, raw);
}

#endif
