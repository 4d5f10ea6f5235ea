/* cli_opts.c: see cli_opts.h. */
#include "cli_opts.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "suggest.h"

/* How an option's value lands in cli_opts. */
typedef enum cli_opt_kind { OPT_FLAG, OPT_STRING, OPT_COUNT } cli_opt_kind;

typedef struct cli_opt_row {
    const char *name;  /* without the leading "--" */
    char short_name;   /* -q for --quiet, or 0 */
    cli_opt_kind kind;
    size_t field;      /* offsetof the bool, const char * or int64_t it sets in cli_opts */
    const char *arg;   /* the argument's placeholder (NULL for a flag) */
    const char *help;  /* '\n' continues on an indented line */
} cli_opt_row;

#define FLAG(f) OPT_FLAG, offsetof(cli_opts, f), NULL
#define STRING(f, ph) OPT_STRING, offsetof(cli_opts, f), ph
#define COUNT(f, ph) OPT_COUNT, offsetof(cli_opts, f), ph

static const cli_opt_row opt_rows[CLI_N_OPTS] = {
    [CLI_NOW] = {"now", 0, STRING(now, "T"),
                 "the engine's clock, \"YYYY-MM-DD HH:MM:SS\" in the job's timezone\n"
                 "(default: SLUICE_NOW, else the system clock)"},
    [CLI_FROM] = {"from", 0, STRING(from, "T"),
                  "the first second of the range, \"YYYY-MM-DD HH:MM:SS\""},
    [CLI_TO] = {"to", 0, STRING(to, "T"),
                "the last second of the range, \"YYYY-MM-DD HH:MM:SS\" (state reset:\n"
                "the new watermark)"},
    [CLI_MAX_WINDOWS] = {"max-windows", 0, COUNT(max_windows, "N"),
                         "stop after N windows (0: no limit)"},
    [CLI_RECORD] = {"record", 0, STRING(record_dir, "DIR"), "save every good API reply into DIR"},
    [CLI_REPLAY] = {"replay", 0, STRING(replay_dir, "DIR"),
                    "answer requests from the replies --record saved in DIR"},
    [CLI_NO_MIGRATE] = {"no-migrate", 0, FLAG(no_migrate), "don't create or alter the tables first"},
    [CLI_METRICS] = {"metrics", 0, STRING(metrics, "FILE"),
                     "write the outcome's metrics (Prometheus text) to FILE"},
    [CLI_QUIET] = {"quiet", 'q', FLAG(quiet), "no progress line and no event log on stderr"},
    [CLI_DRY_RUN] = {"dry-run", 0, FLAG(dry_run), "print the SQL it would run; change nothing"},
    [CLI_STRICT] = {"strict", 0, FLAG(strict),
                    "also read every ${env:}/${file:} reference; an unset variable or an\n"
                    "unreadable file is an error"},
    [CLI_PRINT_SCHEMA] = {"print-schema", 0, FLAG(print_schema),
                          "print the job file's JSON Schema (schemas/job.schema.json)"},
    [CLI_PRINT_REFERENCE] = {"print-reference", 0, FLAG(print_reference),
                             "print the job format reference (docs/job-format.md)"},
    [CLI_FORCE_REFRESH] = {"force-refresh", 0, FLAG(force_refresh),
                           "a full refresh: swap the read in even when the guard would refuse\n"
                           "it (empty, or far fewer rows than the table; target.refresh)"},
    [CLI_RULE] = {"rule", 0, STRING(rule, "NAME"),
                  "only the rejects of this quality rule (reason \"rule NAME: ...\")"},
    [CLI_REASON] = {"reason", 0, STRING(reason, "TEXT"),
                    "only the rejects whose reason holds TEXT"},
    [CLI_FORMAT] = {"format", 0, STRING(format, "text|mermaid|dot"),
                    "the plan as text (the default), a Mermaid flowchart or a Graphviz\n"
                    "DOT digraph"},
    [CLI_ACCOUNT] = {"account", 0, STRING(account, "ID"),
                     "a job with accounts: this account only (default: every account;\n"
                     "dry-run and verify: the first)"},
    [CLI_LISTEN] = {"listen", 0, STRING(listen, "ADDR"),
                    "the HTTP listener's HOST:PORT (default 127.0.0.1:9187; [::1]:PORT for\n"
                    "IPv6; port 0 picks a free one, logged at start)"},
    [CLI_MAX_RUNS] = {"max-runs", 0, COUNT(max_runs, "N"),
                      "runs at once, across all jobs (1 to 64; default 2)"},
    [CLI_JOBS] = {"jobs", 'j', COUNT(jobs, "N"),
                  "a job with accounts: run up to N accounts at once, each in a process of\n"
                  "its own (1 to 64; default 1: one after another)"},
};

#define HELP_COLUMN 24

const cli_exit_doc sl_cli_exits[] = {
    {SL_OK, "ok", "success"},
    {SL_ERR_FOUND, "verify found gaps", "the command found a problem (verify: windows with gaps)"},
    {SL_ERR_USAGE, "usage", "bad command line"},
    {SL_ERR_CONFIG, "job file",
     "the job file is invalid, or a ${env:}/${file:} reference can't be read"},
    {SL_ERR_SOURCE, "API", "the API failed: a permanent error, or retries ran out"},
    {SL_ERR_SINK, "database", "the database failed past its retry budget"},
    {SL_ERR_DATA, "too many rejects", "more rejected records than target.max_rejects"},
    {SL_ERR_LOCKED, "another run holds the lock",
     "another run of the same job holds the lock (nothing was done)"},
    {SL_ERR_INTERRUPTED, "interrupted",
     "interrupted by SIGINT or SIGTERM; the watermark is consistent"},
    {SL_ERR_REFUSED, "full refresh refused",
     "a full refresh read nothing, or far fewer rows than the table holds (target.refresh); "
     "the table is unchanged (run --force-refresh to accept the read)"},
    {SL_ERR_INTERNAL, "internal error", "internal error (a bug, or out of memory)"},
};
const size_t sl_cli_n_exits = sizeof sl_cli_exits / sizeof sl_cli_exits[0];

cli_opt_doc sl_cli_opt_doc(cli_opt_id id)
{
    const cli_opt_row *r = &opt_rows[id];
    return (cli_opt_doc){r->name, r->short_name, r->arg, r->help};
}

int sl_cli_usage_error(const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "sluice: %s%s", name ? name : "", name ? ": " : "");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'sluice %s%s--help'.\n", name ? name : "", name ? " " : "");
    return SL_ERR_USAGE;
}

/* The option arg names ("--now", "--now=T" or "-q"), or -1; *eq points at its '=' if any. */
static int find_option(const char *arg, const char **eq)
{
    *eq = NULL;
    if (arg[1] != '-') {
        for (int id = 0; id < CLI_N_OPTS; id++)
            if (opt_rows[id].short_name && arg[1] == opt_rows[id].short_name && !arg[2])
                return id;
        return -1;
    }
    const char *name = arg + 2;
    *eq = strchr(name, '=');
    size_t len = *eq ? (size_t)(*eq - name) : strlen(name);
    for (int id = 0; id < CLI_N_OPTS; id++)
        if (strlen(opt_rows[id].name) == len && !strncmp(opt_rows[id].name, name, len))
            return id;
    return -1;
}

static int unknown_option(const cli_cmd *cmd, const char *arg)
{
    const char *cands[CLI_N_OPTS + 1];
    size_t n = 0;
    for (int id = 0; id < CLI_N_OPTS; id++)
        if (cmd->opts & CLI_OPT(id))
            cands[n++] = opt_rows[id].name;
    cands[n++] = "help";
    const char *word = arg + strspn(arg, "-");
    const char *guess = sl_did_you_mean(word, cands, n);
    if (guess)
        return sl_cli_usage_error(cmd->name, "unknown option '%s' (did you mean '--%s'?)", arg,
                                  guess);
    return sl_cli_usage_error(cmd->name, "unknown option '%s'", arg);
}

/* Stores the option's value (NULL for a flag) into its field of *o. */
static int set_option(const cli_cmd *cmd, const cli_opt_row *row, const char *val, cli_opts *o)
{
    char *field = (char *)o + row->field;
    if (row->kind == OPT_FLAG) {
        *(bool *)field = true;
    } else if (row->kind == OPT_STRING) {
        *(const char **)field = val;
    } else {
        const char *text = val ? val : ""; /* a count always has a value; -O3 can't tell */
        char *end;
        errno = 0;
        long long n = strtoll(text, &end, 10);
        if (errno || end == text || *end || n < 0)
            return sl_cli_usage_error(cmd->name, "--%s wants a count, not '%s'", row->name, text);
        *(int64_t *)field = n;
    }
    return 0;
}

/* Reads the option at argv[*i] (and its value, which may be the next argument). */
static int read_option(const cli_cmd *cmd, int argc, char **argv, int *i, cli_opts *o)
{
    const char *arg = argv[*i], *eq;
    int id = find_option(arg, &eq);
    if (id < 0)
        return unknown_option(cmd, arg);
    const cli_opt_row *row = &opt_rows[id];
    if (!(cmd->opts & CLI_OPT(id)))
        return sl_cli_usage_error(cmd->name, "does not take --%s", row->name);
    if (!row->arg) {
        if (eq)
            return sl_cli_usage_error(cmd->name, "--%s takes no value", row->name);
        return set_option(cmd, row, NULL, o);
    }
    const char *val = eq ? eq + 1 : *i + 1 < argc ? argv[++*i] : NULL;
    if (!val)
        return sl_cli_usage_error(cmd->name, "--%s wants %s", row->name, row->arg);
    return set_option(cmd, row, val, o);
}

int sl_cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_opts *o, bool *help)
{
    *o = (cli_opts){.args = argv + 1, .max_windows = -1, .max_runs = -1, .jobs = -1};
    *help = false;
    bool operands_only = false; /* after "--" */
    int n = 0;
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        if (operands_only || arg[0] != '-' || !arg[1]) {
            argv[1 + n++] = arg; /* operands move down over the options already read */
        } else if (!strcmp(arg, "--")) {
            operands_only = true;
        } else if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
            *help = true;
            return 0;
        } else {
            int rc = read_option(cmd, argc, argv, &i, o);
            if (rc)
                return rc;
        }
    }
    o->n_args = n;
    o->job = n ? o->args[n - 1] : NULL;
    if (n < cmd->min_args)
        return sl_cli_usage_error(cmd->name, "expects %s", cmd->operands);
    if (cmd->max_args >= 0 && n > cmd->max_args)
        return sl_cli_usage_error(cmd->name, "unexpected '%s' (expects %s)",
                                  o->args[cmd->max_args], cmd->operands);
    return 0;
}

/* Prints "  --name ARG" padded to the help column, then the help, continued lines indented. */
static void print_option(const char *name, char short_name, const char *arg, const char *help,
                         FILE *out)
{
    int w = short_name ? fprintf(out, "  -%c, --%s", short_name, name)
                       : fprintf(out, "  --%s", name);
    if (arg)
        w += fprintf(out, " %s", arg);
    if (w < HELP_COLUMN - 1)
        fprintf(out, "%*s", HELP_COLUMN - w, "");
    else /* too wide for the column: the help starts on the next line */
        fprintf(out, "\n%*s", HELP_COLUMN, "");
    for (const char *p = help; *p; p++) {
        fputc(*p, out);
        if (*p == '\n')
            fprintf(out, "%*s", HELP_COLUMN, "");
    }
    fputc('\n', out);
}

void sl_cli_help(const cli_cmd *cmd, FILE *out)
{
    fprintf(out, "usage: sluice %s %s [options]\n\n%s\noptions:\n", cmd->name, cmd->operands,
            cmd->help);
    for (int id = 0; id < CLI_N_OPTS; id++)
        if (cmd->opts & CLI_OPT(id))
            print_option(opt_rows[id].name, opt_rows[id].short_name, opt_rows[id].arg,
                         opt_rows[id].help, out);
    print_option("help", 'h', NULL, "print this help", out);
}

/* The closing paragraph of the usage: the exit codes of sl_cli_exits, wrapped between them
 * before column 90. */
static void print_exits(FILE *out)
{
    int col = fprintf(out, "\n`sluice <command> --help` tells more. Exit codes:") - 1;
    for (size_t i = 0; i < sl_cli_n_exits; i++) {
        char item[96];
        int w = snprintf(item, sizeof item, "%d %s%s", sl_cli_exits[i].code,
                         sl_cli_exits[i].brief, i + 1 < sl_cli_n_exits ? "," : ".");
        bool wrap = col + 1 + w > 90;
        col = wrap ? 0 : col + 1;
        fputc(wrap ? '\n' : ' ', out);
        col += fprintf(out, "%s", item);
    }
    fputc('\n', out);
}

void sl_cli_usage(const cli_cmd *cmds, size_t n, FILE *out)
{
    fputs("usage: sluice <command> [options] [operands]\n"
          "       sluice help [<command>]\n"
          "       sluice --version\n\n"
          "commands:\n",
          out);
    size_t col = 0; /* the summaries line up after the longest synopsis */
    for (size_t i = 0; i < n; i++) {
        size_t w = strlen(cmds[i].name) + 1 + strlen(cmds[i].operands);
        col = w > col ? w : col;
    }
    for (size_t i = 0; i < n; i++)
        fprintf(out, "  %s %-*s  %s\n", cmds[i].name,
                (int)(col - strlen(cmds[i].name) - 1), cmds[i].operands, cmds[i].summary);
    print_exits(out);
}
