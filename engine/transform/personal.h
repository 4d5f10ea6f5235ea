/* personal.h: personal data as the plan protects it (docs/personal-data.md). A masked or
 * hashed column's converted cell is replaced in place; a rejected record keeps no personal
 * value in clear: each such field holds a marker {"sluice_personal": MODE, "value": TEXT} with
 * the protected text, which a replay of stored rejects takes as the cell (never hashed twice);
 * a dropped field is removed. */
#ifndef SLUICE_PERSONAL_H
#define SLUICE_PERSONAL_H

#include <jansson.h>

#include "batch.h"
#include "plan.h"

/* The marker's key in a stored reject. */
#define SL_PERSONAL_MARK "sluice_personal"

/* Replaces cell (row, col) of rs, when not NULL, by its mask or hash (mode MASK or HASH; other
 * modes leave it). Returns 0, or -1 when out of memory. */
int sl_personal_cell(const sl_personal_plan *pp, sl_personal mode, sl_rowset *rs, size_t row,
                     size_t col);
/* The protected text of a marker v for mode (borrowed from v), or NULL when v is no marker of
 * that mode. */
const char *sl_personal_marked(const json_t *v, sl_personal mode);
/* A copy of record (owned; json_decref) in which every masked or hashed column's field, in the
 * parent table and the child tables' items at any depth, is a marker holding the mask or hash
 * of the field's text as received, and every dropped column's field is gone. NULL when out of
 * memory. */
json_t *sl_personal_record_new(const sl_plan *plan, const json_t *record);

#endif
