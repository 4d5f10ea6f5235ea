/* cli.c: subcommands, their options and help, the progress line and the run summary.
 * validate and plan live in cli_validate.c; everything that touches the API or the database
 * is here. Exit codes are the sl_status values of engine/util/error.h. */
#include "cli.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_accounts.h"
#include "cli_gen.h"
#include "cli_opts.h"
#include "cli_rejects.h"
#include "cli_validate.h"
#include "compile.h"
#include "convert.h"
#include "diag.h"
#include "error.h"
#include "guess.h"
#include "limiter.h"
#include "plan.h"
#include "quality_report.h"
#include "report.h"
#include "runner.h"
#include "serve.h"
#include "sink.h"
#include "stop.h"
#include "suggest.h"
#include "timeutil.h"
#include "totals.h"
#include "volume.h"

/* Compiles the job (for account, or NULL); source secrets are read unless offline, target
 * secrets unless no_db. */
static sl_plan *load_plan(const char *path, const char *account, bool offline, bool no_db)
{
    sl_diag *diag = sl_diag_new(path);
    if (!diag)
        return NULL;
    sl_compile_options copts = {.resolve_secrets = !offline, .skip_target_secrets = no_db,
                                .account = account,
                                .read_personal = true};
    sl_plan *plan = sl_compile_file_opts(path, &copts, diag);
    if (!plan || sl_diag_errors(diag) > 0)
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

static int parse_time(const sl_plan *plan, const char *what, const char *s, int64_t *out)
{
    if (!sl_time_parse(s, strlen(s), plan->source.window.tz_offset_s, out)) {
        fprintf(stderr, "sluice: %s wants \"YYYY-MM-DD HH:MM:SS\", not '%s'\n", what, s);
        return SL_ERR_USAGE;
    }
    return 0;
}

static void fmt_time(const sl_plan *plan, int64_t t, char out[20])
{
    if (t == INT64_MIN)
        snprintf(out, 20, "(none)");
    else
        sl_time_format(t, plan->source.window.tz_offset_s, out);
}

/* Prints err (secrets of plan masked) and returns st. */
static int fail(const sl_plan *plan, sl_status st, const sl_error *err)
{
    char msg[sizeof err->msg];
    snprintf(msg, sizeof msg, "%s", err->msg[0] ? err->msg : sl_status_name(st));
    sl_plan_redact(plan, msg, sizeof msg);
    if (plan->account)
        fprintf(stderr, "sluice: error: account %s: %s\n", plan->account, msg);
    else
        fprintf(stderr, "sluice: error: %s\n", msg);
    return st;
}

/* Fills the runner's options from the command line; returns 0 or an exit status. */
static int run_opts(const sl_plan *plan, const cli_opts *o, sl_run_opts *ro)
{
    memset(ro, 0, sizeof *ro);
    const char *now = o->now ? o->now : getenv("SLUICE_NOW");
    ro->now = time(NULL);
    if (now && *now && parse_time(plan, o->now ? "--now" : "SLUICE_NOW", now, &ro->now))
        return SL_ERR_USAGE;
    if (o->from && plan->target.refresh.on) {
        fprintf(stderr, "sluice: job %s is a full refresh (no source.window): every run reads "
                        "everything, so --from/--to and verify do not apply\n", plan->name);
        return SL_ERR_USAGE;
    }
    if (o->force_refresh && !plan->target.refresh.on) {
        fprintf(stderr, "sluice: --force-refresh is for a full refresh; job %s has a "
                        "source.window\n", plan->name);
        return SL_ERR_USAGE;
    }
    if (!o->from != !o->to) {
        fprintf(stderr, "sluice: --from and --to go together\n");
        return SL_ERR_USAGE;
    }
    if (o->from) {
        if (parse_time(plan, "--from", o->from, &ro->range_from) ||
            parse_time(plan, "--to", o->to, &ro->range_to))
            return SL_ERR_USAGE;
        ro->has_range = true;
    }
    ro->max_windows = o->max_windows < 0 ? 0 : o->max_windows;
    ro->force_refresh = o->force_refresh;
    ro->record_dir = o->record_dir;
    ro->replay_dir = o->replay_dir;
    if (!o->quiet) {
        ro->log = stderr;
        ro->progress = isatty(STDERR_FILENO) ? stderr : NULL;
    }
    return 0;
}

/* A full refresh's line of the summary: the table's rows before and the rows read. */
static void print_refresh(const sl_run_summary *s, FILE *out)
{
    if (s->refresh_live < 0) {
        fputs("  refresh     everything (full refresh; nothing counted)\n", out);
        return;
    }
    fprintf(out, "  refresh     %" PRId64 " rows in the table, %" PRId64 " read\n",
            s->refresh_live, s->refresh_read);
}

static void print_summary(const sl_plan *plan, const char *cmd, sl_status st,
                          const sl_run_summary *s, FILE *out)
{
    char a[20], b[20], wa[20], wb[20];
    fmt_time(plan, s->range_from, a);
    fmt_time(plan, s->range_to, b);
    fmt_time(plan, s->watermark_before, wb);
    fmt_time(plan, s->watermark_after, wa);
    double rate = s->elapsed_s > 0 ? (double)(s->rows + s->child_rows) / s->elapsed_s : 0;
    fprintf(out, "sluice %s %s%s%s: %s\n", cmd, plan->name, plan->account ? " account " : "",
            plan->account ? plan->account : "", st == SL_OK ? "ok" : sl_status_name(st));
    if (plan->target.refresh.on)
        print_refresh(s, out);
    else
        fprintf(out, "  range       %s .. %s\n", a, b);
    fprintf(out, "  windows     %" PRIu64 " (%" PRIu64 " split, %" PRIu64 " re-read)\n",
            s->windows, s->splits, s->rereads);
    fprintf(out, "  requests    %" PRIu64 " (%" PRIu64 " pages, %" PRIu64 " retries, %" PRIu64
                 " throttled)\n",
            s->requests, s->pages, s->retries, s->throttles);
    fprintf(out, "  records     %" PRIu64 " received\n", s->records);
    fprintf(out, "  written     %" PRIu64 " rows, %" PRIu64 " child rows, %" PRIu64
                 " rejects, in %" PRIu64 " transactions\n",
            s->rows, s->child_rows, s->rejects, s->batches);
    if (s->db_retries)
        fprintf(out, "  database    %" PRIu64 " batches replayed after faults\n", s->db_retries);
    for (size_t i = 0; i < s->n_quality; i++) {
        char v[200];
        sl_quality_verdict(plan, s, i, v, sizeof v);
        fprintf(out, "  %-11s %s\n", i ? "" : "quality", v);
    }
    if (plan->volume.on)
        sl_volume_print(plan, &s->volume, out);
    if (!plan->target.refresh.on)
        fprintf(out, "  watermark   %s -> %s\n", wb, wa);
    fprintf(out, "  elapsed     %.1f s (%.0f rows/s)\n", s->elapsed_s, rate);
}

static void record_run_end(const sl_plan *plan, sl_sink *sink, sl_status st,
                           const sl_error *err, const sl_run_summary *s)
{
    sl_run_stats rs = {.windows = (int64_t)s->windows, .pages = (int64_t)s->pages,
                       .rows_written = (int64_t)s->rows, .rejects = (int64_t)s->rejects,
                       .retries = (int64_t)s->retries, .throttles = (int64_t)s->throttles,
                       .quality = s->quality, .n_quality = s->n_quality};
    sl_error e2 = {0};
    const int64_t *wm = s->watermark_after != INT64_MIN ? &s->watermark_after : NULL;
    /* Not the run's outcome, but never silent: the record stays "running" until the next run. */
    if (sl_sink_run_end(sink, st, st == SL_OK ? NULL : err->msg, &rs, wm, &e2) != SL_OK) {
        sl_plan_redact(plan, e2.msg, sizeof e2.msg);
        fprintf(stderr, "sluice: warning: the run record was not completed: %s\n", e2.msg);
    }
}

/* What a command that works on a job sets up first (job_load, then job_sink) and releases
 * last (job_free): the compiled plan, the runner's options and the sink. */
typedef struct cli_job {
    sl_plan *plan;
    sl_run_opts ro; /* filled when job_load was asked for it */
    sl_sink *sink;
    sl_error err;
} cli_job;

/* How a command uses its job: a dry-run reads no database secrets, and no API secrets either
 * when it replays; commands that fetch take the runner's options from the command line. */
enum { JOB_DRY = 1, JOB_FETCH = 2 };

/* Installs the stop handler and compiles o->job (j->plan NULL: the job is invalid, its problems
 * printed); then, with JOB_FETCH, reads the runner's options. Returns 0 or an exit status. */
static sl_status job_load(cli_job *j, const cli_opts *o, const char *account, unsigned how)
{
    *j = (cli_job){0};
    sl_stop_install(); /* before anything that waits: connect, lock, migrate (exit 8, not 143) */
    bool dry = how & JOB_DRY;
    j->plan = load_plan(o->job, account, dry && o->replay_dir != NULL, dry);
    if (!j->plan)
        return SL_ERR_CONFIG;
    return how & JOB_FETCH ? (sl_status)run_opts(j->plan, o, &j->ro) : SL_OK;
}

/* Opens the job's sink: the database, or with JOB_DRY one that prints the SQL on stdout. */
static sl_status job_sink(cli_job *j, unsigned how)
{
    if (how & JOB_DRY) {
        if (!(j->sink = sl_sink_print_new(j->plan, stdout)))
            return sl_error_set(&j->err, SL_ERR_INTERNAL, "out of memory");
        return SL_OK;
    }
    if (!(j->sink = sl_sink_open(j->plan, &j->err)))
        return j->err.code ? j->err.code : SL_ERR_SINK;
    return SL_OK;
}

/* Closes the sink (releasing the job's lock before a slow webhook), then reports the outcome
 * to the job's alerts and the --metrics file. */
static void job_report(cli_job *j, const char *cmd, sl_status st, const sl_run_summary *ran,
                       const char *metrics)
{
    sl_sink_free(j->sink);
    j->sink = NULL;
    char path[4096]; /* an account's metrics file: FILE with ".ACCOUNT" before its extension */
    const char *dot = metrics ? strrchr(metrics, '.') : NULL, *account = j->plan->account;
    if (metrics && account) {
        if (!dot || strchr(dot, '/'))
            dot = metrics + strlen(metrics);
        snprintf(path, sizeof path, "%.*s.%s%s", (int)(dot - metrics), metrics, account, dot);
        metrics = path;
    }
    sl_report_after(j->plan, &(sl_report){cmd, st, j->err.msg, ran, j->ro.now, NULL, NULL},
                    metrics);
}

static void job_free(cli_job *j)
{
    sl_sink_free(j->sink);
    sl_plan_free(j->plan);
}

/* The steps of `run` on a loaded job: the sink, the lock, migrate (unless no_migrate), the run
 * record, the run and its summary on stdout; *ran is set once the run itself began. */
static sl_status run_steps(cli_job *j, bool no_migrate, bool quiet, sl_run_summary *sum,
                           const sl_run_summary **ran)
{
    sl_status st = job_sink(j, 0);
    if (st || (st = sl_sink_lock(j->sink, j->plan->name, &j->err)) != SL_OK)
        return st;
    if (!no_migrate && (st = sl_sink_migrate(j->sink, false, quiet ? NULL : stderr, &j->err)))
        return st;
    sl_sink_run_begin(j->sink, j->plan->name, NULL, &(sl_error){0});
    st = sl_run(j->plan, j->sink, &j->ro, sum, &j->err);
    *ran = sum;
    record_run_end(j->plan, j->sink, st, &j->err, sum);
    print_summary(j->plan, "run", st, sum, stdout);
    return st;
}

static int run_account(const cli_opts *o, const char *account)
{
    cli_job j;
    sl_status st = job_load(&j, o, account, JOB_FETCH);
    if (!j.plan)
        return st;
    sl_run_summary sum = {0};
    const sl_run_summary *ran = NULL; /* the summary once sl_run was called */
    if (!st)
        st = run_steps(&j, o->no_migrate, o->quiet, &sum, &ran);
    if (st != SL_OK && j.err.code != SL_OK)
        fail(j.plan, st, &j.err);
    job_report(&j, "run", st, ran, o->metrics);
    job_free(&j);
    return st;
}

static int cmd_run(const cli_opts *o)
{
    if (o->jobs == 0 || o->jobs > 64)
        return sl_cli_usage_error("run", "--jobs wants 1 to 64, not %" PRId64, o->jobs);
    if (sl_limiter_pool_open() != 0) /* accounts with the same credentials share their rate */
        fprintf(stderr, "sluice run: warning: no shared memory: each account's rate is its own\n");
    return sl_cli_each_account(o, "run", true, run_account);
}

/* sl_serve_run_fn: a served job's run, in its child, as `sluice run JOB` would do it. */
static sl_status serve_run(const sl_plan *plan, sl_run_summary *sum, bool *started, sl_error *err)
{
    cli_job j = {.plan = (sl_plan *)plan, .ro = {.now = time(NULL), .log = stderr}};
    const sl_run_summary *ran = NULL;
    memset(sum, 0, sizeof *sum);
    sl_status st = run_steps(&j, false, false, sum, &ran);
    if (st != SL_OK && j.err.code != SL_OK)
        fail(j.plan, st, &j.err);
    job_report(&j, "run", st, ran, NULL);
    *started = ran != NULL;
    *err = j.err;
    return st;
}

static int cmd_serve(const cli_opts *o)
{
    if (o->max_runs == 0 || o->max_runs > 64)
        return sl_cli_usage_error("serve", "--max-runs wants 1 to 64, not %" PRId64,
                                  o->max_runs);
    sl_serve_opts so = {.listen = o->listen ? o->listen : "127.0.0.1:9187",
                        .max_runs = o->max_runs > 0 ? (int)o->max_runs : 2, .run = serve_run};
    return sl_serve(o->args, (size_t)o->n_args, &so);
}

static int dry_run_account(const cli_opts *o, const char *account)
{
    cli_job j;
    sl_status st = job_load(&j, o, account, JOB_DRY | JOB_FETCH);
    if (!j.plan)
        return st;
    sl_run_summary sum = {0};
    if (!st)
        st = job_sink(&j, JOB_DRY);
    if (!st && o->max_windows < 0)
        j.ro.max_windows = 1;
    if (!st)
        st = sl_sink_migrate(j.sink, true, stdout, &j.err);
    if (!st) {
        st = sl_run(j.plan, j.sink, &j.ro, &sum, &j.err);
        print_summary(j.plan, "dry-run", st, &sum, stderr);
    }
    if (st != SL_OK && j.err.code != SL_OK)
        fail(j.plan, st, &j.err);
    job_free(&j);
    return st;
}

static int cmd_dry_run(const cli_opts *o)
{
    return sl_cli_each_account(o, "dry-run", false, dry_run_account);
}

static int cmd_migrate(const cli_opts *o)
{
    cli_job j;
    sl_status st = job_load(&j, o, NULL, 0);
    if (!j.plan)
        return st;
    if (!(st = job_sink(&j, 0)))
        st = sl_sink_migrate(j.sink, o->dry_run, stdout, &j.err);
    if (st != SL_OK)
        fail(j.plan, st, &j.err);
    job_free(&j);
    return st;
}

/* state show|reset: the watermark, after a reset when asked. */
static sl_status state_do(cli_job *j, const char *action, const char *to_text, int64_t to)
{
    int64_t wm = INT64_MIN;
    bool found = false;
    const char *job = j->plan->name;
    sl_status st = SL_OK;
    if (j->plan->target.refresh.on) { /* every run reads everything: nothing to show or set */
        if (!strcmp(action, "reset"))
            return sl_error_set(&j->err, SL_ERR_USAGE, "job %s is a full refresh: it has no "
                                "watermark to reset", job);
        printf("job %s: no watermark (a full refresh reads everything each run)\n", job);
        return SL_OK;
    }
    if (!strcmp(action, "reset"))
        st = to_text ? sl_sink_state_set(j->sink, job, to, &j->err)
                     : sl_sink_state_reset(j->sink, job, &j->err);
    if (st == SL_OK)
        st = sl_sink_state_get(j->sink, job, &wm, &found, &j->err);
    if (st == SL_OK) {
        char t[20];
        fmt_time(j->plan, found ? wm : INT64_MIN, t);
        printf("job %s%s%s: watermark %s%s\n", job, j->plan->account ? " account " : "",
               j->plan->account ? j->plan->account : "", t,
               found ? "" : " (the next run starts at window.start)");
    }
    return st;
}

static int state_account(const cli_opts *o, const char *account)
{
    cli_job j;
    sl_status st = job_load(&j, o, account, 0);
    if (!j.plan)
        return st;
    int64_t to = 0;
    if (o->to && parse_time(j.plan, "--to", o->to, &to)) {
        job_free(&j);
        return SL_ERR_USAGE;
    }
    if (!(st = job_sink(&j, 0)))
        st = state_do(&j, o->args[0], o->to, to);
    if (st != SL_OK)
        fail(j.plan, st, &j.err);
    job_free(&j);
    return st;
}

static int cmd_state(const cli_opts *o)
{
    const char *action = o->args[0];
    if (strcmp(action, "show") && strcmp(action, "reset"))
        return sl_cli_usage_error("state", "wants show or reset, not '%s'", action);
    if (o->to && strcmp(action, "reset"))
        return sl_cli_usage_error("state", "--to goes with reset, not %s", action);
    return sl_cli_each_account(o, "state", true, state_account);
}

/* The table's distinct keys in one window, counted as the window column holds its values
 * (DATETIME text, epoch seconds or ms, the API's own text: sl_conv_window_ranges). */
static sl_status count_window(const sl_plan *plan, sl_sink *sink, const sl_total *w,
                              int64_t *count, sl_error *err)
{
    int col = plan->target.window_column;
    sl_conv_range r[2];
    int n = sl_conv_window_ranges(plan->table.cols[col].conv, &plan->source.window, w->from,
                                  w->to, r);
    if (n < 0)
        return sl_error_set(err, SL_ERR_INTERNAL, "verify: a window bound does not fit");
    *count = 0;
    for (int k = 0; k < n; k++) {
        int64_t c = 0;
        sl_status st = sl_sink_count_keys(sink, &plan->table, col, r[k].lo, r[k].hi, &c, err);
        if (st != SL_OK)
            return st;
        *count += c;
    }
    return SL_OK;
}

/* verify: the API's total per window (totals.h), then the table's distinct keys per window. */
static sl_status compare_totals(const sl_plan *plan, sl_sink *sink, const sl_totals *l,
                                sl_error *err)
{
    size_t gaps = 0;
    for (size_t i = 0; i < l->n; i++) {
        char a[20], b[20];
        int64_t count = 0;
        sl_time_format(l->items[i].from, plan->source.window.tz_offset_s, a);
        sl_time_format(l->items[i].to, plan->source.window.tz_offset_s, b);
        sl_status st = count_window(plan, sink, &l->items[i], &count, err);
        if (st != SL_OK)
            return st;
        if (count < l->items[i].total) {
            if (!gaps++)
                printf("%-21s %-21s %10s %10s %10s\n", "from", "to", "api", "table", "missing");
            printf("%-21s %-21s %10" PRId64 " %10" PRId64 " %10" PRId64 "\n", a, b,
                   l->items[i].total, count, l->items[i].total - count);
        }
    }
    printf("verify %s: %zu windows, %zu with gaps\n", plan->name, l->n, gaps);
    return gaps ? SL_ERR_FOUND : SL_OK;
}

/* Asks the API for each window's total, then compares them with the table. */
static sl_status verify_windows(const sl_plan *plan, sl_sink *sink, sl_run_opts *ro,
                                sl_run_summary *sum, sl_error *err)
{
    sl_totals l = {0};
    ro->on_total = sl_totals_add;
    ro->on_total_ctx = &l;
    ro->progress = NULL;
    sl_status st = sl_run(plan, sink, ro, sum, err);
    if (!st)
        st = sl_totals_check(&l, err);
    if (!st)
        st = compare_totals(plan, sink, &l, err);
    sl_totals_free(&l);
    return st;
}

static int verify_account(const cli_opts *o, const char *account)
{
    cli_job j;
    sl_status st = job_load(&j, o, account, JOB_FETCH);
    if (!j.plan)
        return st;
    sl_run_summary sum;
    const sl_run_summary *ran = NULL; /* the summary once sl_run was called */
    if (!st && j.plan->target.window_column < 0)
        st = sl_error_set(&j.err, SL_ERR_CONFIG, "verify needs target.window_column in %s",
                          o->job);
    if (!st)
        st = job_sink(&j, 0);
    if (!st) {
        st = verify_windows(j.plan, j.sink, &j.ro, &sum, &j.err);
        ran = &sum;
    }
    if (st != SL_OK && st != SL_ERR_FOUND)
        fail(j.plan, st, &j.err);
    job_report(&j, "verify", st, ran, o->metrics);
    job_free(&j);
    return st;
}

static int cmd_verify(const cli_opts *o)
{
    if (!o->from || !o->to)
        return sl_cli_usage_error("verify", "wants --from and --to");
    return sl_cli_each_account(o, "verify", false, verify_account);
}

#define RANGE_OPTS (CLI_OPT(CLI_NOW) | CLI_OPT(CLI_FROM) | CLI_OPT(CLI_TO))
#define FETCH_OPTS \
    (RANGE_OPTS | CLI_OPT(CLI_MAX_WINDOWS) | CLI_OPT(CLI_RECORD) | CLI_OPT(CLI_REPLAY) | \
     CLI_OPT(CLI_QUIET) | CLI_OPT(CLI_ACCOUNT))

/* The commands, in the order `sluice --help` lists them. A new command is a function and a row
 * here; its help lists the options its row takes, and the parser refuses the others. */
static const cli_cmd cmds[] = {
    {"validate", sl_cmd_validate, "JOB.yml...", 0, -1,
     CLI_OPT(CLI_STRICT) | CLI_OPT(CLI_PRINT_SCHEMA) | CLI_OPT(CLI_PRINT_REFERENCE),
     "check job files (no secrets needed); exit 3 on errors",
     "Checks job files and prints every problem as file:line:col with the source line.\n"
     "References ${env:NAME} and ${file:PATH} are checked for syntax only, so validate works\n"
     "where secrets are absent (pre-commit hooks). --print-schema and --print-reference need\n"
     "no job file. Exit status: 0 all valid, 2 bad usage, 3 a job is invalid.\n"},
    {"plan", sl_cmd_plan, "JOB.yml", 1, 1, CLI_OPT(CLI_STRICT) | CLI_OPT(CLI_FORMAT),
     "print the compiled plan, as text or a diagram",
     "Compiles a job and prints its plan: source, windows, paging, error rules, target and\n"
     "every column with its SQL type and converter. --format mermaid or dot draws it as a\n"
     "diagram (docs/diagrams.md). Secret values are never printed, only where they come\n"
     "from. Exit status: 0 printed, 2 bad usage, 3 the job is invalid.\n"},
    {"dry-run", cmd_dry_run, "JOB.yml", 1, 1, FETCH_OPTS,
     "print the DDL and the SQL a run would send; write nothing",
     "Runs the pipeline against the API (or --replay DIR) with a sink that prints the DDL and\n"
     "every SQL statement it would run, values included, and writes nothing. Long batches are\n"
     "abbreviated (see docs/dry-run.md). Starts at window.start unless --from is given and,\n"
     "unless --max-windows says otherwise, stops after the first window. With --replay it\n"
     "needs no secrets at all.\n"},
    {"migrate", cmd_migrate, "JOB.yml", 1, 1, CLI_OPT(CLI_DRY_RUN),
     "create or alter the tables (--dry-run: print only)",
     "Creates missing tables, adds new columns, renames columns declared with rename_from.\n"
     "Never drops anything; a changed type is reported, not applied.\n"},
    {"run", cmd_run, "JOB.yml", 1, 1,
     FETCH_OPTS | CLI_OPT(CLI_NO_MIGRATE) | CLI_OPT(CLI_METRICS) | CLI_OPT(CLI_FORCE_REFRESH) |
         CLI_OPT(CLI_JOBS),
     "sync from the watermark to now - lag",
     "Syncs windows from the job's watermark (or window.start) to now - lag, then moves the\n"
     "watermark. Creates or extends the tables first (like migrate) unless --no-migrate.\n"
     "With --from T --to T it syncs only that range and leaves the watermark alone (a\n"
     "backfill). The job's `alerts` section POSTs the outcome to a webhook (WeCom, DingTalk\n"
     "or JSON); a failing webhook or metrics file is a warning, never the run's exit status.\n"
     "A job without source.window is a full refresh: every run reads everything into shadow\n"
     "tables and swaps them in at once, unless the read is empty or far smaller than the\n"
     "table (exit 9, table unchanged; --force-refresh accepts it).\n"
     "A job with accounts runs each account in turn (--account ID: that one), each with its\n"
     "own watermark, lock and run record; a failing account does not stop the others, and the\n"
     "exit status is the first failed account's (docs/accounts.md). --jobs N runs up to N\n"
     "accounts at once, each in a process of its own; accounts with the same credentials\n"
     "share one rate limit (docs/serve.md, \"Shared quotas\").\n"},
    {"state", cmd_state, "show|reset JOB.yml", 2, 2, CLI_OPT(CLI_TO) | CLI_OPT(CLI_ACCOUNT),
     "show or reset the job's watermark",
     "show prints the job's watermark. reset deletes it (the next run starts at\n"
     "window.start) or, with --to T, sets it to T. A full refresh has no watermark: show\n"
     "says so, reset exits 2. A job with accounts: every account's watermark, or --account\n"
     "ID's.\n"},
    {"verify", cmd_verify, "JOB.yml --from T --to T", 1, 1,
     RANGE_OPTS | CLI_OPT(CLI_METRICS) | CLI_OPT(CLI_QUIET) | CLI_OPT(CLI_ACCOUNT),
     "compare the API's totals with the table",
     "Asks the API for the total of each window in [from, to] and compares it with the distinct\n"
     "keys in the table whose target.window_column lies in the window. Prints the windows with\n"
     "gaps; exits 1 if there is any. --metrics and the job's alerts work as for run.\n"},
    {"rejects", sl_cmd_rejects, "list|show|replay JOB.yml [ID...]", 2, 2 + 1000,
     CLI_OPT(CLI_RULE) | CLI_OPT(CLI_REASON) | CLI_OPT(CLI_DRY_RUN) | CLI_OPT(CLI_QUIET),
     "review the stored rejects; replay them with the current mapping",
     "list prints the job's stored rejects as tab-separated lines (id, created_at UTC, rule,\n"
     "key, reason); show ID prints one in full, its record as stored. replay converts the\n"
     "selected records again with the job's current mapping and rules, target.batch_rows per\n"
     "transaction: the rows of those that now pass are written and their rejects deleted in\n"
     "that same transaction; those that still fail keep their id with the new reason. IDs,\n"
     "--rule and --reason select (all of them by default); --dry-run prints each verdict and\n"
     "changes nothing. replay takes the job's run lock and creates or extends the tables\n"
     "first. Exit status: 0 done (replay: every selected record written), 1 records still\n"
     "fail (or show found no such id), 2 bad usage, 3 the job is invalid, 5 database, 7\n"
     "another run holds the lock, 8 interrupted (settled chunks stay settled).\n"},
    {"serve", cmd_serve, "JOB.yml...", 1, SL_SERVE_MAX_JOBS,
     CLI_OPT(CLI_LISTEN) | CLI_OPT(CLI_MAX_RUNS),
     "run jobs on their schedules; serve /metrics, /healthz and a status page",
     "A long-running service (docs/serve.md): runs each job by its `schedule` section, every\n"
     "run in a child process doing what `sluice run` does (the same lock, state, run records\n"
     "and alerts), at most --max-runs at once. SIGHUP reads every job file again: one that no\n"
     "longer compiles keeps its previous plan, with an error logged and an alert. SIGTERM or\n"
     "SIGINT interrupts the running runs (their watermarks stay consistent) and exits 0. An\n"
     "HTTP listener on --listen answers /metrics (Prometheus), /healthz and / (a status\n"
     "page). A job with accounts is served as one job per account. Exit status: 0 stopped\n"
     "by a signal, 2 bad usage or address, 3 a job file does not compile or has no schedule.\n"},
    {"guess", sl_cmd_guess, "[REPLY.json]", 0, 1, CLI_OPT(CLI_REPLAY),
     "print a job skeleton guessed from API replies",
     "Reads the replies recorded by `run --record DIR` (--replay DIR) or one sample reply and\n"
     "prints a job file: the records path (the list of objects the replies hold), the paging\n"
     "total, the windows and page size of a recording, one column per leaf field with its type\n"
     "(int, bigint, decimal(p,s), datetime from epoch ms/s or text, varchar(n), bool, json:\n"
     "one every value seen converts to) and sample values, child tables for lists of objects\n"
     "and FILL-IN placeholders for what replies cannot show (endpoint, signer, parameters).\n"
     "The output passes `sluice validate`. Exit status: 0 printed, 2 bad usage, 3 a reply\n"
     "can't be read, is no JSON or holds no list of objects.\n"},
};

#define N_CMDS (sizeof cmds / sizeof cmds[0])

static const cli_cmd *find_cmd(const char *name)
{
    for (size_t i = 0; i < N_CMDS; i++)
        if (!strcmp(name, cmds[i].name))
            return &cmds[i];
    return NULL;
}

static int unknown_cmd(const char *name)
{
    const char *names[N_CMDS];
    for (size_t i = 0; i < N_CMDS; i++)
        names[i] = cmds[i].name;
    const char *guess = sl_did_you_mean(name, names, N_CMDS);
    if (guess)
        return sl_cli_usage_error(NULL, "unknown command '%s' (did you mean '%s'?)", name, guess);
    return sl_cli_usage_error(NULL, "unknown command '%s'", name);
}

/* sluice help [COMMAND]: the usage, or one command's help, on stdout. */
static int help_cmd(int argc, char **argv)
{
    if (argc < 3) {
        sl_cli_usage(cmds, N_CMDS, stdout);
        return SL_OK;
    }
    const cli_cmd *cmd = find_cmd(argv[2]);
    if (!cmd)
        return unknown_cmd(argv[2]);
    sl_cli_help(cmd, stdout);
    return SL_OK;
}

int sl_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        sl_cli_usage(cmds, N_CMDS, stderr);
        return SL_ERR_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help"))
        return help_cmd(argc, argv);
    if (!strcmp(name, "gen")) /* hidden: the man pages and completions (cli_gen.h) */
        return sl_cli_gen(argc > 2 ? argv[2] : NULL, cmds, N_CMDS, stdout);
    if (!strcmp(name, "--version")) {
        puts("sluice " SLUICE_VERSION);
        return SL_OK;
    }
    const cli_cmd *cmd = find_cmd(name);
    if (!cmd)
        return unknown_cmd(name);
    cli_opts o;
    bool help;
    int rc = sl_cli_parse(cmd, argc - 1, argv + 1, &o, &help);
    if (rc)
        return rc;
    if (help) {
        sl_cli_help(cmd, stdout);
        return SL_OK;
    }
    return cmd->fn(&o);
}
