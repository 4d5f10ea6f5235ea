/* cli_rejects.h: the `sluice rejects` command (cli_rejects.c); its row in cli.c's command
 * table points here. */
#ifndef SLUICE_CLI_REJECTS_H
#define SLUICE_CLI_REJECTS_H

#include "cli_opts.h"

/* sluice rejects list|show|replay JOB.yml [ID...] [--rule NAME] [--reason TEXT] [--dry-run]:
 * lists, shows or replays the job's stored rejects. Returns the exit status: 0 done (replay:
 * every selected record written), 1 replay left records failing (or show found no such id),
 * 2 bad usage, 3 the job is invalid, 5 the database failed, 7 another run holds the lock,
 * 8 interrupted (every settled chunk stays settled). */
int sl_cmd_rejects(const cli_opts *o);

#endif
