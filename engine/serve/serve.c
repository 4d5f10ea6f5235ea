/* serve.c: see serve.h. One thread and one poll loop: the signals (SIGHUP and SIGCHLD through
 * a self-pipe, SIGTERM and SIGINT through stop.h), the HTTP listener's sockets, and a timeout
 * that wakes the loop when the next run is due. */
#include "serve.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "grow.h"
#include "httpd.h"
#include "limiter.h"
#include "options.h"
#include "report.h"
#include "serve_int.h"
#include "stop.h"

static volatile sig_atomic_t got_hup;
static int sig_pipe[2] = {-1, -1};

static void on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGHUP)
        got_hup = 1;
    ssize_t n = write(sig_pipe[1], "x", 1);
    (void)n; /* full: the loop wakes anyway */
    errno = saved;
}

static int install_signals(void)
{
    if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
        return -1;
    struct sigaction sa = {.sa_handler = on_signal};
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return sl_stop_install();
}

/* Compiles file (for account, or NULL) for the service: NULL when it does not compile or has
 * no schedule, with every problem on stderr and the first in first (cap bytes). */
static sl_plan *compile_job(const char *file, const char *account, char *first, size_t cap)
{
    sl_diag *diag = sl_diag_new(file);
    sl_compile_options copts = {.resolve_secrets = true, .account = account};
    sl_plan *plan = diag ? sl_compile_file_opts(file, &copts, diag) : NULL;
    snprintf(first, cap, "%s: out of memory", file);
    if (!plan && diag) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (f) {
            sl_diag_print(diag, f);
            fclose(f);
        }
        if (text) {
            fputs(text, stderr);
            snprintf(first, cap, "%.*s", (int)strcspn(text, "\n"), text);
        }
        free(text);
    } else if (plan && !plan->schedule.on) {
        snprintf(first, cap, "%s: job %s has no schedule section; sluice serve runs a job by "
                             "its schedule (docs/serve.md)", file, plan->name);
        fprintf(stderr, "sluice serve: %s\n", first);
        sl_plan_free(plan);
        plan = NULL;
    }
    sl_diag_free(diag);
    return plan;
}

/* When a run of j is next due, from now (epoch ms). */
static int64_t next_due(const sv_job *j, int64_t now_ms, bool first)
{
    const sl_schedule_plan *s = &j->plan->schedule;
    if (s->every_ms)
        return first ? now_ms : (j->started_ms ? j->started_ms : now_ms) + s->every_ms;
    int64_t t = sl_cron_next(&s->cron, now_ms / 1000, s->tz_offset_s);
    return t == INT64_MIN ? INT64_MAX : t * 1000;
}

/* True when another job than self has plan's name and self's account. */
static bool served_twice(const sv_service *s, const sl_plan *plan, const sv_job *self)
{
    for (size_t i = 0; i < s->n_jobs; i++) {
        const sv_job *o = &s->jobs[i];
        if (o != self && o->plan && !strcmp(o->plan->name, plan->name) &&
            !strcmp(o->account ? o->account : "", self->account ? self->account : ""))
            return true;
    }
    return false;
}

/* Adds the job of file (for account, or NULL) with plan (taken); -1 when out of memory or past
 * SV_MAX_JOBS (plan freed). */
static int add_job(sv_service *s, const char *file, const char *account, sl_plan *plan)
{
    sv_job *jobs = s->n_jobs < SV_MAX_JOBS
                       ? sl_grow(s->jobs, &s->cap_jobs, s->n_jobs + 1, sizeof *jobs, 16)
                       : NULL;
    char *id = account ? strdup(account) : NULL;
    if (!jobs || (account && !id)) {
        fprintf(stderr, "sluice serve: %s: %s\n", file,
                jobs ? "out of memory" : "more jobs and accounts than sluice serve takes");
        sl_plan_free(plan);
        free(id);
        return -1;
    }
    s->jobs = jobs;
    sv_job *j = &s->jobs[s->n_jobs++];
    *j = (sv_job){.file = (char *)file, .account = id, .plan = plan, .fd = -1,
                  .last_success = INT64_MIN, .watermark = INT64_MIN, .loaded_ms = sv_now_ms()};
    sv_job_names(j);
    if (!served_twice(s, plan, j))
        return 0;
    fprintf(stderr, "sluice serve: %s: %s is served twice (a job's name and account key its "
                    "watermark and lock)\n", file, j->who);
    return -1;
}

/* Compiles file into its jobs: the file's plan, or one plan per account. */
static int load_file(sv_service *s, const char *file)
{
    char first[512];
    sl_plan *whole = compile_job(file, NULL, first, sizeof first);
    if (!whole)
        return -1;
    if (!whole->n_accounts)
        return add_job(s, file, NULL, whole);
    int rc = 0;
    for (size_t a = 0; a < whole->n_accounts && rc == 0; a++) {
        const char *id = whole->accounts[a].id;
        sl_plan *plan = compile_job(file, id, first, sizeof first);
        rc = plan ? add_job(s, file, id, plan) : -1;
    }
    sl_plan_free(whole);
    return rc;
}

static int load_all(sv_service *s, char *const *files, size_t n)
{
    int rc = 0;
    for (size_t i = 0; i < n; i++)
        if (load_file(s, files[i]) != 0)
            rc = SL_ERR_CONFIG;
    return rc;
}

/* alerts.max_lag: one alert when a job's watermark falls further behind now than that (its
 * runs stopped, or keep failing), re-armed once it has caught up. */
static void check_lag(sv_service *s, int64_t now_ms)
{
    for (size_t i = 0; i < s->n_jobs; i++) {
        sv_job *j = &s->jobs[i];
        const sl_alert_plan *a = j->plan->alerts;
        if (!a || !a->max_lag_ms || j->watermark == INT64_MIN)
            continue;
        int64_t lag_s = now_ms / 1000 - j->watermark;
        if (lag_s * 1000 <= a->max_lag_ms) {
            j->lag_alerted = false;
            continue;
        }
        if (j->lag_alerted)
            continue;
        j->lag_alerted = true;
        char max[32], msg[sizeof j->last_message + 200];
        sl_duration_format(a->max_lag_ms, max, sizeof max);
        snprintf(msg, sizeof msg, "the watermark lags %" PRId64 " s behind now, more than "
                 "alerts.max_lag %s; the last run: %s%s%s", lag_s, max,
                 j->ran ? sv_outcome_name(j->last_status) : "none",
                 j->last_message[0] ? ": " : "", j->last_message);
        fprintf(stderr, "sluice serve: %s: late: %s\n", j->who, msg);
        sv_alert_start(s, j, "late", msg);
    }
}

/* True when a and b have the same data-quality rules, by name and in order. */
static bool same_rules(const sl_plan *a, const sl_plan *b)
{
    if (a->n_quality != b->n_quality)
        return false;
    for (size_t q = 0; q < a->n_quality; q++)
        if (strcmp(a->quality[q].name, b->quality[q].name) != 0)
            return false;
    return true;
}

/* SIGHUP: compiles every job file again; one that no longer compiles keeps its plan. */
static void reload(sv_service *s)
{
    char first[512];
    fprintf(stderr, "sluice serve: SIGHUP: reading %zu job files again\n", s->n_jobs);
    for (size_t i = 0; i < s->n_jobs; i++) {
        sv_job *j = &s->jobs[i];
        sl_plan *plan = compile_job(j->file, j->account, first, sizeof first);
        if (plan && served_twice(s, plan, j)) {
            snprintf(first, sizeof first, "%s: job %s is already served from another file",
                     j->file, plan->name);
            sl_plan_free(plan);
            plan = NULL;
        }
        free(j->reload_error);
        j->reload_error = NULL;
        if (!plan) {
            sl_plan_redact(j->plan, first, sizeof first);
            j->reload_error = strdup(first);
            fprintf(stderr, "sluice serve: %s: error: the job file no longer compiles; the "
                            "previous plan stays in use\n", j->who);
            sv_alert_start(s, j, "job file no longer compiles, previous plan kept", first);
            continue;
        }
        if (!same_rules(j->plan, plan)) { /* the counts are per rule: start them again */
            memset(j->dq_checked, 0, sizeof j->dq_checked);
            memset(j->dq_failed, 0, sizeof j->dq_failed);
            j->rules_gen++; /* a run going on counts by the old rules: not folded */
        }
        sl_plan_free(j->plan); /* a running child has its own copy */
        j->plan = plan;
        sv_job_names(j);
        j->loaded_ms = sv_now_ms();
        j->next_ms = next_due(j, j->loaded_ms, !j->started_ms);
    }
}

/* Starts the due jobs, the longest due first, while fewer than max_runs run. */
static void start_due(sv_service *s, int64_t now_ms)
{
    while (s->running < s->opts->max_runs) {
        sv_job *due = NULL;
        for (size_t i = 0; i < s->n_jobs; i++) {
            sv_job *j = &s->jobs[i];
            if (!j->pid && j->next_ms <= now_ms && (!due || j->next_ms < due->next_ms))
                due = j;
        }
        if (!due)
            return;
        if (sv_child_start(s, due) != 0) {
            due->next_ms = now_ms + 10000; /* try again soon */
            continue;
        }
        due->next_ms = next_due(due, now_ms, false);
    }
}

/* How long the loop may sleep before the next due run (at most a second). */
static int sleep_ms(const sv_service *s, int64_t now_ms)
{
    int64_t ms = 1000;
    for (size_t i = 0; i < s->n_jobs; i++)
        if (!s->jobs[i].pid && s->jobs[i].next_ms - now_ms < ms)
            ms = s->jobs[i].next_ms - now_ms;
    return ms < 0 ? 0 : (int)ms;
}

static void on_request(const char *path, httpd_reply *out, void *ctx)
{
    const sv_service *s = ctx;
    if (!strcmp(path, "/metrics"))
        *out = (httpd_reply){200, "text/plain; version=0.0.4; charset=utf-8", sv_metrics_text(s)};
    else if (!strcmp(path, "/healthz"))
        *out = (httpd_reply){sl_stop_requested() ? 503 : 200, "text/plain; charset=utf-8",
                             strdup(sl_stop_requested() ? "stopping\n" : "ok\n")};
    else if (!strcmp(path, "/"))
        *out = (httpd_reply){200, "text/html; charset=utf-8", sv_page_html(s)};
    else
        *out = (httpd_reply){404, "text/plain; charset=utf-8", strdup("not found\n")};
}

/* SIGTERM or SIGINT: every running run is asked to stop (its interrupt path). */
static void stop_runs(const sv_service *s)
{
    fprintf(stderr, "sluice serve: stopping: %d run%s to finish\n", s->running,
            s->running == 1 ? "" : "s");
    for (size_t i = 0; i < s->n_jobs; i++)
        if (s->jobs[i].pid)
            kill(s->jobs[i].pid, SIGTERM);
}

static void drain(int fd)
{
    char buf[64];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

/* The loop: returns once a stop was asked for and every run has ended. */
static void loop(sv_service *s, httpd *h)
{
    bool stopping = false;
    struct pollfd fds[2 + HTTPD_MAX_FDS];
    for (;;) {
        if (sl_stop_requested() && !stopping) {
            stopping = true;
            stop_runs(s);
        }
        sv_child_reap(s);
        if (stopping && s->running == 0)
            return;
        if (got_hup) {
            got_hup = 0;
            reload(s);
        }
        int64_t now_ms = sv_now_ms();
        if (!stopping)
            start_due(s, now_ms);
        check_lag(s, now_ms);
        int timeout = sleep_ms(s, now_ms);
        fds[0] = (struct pollfd){.fd = sig_pipe[0], .events = POLLIN};
        fds[1] = (struct pollfd){.fd = stopping ? -1 : sl_stop_fd(), .events = POLLIN};
        size_t n = httpd_pollfds(h, fds + 2, now_ms, &timeout);
        if (poll(fds, 2 + n, timeout) < 0 && errno != EINTR)
            return;
        if (fds[0].revents)
            drain(sig_pipe[0]);
        httpd_handle(h, fds + 2, n, sv_now_ms(), on_request, s);
    }
}

static void free_jobs(sv_service *s)
{
    for (size_t i = 0; i < s->n_jobs; i++) {
        sl_plan_free(s->jobs[i].plan);
        free(s->jobs[i].reload_error);
        free(s->jobs[i].account);
    }
    free(s->jobs);
}

int sl_serve(char *const *files, size_t n, const sl_serve_opts *o)
{
    sv_service s = {.opts = o, .started_ms = sv_now_ms()};
    httpd *h = NULL;
    char err[300];
    int rc = n > SL_SERVE_MAX_JOBS ? SL_ERR_USAGE : install_signals() != 0 ? SL_ERR_INTERNAL : 0;
    if (rc == SL_ERR_USAGE)
        fprintf(stderr, "sluice serve: at most %d job files\n", SL_SERVE_MAX_JOBS);
    if (!rc)
        rc = load_all(&s, files, n);
    if (!rc && sl_limiter_pool_open() != 0) /* jobs of the same credentials share one rate */
        fprintf(stderr, "sluice serve: warning: no shared memory: each job's rate is its own\n");
    if (!rc && !(h = httpd_open(o->listen, err, sizeof err))) {
        fprintf(stderr, "sluice serve: can't listen on %s: %s\n", o->listen, err);
        rc = SL_ERR_USAGE;
    }
    if (!rc) {
        fprintf(stderr, "sluice serve: %zu job%s, at most %d runs at once, listening on port %d\n",
                s.n_jobs, s.n_jobs == 1 ? "" : "s", o->max_runs, httpd_port(h));
        for (size_t i = 0; i < s.n_jobs; i++)
            s.jobs[i].next_ms = next_due(&s.jobs[i], s.started_ms, true);
        loop(&s, h);
        fprintf(stderr, "sluice serve: stopped\n");
    }
    httpd_free(h);
    free_jobs(&s);
    return rc;
}
