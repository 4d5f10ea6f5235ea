/* serve_metrics.c: the service's /metrics in the Prometheus text exposition format (0.0.4):
 * per job, counters of what its runs added up to since the service started (`_total`), gauges
 * of the last run and of the job's state, and the API request latency histogram. Labels are
 * the job's name (an identifier), its account (letters, digits, _ . -) and fixed words, so no
 * value needs escaping. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "serve_int.h"

/* The outcomes every job reports, zeros included, so a rate() sees the first failure. */
static const int outcomes[] = {SL_OK,          SL_ERR_CONFIG,      SL_ERR_SOURCE,
                               SL_ERR_SINK,    SL_ERR_DATA,        SL_ERR_LOCKED,
                               SL_ERR_INTERRUPTED, SL_ERR_REFUSED, SL_ERR_INTERNAL,
                               SV_CRASHED};

static void head(FILE *f, const char *name, const char *type, const char *help)
{
    fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void runs(FILE *f, const sv_service *s)
{
    head(f, "sluice_serve_runs_total", "counter",
         "Runs the service finished since it started, by outcome (an exit status's name, or "
         "crashed).");
    for (size_t i = 0; i < s->n_jobs; i++)
        for (size_t k = 0; k < sizeof outcomes / sizeof outcomes[0]; k++)
            fprintf(f, "sluice_serve_runs_total{%s,outcome=\"%s\"} %" PRIu64 "\n",
                    s->jobs[i].labels, sv_outcome_name(outcomes[k]),
                    s->jobs[i].runs[outcomes[k]]);
}

typedef uint64_t count_fn(const sv_job *j);
static uint64_t rows_of(const sv_job *j) { return j->rows; }
static uint64_t child_rows_of(const sv_job *j) { return j->child_rows; }
static uint64_t rejects_of(const sv_job *j) { return j->rejects; }
static uint64_t requests_of(const sv_job *j) { return j->requests; }
static uint64_t retries_of(const sv_job *j) { return j->retries; }
static uint64_t throttles_of(const sv_job *j) { return j->throttles; }

static void counters(FILE *f, const sv_service *s)
{
    const struct {
        const char *name, *help;
        count_fn *v;
    } c[] = {
        {"sluice_serve_rows_total", "Parent rows the job's runs committed.", rows_of},
        {"sluice_serve_child_rows_total", "Child rows the job's runs committed.", child_rows_of},
        {"sluice_serve_rejects_total", "Records the job's runs rejected.", rejects_of},
        {"sluice_serve_requests_total", "API requests the job's runs sent.", requests_of},
        {"sluice_serve_retries_total", "Transient API failures the job's runs retried.",
         retries_of},
        {"sluice_serve_throttles_total", "Throttle replies the job's runs received.",
         throttles_of},
    };
    for (size_t k = 0; k < sizeof c / sizeof c[0]; k++) {
        head(f, c[k].name, "counter", c[k].help);
        for (size_t i = 0; i < s->n_jobs; i++)
            fprintf(f, "%s{%s} %" PRIu64 "\n", c[k].name, s->jobs[i].labels,
                    c[k].v(&s->jobs[i]));
    }
}

/* A gauge with one sample per job whose value fn gives (false: no sample for that job). */
typedef bool gauge_fn(const sv_job *j, int64_t now_ms, int64_t *v);
static bool success_of(const sv_job *j, int64_t now_ms, int64_t *v)
{
    (void)now_ms;
    return (*v = j->last_success) != INT64_MIN;
}
static bool watermark_of(const sv_job *j, int64_t now_ms, int64_t *v)
{
    (void)now_ms;
    return (*v = j->watermark) != INT64_MIN;
}
static bool lag_of(const sv_job *j, int64_t now_ms, int64_t *v)
{
    if (j->watermark == INT64_MIN)
        return false;
    *v = now_ms / 1000 - j->watermark;
    return true;
}
static bool next_of(const sv_job *j, int64_t now_ms, int64_t *v)
{
    (void)now_ms;
    *v = j->next_ms / 1000;
    return true;
}
static bool running_of(const sv_job *j, int64_t now_ms, int64_t *v)
{
    (void)now_ms;
    *v = j->pid != 0;
    return true;
}
static bool quality_of(const sv_job *j, int64_t now_ms, int64_t *v)
{
    (void)now_ms;
    *v = j->last_quality[0] != '\0';
    return j->ran;
}
static bool volume_of(const sv_job *j, int64_t now_ms, int64_t *v)
{
    (void)now_ms;
    *v = j->last_volume[0] != '\0';
    return j->ran;
}
static bool file_ok_of(const sv_job *j, int64_t now_ms, int64_t *v)
{
    (void)now_ms;
    *v = j->reload_error == NULL;
    return true;
}

static void gauges(FILE *f, const sv_service *s, int64_t now_ms)
{
    const struct {
        const char *name, *help;
        gauge_fn *v;
    } g[] = {
        {"sluice_serve_last_success_timestamp_seconds", "When the job's last successful run "
                                                        "ended.", success_of},
        {"sluice_serve_watermark_timestamp_seconds", "The job's watermark as its last run left "
                                                     "it.", watermark_of},
        {"sluice_serve_watermark_lag_seconds", "Now minus the job's watermark.", lag_of},
        {"sluice_serve_next_run_timestamp_seconds", "When the job's next run is due.", next_of},
        {"sluice_serve_running", "1 while a run of the job is going.", running_of},
        {"sluice_serve_last_run_quality_failed", "1 when a data-quality rule failed the job's "
                                                 "last run (warn rules included).", quality_of},
        {"sluice_serve_last_run_volume_out_of_band", "1 when the job's last run found a bucket "
                                                     "out of its volume band.", volume_of},
        {"sluice_serve_job_file_ok", "0 when the job file failed to compile at the last "
                                     "reload (the previous plan stays in use).", file_ok_of},
    };
    for (size_t k = 0; k < sizeof g / sizeof g[0]; k++) {
        head(f, g[k].name, "gauge", g[k].help);
        for (size_t i = 0; i < s->n_jobs; i++) {
            int64_t v;
            if (g[k].v(&s->jobs[i], now_ms, &v))
                fprintf(f, "%s{%s} %" PRId64 "\n", g[k].name, s->jobs[i].labels, v);
        }
    }
}

static void latency(FILE *f, const sv_service *s)
{
    static const double bounds[SL_N_LATENCY_BOUNDS] = SL_LATENCY_BOUNDS_S;
    const char *name = "sluice_serve_request_duration_seconds";
    head(f, name, "histogram", "How long the job's API requests took, to the last byte.");
    for (size_t i = 0; i < s->n_jobs; i++) {
        const sv_job *j = &s->jobs[i];
        uint64_t n = 0;
        for (size_t b = 0; b <= SL_N_LATENCY_BOUNDS; b++) {
            n += j->latency[b];
            if (b < SL_N_LATENCY_BOUNDS)
                fprintf(f, "%s_bucket{%s,le=\"%g\"} %" PRIu64 "\n", name, j->labels,
                        bounds[b], n);
            else
                fprintf(f, "%s_bucket{%s,le=\"+Inf\"} %" PRIu64 "\n", name, j->labels, n);
        }
        fprintf(f, "%s_sum{%s} %.6f\n%s_count{%s} %" PRIu64 "\n", name, j->labels,
                j->latency_sum, name, j->labels, n);
    }
}

/* The data-quality rules' counts, per job and rule, since the service started (or since a
 * reload changed the job's rules). */
static void quality(FILE *f, const sv_service *s)
{
    const struct {
        const char *name, *help;
        bool failed;
    } c[] = {
        {"sluice_serve_quality_checked_rows_total", "Rows each data-quality rule checked.", false},
        {"sluice_serve_quality_failed_rows_total", "Rows each data-quality rule failed "
                                                   "(not_null: rows without a value).", true},
    };
    for (size_t k = 0; k < 2; k++) {
        head(f, c[k].name, "counter", c[k].help);
        for (size_t i = 0; i < s->n_jobs; i++) {
            const sv_job *j = &s->jobs[i];
            for (size_t q = 0; q < j->plan->n_quality; q++)
                fprintf(f, "%s{%s,rule=\"%s\",action=\"%s\"} %" PRIu64 "\n", c[k].name,
                        j->labels, j->plan->quality[q].name,
                        sl_dq_action_names[j->plan->quality[q].action],
                        c[k].failed ? j->dq_failed[q] : j->dq_checked[q]);
        }
    }
}

char *sv_metrics_text(const sv_service *s)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    int64_t now_ms = sv_now_ms();
    head(f, "sluice_serve_start_time_seconds", "gauge", "When the service started.");
    fprintf(f, "sluice_serve_start_time_seconds %" PRId64 "\n", s->started_ms / 1000);
    runs(f, s);
    counters(f, s);
    gauges(f, s, now_ms);
    latency(f, s);
    quality(f, s);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}
