/* cli_accounts.c: see cli_accounts.h. The job is compiled once without reading any secret to
 * learn its accounts; each account's own plan (its secrets read) is the command's business. */
#include "cli_accounts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "error.h"
#include "plan.h"

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
    for (size_t i = from; i < to; i++) {
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
