/* sql_tsv.c: the LOAD DATA statement and the rows it reads as TSV (sql.h): every value reads
 * back byte for byte. */
#include "sql.h"

int sl_sql_load_data(sl_sqlbuf *b, const sl_table *t)
{
    int rc = sl_sqlbuf_str(b, "LOAD DATA LOCAL INFILE 'sluice-rows' REPLACE INTO TABLE ");
    rc |= sl_sqlbuf_ident(b, t->name);
    rc |= sl_sqlbuf_str(b, " CHARACTER SET utf8mb4 FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\'"
                           " LINES TERMINATED BY '\\n' (");
    for (size_t c = 0; c < t->n_cols; c++) {
        if (c)
            rc |= sl_sqlbuf_add(b, ",", 1);
        rc |= sl_sqlbuf_ident(b, t->cols[c].name);
    }
    rc |= sl_sqlbuf_add(b, ")", 1);
    return rc ? -1 : 0;
}

/* The letter after the backslash for a byte LOAD DATA must see escaped, or 0. */
static char tsv_escape(char ch)
{
    switch (ch) {
    case '\t': return 't';
    case '\n': return 'n';
    case '\r': return 'r';
    case '\\': return '\\';
    case '\0': return '0';
    default: return 0;
    }
}

/* Appends one cell's value, escaped: runs of plain bytes in one copy each. */
static int tsv_value(sl_sqlbuf *b, const char *s, size_t n)
{
    if (n == 0)
        return 0;
    int rc = 0;
    size_t run = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        char e = tsv_escape(s[i]);
        if (!e)
            continue;
        char pair[2] = {'\\', e};
        rc |= sl_sqlbuf_add(b, s + run, i - run);
        rc |= sl_sqlbuf_add(b, pair, 2);
        run = i + 1;
    }
    rc |= sl_sqlbuf_add(b, s + run, n - run);
    return rc ? -1 : 0;
}

int sl_sql_tsv_row(sl_sqlbuf *b, const sl_rowset *rs, size_t row)
{
    size_t before = b->len;
    const sl_cell *cells = rs->cells + row * rs->n_cols;
    int rc = 0;
    for (size_t c = 0; c < rs->n_cols && rc == 0; c++) {
        if (c)
            rc |= sl_sqlbuf_add(b, "\t", 1);
        if (cells[c].len < 0)
            rc |= sl_sqlbuf_add(b, "\\N", 2);
        else
            rc |= tsv_value(b, rs->text + cells[c].off, (size_t)cells[c].len);
    }
    rc |= sl_sqlbuf_add(b, "\n", 1);
    if (rc) {
        b->len = before;
        if (b->data)
            b->data[before] = '\0';
    }
    return rc ? -1 : 0;
}
