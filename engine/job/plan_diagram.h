/* plan_diagram.h: the compiled plan as a diagram (`sluice plan --format mermaid|dot`): the
 * source with its signer and auth, the windows, the pager, the records path, every table
 * with each column's path, converter and SQL type, child tables at any depth, the target,
 * and the error rules, limits, quality rules, rejects and alerts as notes. Built on the
 * generic graph of util/graph.h. Every label is redacted as `sluice plan` is: values read
 * through references show as their origin, secrets never appear. Other code (a status page)
 * calls sl_plan_print for the text or sl_plan_graph_new for the graph. */
#ifndef SLUICE_PLAN_DIAGRAM_H
#define SLUICE_PLAN_DIAGRAM_H

#include <stdio.h>

#include "graph.h"
#include "plan.h"

/* How `sluice plan` prints a plan: the text of sl_plan_dump, or a diagram. */
typedef enum sl_plan_format { SL_PLAN_TEXT, SL_PLAN_MERMAID, SL_PLAN_DOT } sl_plan_format;

/* "text", "mermaid", "dot", indexed by sl_plan_format; NULL-terminated. */
extern const char *const sl_plan_format_names[];

/* The format called name, or -1. */
int sl_plan_format_parse(const char *name);
/* The plan as a graph (owned: sl_graph_free), labels redacted; NULL when out of memory. */
sl_graph *sl_plan_graph_new(const sl_plan *plan);
/* Prints the plan in fmt to out; returns 0, or -1 when out of memory or writing failed. */
int sl_plan_print(const sl_plan *plan, sl_plan_format fmt, FILE *out);

#endif
