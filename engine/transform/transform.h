/* transform.h: one API record -> a parent row, its child rows, or one reject row, in a batch,
 * as the plan says. Nothing about any particular API lives here. */
#ifndef SLUICE_TRANSFORM_H
#define SLUICE_TRANSFORM_H

#include <jansson.h>

#include "batch.h"
#include "error.h"
#include "plan.h"

/* Converts record into batch: the parent row and its child rows (then sl_batch_commit_record),
 * or, when any conversion or `required` check fails, one reject row (key cells joined by ",",
 * column, reason, compact record JSON) and nothing else. Returns 0 (rows added), 1 (rejected),
 * -1 (internal error such as out of memory, described in err; the batch is unchanged). */
int sl_transform_record(const sl_plan *plan, const json_t *record, sl_batch *batch,
                        sl_error *err);
/* Adds record to batch as one reject row with the given reason and raw text (no column; raw
 * cut at SL_REJ_RAW_BYTES on a character): for a record the decoder could not represent. Key cells are those that convert. Returns 1, or
 * -1 when out of memory (err set; the batch unchanged). */
int sl_transform_reject(const sl_plan *plan, const json_t *record, const char *reason,
                        const char *raw, size_t raw_len, sl_batch *batch, sl_error *err);

/* Which column paths found a value (JSON null included) in at least one record of a run, so a
 * path that found none (a typo fills every row with the default, silently) can be told. One
 * flag per column, set on the hot path without a branch on the count. Owned by one thread. */
typedef struct sl_seen sl_seen;
/* Returns empty flags for plan's columns (owned), or NULL when out of memory. */
sl_seen *sl_seen_new(const sl_plan *plan);
/* Frees seen; NULL is fine. */
void sl_seen_free(sl_seen *seen);
/* As sl_transform_record, also flagging in seen (may be NULL) each column whose path found a
 * value. */
int sl_transform_record_seen(const sl_plan *plan, const json_t *record, sl_batch *batch,
                             sl_seen *seen, sl_error *err);
typedef struct sl_quality sl_quality; /* quality.h */
/* As sl_transform_record_seen, then the plan's data-quality rules on the parent row with
 * quality's state (may be NULL: no rules applied): a failing reject rule rejects the record
 * (column: the rule's, reason "rule NAME: ..."). */
int sl_transform_record_checked(const sl_plan *plan, const json_t *record, sl_batch *batch,
                                sl_seen *seen, sl_quality *quality, sl_error *err);
/* As sl_transform_record_checked for a record read back from the reject table (`sluice
 * rejects replay`): a personal column's marker there (personal.h) is its protected cell,
 * taken as it is, so nothing is masked or hashed twice. */
int sl_transform_stored(const sl_plan *plan, const json_t *record, sl_batch *batch,
                        sl_quality *quality, sl_error *err);
/* Calls warn once per column with a path that found nothing in any row its table was filled
 * for (a child table's columns only when it had items): one line, naming the column, the path
 * and the number of rows. */
void sl_seen_report(const sl_seen *seen, const sl_plan *plan,
                    void (*warn)(const char *msg, void *ctx), void *ctx);

#endif
