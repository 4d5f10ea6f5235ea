/* rules.h: the oracle's column rules, read from a small text file (see wdt_refund.rules) that
 * restates a mapping independently of the engine: tables, keys, and how each column is derived
 * from a truth record. */
#ifndef ORC_RULES_H
#define ORC_RULES_H

#include <stddef.h>

enum orc_type { ORC_BIGINT, ORC_INT, ORC_VARCHAR, ORC_DECIMAL, ORC_DATETIME, ORC_BOOL, ORC_PARENT };
/* A column's source form: datetime from epoch ms or s, an ISO-8601 text with a zone, or a
 * "YYYY-MM-DD HH:MM:SS" text; decimal from integer minor units (cents) by its scale. */
enum orc_from { ORC_FROM_NONE, ORC_FROM_EPOCH_MS, ORC_FROM_STRING, ORC_FROM_EPOCH_S, ORC_FROM_ISO,
                ORC_FROM_MINOR };

#define ORC_MAX_COLS 128 /* a guessed job keeps every field: 70-odd for WDT (e2e guess_wdt) */
#define ORC_MAX_TABLES 8

/* Personal data as the job protects it (docs/personal-data.md), restated: the `personal`
 * directive's mask widths and HMAC key, and each column's personal= option. */
typedef struct orc_personal {
    int keep_first, keep_last;
    unsigned char key[64];
    size_t key_len;
} orc_personal;

enum orc_pii { ORC_PII_NONE, ORC_PII_MASK, ORC_PII_HASH, ORC_PII_DROP };

typedef struct orc_col {
    char name[65];
    enum orc_type type;
    int len, scale;         /* varchar(len); decimal(len,scale) */
    char path[128];         /* dotted JSON path in the record; for ORC_PARENT the parent column */
    int parent_col;         /* ORC_PARENT: index of that column in the parent table */
    enum orc_from from;     /* datetime source form */
    int tz_offset_s;        /* datetime from epoch_ms, epoch_s or iso: the target zone */
    int truncate;           /* varchar: cut to len code points instead of keeping the overflow */
    int has_default;
    char def[128];          /* the default, as the canonical cell text */
    int required;
    enum orc_pii pii;       /* personal=mask|hash|drop */
    const orc_personal *pp; /* the rules' personal settings (pii columns) */
} orc_col;

typedef struct orc_table {
    char name[65];
    int parent;             /* -1 for the top table, else the index of its parent table (which
                               may itself be a child: a child of a child) */
    char each[128];         /* child tables: the array field of the parent record */
    char key_name[65], window_name[65];
    int key_col;            /* index of the key column (a single bigint) */
    int window_col;         /* top table: the datetime column --from/--to filter on, or -1 */
    int ncols;
    orc_col cols[ORC_MAX_COLS];
} orc_table;

typedef struct orc_rules {
    orc_personal personal;
    int ntables;
    orc_table tables[ORC_MAX_TABLES];
} orc_rules;

/* Reads the rules file at path into *r; on failure returns -1 with "path:line: message" in err. */
int orc_rules_load(const char *path, orc_rules *r, char *err, size_t errlen);

/* Prints CREATE TABLE IF NOT EXISTS statements for every table of r on stdout. */
void orc_rules_print_ddl(const orc_rules *r);

#endif
