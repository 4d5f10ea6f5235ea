/* quality.h: the job's data-quality rules (plan.h sl_dq_rule, docs/quality.md) applied to the
 * parent rows of one run: a verdict per row (pass, or the first failing reject rule and its
 * reason), counts per rule, the values a unique rule has seen, and the run-level verdict of
 * not_null shares. Owned by the thread that transforms records. */
#ifndef SLUICE_QUALITY_H
#define SLUICE_QUALITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "batch.h"
#include "plan.h"

/* A unique rule remembers at most this many distinct values per run; past it, it stops
 * checking (and says so) rather than grow without bound. */
enum { SL_DQ_UNIQUE_MAX = 1 << 22 };

typedef struct sl_quality sl_quality;

/* What one rule saw in a run. */
typedef struct sl_dq_count {
    uint64_t checked; /* rows it looked at (not_null: rows written) */
    uint64_t failed;  /* rows it failed (not_null: rows without a value) */
    bool run_failed;  /* not_null: the share of rows with a value is under the rule's */
    bool overflow;    /* unique: stopped checking at SL_DQ_UNIQUE_MAX values */
    char example[200]; /* the first failure's reason (a warn rule's, for the log) */
} sl_dq_count;

/* Returns the empty state of plan's rules (owned), or NULL when out of memory. */
sl_quality *sl_quality_new(const sl_plan *plan);
/* Frees q; NULL is fine. */
void sl_quality_free(sl_quality *q);
/* Checks row prow of rs (the parent rowset) against every rule. Returns 0 when no reject rule
 * failed (warn failures counted; the row's unique values remembered), 1 when one did (*rule
 * its index, why its reason "rule NAME: ...", the row's values not remembered), -1 when out
 * of memory. */
int sl_quality_row(sl_quality *q, const sl_rowset *rs, size_t prow, size_t *rule, char *why,
                   size_t whylen);
/* Settles the run-level verdicts (not_null shares); call once the run's rows are known. */
void sl_quality_finish(sl_quality *q);
/* The count of rule i (borrowed). */
const sl_dq_count *sl_quality_count(const sl_quality *q, size_t i);
/* True when a rule failed a row or the run (warn rules included). */
bool sl_quality_failed(const sl_quality *q);

#endif
