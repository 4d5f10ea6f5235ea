/* guess.h: `sluice guess`, a job skeleton inferred from recorded replies or a sample reply. */
#ifndef SLUICE_GUESS_H
#define SLUICE_GUESS_H

#include "cli_opts.h"

/* Prints a job for the replies of --replay DIR and/or the sample reply operand; returns the
 * exit status (0, 2 bad usage, 3 an input is unreadable, no JSON, or holds no list of objects). */
int sl_cmd_guess(const cli_opts *o);

#endif
