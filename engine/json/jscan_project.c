/* jscan_project.c: the projection of jscan.h, a tree of kept keys compiled once from the
 * plan's paths (records path, column paths, envelope paths). */
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "grow.h"
#include "jpath.h"
#include "jscan_int.h"

static void pnode_free(pnode *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_keys; i++) {
        free(n->keys[i]);
        pnode_free(n->kids[i]);
    }
    free(n->keys);
    free(n->klens);
    free(n->kids);
    free(n->slots);
    pnode_free(n->items);
    free(n);
}

/* Rebuilds the hash slots for n's keys (at most half full). */
static int rehash(pnode *n)
{
    size_t cap = 8;
    while (cap < 2 * n->n_keys)
        cap *= 2;
    uint32_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    free(n->slots);
    n->slots = slots;
    n->mask = cap - 1;
    for (size_t k = 0; k < n->n_keys; k++) {
        size_t i = key_hash(n->keys[k], n->klens[k]) & n->mask;
        while (slots[i])
            i = (i + 1) & n->mask;
        slots[i] = (uint32_t)(k + 1);
    }
    return 0;
}

static pnode *key_child(pnode *n, const char *key)
{
    size_t len = strlen(key);
    pnode *kid = lookup(n, key, len);
    if (kid)
        return kid;
    /* three arrays in step: each grows from a copy of the one capacity */
    size_t m = n->n_keys + 1, cap_a = n->cap_keys, cap_b = n->cap_keys, cap_c = n->cap_keys;
    char **keys = sl_grow(n->keys, &cap_a, m, sizeof *keys, 4);
    if (keys)
        n->keys = keys;
    size_t *klens = sl_grow(n->klens, &cap_b, m, sizeof *klens, 4);
    if (klens)
        n->klens = klens;
    pnode **kids = sl_grow(n->kids, &cap_c, m, sizeof *kids, 4);
    if (kids)
        n->kids = kids;
    if (!keys || !klens || !kids || !(kid = calloc(1, sizeof *kid)))
        return NULL;
    n->cap_keys = cap_a;
    if (!(n->keys[n->n_keys] = strdup(key))) {
        free(kid);
        return NULL;
    }
    n->klens[n->n_keys] = len;
    n->kids[n->n_keys++] = kid;
    if (rehash(n))
        return NULL;
    return kid;
}

static pnode *items_child(pnode *n)
{
    if (!n->items)
        n->items = calloc(1, sizeof *n->items);
    return n->items;
}

/* Follows path's steps from n, adding nodes; returns the node the path ends at. */
static pnode *add_steps(pnode *n, const sl_jpath *path)
{
    for (size_t i = 0; n && i < sl_jpath_n_steps(path); i++) {
        const char *key;
        if (sl_jpath_step(path, i, &key) == SL_JPATH_KEY)
            n = key_child(n, key);
        else
            n = items_child(n);
    }
    return n;
}

static int add_path(pnode *n, const sl_jpath *path)
{
    if (!(n = add_steps(n, path)))
        return -1;
    n->all = true;
    return 0;
}

/* Keeps t's column paths under its items' node (from `at`, its parent's; the record's for
 * the top table); returns that node for t's own children, or NULL when out of memory. */
static pnode *add_table(pnode *at, const sl_table *t)
{
    pnode *base = t->each ? add_steps(at, t->each) : at;
    if (!base)
        return NULL;
    for (size_t c = 0; c < t->n_cols; c++)
        if (t->cols[c].path && add_path(base, t->cols[c].path))
            return NULL;
    return base;
}

/* The child tables' paths, each under its parent's items (a child of a child's `each` is a
 * path inside its parent's item). */
static int add_children(pnode *rec, const sl_plan *plan)
{
    pnode **base = calloc(plan->n_children + 1, sizeof *base);
    if (!base)
        return -1;
    base[0] = rec;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < plan->n_children; i++) {
        const sl_table *t = &plan->children[i];
        base[1 + i] = add_table(base[t->up], t);
        rc = base[1 + i] ? 0 : -1;
    }
    free(base);
    return rc;
}

/* The envelope down to the records list: returns the records value's node, or NULL when a
 * non-key step keeps everything from there on (or, with *oom, when out of memory). */
static pnode *add_records(pnode *root, const sl_jpath *records, bool *oom)
{
    pnode *n = root;
    for (size_t i = 0; i < sl_jpath_n_steps(records); i++) {
        const char *key;
        if (sl_jpath_step(records, i, &key) != SL_JPATH_KEY) {
            n->all = true;
            n->records_inside = true;
            return NULL;
        }
        if (!(n = key_child(n, key))) {
            *oom = true;
            return NULL;
        }
        n->rest = true;
    }
    n->rest = false;
    return n;
}

typedef struct env_ctx {
    pnode *list;           /* the records value's node */
    const sl_jpath *records;
    bool oom;
} env_ctx;

/* An envelope path (total, error rules) that reaches into the records list keeps what it
 * reaches there too. */
static void add_envelope_path(const sl_jpath *path, void *vctx)
{
    env_ctx *x = vctx;
    if (!path)
        return;
    size_t nr = sl_jpath_n_steps(x->records), np = sl_jpath_n_steps(path);
    pnode *n = x->list;
    if (np < nr)
        return;
    for (size_t i = 0; i < nr; i++) {
        const char *a, *b;
        if (sl_jpath_step(path, i, &a) != SL_JPATH_KEY)
            return;
        sl_jpath_step(x->records, i, &b);
        if (strcmp(a, b))
            return;
    }
    for (size_t i = nr; n && i < np; i++) {
        const char *key;
        n = sl_jpath_step(path, i, &key) == SL_JPATH_KEY ? key_child(n, key) : items_child(n);
    }
    if (n)
        n->all = true;
    else
        x->oom = true;
}

static int add_envelope_paths(pnode *list, const sl_source_plan *src)
{
    env_ctx x = {list, src->records, false};
    for (size_t i = 0; i < src->n_reply_paths; i++)
        add_envelope_path(src->reply_paths[i], &x);
    for (size_t i = 0; i < src->n_rules; i++) {
        add_envelope_path(src->rules[i].message, &x);
        add_envelope_path(src->rules[i].wait_path, &x);
        if (src->rules[i].when)
            sl_expr_paths(src->rules[i].when, add_envelope_path, &x);
    }
    return x.oom ? -1 : 0;
}

/* The columns' paths inside each record, then the envelope's paths into the list. */
static int add_list(pnode *list, const sl_plan *plan)
{
    pnode *rec = items_child(list);
    if (!rec || !add_table(rec, &plan->table))
        return -1;
    rec->record = true;
    list->records_inside = true;
    if (add_children(rec, plan))
        return -1;
    return add_envelope_paths(list, &plan->source);
}

sl_jscan *sl_jscan_new(const sl_plan *plan)
{
    sl_jscan *scan = calloc(1, sizeof *scan);
    if (!scan || !(scan->root = calloc(1, sizeof *scan->root)))
        goto fail;
    scan->root->rest = true;
    bool oom = false;
    pnode *list = add_records(scan->root, plan->source.records, &oom);
    if (oom || (list && add_list(list, plan)))
        goto fail;
    return scan;
fail:
    sl_jscan_free(scan);
    return NULL;
}

void sl_jscan_free(sl_jscan *scan)
{
    if (!scan)
        return;
    pnode_free(scan->root);
    free(scan);
}
