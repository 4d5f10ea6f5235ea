/* cli_validate.h: the `sluice validate` and `sluice plan` commands (the front end's CLI); their
 * rows in cli.c's command table point here. */
#ifndef SLUICE_CLI_VALIDATE_H
#define SLUICE_CLI_VALIDATE_H

#include "cli_opts.h"

/* sluice validate [--strict] JOB.yml...: checks each job, prints diagnostics to stderr.
 * Also --print-schema / --print-reference (the JSON Schema / Markdown reference to stdout).
 * Returns the exit status: 0 all valid, 3 (SL_ERR_CONFIG) any invalid, 2 bad usage. */
int sl_cmd_validate(const cli_opts *o);
/* sluice plan [--strict] JOB.yml: compiles the job and prints its plan to stdout (secrets
 * shown by origin only). Returns 0 or 3 like validate. */
int sl_cmd_plan(const cli_opts *o);

#endif
