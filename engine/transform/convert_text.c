/* convert_text.c: the converters that store text: varchar, text, enum, join, regex and json.
 * Lengths count what the MySQL column counts (code points for VARCHAR(n), bytes for TEXT). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert_int.h"
#include "decimal.h"

static sl_status apply_string(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                              size_t col, sl_error *err)
{
    char buf[64];
    const char *s;
    size_t len;
    if (conv_scalar_text(v, buf, sizeof buf, &s, &len))
        return conv_bad(err, "expected a string, got %s (use type json)", conv_kind_name(v));
    return conv_store_string(c, s, len, rs, row, col, err);
}

sl_status conv_compile_VARCHAR(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                               const char **bad_field)
{
    return SL_OK;
}

sl_status conv_apply_VARCHAR(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                             size_t col, sl_error *err)
{
    return apply_string(c, v, rs, row, col, err);
}

sl_status conv_compile_TEXT(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                            const char **bad_field)
{
    return SL_OK;
}

sl_status conv_apply_TEXT(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                          size_t col, sl_error *err)
{
    return apply_string(c, v, rs, row, col, err);
}

/* ---- enum ---- */

/* A map value as the text it stores (a string as it is, a number or boolean as written, null
 * as null); NULL when out of memory or (with *not_scalar) when it is no scalar. */
static json_t *map_value(json_t *val, bool *not_scalar)
{
    char buf[64];
    sl_dec d;
    int n;
    *not_scalar = false;
    if (json_is_null(val))
        return json_null();
    if (json_is_string(val))
        return json_incref(val);
    if (json_is_boolean(val))
        n = snprintf(buf, sizeof buf, "%s", json_is_true(val) ? "true" : "false");
    else if (json_is_integer(val))
        n = (int)sl_i64_text(json_integer_value(val), buf);
    else if (json_is_real(val)) {
        sl_dec_from_double(&d, json_real_value(val));
        if ((n = sl_dec_plain(&d, buf, sizeof buf)) < 0)
            n = snprintf(buf, sizeof buf, "%.17g", json_real_value(val));
    } else {
        *not_scalar = true;
        return NULL;
    }
    return json_stringn(buf, (size_t)n);
}

static size_t utf8_chars(const char *s)
{
    size_t chars = 0;
    for (; *s; s++)
        chars += ((unsigned char)*s & 0xC0) != 0x80;
    return chars;
}

sl_status conv_compile_ENUM(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                            const char **bad_field)
{
    const char *key;
    json_t *val;
    size_t width = 1;
    if (!sp->map)
        return conv_fail(err, bad_field, "type", "type enum needs a 'map' of value: text");
    if (!json_is_object(sp->map) || json_object_size(sp->map) == 0)
        return conv_fail(err, bad_field, "map", "'map' must be a non-empty mapping");
    if (!(c->map = json_object()))
        return conv_fail_oom(err, bad_field, "map");
    json_object_foreach((json_t *)sp->map, key, val) {
        bool not_scalar;
        json_t *out = map_value(val, &not_scalar);
        if (not_scalar) {
            char msg[160];
            snprintf(msg, sizeof msg, "map value for '%s' must be a scalar", key);
            return conv_fail(err, bad_field, "map", msg);
        }
        if (!out || json_object_set_new(c->map, key, out))
            return conv_fail_oom(err, bad_field, "map");
        if (json_is_string(out) && utf8_chars(json_string_value(out)) > width)
            width = utf8_chars(json_string_value(out));
    }
    if (width > VARCHAR_MAX)
        return conv_fail(err, bad_field, "map", "map values are longer than 16383 characters");
    c->type = (sl_ltype){SL_LT_VARCHAR, (int)width, 0};
    return SL_OK;
}

sl_status conv_apply_ENUM(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                          size_t col, sl_error *err)
{
    char buf[64];
    const char *s;
    size_t len;
    if (conv_scalar_text(v, buf, sizeof buf, &s, &len))
        return conv_bad(err, "expected a scalar to map, got %s", conv_kind_name(v));
    const json_t *out = json_object_getn(c->map, s, len);
    if (!out)
        return conv_bad(err, "value \"%s\" is not in the map",
                        conv_excerpt_of(&(conv_excerpt){{0}}, s, len));
    if (json_is_null(out))
        return SL_OK;
    return sl_rowset_set(rs, row, col, json_string_value(out), json_string_length(out))
               ? conv_oom(err)
               : SL_OK;
}

/* ---- join ---- */

sl_status conv_compile_JOIN(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                            const char **bad_field)
{
    const char *sep = sp->join ? sp->join : ",";
    if (!(c->join = strdup(sep)))
        return conv_fail_oom(err, bad_field, "join");
    c->join_len = strlen(sep);
    return SL_OK;
}

/* Writes the elements of array v (or the scalar v) joined by the separator into the arena. */
sl_status conv_apply_JOIN(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                          size_t col, sl_error *err)
{
    size_t n = json_is_array(v) ? json_array_size(v) : 1, bound = 0, len = 0, chars;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
        if (json_is_object(e) || json_is_array(e))
            return conv_bad(err, "join: element %zu is %s", i, conv_kind_name(e));
        bound += (json_is_string(e) ? json_string_length(e) : 64) + c->join_len;
    }
    char *dst = sl_rowset_reserve(rs, bound);
    if (!dst)
        return conv_oom(err);
    for (size_t i = 0, k = 0; i < n; i++) {
        const json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
        const char *s;
        size_t l;
        if (json_is_null(e))
            continue;
        if (k++) {
            memcpy(dst + len, c->join, c->join_len);
            len += c->join_len;
        }
        conv_scalar_text(e, dst + len, 64, &s, &l);
        if (s != dst + len)
            memcpy(dst + len, s, l);
        len += l;
    }
    size_t keep = conv_fit_len(c, dst, len, &chars);
    if (keep < len && !c->truncate)
        return conv_bad(err, "joined text of %zu %s is more than %s holds",
                        c->max_bytes ? len : chars, c->max_bytes ? "bytes" : "characters",
                        c->sql_type);
    sl_rowset_commit(rs, row, col, keep);
    return SL_OK;
}

/* ---- regex ---- */

sl_status conv_compile_REGEX(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                             const char **bad_field)
{
    char msg[300];
    if (!sp->pattern)
        return conv_fail(err, bad_field, "type", "type regex needs a 'pattern'");
    if (!(c->pattern = strdup(sp->pattern)))
        return conv_fail_oom(err, bad_field, "pattern");
    sl_error rerr = {0};
    if (!(c->re = sl_regex_compile(sp->pattern, &rerr, NULL)))
        return conv_fail(err, bad_field, "pattern", rerr.msg);
    c->group = sp->has_group ? sp->group : (sl_regex_groups(c->re) > 0 ? 1 : 0);
    if (c->group < 0 || c->group > sl_regex_groups(c->re)) {
        snprintf(msg, sizeof msg, "group %d does not exist: the pattern has %d group%s",
                 c->group, sl_regex_groups(c->re), sl_regex_groups(c->re) == 1 ? "" : "s");
        return conv_fail(err, bad_field, "group", msg);
    }
    return SL_OK;
}

sl_status conv_apply_REGEX(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                           size_t col, sl_error *err)
{
    char buf[64];
    const char *s;
    size_t len, start, glen;
    if (conv_scalar_text(v, buf, sizeof buf, &s, &len))
        return conv_bad(err, "expected a string to match, got %s", conv_kind_name(v));
    sl_regex_rc rc = sl_regex_group(c->re, s, len, c->group, &start, &glen);
    if (rc == SL_RE_FAILED)
        return conv_bad(err, "%s", sl_regex_failure(c->re));
    if (rc == SL_RE_NOMATCH)
        return SL_OK; /* NULL */
    return conv_store_string(c, s + start, glen, rs, row, col, err);
}

/* ---- json ---- */

sl_status conv_compile_JSON(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                            const char **bad_field)
{
    return SL_OK;
}

sl_status conv_apply_JSON(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                          size_t col, sl_error *err)
{
    const size_t flags = JSON_COMPACT | JSON_ENCODE_ANY;
    size_t n = json_dumpb(v, NULL, 0, flags);
    char *dst = sl_rowset_reserve(rs, n);
    if (!dst || json_dumpb(v, dst, n, flags) != n)
        return conv_oom(err);
    sl_rowset_commit(rs, row, col, n);
    return SL_OK;
}
