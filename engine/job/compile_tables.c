/* compile_tables.c: the columns and tables: loaded against their tables, then each column's
 * path, converter and default compiled, names and keys cross-checked (child tables as such:
 * compile_children.c). See compile_int.h. */
#include <stdlib.h>
#include <string.h>

#include "compile_int.h"
#include "convert.h"
#include "jpath.h"
#include "suggest.h"

void cc_load_columns(cc *c, const sl_optval *v, tbl_opts *t)
{
    const sl_ynode *map = v->node;
    if (!map || map->kind != SL_Y_MAP || map->n > SL_MAX_COLUMNS) /* too many: reported */
        return;
    t->cols = calloc(map->n ? map->n : 1, sizeof *t->cols);
    if (!t->cols)
        return;
    t->n_cols = map->n;
    if (map->n == 0)
        sl_diag_error(c->diag, map->pos, "a table needs at least one column");
    for (size_t i = 0; i < map->n; i++) {
        t->cols[i].name = map->keys[i];
        if (map->items[i]->kind != SL_Y_MAP) {
            sl_diag_error(c->diag, map->items[i]->pos,
                          "column '%s' must be a map like { path: ..., type: ... }",
                          map->keys[i]->str);
            continue;
        }
        char label[128];
        snprintf(label, sizeof label, "column '%s'", map->keys[i]->str);
        sl_options_load(&sl_opts_column, label, map->items[i], map->keys[i]->pos, &t->cols[i].o,
                        c->diag);
    }
}

/* Each column compiles a path and a converter (a PCRE2 pattern perhaps): their number bounds
 * the plan's memory. Reported at the first column past the limit. */
void cc_check_job_columns(cc *c)
{
    const job_opts *o = &c->opts;
    size_t total = o->parent.n_cols;
    for (size_t i = 0; i < o->n_children; i++) {
        const tbl_opts *t = &o->children[i];
        if (total + t->n_cols > SL_MAX_JOB_COLUMNS) {
            sl_diag_error(c->diag, t->cols[SL_MAX_JOB_COLUMNS - total].name->pos,
                          "a job has at most %d columns in all its tables", SL_MAX_JOB_COLUMNS);
            return;
        }
        total += t->n_cols;
    }
}

static const sl_ynode *spec_field_node(const col_opts *co, const char *field)
{
    const sl_o_column *o = &co->o;
    const sl_optval *v = !field                       ? NULL
                         : !strcmp(field, "from")        ? &o->from
                         : !strcmp(field, "timezone")    ? &o->timezone
                         : !strcmp(field, "on_overflow") ? &o->on_overflow
                         : !strcmp(field, "map")         ? &o->map
                         : !strcmp(field, "join")        ? &o->join
                         : !strcmp(field, "pattern")     ? &o->pattern
                         : !strcmp(field, "group")       ? &o->group
                                                         : &o->type;
    return v && v->node ? v->node : co->name;
}

/* Compiles the converter of co (or, for from_parent, of the parent column src). */
static sl_conv *lower_conv(cc *c, const col_opts *co, const col_opts *src)
{
    const sl_o_column *o = &src->o;
    json_t *map = o->map.node ? cc_node_to_json(o->map.node) : NULL;
    sl_conv_spec spec = {
        .type = o->type.s,
        .from = o->from.s,
        .timezone = o->timezone.s,
        .job_timezone = c->opts.win.timezone.s,
        .on_overflow = o->on_overflow.s,
        .map = map,
        .join = o->join.s,
        .pattern = o->pattern.s,
        .has_group = o->group.set,
        .group = (int)o->group.i,
    };
    sl_error err = {0};
    const char *bad = NULL;
    sl_conv *conv = sl_conv_compile(&spec, &err, &bad);
    if (!conv) {
        const sl_ynode *at = co == src ? spec_field_node(co, bad) : co->name;
        sl_diag_error(c->diag, at->pos, "column '%s': %s", co->name->str, err.msg);
    }
    json_decref(map);
    return conv;
}

static void lower_default(cc *c, const col_opts *co, sl_column *col)
{
    const sl_ynode *n = co->o.default_.node;
    if (!n || !col->conv || sl_ynode_is_null(n))
        return;
    json_t *v = cc_node_to_json(n);
    sl_error err = {0};
    if (sl_conv_default_text(col->conv, v, &col->default_text, &err) != SL_OK)
        sl_diag_error(c->diag, n->pos, "bad default for column '%s': %s", co->name->str, err.msg);
    json_decref(v);
}

static const char *const conv_keys[] = {"path", "type", "from", "timezone", "on_overflow",
                                         "map", "join", "pattern", "group", "default"};

int cc_find_column(const tbl_opts *t, const char *name)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (cc_same_name(t->cols[i].name->str, name))
            return (int)i;
    return -1;
}

void cc_unknown_column(cc *c, sl_pos pos, const char *what, const char *name,
                           const tbl_opts *t, const char *table)
{
    const char *names[256];
    size_t n = t->n_cols < 256 ? t->n_cols : 256;
    for (size_t i = 0; i < n; i++)
        names[i] = t->cols[i].name->str;
    const char *guess = sl_did_you_mean(name, names, n);
    if (guess)
        sl_diag_error(c->diag, pos, "%s '%s' is not a column of %s (did you mean '%s'?)", what,
                      name, table, guess);
    else
        sl_diag_error(c->diag, pos, "%s '%s' is not a column of %s", what, name, table);
}

const tbl_opts *cc_parent_of(const cc *c, const tbl_opts *t)
{
    if (t == &c->opts.parent)
        return NULL;
    return t->parent < 0 ? &c->opts.parent : &c->opts.children[t->parent];
}

const col_opts *cc_copied_column(const cc *c, const tbl_opts *t, int col)
{
    /* each step goes up one table, so the walk ends within SL_MAX_CHILD_DEPTH steps */
    while (col >= 0 && t->cols[col].o.from_parent.set) {
        const tbl_opts *up = cc_parent_of(c, t);
        if (!up)
            return NULL; /* from_parent in the top table: reported */
        col = cc_find_column(up, t->cols[col].o.from_parent.s);
        t = up;
    }
    return col >= 0 ? &t->cols[col] : NULL;
}

static void lower_from_parent(cc *c, const col_opts *co, sl_column *col, const tbl_opts *parent,
                              const char *parent_name)
{
    const sl_optval *fp = &co->o.from_parent;
    if (!parent) {
        sl_diag_error(c->diag, fp->node->pos, "'from_parent' is only for child tables");
        return;
    }
    const sl_optval *vals[] = {&co->o.path,    &co->o.type, &co->o.from,    &co->o.timezone,
                               &co->o.on_overflow, &co->o.map, &co->o.join, &co->o.pattern,
                               &co->o.group,   &co->o.default_};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++)
        if (vals[i]->node)
            sl_diag_error(c->diag, vals[i]->node->pos,
                          "column '%s' copies parent column '%s': remove '%s'", co->name->str,
                          fp->s, conv_keys[i]);
    int idx = cc_find_column(parent, fp->s);
    if (idx < 0) {
        cc_unknown_column(c, fp->node->pos, "from_parent", fp->s, parent, parent_name);
        return;
    }
    col->from_parent = idx;
    /* a copy of a copy (a discount's order id, from its line item's) takes the type of the
     * column that reads the value */
    const col_opts *src = cc_copied_column(c, parent, idx);
    if (src)
        col->conv = lower_conv(c, co, src);
}

static void lower_column(cc *c, const col_opts *co, sl_column *col, const tbl_opts *parent,
                         const char *parent_name)
{
    col->pos = co->name->pos;
    col->name = strdup(co->name->str);
    col->from_parent = -1;
    col->required = co->o.required.i != 0;
    col->rename_from = cc_dup_or_null(co->o.rename_from.s);
    sl_kind_text(&c->k, &co->o.comment, &col->comment);
    if (!sl_ident_valid(co->name->str))
        sl_diag_error(c->diag, co->name->pos,
                      "column name '%s' is not a valid SQL name (letters, digits and _, not "
                      "starting with a digit, at most 64)",
                      co->name->str);
    if (co->o.from_parent.set) {
        lower_from_parent(c, co, col, parent, parent_name);
        return;
    }
    if (!co->o.path.set)
        sl_diag_error(c->diag, co->name->pos, "column '%s' needs 'path' (or 'from_parent')",
                      co->name->str);
    if (!co->o.type.set)
        sl_diag_error(c->diag, co->name->pos, "column '%s' needs 'type'", co->name->str);
    col->path = sl_kind_jpath(&c->k, &co->o.path, "path");
    if (co->o.type.set)
        col->conv = lower_conv(c, co, co);
    lower_default(c, co, col);
}

static void check_names(cc *c, const tbl_opts *t)
{
    for (size_t i = 0; i < t->n_cols; i++) {
        const col_opts *a = &t->cols[i];
        for (size_t j = 0; j < i; j++)
            if (cc_same_name(a->name->str, t->cols[j].name->str)) {
                sl_diag_error(c->diag, a->name->pos,
                              "duplicate column '%s' (also at line %d; names ignore case)",
                              a->name->str, t->cols[j].name->pos.line);
                break;
            }
        const sl_optval *rf = &a->o.rename_from;
        if (rf->set && cc_find_column(t, rf->s) >= 0)
            sl_diag_error(c->diag, rf->node->pos,
                          "rename_from '%s' names a column that still exists", rf->s);
    }
}

static void lower_key(cc *c, const sl_optval *v, const tbl_opts *t, sl_table *out)
{
    const sl_ynode *n = v->node;
    size_t count = n->kind == SL_Y_SEQ ? n->n : 1;
    out->key = calloc(count ? count : 1, sizeof *out->key);
    if (!out->key)
        return;
    for (size_t i = 0; i < count; i++) {
        const sl_ynode *it = n->kind == SL_Y_SEQ ? n->items[i] : n;
        int idx = cc_find_column(t, it->str);
        if (idx < 0) {
            cc_unknown_column(c, it->pos, "key column", it->str, t, out->name);
            continue;
        }
        for (size_t j = 0; j < out->n_key; j++)
            if (out->key[j] == (size_t)idx)
                sl_diag_error(c->diag, it->pos, "key column '%s' is listed twice", it->str);
        out->key[out->n_key++] = (size_t)idx;
    }
}

void cc_lower_table(cc *c, const tbl_opts *t, sl_table *out, const sl_optval *key,
                        const tbl_opts *parent)
{
    if (t->n_cols)
        out->cols = calloc(t->n_cols, sizeof *out->cols);
    if (!out->cols)
        return;
    out->n_cols = t->n_cols;
    check_names(c, t);
    const char *parent_name = parent == &c->opts.parent ? c->plan->table.name
                              : parent                 ? parent->o.table.s
                                                       : NULL;
    for (size_t i = 0; i < t->n_cols; i++)
        lower_column(c, &t->cols[i], &out->cols[i], parent, parent_name);
    lower_key(c, key, t, out);
}

void cc_check_table_name(cc *c, const char *name, sl_pos pos, const char *const *seen,
                             size_t n_seen)
{
    for (size_t i = 0; i < n_seen; i++)
        if (seen[i] && cc_same_name(name, seen[i])) {
            sl_diag_error(c->diag, pos, "table '%s' is used twice in this job", name);
            return;
        }
}
