/* compile_source.c: the compiler's stages 3 and 4 for `source`: its sections loaded, then the
 * endpoint, the signer and the pager (kinds, kind.h), the window, error rules, limits and
 * retries lowered into the plan. See compile_int.h. */
#include <stdlib.h>
#include <string.h>

#include "compile_int.h"
#include "expr.h"
#include "jpath.h"
#include "plan_int.h"
#include "regex.h"
#include "sign.h"
#include "timeutil.h"

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

/* Loads a typed section of table (key): absent, it takes its row's default kind if any (an
 * absent required one was reported by the table's loader). */
static void load_kind(cc *c, const sl_opt_table *table, const char *key, const sl_optval *v,
                      const sl_ynode *parent, kind_opts *out)
{
    const sl_opt *row = sl_options_row(table, key);
    if (!cc_loadable(v) || (!v->node && !row->def))
        return;
    out->kind = sl_options_load_kind(row, v->node, parent->pos, &out->opts, c->diag);
}

void cc_check_source(cc *c, const sl_ynode *src)
{
    job_opts *o = &c->opts;
    sl_options_load(&sl_opts_source, NULL, src, src->pos, &o->src, c->diag);
    load_kind(c, &sl_opts_source, "signer", &o->src.signer, src, &o->signer);
    load_kind(c, &sl_opts_source, "auth", &o->src.auth, src, &o->auth);
    if (o->src.window.node && cc_loadable(&o->src.window))
        cc_load_section(c, &sl_opts_window, &o->src.window, src, &o->win);
    if (o->src.paging.node) /* absent: reported missing by the source's loader */
        load_kind(c, &sl_opts_source, "paging", &o->src.paging, src, &o->pager);
    if (cc_loadable(&o->src.limits))
        cc_load_section(c, &sl_opts_limits, &o->src.limits, src, &o->lim);
    if (cc_loadable(&o->src.retry))
        cc_load_section(c, &sl_opts_retry, &o->src.retry, src, &o->retry);
    if (cc_loadable(&o->src.request))
        cc_load_section(c, &sl_opts_request, &o->src.request, src, &o->req);
    load_rules(c, o);
}

/* Compiles a typed section's kind into ref (nothing when no kind was chosen). */
static void lower_kind(cc *c, const kind_opts *o, const sl_optval *v, const sl_ynode *parent,
                       sl_kind_ref *ref)
{
    if (!o->kind)
        return;
    c->k.where = v->node ? v->node->pos : parent->pos;
    if ((ref->cfg = o->kind->compile(&c->k, o->opts)))
        ref->kind = o->kind;
    else
        sl_kind_oom(&c->k);
}

static void whole_seconds(cc *c, const sl_optval *v, const char *key, int64_t *out,
                          const sl_ynode *fallback)
{
    if (v->i % 1000 != 0)
        sl_diag_error(c->diag, cc_pos_of(v, fallback), "'%s' must be whole seconds", key);
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
        sl_diag_error(c->diag, cc_pos_of(v, sec),
                      "unknown 'format' '%s' (did you mean '%s'?); expected iso8601, epoch, "
                      "epoch_ms or a strftime pattern", v->s, guess);
    else if (!strchr(v->s, '%'))
        sl_diag_error(c->diag, cc_pos_of(v, sec),
                      "'format' has no %% conversion; expected iso8601, epoch, epoch_ms or a "
                      "strftime pattern such as \"%%Y-%%m-%%d %%H:%%M:%%S\"");
    else if (sl_time_format_check(v->s, &err, &off) != 0)
        sl_diag_error(c->diag,
                      v->node ? sl_ynode_pos_at(v->node, sl_char_col(v->s, off)) : cc_pos_of(v, sec),
                      "'format' %s", err.msg);
}

static void lower_window(cc *c)
{
    const sl_o_window *o = &c->opts.win;
    sl_window_plan *w = &c->plan->source.window;
    const sl_ynode *sec = c->opts.src.window.node;
    if (!sec) { /* a full refresh: one window standing for everything, never split */
        w->max_span_s = w->min_span_s = 1;
        w->max_records = INT64_MAX;
        return;
    }
    sl_kind_text(&c->k, &o->from_param, &w->from_param);
    sl_kind_text(&c->k, &o->to_param, &w->to_param);
    sl_kind_text(&c->k, &o->format, &w->format);
    w->tz_offset_s = (int)o->timezone.i;
    sl_time_parse(o->start.s, strlen(o->start.s), w->tz_offset_s, &w->start);
    whole_seconds(c, &o->max_span, "max_span", &w->max_span_s, sec);
    whole_seconds(c, &o->min_span, "min_span", &w->min_span_s, sec);
    whole_seconds(c, &o->overlap, "overlap", &w->overlap_s, sec);
    whole_seconds(c, &o->lag, "lag", &w->lag_s, sec);
    w->max_records = o->max_records.i;
    if (o->overlap.i >= o->max_span.i)
        sl_diag_error(c->diag, cc_pos_of(&o->overlap, sec),
                      "'overlap' must be shorter than 'max_span'");
    if (o->min_span.i > o->max_span.i)
        sl_diag_error(c->diag, cc_pos_of(&o->min_span, sec),
                      "'min_span' must not exceed 'max_span'");
    check_window_format(c, &o->format, sec);
}

static sl_expr *lower_expr(cc *c, const sl_optval *v)
{
    sl_error err = {0};
    int col = 1;
    sl_expr *e = sl_expr_compile(v->s, &err, &col);
    if (!e)
        sl_diag_error(c->diag, sl_ynode_pos_at(v->node, col), "bad condition: %s", err.msg);
    return e;
}

static sl_regex *lower_regex(cc *c, const sl_optval *v, const char *what)
{
    sl_error err = {0};
    size_t off = 0;
    sl_regex *re = sl_regex_compile(v->s, &err, &off);
    if (!re)
        sl_diag_error(c->diag, sl_ynode_pos_at(v->node, sl_char_col(v->s, off)), "'%s': %s", what,
                      err.msg);
    return re;
}

static void lower_rule(cc *c, const rule_opts *o, sl_error_rule *r, const sl_ynode *item)
{
    r->pos = item->pos;
    r->when = lower_expr(c, &o->o.when);
    r->then = (sl_action)o->o.then.i;
    r->message = sl_kind_jpath(&c->k, &o->o.message, "message");
    sl_kind_text(&c->k, &o->o.hint, &r->hint);
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
    r->wait_path = sl_kind_jpath(&c->k, &o->wait.path, "path");
    r->wait_regex = lower_regex(c, &o->wait.pattern, "pattern");
    if (r->wait_regex && sl_regex_groups(r->wait_regex) < 1)
        sl_diag_error(c->diag, o->wait.pattern.node->pos,
                      "the wait pattern needs a capture group holding the seconds, e.g. (\\d+)");
}

/* source.request.body and .json: a JSON body's template, POST only. */
static void lower_body(cc *c)
{
    const sl_o_request *r = &c->opts.req;
    sl_source_plan *s = &c->plan->source;
    if (r->body.i != 1) {
        if (r->json.node)
            sl_diag_error(c->diag, r->json.node->pos, "'json' needs 'body: json'");
        return;
    }
    if (s->http_get)
        sl_diag_error(c->diag, r->body.node->pos,
                      "a JSON body needs 'method: POST' (a GET has no body)");
    if (r->json.node && r->json.node->kind != SL_Y_MAP)
        sl_diag_error(c->diag, r->json.node->pos, "'json' is a map: the body's template");
    s->json_body = r->json.node && r->json.node->kind == SL_Y_MAP ? cc_node_to_json(r->json.node)
                                                                  : json_object();
}

/* source.request: the HTTP method, the body, and the headers as name/value pairs (a value read
 * through a reference is marked secret, so `sluice plan` shows the reference and messages
 * mask it). */
static void lower_request(cc *c)
{
    sl_source_plan *s = &c->plan->source;
    s->http_get = c->opts.req.method.i == SL_HTTP_GET;
    lower_body(c);
    const sl_ynode *h = c->opts.req.headers.node;
    if (!h || h->kind != SL_Y_MAP || !h->n)
        return;
    s->header_names = calloc(h->n, sizeof *s->header_names);
    s->header_values = calloc(h->n, sizeof *s->header_values);
    if (!s->header_names || !s->header_values)
        return;
    s->n_headers = h->n;
    for (size_t i = 0; i < h->n; i++) {
        const sl_ynode *k = h->keys[i], *v = h->items[i];
        if (v->kind != SL_Y_SCALAR || strpbrk(k->str, ":\r\n") || strpbrk(v->str, "\r\n")) {
            sl_diag_error(c->diag, v->pos, "a header is a name (no ':') and a one-line text");
            continue;
        }
        s->header_names[i] = strdup(k->str);
        s->header_values[i] = strdup(v->str);
        if (v->ref && s->header_values[i])
            sl_plan_mark_secret(c->plan, &s->header_values[i], v->ref, !v->unresolved);
    }
}

/* A JSON body is built by the signers that say they build one (sign.h). */
static void check_body_signer(cc *c)
{
    const sl_kind *k = c->plan->source.signer.kind;
    const sl_signer_ops *ops = k ? k->ops : NULL;
    if (!c->plan->source.json_body || !ops || ops->json_body)
        return;
    char can[200] = "";
    for (size_t i = 0, n = 0; i < sl_kinds_signer.n_kinds; i++) {
        const sl_kind *o = sl_kinds_signer.kinds[i];
        if (o->ops && ((const sl_signer_ops *)o->ops)->json_body)
            n += (size_t)snprintf(can + n, n < sizeof can ? sizeof can - n : 0, "%s%s",
                                  n ? ", " : "", o->name);
    }
    sl_diag_error(c->diag, c->opts.req.body.node->pos,
                  "signer '%s' sends a form of its own: a JSON body needs one of: %s", k->name,
                  can);
}

/* True when the template t places the parameter name somewhere (a string "{name}"). */
static bool json_places(const json_t *t, const char *name)
{
    const char *v = json_string_value(t);
    size_t n = strlen(name);
    if (v)
        return v[0] == '{' && strncmp(v + 1, name, n) == 0 && strcmp(v + 1 + n, "}") == 0;
    const char *k;
    json_t *m;
    size_t i;
    json_object_foreach((json_t *)t, k, m) {
        if (json_places(m, name))
            return true;
    }
    json_array_foreach(t, i, m) {
        if (json_places(m, name))
            return true;
    }
    return false;
}

/* A parameter the template does not place goes at the body's top level (jsonbody.h): a
 * template key of the same name would be silently replaced, so it is refused, naming both. */
static void check_body_key(cc *c, const char *name, const char *origin)
{
    const sl_ynode *t = c->opts.req.json.node;
    if (!name || !*name || json_places(c->plan->source.json_body, name))
        return;
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->keys[i]->str, name) == 0)
            sl_diag_error(c->diag, t->keys[i]->pos,
                          "the JSON body's key '%s' is also the parameter named by %s, which "
                          "the template does not place: it would replace this value (place it "
                          "as \"{%s}\" or rename one)",
                          name, origin, name);
}

/* The parameters a kind adds to the request: its text options `param` and `*_param`. */
static void check_kind_params(cc *c, const kind_opts *k, const char *section)
{
    const sl_opt_table *t = k->kind ? k->kind->opts : NULL;
    for (size_t i = 0; t && k->opts && i < t->n_rows; i++) {
        const sl_opt *row = &t->rows[i];
        size_t n = strlen(row->key);
        if (row->type != SL_T_STRING ||
            (strcmp(row->key, "param") != 0 && (n < 6 || strcmp(row->key + n - 6, "_param") != 0)))
            continue;
        const sl_optval *v = (const sl_optval *)((const char *)k->opts + row->offset);
        char origin[96];
        snprintf(origin, sizeof origin, "'%s: %s'", section, row->key);
        check_body_key(c, v->set ? v->s : NULL, origin);
    }
}

/* Every parameter of a request with a JSON body against the template's top-level keys. */
static void check_body_keys(cc *c)
{
    const sl_ynode *t = c->opts.req.json.node, *p = c->opts.src.params.node;
    if (!t || t->kind != SL_Y_MAP || !c->plan->source.json_body)
        return;
    for (size_t i = 0; p && p->kind == SL_Y_MAP && i < p->n; i++)
        check_body_key(c, p->keys[i]->str, "'params'");
    const sl_o_window *w = &c->opts.win;
    check_body_key(c, w->from_param.set ? w->from_param.s : NULL, "'window: from_param'");
    check_body_key(c, w->to_param.set ? w->to_param.s : NULL, "'window: to_param'");
    if (c->plan->source.method && *c->plan->source.method)
        check_body_key(c, "method", "'method'");
    check_kind_params(c, &c->opts.auth, "auth");
    check_kind_params(c, &c->opts.pager, "paging");
}

void cc_lower_source(cc *c)
{
    const sl_o_source *o = &c->opts.src;
    sl_source_plan *s = &c->plan->source;
    sl_plan_priv *priv = (sl_plan_priv *)c->plan;
    priv->cred_from = priv->n_origins;
    sl_kind_text(&c->k, &o->endpoint, &s->endpoint);
    cc_check_url(c, &o->endpoint, &o->allow_insecure_http, "endpoint", "source");
    sl_kind_text(&c->k, &o->method, &s->method);
    lower_request(c); /* before the signer, which reads how its requests travel */
    lower_kind(c, &c->opts.signer, &o->signer, c->opts.job.source.node, &s->signer);
    check_body_signer(c);
    lower_kind(c, &c->opts.auth, &o->auth, c->opts.job.source.node, &s->auth);
    s->params = o->params.node ? cc_node_to_json(o->params.node) : json_object();
    priv->cred_to = priv->n_origins;
    lower_window(c);
    lower_kind(c, &c->opts.pager, &o->paging, c->opts.job.source.node, &s->paging);
    check_body_keys(c);
    s->records = sl_kind_jpath(&c->k, &o->records, "records");
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
