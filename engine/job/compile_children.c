/* compile_children.c: child tables at every depth. A child's `children` hold the lists inside
 * each of its items (order -> line items -> discounts); they are loaded depth first into one
 * flat list, each table before its own children, which is the order of plan->children. A child
 * copies every key column of its parent (from_parent): that link is how the sink finds the rows
 * of a record's items, and their items, to replace them with the record. See compile_int.h. */
#include <stdlib.h>
#include <string.h>

#include "compile_int.h"
#include "grow.h"
#include "jpath.h"

static void load_list(cc *c, job_opts *o, const sl_ynode *seq, int parent, size_t depth);

/* Loads one child (its options, columns, then its own children right after it). */
static void load_child(cc *c, job_opts *o, const sl_ynode *item, int parent, size_t depth)
{
    if (o->n_children == SL_MAX_CHILDREN) {
        if (!o->children_over)
            sl_diag_error(c->diag, item->pos,
                          "a job has at most %d child tables (at every depth)", SL_MAX_CHILDREN);
        o->children_over = true;
        return;
    }
    tbl_opts *grown = sl_grow(o->children, &o->cap_children, o->n_children + 1,
                              sizeof *o->children, 8);
    if (!grown)
        return;
    o->children = grown;
    size_t me = o->n_children++;
    tbl_opts *t = &o->children[me];
    *t = (tbl_opts){.node = item, .parent = parent, .depth = depth};
    char label[64];
    snprintf(label, sizeof label, "child table %zu", me + 1);
    sl_options_load(&sl_opts_child, label, item, item->pos, &t->o, c->diag);
    cc_load_columns(c, &t->o.columns, t);
    const sl_optval *kids = &t->o.children;
    if (!kids->node)
        return;
    if (depth == SL_MAX_CHILD_DEPTH) {
        sl_diag_error(c->diag, kids->node->pos,
                      "child tables nest at most %d deep: the tables of this list would be at "
                      "depth %d",
                      SL_MAX_CHILD_DEPTH, SL_MAX_CHILD_DEPTH + 1);
        return;
    }
    load_list(c, o, kids->node, (int)me, depth + 1); /* t may move: not used after */
}

static void load_list(cc *c, job_opts *o, const sl_ynode *seq, int parent, size_t depth)
{
    if (!seq || seq->kind != SL_Y_SEQ || seq->n > SL_MAX_CHILDREN) /* reported by the loader */
        return;
    for (size_t i = 0; i < seq->n; i++)
        load_child(c, o, seq->items[i], parent, depth);
}

void cc_load_children(cc *c, job_opts *o)
{
    load_list(c, o, o->job.children.node, -1, 1);
}

/* A child of a child (items[*].discounts[*]) in one `each` has no key of its own: rows of
 * different outer items overwrite each other, so 6,795 rows became 4,911. Refused, pointing
 * at nested children; reported at the second [*]. */
static void check_each_flat(cc *c, const sl_jpath *each, const sl_optval *v)
{
    size_t n = sl_jpath_n_steps(each), wild = 0;
    const char *key;
    for (size_t i = 0; i < n; i++)
        wild += sl_jpath_step(each, i, &key) == SL_JPATH_ALL;
    if (wild < 2)
        return;
    const char *first = strstr(v->s, "[*]"), *second = first ? strstr(first + 3, "[*]") : NULL;
    sl_pos at = second ? sl_ynode_pos_at(v->node, sl_char_col(v->s, (size_t)(second - v->s)))
                       : v->node->pos;
    sl_diag_error(c->diag, at,
                  "'each' may hold one [*]: the items of a list inside each item (a child of a "
                  "child) can't be keyed by this table, so their rows would overwrite each "
                  "other; declare that list as a child table of this one (its own `children`)");
}

/* Every key column of the parent must be copied into the child (from_parent): the sink
 * deletes a record's child rows by those copies, so without them its removed items would
 * stay, and with a part of the key the rows of other records would go. */
static void check_link(cc *c, const tbl_opts *t, const sl_table *ct, const sl_table *pt)
{
    for (size_t k = 0; k < pt->n_key; k++) {
        size_t pc = pt->key[k];
        bool copied = false;
        for (size_t i = 0; i < ct->n_cols && !copied; i++)
            copied = ct->cols[i].from_parent == (int)pc;
        if (!copied)
            sl_diag_error(c->diag, t->o.table.node->pos,
                          "child table '%s' has no key to its parent '%s': copy its key column "
                          "'%s' with a column like { from_parent: %s }, so the rows of an item "
                          "can be replaced with it",
                          ct->name, pt->name, pt->cols[pc].name, pt->cols[pc].name);
    }
}

static void lower_child(cc *c, size_t i, const char **seen)
{
    sl_plan *p = c->plan;
    const tbl_opts *t = &c->opts.children[i];
    sl_table *ct = &p->children[i];
    ct->pos = t->node->pos;
    ct->name = strdup(t->o.table.s);
    ct->up = (size_t)(t->parent + 1);
    ct->depth = t->depth;
    cc_check_table_name(c, ct->name, t->o.table.node->pos, seen, i + 3);
    seen[i + 3] = ct->name;
    ct->each = sl_kind_jpath_list(&c->k, &t->o.each, "each");
    if (ct->each && !sl_jpath_is_multi(ct->each))
        sl_diag_error(c->diag, t->o.each.node->pos,
                      "'each' must reach a list of items with [*], e.g. %s[*]", t->o.each.s);
    else if (ct->each)
        check_each_flat(c, ct->each, &t->o.each);
    size_t errors = sl_diag_errors(c->diag);
    cc_lower_table(c, t, ct, &t->o.key, cc_parent_of(c, t));
    const sl_table *pt = t->parent < 0 ? &p->table : &p->children[t->parent];
    if (errors == sl_diag_errors(c->diag) && pt->n_key && ct->cols)
        check_link(c, t, ct, pt);
}

void cc_lower_children(cc *c)
{
    sl_plan *p = c->plan;
    size_t n = c->opts.n_children;
    if (!n)
        return;
    const char **seen = calloc(n + 3, sizeof *seen);
    p->children = calloc(n, sizeof *p->children);
    if (!seen || !p->children) {
        free(seen);
        return;
    }
    p->n_children = n;
    seen[0] = p->table.name;
    seen[1] = p->target.state_table;
    seen[2] = p->target.reject_table;
    for (size_t i = 0; i < n; i++)
        lower_child(c, i, seen);
    free(seen);
}
