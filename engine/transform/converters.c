/* converters.c: the converter registry (convert.def; the interface is convert.h): parsing a column's type, the options each
 * kind takes, and dispatch to the kind's hooks (convert_int.h) at compile and at row time. */
#include "convert.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "convert_int.h"
#include "text.h"

static const struct conv_info {
    const char *name;
    int min_args, max_args;
    unsigned options;
    const char *doc;
    sl_status (*compile)(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                         const char **bad_field);
    sl_status (*apply)(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row, size_t col,
                       sl_error *err);
} conv_info[] = {
#define SL_CONV(id, name, min_args, max_args, options, doc) \
    {name, min_args, max_args, options, doc, conv_compile_##id, conv_apply_##id},
#include "convert.def"
#undef SL_CONV
};

/* ---- compile ---------------------------------------------------------------------------- */

/* Finds the kind named by the first nlen bytes of type, or says which it may have meant. */
static sl_status find_kind(sl_conv *c, const char *type, size_t nlen, sl_error *err)
{
    const char *names[CONV_COUNT];
    char word[64], hint[64];
    for (int i = 0; i < CONV_COUNT; i++) {
        names[i] = conv_info[i].name;
        if (strlen(names[i]) == nlen && strncasecmp(type, names[i], nlen) == 0) {
            c->kind = (conv_kind)i;
            return SL_OK;
        }
    }
    snprintf(word, sizeof word, "%.*s", (int)sl_text_cut_len(type, nlen, 63), type);
    for (char *w = word; *w; w++)
        *w = (char)(*w >= 'A' && *w <= 'Z' ? *w + 32 : *w);
    conv_did_you_mean(word, names, CONV_COUNT, hint, sizeof hint);
    return sl_error_set(err, SL_ERR_CONFIG, "unknown type '%s'%s", word, hint);
}

/* Reads "(a[,b])" at p (spaces allowed around numbers) into c->args; false if malformed. */
static bool parse_args(sl_conv *c, const char *p)
{
    while (*p == ' ')
        p++;
    if (*p == '(') {
        do {
            char *end;
            p++;
            long v = strtol(p, &end, 10);
            if (end == p || c->n_args == 2 || v < 0 || v > 100000)
                return false;
            c->args[c->n_args++] = (int)v;
            p = end;
            while (*p == ' ')
                p++;
        } while (*p == ',');
        if (*p++ != ')')
            return false;
    }
    return *p == '\0';
}

/* Parses "name" or "name(a[,b])" and checks the count of arguments. */
static sl_status parse_type(sl_conv *c, const char *type, sl_error *err)
{
    size_t nlen = strcspn(type, "( ");
    if (find_kind(c, type, nlen, err))
        return SL_ERR_CONFIG;
    if (!parse_args(c, type + nlen))
        return sl_error_set(err, SL_ERR_CONFIG,
                            "malformed type '%s': expected name or name(n) or name(p,s)", type);
    const struct conv_info *ci = &conv_info[c->kind];
    if (c->n_args >= ci->min_args && c->n_args <= ci->max_args)
        return SL_OK;
    if (ci->max_args == 0)
        return sl_error_set(err, SL_ERR_CONFIG, "type %s takes no arguments", ci->name);
    if (ci->min_args == ci->max_args)
        return sl_error_set(err, SL_ERR_CONFIG, "type %s needs %d argument%s, e.g. %s",
                            ci->name, ci->min_args, ci->min_args > 1 ? "s" : "",
                            c->kind == CONV_DECIMAL ? "decimal(19,4)"
                            : c->kind == CONV_MINOR ? "minor(19,2)"
                                                    : "varchar(64)");
    return sl_error_set(err, SL_ERR_CONFIG, "type %s takes at most %d argument", ci->name,
                        ci->max_args);
}

static sl_status check_args(sl_conv *c, sl_error *err)
{
    if (c->kind == CONV_DECIMAL || c->kind == CONV_MINOR) {
        int p = c->args[0], s = c->args[1];
        if (p < 1 || p > 65 || s > 30 || s > p)
            return sl_error_set(err, SL_ERR_CONFIG,
                                "%s(%d,%d): precision must be 1..65 and scale 0..30, "
                                "at most the precision", conv_info[c->kind].name, p, s);
    } else if (c->n_args == 1 && (c->args[0] < 1 || c->args[0] > VARCHAR_MAX)) {
        return sl_error_set(err, SL_ERR_CONFIG, "length %d must be between 1 and %d",
                            c->args[0], VARCHAR_MAX);
    }
    return SL_OK;
}

/* Rejects spec fields the type does not take. */
static sl_status check_options(const sl_conv_spec *sp, conv_kind kind, sl_error *err,
                               const char **bad_field)
{
    static const struct {
        unsigned bit;
        const char *field;
    } opts[] = {{SL_OPT_FROM, "from"},     {SL_OPT_TZ, "timezone"},
                {SL_OPT_OVERFLOW, "on_overflow"}, {SL_OPT_MAP, "map"},
                {SL_OPT_JOIN, "join"},     {SL_OPT_PATTERN, "pattern"},
                {SL_OPT_GROUP, "group"}};
    const bool given[] = {sp->from, sp->timezone, sp->on_overflow, sp->map,
                          sp->join, sp->pattern,  sp->has_group};
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        if (given[i] && !(conv_info[kind].options & opts[i].bit)) {
            char msg[160];
            snprintf(msg, sizeof msg, "'%s' does not apply to type %s", opts[i].field,
                     conv_info[kind].name);
            return conv_fail(err, bad_field, opts[i].field, msg);
        }
    }
    return SL_OK;
}

static sl_status compile_options(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                                 const char **bad_field)
{
    if (sp->on_overflow) {
        if (strcmp(sp->on_overflow, "truncate") == 0)
            c->truncate = true;
        else if (strcmp(sp->on_overflow, "error") != 0)
            return conv_fail(err, bad_field, "on_overflow",
                             "on_overflow must be error or truncate");
    }
    return conv_info[c->kind].compile(c, sp, err, bad_field);
}

/* The logical type of every converter but enum's (conv_compile_ENUM sets that one). */
static void set_type(sl_conv *c)
{
    switch (c->kind) {
    case CONV_INT: c->type.kind = SL_LT_INT; break;
    case CONV_BIGINT: c->type.kind = SL_LT_BIGINT; break;
    case CONV_DECIMAL:
    case CONV_MINOR: c->type = (sl_ltype){SL_LT_DECIMAL, c->args[0], c->args[1]}; break;
    case CONV_DATETIME: c->type.kind = SL_LT_DATETIME; break;
    case CONV_BOOL: c->type.kind = SL_LT_BOOL; break;
    case CONV_JSON: c->type.kind = SL_LT_JSON; break;
    case CONV_ENUM: break;
    case CONV_VARCHAR:
    case CONV_TEXT:
    case CONV_JOIN:
    case CONV_REGEX:
    case CONV_COUNT:
        if (c->n_args == 1) {
            c->max_chars = (size_t)c->args[0];
            c->type = (sl_ltype){SL_LT_VARCHAR, c->args[0], 0};
        } else {
            c->max_bytes = TEXT_MAX_BYTES;
            c->type.kind = SL_LT_TEXT;
        }
        break;
    }
}

/* The name messages and `sluice plan` show for the converter's type. */
static void set_sql_type(sl_conv *c)
{
    static const char *const names[] = {
        [SL_LT_INT] = "INT",           [SL_LT_BIGINT] = "BIGINT", [SL_LT_BOOL] = "TINYINT(1)",
        [SL_LT_DATETIME] = "DATETIME", [SL_LT_TEXT] = "TEXT",     [SL_LT_JSON] = "LONGTEXT",
    };
    if (c->type.kind == SL_LT_DECIMAL)
        snprintf(c->sql_type, sizeof c->sql_type, "DECIMAL(%d,%d)", c->type.n, c->type.scale);
    else if (c->type.kind == SL_LT_VARCHAR)
        snprintf(c->sql_type, sizeof c->sql_type, "VARCHAR(%d)", c->type.n);
    else
        snprintf(c->sql_type, sizeof c->sql_type, "%s", names[c->type.kind]);
}

sl_conv *sl_conv_compile(const sl_conv_spec *spec, sl_error *err, const char **bad_field)
{
    sl_conv *c = calloc(1, sizeof *c);
    if (!c) {
        conv_fail_oom(err, bad_field, "type");
        return NULL;
    }
    if (!spec->type) {
        conv_fail(err, bad_field, "type", "missing 'type'");
        goto fail;
    }
    if (parse_type(c, spec->type, err) || check_args(c, err)) {
        if (bad_field)
            *bad_field = "type";
        goto fail;
    }
    if (check_options(spec, c->kind, err, bad_field) ||
        compile_options(c, spec, err, bad_field))
        goto fail;
    set_type(c);
    set_sql_type(c);
    return c;
fail:
    sl_conv_free(c);
    return NULL;
}

void sl_conv_free(sl_conv *conv)
{
    if (!conv)
        return;
    json_decref(conv->map);
    free(conv->join);
    sl_regex_free(conv->re);
    free(conv->pattern);
    free(conv);
}

const char *sl_conv_name(const sl_conv *conv)
{
    return conv_info[conv->kind].name;
}

const char *sl_conv_sql_type(const sl_conv *conv)
{
    return conv->sql_type;
}

sl_ltype sl_conv_type(const sl_conv *conv)
{
    return conv->type;
}

void sl_conv_dump(const sl_conv *c, FILE *out)
{
    fprintf(out, "%s", conv_info[c->kind].name);
    if (c->n_args == 2)
        fprintf(out, "(%d,%d)", c->args[0], c->args[1]);
    else if (c->n_args == 1)
        fprintf(out, "(%d)", c->args[0]);
    fprintf(out, " -> %s", c->sql_type);
    if (c->kind == CONV_DATETIME)
        fprintf(out, " from=%s timezone=%s", conv_from_name(c), c->tz_text);
    if (c->kind == CONV_DATETIME && c->from == FROM_AUTO && c->iso_tz != c->tz)
        fprintf(out, " offsets_to=%s", c->iso_tz_text);
    if (c->truncate)
        fprintf(out, " on_overflow=truncate");
    if (c->join)
        fprintf(out, " join=\"%s\"", c->join);
    if (c->pattern)
        fprintf(out, " pattern=\"%s\" group=%d", c->pattern, c->group);
    if (c->map) {
        char *m = json_dumps(c->map, JSON_COMPACT | JSON_SORT_KEYS);
        fprintf(out, " map=%s", m ? m : "?");
        free(m);
    }
}

/* ---- verify: a window as the column holds it ---- */

static int put_i64_range(sl_conv_range *r, int64_t lo, int64_t hi)
{
    int a = snprintf(r->lo, sizeof r->lo, "%" PRId64, lo);
    int b = snprintf(r->hi, sizeof r->hi, "%" PRId64, hi);
    return a > 0 && b > 0 ? 0 : -1;
}

int sl_conv_zone(const sl_conv *c, int window_tz)
{
    return c->kind == CONV_DATETIME ? conv_datetime_zone(c, window_tz) : window_tz;
}

int sl_conv_window_ranges(const sl_conv *c, const sl_window_plan *wp, int64_t from,
                          int64_t to, sl_conv_range out[2])
{
    switch (c->kind) {
    case CONV_DATETIME:
        sl_time_format(from, conv_datetime_zone(c, wp->tz_offset_s), out[0].lo);
        sl_time_format(to, conv_datetime_zone(c, wp->tz_offset_s), out[0].hi);
        return 1;
    case CONV_INT:
    case CONV_BIGINT:
    case CONV_DECIMAL:
        if (put_i64_range(&out[0], from, to))
            return -1;
        /* Milliseconds of the same instants never meet seconds, except in 1970's first days. */
        if (from > INT64_MAX / 1000 - 1 || to > INT64_MAX / 1000 - 1 || from < 0 ||
            from * 1000 <= to)
            return 1;
        return put_i64_range(&out[1], from * 1000, to * 1000 + 999) ? -1 : 2;
    default:
        if (sl_time_bound(wp->format, from, wp->tz_offset_s, out[0].lo, sizeof out[0].lo) < 0 ||
            sl_time_bound(wp->format, to, wp->tz_offset_s, out[0].hi, sizeof out[0].hi) < 0)
            return -1;
        return 1;
    }
}

/* ---- apply ------------------------------------------------------------------------------ */

sl_status sl_conv_apply(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                        size_t col, sl_error *err)
{
    if (!v || json_is_null(v))
        return SL_OK;
    return conv_info[c->kind].apply(c, v, rs, row, col, err);
}

sl_status sl_conv_default_text(const sl_conv *conv, const json_t *value, char **out,
                               sl_error *err)
{
    sl_rowset rs = {.n_cols = 1};
    int32_t len;
    sl_status st;
    *out = NULL;
    if (sl_rowset_add_row(&rs) == SIZE_MAX) {
        st = conv_oom(err);
        goto out;
    }
    if ((st = sl_conv_apply(conv, value, &rs, 0, 0, err)) != SL_OK)
        goto out;
    const char *s = sl_rowset_get(&rs, 0, 0, &len);
    if (len >= 0 && !(*out = strndup(s ? s : "", (size_t)len)))
        st = conv_oom(err);
out:
    free(rs.cells);
    free(rs.parent);
    free(rs.dead);
    free(rs.text);
    if (st == SL_ERR_DATA && err) /* a bad default is the job file's fault */
        st = err->code = SL_ERR_CONFIG;
    return st;
}
