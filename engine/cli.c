/* cli.c: subcommands, their options and help, the progress line and the run summary.
 * validate and plan live in cli_validate.c; everything that touches the API or the database
 * is here. Exit codes are the sl_status values of engine/error.h. */
#include "cli.h"

#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_validate.h"
#include "compile.h"
#include "diag.h"
#include "error.h"
#include "plan.h"
#include "report.h"
#include "runner.h"
#include "sink.h"
#include "timeutil.h"

#define SLUICE_VERSION "0.1.0"

typedef struct cli_opts {
    const char *job;
    const char *now;
    const char *from;
    const char *to;
    const char *record_dir;
    const char *replay_dir;
    const char *metrics;
    int64_t max_windows;
    bool max_windows_set;
    bool dry_run;
    bool quiet;
    bool no_migrate;
} cli_opts;

static const char *usage_text =
    "usage: sluice <command> JOB.yml [options]\n"
    "\n"
    "commands:\n"
    "  validate JOB.yml...   check job files (no secrets needed); exit 3 on errors\n"
    "  plan JOB.yml          print the compiled plan\n"
    "  dry-run JOB.yml       print the DDL and the SQL a run would send; write nothing\n"
    "  migrate JOB.yml       create or alter the tables (--dry-run: print only)\n"
    "  run JOB.yml           sync from the watermark to now - lag\n"
    "  state show|reset JOB.yml   show or reset the job's watermark\n"
    "  verify JOB.yml --from T --to T   compare the API's totals with the table\n"
    "\n"
    "`sluice <command> --help` tells more. Exit codes: 0 ok, 1 verify found gaps, 2 usage,\n"
    "3 job file, 4 API, 5 database, 6 too many rejects, 7 another run holds the lock,\n"
    "8 interrupted, 70 internal error.\n";

static const char *run_help =
    "usage: sluice run JOB.yml [options]\n"
    "Syncs windows from the job's watermark (or window.start) to now - lag, then moves the\n"
    "watermark. Creates or extends the tables first (like migrate) unless --no-migrate.\n"
    "  --now \"YYYY-MM-DD HH:MM:SS\"  the engine's clock, in the job's timezone (or SLUICE_NOW)\n"
    "  --from T --to T              sync only [T, T]; the watermark is left alone (backfill)\n"
    "  --max-windows N              stop after N windows\n"
    "  --record DIR                 save every good API reply into DIR\n"
    "  --replay DIR                 answer requests from replies saved by --record\n"
    "  --no-migrate                 don't touch the tables' definitions\n"
    "  --metrics FILE               write the run's metrics (Prometheus text) to FILE\n"
    "  --quiet                      no progress line and no event log on stderr\n"
    "The job's `alerts` section POSTs the outcome to a webhook (WeCom, DingTalk or JSON);\n"
    "a failing webhook or metrics file is a warning, never the run's exit status.\n";

static const char *dry_run_help =
    "usage: sluice dry-run JOB.yml [options]\n"
    "Runs the pipeline against the API (or --replay DIR) with a sink that prints the DDL and\n"
    "every SQL statement it would run, values included, and writes nothing. Long batches are\n"
    "abbreviated (see docs/dry-run.md). Starts at window.start unless --from is given and,\n"
    "unless --max-windows says otherwise, stops after the first window.\n"
    "  --now T, --from T --to T, --max-windows N (0 = all), --replay DIR, --quiet\n";

static const char *migrate_help =
    "usage: sluice migrate JOB.yml [--dry-run]\n"
    "Creates missing tables, adds new columns, renames columns declared with rename_from.\n"
    "Never drops anything; a changed type is reported, not applied. --dry-run prints only.\n";

static const char *state_help =
    "usage: sluice state show JOB.yml\n"
    "       sluice state reset JOB.yml [--to \"YYYY-MM-DD HH:MM:SS\"]\n"
    "show prints the watermark; reset deletes it (the next run starts at window.start) or,\n"
    "with --to, sets it.\n";

static const char *verify_help =
    "usage: sluice verify JOB.yml --from T --to T [--now T] [--metrics FILE]\n"
    "Asks the API for the total of each window in [from, to] and compares it with the distinct\n"
    "keys in the table whose target.window_column lies in the window. Prints the windows with\n"
    "gaps; exits 1 if there is any. --metrics and the job's alerts work as for run.\n";

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "sluice: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'sluice --help'.\n");
    return SL_ERR_USAGE;
}

/* Parses the options shared by the commands; returns 0, or an exit status. */
static int parse_opts(int argc, char **argv, const char *help, cli_opts *o)
{
    static const struct option longopts[] = {
        {"help", no_argument, 0, 'h'},         {"now", required_argument, 0, 'n'},
        {"from", required_argument, 0, 'f'},   {"to", required_argument, 0, 't'},
        {"record", required_argument, 0, 'r'}, {"replay", required_argument, 0, 'p'},
        {"max-windows", required_argument, 0, 'w'}, {"dry-run", no_argument, 0, 'd'},
        {"quiet", no_argument, 0, 'q'},        {"no-migrate", no_argument, 0, 'm'},
        {"metrics", required_argument, 0, 'M'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': fputs(help, stdout); return -1;
        case 'n': o->now = optarg; break;
        case 'f': o->from = optarg; break;
        case 't': o->to = optarg; break;
        case 'r': o->record_dir = optarg; break;
        case 'p': o->replay_dir = optarg; break;
        case 'd': o->dry_run = true; break;
        case 'q': o->quiet = true; break;
        case 'm': o->no_migrate = true; break;
        case 'M': o->metrics = optarg; break;
        case 'w': {
            char *end;
            o->max_windows = strtoll(optarg, &end, 10);
            if (*end || o->max_windows < 0)
                return usage_error("--max-windows wants a count, not '%s'", optarg);
            o->max_windows_set = true;
            break;
        }
        default: fputs(help, stderr); return SL_ERR_USAGE;
        }
    }
    if (optind != argc - 1)
        return usage_error("%s", optind >= argc ? "which job file?" : "one job file at a time");
    o->job = argv[optind];
    return 0;
}

/* Compiles the job; source secrets are read unless offline, target secrets unless no_db. */
static sl_plan *load_plan(const char *path, bool offline, bool no_db)
{
    sl_diag *diag = sl_diag_new(path);
    if (!diag)
        return NULL;
    sl_compile_options copts = {.resolve_secrets = !offline, .skip_target_secrets = no_db};
    sl_plan *plan = sl_compile_file_opts(path, &copts, diag);
    if (!plan || sl_diag_errors(diag) > 0)
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

/* Parses the command line and compiles the job. Returns 0 with *plan set, or the exit status
 * to return (0 after --help). A dry-run (no_db) reads no database secrets, and no API secrets
 * either when it replays recorded replies. */
static int open_job(int argc, char **argv, const char *help, cli_opts *o, bool no_db,
                    sl_plan **plan)
{
    int rc = parse_opts(argc, argv, help, o);
    if (rc)
        return rc < 0 ? 0 : rc;
    *plan = load_plan(o->job, no_db && o->replay_dir != NULL, no_db);
    return *plan ? 0 : SL_ERR_CONFIG;
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
    ro->max_windows = o->max_windows;
    ro->record_dir = o->record_dir;
    ro->replay_dir = o->replay_dir;
    if (!o->quiet) {
        ro->log = stderr;
        ro->progress = isatty(STDERR_FILENO) ? stderr : NULL;
    }
    return 0;
}

static void on_signal(int sig)
{
    (void)sig;
    sl_run_interrupt();
}

static void catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
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
    fprintf(out, "sluice %s %s: %s\n", cmd, plan->name, st == SL_OK ? "ok" : sl_status_name(st));
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
    fprintf(out, "  watermark   %s -> %s\n", wb, wa);
    fprintf(out, "  elapsed     %.1f s (%.0f rows/s)\n", s->elapsed_s, rate);
}

static void record_run_end(sl_sink *sink, sl_status st, const sl_error *err,
                           const sl_run_summary *s)
{
    sl_run_stats rs = {.windows = (int64_t)s->windows, .pages = (int64_t)s->pages,
                       .rows_written = (int64_t)s->rows, .rejects = (int64_t)s->rejects,
                       .retries = (int64_t)s->retries, .throttles = (int64_t)s->throttles};
    sl_error e2 = {0};
    const int64_t *wm = s->watermark_after != INT64_MIN ? &s->watermark_after : NULL;
    sl_sink_run_end(sink, st, st == SL_OK ? NULL : err->msg, &rs, wm, &e2);
}

static int cmd_run(int argc, char **argv)
{
    cli_opts o = {0};
    sl_plan *plan = NULL;
    int rc = open_job(argc, argv, run_help, &o, false, &plan);
    if (rc)
        return rc;
    sl_run_opts ro;
    sl_error err = {0};
    sl_run_summary sum = {0};
    const sl_run_summary *ran = NULL; /* the summary once sl_run was called */
    sl_sink *sink = NULL;
    sl_status st = (sl_status)run_opts(plan, &o, &ro);
    if (st)
        goto out;
    sink = sl_sink_mysql_open(plan, &err);
    if (!sink) {
        st = err.code ? err.code : SL_ERR_SINK;
        goto out;
    }
    if ((st = sl_sink_lock(sink, plan->name, &err)) != SL_OK)
        goto out;
    if (!o.no_migrate && (st = sl_sink_migrate(sink, false, o.quiet ? NULL : stderr, &err)))
        goto out;
    sl_sink_run_begin(sink, plan->name, NULL, &(sl_error){0});
    catch_signals();
    st = sl_run(plan, sink, &ro, &sum, &err);
    ran = &sum;
    record_run_end(sink, st, &err, &sum);
    print_summary(plan, "run", st, &sum, stdout);
out:
    if (st != SL_OK && err.code != SL_OK)
        fail(plan, st, &err);
    sl_sink_free(sink); /* the lock is released before a slow webhook */
    sl_report_after(plan, &(sl_report){"run", st, err.msg, ran, ro.now, NULL}, o.metrics);
    sl_plan_free(plan);
    return st;
}

static int cmd_dry_run(int argc, char **argv)
{
    cli_opts o = {0};
    sl_plan *plan = NULL;
    int rc = open_job(argc, argv, dry_run_help, &o, true, &plan);
    if (rc)
        return rc;
    sl_run_opts ro;
    sl_error err = {0};
    sl_run_summary sum = {0};
    sl_status st = (sl_status)run_opts(plan, &o, &ro);
    sl_sink *sink = st ? NULL : sl_sink_print_new(plan, stdout);
    if (!st && !sink)
        st = sl_error_set(&err, SL_ERR_INTERNAL, "out of memory");
    if (!st && !o.max_windows_set)
        ro.max_windows = 1;
    if (!st)
        st = sl_sink_migrate(sink, true, stdout, &err);
    if (!st) {
        catch_signals();
        st = sl_run(plan, sink, &ro, &sum, &err);
        print_summary(plan, "dry-run", st, &sum, stderr);
    }
    if (st != SL_OK && err.code != SL_OK)
        fail(plan, st, &err);
    sl_sink_free(sink);
    sl_plan_free(plan);
    return st;
}

static int cmd_migrate(int argc, char **argv)
{
    cli_opts o = {0};
    sl_plan *plan = NULL;
    int rc = open_job(argc, argv, migrate_help, &o, false, &plan);
    if (rc)
        return rc;
    sl_error err = {0};
    sl_status st;
    sl_sink *sink = sl_sink_mysql_open(plan, &err);
    if (!sink)
        st = err.code ? err.code : SL_ERR_SINK;
    else
        st = sl_sink_migrate(sink, o.dry_run, stdout, &err);
    if (st != SL_OK)
        fail(plan, st, &err);
    sl_sink_free(sink);
    sl_plan_free(plan);
    return st;
}

static int cmd_state(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(state_help, argc < 2 ? stderr : stdout);
        return argc < 2 ? SL_ERR_USAGE : 0;
    }
    const char *action = argv[1];
    if (strcmp(action, "show") && strcmp(action, "reset"))
        return usage_error("state wants show or reset, not '%s'", action);
    cli_opts o = {0};
    sl_plan *plan = NULL;
    int rc = open_job(argc - 1, argv + 1, state_help, &o, false, &plan);
    if (rc)
        return rc;
    sl_error err = {0};
    sl_status st = SL_OK;
    int64_t to = 0, wm = INT64_MIN;
    bool found = false;
    if (o.to && parse_time(plan, "--to", o.to, &to)) {
        sl_plan_free(plan);
        return SL_ERR_USAGE;
    }
    sl_sink *sink = sl_sink_mysql_open(plan, &err);
    if (!sink)
        st = err.code ? err.code : SL_ERR_SINK;
    else if (!strcmp(action, "reset"))
        st = o.to ? sl_sink_state_set(sink, plan->name, to, &err)
                  : sl_sink_state_reset(sink, plan->name, &err);
    if (st == SL_OK)
        st = sl_sink_state_get(sink, plan->name, &wm, &found, &err);
    if (st == SL_OK) {
        char t[20];
        fmt_time(plan, found ? wm : INT64_MIN, t);
        printf("job %s: watermark %s%s\n", plan->name, t,
               found ? "" : " (the next run starts at window.start)");
    } else {
        fail(plan, st, &err);
    }
    sl_sink_free(sink);
    sl_plan_free(plan);
    return st;
}

/* verify: the API's total per window, then the table's distinct keys per window. */
typedef struct verify_window {
    int64_t from, to, total;
} verify_window;

typedef struct verify_list {
    verify_window *items;
    size_t n, cap;
} verify_list;

static void on_total(int64_t from, int64_t to, int64_t total, void *ctx)
{
    verify_list *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        verify_window *p = realloc(l->items, cap * sizeof *p);
        if (!p)
            return;
        l->items = p;
        l->cap = cap;
    }
    l->items[l->n++] = (verify_window){from, to, total};
}

static sl_status compare_totals(const sl_plan *plan, sl_sink *sink, const verify_list *l,
                                sl_error *err)
{
    size_t gaps = 0;
    int col = plan->target.window_column;
    for (size_t i = 0; i < l->n; i++) {
        char a[20], b[20];
        int64_t count = 0;
        sl_time_format(l->items[i].from, plan->source.window.tz_offset_s, a);
        sl_time_format(l->items[i].to, plan->source.window.tz_offset_s, b);
        sl_status st = sl_sink_count_keys(sink, &plan->table, col, a, b, &count, err);
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

static int cmd_verify(int argc, char **argv)
{
    cli_opts o = {0};
    sl_plan *plan = NULL;
    int rc = open_job(argc, argv, verify_help, &o, false, &plan);
    if (rc)
        return rc;
    if (!o.from || !o.to) {
        sl_plan_free(plan);
        return usage_error("%s", "verify wants --from and --to");
    }
    sl_error err = {0};
    sl_run_summary sum;
    const sl_run_summary *ran = NULL; /* the summary once sl_run was called */
    sl_run_opts ro;
    verify_list l = {0};
    sl_sink *sink = NULL;
    sl_status st = (sl_status)run_opts(plan, &o, &ro);
    if (!st && plan->target.window_column < 0)
        st = sl_error_set(&err, SL_ERR_CONFIG, "verify needs target.window_column in %s", o.job);
    if (!st && !(sink = sl_sink_mysql_open(plan, &err)))
        st = err.code ? err.code : SL_ERR_SINK;
    if (!st) {
        ro.on_total = on_total;
        ro.on_total_ctx = &l;
        ro.progress = NULL;
        st = sl_run(plan, sink, &ro, &sum, &err);
        ran = &sum;
    }
    if (!st)
        st = compare_totals(plan, sink, &l, &err);
    if (st != SL_OK && st != SL_ERR_FOUND)
        fail(plan, st, &err);
    free(l.items);
    sl_sink_free(sink);
    sl_report_after(plan, &(sl_report){"verify", st, err.msg, ran, ro.now, NULL}, o.metrics);
    sl_plan_free(plan);
    return st;
}

int sl_cli_main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage_text, stderr);
        return SL_ERR_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        fputs(usage_text, stdout);
        return 0;
    }
    if (!strcmp(cmd, "--version")) {
        puts("sluice " SLUICE_VERSION);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"validate", sl_cmd_validate}, {"plan", sl_cmd_plan}, {"dry-run", cmd_dry_run},
                {"migrate", cmd_migrate},     {"run", cmd_run},       {"state", cmd_state},
                {"verify", cmd_verify}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (!strcmp(cmd, cmds[i].name))
            return cmds[i].fn(argc - 1, argv + 1);
    return usage_error("unknown command '%s'", cmd);
}
