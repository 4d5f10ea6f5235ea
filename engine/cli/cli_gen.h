/* cli_gen.h: the files generated from the command rows (cli.c, cli_opts.c) and the job's option
 * tables (options.c), so that none of them can drift from what the program accepts:
 *   man1  the sluice(1) man page: every command, its help and options, the exit statuses
 *   man5  the sluice-job(5) man page: the job format reference (docs/job-format.md) in roff
 *   bash  bash completion: commands, each command's options, job files (*.yml, *.yaml)
 *   zsh   zsh completion: the same, with descriptions
 * `sluice gen WHAT` prints one (a hidden command: it is for the build and its tests). */
#ifndef SLUICE_CLI_GEN_H
#define SLUICE_CLI_GEN_H

#include <stddef.h>
#include <stdio.h>

#include "cli_opts.h"

/* Prints the file `what` names, generated from the n rows of cmds. Returns 0, or SL_ERR_USAGE
 * after saying why on stderr, or SL_ERR_INTERNAL when out of memory. */
int sl_cli_gen(const char *what, const cli_cmd *cmds, size_t n, FILE *out);

#endif
