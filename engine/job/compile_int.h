/* compile_int.h: private to the compiler's files (compile.c and its parts: resolve.c,
 * compile_util.c, compile_source.c, compile_tables.c, compile_target.c): the loaded options of
 * a job and the compiler's state, and the functions the parts share. */
#ifndef SLUICE_COMPILE_INT_H
#define SLUICE_COMPILE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "diag.h"
#include "kind.h"
#include "job_options.h"
#include "plan.h"
#include "yaml_load.h"

typedef struct col_opts {
    const sl_ynode *name; /* the key node: the column's name and position */
    sl_o_column o;
} col_opts;

typedef struct tbl_opts {
    const sl_ynode *node; /* the child item (children) */
    sl_o_child o;         /* children only */
    col_opts *cols;
    size_t n_cols;
    int parent;   /* children: index in job_opts.children of the table holding its items, or
                   * -1 for the top table */
    size_t depth; /* children: 1 under the top table, 2 under one of those... */
} tbl_opts;

typedef struct rule_opts {
    sl_o_rule o;
    sl_o_wait wait;
} rule_opts;

/* A typed section (kind.h): the kind its `type` chose and the kind's loaded options (owned). */
typedef struct kind_opts {
    const sl_kind *kind;
    void *opts;
} kind_opts;

typedef struct job_opts {
    sl_o_job job;
    sl_o_source src;
    kind_opts signer;
    kind_opts auth;
    sl_o_window win;
    kind_opts pager;
    rule_opts *rules;
    size_t n_rules;
    sl_o_limits lim;
    sl_o_retry retry;
    sl_o_request req;
    sl_o_target tgt;
    sl_o_refresh refresh;
    tbl_opts parent;
    tbl_opts *children; /* at every depth, each before its own children (pre-order) */
    size_t n_children;
    size_t cap_children;
    bool children_over; /* past SL_MAX_CHILDREN: reported once, at the first past it */
    sl_o_alerts alerts;
    sl_o_schedule schedule;
    sl_o_personal personal;
    sl_o_volume volume;
    sl_o_quality *quality;
    const sl_ynode **quality_nodes; /* each rule's item, for positions */
    size_t n_quality;
} job_opts;

/* One account item (of `accounts` or the `accounts_file` list), loaded and checked. */
typedef struct acct_opts {
    const sl_ynode *node;
    sl_o_account o;
} acct_opts;

typedef struct cc {
    sl_diag *diag;
    const char *want_account; /* compile the plan of this account (sl_compile_options) */
    sl_ydoc *acc_doc;         /* the accounts_file's document, or NULL */
    acct_opts *acc;           /* the job's accounts, in order */
    size_t n_acc;
    bool acc_cached;          /* acc (and its file's document) belong to the file cache */
    const acct_opts *acc_sel; /* the account of want_account, or NULL */
    bool has_accounts;        /* `accounts` or `accounts_file` was given */
    char *dir; /* the job file's folder, for relative ${file:} paths */
    bool resolve;
    bool skip_target;
    bool read_personal;
    size_t ref_bytes; /* read through references so far (SL_MAX_REF_BYTES) */
    sl_plan *plan;
    sl_kind_ctx k; /* the lowering helpers of kind.h, on diag and plan */
    job_opts opts;
} cc;

/* resolve.c: stage 2, reads the ${env:}/${file:} references under root (not those under
 * `target:` and `alerts:` when c->skip_target). */
void cc_resolve_root(cc *c, sl_ynode *root);

/* compile_accounts.c: the job's accounts (docs/accounts.md). */
/* Stage 1b, before references are resolved: loads and checks `accounts` or `accounts_file`
 * into c->acc and picks c->acc_sel for c->want_account. */
void cc_find_accounts(cc *c, const sl_ynode *root);
/* The node of the account's `values` or `secrets` entry `name` (*secret says which), or NULL;
 * `id` is not looked up here. */
const sl_ynode *cc_account_value(const acct_opts *a, const char *name, bool *secret);
/* The first account that defines no value or secret name (never for "id"), or NULL; for an
 * accounts file kept between compiles the answer NULL is remembered with the list. */
const acct_opts *cc_account_lacking(const cc *c, const char *name);
/* Once the tables are lowered: the ids, the account column of every table and key, and the
 * chosen account's params over source.params. */
void cc_lower_accounts(cc *c);
/* Frees what cc_find_accounts loaded. */
void cc_free_accounts(cc *c);

/* compile_util.c */
/* Where v was written, else fallback's position (else "not from the file"). */
sl_pos cc_pos_of(const sl_optval *v, const sl_ynode *fallback);
char *cc_dup_or_null(const char *s);
/* A YAML node as JSON: unquoted scalars become numbers, booleans or null when they read so. */
json_t *cc_node_to_json(const sl_ynode *n);
/* SQL names compare without case. */
bool cc_same_name(const char *a, const char *b);
/* A share written "95%" or "99.5%" (two decimals at most) as hundredths of a percent in *bp,
 * at most max_bp; false when it is not one. */
bool cc_share_bp(const char *s, int64_t max_bp, int64_t *bp);
/* An http(s) URL, plain http to another machine only with allow (located errors). */
void cc_check_url(cc *c, const sl_optval *url, const sl_optval *allow, const char *key,
                  const char *section);
/* Loads section v of parent against t (absent: its defaults). */
void cc_load_section(cc *c, const sl_opt_table *t, const sl_optval *v, const sl_ynode *parent,
                     void *out);
/* True when a section may be loaded: absent (defaults) or a map. */
bool cc_loadable(const sl_optval *v);

/* compile_source.c: stage 3 and 4 of `source`. */
void cc_check_source(cc *c, const sl_ynode *src);
void cc_lower_source(cc *c);

/* compile_tables.c: the columns and tables. */
void cc_load_columns(cc *c, const sl_optval *v, tbl_opts *t);
/* Reports the first column past SL_MAX_JOB_COLUMNS of all the tables. */
void cc_check_job_columns(cc *c);
/* Lowers table t (key: its key option; parent: the parent table, for a child) into out. */
void cc_lower_table(cc *c, const tbl_opts *t, sl_table *out, const sl_optval *key,
                    const tbl_opts *parent);
/* The index of the column called name in t, or -1. */
int cc_find_column(const tbl_opts *t, const char *name);
/* Reports that name (what: "key column", ...) is not a column of table, with a guess. */
void cc_unknown_column(cc *c, sl_pos pos, const char *what, const char *name, const tbl_opts *t,
                       const char *table);
/* The table holding t's items: the top table or a child (NULL for the top table). */
const tbl_opts *cc_parent_of(const cc *c, const tbl_opts *t);
/* The column whose value t's column col holds: col itself, or the column its from_parent
 * copies, followed up through the parents; NULL when the chain is broken (reported where). */
const col_opts *cc_copied_column(const cc *c, const tbl_opts *t, int col);
/* Reports name when one of the n_seen names (NULL: skipped) is the same table. */
void cc_check_table_name(cc *c, const char *name, sl_pos pos, const char *const *seen,
                         size_t n_seen);

/* compile_quality.c: the `quality` rules, loaded (stage 3), then lowered once the parent
 * table is. */
void cc_load_quality(cc *c, job_opts *o);
void cc_lower_quality(cc *c);

/* compile_children.c: child tables at every depth. */
/* Loads the job's `children` and, depth first, each child's own, into o->children. */
void cc_load_children(cc *c, job_opts *o);
/* Lowers every child table into plan->children, checking names, `each` and the key to the
 * parent. */
void cc_lower_children(cc *c);

/* compile_target.c: `target` and `alerts`. */
void cc_lower_target(cc *c);
/* target.refresh (a job without source.window), once the tables are named. */
void cc_lower_refresh(cc *c);
/* target.window_column, once the parent's columns are known. */
void cc_lower_window_column(cc *c);
void cc_lower_alerts(cc *c);
/* compile_personal.c: the `personal` section and each column's `personal` key, once every
 * table is lowered; warns of columns that look personal and are stored in clear. */
void cc_lower_personal(cc *c);
/* compile_target.c: `schedule` (every or a cron expression). */
void cc_lower_schedule(cc *c);
/* compile_volume.c: the job's `volume` section, once the parent's columns are known. */
void cc_lower_volume(cc *c);

#endif
