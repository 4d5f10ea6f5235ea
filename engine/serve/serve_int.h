/* serve_int.h: private to the service's files (serve.c, serve_child.c, serve_metrics.c,
 * serve_page.c): what the service knows of each job, and the functions they share. */
#ifndef SLUICE_SERVE_INT_H
#define SLUICE_SERVE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "error.h"
#include "plan.h"
#include "runner.h"
#include "serve_run.h"

/* How a run ended: its exit status, or "crashed" (the child died of a signal or without
 * telling its result). */
enum { SV_CRASHED = 128, SV_N_OUTCOMES = 129 };

/* Jobs and accounts served at most (each a compiled plan in memory). */
enum { SV_MAX_JOBS = 10000 };

/* Alerts being sent at once (each from a child of its own) at most. */
enum { SV_MAX_ALERTING = 32 };

/* What the child tells the parent through its pipe when its run is over. */
typedef struct sv_result {
    int status;
    bool started;
    sl_run_summary sum;
    char message[sizeof((sl_error *)0)->msg]; /* the error, secrets masked */
    char quality[512]; /* the data-quality rules that failed, "" when none (quality_report.h) */
    char volume[512];  /* the volume buckets out of band, "" when none (volume.h) */
} sv_result;

typedef struct sv_job {
    char *file;         /* as given on the command line */
    char *account;      /* a job with accounts: this one's id (owned), else NULL */
    char who[128];      /* "JOB" or "JOB account ID", for the log */
    char labels[128];   /* job="JOB" or job="JOB",account="ID", for /metrics */
    sl_plan *plan;      /* the plan runs use: the last one that compiled */
    char *reload_error; /* the last SIGHUP's first error line, NULL when the file compiled */
    int64_t loaded_ms;  /* when plan was compiled */
    int64_t next_ms;    /* when the next run is due (epoch ms) */
    pid_t pid;          /* the running child, or 0 */
    int fd;             /* its result pipe, or -1 */
    int64_t started_ms; /* of the running (or last) run */
    /* what the runs so far added up to */
    uint64_t runs[SV_N_OUTCOMES];
    uint64_t rows, child_rows, rejects, requests, retries, throttles;
    uint64_t latency[SL_N_LATENCY_BOUNDS + 1]; /* API requests per bucket (hooks.h), not
                                                * cumulative; the last is +Inf */
    double latency_sum;
    uint64_t dq_checked[SL_MAX_QUALITY], dq_failed[SL_MAX_QUALITY]; /* per rule of plan */
    unsigned rules_gen;     /* counts the reloads that changed plan's quality rules */
    unsigned run_rules_gen; /* rules_gen when the running (or last) run was forked */
    /* the last run */
    bool ran;
    int last_status;
    int64_t last_end_ms;
    double last_elapsed_s;
    uint64_t last_rows, last_rejects;
    char last_message[sizeof((sl_error *)0)->msg];
    char last_quality[512], last_volume[512]; /* as sv_result's, of the last run */
    int64_t last_success; /* epoch s, INT64_MIN before one */
    int64_t watermark;    /* the job's watermark as the last run left it, INT64_MIN unknown */
    bool lag_alerted;     /* a max_lag alert went out and the lag has not recovered since */
} sv_job;

typedef struct sv_service {
    sv_job *jobs;
    size_t n_jobs, cap_jobs;
    int running;  /* runs' children alive */
    int alerting; /* alerts' children alive */
    int64_t started_ms;
    const sl_serve_opts *opts;
} sv_service;

/* serve_clock.c */
/* Fills j's who and labels from its plan's name and its account. */
void sv_job_names(sv_job *j);
/* The wall clock in epoch milliseconds. */
int64_t sv_now_ms(void);
/* The name of an outcome (an exit status, or SV_CRASHED): "ok", "source", "crashed", ... */
const char *sv_outcome_name(int outcome);

/* serve_child.c: a run in a forked child. */
/* Forks the child for job j and returns 0, or -1 after logging why. */
int sv_child_start(sv_service *s, sv_job *j);
/* Reaps every child that exited (a run's or an alert's) and folds a run's result into its
 * job. */
void sv_child_reap(sv_service *s);
/* Sends the alert of a service event (event, message) for j through its plan's alerts section
 * from a forked child, so a slow webhook never holds up the service's loop (reaped by
 * sv_child_reap; a failure to send is logged on stderr). */
void sv_alert_start(sv_service *s, const sv_job *j, const char *event, const char *message);

/* serve_metrics.c: the Prometheus text of /metrics; owned (free), NULL when out of memory. */
char *sv_metrics_text(const sv_service *s);

/* serve_diagram.c */
/* Writes s HTML-escaped (&, <, >, " and '). */
void sv_html_escape(FILE *f, const char *s);
/* Writes plan's diagram (plan_diagram.h) as nested HTML boxes. */
void sv_diagram_html(FILE *f, const sl_plan *plan);

/* serve_page.c: the status page (HTML); owned (free), NULL when out of memory. */
char *sv_page_html(const sv_service *s);

#endif
