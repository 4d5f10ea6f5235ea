/* stop.h: a request to stop (SIGINT, SIGTERM) that every wait in the process sees at once. The
 * handler sets a flag and makes a pipe readable; the waits (the runner's libcurl poll, the
 * database's retry backoff, any sleep) poll that pipe next to what they wait for, so a stop
 * ends them within milliseconds, in whichever thread they run. A second signal kills the
 * process the default way (for a wait that can't be cut short, e.g. a query in flight). */
#ifndef SLUICE_STOP_H
#define SLUICE_STOP_H

#include <stdbool.h>
#include <stdint.h>

/* Installs the SIGINT and SIGTERM handlers (idempotent). Returns 0, or -1 when the pipe can't
 * be made (the flag still works; waits then wake within their own timeouts). */
int sl_stop_install(void);
/* Asks everything to stop (async-signal-safe). */
void sl_stop_request(void);
/* True once a stop was requested. */
bool sl_stop_requested(void);
/* A descriptor that becomes readable (and stays so) once a stop is requested, or -1. */
int sl_stop_fd(void);
/* In a child just forked: drops the stop pipe it inherited and installs its own, so a signal
 * to the child stops only it. A stop already requested (a signal that reached the child
 * before this call) is kept, and a second signal does not kill the child: the same stop
 * often reaches it twice (from its parent, and from a Ctrl-C to the process group or
 * systemd's SIGTERM to the whole cgroup). Returns as sl_stop_install. */
int sl_stop_fork_child(void);
/* Sleeps ms milliseconds, less if a stop is requested; returns true when stopped. */
bool sl_stop_sleep_ms(int64_t ms);

#endif
