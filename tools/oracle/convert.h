/* convert.h: what a column's cell must hold, derived from a truth record under the oracle's
 * rules, as canonical text; and the comparison of that text with what MariaDB returns. */
#ifndef ORC_CONVERT_H
#define ORC_CONVERT_H

#include <jansson.h>
#include <stddef.h>

#include "rules.h"

#define ORC_CELL_MAX 8192

typedef struct orc_cell {
    int is_null;
    size_t len;
    char text[ORC_CELL_MAX]; /* NUL-terminated; cut to ORC_CELL_MAX-1 bytes */
} orc_cell;

/* Fills *out with the value column c (not ORC_PARENT) takes from record rec: the field at c->path
 * converted, its default when absent or null, NULL otherwise. Unconvertible input keeps its raw
 * JSON text (which will then differ from anything stored) and returns -1; else 0. */
int orc_cell_from_json(const orc_col *c, json_t *rec, orc_cell *out);

/* 1 if the stored text got (NULL pointer for SQL NULL) matches the wanted cell under c's type. */
int orc_cell_equal(const orc_col *c, const char *want, size_t wlen, int want_null, const char *got,
                   size_t glen);

#endif
