/* plan.c: the plan's allocation, secrets bookkeeping, free and dump (`sluice plan`). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compile.h"
#include "convert.h"
#include "expr.h"
#include "jpath.h"
#include "kind.h"
#include "options.h"
#include "plan_int.h"
#include "regex.h"
#include "text.h"
#include "timeutil.h"

const char *const sl_action_names[] = {[SL_ACT_THROTTLE] = "throttle", [SL_ACT_RETRY] = "retry",
                                       [SL_ACT_FAIL] = "fail", [SL_ACT_SPLIT] = "split", NULL};
const char *const sl_write_mode_names[] = {[SL_WRITE_REPLACE] = "replace",
                                           [SL_WRITE_UPSERT] = "upsert", NULL};
const char *const sl_load_mode_names[] = {[SL_LOAD_BULK] = "bulk", [SL_LOAD_DATA] = "load_data",
                                          [SL_LOAD_STATEMENTS] = "statements", NULL};
const char *const sl_alert_format_names[] = {[SL_ALERT_WECOM] = "wecom",
                                             [SL_ALERT_DINGTALK] = "dingtalk",
                                             [SL_ALERT_JSON] = "json", NULL};
const char *const sl_alert_on_names[] = {"failure", "rejects", "success", NULL};

sl_plan *sl_plan_alloc(void)
{
    sl_plan_priv *priv = calloc(1, sizeof *priv);
    return priv ? &priv->pub : NULL;
}

int sl_plan_add_secret(sl_plan *plan, const char *value)
{
    if (!value || !value[0])
        return 0;
    for (size_t i = 0; i < plan->n_secrets; i++)
        if (!strcmp(plan->secrets[i], value))
            return 0;
    char **s = realloc(plan->secrets, (plan->n_secrets + 1) * sizeof *s);
    if (!s)
        return -1;
    plan->secrets = s;
    if (!(s[plan->n_secrets] = strdup(value)))
        return -1;
    plan->n_secrets++;
    return 0;
}

int sl_plan_mark_secret(sl_plan *plan, char *const *field, const char *ref, bool resolved)
{
    sl_plan_priv *priv = (sl_plan_priv *)plan;
    if (priv->n_origins == priv->cap_origins) {
        size_t cap = priv->cap_origins ? priv->cap_origins * 2 : 8;
        sl_plan_origin *o = realloc(priv->origins, cap * sizeof *o);
        if (!o)
            return -1;
        priv->origins = o;
        priv->cap_origins = cap;
    }
    char *copy = ref ? strdup(ref) : NULL;
    if (ref && !copy)
        return -1;
    priv->origins[priv->n_origins++] =
        (sl_plan_origin){(const char *const *)field, copy, resolved};
    return 0;
}

static void table_free(sl_table *t)
{
    for (size_t i = 0; i < t->n_cols; i++) {
        sl_column *c = &t->cols[i];
        free(c->name);
        free(c->rename_from);
        sl_jpath_free(c->path);
        sl_conv_free(c->conv);
        free(c->default_text);
        free(c->comment);
    }
    free(t->cols);
    free(t->key);
    free(t->name);
    sl_jpath_free(t->each);
}

static void source_free(sl_source_plan *s)
{
    free(s->endpoint);
    free(s->method);
    sl_kind_ref_clear(&s->signer);
    json_decref(s->params);
    free(s->window.from_param);
    free(s->window.to_param);
    free(s->window.format);
    sl_kind_ref_clear(&s->paging);
    free(s->reply_paths);
    sl_jpath_free(s->records);
    for (size_t i = 0; i < s->n_rules; i++) {
        sl_error_rule *r = &s->rules[i];
        sl_expr_free(r->when);
        sl_jpath_free(r->message);
        sl_jpath_free(r->wait_path);
        sl_regex_free(r->wait_regex);
        free(r->hint);
    }
    free(s->rules);
}

void sl_plan_free(sl_plan *plan)
{
    if (!plan)
        return;
    sl_plan_priv *priv = (sl_plan_priv *)plan;
    free(plan->file);
    free(plan->name);
    source_free(&plan->source);
    free(plan->target.dsn);
    free(plan->target.state_table);
    free(plan->target.reject_table);
    table_free(&plan->table);
    for (size_t i = 0; i < plan->n_children; i++)
        table_free(&plan->children[i]);
    free(plan->children);
    if (plan->alerts)
        free(plan->alerts->webhook);
    free(plan->alerts);
    for (size_t i = 0; i < plan->n_secrets; i++)
        free(plan->secrets[i]);
    free(plan->secrets);
    for (size_t i = 0; i < priv->n_origins; i++)
        free(priv->origins[i].ref);
    free(priv->origins);
    free(priv);
}

/* ---- dump ------------------------------------------------------------------------------ */

/* The text to print for a string field: its value, or where it came from when it was read
 * through a reference or is a secret (the origins compile.c recorded). */
const char *sl_plan_shown(const sl_plan *plan, char *const *field, char *buf, size_t n)
{
    const sl_plan_priv *priv = (const sl_plan_priv *)plan;
    for (size_t i = 0; i < priv->n_origins; i++) {
        const sl_plan_origin *o = &priv->origins[i];
        if (o->field != (const char *const *)field)
            continue;
        if (!o->ref)
            snprintf(buf, n, "<secret written in the job file>");
        else
            snprintf(buf, n, "<secret from %s%s>", o->ref, o->resolved ? "" : ", not read");
        return buf;
    }
    return *field ? *field : "(none)";
}

void sl_plan_put_field(const sl_plan *plan, FILE *out, const char *label, char *const *field)
{
    char buf[1200];
    fprintf(out, "%s: %s\n", label, sl_plan_shown(plan, field, buf, sizeof buf));
}

static void put_duration(FILE *out, const char *label, int64_t ms)
{
    char buf[32];
    sl_duration_format(ms, buf, sizeof buf);
    fprintf(out, "%s%s", label, buf);
}

/* True when a key or string anywhere in v holds a secret (checked before JSON escaping, which
 * would hide a secret with a quote or a backslash in it). */
static bool json_holds_secret(const sl_plan *plan, json_t *v)
{
    const char *key;
    json_t *item;
    size_t i;
    if (json_is_string(v))
        return sl_plan_holds_secret(plan, json_string_value(v));
    if (json_is_object(v)) {
        json_object_foreach (v, key, item)
            if (sl_plan_holds_secret(plan, key) || json_holds_secret(plan, item))
                return true;
    } else if (json_is_array(v)) {
        json_array_foreach (v, i, item)
            if (json_holds_secret(plan, item))
                return true;
    }
    return false;
}

static void dump_window(const sl_plan *plan, FILE *out)
{
    const sl_window_plan *w = &plan->source.window;
    char start[20], tz[8], from[1200], to[1200], format[1200];
    sl_time_format(w->start, w->tz_offset_s, start);
    int off = w->tz_offset_s < 0 ? -w->tz_offset_s : w->tz_offset_s;
    snprintf(tz, sizeof tz, "%c%02d:%02d", w->tz_offset_s < 0 ? '-' : '+', off / 3600 % 100,
             off / 60 % 60);
    fprintf(out, "  window: %s .. %s as \"%s\" in %s, from %s\n",
            sl_plan_shown(plan, &w->from_param, from, sizeof from), sl_plan_shown(plan, &w->to_param, to, sizeof to),
            sl_plan_shown(plan, &w->format, format, sizeof format), tz, start);
    put_duration(out, "    max_span ", w->max_span_s * 1000);
    put_duration(out, ", min_span ", w->min_span_s * 1000);
    put_duration(out, ", overlap ", w->overlap_s * 1000);
    put_duration(out, ", lag ", w->lag_s * 1000);
    fprintf(out, ", max_records %" PRId64 "\n", w->max_records);
}

static void dump_rules(const sl_plan *plan, FILE *out)
{
    const sl_source_plan *s = &plan->source;
    char hint[1200];
    fprintf(out, "  errors: %zu rule%s\n", s->n_rules, s->n_rules == 1 ? "" : "s");
    for (size_t i = 0; i < s->n_rules; i++) {
        const sl_error_rule *r = &s->rules[i];
        fprintf(out, "    %zu. line %d: when %s -> %s", i + 1, r->pos.line, sl_expr_text(r->when),
                sl_action_names[r->then]);
        if (r->message)
            fprintf(out, "; message from %s", sl_jpath_text(r->message));
        if (r->wait_path)
            fprintf(out, "; wait seconds read from %s", sl_jpath_text(r->wait_path));
        if (r->hint)
            fprintf(out, "; hint \"%s\"", sl_plan_shown(plan, &r->hint, hint, sizeof hint));
        fputc('\n', out);
    }
}

static void dump_source(const sl_plan *plan, FILE *out)
{
    const sl_source_plan *s = &plan->source;
    fputs("source\n", out);
    sl_plan_put_field(plan, out, "  endpoint", &s->endpoint);
    sl_plan_put_field(plan, out, "  method", &s->method);
    if (s->signer.kind)
        s->signer.kind->dump(s->signer.cfg, plan, out);
    char *params = s->params ? json_dumps(s->params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    fprintf(out, "  params: %s\n",
            !params ? "{}" : json_holds_secret(plan, s->params) ? "<holds secrets>" : params);
    free(params);
    dump_window(plan, out);
    if (s->paging.kind)
        s->paging.kind->dump(s->paging.cfg, plan, out);
    fprintf(out, "  records at %s\n", sl_jpath_text(s->records));
    dump_rules(plan, out);
    fprintf(out, "  limits: %" PRId64 " calls/minute, %" PRId64 " in flight\n",
            s->calls_per_minute, s->concurrency);
    fprintf(out, "  retry: %" PRId64 " attempts", s->retry_attempts);
    put_duration(out, ", backoff ", s->backoff_min_ms);
    put_duration(out, "..", s->backoff_max_ms);
    put_duration(out, ", timeout ", s->timeout_ms);
    put_duration(out, ", connect timeout ", s->connect_timeout_ms);
    fprintf(out, "\n  max_body: %" PRId64 " bytes\n", s->max_body_bytes);
}

static void dump_target(const sl_plan *plan, FILE *out)
{
    const sl_target_plan *t = &plan->target;
    fputs("target\n", out);
    sl_plan_put_field(plan, out, "  dsn", &t->dsn);
    fprintf(out, "  write: %s, load %s, batch_rows %" PRId64 ", max_rejects %" PRId64 "\n",
            sl_write_mode_names[t->write], sl_load_mode_names[t->load], t->batch_rows,
            t->max_rejects);
    fprintf(out, "  state_table %s, reject_table %s", t->state_table, t->reject_table);
    put_duration(out, ", db_retry_budget ", t->db_retry_budget_ms);
    fputc('\n', out);
}

static void dump_column(const sl_plan *plan, const sl_table *parent, const sl_column *c,
                        FILE *out)
{
    char comment[1200];
    fprintf(out, "  %-24s %-14s ", c->name, c->conv ? sl_conv_sql_type(c->conv) : "?");
    if (c->from_parent >= 0)
        fprintf(out, "<- parent %s", parent->cols[c->from_parent].name);
    else {
        fprintf(out, "<- %s  ", c->path ? sl_jpath_text(c->path) : "?");
        if (c->conv)
            sl_conv_dump(c->conv, out);
    }
    if (c->required)
        fputs("  required", out);
    if (c->default_text)
        fprintf(out, "  default '%s'", c->default_text);
    if (c->rename_from)
        fprintf(out, "  renamed from %s", c->rename_from);
    if (c->comment)
        fprintf(out, "  comment \"%s\"", sl_plan_shown(plan, &c->comment, comment, sizeof comment));
    fputc('\n', out);
}

static void dump_table(const sl_plan *plan, const sl_table *t, FILE *out)
{
    fprintf(out, "%s %s (line %d), key (", t->each ? "child table" : "table", t->name, t->pos.line);
    for (size_t i = 0; i < t->n_key; i++)
        fprintf(out, "%s%s", i ? ", " : "", t->cols[t->key[i]].name);
    fputc(')', out);
    if (t->each)
        fprintf(out, ", one row per %s", sl_jpath_text(t->each));
    fprintf(out, ", %zu columns\n", t->n_cols);
    for (size_t i = 0; i < t->n_cols; i++)
        dump_column(plan, &plan->table, &t->cols[i], out);
}

static void dump_alerts(const sl_plan *plan, FILE *out)
{
    const sl_alert_plan *a = plan->alerts;
    fprintf(out, "alerts: %s on", sl_alert_format_names[a->format]);
    for (unsigned i = 0, n = 0; sl_alert_on_names[i]; i++)
        if (a->on & (1u << i))
            fprintf(out, "%s %s", n++ ? "," : "", sl_alert_on_names[i]);
    put_duration(out, ", timeout ", a->timeout_ms);
    fputc('\n', out);
    sl_plan_put_field(plan, out, "  webhook", &a->webhook);
}

static void dump_all(const sl_plan *plan, FILE *out)
{
    fprintf(out, "job %s (%s)\n", plan->name, plan->file);
    dump_source(plan, out);
    dump_target(plan, out);
    dump_table(plan, &plan->table, out);
    for (size_t i = 0; i < plan->n_children; i++)
        dump_table(plan, &plan->children[i], out);
    if (plan->alerts)
        dump_alerts(plan, out);
    fprintf(out, "secrets: %zu value%s kept out of all output\n", plan->n_secrets,
            plan->n_secrets == 1 ? "" : "s");
}

/* The fields read through references print as their origin; and since a value read that way
 * also shapes text printed from elsewhere (a converter's type or separator, a parameter), the
 * whole dump is redacted before it is written. Out of memory prints nothing. */
void sl_plan_dump(const sl_plan *plan, FILE *out)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return;
    dump_all(plan, mem);
    if (fclose(mem) != 0 || !text) {
        free(text);
        return;
    }
    size_t cap = 3 * len + 1; /* every byte may turn into a mask */
    char *masked = realloc(text, cap);
    if (masked) {
        sl_plan_redact(plan, masked, cap);
        fputs(masked, out);
    }
    free(masked ? masked : text);
}

/* The first occurrence of needle in hay, ASCII letters compared without case (a message may
 * upper-case what it quotes, as the plan's SQL types do); NULL when none. */
static const char *find_nocase(const char *hay, const char *needle, size_t n)
{
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

/* Marks in hide[] every byte of text inside some occurrence of some secret (occurrences may
 * overlap, and one secret may sit inside another: all of them are covered). */
static void cover_secrets(const sl_plan *plan, const char *text, bool *hide)
{
    for (size_t i = 0; i < plan->n_secrets; i++) {
        const char *secret = plan->secrets[i];
        size_t n = strlen(secret);
        if (n == 0)
            continue;
        for (const char *hit = find_nocase(text, secret, n); hit;
             hit = find_nocase(hit + 1, secret, n))
            memset(hide + (hit - text), 1, n);
    }
}

/* Writes text with each run of hidden bytes replaced by one mask into out (cap bytes); a mask
 * that does not fit whole is cut, so no hidden byte is ever written, and a character that
 * does not fit whole is left out. */
static void write_masked(const char *text, size_t len, const bool *hide, char *out, size_t cap)
{
    static const char mask[] = "***";
    size_t o = 0;
    for (size_t i = 0; i < len && o + 1 < cap;) {
        if (!hide[i]) {
            size_t n = sl_text_char_len(text + i, len - i);
            n = n ? n : 1; /* an invalid byte is copied as it is (the caller escapes) */
            for (size_t k = 1; k < n; k++)
                if (hide[i + k]) { /* a secret starts inside it: copy up to there */
                    n = k;
                    break;
                }
            if (o + n >= cap)
                break;
            memcpy(out + o, text + i, n);
            o += n;
            i += n;
            continue;
        }
        for (size_t k = 0; k < sizeof mask - 1 && o + 1 < cap; k++)
            out[o++] = mask[k];
        while (i < len && hide[i])
            i++;
    }
    out[o] = '\0';
}

bool sl_plan_holds_secret(const sl_plan *plan, const char *text)
{
    for (size_t i = 0; plan && i < plan->n_secrets; i++) {
        size_t n = strlen(plan->secrets[i]);
        if (n && find_nocase(text, plan->secrets[i], n))
            return true;
    }
    return false;
}

void sl_plan_redact(const sl_plan *plan, char *text, size_t cap)
{
    if (!plan || plan->n_secrets == 0 || cap == 0)
        return;
    size_t len = strlen(text);
    bool *hide = calloc(len + 1, sizeof *hide);
    char *copy = malloc(len + 1);
    if (!hide || !copy) { /* cannot tell what to hide: hide everything */
        snprintf(text, cap, "***");
    } else {
        memcpy(copy, text, len + 1);
        cover_secrets(plan, copy, hide);
        write_masked(copy, len, hide, text, cap);
    }
    free(hide);
    free(copy);
}
