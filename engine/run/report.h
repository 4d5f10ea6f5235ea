/* report.h: what sluice tells the outside world after `run` and `verify`: an alert POSTed to
 * the job's webhook (WeCom or DingTalk group robot markdown, or a flat JSON object) when the
 * outcome matches alerts.on, and a Prometheus text file for node_exporter's textfile collector.
 * Neither can change the command's exit status, and no secret value of the plan reaches them. */
#ifndef SLUICE_REPORT_H
#define SLUICE_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "error.h"
#include "plan.h"
#include "runner.h"

/* One finished command, as the reports see it. Everything is borrowed. */
typedef struct sl_report {
    const char *command;       /* "run" or "verify" */
    sl_status status;          /* the command's exit status */
    const char *message;       /* the error text (masked by the reports), or NULL / "" */
    const sl_run_summary *sum; /* NULL when the run never started (e.g. the database is down) */
    int64_t now;               /* the engine's clock (--now, SLUICE_NOW or the system's) */
    const char *host;          /* host named in the alert; NULL = this machine's name */
    const char *event; /* a service event ("late", ...): the alert's outcome instead of the
                        * exit status, and no run is described; NULL for a command's run */
} sl_report;

/* True when plan has an alerts section whose `on` matches r's outcome. */
bool sl_alert_wanted(const sl_plan *plan, const sl_report *r);
/* The alert's request body (JSON) in plan->alerts->format, secrets masked; owned (free), NULL
 * when out of memory. */
char *sl_alert_body(const sl_plan *plan, const sl_report *r);
/* POSTs the alert when sl_alert_wanted. Returns 0 (sent or not wanted), or -1 after one line on
 * log saying why (never the URL). */
int sl_alert_send(const sl_plan *plan, const sl_report *r, FILE *log);
/* POSTs the alert of a service event (r->event set, e.g. a job file that no longer compiles
 * or a watermark late past alerts.max_lag) when plan has an alerts section, whatever its `on`
 * says. Returns as sl_alert_send. */
int sl_alert_event(const sl_plan *plan, const sl_report *r, FILE *log);
/* The Prometheus text of r; prev is the previous file's text (its last-success time and
 * watermark are kept when this run has none) or NULL. Owned (free), NULL when out of memory. */
char *sl_metrics_text(const sl_plan *plan, const sl_report *r, const char *prev);
/* Writes sl_metrics_text to path atomically (path.tmp, then rename), reading the previous path
 * first. Returns 0, or -1 after one line on log. */
int sl_metrics_write(const sl_plan *plan, const sl_report *r, const char *path, FILE *log);
/* What `run` and `verify` do once they are done: the metrics file when metrics_path is not
 * NULL, then the alert; problems are logged on stderr. */
void sl_report_after(const sl_plan *plan, const sl_report *r, const char *metrics_path);

#endif
