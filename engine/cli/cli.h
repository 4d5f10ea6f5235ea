/* cli.h: the sluice command line: validate, plan, dry-run, migrate, run, state, verify. */
#ifndef SLUICE_CLI_H
#define SLUICE_CLI_H

/* Runs the command in argv (argv[0] is the program) and returns its exit status
 * (engine/util/error.h: 0 ok, 1 found, 2 usage, 3 config, 4 source, 5 sink, 6 data, 7 locked, ...). */
int sl_cli_main(int argc, char **argv);

#endif
