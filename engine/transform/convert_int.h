/* convert_int.h: what the converter files share and nothing outside engine/transform/ sees: the
 * compiled converter, the per-kind hooks named after convert.def, and the helpers that read a
 * JSON value and word a rejection. A converter kind is one line in convert.def plus its
 * conv_compile_<ID> and conv_apply_<ID> in the file of its family (convert_num.c,
 * convert_time.c, convert_text.c). */
#ifndef SLUICE_CONVERT_INT_H
#define SLUICE_CONVERT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "batch.h"
#include "convert_spec.h"
#include "error.h"
#include "ltype.h"
#include "regex.h"

typedef enum conv_kind {
#define SL_CONV(id, name, min_args, max_args, options, doc) CONV_##id,
#include "convert.def"
#undef SL_CONV
    CONV_COUNT
} conv_kind;

typedef enum from_kind { FROM_AUTO, FROM_STRING, FROM_EPOCH_MS, FROM_EPOCH_S } from_kind;

#define TEXT_MAX_BYTES 65535
#define VARCHAR_MAX 16383

struct sl_conv {
    conv_kind kind;
    int args[2];
    int n_args;
    from_kind from;
    int tz;         /* datetime: the zone epochs are written in */
    char tz_text[16];
    int iso_tz;     /* datetime: the zone a value with its own offset is moved to */
    char iso_tz_text[16];
    bool truncate;
    json_t *map; /* enum: input text -> output string or null */
    char *join;
    size_t join_len;
    sl_regex *re;
    char *pattern;
    int group;
    size_t max_chars; /* code points; 0 = no limit */
    size_t max_bytes; /* 0 = no limit */
    char sql_type[32]; /* the type's name in messages and `sluice plan` */
    sl_ltype type;     /* what the sink creates the column as */
};

/* The hooks of each kind. compile reads the kind's own spec fields into c (type and arguments
 * are parsed already) and returns SL_OK, or an error with *bad_field set; apply converts a
 * value that is neither missing nor JSON null (see sl_conv_apply). */
#define SL_CONV(id, name, min_args, max_args, options, doc)                                    \
    sl_status conv_compile_##id(sl_conv *c, const sl_conv_spec *sp, sl_error *err,            \
                                const char **bad_field);                                      \
    sl_status conv_apply_##id(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,   \
                              size_t col, sl_error *err);
#include "convert.def"
#undef SL_CONV

/* Writes " (did you mean 'x'?)" when a name of names is a likely typo of word, else "". */
void conv_did_you_mean(const char *word, const char *const *names, size_t n, char *out,
                       size_t cap);
/* The datetime converter's `from` name ("auto", "epoch_ms", ...). */
const char *conv_from_name(const sl_conv *c);
/* The zone a datetime column's values are written in, for a job whose windows are in
 * window_tz (seconds east of UTC). */
int conv_datetime_zone(const sl_conv *c, int window_tz);
/* Compile-time failure: records msg as a config error and field as the spec field at fault. */
sl_status conv_fail(sl_error *err, const char **bad_field, const char *field, const char *msg);
/* Out of memory while compiling field. */
sl_status conv_fail_oom(sl_error *err, const char **bad_field, const char *field);
/* Row-time rejection: records the formatted reason; returns SL_ERR_DATA. */
sl_status conv_bad(sl_error *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Out of memory at row time: SL_ERR_INTERNAL with a message. */
sl_status conv_oom(sl_error *err);
/* "an object", "a number", ... for messages about v's JSON type. */
const char *conv_kind_name(const json_t *v);

/* A reason quotes at most this many bytes of a value, cut on a character, controls escaped
 * (text.h), and "..." after a cut. */
#define EXCERPT_MAX 40
typedef struct conv_excerpt {
    char s[EXCERPT_MAX + 4];
} conv_excerpt;
/* e's text quoting s[0..len); returns e->s. */
const char *conv_excerpt_of(conv_excerpt *e, const char *s, size_t len);
#define EXCERPT(v) conv_excerpt_of(&(conv_excerpt){{0}}, json_string_value(v), json_string_length(v))

/* Text of a scalar: strings borrowed, others written into buf (>= 64 bytes). -1: not scalar. */
int conv_scalar_text(const json_t *v, char *buf, size_t cap, const char **s, size_t *len);
/* Parses an optionally signed decimal integer of exactly len bytes into *out (false past
 * int64 or malformed). */
bool conv_parse_i64(const char *s, size_t len, int64_t *out);
/* A JSON integer, integral real or integer string -> *out, SL_OK; *empty for an empty string
 * (a NULL cell); SL_ERR_DATA with the reason otherwise. */
sl_status conv_to_i64(const json_t *v, int64_t *out, bool *empty, sl_error *err);
/* Stores s[0..len) as a text cell within the converter's length limit (cut or rejected as its
 * on_overflow says). */
sl_status conv_store_string(const sl_conv *c, const char *s, size_t len, sl_rowset *rs,
                            size_t row, size_t col, sl_error *err);
/* Bytes of s (len) that fit the converter's limit; *chars is the count reported when not. */
size_t conv_fit_len(const sl_conv *c, const char *s, size_t len, size_t *chars);

#endif
