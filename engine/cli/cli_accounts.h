/* cli_accounts.h: the commands of a job with accounts (docs/accounts.md) run once per account,
 * each on the plan compiled for it; a job without accounts runs once, as before. */
#ifndef SLUICE_CLI_ACCOUNTS_H
#define SLUICE_CLI_ACCOUNTS_H

#include <stdbool.h>

#include "cli_opts.h"

/* What a command does for one account (NULL: the job has no accounts); returns an exit
 * status. */
typedef int (*cli_account_fn)(const cli_opts *o, const char *account);

/* Calls fn for the accounts of o->job the command applies to: o->account alone when given,
 * else every account in list order (all) or the first (!all); once with NULL for a job
 * without accounts. After several accounts prints "sluice CMD JOB: N accounts, K ok, F failed
 * (ID: exit E, ...)" on stdout. Returns 0 when every call returned 0, else the status of the
 * first account that failed; 2 for --account on a job without accounts or an id the job does
 * not list; 3 when the job file is invalid (printed). With o->jobs > 1 up to that many
 * accounts run at once, each in a forked process; a stop (SIGINT, SIGTERM) starts no more and
 * stops the running ones, and the summary covers the accounts that started. */
int sl_cli_each_account(const cli_opts *o, const char *cmd, bool all, cli_account_fn fn);

#endif
