/* convert_value.c: what every converter family uses to read a JSON value and word a
 * rejection (convert_int.h). Row-time code: no printf/scanf on the success path. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "convert_int.h"
#include "decimal.h"
#include "suggest.h"
#include "text.h"

void conv_did_you_mean(const char *word, const char *const *names, size_t n, char *out,
                       size_t cap)
{
    const char *guess = sl_did_you_mean(word, names, n);
    if (guess)
        snprintf(out, cap, " (did you mean '%s'?)", guess);
    else if (cap)
        out[0] = '\0';
}

sl_status conv_fail(sl_error *err, const char **bad_field, const char *field, const char *msg)
{
    if (bad_field)
        *bad_field = field;
    return sl_error_set(err, SL_ERR_CONFIG, "%s", msg);
}

sl_status conv_fail_oom(sl_error *err, const char **bad_field, const char *field)
{
    if (bad_field)
        *bad_field = field;
    return conv_oom(err);
}

sl_status conv_bad(sl_error *err, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return sl_error_set(err, SL_ERR_DATA, "%s", msg);
}

sl_status conv_oom(sl_error *err)
{
    return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
}

const char *conv_kind_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

const char *conv_excerpt_of(conv_excerpt *e, const char *s, size_t len)
{
    size_t used = sl_text_escape(e->s, EXCERPT_MAX + 1, s, len);
    if (used < len)
        memcpy(e->s + strlen(e->s), "...", 4);
    return e->s;
}

int conv_scalar_text(const json_t *v, char *buf, size_t cap, const char **s, size_t *len)
{
    sl_dec d;
    int n;
    switch (json_typeof(v)) {
    case JSON_STRING:
        *s = json_string_value(v);
        *len = json_string_length(v);
        return 0;
    case JSON_INTEGER:
        *len = sl_i64_text(json_integer_value(v), buf);
        break;
    case JSON_REAL:
        sl_dec_from_double(&d, json_real_value(v));
        if ((n = sl_dec_plain(&d, buf, cap)) < 0) /* beyond 1e60 or so: exponent form */
            n = snprintf(buf, cap, "%.17g", json_real_value(v));
        *len = (size_t)n;
        break;
    case JSON_TRUE:
    case JSON_FALSE:
        *len = (size_t)snprintf(buf, cap, "%s", json_is_true(v) ? "true" : "false");
        break;
    default:
        return -1;
    }
    *s = buf;
    return 0;
}

bool conv_parse_i64(const char *s, size_t len, int64_t *out)
{
    size_t i = 0;
    bool neg = false;
    uint64_t u = 0, lim;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    if (i == len)
        return false;
    lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        unsigned dgt = (unsigned)(s[i] - '0');
        if (u > (lim - dgt) / 10)
            return false;
        u = u * 10 + dgt;
    }
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return true;
}

sl_status conv_to_i64(const json_t *v, int64_t *out, bool *empty, sl_error *err)
{
    double d;
    *empty = false;
    switch (json_typeof(v)) {
    case JSON_INTEGER:
        *out = json_integer_value(v);
        return SL_OK;
    case JSON_REAL:
        d = json_real_value(v);
        if (d != trunc(d) || fabs(d) >= 9.2e18)
            return conv_bad(err, "not an integer: %.17g", d);
        *out = (int64_t)d;
        return SL_OK;
    case JSON_STRING:
        if (json_string_length(v) == 0) {
            *empty = true;
            return SL_OK;
        }
        if (!conv_parse_i64(json_string_value(v), json_string_length(v), out))
            return conv_bad(err, "not an integer: \"%s\"", EXCERPT(v));
        return SL_OK;
    default:
        return conv_bad(err, "expected an integer, got %s", conv_kind_name(v));
    }
}

size_t conv_fit_len(const sl_conv *c, const char *s, size_t len, size_t *chars)
{
    size_t i = 0, n = 0;
    *chars = 0;
    if (c->max_bytes) {
        if (len <= c->max_bytes)
            return len;
        for (i = c->max_bytes; i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80; i--)
            ;
        *chars = len; /* reported in bytes for TEXT */
        return i;
    }
    if (!c->max_chars || len <= c->max_chars)
        return len;
    size_t cut = len;
    for (i = 0; i < len; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && n++ == c->max_chars && cut == len)
            cut = i;
    }
    *chars = n;
    return cut;
}

sl_status conv_store_string(const sl_conv *c, const char *s, size_t len, sl_rowset *rs,
                            size_t row, size_t col, sl_error *err)
{
    size_t chars, keep = conv_fit_len(c, s, len, &chars);
    if (keep < len && !c->truncate) {
        if (c->max_bytes)
            return conv_bad(err, "%zu bytes, more than %s holds (%zu)", len, c->sql_type,
                            c->max_bytes);
        return conv_bad(err, "%zu characters, more than %s holds", chars, c->sql_type);
    }
    return sl_rowset_set(rs, row, col, s, keep) ? conv_oom(err) : SL_OK;
}
