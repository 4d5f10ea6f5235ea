/* cli_validate.h: the `sluice validate` and `sluice plan` subcommands (the front end's CLI);
 * main.c dispatches to them with argv[0] = the subcommand's name. */
#ifndef SLUICE_CLI_VALIDATE_H
#define SLUICE_CLI_VALIDATE_H

/* sluice validate [--strict] JOB.yml...: checks each job, prints diagnostics to stderr.
 * Also --print-schema / --print-reference (the JSON Schema / Markdown reference to stdout).
 * Returns the exit status: 0 all valid, 3 (SL_ERR_CONFIG) any invalid, 2 bad usage. */
int sl_cmd_validate(int argc, char **argv);
/* sluice plan [--strict] JOB.yml: compiles the job and prints its plan to stdout (secrets
 * shown by origin only). Returns 0, 3 or 2 like validate. */
int sl_cmd_plan(int argc, char **argv);

#endif
