/* convert_num.c: the numeric converters (int, bigint, decimal, minor, bool). Exact: integers by
 * integer arithmetic, decimals by decimal.h's digit strings, never through a double that was
 * not already the API's value. */
#include <math.h>
#include <string.h>

#include "convert_int.h"
#include "decimal.h"

static sl_status apply_int(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                           size_t col, sl_error *err)
{
    int64_t n;
    bool empty;
    char buf[21];
    sl_status st = conv_to_i64(v, &n, &empty, err);
    if (st || empty)
        return st;
    if (c->kind == CONV_INT && (n < INT32_MIN || n > INT32_MAX))
        return conv_bad(err, "%lld is out of range for INT", (long long)n);
    return sl_rowset_set(rs, row, col, buf, sl_i64_text(n, buf)) ? conv_oom(err) : SL_OK;
}

sl_status conv_compile_INT(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                           const char **bad_field)
{
    return SL_OK;
}

sl_status conv_apply_INT(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                         size_t col, sl_error *err)
{
    return apply_int(c, v, rs, row, col, err);
}

sl_status conv_compile_BIGINT(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                              const char **bad_field)
{
    return SL_OK;
}

sl_status conv_apply_BIGINT(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                            size_t col, sl_error *err)
{
    return apply_int(c, v, rs, row, col, err);
}

/* Writes d as DECIMAL(p,s) into the cell, or rejects it when it has too many integer digits. */
static sl_status put_decimal(const sl_conv *c, const sl_dec *d, sl_rowset *rs, size_t row,
                             size_t col, sl_error *err)
{
    size_t cap = (size_t)c->args[0] + 3;
    char *dst = sl_rowset_reserve(rs, cap);
    if (!dst)
        return conv_oom(err);
    int len = sl_dec_format(d, c->args[0], c->args[1], dst, cap);
    if (len < 0) {
        char plain[128];
        int n = sl_dec_plain(d, plain, sizeof plain);
        if (n < 0)
            return conv_bad(err, "value does not fit %s", c->sql_type);
        return conv_bad(err, "%.*s does not fit %s", n, plain, c->sql_type);
    }
    sl_rowset_commit(rs, row, col, (size_t)len);
    return SL_OK;
}

sl_status conv_compile_DECIMAL(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                               const char **bad_field)
{
    return SL_OK;
}

sl_status conv_apply_DECIMAL(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                             size_t col, sl_error *err)
{
    sl_dec d;
    switch (json_typeof(v)) {
    case JSON_INTEGER: sl_dec_from_int(&d, json_integer_value(v)); break;
    case JSON_REAL: sl_dec_from_double(&d, json_real_value(v)); break;
    case JSON_STRING:
        if (json_string_length(v) == 0)
            return SL_OK;
        if (!sl_dec_from_text(&d, json_string_value(v), json_string_length(v)))
            return conv_bad(err, "not a number: \"%s\"", EXCERPT(v));
        break;
    default: return conv_bad(err, "expected a number, got %s", conv_kind_name(v));
    }
    return put_decimal(c, &d, rs, row, col, err);
}

sl_status conv_compile_MINOR(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                             const char **bad_field)
{
    return SL_OK;
}

/* An optional sign and at least one digit, nothing else. */
static bool all_digits(const char *s, size_t len)
{
    size_t sign = len && (s[0] == '-' || s[0] == '+');
    if (len == sign)
        return false;
    for (size_t i = sign; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* A whole number of minor units into d: integers and digit strings exactly; a JSON real only
 * when it is whole and at most 2^53, where a double still holds the digits the API sent. */
static sl_status read_minor(const json_t *v, sl_dec *d, bool *empty, sl_error *err)
{
    double r;
    *empty = false;
    switch (json_typeof(v)) {
    case JSON_INTEGER: sl_dec_from_int(d, json_integer_value(v)); return SL_OK;
    case JSON_REAL:
        r = json_real_value(v);
        if (!(r <= 9007199254740992.0 && r >= -9007199254740992.0) || r != trunc(r))
            return conv_bad(err, "not an exact whole number of minor units: %.17g", r);
        sl_dec_from_double(d, r);
        return SL_OK;
    case JSON_STRING:
        if (json_string_length(v) == 0) {
            *empty = true;
            return SL_OK;
        }
        if (!all_digits(json_string_value(v), json_string_length(v)))
            return conv_bad(err, "not a whole number of minor units: \"%s\"", EXCERPT(v));
        if (!sl_dec_from_text(d, json_string_value(v), json_string_length(v)))
            return conv_bad(err, "more than %d digits: \"%s\"", SL_DEC_MAX_DIGITS, EXCERPT(v));
        return SL_OK;
    default: return conv_bad(err, "expected a whole number of minor units, got %s",
                             conv_kind_name(v));
    }
}

sl_status conv_apply_MINOR(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                           size_t col, sl_error *err)
{
    sl_dec d;
    bool empty;
    sl_status st = read_minor(v, &d, &empty, err);
    if (st || empty)
        return st;
    d.exp -= c->args[1]; /* 1999 at scale 2 is 1999 x 10^-2: exact, only the point moves */
    return put_decimal(c, &d, rs, row, col, err);
}

sl_status conv_compile_BOOL(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                            const char **bad_field)
{
    return SL_OK;
}

/* 1 or 0 for a boolean-like string, -1 for anything else. */
static int bool_text(const char *s)
{
    if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
        return 1;
    if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
        return 0;
    return -1;
}

sl_status conv_apply_BOOL(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                          size_t col, sl_error *err)
{
    int b = -1;
    switch (json_typeof(v)) {
    case JSON_TRUE: b = 1; break;
    case JSON_FALSE: b = 0; break;
    case JSON_INTEGER:
        if (json_integer_value(v) == 0 || json_integer_value(v) == 1)
            b = (int)json_integer_value(v);
        break;
    case JSON_REAL:
        if (json_real_value(v) == 0 || json_real_value(v) == 1)
            b = json_real_value(v) == 1;
        break;
    case JSON_STRING:
        if (json_string_length(v) == 0)
            return SL_OK;
        if ((b = bool_text(json_string_value(v))) < 0)
            return conv_bad(err, "not a boolean: \"%s\"", EXCERPT(v));
        break;
    default: break;
    }
    if (b < 0)
        return conv_bad(err, "expected true/false or 0/1, got %s", conv_kind_name(v));
    return sl_rowset_set(rs, row, col, b ? "1" : "0", 1) ? conv_oom(err) : SL_OK;
}
