/* cli_opts.h: the command line as rows. Each command is a row (name, function, operands,
 * summary, help, the options it takes) and each option is a row (name, argument, help); one
 * parser reads argv against a command's row, and the usage and help texts are printed from
 * the rows, so what a command accepts and what its help documents cannot drift apart. */
#ifndef SLUICE_CLI_OPTS_H
#define SLUICE_CLI_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The options; a command's row takes a set of them (CLI_OPT bits). A new option is an id here,
 * a field in cli_opts and a row in cli_opts.c. */
typedef enum cli_opt_id {
    CLI_NOW,
    CLI_FROM,
    CLI_TO,
    CLI_MAX_WINDOWS,
    CLI_RECORD,
    CLI_REPLAY,
    CLI_NO_MIGRATE,
    CLI_METRICS,
    CLI_QUIET,
    CLI_DRY_RUN,
    CLI_STRICT,
    CLI_PRINT_SCHEMA,
    CLI_PRINT_REFERENCE,
    CLI_FORCE_REFRESH,
    CLI_RULE,
    CLI_REASON,
    CLI_FORMAT,
    CLI_ACCOUNT,
    CLI_LISTEN,
    CLI_MAX_RUNS,
    CLI_JOBS,
    CLI_N_OPTS
} cli_opt_id;

#define CLI_OPT(id) (1u << (id))

/* What the parser read. Strings are borrowed from argv. */
typedef struct cli_opts {
    const char *now;
    const char *from;
    const char *to;
    const char *record_dir;
    const char *replay_dir;
    const char *metrics;
    const char *rule;   /* rejects: of this quality rule */
    const char *reason; /* rejects: whose reason holds this text */
    const char *format; /* plan: text, mermaid or dot */
    const char *account; /* a job with accounts: this account only */
    const char *listen; /* serve: HOST:PORT of the HTTP listener */
    int64_t max_windows; /* -1 when not given */
    int64_t max_runs;    /* serve: runs at once, -1 when not given */
    int64_t jobs;        /* run: accounts at once, -1 when not given */
    bool no_migrate;
    bool quiet;
    bool dry_run;
    bool strict;
    bool print_schema;
    bool print_reference;
    bool force_refresh;
    char **args; /* the operands, in order (state: the action, then the job file) */
    int n_args;
    const char *job; /* the last operand, or NULL */
} cli_opts;

typedef struct cli_cmd {
    const char *name;
    int (*fn)(const cli_opts *o); /* returns the exit status (engine/util/error.h) */
    const char *operands;         /* after the name in usage lines, e.g. "JOB.yml" */
    int min_args, max_args;       /* operand count; max_args < 0: no limit */
    unsigned opts;                /* the options it takes (CLI_OPT bits) */
    const char *summary;          /* one line of `sluice --help` */
    const char *help;             /* what `sluice NAME --help` says before the options */
} cli_cmd;

/* An option's documentation, for the generated man page and completions (cli_gen.c). */
typedef struct cli_opt_doc {
    const char *name; /* without the leading "--" */
    char short_name;  /* or 0 */
    const char *arg;  /* the argument's placeholder (DIR, FILE, T, N; "a|b": one of a list), NULL
                       * for a flag */
    const char *help; /* '\n' separates lines */
} cli_opt_doc;

/* One exit status: its code, the few words of `sluice --help` and the man page's sentence. */
typedef struct cli_exit_doc {
    int code;
    const char *brief;
    const char *meaning;
} cli_exit_doc;

extern const cli_exit_doc sl_cli_exits[];
extern const size_t sl_cli_n_exits;

/* The documentation of option id. */
cli_opt_doc sl_cli_opt_doc(cli_opt_id id);

/* Reads argv (argv[0] is the command's name) against cmd's row into *o. Returns 0, with *help
 * set when --help was asked for, or SL_ERR_USAGE after printing why to stderr. */
int sl_cli_parse(const cli_cmd *cmd, int argc, char **argv, cli_opts *o, bool *help);
/* Prints `sluice NAME --help`: usage line, cmd->help, then the options of its row. */
void sl_cli_help(const cli_cmd *cmd, FILE *out);
/* Prints `sluice --help`: the usage lines and one line per command, from the rows. */
void sl_cli_usage(const cli_cmd *cmds, size_t n, FILE *out);
/* Prints "sluice: NAME: <msg>" and the hint to ask for help; returns SL_ERR_USAGE. */
int sl_cli_usage_error(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
