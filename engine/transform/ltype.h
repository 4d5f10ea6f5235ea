/* ltype.h: the logical column types the converters produce and the engine's own tables use.
 * A sink's dialect writes each as its database's SQL type (the MySQL sink: DECIMAL(19,4),
 * VARCHAR(64), TINYINT(1), LONGTEXT, ...), so nothing above the sink names a database's types. */
#ifndef SLUICE_LTYPE_H
#define SLUICE_LTYPE_H

typedef enum sl_ltype_kind {
    SL_LT_INT,       /* 32-bit integer */
    SL_LT_BIGINT,    /* 64-bit integer */
    SL_LT_DECIMAL,   /* exact decimal(n, scale) */
    SL_LT_BOOL,      /* 1 or 0 */
    SL_LT_DATETIME,  /* wall-clock date and time, n fractional digits */
    SL_LT_TIMESTAMP, /* an instant the database records itself (engine tables), n digits */
    SL_LT_VARCHAR,   /* at most n characters */
    SL_LT_TEXT,      /* at most 65535 bytes */
    SL_LT_JSON,      /* JSON text of any length */
} sl_ltype_kind;

/* A logical type: the kind and its numbers (0 where the kind has none). */
typedef struct sl_ltype {
    sl_ltype_kind kind;
    int n;     /* decimal: precision; varchar: characters; datetime/timestamp: fraction digits */
    int scale; /* decimal: digits after the point */
} sl_ltype;

#endif
