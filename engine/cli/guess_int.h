/* guess_int.h: the parts of `sluice guess` (guess.c). guess_type.c infers one column's type
 * from the values it sees, through the engine's own converters; guess_scan.c reads replies and
 * gathers the records path, the paging total, the windows and one tracker per leaf field;
 * guess_emit.c prints the job skeleton. Everything kept per field or window is bounded: values
 * are looked at once and forgotten, only counts, widths and three samples stay. */
#ifndef SLUICE_GUESS_INT_H
#define SLUICE_GUESS_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "batch.h"
#include "convert.h"
#include "error.h"

/* ---- one column's type (guess_type.c) ---- */

/* The converters a column is tried against, in the order a verdict prefers them. */
typedef enum gs_cand {
    GS_BOOL,
    GS_INT,
    GS_BIGINT,
    GS_EPOCH_MS,
    GS_EPOCH_S,
    GS_DT_STRING,
    GS_DT_AUTO,
    GS_DECIMAL,
    GS_N_CANDS
} gs_cand;

/* The converters, compiled once, and a scratch row they write into. */
typedef struct gs_convs {
    sl_conv *conv[GS_N_CANDS];
    sl_rowset rs;
} gs_convs;

enum { GS_SAMPLES = 3, GS_SAMPLE_BYTES = 48 };

typedef struct gs_type {
    unsigned ok;             /* GS_* bits of converters that accepted every value seen */
    bool time_name;          /* the field's name says it holds a time (epochs are read as such) */
    bool id_name;            /* the field's name says it is an id (integers get bigint's room) */
    size_t n_values;         /* present and neither null nor "" */
    size_t n_empty;          /* null or "" */
    size_t n_str, n_int, n_real, n_bool, n_tree;
    size_t n_str_point;      /* strings holding a '.' (money as text) */
    size_t max_chars, max_bytes; /* of the value as text */
    int int_digits, scale;   /* decimal: most digits before and after the point */
    size_t n_samples;
    char samples[GS_SAMPLES][GS_SAMPLE_BYTES];
} gs_type;

/* The converters every tracker tries; NULL when out of memory. */
gs_convs *gs_convs_new(void);
void gs_convs_free(gs_convs *cv);
/* True when name (a JSON key) names an id: id, *_id, *Id, *ID. */
bool gs_id_name(const char *name);
/* A tracker for the field called name (its last key). */
void gs_type_init(gs_type *t, const char *name);
/* Looks at one value (NULL: missing, not counted). Returns SL_OK or SL_ERR_INTERNAL. */
sl_status gs_type_add(gs_type *t, gs_convs *cv, const json_t *v);

/* A verdict: the column's options as written in the job. */
typedef struct gs_verdict {
    char type[40];       /* "bigint", "decimal(19,4)", "varchar(64)", ... */
    const char *from;    /* datetime: string, epoch_ms, epoch_s, auto; else NULL */
    bool timezone;       /* write a timezone (epochs are converted to it) */
    const char *note;    /* why, when the values left doubt; or NULL */
} gs_verdict;

/* The type that every value seen converts to, widened when one would be refused. */
void gs_type_verdict(const gs_type *t, gs_verdict *out);
/* True when the tracker's values can key a table (integers or short text, never empty). */
bool gs_type_keyable(const gs_type *t, size_t n_records);

/* ---- replies and what they hold (guess_scan.c, guess_hash.c) ---- */

enum { GS_MAX_DEPTH = 24 }; /* object levels walked (a JSON path holds at most 32 steps) */

/* A field's values (hashed), each with the hash of the record (or item) holding it: a key
 * holds a value once, unless the same record came again (overlapping windows, re-reads). */
typedef struct gs_hslot {
    uint64_t value, record;
} gs_hslot;

typedef struct gs_hset {
    gs_hslot *slots;
    size_t cap, n;
    bool dup, full; /* a value came in two different records; too many values to tell */
} gs_hset;

/* Notes value v of the record (or item) hashed `record`; sets s->dup when another record held
 * it. Values that can't key a table (lists, objects, reals) set dup too. */
void gs_track_id(gs_hset *s, const json_t *v, uint64_t record);
/* A hash of a whole value, seeded with h, members in the order sent (a record sent again
 * hashes the same); depth counts the levels walked (call with 0). */
uint64_t gs_hash_json(const json_t *v, uint64_t h, int depth);

typedef struct gs_field {
    char *path;   /* JSON path inside the record (or item), as jpath text */
    char *name;   /* the column's name */
    gs_type type;
    gs_hset *ids; /* key candidates only: the values' hashes */
} gs_field;

typedef struct gs_table {
    char *each;   /* child tables: the items' path in the record, "lines[*]"; NULL: the parent */
    char *name;
    gs_field *fields;
    size_t n_fields, cap_fields;
    size_t hint;  /* where the last field was found: records list their keys in one order */
    size_t n_items;
    size_t n_dropped; /* leaf fields past the column limit */
} gs_table;

typedef struct gs_window {
    bool named;               /* from a recorded file's name (run --record); else one reply */
    int64_t from, to;
    int64_t min_page, max_page;
    size_t records;           /* summed over its pages */
    size_t page_size;         /* records on a page that is not its last; 0: one page only */
    size_t last_count;        /* records on its highest page so far */
} gs_window;

typedef struct gs_total {
    char *path;
    size_t seen;       /* replies holding it */
    bool bad;          /* below a page's records, or changing within a window */
    int64_t last;      /* its value in window `win` */
    size_t win;
    size_t exact;      /* windows whose records it equals */
} gs_total;

typedef struct gs_model {
    char *records;            /* the records path */
    size_t n_replies, n_records, n_not_objects;
    size_t max_page_records;
    gs_table *tables;         /* [0] the parent, then the children */
    size_t n_tables, cap_tables;
    gs_total *totals;
    size_t n_totals, cap_totals;
    gs_window *windows;       /* in the order of their files (sorted) */
    size_t n_windows, cap_windows;
    gs_convs *convs;
    uint64_t record_hash[2];  /* of the record and of the item being walked */
    struct sl_jarena *arena;  /* the tree of the reply being read */
} gs_model;

/* One input: a file, and the window and page its name says it was recorded for. */
typedef struct gs_input {
    char *path;
    bool named;               /* FROM_TO_PAGE.json */
    int64_t from, to, page;
} gs_input;

/* Largest reply read, as source.max_body's default; its tree may take twice as much. */
#define GS_MAX_REPLY ((size_t)64 << 20)
/* Reads path (at most GS_MAX_REPLY bytes) and decodes it into m's arena; NULL with a located
 * reason in err. Release it with sl_jarena_drop(m->arena, doc). */
json_t *gs_read_reply(gs_model *m, const char *path, sl_error *err);
/* Finds the records path: the list of objects found in the most replies. SL_ERR_CONFIG when
 * none holds one. */
sl_status gs_find_records(gs_model *m, const gs_input *in, size_t n, sl_error *err);
/* Adds one decoded reply of input `in` to the model (records path known). */
sl_status gs_add_reply(gs_model *m, const gs_input *in, const json_t *doc, sl_error *err);
/* Ends the last window; call after the last gs_add_reply. */
void gs_model_finish(gs_model *m);
/* Frees what the model owns (not the model). */
void gs_model_done(gs_model *m);
/* The best total candidate, or NULL. */
const gs_total *gs_best_total(const gs_model *m);
/* The key column of table t (an index into its fields), or SIZE_MAX when none is unique. */
size_t gs_table_key(const gs_table *t);

/* ---- the job skeleton (guess_emit.c) ---- */

/* The zone in which the first recorded window starts at midnight (the API's own zone), in
 * seconds east of UTC; 0 without a recording. */
int gs_window_tz(const gs_model *m);
/* Prints the job for the model to out; dir and sample (either may be NULL) name the inputs
 * in the header comment. */
void gs_emit(const gs_model *m, const char *dir, const char *sample, FILE *out);

#endif
