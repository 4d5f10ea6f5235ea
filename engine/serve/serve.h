/* serve.h: `sluice serve`, the long-running service (docs/serve.md). It runs each job on its
 * `schedule`, every run in a forked child that does what `sluice run` does (the command line
 * hands that in as a callback), at most max_runs at once; SIGHUP compiles every job file
 * again (a file that no longer compiles keeps its previous plan, with a logged error and an
 * alert); SIGTERM or SIGINT stops the running runs through the engine's interrupt path and
 * exits 0; an HTTP listener answers /metrics, /healthz and a status page. */
#ifndef SLUICE_SERVE_H
#define SLUICE_SERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "serve_run.h"

enum { SL_SERVE_MAX_JOBS = 256 };

/* Serves the n job files until SIGTERM or SIGINT. Returns 0 after a clean stop, SL_ERR_CONFIG
 * when a job file does not compile at start (or has no schedule, or two share a name),
 * SL_ERR_USAGE for a bad listen address, or SL_ERR_INTERNAL. Logs on stderr. */
int sl_serve(char *const *files, size_t n, const sl_serve_opts *o);

#endif
