/* compile_accounts.c: a job's accounts (docs/accounts.md). The `accounts` list (or the list in
 * `accounts_file`) is loaded and checked before references are resolved, so that resolve.c can
 * read ${account:NAME} from the account the plan is compiled for; once the tables are lowered,
 * every table gets the account column (first in its key) and the account's params go over
 * source.params. See compile_int.h. An accounts file that loaded without a message is kept
 * (parsed, checked) for the process's later compiles of the same unchanged file, and for the
 * processes it forks: compiling each of 10,000 accounts' plans then costs no 10,000-item parse
 * each (docs/performance.md, "Issue 12: accounts at scale"). */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compile_int.h"
#include "convert.h"
#include "plan_int.h"

static bool id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > SL_MAX_ACCOUNT_ID)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
        if (!alnum && (i == 0 || (ch != '_' && ch != '.' && ch != '-')))
            return false;
    }
    return true;
}

static bool name_ok(const char *s)
{
    if (!s[0] || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

/* A `values` or `secrets` map: names, scalar values; references only (and always) in secrets. */
static void check_map(sl_diag *d, const acct_opts *a, const sl_ynode *map, bool secrets)
{
    if (!map || map->kind != SL_Y_MAP)
        return;
    const char *what = secrets ? "secrets" : "values";
    for (size_t i = 0; i < map->n; i++) {
        const sl_ynode *k = map->keys[i], *v = map->items[i];
        bool secret = false;
        if (!name_ok(k->str) || !strcmp(k->str, "id"))
            sl_diag_error(d, k->pos, "account %s: '%s' is not a name for ${account:NAME} "
                          "(letters, digits, _; not 'id')", what, k->str);
        else if (secrets && cc_account_value(a, k->str, &secret) && !secret)
            sl_diag_error(d, k->pos, "account '%s': '%s' is both a value and a secret",
                          a->o.id.s, k->str);
        if (v->kind != SL_Y_SCALAR)
            sl_diag_error(d, v->pos, "account %s: '%s' must be a text, not %s", what, k->str,
                          sl_ynode_kind_name(v));
        else if (!secrets && strstr(v->str, "${"))
            sl_diag_error(d, v->pos, "account values: '%s' holds a reference; put references "
                          "in `secrets`", k->str);
        else if (secrets && !strstr(v->str, "${"))
            sl_diag_warning(d, v->pos, "secret '%s' of account '%s' is written into the job "
                            "file; use ${env:NAME} or ${file:PATH}", k->str, a->o.id.s);
    }
}

static void check_params(sl_diag *d, const sl_ynode *map)
{
    for (size_t i = 0; map && map->kind == SL_Y_MAP && i < map->n; i++)
        if (map->items[i]->kind == SL_Y_SCALAR && strstr(map->items[i]->str, "${"))
            sl_diag_error(d, map->items[i]->pos, "account params: '%s' holds a reference; "
                          "put references in `secrets` and use ${account:NAME} in "
                          "source.params", map->keys[i]->str);
}

static int by_id(const void *x, const void *y)
{
    const acct_opts *a = *(const acct_opts *const *)x, *b = *(const acct_opts *const *)y;
    int r = strcmp(a->o.id.s, b->o.id.s);
    return r ? r : (a < b ? -1 : 1);
}

/* Duplicate ids, each reported at the later one, naming the first. */
static void check_dups(cc *c, sl_diag *d)
{
    const acct_opts **order = malloc(c->n_acc * sizeof *order);
    size_t n = 0;
    for (size_t i = 0; order && i < c->n_acc; i++)
        if (c->acc[i].o.id.s)
            order[n++] = &c->acc[i];
    if (order)
        qsort(order, n, sizeof *order, by_id);
    for (size_t i = 1, first = 0; order && i < n; i++) {
        if (strcmp(order[i]->o.id.s, order[first]->o.id.s)) {
            first = i;
            continue;
        }
        sl_diag_error(d, order[i]->o.id.node->pos, "account id '%s' is used twice (first at "
                      "line %d)", order[i]->o.id.s, order[first]->o.id.node->pos.line);
    }
    free(order);
}

static void load_list(cc *c, sl_diag *d, const sl_ynode *seq)
{
    if (!seq || seq->kind != SL_Y_SEQ || seq->n == 0 || seq->n > SL_MAX_ACCOUNTS)
        return; /* the option loader says so (accounts), or load_file did */
    if (!(c->acc = calloc(seq->n, sizeof *c->acc)))
        return;
    c->n_acc = seq->n;
    for (size_t i = 0; i < seq->n; i++) {
        acct_opts *a = &c->acc[i];
        char label[64];
        snprintf(label, sizeof label, "account %zu", i + 1);
        a->node = seq->items[i];
        sl_options_load(&sl_opts_account, label, a->node, a->node->pos, &a->o, d);
        if (a->o.id.s && !id_ok(a->o.id.s)) {
            sl_diag_error(d, a->o.id.node->pos, "account id '%s': letters, digits, _ . - "
                          "(starting with a letter or digit), at most %d", a->o.id.s,
                          SL_MAX_ACCOUNT_ID);
            a->o.id.s = NULL;
        }
        check_map(d, a, a->o.values.node, false);
        check_map(d, a, a->o.secrets.node, true);
        check_params(d, a->o.params.node);
    }
    check_dups(c, d);
}

/* The last accounts file that loaded cleanly: its path, identity and time of change, its
 * document and its checked list (read only by the compiles that reuse it). */
static struct {
    char *path;
    struct stat st;
    sl_ydoc *doc;
    acct_opts *acc;
    size_t n;
    char *every[8]; /* names every account of the list was found to define */
} file_cache;

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Uses the cached list of full when the file is unchanged; returns true when it did. */
static bool from_cache(cc *c, const char *full, const struct stat *st)
{
    if (!file_cache.path || strcmp(file_cache.path, full) || !same_file(st, &file_cache.st))
        return false;
    c->acc = file_cache.acc;
    c->n_acc = file_cache.n;
    c->acc_cached = true;
    return true;
}

/* Keeps c's list of full (loaded with no message at all) for the next compiles. */
static void to_cache(cc *c, const char *full, const struct stat *st)
{
    char *path = strdup(full);
    if (!path || !c->acc)
        return free(path);
    free(file_cache.path);
    free(file_cache.acc);
    sl_ydoc_free(file_cache.doc);
    for (size_t i = 0; i < sizeof file_cache.every / sizeof *file_cache.every; i++) {
        free(file_cache.every[i]);
        file_cache.every[i] = NULL;
    }
    file_cache.path = path;
    file_cache.st = *st;
    file_cache.doc = c->acc_doc;
    file_cache.acc = c->acc;
    file_cache.n = c->n_acc;
    c->acc_doc = NULL;
    c->acc_cached = true;
}

/* The list of accounts_file (relative to the job's folder), its problems reported at their own
 * file:line:col and, in the job's diagnostics, at the accounts_file key. */
static void load_file(cc *c, const sl_ynode *f)
{
    if (f->kind != SL_Y_SCALAR || strstr(f->str, "${")) {
        sl_diag_error(c->diag, f->pos, "accounts_file must be a file name (not a reference)");
        return;
    }
    char full[4096];
    snprintf(full, sizeof full, "%s%s%s", f->str[0] == '/' ? "" : c->dir,
             f->str[0] == '/' ? "" : "/", f->str);
    struct stat st = {0};
    bool known = stat(full, &st) == 0;
    if (known && from_cache(c, full, &st))
        return;
    sl_diag *d = sl_diag_new(full);
    if (!d)
        return;
    c->acc_doc = sl_yaml_load_file(full, d);
    const sl_ynode *root = c->acc_doc ? sl_ydoc_root(c->acc_doc) : NULL;
    if (c->acc_doc && (!root || root->kind != SL_Y_SEQ || root->n == 0))
        sl_diag_error(d, root ? root->pos : (sl_pos){1, 1},
                      "an accounts file holds a non-empty list of accounts (id, params, "
                      "values, secrets)");
    else if (root && root->n > SL_MAX_ACCOUNTS)
        sl_diag_error(d, root->pos, "an accounts file holds at most %d accounts",
                      SL_MAX_ACCOUNTS);
    else
        load_list(c, d, root);
    if (known && sl_diag_count(d) == 0)
        to_cache(c, full, &st);
    sl_diag_absorb(c->diag, d, f->pos);
    sl_diag_free(d);
}

void cc_find_accounts(cc *c, const sl_ynode *root)
{
    const sl_ynode *list = sl_ynode_get(root, "accounts"), *file = sl_ynode_get(root, "accounts_file");
    c->has_accounts = list || file;
    if (list && file)
        sl_diag_error(c->diag, file->pos, "a job has `accounts` or `accounts_file`, not both");
    else if (file)
        load_file(c, file);
    else if (list)
        load_list(c, c->diag, list);
    if (!c->want_account || sl_diag_errors(c->diag))
        return;
    for (size_t i = 0; i < c->n_acc && !c->acc_sel; i++)
        if (c->acc[i].o.id.s && !strcmp(c->acc[i].o.id.s, c->want_account))
            c->acc_sel = &c->acc[i];
    if (!c->acc_sel)
        sl_diag_error(c->diag, (sl_pos){0, 0}, "the job has no account '%s'", c->want_account);
}

/* For a cached list: was name found in every account before (true), or is it now noted so? */
static bool every_known(const cc *c, const char *name, bool note)
{
    size_t n = sizeof file_cache.every / sizeof *file_cache.every, i = 0;
    if (!c->acc_cached || c->acc != file_cache.acc)
        return false;
    for (; i < n && file_cache.every[i]; i++)
        if (!strcmp(file_cache.every[i], name))
            return true;
    if (note && i < n)
        file_cache.every[i] = strdup(name);
    return false;
}

const acct_opts *cc_account_lacking(const cc *c, const char *name)
{
    bool secret = false;
    if (!strcmp(name, "id") || every_known(c, name, false))
        return NULL;
    for (size_t i = 0; i < c->n_acc; i++)
        if (c->acc[i].o.id.s && !cc_account_value(&c->acc[i], name, &secret))
            return &c->acc[i];
    every_known(c, name, true);
    return NULL;
}

const sl_ynode *cc_account_value(const acct_opts *a, const char *name, bool *secret)
{
    const sl_ynode *v = a->o.values.node ? sl_ynode_get(a->o.values.node, name) : NULL;
    *secret = !v;
    if (!v && a->o.secrets.node)
        v = sl_ynode_get(a->o.secrets.node, name);
    return v && v->kind == SL_Y_SCALAR ? v : NULL;
}

/* Appends the account column to t (its last column, the first of its key). */
static int add_column(sl_table *t, const sl_column *col)
{
    sl_column *cols = realloc(t->cols, (t->n_cols + 1) * sizeof *cols);
    if (cols)
        t->cols = cols;
    size_t *key = cols ? realloc(t->key, (t->n_key + 1) * sizeof *key) : NULL;
    if (!key)
        return -1;
    t->key = key;
    memmove(key + 1, key, t->n_key * sizeof *key);
    key[0] = t->n_cols;
    t->n_key++;
    t->cols[t->n_cols++] = *col;
    return 0;
}

static void clash(cc *c, const sl_table *t, const char *name)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (cc_same_name(t->cols[i].name, name))
            sl_diag_error(c->diag, t->cols[i].pos, "column '%s' of table %s is the account "
                          "column's name; set target.account_column to another name", name,
                          t->name);
}

static void account_columns(cc *c, sl_plan *p)
{
    const char *name = p->account_column;
    clash(c, &p->table, name);
    for (size_t i = 0; i < p->n_children; i++)
        clash(c, &p->children[i], name);
    if (sl_diag_errors(c->diag))
        return;
    sl_error err = {0};
    sl_conv *conv = sl_conv_compile(&(sl_conv_spec){.type = "varchar(64)"}, &err, NULL);
    char *def = NULL;
    json_t *id = p->account ? json_string(p->account) : NULL;
    if (conv && id && sl_conv_default_text(conv, id, &def, &err) != SL_OK)
        def = NULL;
    json_decref(id);
    sl_pos at = cc_pos_of(&c->opts.tgt.account_column, c->opts.job.target.node);
    sl_column col = {.pos = at, .name = strdup(name), .from_parent = -1, .conv = conv,
                     .default_text = def};
    if (!conv || !col.name || (p->account && !def) || add_column(&p->table, &col)) {
        sl_diag_error(c->diag, at, "account column: %s", err.msg[0] ? err.msg : "out of memory");
        return;
    }
    for (size_t i = 0; i < p->n_children; i++) {
        const sl_table *up = sl_plan_parent_table(p, &p->children[i]);
        sl_column copy = {.pos = at, .name = strdup(name), .from_parent = (int)(up->n_cols - 1),
                          .conv = sl_conv_compile(&(sl_conv_spec){.type = "varchar(64)"}, &err,
                                                  NULL)};
        if (!copy.name || !copy.conv || add_column(&p->children[i], &copy)) {
            free(copy.name);
            sl_conv_free(copy.conv);
            sl_diag_error(c->diag, at, "out of memory");
            return;
        }
    }
}

static void merge_params(cc *c, sl_plan *p)
{
    const sl_ynode *params = c->acc_sel->o.params.node;
    if (!params)
        return;
    json_t *add = cc_node_to_json(params);
    if (!p->source.params)
        p->source.params = json_object();
    if (!add || !p->source.params || json_object_update(p->source.params, add))
        sl_diag_error(c->diag, params->pos, "account params: out of memory");
    json_decref(add);
}

void cc_lower_accounts(cc *c)
{
    sl_plan *p = c->plan;
    if (!c->n_acc || !(p->accounts = calloc(c->n_acc, sizeof *p->accounts)))
        return;
    p->n_accounts = c->n_acc;
    for (size_t i = 0; i < c->n_acc; i++) {
        p->accounts[i].pos = c->acc[i].node->pos;
        p->accounts[i].id = strdup(c->acc[i].o.id.s);
    }
    p->account_column = strdup(c->opts.tgt.account_column.s);
    if (c->acc_sel)
        p->account = strdup(c->acc_sel->o.id.s);
    if (!p->account_column || (c->acc_sel && !p->account)) {
        sl_diag_error(c->diag, (sl_pos){0, 0}, "out of memory");
        return;
    }
    if (p->target.refresh.on) {
        sl_diag_error(c->diag, c->opts.job.accounts.node ? c->opts.job.accounts.node->pos
                                                         : c->opts.job.accounts_file.node->pos,
                      "a full refresh (no source.window) can't have accounts: each account's "
                      "refresh would replace the others' rows");
        return;
    }
    account_columns(c, p);
    if (c->acc_sel)
        merge_params(c, p);
}

void cc_free_accounts(cc *c)
{
    if (!c->acc_cached)
        free(c->acc);
    sl_ydoc_free(c->acc_doc);
}
