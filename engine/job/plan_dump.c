/* plan_dump.c: sl_plan_dump (compile.h), `sluice plan`: the plan printed readably, each kind
 * through its descriptor, fields read through references as their origin, the whole text
 * redacted before it is written. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "convert.h"
#include "expr.h"
#include "jpath.h"
#include "kind.h"
#include "options.h"
#include "regex.h"
#include "timeutil.h"

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
    if (plan->target.refresh.on) {
        fputs("  window: none: a full refresh (every run reads everything)\n", out);
        return;
    }
    char start[20], tz[8], from[1200], to[1200], format[1200];
    sl_time_format(w->start, w->tz_offset_s, start);
    int off = w->tz_offset_s < 0 ? -w->tz_offset_s : w->tz_offset_s;
    snprintf(tz, sizeof tz, "%c%02d:%02d", w->tz_offset_s < 0 ? '-' : '+', off / 3600 % 100,
             off / 60 % 60);
    fprintf(out, "  window: %s .. %s as \"%s\" in %s, from %s\n",
            sl_plan_shown(plan, &w->from_param, from, sizeof from),
            sl_plan_shown(plan, &w->to_param, to, sizeof to),
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

/* Printed only when not the default (a POST without headers), so older plans read the same. */
static void dump_request(const sl_plan *plan, FILE *out)
{
    const sl_source_plan *s = &plan->source;
    if (!s->http_get && !s->n_headers && !s->json_body)
        return;
    fprintf(out, "  request: %s\n", sl_http_method_names[s->http_get ? SL_HTTP_GET : SL_HTTP_POST]);

    for (size_t i = 0; i < s->n_headers; i++) {
        if (!s->header_names[i])
            continue;
        char label[300];
        snprintf(label, sizeof label, "  header %s", s->header_names[i]);
        sl_plan_put_field(plan, out, label, &s->header_values[i]);
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
    if (s->auth.kind)
        s->auth.kind->dump(s->auth.cfg, plan, out);
    char *params = s->params ? json_dumps(s->params, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    fprintf(out, "  params: %s\n",
            !params ? "{}" : json_holds_secret(plan, s->params) ? "<holds secrets>" : params);
    free(params);
    char *tpl = s->json_body ? json_dumps(s->json_body, JSON_COMPACT) : NULL;
    if (s->json_body) /* its members in the file's order: the body's */
        fprintf(out, "  body: json %s\n", !tpl                                   ? "{}"
                                         : json_holds_secret(plan, s->json_body) ? "<holds secrets>"
                                                                                 : tpl);
    free(tpl);
    dump_request(plan, out);
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
    if (t->refresh.on)
        fprintf(out, "  refresh: shadow tables swapped in at the end; %s over %" PRId64
                     "%% fewer rows than the table\n",
                t->refresh.allow_empty ? "an empty read allowed; refused when"
                                       : "refused when empty or", t->refresh.max_drop_percent);
}

static void dump_column(const sl_plan *plan, const sl_table *parent, const sl_column *c,
                        FILE *out)
{
    char comment[1200];
    fprintf(out, "  %-24s %-14s ", c->name, c->conv ? sl_conv_sql_type(c->conv) : "?");
    if (c->from_parent >= 0)
        fprintf(out, "<- parent %s", parent->cols[c->from_parent].name);
    else {
        fprintf(out, "<- %s  ", c->path ? sl_jpath_text(c->path) : "(the account's id)");
        if (c->conv)
            sl_conv_dump(c->conv, out);
    }
    if (c->required)
        fputs("  required", out);
    if (c->default_text)
        fprintf(out, "  default '%s'", c->default_text);
    if (c->rename_from)
        fprintf(out, "  renamed from %s", c->rename_from);
    if (c->personal != SL_PERSONAL_NONE)
        fprintf(out, "  personal %s", sl_personal_names[c->personal - 1]);
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
    const sl_table *up = sl_plan_parent_table(plan, t);
    if (t->depth > 1) /* a child of a child: the items it is read from and keyed by */
        fprintf(out, " of each %s row", up->name);
    fprintf(out, ", %zu columns\n", t->n_cols);
    for (size_t i = 0; i < t->n_cols; i++)
        dump_column(plan, up ? up : &plan->table, &t->cols[i], out);
}

static void dump_alerts(const sl_plan *plan, FILE *out)
{
    const sl_alert_plan *a = plan->alerts;
    fprintf(out, "alerts: %s on", sl_alert_format_names[a->format]);
    for (unsigned i = 0, n = 0; sl_alert_on_names[i]; i++)
        if (a->on & (1u << i))
            fprintf(out, "%s %s", n++ ? "," : "", sl_alert_on_names[i]);
    put_duration(out, ", timeout ", a->timeout_ms);
    if (a->max_lag_ms)
        put_duration(out, ", max_lag ", a->max_lag_ms);
    fputc('\n', out);
    sl_plan_put_field(plan, out, "  webhook", &a->webhook);
}

static void dump_schedule(const sl_schedule_plan *s, FILE *out)
{
    if (s->every_ms) {
        put_duration(out, "schedule: every ", s->every_ms);
        fputc('\n', out);
        return;
    }
    int off = s->tz_offset_s < 0 ? -s->tz_offset_s : s->tz_offset_s;
    fprintf(out, "schedule: cron \"%s\" in %c%02d:%02d\n", s->cron_text,
            s->tz_offset_s < 0 ? '-' : '+', off / 3600, off / 60 % 60);
}

/* "volume: by hour of modified, rows and sum of refund, out of band under 20.00% or over
 * 500.00% of the median of 7 previous days (at least 3)". */
static void dump_volume(const sl_plan *plan, FILE *out)
{
    const sl_volume_plan *v = &plan->volume;
    fprintf(out, "volume: by %s of %s, rows", v->by_s == 3600 ? "hour" : "day",
            plan->table.cols[v->time_column].name);
    if (v->sum_column >= 0)
        fprintf(out, " and sum of %s", plan->table.cols[v->sum_column].name);
    fprintf(out, ", out of band under %" PRId64 ".%02" PRId64 "%%", v->min_share_bp / 100,
            v->min_share_bp % 100);
    if (v->max_share_bp)
        fprintf(out, " or over %" PRId64 ".%02" PRId64 "%%", v->max_share_bp / 100,
                v->max_share_bp % 100);
    fprintf(out, " of the median of %" PRId64 " previous days (at least %" PRId64 ")\n",
            v->history_days, v->min_history);
}

/* What a rule checks, as the job file says it. */
static void dump_quality_rule(const sl_plan *plan, const sl_dq_rule *r, FILE *out)
{
    fprintf(out, "  %s (line %d): %s, ", r->name, r->pos.line, sl_dq_action_names[r->action]);
    if (r->column >= 0)
        fprintf(out, "%s ", plan->table.cols[r->column].name);
    switch (r->kind) {
    case SL_DQ_RANGE:
        fprintf(out, "in [%s, %s]%s\n", r->min ? r->min : "-", r->max ? r->max : "-",
                r->numeric ? " (exact decimals)" : "");
        break;
    case SL_DQ_PATTERN: fprintf(out, "matches a pattern\n"); break;
    case SL_DQ_VALUES: fprintf(out, "is one of %zu values\n", r->n_values); break;
    case SL_DQ_NOT_NULL:
        fprintf(out, "has a value in at least %" PRId64 ".%02" PRId64 "%% of a run's rows\n",
                r->share_bp / 100, r->share_bp % 100);
        break;
    case SL_DQ_UNIQUE: fprintf(out, "is unique within a run\n"); break;
    case SL_DQ_CHECK: fprintf(out, "check %s\n", sl_expr_text(r->check)); break;
    }
}

static void dump_all(const sl_plan *plan, FILE *out)
{
    fprintf(out, "job %s (%s)\n", plan->name, plan->file);
    if (plan->n_accounts) {
        fprintf(out, "accounts: %zu, column %s%s%s:", plan->n_accounts, plan->account_column,
                plan->account ? ", this plan for " : "", plan->account ? plan->account : "");
        for (size_t i = 0; i < plan->n_accounts && i < 20; i++)
            fprintf(out, " %s", plan->accounts[i].id);
        fputs(plan->n_accounts > 20 ? " ...\n" : "\n", out);
    }
    dump_source(plan, out);
    dump_target(plan, out);
    dump_table(plan, &plan->table, out);
    for (size_t i = 0; i < plan->n_children; i++)
        dump_table(plan, &plan->children[i], out);
    if (plan->n_quality)
        fprintf(out, "quality: %zu rule%s\n", plan->n_quality, plan->n_quality == 1 ? "" : "s");
    for (size_t i = 0; i < plan->n_quality; i++)
        dump_quality_rule(plan, &plan->quality[i], out);
    if (plan->personal.any) {
        fprintf(out, "personal: mask keeps %" PRId64 " first and %" PRId64 " last characters\n",
                plan->personal.keep_first, plan->personal.keep_last);
        sl_plan_put_field(plan, out, "  hash_key", &plan->personal.hash_key);
    }
    if (plan->volume.on)
        dump_volume(plan, out);
    if (plan->alerts)
        dump_alerts(plan, out);
    if (plan->schedule.on)
        dump_schedule(&plan->schedule, out);
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
