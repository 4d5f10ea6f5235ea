/* compile.c: see compile.h. Stage 1 loads the YAML, stage 2 resolves references, stage 3
 * checks each component against its option table (options.c), stage 4 lowers the checked
 * options into the plan and cross-checks names. */
#include "compile.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "dsn.h"
#include "expr.h"
#include "jpath.h"
#include "grow.h"
#include "kind.h"
#include "options.h"
#include "plan_int.h"
#include "regex.h"
#include "timeutil.h"
#include "urlcode.h"
#include "yaml_load.h"

enum { SECRET_FILE_MAX = 64 * 1024 };

typedef struct col_opts {
    const sl_ynode *name; /* the key node: the column's name and position */
    sl_o_column o;
} col_opts;

typedef struct tbl_opts {
    const sl_ynode *node; /* the child item (children) */
    sl_o_child o;         /* children only */
    col_opts *cols;
    size_t n_cols;
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
    sl_o_window win;
    kind_opts pager;
    rule_opts *rules;
    size_t n_rules;
    sl_o_limits lim;
    sl_o_retry retry;
    sl_o_target tgt;
    tbl_opts parent;
    tbl_opts *children;
    size_t n_children;
    sl_o_alerts alerts;
} job_opts;

typedef struct cc {
    sl_diag *diag;
    char *dir; /* the job file's folder, for relative ${file:} paths */
    bool resolve;
    bool skip_target;
    size_t ref_bytes; /* read through references so far (SL_MAX_REF_BYTES) */
    sl_plan *plan;
    job_opts opts;
} cc;

/* ---- positions and messages ------------------------------------------------------------ */

/* Position of the col-th (1-based) character inside a scalar's text, when it is on one line. */
static sl_pos pos_in(const sl_ynode *node, int col)
{
    sl_pos p = node->pos;
    if (node->kind != SL_Y_SCALAR || strchr(node->str, '\n') || col < 1)
        return p;
    p.col += col - 1 + (node->quoted ? 1 : 0);
    return p;
}

/* Splits "col N: reason" as jpath.h reports it; returns the reason and sets *col (or 1). */
static const char *split_col(const char *err, int *col)
{
    *col = 1;
    if (strncmp(err, "col ", 4) != 0)
        return err;
    char *end;
    long v = strtol(err + 4, &end, 10);
    if (end[0] != ':' || v < 1 || v > 100000)
        return err;
    *col = (int)v;
    return end[1] == ' ' ? end + 2 : end + 1;
}

static sl_pos pos_of(const sl_optval *v, const sl_ynode *fallback)
{
    return v->node ? v->node->pos : fallback ? fallback->pos : (sl_pos){0, 0};
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* ---- stage 2: references --------------------------------------------------------------- */

static bool env_name_ok(const char *s, size_t n)
{
    if (n == 0 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return false;
    return true;
}

/* Reads a ${file:} reference's file into *out (owned), trailing newline stripped. */
static int read_secret_file(cc *c, const sl_ynode *node, const char *ref_path, char **out)
{
    char full[4096];
    if (ref_path[0] == '/' || !c->dir)
        snprintf(full, sizeof full, "%s", ref_path);
    else
        snprintf(full, sizeof full, "%s/%s", c->dir, ref_path);
    FILE *f = fopen(full, "rb");
    if (!f) {
        sl_diag_error(c->diag, node->pos, "cannot read file '%s': %s", ref_path, strerror(errno));
        return -1;
    }
    char *buf = malloc(SECRET_FILE_MAX + 1);
    size_t n = buf ? fread(buf, 1, SECRET_FILE_MAX + 1, f) : 0;
    bool bad = !buf || ferror(f);
    fclose(f);
    if (bad || n > SECRET_FILE_MAX || memchr(buf, '\0', n)) {
        sl_diag_error(c->diag, node->pos, "cannot read file '%s': %s", ref_path,
                      bad ? "read error" : n > SECRET_FILE_MAX ? "larger than 64 KiB"
                                                              : "it holds a NUL byte");
        free(buf);
        return -1;
    }
    if (n > 0 && buf[n - 1] == '\n')
        n--;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    buf[n] = '\0';
    char *fit = realloc(buf, n + 1); /* keep the value, not the 64 KiB it was read into */
    *out = fit ? fit : buf;
    return 0;
}

static int read_ref(cc *c, const sl_ynode *node, bool is_env, const char *arg, char **value)
{
    if (!is_env)
        return read_secret_file(c, node, arg, value);
    const char *v = getenv(arg);
    if (!v) {
        sl_diag_error(c->diag, node->pos, "environment variable %s is not set", arg);
        return -1;
    }
    *value = strdup(v);
    return *value ? 0 : -1;
}

static void resolve_scalar(cc *c, sl_ynode *node)
{
    const char *s = node->str;
    size_t n = strlen(s);
    bool is_env = strncmp(s, "${env:", 6) == 0, is_file = strncmp(s, "${file:", 7) == 0;
    size_t head = is_env ? 6 : 7;
    if ((!is_env && !is_file) || s[n - 1] != '}' || n <= head + 1 ||
        memchr(s + head, '}', n - head - 1) || (is_env && !env_name_ok(s + head, n - head - 1))) {
        sl_diag_error(c->diag, node->pos,
                      "malformed reference: a value using ${...} must be exactly ${env:NAME} or "
                      "${file:PATH}");
        return;
    }
    char arg[1024];
    snprintf(arg, sizeof arg, "%.*s", (int)(n - head - 1), s + head);
    char ref[1100];
    snprintf(ref, sizeof ref, "%s:%s", is_env ? "env" : "file", arg);
    node->ref = strdup(ref);
    char *value = NULL;
    if (!c->resolve) {
        node->unresolved = true;
        value = strdup("");
    } else if (c->ref_bytes > SL_MAX_REF_BYTES || read_ref(c, node, is_env, arg, &value) != 0) {
        return; /* past the limit: reported once, read no more */
    }
    if (!value || !node->ref) {
        free(value);
        return;
    }
    if ((c->ref_bytes += strlen(value)) > SL_MAX_REF_BYTES) {
        sl_diag_error(c->diag, node->pos,
                      "values read through references exceed %d bytes (1 MiB) in all",
                      SL_MAX_REF_BYTES);
        free(value);
        return;
    }
    free(node->str);
    node->str = value;
    node->len = strlen(value);
    if (value[0])
        sl_plan_add_secret(c->plan, value);
}

static void resolve_refs(cc *c, sl_ynode *node)
{
    if (node->kind == SL_Y_SCALAR) {
        if (strstr(node->str, "${"))
            resolve_scalar(c, node);
        return;
    }
    for (size_t i = 0; i < node->n; i++)
        resolve_refs(c, node->items[i]);
}

/* The root: as resolve_refs, but `target:` and `alerts:` unread when the options say so. */
static void resolve_root(cc *c, sl_ynode *root)
{
    for (size_t i = 0; i < root->n; i++) {
        bool resolve = c->resolve;
        if (c->skip_target && root->kind == SL_Y_MAP &&
            (!strcmp(root->keys[i]->str, "target") || !strcmp(root->keys[i]->str, "alerts")))
            c->resolve = false;
        resolve_refs(c, root->items[i]);
        c->resolve = resolve;
    }
}

/* ---- stage 3: option tables ------------------------------------------------------------ */

static void load_columns(cc *c, const sl_optval *v, tbl_opts *t)
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

static void load_rules(cc *c, job_opts *o)
{
    const sl_ynode *seq = o->src.errors.node;
    if (!seq || seq->kind != SL_Y_SEQ || seq->n == 0 || seq->n > SL_MAX_RULES)
        return;
    o->rules = calloc(seq->n, sizeof *o->rules);
    if (!o->rules)
        return;
    o->n_rules = seq->n;
    for (size_t i = 0; i < seq->n; i++) {
        rule_opts *r = &o->rules[i];
        char label[64];
        snprintf(label, sizeof label, "error rule %zu", i + 1);
        sl_options_load(&sl_opts_rule, label, seq->items[i], seq->items[i]->pos, &r->o, c->diag);
        if (r->o.wait.node && r->o.wait.node->kind == SL_Y_MAP)
            sl_options_load(&sl_opts_wait, NULL, r->o.wait.node, r->o.wait.node->pos, &r->wait,
                            c->diag);
    }
}

static void load_children(cc *c, job_opts *o)
{
    const sl_ynode *seq = o->job.children.node;
    if (!seq || seq->kind != SL_Y_SEQ || seq->n == 0 || seq->n > SL_MAX_CHILDREN)
        return;
    o->children = calloc(seq->n, sizeof *o->children);
    if (!o->children)
        return;
    o->n_children = seq->n;
    for (size_t i = 0; i < seq->n; i++) {
        tbl_opts *t = &o->children[i];
        t->node = seq->items[i];
        char label[64];
        snprintf(label, sizeof label, "child table %zu", i + 1);
        sl_options_load(&sl_opts_child, label, seq->items[i], seq->items[i]->pos, &t->o, c->diag);
        load_columns(c, &t->o.columns, t);
    }
}

/* Loads an optional or required sub-section; an absent one gets its defaults. */
static void load_section(cc *c, const sl_opt_table *t, const sl_optval *v, const sl_ynode *parent,
                         void *out)
{
    sl_options_load(t, NULL, v->node, parent ? parent->pos : (sl_pos){1, 1}, out, c->diag);
}

/* True when a section may be loaded: absent (defaults) or a map; anything else was already
 * reported by its parent's loader. */
static bool loadable(const sl_optval *v)
{
    return !v->node || v->node->kind == SL_Y_MAP;
}

/* Loads a typed section of table (key): absent, it takes its row's default kind if any (an
 * absent required one was reported by the table's loader). */
static void load_kind(cc *c, const sl_opt_table *table, const char *key, const sl_optval *v,
                      const sl_ynode *parent, kind_opts *out)
{
    const sl_opt *row = sl_options_row(table, key);
    if (!loadable(v) || (!v->node && !row->def))
        return;
    out->kind = sl_options_load_kind(row, v->node, parent->pos, &out->opts, c->diag);
}

static void check_source(cc *c, const sl_ynode *src)
{
    job_opts *o = &c->opts;
    sl_options_load(&sl_opts_source, NULL, src, src->pos, &o->src, c->diag);
    load_kind(c, &sl_opts_source, "signer", &o->src.signer, src, &o->signer);
    if (o->src.window.node && loadable(&o->src.window))
        load_section(c, &sl_opts_window, &o->src.window, src, &o->win);
    if (o->src.paging.node) /* absent: reported missing by the source's loader */
        load_kind(c, &sl_opts_source, "paging", &o->src.paging, src, &o->pager);
    if (loadable(&o->src.limits))
        load_section(c, &sl_opts_limits, &o->src.limits, src, &o->lim);
    if (loadable(&o->src.retry))
        load_section(c, &sl_opts_retry, &o->src.retry, src, &o->retry);
    load_rules(c, o);
}

/* Each column compiles a path and a converter (a PCRE2 pattern perhaps): their number bounds
 * the plan's memory. Reported at the first column past the limit. */
static void check_job_columns(cc *c)
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

static void check_options(cc *c, const sl_ynode *root)
{
    job_opts *o = &c->opts;
    sl_options_load(&sl_opts_job, "the job file", root, root->pos, &o->job, c->diag);
    const sl_ynode *src = o->job.source.node;
    if (src && src->kind == SL_Y_MAP)
        check_source(c, src);
    const sl_ynode *tgt = o->job.target.node;
    if (tgt && tgt->kind == SL_Y_MAP)
        sl_options_load(&sl_opts_target, NULL, tgt, tgt->pos, &o->tgt, c->diag);
    load_columns(c, &o->job.columns, &o->parent);
    load_children(c, o);
    check_job_columns(c);
    if (o->job.alerts.node && loadable(&o->job.alerts))
        load_section(c, &sl_opts_alerts, &o->job.alerts, root, &o->alerts);
}

/* ---- stage 4: lowering ----------------------------------------------------------------- */

static int char_col(const char *s, size_t off);

/* A YAML node as JSON: unquoted scalars become numbers, booleans or null when they read so. */
static json_t *node_to_json(const sl_ynode *n)
{
    if (n->kind == SL_Y_MAP) {
        json_t *o = json_object();
        for (size_t i = 0; o && i < n->n; i++)
            json_object_set_new(o, n->keys[i]->str, node_to_json(n->items[i]));
        return o;
    }
    if (n->kind == SL_Y_SEQ) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < n->n; i++)
            json_array_append_new(a, node_to_json(n->items[i]));
        return a;
    }
    if (n->quoted || n->ref)
        return json_stringn(n->str, n->len);
    if (sl_ynode_is_null(n))
        return json_null();
    if (!strcmp(n->str, "true") || !strcmp(n->str, "false"))
        return json_boolean(n->str[0] == 't');
    json_error_t jerr;
    json_t *num = json_loads(n->str, JSON_DECODE_ANY, &jerr);
    if (num && json_is_number(num))
        return num;
    json_decref(num);
    return json_stringn(n->str, n->len);
}

static sl_jpath *lower_jpath(cc *c, const sl_optval *v, const char *what)
{
    if (!v->set || !v->s)
        return NULL;
    sl_error err = {0};
    sl_jpath *p = sl_jpath_compile(v->s, &err);
    if (!p) {
        int col;
        const char *why = split_col(err.msg, &col);
        sl_diag_error(c->diag, pos_in(v->node, col), "bad JSON path in '%s': %s", what, why);
    } else if (sl_jpath_is_multi(p)) {
        sl_diag_error(c->diag, v->node->pos, "'%s' must reach one value; [*] is not allowed here",
                      what);
        sl_jpath_free(p);
        p = NULL;
    }
    return p;
}

/* Copies a string option into *field; marks it secret when it came from a reference or its
 * row is a secret. */
static void lower_string(cc *c, const sl_optval *v, char **field, bool secret)
{
    if (!v->set || !v->s)
        return;
    *field = strdup(v->s);
    const sl_ynode *n = v->node;
    if (n && (n->ref || secret)) {
        sl_plan_mark_secret(c->plan, field, n->ref, !n->unresolved);
        if (!n->ref && v->s[0])
            sl_plan_add_secret(c->plan, v->s);
    }
}

/* Copies a text option (NULL when absent) into *field; when it was read through a reference,
 * the plan records so, and every printer shows the reference instead of the value. */
static void lower_text(cc *c, const sl_optval *v, char **field)
{
    *field = dup_or_null(v->s);
    const sl_ynode *n = v->node;
    if (*field && n && n->ref)
        sl_plan_mark_secret(c->plan, field, n->ref, !n->unresolved);
}

/* The DSN's password, decoded, is a secret of its own: a server or client message may quote
 * it without the rest of the URL. */
static void add_dsn_secrets(cc *c, const char *url)
{
    sl_dsn d;
    if (sl_dsn_parse(url, &d, NULL) != SL_OK)
        return;
    if (sl_plan_add_secret(c->plan, d.password) != 0)
        sl_diag_error(c->diag, (sl_pos){0, 0}, "out of memory");
    sl_dsn_clear(&d);
}

/* Plain http to another machine is refused unless the section says it is intended. The URL
 * is checked once it is known (a reference is read at compile time by every command that
 * connects); the message names the host only, since the rest of a URL may hold a key. */
static void check_plain_http(cc *c, const sl_optval *url, const sl_optval *allow,
                             const char *key, const char *section)
{
    const sl_ynode *n = url->node;
    char host[256];
    if (!n || n->unresolved || !url->s || allow->i || !sl_url_plain_remote(url->s, host, sizeof host))
        return;
    sl_diag_error(c->diag, n->pos,
                  "'%s' is plain http:// to '%s', not this machine: use https://, or set "
                  "'allow_insecure_http: true' in %s if unencrypted traffic is intended",
                  key, host, section);
}

/* An endpoint or webhook must be an http(s) URL (libcurl would take ftp:// or file:// and fail
 * at the first request, retried as if transient), and plain http to another machine needs the
 * section's consent. */
static void check_url(cc *c, const sl_optval *url, const sl_optval *allow, const char *key,
                      const char *section)
{
    const sl_ynode *n = url->node;
    if (n && !n->unresolved && url->s && strncmp(url->s, "http://", 7) != 0 &&
        strncmp(url->s, "https://", 8) != 0)
        sl_diag_error(c->diag, n->pos, "'%s' must be an http:// or https:// URL", key);
    else
        check_plain_http(c, url, allow, key, section);
}

/* ---- kinds ----------------------------------------------------------------------------- */

struct sl_kind_ctx {
    cc *c;
    sl_pos where; /* the section, for what was not written in it */
};

static void kind_report(sl_kind_ctx *k, bool warning, const sl_optval *v, const char *fmt,
                        va_list ap)
{
    char buf[900];
    vsnprintf(buf, sizeof buf, fmt, ap);
    sl_pos at = v && v->node ? v->node->pos : k->where;
    if (warning)
        sl_diag_warning(k->c->diag, at, "%s", buf);
    else
        sl_diag_error(k->c->diag, at, "%s", buf);
}

void sl_kind_error(sl_kind_ctx *k, const sl_optval *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kind_report(k, false, v, fmt, ap);
    va_end(ap);
}

void sl_kind_warning(sl_kind_ctx *k, const sl_optval *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kind_report(k, true, v, fmt, ap);
    va_end(ap);
}

void sl_kind_oom(sl_kind_ctx *k)
{
    sl_diag_error(k->c->diag, (sl_pos){0, 0}, "out of memory");
}

void sl_kind_text(sl_kind_ctx *k, const sl_optval *v, char **field)
{
    lower_text(k->c, v, field);
}

void sl_kind_secret(sl_kind_ctx *k, const sl_optval *v, char **field)
{
    lower_string(k->c, v, field, true);
}

void sl_kind_secret_part(sl_kind_ctx *k, const sl_optval *v, char **field, const char *value,
                         size_t len)
{
    const sl_ynode *n = v->node;
    if (!(*field = strndup(value, len))) {
        sl_kind_oom(k);
        return;
    }
    if (!sl_kind_unread(v))
        sl_plan_add_secret(k->c->plan, *field);
    sl_plan_mark_secret(k->c->plan, field, n ? n->ref : NULL, !sl_kind_unread(v));
}

bool sl_kind_unread(const sl_optval *v)
{
    return v->node && v->node->unresolved;
}

sl_jpath *sl_kind_jpath(sl_kind_ctx *k, const sl_optval *v, const char *what)
{
    return lower_jpath(k->c, v, what);
}

void sl_kind_reply_path(sl_kind_ctx *k, const sl_jpath *path)
{
    sl_source_plan *s = &k->c->plan->source;
    if (!path)
        return;
    const sl_jpath **p = sl_grow(s->reply_paths, &s->cap_reply_paths, s->n_reply_paths + 1,
                                 sizeof *p, 4);
    if (!p) {
        sl_kind_oom(k);
        return;
    }
    s->reply_paths = p;
    s->reply_paths[s->n_reply_paths++] = path;
}

/* Compiles a typed section's kind into ref (nothing when no kind was chosen). */
static void lower_kind(cc *c, const kind_opts *o, const sl_optval *v, const sl_ynode *parent,
                       sl_kind_ref *ref)
{
    if (!o->kind)
        return;
    sl_kind_ctx k = {c, v->node ? v->node->pos : parent->pos};
    if ((ref->cfg = o->kind->compile(&k, o->opts)))
        ref->kind = o->kind;
    else
        sl_kind_oom(&k);
}

static void whole_seconds(cc *c, const sl_optval *v, const char *key, int64_t *out,
                          const sl_ynode *fallback)
{
    if (v->i % 1000 != 0)
        sl_diag_error(c->diag, pos_of(v, fallback), "'%s' must be whole seconds", key);
    *out = v->i / 1000;
}

/* The bounds are made by sl_time_bound in the job's zone: a conversion it can't honour (a
 * zone name, the host's locale) or a format too long for a bound is refused here, not at the
 * first request. */
static void check_window_format(cc *c, const sl_optval *v, const sl_ynode *sec)
{
    sl_error err = {0};
    size_t off = 0;
    if (sl_time_bound_form(v->s) != SL_BOUND_STRFTIME)
        return; /* iso8601, epoch, epoch_ms */
    const char *guess = strchr(v->s, '%') ? NULL : sl_time_bound_guess(v->s);
    if (guess)
        sl_diag_error(c->diag, pos_of(v, sec),
                      "unknown 'format' '%s' (did you mean '%s'?); expected iso8601, epoch, "
                      "epoch_ms or a strftime pattern", v->s, guess);
    else if (!strchr(v->s, '%'))
        sl_diag_error(c->diag, pos_of(v, sec),
                      "'format' has no %% conversion; expected iso8601, epoch, epoch_ms or a "
                      "strftime pattern such as \"%%Y-%%m-%%d %%H:%%M:%%S\"");
    else if (sl_time_format_check(v->s, &err, &off) != 0)
        sl_diag_error(c->diag, v->node ? pos_in(v->node, char_col(v->s, off)) : pos_of(v, sec),
                      "'format' %s", err.msg);
}

static void lower_window(cc *c)
{
    const sl_o_window *o = &c->opts.win;
    sl_window_plan *w = &c->plan->source.window;
    const sl_ynode *sec = c->opts.src.window.node;
    lower_text(c, &o->from_param, &w->from_param);
    lower_text(c, &o->to_param, &w->to_param);
    lower_text(c, &o->format, &w->format);
    w->tz_offset_s = (int)o->timezone.i;
    sl_time_parse(o->start.s, strlen(o->start.s), w->tz_offset_s, &w->start);
    whole_seconds(c, &o->max_span, "max_span", &w->max_span_s, sec);
    whole_seconds(c, &o->min_span, "min_span", &w->min_span_s, sec);
    whole_seconds(c, &o->overlap, "overlap", &w->overlap_s, sec);
    whole_seconds(c, &o->lag, "lag", &w->lag_s, sec);
    w->max_records = o->max_records.i;
    if (o->overlap.i >= o->max_span.i)
        sl_diag_error(c->diag, pos_of(&o->overlap, sec), "'overlap' must be shorter than 'max_span'");
    if (o->min_span.i > o->max_span.i)
        sl_diag_error(c->diag, pos_of(&o->min_span, sec), "'min_span' must not exceed 'max_span'");
    check_window_format(c, &o->format, sec);
}

static sl_expr *lower_expr(cc *c, const sl_optval *v)
{
    sl_error err = {0};
    int col = 1;
    sl_expr *e = sl_expr_compile(v->s, &err, &col);
    if (!e)
        sl_diag_error(c->diag, pos_in(v->node, col), "bad condition: %s", err.msg);
    return e;
}

/* The 1-based character column of byte offset off in s. */
static int char_col(const char *s, size_t off)
{
    int col = 1;
    for (size_t i = 0; i < off && s[i]; i++)
        col += ((unsigned char)s[i] & 0xC0) != 0x80;
    return col;
}

static sl_regex *lower_regex(cc *c, const sl_optval *v, const char *what)
{
    sl_error err = {0};
    size_t off = 0;
    sl_regex *re = sl_regex_compile(v->s, &err, &off);
    if (!re)
        sl_diag_error(c->diag, pos_in(v->node, char_col(v->s, off)), "'%s': %s", what, err.msg);
    return re;
}

static void lower_rule(cc *c, const rule_opts *o, sl_error_rule *r, const sl_ynode *item)
{
    r->pos = item->pos;
    r->when = lower_expr(c, &o->o.when);
    r->then = (sl_action)o->o.then.i;
    r->message = lower_jpath(c, &o->o.message, "message");
    lower_text(c, &o->o.hint, &r->hint);
    r->lower_concurrency = o->o.lower_concurrency.i != 0;
    if (r->lower_concurrency && r->then != SL_ACT_THROTTLE)
        sl_diag_error(c->diag, o->o.lower_concurrency.node->pos,
                      "'lower_concurrency' only applies to 'then: throttle'");
    if (!o->o.wait.set)
        return;
    if (r->then != SL_ACT_THROTTLE) {
        sl_diag_error(c->diag, o->o.wait.node->pos, "'wait' only applies to 'then: throttle'");
        return;
    }
    r->wait_path = lower_jpath(c, &o->wait.path, "path");
    r->wait_regex = lower_regex(c, &o->wait.pattern, "pattern");
    if (r->wait_regex && sl_regex_groups(r->wait_regex) < 1)
        sl_diag_error(c->diag, o->wait.pattern.node->pos,
                      "the wait pattern needs a capture group holding the seconds, e.g. (\\d+)");
}

static void lower_source(cc *c)
{
    const sl_o_source *o = &c->opts.src;
    sl_source_plan *s = &c->plan->source;
    lower_string(c, &o->endpoint, &s->endpoint, false);
    check_url(c, &o->endpoint, &o->allow_insecure_http, "endpoint", "source");
    lower_text(c, &o->method, &s->method);
    lower_kind(c, &c->opts.signer, &o->signer, c->opts.job.source.node, &s->signer);
    s->params = o->params.node ? node_to_json(o->params.node) : json_object();
    lower_window(c);
    lower_kind(c, &c->opts.pager, &o->paging, c->opts.job.source.node, &s->paging);
    s->records = lower_jpath(c, &o->records, "records");
    const sl_ynode *seq = o->errors.node;
    if (c->opts.n_rules) {
        s->rules = calloc(c->opts.n_rules, sizeof *s->rules);
        s->n_rules = s->rules ? c->opts.n_rules : 0;
    }
    for (size_t i = 0; i < s->n_rules; i++)
        lower_rule(c, &c->opts.rules[i], &s->rules[i], seq->items[i]);
    s->calls_per_minute = c->opts.lim.calls_per_minute.i;
    s->concurrency = c->opts.lim.concurrency.i;
    s->max_wait_ms = c->opts.lim.max_wait.i;
    s->retry_attempts = c->opts.retry.attempts.i;
    s->backoff_min_ms = c->opts.retry.backoff.i;
    s->backoff_max_ms = c->opts.retry.backoff.i2;
    s->timeout_ms = c->opts.retry.timeout.i;
    s->connect_timeout_ms = c->opts.retry.connect_timeout.i;
    s->max_body_bytes = o->max_body.i;
}

/* ---- columns and tables ---------------------------------------------------------------- */

static bool same_name(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
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
    json_t *map = o->map.node ? node_to_json(o->map.node) : NULL;
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
    json_t *v = node_to_json(n);
    sl_error err = {0};
    if (sl_conv_default_text(col->conv, v, &col->default_text, &err) != SL_OK)
        sl_diag_error(c->diag, n->pos, "bad default for column '%s': %s", co->name->str, err.msg);
    json_decref(v);
}

static const char *const conv_keys[] = {"path", "type", "from", "timezone", "on_overflow",
                                         "map", "join", "pattern", "group", "default"};

static int find_column(const tbl_opts *t, const char *name)
{
    for (size_t i = 0; i < t->n_cols; i++)
        if (same_name(t->cols[i].name->str, name))
            return (int)i;
    return -1;
}

static void unknown_column(cc *c, sl_pos pos, const char *what, const char *name,
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
    int idx = find_column(parent, fp->s);
    if (idx < 0) {
        unknown_column(c, fp->node->pos, "from_parent", fp->s, parent, parent_name);
        return;
    }
    col->from_parent = idx;
    col->conv = lower_conv(c, co, &parent->cols[idx]);
}

static void lower_column(cc *c, const col_opts *co, sl_column *col, const tbl_opts *parent,
                         const char *parent_name)
{
    col->pos = co->name->pos;
    col->name = strdup(co->name->str);
    col->from_parent = -1;
    col->required = co->o.required.i != 0;
    col->rename_from = dup_or_null(co->o.rename_from.s);
    lower_text(c, &co->o.comment, &col->comment);
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
    col->path = lower_jpath(c, &co->o.path, "path");
    if (co->o.type.set)
        col->conv = lower_conv(c, co, co);
    lower_default(c, co, col);
}

static void check_names(cc *c, const tbl_opts *t)
{
    for (size_t i = 0; i < t->n_cols; i++) {
        const col_opts *a = &t->cols[i];
        for (size_t j = 0; j < i; j++)
            if (same_name(a->name->str, t->cols[j].name->str)) {
                sl_diag_error(c->diag, a->name->pos,
                              "duplicate column '%s' (also at line %d; names ignore case)",
                              a->name->str, t->cols[j].name->pos.line);
                break;
            }
        const sl_optval *rf = &a->o.rename_from;
        if (rf->set && find_column(t, rf->s) >= 0)
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
        int idx = find_column(t, it->str);
        if (idx < 0) {
            unknown_column(c, it->pos, "key column", it->str, t, out->name);
            continue;
        }
        for (size_t j = 0; j < out->n_key; j++)
            if (out->key[j] == (size_t)idx)
                sl_diag_error(c->diag, it->pos, "key column '%s' is listed twice", it->str);
        out->key[out->n_key++] = (size_t)idx;
    }
}

static void lower_table(cc *c, const tbl_opts *t, sl_table *out, const sl_optval *key,
                        const tbl_opts *parent)
{
    if (t->n_cols)
        out->cols = calloc(t->n_cols, sizeof *out->cols);
    if (!out->cols)
        return;
    out->n_cols = t->n_cols;
    check_names(c, t);
    for (size_t i = 0; i < t->n_cols; i++)
        lower_column(c, &t->cols[i], &out->cols[i], parent, c->plan->table.name);
    lower_key(c, key, t, out);
}

static void check_table_name(cc *c, const char *name, sl_pos pos, const char *const *seen,
                             size_t n_seen)
{
    for (size_t i = 0; i < n_seen; i++)
        if (seen[i] && same_name(name, seen[i])) {
            sl_diag_error(c->diag, pos, "table '%s' is used twice in this job", name);
            return;
        }
}

/* A child of a child (items[*].discounts[*]) has no key of its own: rows of different outer
 * items overwrite each other, so 6,795 rows became 4,911. Refused until nested children are
 * supported; reported at the second [*]. */
static void check_each_flat(cc *c, const sl_jpath *each, const sl_optval *v)
{
    size_t n = sl_jpath_n_steps(each), wild = 0;
    const char *key;
    for (size_t i = 0; i < n; i++)
        wild += sl_jpath_step(each, i, &key) == SL_JPATH_ALL;
    if (wild < 2)
        return;
    const char *first = strstr(v->s, "[*]"), *second = first ? strstr(first + 3, "[*]") : NULL;
    sl_pos at = second ? pos_in(v->node, char_col(v->s, (size_t)(second - v->s))) : v->node->pos;
    sl_diag_error(c->diag, at,
                  "'each' may hold one [*]: the items of a list inside each item (a child of a "
                  "child) can't be keyed by this table, so their rows would overwrite each "
                  "other; nested child tables are not supported");
}

static void lower_children(cc *c)
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
    for (size_t i = 0; i < n; i++) {
        const tbl_opts *t = &c->opts.children[i];
        sl_table *ct = &p->children[i];
        ct->pos = t->node->pos;
        ct->name = strdup(t->o.table.s);
        check_table_name(c, ct->name, t->o.table.node->pos, seen, i + 3);
        seen[i + 3] = ct->name;
        sl_error err = {0};
        ct->each = sl_jpath_compile(t->o.each.s, &err);
        if (!ct->each) {
            int col;
            const char *why = split_col(err.msg, &col);
            sl_diag_error(c->diag, pos_in(t->o.each.node, col), "bad JSON path in 'each': %s",
                          why);
        } else if (!sl_jpath_is_multi(ct->each)) {
            sl_diag_error(c->diag, t->o.each.node->pos,
                          "'each' must reach a list of items with [*], e.g. %s[*]",
                          t->o.each.s);
        } else {
            check_each_flat(c, ct->each, &t->o.each);
        }
        lower_table(c, t, ct, &t->o.key, &c->opts.parent);
    }
    free(seen);
}

static void lower_target(cc *c)
{
    const sl_o_target *o = &c->opts.tgt;
    sl_target_plan *t = &c->plan->target;
    lower_string(c, &o->dsn, &t->dsn, true);
    const sl_ynode *dn = o->dsn.node;
    if (dn && !dn->unresolved && sl_dsn_sink(o->dsn.s) < 0)
        sl_diag_error(c->diag, dn->pos, "'dsn' must start with %s", sl_dsn_schemes());
    else if (dn && !dn->unresolved)
        add_dsn_secrets(c, o->dsn.s);
    t->write = (sl_write_mode)o->write.i;
    t->load = (sl_load_mode)o->load.i;
    if (t->load == SL_LOAD_DATA && t->write == SL_WRITE_UPSERT)
        sl_diag_error(c->diag, pos_of(&o->load, c->opts.job.target.node),
                      "'load: load_data' cannot upsert (LOAD DATA only replaces rows);"
                      " use 'load: bulk' with 'write: upsert'");
    t->batch_rows = o->batch_rows.i;
    t->state_table = strdup(o->state_table.s);
    t->reject_table = strdup(o->reject_table.s);
    t->max_rejects = o->max_rejects.i;
    t->db_retry_budget_ms = o->db_retry_budget.i;
    if (same_name(t->state_table, t->reject_table))
        sl_diag_error(c->diag, pos_of(&o->reject_table, c->opts.job.target.node),
                      "'reject_table' and 'state_table' must differ");
    const char *seen[] = {t->state_table, t->reject_table};
    check_table_name(c, o->table.s, o->table.node->pos, seen, 2);
}

static void lower_window_column(cc *c)
{
    const sl_optval *v = &c->opts.tgt.window_column;
    c->plan->target.window_column = -1;
    if (!v->set || !v->node)
        return;
    int idx = find_column(&c->opts.parent, v->s);
    if (idx < 0)
        unknown_column(c, v->node->pos, "window_column", v->s, &c->opts.parent,
                       c->opts.tgt.table.s);
    c->plan->target.window_column = idx;
}

static void lower_alerts(cc *c)
{
    const sl_o_alerts *o = &c->opts.alerts;
    if (!c->opts.job.alerts.node)
        return;
    sl_alert_plan *a = calloc(1, sizeof *a);
    if (!(c->plan->alerts = a)) {
        sl_diag_error(c->diag, (sl_pos){0, 0}, "out of memory");
        return;
    }
    lower_string(c, &o->webhook, &a->webhook, true);
    check_url(c, &o->webhook, &o->allow_insecure_http, "webhook", "alerts");
    a->format = (sl_alert_format)o->format.i;
    a->on = (unsigned)o->on.i;
    a->timeout_ms = o->timeout.i;
}

static void lower(cc *c)
{
    sl_plan *p = c->plan;
    p->name = strdup(c->opts.job.name.s);
    lower_source(c);
    lower_target(c);
    p->table.pos = c->opts.tgt.table.node->pos;
    p->table.name = strdup(c->opts.tgt.table.s);
    lower_table(c, &c->opts.parent, &p->table, &c->opts.tgt.key, NULL);
    lower_children(c);
    lower_window_column(c);
    lower_alerts(c);
}

/* ---- driver ---------------------------------------------------------------------------- */

static void free_opts(job_opts *o)
{
    free(o->parent.cols);
    for (size_t i = 0; i < o->n_children; i++)
        free(o->children[i].cols);
    free(o->children);
    free(o->rules);
    free(o->signer.opts);
    free(o->pager.opts);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* sl_diag_rewrite's callback: masks the plan's secret values in one message. */
static void redact_message(const void *plan, char *buf, size_t cap)
{
    sl_plan_redact(plan, buf, cap);
}

/* Stages 2-4 on a loaded document (NULL when loading failed); takes doc. */
static sl_plan *compile_doc(sl_ydoc *doc, const char *path, const sl_compile_options *opts,
                            sl_diag *diag)
{
    cc c = {.diag = diag, .resolve = opts ? opts->resolve_secrets : true,
            .skip_target = opts && opts->skip_target_secrets};
    sl_ynode *root = doc ? sl_ydoc_root(doc) : NULL;
    if (doc && (!root || root->kind != SL_Y_MAP))
        sl_diag_error(diag, root ? root->pos : (sl_pos){1, 1},
                      "a job file must be a map of keys (version, name, source, ...)");
    c.plan = sl_plan_alloc();
    c.dir = dir_of(path);
    if (sl_diag_errors(diag) == 0 && c.plan && c.dir)
        resolve_root(&c, root);
    if (sl_diag_errors(diag) == 0 && c.plan)
        check_options(&c, root);
    if (sl_diag_errors(diag) == 0 && c.plan) {
        c.plan->file = strdup(path);
        lower(&c);
    }
    if (!c.plan || !c.dir)
        sl_diag_error(diag, (sl_pos){0, 0}, "out of memory");
    free_opts(&c.opts);
    free(c.dir);
    sl_ydoc_free(doc);
    if (c.plan) /* a message may quote a value read through a reference */
        sl_diag_rewrite(diag, redact_message, c.plan);
    if (sl_diag_errors(diag) > 0) {
        sl_plan_free(c.plan);
        return NULL;
    }
    return c.plan;
}

sl_plan *sl_compile_file_opts(const char *path, const sl_compile_options *opts, sl_diag *diag)
{
    return compile_doc(sl_yaml_load_file(path, diag), path, opts, diag);
}

sl_plan *sl_compile_text(const char *path, const char *text, size_t len,
                         const sl_compile_options *opts, sl_diag *diag)
{
    if (len <= SL_YAML_MAX_BYTES)
        sl_diag_set_source(diag, text, len);
    return compile_doc(sl_yaml_load_text(text, len, diag), path, opts, diag);
}

sl_plan *sl_compile_file(const char *path, sl_diag *diag)
{
    sl_compile_options opts = {.resolve_secrets = true};
    return sl_compile_file_opts(path, &opts, diag);
}
