/* db.h: the oracle's side of MariaDB: connecting from a SLUICE_DB-style URL, streaming a table
 * past its expected rows, and loading expected rows (for the oracle's own tests). */
#ifndef ORC_DB_H
#define ORC_DB_H

#include <mysql.h>
#include <stddef.h>

#include "rowset.h"
#include "rules.h"

typedef struct orc_report {
    size_t expected, found, missing, extra, differing, ignored, cells;
} orc_report;

/* Example lines collected while comparing, at most max. */
typedef struct orc_examples {
    char **line;
    size_t n, max;
} orc_examples;

/* Connects to mysql://USER:PASS@HOST[:PORT]/DB[?socket=PATH]; NULL with a message (never the
 * password) in err. */
MYSQL *orc_db_connect(const char *url, char *err, size_t errlen);

/* Streams table ti of r past sets[ti] and fills *rep: rows missing from the table, extra rows
 * (keys not in the truth), rows with differing cells; rows of truth records outside the window
 * are ignored. 0, or -1 with err on a query failure. */
int orc_db_compare(MYSQL *db, const orc_rules *r, int ti, orc_rowset **sets, orc_report *rep,
                   orc_examples *ex, char *err, size_t errlen);

/* Inserts the in-window rows of sets[ti] into table ti (which must exist). 0, or -1 with err. */
int orc_db_load(MYSQL *db, const orc_table *t, const orc_rowset *rs, char *err, size_t errlen);

/* Adds one formatted example line to ex when it is not full. */
void orc_examples_add(orc_examples *ex, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
