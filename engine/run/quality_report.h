/* quality_report.h: a run's data-quality counts (runner.h sl_run_summary.quality) as the
 * outside world reads them: one line for the summary and the alerts, a JSON array for the
 * JSON alert, and the Prometheus lines of the --metrics file. */
#ifndef SLUICE_QUALITY_REPORT_H
#define SLUICE_QUALITY_REPORT_H

#include <jansson.h>
#include <stddef.h>

#include "plan.h"
#include "runner.h"

/* One rule's verdict into buf: "total_range rejected 1 of 11", "at_2024 warned on 2 of 9",
 * "phone_filled 60.00% have a value, under 90.00%", "code_ok passed 11". */
void sl_quality_verdict(const sl_plan *plan, const sl_run_summary *s, size_t i, char *buf,
                        size_t n);
/* The rules that failed, their verdicts joined by "; " into buf ("" when none did). */
void sl_quality_failures(const sl_plan *plan, const sl_run_summary *s, char *buf, size_t n);
/* [{"rule", "kind", "action", "checked", "failed", "run_failed"}] of every rule (owned), or
 * NULL when out of memory. */
json_t *sl_quality_json(const sl_plan *plan, const sl_run_summary *s);
/* The Prometheus lines of the rules' counts, labelled with labels plus rule and action
 * (owned text; "" without rules), or NULL when out of memory. */
char *sl_quality_metrics(const sl_plan *plan, const sl_run_summary *s, const char *labels);

#endif
