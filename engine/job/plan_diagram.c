/* plan_diagram.c: see plan_diagram.h. Each label is written into a memory stream with the same
 * helpers as the text plan (the kinds' own dump, sl_plan_shown, sl_conv_dump), then redacted
 * whole before it becomes a node, so a value read through a reference never reaches the
 * graph; the graph's writers escape the labels for their format. */
#include "plan_diagram.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "convert.h"
#include "expr.h"
#include "jpath.h"
#include "kind.h"
#include "options.h"
#include "timeutil.h"

const char *const sl_plan_format_names[] = {"text", "mermaid", "dot", NULL};

int sl_plan_format_parse(const char *name)
{
    for (int i = 0; sl_plan_format_names[i]; i++)
        if (!strcmp(name, sl_plan_format_names[i]))
            return i;
    return -1;
}

/* The graph being built; ok turns false on the first failure (out of memory). */
typedef struct diagram {
    const sl_plan *plan;
    sl_graph *g;
    bool ok;
} diagram;

/* A label being written (a memory stream). */
typedef struct label {
    FILE *f;
    char *text;
    size_t len;
} label;

/* Opens l; NULL when out of memory (recorded in d). */
static FILE *label_open(diagram *d, label *l)
{
    *l = (label){0};
    l->f = open_memstream(&l->text, &l->len);
    if (!l->f)
        d->ok = false;
    return l->f;
}

/* Closes l and returns its text redacted (owned), lines' leading spaces and the last newline
 * removed; NULL on failure (recorded in d). */
static char *label_close(diagram *d, label *l)
{
    if (!l->f || fclose(l->f) != 0 || !l->text) {
        free(l->text);
        d->ok = false;
        return NULL;
    }
    size_t cap = 3 * l->len + 1; /* every byte may turn into a mask */
    char *t = realloc(l->text, cap);
    if (!t) {
        free(l->text);
        d->ok = false;
        return NULL;
    }
    sl_plan_redact(d->plan, t, cap);
    size_t w = 0;
    for (size_t r = 0; t[r]; r++)
        if (!(t[r] == ' ' && (w == 0 || t[w - 1] == '\n')))
            t[w++] = t[r];
    while (w && t[w - 1] == '\n')
        w--;
    t[w] = 0;
    return t;
}

/* Adds l as a node of shape (a note on node `on` when shape is a note); its index, or -1. */
static int add(diagram *d, label *l, sl_graph_shape shape, int on)
{
    char *t = label_close(d, l);
    int n = -1;
    if (t && *t)
        n = shape == SL_GRAPH_NOTE ? sl_graph_note(d->g, on, t) : sl_graph_node(d->g, shape, t);
    if (t && *t && n < 0)
        d->ok = false;
    free(t);
    return n;
}

/* An edge from a to b labelled text (NULL: none); skipped when either is missing. */
static void link_nodes(diagram *d, int a, int b, const char *text)
{
    if (a >= 0 && b >= 0 && sl_graph_edge(d->g, a, b, text, false) != 0)
        d->ok = false;
}

static void put_duration(FILE *f, const char *before, int64_t ms)
{
    char buf[32];
    sl_duration_format(ms, buf, sizeof buf);
    fprintf(f, "%s%s", before, buf);
}

static int source_node(diagram *d)
{
    const sl_plan *p = d->plan;
    const sl_source_plan *s = &p->source;
    char buf[1200];
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return -1;
    fprintf(f, "source: %s", s->http_get ? "GET" : "POST");
    fprintf(f, " %s\n", sl_plan_shown(p, &s->endpoint, buf, sizeof buf));
    if (s->method && *s->method)
        fprintf(f, "method: %s\n", sl_plan_shown(p, &s->method, buf, sizeof buf));
    const char *key;
    json_t *v;
    size_t n = 0;
    json_object_foreach (s->params, key, v) /* keys only: values may be secrets */
        fprintf(f, "%s%s", n++ ? ", " : "params: ", key);
    if (n)
        fputc('\n', f);
    for (size_t i = 0; i < s->n_headers; i++)
        if (s->header_names[i])
            fprintf(f, "header %s: %s\n", s->header_names[i],
                    sl_plan_shown(p, &s->header_values[i], buf, sizeof buf));
    return add(d, &l, SL_GRAPH_ROUND, -1);
}

/* A kind's node: the lines of its text-plan dump. */
static int kind_node(diagram *d, const sl_kind_ref *ref)
{
    if (!ref->kind)
        return -1;
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return -1;
    ref->kind->dump(ref->cfg, d->plan, f);
    return add(d, &l, SL_GRAPH_BOX, -1);
}

static int windows_node(diagram *d)
{
    const sl_plan *p = d->plan;
    const sl_window_plan *w = &p->source.window;
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return -1;
    if (p->target.refresh.on) {
        fputs("no windows: a full refresh\nreads everything every run", f);
        return add(d, &l, SL_GRAPH_BOX, -1);
    }
    char from[1200], to[1200], start[20];
    sl_time_format(w->start, w->tz_offset_s, start);
    fprintf(f, "windows: %s .. %s\nfrom %s\n", sl_plan_shown(p, &w->from_param, from, sizeof from),
            sl_plan_shown(p, &w->to_param, to, sizeof to), start);
    put_duration(f, "max_span ", w->max_span_s * 1000);
    put_duration(f, ", overlap ", w->overlap_s * 1000);
    put_duration(f, ", lag ", w->lag_s * 1000);
    fprintf(f, "\nsplit above %" PRId64 " records", w->max_records);
    put_duration(f, " (down to ", w->min_span_s * 1000);
    fputc(')', f);
    return add(d, &l, SL_GRAPH_BOX, -1);
}

static void rules_note(diagram *d, int on)
{
    const sl_source_plan *s = &d->plan->source;
    if (!s->n_rules)
        return;
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return;
    fprintf(f, "error rules (first match wins):\n");
    for (size_t i = 0; i < s->n_rules; i++)
        fprintf(f, "%zu. %s -> %s\n", i + 1, sl_expr_text(s->rules[i].when),
                sl_action_names[s->rules[i].then]);
    add(d, &l, SL_GRAPH_NOTE, on);
}

static void limits_note(diagram *d, int on)
{
    const sl_source_plan *s = &d->plan->source;
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return;
    fprintf(f, "limits: %" PRId64 " calls/minute, %" PRId64 " in flight\n", s->calls_per_minute,
            s->concurrency);
    fprintf(f, "retry %" PRId64 " attempts", s->retry_attempts);
    put_duration(f, ", backoff ", s->backoff_min_ms);
    put_duration(f, "..", s->backoff_max_ms);
    put_duration(f, "\ntimeout ", s->timeout_ms);
    put_duration(f, ", connect ", s->connect_timeout_ms);
    fprintf(f, "\nmax_body %" PRId64 " bytes", s->max_body_bytes);
    add(d, &l, SL_GRAPH_NOTE, on);
}

static void column_line(const sl_table *up, const sl_column *c, FILE *f)
{
    fprintf(f, "%s <- ", c->name);
    if (c->from_parent >= 0 && up) {
        fprintf(f, "parent's %s: %s", up->cols[c->from_parent].name,
                c->conv ? sl_conv_sql_type(c->conv) : "?");
    } else {
        fprintf(f, "%s: ", c->path ? sl_jpath_text(c->path) : "?");
        if (c->conv)
            sl_conv_dump(c->conv, f);
    }
    if (c->required)
        fputs(", required", f);
    if (c->personal != SL_PERSONAL_NONE)
        fprintf(f, ", personal: %s", sl_personal_names[c->personal - 1]);
    fputc('\n', f);
}

static int table_node(diagram *d, const sl_table *t)
{
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return -1;
    fprintf(f, "%s %s, key (", t->each ? "child table" : "table", t->name);
    for (size_t i = 0; i < t->n_key; i++)
        fprintf(f, "%s%s", i ? ", " : "", t->cols[t->key[i]].name);
    fputs(")\n", f);
    const sl_table *up = sl_plan_parent_table(d->plan, t);
    for (size_t i = 0; i < t->n_cols; i++)
        column_line(up, &t->cols[i], f);
    return add(d, &l, SL_GRAPH_BOX, -1);
}

/* The tables: the top one fed by the records, each child by its parent's items. */
static int tables(diagram *d, int records)
{
    const sl_plan *p = d->plan;
    int top = table_node(d, &p->table);
    link_nodes(d, records, top, "each record");
    int *ids = calloc(p->n_children + 1, sizeof *ids);
    if (!ids) {
        d->ok = false;
        return top;
    }
    ids[0] = top;
    for (size_t i = 0; i < p->n_children; i++) { /* pre-order: a parent comes first */
        const sl_table *t = &p->children[i];
        ids[i + 1] = table_node(d, t);
        char each[1200];
        snprintf(each, sizeof each, "each %s", sl_jpath_text(t->each));
        link_nodes(d, ids[t->up], ids[i + 1], each);
    }
    free(ids);
    return top;
}

static void quality_note(diagram *d, int on)
{
    const sl_plan *p = d->plan;
    if (!p->n_quality)
        return;
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return;
    fputs("quality rules:\n", f);
    for (size_t i = 0; i < p->n_quality; i++) {
        const sl_dq_rule *r = &p->quality[i];
        fprintf(f, "%s: %s %s", r->name, sl_dq_kind_names[r->kind],
                r->column >= 0 ? p->table.cols[r->column].name : sl_expr_text(r->check));
        fprintf(f, " -> %s\n", sl_dq_action_names[r->action]);
    }
    add(d, &l, SL_GRAPH_NOTE, on);
}

static int target_node(diagram *d)
{
    const sl_plan *p = d->plan;
    const sl_target_plan *t = &p->target;
    char dsn[1200];
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return -1;
    fprintf(f, "target: %s\n", sl_plan_shown(p, &t->dsn, dsn, sizeof dsn));
    fprintf(f, "write %s, load %s, batch_rows %" PRId64, sl_write_mode_names[t->write],
            sl_load_mode_names[t->load], t->batch_rows);
    if (t->refresh.on)
        fprintf(f, "\nfull refresh: shadow tables swapped in;\nrefused when %s%" PRId64
                   "%% fewer rows",
                t->refresh.allow_empty ? "" : "empty or ", t->refresh.max_drop_percent);
    return add(d, &l, SL_GRAPH_STORE, -1);
}

static void target_notes(diagram *d, int on)
{
    const sl_plan *p = d->plan;
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return;
    fprintf(f, "rejects to %s, the run fails above %" PRId64 "\n", p->target.reject_table,
            p->target.max_rejects);
    fprintf(f, "watermark and runs in %s", p->target.state_table);
    add(d, &l, SL_GRAPH_NOTE, on);
    if (!p->alerts)
        return;
    char hook[1200];
    f = label_open(d, &l);
    if (!f)
        return;
    fprintf(f, "alerts: %s on", sl_alert_format_names[p->alerts->format]);
    for (unsigned i = 0, n = 0; sl_alert_on_names[i]; i++)
        if (p->alerts->on & (1u << i))
            fprintf(f, "%s %s", n++ ? "," : "", sl_alert_on_names[i]);
    fprintf(f, "\nwebhook: %s", sl_plan_shown(p, &p->alerts->webhook, hook, sizeof hook));
    add(d, &l, SL_GRAPH_NOTE, on);
}

/* When `sluice serve` runs the job, as a note on the source. */
static void schedule_note(diagram *d, int on)
{
    const sl_schedule_plan *sc = &d->plan->schedule;
    if (!sc->on)
        return;
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return;
    if (sc->every_ms) {
        put_duration(f, "schedule: every ", sc->every_ms);
    } else {
        int off = sc->tz_offset_s < 0 ? -sc->tz_offset_s : sc->tz_offset_s;
        fprintf(f, "schedule: cron \"%s\" in %c%02d:%02d", sc->cron_text,
                sc->tz_offset_s < 0 ? '-' : '+', off / 3600, off / 60 % 60);
    }
    add(d, &l, SL_GRAPH_NOTE, on);
}

/* How personal data is protected, as a note on the top table (the columns say which). */
static void personal_note(diagram *d, int on)
{
    const sl_personal_plan *pp = &d->plan->personal;
    if (!pp->any)
        return;
    char key[1200];
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return;
    fprintf(f, "personal data: mask keeps %" PRId64 " first, %" PRId64 " last characters\n",
            pp->keep_first, pp->keep_last);
    fprintf(f, "hash: HMAC-SHA256, key %s", sl_plan_shown(d->plan, &pp->hash_key, key, sizeof key));
    add(d, &l, SL_GRAPH_NOTE, on);
}

/* The pipeline as a chain: source -> signer -> auth -> windows -> pager -> records. */
static int reading(diagram *d)
{
    const sl_source_plan *s = &d->plan->source;
    int src = source_node(d);
    schedule_note(d, src);
    rules_note(d, src);
    limits_note(d, src);
    int last = src;
    int signer = kind_node(d, &s->signer);
    link_nodes(d, last, signer, "signed by");
    last = signer >= 0 ? signer : last;
    int auth = kind_node(d, &s->auth);
    link_nodes(d, last, auth, "credential");
    last = auth >= 0 ? auth : last;
    int windows = windows_node(d);
    link_nodes(d, last, windows, NULL);
    int pager = kind_node(d, &s->paging);
    link_nodes(d, windows, pager, d->plan->target.refresh.on ? NULL : "each window");
    label l;
    FILE *f = label_open(d, &l);
    if (!f)
        return -1;
    fprintf(f, "records at %s", sl_jpath_text(s->records));
    int records = add(d, &l, SL_GRAPH_BOX, -1);
    link_nodes(d, pager >= 0 ? pager : windows, records, "each page");
    return records;
}

sl_graph *sl_plan_graph_new(const sl_plan *plan)
{
    char title[600];
    snprintf(title, sizeof title, "job %s (%s)", plan->name, plan->file);
    sl_plan_redact(plan, title, sizeof title);
    diagram d = {plan, sl_graph_new(title), true};
    if (!d.g)
        return NULL;
    int top = tables(&d, reading(&d));
    quality_note(&d, top);
    personal_note(&d, top);
    int target = target_node(&d);
    link_nodes(&d, top, target, plan->n_children ? "rows, with their children's" : "rows");
    target_notes(&d, target);
    if (!d.ok) {
        sl_graph_free(d.g);
        return NULL;
    }
    return d.g;
}

int sl_plan_print(const sl_plan *plan, sl_plan_format fmt, FILE *out)
{
    if (fmt == SL_PLAN_TEXT) {
        sl_plan_dump(plan, out);
        return ferror(out) ? -1 : 0;
    }
    sl_graph *g = sl_plan_graph_new(plan);
    if (!g)
        return -1;
    int rc = sl_graph_write(g, fmt == SL_PLAN_DOT ? SL_GRAPH_DOT : SL_GRAPH_MERMAID, out);
    sl_graph_free(g);
    return rc;
}
