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

#endif
