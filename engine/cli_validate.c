/* cli_validate.c: see cli_validate.h. */
#include "cli_validate.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "error.h"
#include "options.h"

static const char validate_usage[] =
    "usage: sluice validate [--strict] JOB.yml...\n"
    "       sluice validate --print-schema | --print-reference\n"
    "\n"
    "Checks job files and prints every problem as file:line:col with the source line.\n"
    "References ${env:NAME} and ${file:PATH} are checked for syntax only, so validate works\n"
    "where secrets are absent (pre-commit hooks).\n"
    "\n"
    "  --strict            also read every reference; an unset variable or unreadable file\n"
    "                      is an error\n"
    "  --print-schema      print the job file's JSON Schema (schemas/job.schema.json)\n"
    "  --print-reference   print the job format reference (docs/job-format.md)\n"
    "\n"
    "Exit status: 0 all valid, 2 bad usage, 3 a job is invalid.\n";

static const char plan_usage[] =
    "usage: sluice plan [--strict] JOB.yml\n"
    "\n"
    "Compiles a job and prints its plan: source, windows, paging, error rules, target and\n"
    "every column with its SQL type and converter. Secret values are never printed, only\n"
    "where they come from.\n"
    "\n"
    "  --strict   read every ${env:}/${file:} reference (an unset one is an error)\n"
    "\n"
    "Exit status: 0 printed, 2 bad usage, 3 the job is invalid.\n";

typedef struct cli_args {
    bool strict;
    bool help;
    bool schema;
    bool reference;
    int first_file; /* index of the first file argument */
    int n_files;
} cli_args;

static int parse_args(int argc, char **argv, cli_args *a, const char *usage)
{
    *a = (cli_args){.first_file = argc};
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--strict"))
            a->strict = true;
        else if (!strcmp(s, "--help") || !strcmp(s, "-h"))
            a->help = true;
        else if (!strcmp(s, "--print-schema"))
            a->schema = true;
        else if (!strcmp(s, "--print-reference"))
            a->reference = true;
        else if (s[0] == '-' && s[1] != '\0') {
            fprintf(stderr, "sluice: error: unknown option '%s'\n%s", s, usage);
            return SL_ERR_USAGE;
        } else {
            if (a->n_files == 0)
                a->first_file = i;
            else if (i != a->first_file + a->n_files) {
                fprintf(stderr, "sluice: error: options must come before the files\n%s", usage);
                return SL_ERR_USAGE;
            }
            a->n_files++;
        }
    }
    return SL_OK;
}

/* Compiles one file, prints its diagnostics; returns the plan (owned) or NULL. */
static sl_plan *compile_one(const char *path, bool strict)
{
    sl_diag *diag = sl_diag_new(path);
    if (!diag) {
        fputs("sluice: error: out of memory\n", stderr);
        return NULL;
    }
    sl_compile_options opts = {.resolve_secrets = strict};
    sl_plan *plan = sl_compile_file_opts(path, &opts, diag);
    sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

int sl_cmd_validate(int argc, char **argv)
{
    cli_args a;
    int rc = parse_args(argc, argv, &a, validate_usage);
    if (rc != SL_OK)
        return rc;
    if (a.help) {
        fputs(validate_usage, stdout);
        return SL_OK;
    }
    if (a.schema)
        return sl_options_schema(stdout) == 0 ? SL_OK : SL_ERR_INTERNAL;
    if (a.reference) {
        sl_options_reference(stdout);
        return SL_OK;
    }
    if (a.n_files == 0) {
        fprintf(stderr, "sluice: error: no job file given\n%s", validate_usage);
        return SL_ERR_USAGE;
    }
    rc = SL_OK;
    for (int i = a.first_file; i < a.first_file + a.n_files; i++) {
        sl_plan *plan = compile_one(argv[i], a.strict);
        if (!plan)
            rc = SL_ERR_CONFIG;
        sl_plan_free(plan);
    }
    return rc;
}

int sl_cmd_plan(int argc, char **argv)
{
    cli_args a;
    int rc = parse_args(argc, argv, &a, plan_usage);
    if (rc != SL_OK)
        return rc;
    if (a.help) {
        fputs(plan_usage, stdout);
        return SL_OK;
    }
    if (a.n_files != 1 || a.schema || a.reference) {
        fprintf(stderr, "sluice: error: plan takes one job file\n%s", plan_usage);
        return SL_ERR_USAGE;
    }
    sl_plan *plan = compile_one(argv[a.first_file], a.strict);
    if (!plan)
        return SL_ERR_CONFIG;
    sl_plan_dump(plan, stdout);
    sl_plan_free(plan);
    return SL_OK;
}
