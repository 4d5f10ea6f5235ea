/* quality_report.c: see quality_report.h. */
#include "quality_report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sl_quality_verdict(const sl_plan *plan, const sl_run_summary *s, size_t i, char *buf,
                        size_t n)
{
    const sl_dq_rule *r = &plan->quality[i];
    const sl_dq_count *c = &s->quality[i];
    if (r->kind == SL_DQ_NOT_NULL) {
        uint64_t with = c->checked - c->failed;
        uint64_t bp = c->checked ? with * 10000 / c->checked : 10000;
        snprintf(buf, n,
                 "%s %" PRIu64 ".%02" PRIu64 "%% of %" PRIu64 " rows have a value, %s %" PRId64
                 ".%02" PRId64 "%%",
                 r->name, bp / 100, bp % 100, c->checked, c->run_failed ? "under" : "at least",
                 r->share_bp / 100, r->share_bp % 100);
    } else if (c->failed) {
        snprintf(buf, n, "%s %s %" PRIu64 " of %" PRIu64, r->name,
                 r->action == SL_DQ_REJECT ? "rejected" : "warned on", c->failed, c->checked);
    } else {
        snprintf(buf, n, "%s passed %" PRIu64, r->name, c->checked);
    }
}

void sl_quality_failures(const sl_plan *plan, const sl_run_summary *s, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < s->n_quality && used + 1 < n; i++) {
        const sl_dq_count *c = &s->quality[i];
        if (!(plan->quality[i].kind == SL_DQ_NOT_NULL ? c->run_failed : c->failed > 0))
            continue;
        char one[200];
        sl_quality_verdict(plan, s, i, one, sizeof one);
        int w = snprintf(buf + used, n - used, "%s%s", used ? "; " : "", one);
        used += w > 0 ? (size_t)w : 0;
    }
}

json_t *sl_quality_json(const sl_plan *plan, const sl_run_summary *s)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < s->n_quality; i++) {
        const sl_dq_rule *r = &plan->quality[i];
        const sl_dq_count *c = &s->quality[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:I, s:I, s:b}", "rule", r->name, "kind",
                              sl_dq_kind_names[r->kind], "action", sl_dq_action_names[r->action],
                              "checked", (json_int_t)c->checked, "failed",
                              (json_int_t)c->failed, "run_failed", c->run_failed);
        if (json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* One gauge with a line per rule; value picks the number of rule i. */
static int gauge(FILE *f, const sl_plan *plan, const sl_run_summary *s, const char *labels,
                 const char *name, const char *help, int64_t (*value)(const sl_dq_count *))
{
    int rc = fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name) < 0;
    for (size_t i = 0; i < s->n_quality; i++)
        rc |= fprintf(f, "%s{%s,rule=\"%s\",action=\"%s\"} %" PRId64 "\n", name, labels,
                      plan->quality[i].name, sl_dq_action_names[plan->quality[i].action],
                      value(&s->quality[i])) < 0;
    return rc;
}

static int64_t checked_of(const sl_dq_count *c)
{
    return (int64_t)c->checked;
}

static int64_t failed_of(const sl_dq_count *c)
{
    return (int64_t)c->failed;
}

static int64_t run_failed_of(const sl_dq_count *c)
{
    return c->run_failed;
}

char *sl_quality_metrics(const sl_plan *plan, const sl_run_summary *s, const char *labels)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    int rc = 0;
    if (s->n_quality) {
        rc |= gauge(f, plan, s, labels, "sluice_run_quality_checked_rows",
                    "Rows each data-quality rule checked in the last run.", checked_of);
        rc |= gauge(f, plan, s, labels, "sluice_run_quality_failed_rows",
                    "Rows each data-quality rule failed in the last run (not_null: rows "
                    "without a value).", failed_of);
        rc |= gauge(f, plan, s, labels, "sluice_run_quality_run_failed",
                    "1 when a run-level rule (not_null) failed the last run.", run_failed_of);
    }
    if (fclose(f) != 0 || rc) {
        free(text);
        return NULL;
    }
    return text;
}
