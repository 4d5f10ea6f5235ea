/* serve_child.c: one run in a forked child, so a crash or a leak in a run cannot take the
 * service down. The child keeps the service's compiled plan (a copy-on-write page of the
 * parent's), closes every descriptor the service holds, gets its own stop pipe (a SIGTERM to
 * it stops only its run, through the engine's interrupt path), runs the job through the
 * command line's run callback and writes an sv_result into its pipe before it exits. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "quality_report.h"
#include "report.h"
#include "serve_int.h"
#include "stop.h"
#include "volume.h"

static void write_all(int fd, const void *data, size_t len)
{
    const char *p = data;
    while (len) {
        ssize_t put = write(fd, p, len);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return;
        p += put;
        len -= (size_t)put;
    }
}

/* The child: never returns. */
static void child_main(const sv_service *s, const sv_job *j, int fd)
{
    if (fd > 3)
        close_range(3, (unsigned)fd - 1, 0);
    close_range((unsigned)fd + 1, ~0U, 0);
    signal(SIGHUP, SIG_DFL);
    signal(SIGCHLD, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    sl_stop_fork_child();
    static sv_result r; /* large: not on the stack */
    sl_error err = {0};
    r.status = s->opts->run(j->plan, &r.sum, &r.started, &err);
    snprintf(r.message, sizeof r.message, "%s", err.msg);
    sl_plan_redact(j->plan, r.message, sizeof r.message);
    if (r.started) {
        sl_quality_failures(j->plan, &r.sum, r.quality, sizeof r.quality);
        sl_volume_failures(j->plan, &r.sum.volume, r.volume, sizeof r.volume);
        sl_plan_redact(j->plan, r.quality, sizeof r.quality);
        sl_plan_redact(j->plan, r.volume, sizeof r.volume);
    }
    fflush(stdout);
    fflush(stderr);
    write_all(fd, &r, sizeof r);
    _exit(r.status & 0x7f);
}

int sv_child_start(sv_service *s, sv_job *j)
{
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
        fprintf(stderr, "sluice serve: %s: can't start a run: %s\n", j->who,
                strerror(errno));
        return -1;
    }
    fflush(stdout); /* or the child would print what the parent had buffered */
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        child_main(s, j, p[1]);
    }
    close(p[1]);
    if (pid < 0) {
        fprintf(stderr, "sluice serve: %s: can't start a run: %s\n", j->who,
                strerror(errno));
        close(p[0]);
        return -1;
    }
    j->pid = pid;
    j->fd = p[0];
    j->started_ms = sv_now_ms();
    j->run_rules_gen = j->rules_gen;
    s->running++;
    return 0;
}

/* Reads the child's result (the child has exited: the pipe holds all it wrote); false when it
 * wrote none. */
static bool read_result(int fd, sv_result *r)
{
    size_t got = 0;
    while (got < sizeof *r) {
        ssize_t n = read(fd, (char *)r + got, sizeof *r - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    return got == sizeof *r;
}

/* Folds a finished run into its job's counters and last-run fields. */
static void fold(sv_job *j, const sv_result *r, int outcome)
{
    const sl_run_summary *m = &r->sum;
    j->runs[outcome]++;
    j->ran = true;
    j->last_status = outcome;
    j->last_end_ms = sv_now_ms();
    j->last_elapsed_s = (double)(j->last_end_ms - j->started_ms) / 1000.0;
    j->last_rows = r->started ? m->rows : 0;
    j->last_rejects = r->started ? m->rejects : 0;
    snprintf(j->last_message, sizeof j->last_message, "%s", r->message);
    snprintf(j->last_quality, sizeof j->last_quality, "%s", r->quality);
    snprintf(j->last_volume, sizeof j->last_volume, "%s", r->volume);
    if (outcome == SL_OK)
        j->last_success = j->last_end_ms / 1000;
    if (!r->started)
        return;
    j->rows += m->rows;
    j->child_rows += m->child_rows;
    j->rejects += m->rejects;
    j->requests += m->requests;
    j->retries += m->retries;
    j->throttles += m->throttles;
    for (size_t b = 0; b <= SL_N_LATENCY_BOUNDS; b++)
        j->latency[b] += m->latency[b];
    j->latency_sum += m->latency_sum_s;
    for (size_t q = 0; j->run_rules_gen == j->rules_gen && q < m->n_quality &&
                       q < j->plan->n_quality; q++) {
        j->dq_checked[q] += m->quality[q].checked;
        j->dq_failed[q] += m->quality[q].failed;
    }
    if (m->watermark_after != INT64_MIN)
        j->watermark = m->watermark_after;
    else if (m->watermark_before != INT64_MIN)
        j->watermark = m->watermark_before;
}

static void ended(sv_job *j, int wstatus)
{
    static sv_result r;
    memset(&r, 0, sizeof r);
    bool told = read_result(j->fd, &r);
    close(j->fd);
    j->fd = -1;
    j->pid = 0;
    int outcome = told && WIFEXITED(wstatus) ? r.status : SV_CRASHED;
    if (outcome == SV_CRASHED) {
        memset(&r, 0, sizeof r);
        if (WIFSIGNALED(wstatus))
            snprintf(r.message, sizeof r.message, "the run's process died of signal %d (%s)",
                     WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
        else
            snprintf(r.message, sizeof r.message, "the run's process exited %d without a result",
                     WEXITSTATUS(wstatus));
    }
    if (outcome < 0 || outcome >= SV_N_OUTCOMES)
        outcome = SL_ERR_INTERNAL;
    fold(j, &r, outcome);
    fprintf(stderr, "sluice serve: %s: run ended: %s, %" PRIu64 " rows, %" PRIu64
                    " rejects in %.1f s%s%s\n",
            j->who, sv_outcome_name(outcome), j->last_rows, j->last_rejects,
            j->last_elapsed_s, r.message[0] ? ": " : "", r.message);
}

void sv_child_reap(sv_service *s)
{
    int wstatus;
    pid_t pid;
    while ((pid = waitpid(-1, &wstatus, WNOHANG)) > 0) {
        size_t i = 0;
        while (i < s->n_jobs && s->jobs[i].pid != pid)
            i++;
        if (i < s->n_jobs) {
            ended(&s->jobs[i], wstatus);
            s->running--;
        } else if (s->alerting > 0) {
            s->alerting--; /* an alert's child */
        }
    }
}

void sv_alert_start(sv_service *s, const sv_job *j, const char *event, const char *message)
{
    if (!j->plan->alerts)
        return;
    if (s->alerting >= SV_MAX_ALERTING) {
        fprintf(stderr, "sluice serve: %s: warning: alert not sent: %d alerts are still being "
                        "sent\n", j->who, s->alerting);
        return;
    }
    sl_report r = {.command = "serve", .status = SL_ERR_CONFIG, .message = message,
                   .now = sv_now_ms() / 1000, .event = event};
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) { /* the child: sends it, within alerts.timeout, and exits */
        close_range(3, ~0U, 0);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        signal(SIGCHLD, SIG_DFL);
        sl_alert_event(j->plan, &r, stderr);
        fflush(stderr);
        _exit(0);
    }
    if (pid < 0)
        fprintf(stderr, "sluice serve: %s: warning: alert not sent: can't fork: %s\n", j->who,
                strerror(errno));
    else
        s->alerting++;
}
