/* cli_accounts.c: see cli_accounts.h. The job is compiled once without reading any secret to
 * learn its accounts; each account's own plan (its secrets read) is the command's business. */
#include "cli_accounts.h"

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "error.h"
#include "plan.h"
#include "stop.h"

/* The plan of the whole job, no reference read; NULL when the job is invalid (printed). */
static sl_plan *job_accounts(const char *path)
{
    sl_diag *diag = sl_diag_new(path);
    if (!diag)
        return NULL;
    sl_compile_options copts = {.resolve_secrets = false};
    sl_plan *plan = sl_compile_file_opts(path, &copts, diag);
    if (!plan)
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

static int pick(const sl_plan *plan, const cli_opts *o, const char *cmd)
{
    if (!plan->n_accounts) {
        fprintf(stderr, "sluice %s: --account: job %s has no accounts\n", cmd, plan->name);
        return -1;
    }
    for (size_t i = 0; i < plan->n_accounts; i++)
        if (!strcmp(plan->accounts[i].id, o->account))
            return (int)i;
    fprintf(stderr, "sluice %s: --account: job %s has no account '%s'\n", cmd, plan->name,
            o->account);
    return -1;
}

/* The closing line of a run over several accounts. */
static void tell(const sl_plan *plan, const char *cmd, const int *rc, size_t n)
{
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += rc[i] != 0;
    printf("sluice %s %s: %zu accounts, %zu ok, %zu failed", cmd, plan->name, n, n - failed,
           failed);
    for (size_t i = 0, k = 0; i < n; i++)
        if (rc[i])
            printf("%s%s: exit %d", k++ ? ", " : " (", plan->accounts[i].id, rc[i]);
    puts(failed ? ")" : "");
}

enum { MAX_WORKERS = 64 };

typedef struct workers {
    pid_t pid[MAX_WORKERS];
    size_t account[MAX_WORKERS]; /* index into rc of each worker's account */
    int n;
} workers;

/* Starts fn for account i in a process of its own (its own process group: a stop reaches it
 * once, from the parent). Returns 0, or -1 when fork fails (rc[i] set). */
static int start_worker(workers *w, const cli_opts *o, const char *id, cli_account_fn fn,
                        size_t i, int *rc)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "sluice run: account %s: can't start a process\n", id);
        rc[i] = SL_ERR_INTERNAL;
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        sl_stop_fork_child();
        int status = fn(o, id);
        fflush(NULL);
        _exit(status);
    }
    w->pid[w->n] = pid;
    w->account[w->n++] = i;
    return 0;
}

/* Collects the workers that ended into rc (a worker killed by a signal: internal error). */
static void reap(workers *w, const sl_plan *plan, size_t from, int *rc)
{
    for (int k = 0; k < w->n;) {
        int status;
        if (waitpid(w->pid[k], &status, WNOHANG) != w->pid[k]) {
            k++;
            continue;
        }
        size_t i = w->account[k];
        rc[i] = WIFEXITED(status) ? WEXITSTATUS(status) : SL_ERR_INTERNAL;
        if (WIFSIGNALED(status))
            fprintf(stderr, "sluice run: account %s: killed by signal %d\n",
                    plan->accounts[from + i].id, WTERMSIG(status));
        w->pid[k] = w->pid[--w->n];
        w->account[k] = w->account[w->n];
    }
}

/* The accounts [from, to) by up to jobs workers at once; returns how many started (a stop
 * starts no more and is passed on to the running ones once). */
static size_t run_parallel(const sl_plan *plan, const cli_opts *o, cli_account_fn fn,
                           size_t from, size_t to, int *rc)
{
    workers w = {.n = 0};
    size_t next = from;
    bool told = false;
    sl_stop_install();
    while (w.n || (next < to && !sl_stop_requested())) {
        reap(&w, plan, from, rc);
        if (sl_stop_requested() && !told) {
            told = true;
            for (int k = 0; k < w.n; k++)
                kill(w.pid[k], SIGTERM);
        }
        if (!sl_stop_requested() && next < to && w.n < o->jobs) {
            start_worker(&w, o, plan->accounts[next].id, fn, next - from, rc);
            next++;
            continue;
        }
        struct pollfd p = {.fd = sl_stop_fd(), .events = POLLIN};
        poll(&p, told || p.fd < 0 ? 0 : 1, 50);
    }
    return next - from;
}

int sl_cli_each_account(const cli_opts *o, const char *cmd, bool all, cli_account_fn fn)
{
    sl_plan *plan = job_accounts(o->job);
    if (!plan)
        return SL_ERR_CONFIG;
    int one = o->account ? pick(plan, o, cmd) : 0, result = SL_OK;
    if (one < 0 || !plan->n_accounts) {
        sl_plan_free(plan);
        return one < 0 ? SL_ERR_USAGE : fn(o, NULL);
    }
    size_t from = (size_t)one, to = o->account || !all ? from + 1 : plan->n_accounts;
    int *rc = calloc(to - from, sizeof *rc);
    if (!rc) {
        sl_plan_free(plan);
        return SL_ERR_INTERNAL;
    }
    bool parallel = o->jobs > 1 && to - from > 1;
    if (parallel)
        to = from + run_parallel(plan, o, fn, from, to, rc);
    for (size_t i = from; i < to && parallel; i++)
        if (rc[i - from] && result == SL_OK)
            result = rc[i - from];
    for (size_t i = from; i < to && !parallel; i++) {
        rc[i - from] = fn(o, plan->accounts[i].id);
        if (rc[i - from] && result == SL_OK)
            result = rc[i - from];
        fflush(stdout);
        if (rc[i - from] == SL_ERR_INTERRUPTED) { /* the rest do not start */
            to = i + 1;
            break;
        }
    }
    if (to - from > 1)
        tell(plan, cmd, rc, to - from);
    free(rc);
    sl_plan_free(plan);
    return result;
}
