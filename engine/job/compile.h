/* compile.h: job file -> plan, in stages like jq's compiler: load the YAML (positions kept),
 * resolve ${env:NAME} / ${file:PATH} references, check every component against its option
 * table, then lower to the plan (JSON paths, conditions, patterns and converters compiled,
 * names and keys cross-checked). Each stage reports every problem it finds into the sl_diag;
 * the next stage runs only when there were none. Secret values never reach a message. */
#ifndef SLUICE_COMPILE_H
#define SLUICE_COMPILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"
#include "plan.h"

typedef struct sl_compile_options {
    /* true: read every reference (an unset variable or unreadable file is an error).
     * false: check references' syntax only, read none (validate in pre-commit hooks, where
     * secrets are absent); the plan's fields from references are then empty strings. */
    bool resolve_secrets;
    /* true: leave the references under `target:` and `alerts:` unread even when resolving the
     * others (a dry-run talks to the API but never to the database or the alert webhook). */
    bool skip_target_secrets;
    /* A job with accounts: compile the plan of this account (docs/accounts.md): its
     * ${account:NAME} values read, its params merged, plan->account set; an id the job does
     * not list is an error. NULL: the plan of the whole job. */
    const char *account;
    /* true: read the references under `personal:` even when not resolving the others: a
     * command that converts records (run, dry-run, also --replay) needs the hash key. */
    bool read_personal;
} sl_compile_options;

/* Compiles the job at path (as given; used in messages) with every reference read. Returns an
 * owned plan, or NULL when diag holds at least one error. */
sl_plan *sl_compile_file(const char *path, sl_diag *diag);
/* Same, with options (NULL = defaults: resolve_secrets true). */
sl_plan *sl_compile_file_opts(const char *path, const sl_compile_options *opts, sl_diag *diag);

/* Compiles len bytes of text as the job at path (used in messages and for relative ${file:}
 * references); otherwise like sl_compile_file_opts. */
sl_plan *sl_compile_text(const char *path, const char *text, size_t len,
                         const sl_compile_options *opts, sl_diag *diag);

/* Prints the plan readably (for `sluice plan`). Values from references and secrets print as
 * "<secret from env:NAME>" (or "<not read: env:NAME>" when validated without secrets). */
void sl_plan_dump(const sl_plan *plan, FILE *out);

#endif
