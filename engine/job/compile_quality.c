/* compile_quality.c: the job's `quality` rules (docs/quality.md): each item loaded against its
 * table, its kind told by the one check key it holds, then lowered against the parent table's
 * columns: bounds and allowed values in the column's own form (exact decimals for numbers),
 * the pattern and the condition compiled once. See compile_int.h. */
#include <stdlib.h>
#include <string.h>

#include "compile_int.h"
#include "convert.h"
#include "expr.h"
#include "jpath.h"
#include "regex.h"
#include "timeutil.h"

void cc_load_quality(cc *c, job_opts *o)
{
    const sl_ynode *seq = o->job.quality.node;
    if (!seq || seq->kind != SL_Y_SEQ || seq->n == 0 || seq->n > SL_MAX_QUALITY)
        return;
    o->quality = calloc(seq->n, sizeof *o->quality);
    o->quality_nodes = calloc(seq->n, sizeof *o->quality_nodes);
    if (!o->quality || !o->quality_nodes)
        return;
    o->n_quality = seq->n;
    for (size_t i = 0; i < seq->n; i++) {
        char label[64];
        snprintf(label, sizeof label, "quality rule %zu", i + 1);
        o->quality_nodes[i] = seq->items[i];
        sl_options_load(&sl_opts_quality, label, seq->items[i], seq->items[i]->pos,
                        &o->quality[i], c->diag);
    }
}

/* The check keys of a rule, in the order its kind is told; min and max are one (range). */
static const sl_optval *kind_key(const sl_o_quality *q, sl_dq_kind k)
{
    switch (k) {
    case SL_DQ_RANGE: return q->min.set ? &q->min : &q->max;
    case SL_DQ_PATTERN: return &q->pattern;
    case SL_DQ_VALUES: return &q->values;
    case SL_DQ_NOT_NULL: return &q->not_null;
    case SL_DQ_UNIQUE: return &q->unique;
    default: return &q->check;
    }
}

/* The rule's kind: the one check key it holds; 0 or 2 of them are reported. */
static bool rule_kind(cc *c, const sl_o_quality *q, const sl_ynode *item, sl_dq_kind *out)
{
    int found = -1;
    for (int k = SL_DQ_RANGE; k <= SL_DQ_CHECK; k++) {
        const sl_optval *v = kind_key(q, (sl_dq_kind)k);
        if (!v->set)
            continue;
        if (found >= 0) {
            sl_diag_error(c->diag, v->node->pos,
                          "rule '%s' already checks %s: one check per rule (write two rules)",
                          q->name.s, sl_dq_kind_names[found]);
            return false;
        }
        found = k;
    }
    if (found < 0)
        sl_diag_error(c->diag, item->pos,
                      "rule '%s' checks nothing: give one of min/max, pattern, values, "
                      "not_null, unique or check",
                      q->name.s);
    *out = (sl_dq_kind)found;
    return found >= 0;
}

static bool numeric_type(sl_ltype t)
{
    return t.kind == SL_LT_INT || t.kind == SL_LT_BIGINT || t.kind == SL_LT_DECIMAL ||
           t.kind == SL_LT_BOOL;
}

/* One range bound in the column's form: an exact decimal, or a datetime's canonical text. */
static void lower_bound(cc *c, const sl_dq_rule *r, const char *key, const sl_optval *v,
                        char **text, sl_dec *d)
{
    if (!v->set)
        return;
    const char *s = v->node->kind == SL_Y_SCALAR ? v->node->str : "";
    int64_t t;
    char buf[20];
    if (r->numeric && !sl_dec_from_text(d, s, strlen(s))) {
        sl_diag_error(c->diag, v->node->pos, "rule '%s': '%s' must be a number, not '%s'",
                      r->name, key, s);
        return;
    }
    if (!r->numeric && !sl_time_parse(s, strlen(s), 0, &t)) {
        sl_diag_error(c->diag, v->node->pos,
                      "rule '%s': a datetime bound is \"YYYY-MM-DD HH:MM:SS\", not '%s'", r->name,
                      s);
        return;
    }
    if (!r->numeric)
        sl_time_format(t, 0, buf);
    *text = strdup(r->numeric ? s : buf);
}

static void lower_range(cc *c, const sl_o_quality *q, sl_dq_rule *r, sl_ltype t)
{
    if (!r->numeric && t.kind != SL_LT_DATETIME) {
        sl_diag_error(c->diag, kind_key(q, SL_DQ_RANGE)->node->pos,
                      "rule '%s': min/max is for number, decimal and datetime columns",
                      r->name);
        return;
    }
    lower_bound(c, r, "min", &q->min, &r->min, &r->min_dec);
    lower_bound(c, r, "max", &q->max, &r->max, &r->max_dec);
    if (!r->min || !r->max)
        return;
    if (r->numeric ? sl_dec_cmp(&r->min_dec, &r->max_dec) > 0 : strcmp(r->min, r->max) > 0)
        sl_diag_error(c->diag, q->max.node->pos, "rule '%s': max %s is below min %s", r->name,
                      r->max, r->min);
}

static void lower_values(cc *c, const sl_o_quality *q, sl_dq_rule *r)
{
    const sl_ynode *n = q->values.node;
    size_t count = n->kind == SL_Y_SEQ ? n->n : 1;
    r->values = calloc(count ? count : 1, sizeof *r->values);
    r->values_dec = calloc(count ? count : 1, sizeof *r->values_dec);
    if (!r->values || !r->values_dec)
        return sl_kind_oom(&c->k);
    for (size_t i = 0; i < count; i++) {
        const sl_ynode *it = n->kind == SL_Y_SEQ ? n->items[i] : n;
        if (it->kind != SL_Y_SCALAR) {
            sl_diag_error(c->diag, it->pos, "rule '%s': a value is a single scalar", r->name);
            continue;
        }
        if (r->numeric && !sl_dec_from_text(&r->values_dec[i], it->str, strlen(it->str)))
            sl_diag_error(c->diag, it->pos,
                          "rule '%s': column '%s' holds numbers, so '%s' must be a number",
                          r->name, c->plan->table.cols[r->column].name, it->str);
        r->values[r->n_values++] = strdup(it->str);
    }
}

static void lower_pattern(cc *c, const sl_o_quality *q, sl_dq_rule *r)
{
    sl_error err = {0};
    size_t off = 0;
    r->pattern = sl_regex_compile(q->pattern.s, &err, &off);
    if (!r->pattern)
        sl_diag_error(c->diag, sl_ynode_pos_at(q->pattern.node, sl_char_col(q->pattern.s, off)),
                      "rule '%s': 'pattern': %s", r->name, err.msg);
}

/* "95%" or "99.5%" as hundredths of a percent, within 0..100%. */
static void lower_share(cc *c, const sl_o_quality *q, sl_dq_rule *r)
{
    if (!cc_share_bp(q->not_null.s, 10000, &r->share_bp))
        sl_diag_error(c->diag, q->not_null.node->pos,
                      "rule '%s': not_null is a share like \"95%%\" (0%% to 100%%)", r->name);
}

typedef struct check_ctx {
    cc *c;
    sl_dq_rule *r;
    const sl_optval *v;
} check_ctx;

/* A check reads columns by name: each path is one key naming a parent column. */
static void check_path(const sl_jpath *path, void *vctx)
{
    check_ctx *x = vctx;
    const char *key = NULL;
    int idx = -1;
    if (sl_jpath_n_steps(path) == 1 && sl_jpath_step(path, 0, &key) == SL_JPATH_KEY)
        idx = cc_find_column(&x->c->opts.parent, key);
    if (idx < 0) {
        const char *text = sl_jpath_text(path), *at = strstr(x->v->s, text);
        sl_pos pos = at ? sl_ynode_pos_at(x->v->node, sl_char_col(x->v->s, (size_t)(at - x->v->s)))
                        : x->v->node->pos;
        cc_unknown_column(x->c, pos, "check: name", text, &x->c->opts.parent,
                          x->c->plan->table.name);
        return;
    }
    for (size_t i = 0; i < x->r->n_check_cols; i++)
        if (x->r->check_cols[i] == (size_t)idx)
            return;
    x->r->check_cols[x->r->n_check_cols++] = (size_t)idx;
}

static void lower_check(cc *c, const sl_o_quality *q, sl_dq_rule *r)
{
    sl_error err = {0};
    int col = 1;
    r->check = sl_expr_compile(q->check.s, &err, &col);
    if (!r->check) {
        sl_diag_error(c->diag, sl_ynode_pos_at(q->check.node, col), "bad condition: %s",
                      err.msg);
        return;
    }
    sl_expr_set_numeric_text(r->check);
    if (sl_expr_uses_status(r->check))
        sl_diag_error(c->diag, q->check.node->pos, "rule '%s': a check reads no @status",
                      r->name);
    r->check_cols = calloc(SL_EXPR_MAX_NODES, sizeof *r->check_cols);
    if (!r->check_cols)
        return sl_kind_oom(&c->k);
    check_ctx x = {c, r, &q->check};
    sl_expr_paths(r->check, check_path, &x);
}

/* The column a rule checks (every kind but check). */
static bool lower_column_of(cc *c, const sl_o_quality *q, sl_dq_rule *r, const sl_ynode *item)
{
    if (r->kind == SL_DQ_CHECK) {
        if (q->column.set)
            sl_diag_error(c->diag, q->column.node->pos,
                          "rule '%s': a check names its columns itself; remove 'column'",
                          r->name);
        return false;
    }
    if (!q->column.set) {
        sl_diag_error(c->diag, item->pos, "rule '%s' needs 'column'", r->name);
        return false;
    }
    r->column = cc_find_column(&c->opts.parent, q->column.s);
    if (r->column < 0)
        cc_unknown_column(c, q->column.node->pos, "rule column", q->column.s, &c->opts.parent,
                          c->plan->table.name);
    return r->column >= 0 && c->plan->table.cols[r->column].conv;
}

static bool in_key(const sl_table *t, int col)
{
    for (size_t k = 0; k < t->n_key; k++)
        if (t->key[k] == (size_t)col)
            return true;
    return false;
}

/* not_null is read over the whole run, after its rows are written; unique must mean it. */
static void check_action(cc *c, const sl_o_quality *q, sl_dq_rule *r)
{
    if (r->kind == SL_DQ_NOT_NULL && !q->action.node)
        r->action = SL_DQ_WARN;
    else if (r->kind == SL_DQ_NOT_NULL && r->action != SL_DQ_WARN)
        sl_diag_error(c->diag, q->action.node->pos,
                      "rule '%s': not_null is checked over the whole run, after its rows are "
                      "written, so its action is warn",
                      r->name);
    if (r->kind == SL_DQ_UNIQUE && q->unique.i == 0)
        sl_diag_error(c->diag, q->unique.node->pos,
                      "rule '%s': 'unique: false' checks nothing; remove the rule", r->name);
    if (r->kind == SL_DQ_UNIQUE && r->column >= 0 && in_key(&c->plan->table, r->column))
        sl_diag_error(c->diag, q->column.node->pos,
                      "rule '%s': column '%s' is part of the key, unique already", r->name,
                      q->column.s);
}

static void lower_rule(cc *c, const sl_o_quality *q, const sl_ynode *item, sl_dq_rule *r)
{
    r->pos = item->pos;
    r->name = strdup(q->name.s);
    r->action = (sl_dq_action)q->action.i;
    r->column = -1;
    if (!rule_kind(c, q, item, &r->kind))
        return;
    bool has_col = lower_column_of(c, q, r, item);
    sl_ltype t = has_col ? sl_conv_type(c->plan->table.cols[r->column].conv) : (sl_ltype){0};
    r->numeric = has_col && numeric_type(t);
    check_action(c, q, r);
    if (r->kind == SL_DQ_RANGE && has_col)
        lower_range(c, q, r, t);
    else if (r->kind == SL_DQ_PATTERN)
        lower_pattern(c, q, r);
    else if (r->kind == SL_DQ_VALUES && has_col)
        lower_values(c, q, r);
    else if (r->kind == SL_DQ_NOT_NULL)
        lower_share(c, q, r);
    else if (r->kind == SL_DQ_CHECK)
        lower_check(c, q, r);
}

void cc_lower_quality(cc *c)
{
    const job_opts *o = &c->opts;
    sl_plan *p = c->plan;
    if (!o->n_quality || !(p->quality = calloc(o->n_quality, sizeof *p->quality)))
        return;
    p->n_quality = o->n_quality;
    for (size_t i = 0; i < o->n_quality; i++) {
        const sl_o_quality *q = &o->quality[i];
        for (size_t j = 0; j < i; j++)
            if (!strcmp(q->name.s, o->quality[j].name.s)) {
                sl_diag_error(c->diag, q->name.node->pos,
                              "rule name '%s' is used twice (also at line %d)", q->name.s,
                              o->quality[j].name.node->pos.line);
                break;
            }
        lower_rule(c, q, o->quality_nodes[i], &p->quality[i]);
    }
}
