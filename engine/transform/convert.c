/* convert.c: compile converter specs (convert.def) and apply them per field. Row-time paths use
 * decimal.h and timeutil.h (no printf/scanf) and write into the row set arena. */
#include "convert.h"
#include "suggest.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decimal.h"
#include "regex.h"
#include "text.h"
#include "timeutil.h"

typedef enum conv_kind {
#define SL_CONV(id, name, min_args, max_args, options, doc) CONV_##id,
#include "convert.def"
#undef SL_CONV
    CONV_COUNT
} conv_kind;

static const struct conv_info {
    const char *name;
    int min_args, max_args;
    unsigned options;
    const char *doc;
} conv_info[] = {
#define SL_CONV(id, name, min_args, max_args, options, doc) \
    {name, min_args, max_args, options, doc},
#include "convert.def"
#undef SL_CONV
};

typedef enum from_kind { FROM_AUTO, FROM_STRING, FROM_EPOCH_MS, FROM_EPOCH_S } from_kind;
static const char *const from_names[] = {"auto", "string", "epoch_ms", "epoch_s"};

#define TEXT_MAX_BYTES 65535
#define VARCHAR_MAX 16383

struct sl_conv {
    conv_kind kind;
    int args[2];
    int n_args;
    from_kind from;
    int tz;
    char tz_text[16];
    bool truncate;
    json_t *map; /* enum: input text -> output string or null */
    char *join;
    size_t join_len;
    sl_regex *re;
    char *pattern;
    int group;
    size_t max_chars; /* code points; 0 = no limit */
    size_t max_bytes; /* 0 = no limit */
    char sql_type[32];
};

/* ---- compile ---------------------------------------------------------------------------- */


/* Writes " (did you mean 'x'?)" when a name of names is a likely typo of word, else "". */
static void did_you_mean(const char *word, const char *const *names, size_t n, char *out,
                         size_t cap)
{
    const char *guess = sl_did_you_mean(word, names, n);
    if (guess)
        snprintf(out, cap, " (did you mean '%s'?)", guess);
    else if (cap)
        out[0] = '\0';
}

static int fail(char *err, size_t errlen, const char **bad_field, const char *field,
                const char *msg)
{
    snprintf(err, errlen, "%s", msg);
    if (bad_field)
        *bad_field = field;
    return -1;
}

/* Parses "name" or "name(a[,b])" (spaces allowed around numbers). */
static int parse_type(sl_conv *c, const char *type, char *err, size_t errlen)
{
    size_t nlen = strcspn(type, "( ");
    const char *names[CONV_COUNT];
    char word[64], hint[64];
    for (int i = 0; i < CONV_COUNT; i++) {
        names[i] = conv_info[i].name;
        if (strlen(names[i]) == nlen && strncasecmp(type, names[i], nlen) == 0) {
            c->kind = (conv_kind)i;
            goto args;
        }
    }
    snprintf(word, sizeof word, "%.*s", (int)sl_text_cut_len(type, nlen, 63), type);
    for (char *w = word; *w; w++)
        *w = (char)(*w >= 'A' && *w <= 'Z' ? *w + 32 : *w);
    did_you_mean(word, names, CONV_COUNT, hint, sizeof hint);
    snprintf(err, errlen, "unknown type '%s'%s", word, hint);
    return -1;
args:;
    const char *p = type + nlen;
    while (*p == ' ')
        p++;
    if (*p == '(') {
        do {
            char *end;
            p++;
            long v = strtol(p, &end, 10);
            if (end == p || c->n_args == 2 || v < 0 || v > 100000)
                goto bad;
            c->args[c->n_args++] = (int)v;
            p = end;
            while (*p == ' ')
                p++;
        } while (*p == ',');
        if (*p++ != ')')
            goto bad;
    }
    if (*p)
        goto bad;
    const struct conv_info *ci = &conv_info[c->kind];
    if (c->n_args < ci->min_args || c->n_args > ci->max_args) {
        if (ci->max_args == 0)
            snprintf(err, errlen, "type %s takes no arguments", ci->name);
        else if (ci->min_args == ci->max_args)
            snprintf(err, errlen, "type %s needs %d argument%s, e.g. %s", ci->name, ci->min_args,
                     ci->min_args > 1 ? "s" : "",
                     c->kind == CONV_DECIMAL ? "decimal(19,4)" : "varchar(64)");
        else
            snprintf(err, errlen, "type %s takes at most %d argument", ci->name, ci->max_args);
        return -1;
    }
    return 0;
bad:
    snprintf(err, errlen, "malformed type '%s': expected name or name(n) or name(p,s)", type);
    return -1;
}

static int check_args(sl_conv *c, char *err, size_t errlen)
{
    if (c->kind == CONV_DECIMAL) {
        int p = c->args[0], s = c->args[1];
        if (p < 1 || p > 65 || s > 30 || s > p) {
            snprintf(err, errlen, "decimal(%d,%d): precision must be 1..65 and scale 0..30, "
                                  "at most the precision", p, s);
            return -1;
        }
    } else if (c->n_args == 1 && (c->args[0] < 1 || c->args[0] > VARCHAR_MAX)) {
        snprintf(err, errlen, "length %d must be between 1 and %d", c->args[0], VARCHAR_MAX);
        return -1;
    }
    return 0;
}

/* Rejects spec fields the type does not take. */
static int check_options(const sl_conv_spec *sp, conv_kind kind, char *err, size_t errlen,
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
            return fail(err, errlen, bad_field, opts[i].field, msg);
        }
    }
    return 0;
}

static int compile_datetime(sl_conv *c, const sl_conv_spec *sp, char *err, size_t errlen,
                            const char **bad_field)
{
    if (sp->from) {
        size_t i;
        for (i = 0; i < 4 && strcmp(sp->from, from_names[i]) != 0; i++)
            ;
        if (i == 4) {
            char hint[64], msg[256];
            did_you_mean(sp->from, from_names, 4, hint, sizeof hint);
            snprintf(msg, sizeof msg,
                     "unknown from '%s'%s: expected string, epoch_ms, epoch_s or auto", sp->from,
                     hint);
            return fail(err, errlen, bad_field, "from", msg);
        }
        c->from = (from_kind)i;
    }
    const char *tz = sp->timezone ? sp->timezone : "+00:00";
    if (!sl_tz_parse(tz, &c->tz) || strlen(tz) >= sizeof c->tz_text)
        return fail(err, errlen, bad_field, "timezone",
                    "bad timezone: expected +HH:MM, -HH:MM, Z or UTC");
    snprintf(c->tz_text, sizeof c->tz_text, "%s", tz);
    return 0;
}

static int compile_map(sl_conv *c, const sl_conv_spec *sp, char *err, size_t errlen,
                       const char **bad_field)
{
    const char *key;
    json_t *val;
    size_t width = 1;
    if (!sp->map)
        return fail(err, errlen, bad_field, "type", "type enum needs a 'map' of value: text");
    if (!json_is_object(sp->map) || json_object_size(sp->map) == 0)
        return fail(err, errlen, bad_field, "map", "'map' must be a non-empty mapping");
    if (!(c->map = json_object()))
        return fail(err, errlen, bad_field, "map", "out of memory");
    json_object_foreach((json_t *)sp->map, key, val) {
        json_t *out;
        if (json_is_null(val)) {
            out = json_null();
        } else if (json_is_string(val)) {
            out = json_incref(val);
        } else if (json_is_integer(val) || json_is_real(val) || json_is_boolean(val)) {
            char buf[64];
            sl_dec d;
            int n;
            if (json_is_boolean(val))
                n = snprintf(buf, sizeof buf, "%s", json_is_true(val) ? "true" : "false");
            else if (json_is_integer(val))
                n = (int)sl_i64_text(json_integer_value(val), buf);
            else if (sl_dec_from_double(&d, json_real_value(val)),
                     (n = sl_dec_plain(&d, buf, sizeof buf)) < 0)
                n = snprintf(buf, sizeof buf, "%.17g", json_real_value(val));
            out = json_stringn(buf, (size_t)n);
        } else {
            char msg[160];
            snprintf(msg, sizeof msg, "map value for '%s' must be a scalar", key);
            return fail(err, errlen, bad_field, "map", msg);
        }
        if (!out || json_object_set_new(c->map, key, out))
            return fail(err, errlen, bad_field, "map", "out of memory");
        if (json_is_string(out)) {
            size_t chars = 0;
            for (const char *s = json_string_value(out); *s; s++)
                chars += ((unsigned char)*s & 0xC0) != 0x80;
            width = chars > width ? chars : width;
        }
    }
    if (width > VARCHAR_MAX)
        return fail(err, errlen, bad_field, "map", "map values are longer than 16383 characters");
    snprintf(c->sql_type, sizeof c->sql_type, "VARCHAR(%zu)", width);
    return 0;
}

static int compile_regex(sl_conv *c, const sl_conv_spec *sp, char *err, size_t errlen,
                         const char **bad_field)
{
    char msg[300];
    if (!sp->pattern)
        return fail(err, errlen, bad_field, "type", "type regex needs a 'pattern'");
    if (!(c->pattern = strdup(sp->pattern)))
        return fail(err, errlen, bad_field, "pattern", "out of memory");
    if (!(c->re = sl_regex_compile(sp->pattern, msg, sizeof msg, NULL)))
        return fail(err, errlen, bad_field, "pattern", msg);
    c->group = sp->has_group ? sp->group : (sl_regex_groups(c->re) > 0 ? 1 : 0);
    if (c->group < 0 || c->group > sl_regex_groups(c->re)) {
        snprintf(msg, sizeof msg, "group %d does not exist: the pattern has %d group%s",
                 c->group, sl_regex_groups(c->re), sl_regex_groups(c->re) == 1 ? "" : "s");
        return fail(err, errlen, bad_field, "group", msg);
    }
    return 0;
}

static int compile_options(sl_conv *c, const sl_conv_spec *sp, char *err, size_t errlen,
                           const char **bad_field)
{
    if (sp->on_overflow) {
        if (strcmp(sp->on_overflow, "truncate") == 0)
            c->truncate = true;
        else if (strcmp(sp->on_overflow, "error") != 0)
            return fail(err, errlen, bad_field, "on_overflow",
                        "on_overflow must be error or truncate");
    }
    if (c->kind == CONV_DATETIME)
        return compile_datetime(c, sp, err, errlen, bad_field);
    if (c->kind == CONV_ENUM)
        return compile_map(c, sp, err, errlen, bad_field);
    if (c->kind == CONV_REGEX)
        return compile_regex(c, sp, err, errlen, bad_field);
    if (c->kind == CONV_JOIN) {
        const char *sep = sp->join ? sp->join : ",";
        if (!(c->join = strdup(sep)))
            return fail(err, errlen, bad_field, "join", "out of memory");
        c->join_len = strlen(sep);
    }
    return 0;
}

static void set_sql_type(sl_conv *c)
{
    switch (c->kind) {
    case CONV_INT: snprintf(c->sql_type, sizeof c->sql_type, "INT"); break;
    case CONV_BIGINT: snprintf(c->sql_type, sizeof c->sql_type, "BIGINT"); break;
    case CONV_DECIMAL:
        snprintf(c->sql_type, sizeof c->sql_type, "DECIMAL(%d,%d)", c->args[0], c->args[1]);
        break;
    case CONV_DATETIME: snprintf(c->sql_type, sizeof c->sql_type, "DATETIME"); break;
    case CONV_BOOL: snprintf(c->sql_type, sizeof c->sql_type, "TINYINT(1)"); break;
    case CONV_JSON: snprintf(c->sql_type, sizeof c->sql_type, "LONGTEXT"); break;
    case CONV_ENUM: break; /* set by compile_map */
    case CONV_VARCHAR:
    case CONV_TEXT:
    case CONV_JOIN:
    case CONV_REGEX:
    case CONV_COUNT:
        if (c->n_args == 1) {
            c->max_chars = (size_t)c->args[0];
            snprintf(c->sql_type, sizeof c->sql_type, "VARCHAR(%d)", c->args[0]);
        } else {
            c->max_bytes = TEXT_MAX_BYTES;
            snprintf(c->sql_type, sizeof c->sql_type, "TEXT");
        }
        break;
    }
}

sl_conv *sl_conv_compile(const sl_conv_spec *spec, char *err, size_t errlen,
                         const char **bad_field)
{
    sl_conv *c = calloc(1, sizeof *c);
    if (!c) {
        fail(err, errlen, bad_field, "type", "out of memory");
        return NULL;
    }
    if (!spec->type) {
        fail(err, errlen, bad_field, "type", "missing 'type'");
        goto fail;
    }
    if (parse_type(c, spec->type, err, errlen) || check_args(c, err, errlen)) {
        if (bad_field)
            *bad_field = "type";
        goto fail;
    }
    if (check_options(spec, c->kind, err, errlen, bad_field) ||
        compile_options(c, spec, err, errlen, bad_field))
        goto fail;
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

void sl_conv_dump(const sl_conv *c, FILE *out)
{
    fprintf(out, "%s", conv_info[c->kind].name);
    if (c->n_args == 2)
        fprintf(out, "(%d,%d)", c->args[0], c->args[1]);
    else if (c->n_args == 1)
        fprintf(out, "(%d)", c->args[0]);
    fprintf(out, " -> %s", c->sql_type);
    if (c->kind == CONV_DATETIME)
        fprintf(out, " from=%s timezone=%s", from_names[c->from], c->tz_text);
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

/* ---- apply ------------------------------------------------------------------------------ */

#define OOM (-2)

static int bad(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static const char *kind_name(const json_t *v)
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

/* A reason quotes at most this many bytes of a value, cut on a character, controls escaped
 * (text.h), and "..." after a cut. */
#define EXCERPT_MAX 40
typedef struct excerpt {
    char s[EXCERPT_MAX + 4];
} excerpt;

static const char *excerpt_of(excerpt *e, const char *s, size_t len)
{
    size_t used = sl_text_escape(e->s, EXCERPT_MAX + 1, s, len);
    if (used < len)
        memcpy(e->s + strlen(e->s), "...", 4);
    return e->s;
}
#define EXCERPT(v) excerpt_of(&(excerpt){{0}}, json_string_value(v), json_string_length(v))

/* Text of a scalar: strings borrowed, others written into buf (>= 64 bytes). -1: not scalar. */
static int scalar_text(const json_t *v, char *buf, size_t cap, const char **s, size_t *len)
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

/* Bytes of s (len) that fit the converter's limit; *over when the value had to be cut. */
static size_t fit_len(const sl_conv *c, const char *s, size_t len, size_t *chars)
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

static int store_string(const sl_conv *c, const char *s, size_t len, sl_rowset *rs, size_t row,
                        size_t col, char *err, size_t errlen)
{
    size_t chars, keep = fit_len(c, s, len, &chars);
    if (keep < len && !c->truncate) {
        if (c->max_bytes)
            return bad(err, errlen, "%zu bytes, more than %s holds (%zu)", len, c->sql_type,
                       c->max_bytes);
        return bad(err, errlen, "%zu characters, more than %s holds", chars, c->sql_type);
    }
    return sl_rowset_set(rs, row, col, s, keep) ? OOM : 0;
}

/* Parses an optionally signed decimal integer of exactly len bytes into *out. */
static bool parse_i64(const char *s, size_t len, int64_t *out)
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

/* A JSON integer, integral real or integer string -> *out; 1 = empty string (NULL). */
static int to_i64(const json_t *v, int64_t *out, char *err, size_t errlen)
{
    double d;
    switch (json_typeof(v)) {
    case JSON_INTEGER:
        *out = json_integer_value(v);
        return 0;
    case JSON_REAL:
        d = json_real_value(v);
        if (d != trunc(d) || fabs(d) >= 9.2e18)
            return bad(err, errlen, "not an integer: %.17g", d);
        *out = (int64_t)d;
        return 0;
    case JSON_STRING:
        if (json_string_length(v) == 0)
            return 1;
        if (!parse_i64(json_string_value(v), json_string_length(v), out))
            return bad(err, errlen, "not an integer: \"%s\"", EXCERPT(v));
        return 0;
    default:
        return bad(err, errlen, "expected an integer, got %s", kind_name(v));
    }
}

static int apply_int(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row, size_t col,
                     char *err, size_t errlen)
{
    int64_t n;
    char buf[21];
    int rc = to_i64(v, &n, err, errlen);
    if (rc)
        return rc > 0 ? 0 : rc;
    if (c->kind == CONV_INT && (n < INT32_MIN || n > INT32_MAX))
        return bad(err, errlen, "%lld is out of range for INT", (long long)n);
    return sl_rowset_set(rs, row, col, buf, sl_i64_text(n, buf)) ? OOM : 0;
}

static int apply_decimal(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                         size_t col, char *err, size_t errlen)
{
    sl_dec d;
    switch (json_typeof(v)) {
    case JSON_INTEGER: sl_dec_from_int(&d, json_integer_value(v)); break;
    case JSON_REAL: sl_dec_from_double(&d, json_real_value(v)); break;
    case JSON_STRING:
        if (json_string_length(v) == 0)
            return 0;
        if (!sl_dec_from_text(&d, json_string_value(v), json_string_length(v)))
            return bad(err, errlen, "not a number: \"%s\"", EXCERPT(v));
        break;
    default: return bad(err, errlen, "expected a number, got %s", kind_name(v));
    }
    size_t cap = (size_t)c->args[0] + 3;
    char *dst = sl_rowset_reserve(rs, cap);
    if (!dst)
        return OOM;
    int len = sl_dec_format(&d, c->args[0], c->args[1], dst, cap);
    if (len < 0) {
        char plain[128];
        int n = sl_dec_plain(&d, plain, sizeof plain);
        if (n < 0)
            return bad(err, errlen, "value does not fit %s", c->sql_type);
        return bad(err, errlen, "%.*s does not fit %s", n, plain, c->sql_type);
    }
    sl_rowset_commit(rs, row, col, (size_t)len);
    return 0;
}

static bool is_zero_date(const char *s, size_t len)
{
    return len == 19 && memcmp(s, "0000-00-00 00:00:00", 19) == 0;
}

static bool looks_numeric(const char *s, size_t len)
{
    size_t i = len && s[0] == '-';
    for (; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return len > 0;
}

static int put_epoch(const sl_conv *c, int64_t n, sl_rowset *rs, size_t row, size_t col,
                     char *err, size_t errlen)
{
    static const int64_t lo = -30610224000LL; /* 1000-01-01 00:00:00 UTC */
    static const int64_t hi = 253402300800LL; /* 10000-01-01 00:00:00 UTC */
    bool ms = c->from == FROM_EPOCH_MS || (c->from == FROM_AUTO && (n > 100000000000LL ||
                                                                    n < -100000000000LL));
    int64_t secs = ms ? (n >= 0 ? n / 1000 : -((-(n + 1)) / 1000) - 1) : n;
    char buf[20];
    if (secs > hi || secs < lo || secs + c->tz < lo || secs + c->tz >= hi)
        return bad(err, errlen, "epoch %s %lld is outside DATETIME's range", ms ? "ms" : "s",
                   (long long)n);
    sl_time_format(secs, c->tz, buf);
    return sl_rowset_set(rs, row, col, buf, 19) ? OOM : 0;
}

static int apply_datetime(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                          size_t col, char *err, size_t errlen)
{
    int64_t n, e;
    if (!json_is_string(v)) {
        if (c->from == FROM_STRING)
            return bad(err, errlen, "expected a datetime string, got %s", kind_name(v));
        int rc = to_i64(v, &n, err, errlen);
        return rc ? rc : put_epoch(c, n, rs, row, col, err, errlen);
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len == 0 || is_zero_date(s, len))
        return 0;
    if (c->from != FROM_STRING && looks_numeric(s, len)) {
        if (!parse_i64(s, len, &n))
            return bad(err, errlen, "not an epoch: \"%s\"", EXCERPT(v));
        return put_epoch(c, n, rs, row, col, err, errlen);
    }
    if (c->from == FROM_EPOCH_MS || c->from == FROM_EPOCH_S)
        return bad(err, errlen, "not an epoch: \"%s\"", EXCERPT(v));
    if (!sl_time_parse(s, len, 0, &e))
        return bad(err, errlen, "not a datetime YYYY-MM-DD HH:MM:SS: \"%s\"", EXCERPT(v));
    return sl_rowset_set(rs, row, col, s, len) ? OOM : 0;
}

static int apply_bool(const json_t *v, sl_rowset *rs, size_t row, size_t col, char *err,
                      size_t errlen)
{
    int b = -1;
    const char *s;
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
        s = json_string_value(v);
        if (json_string_length(v) == 0)
            return 0;
        if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0)
            b = 1;
        else if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0)
            b = 0;
        else
            return bad(err, errlen, "not a boolean: \"%s\"", EXCERPT(v));
        break;
    default: break;
    }
    if (b < 0)
        return bad(err, errlen, "expected true/false or 0/1, got %s", kind_name(v));
    return sl_rowset_set(rs, row, col, b ? "1" : "0", 1) ? OOM : 0;
}

static int apply_enum(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row, size_t col,
                      char *err, size_t errlen)
{
    char buf[64];
    const char *s;
    size_t len;
    if (scalar_text(v, buf, sizeof buf, &s, &len))
        return bad(err, errlen, "expected a scalar to map, got %s", kind_name(v));
    const json_t *out = json_object_getn(c->map, s, len);
    if (!out)
        return bad(err, errlen, "value \"%s\" is not in the map",
                   excerpt_of(&(excerpt){{0}}, s, len));
    if (json_is_null(out))
        return 0;
    return sl_rowset_set(rs, row, col, json_string_value(out), json_string_length(out)) ? OOM : 0;
}

/* Writes the elements of array v (or the scalar v) joined by the separator into the arena. */
static int apply_join(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row, size_t col,
                      char *err, size_t errlen)
{
    size_t n = json_is_array(v) ? json_array_size(v) : 1, bound = 0, len = 0, chars;
    for (size_t i = 0; i < n; i++) {
        const json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
        if (json_is_object(e) || json_is_array(e))
            return bad(err, errlen, "join: element %zu is %s", i, kind_name(e));
        bound += (json_is_string(e) ? json_string_length(e) : 64) + c->join_len;
    }
    char *dst = sl_rowset_reserve(rs, bound);
    if (!dst)
        return OOM;
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
        scalar_text(e, dst + len, 64, &s, &l);
        if (s != dst + len)
            memcpy(dst + len, s, l);
        len += l;
    }
    size_t keep = fit_len(c, dst, len, &chars);
    if (keep < len && !c->truncate)
        return bad(err, errlen, "joined text of %zu %s is more than %s holds", c->max_bytes ? len : chars,
                   c->max_bytes ? "bytes" : "characters", c->sql_type);
    sl_rowset_commit(rs, row, col, keep);
    return 0;
}

static int apply_regex(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row, size_t col,
                       char *err, size_t errlen)
{
    char buf[64];
    const char *s;
    size_t len, start, glen;
    if (scalar_text(v, buf, sizeof buf, &s, &len))
        return bad(err, errlen, "expected a string to match, got %s", kind_name(v));
    sl_regex_rc rc = sl_regex_group(c->re, s, len, c->group, &start, &glen);
    if (rc == SL_RE_FAILED)
        return bad(err, errlen, "%s", sl_regex_failure(c->re));
    if (rc == SL_RE_NOMATCH)
        return 0; /* NULL */
    return store_string(c, s + start, glen, rs, row, col, err, errlen);
}

static int apply_json(const json_t *v, sl_rowset *rs, size_t row, size_t col)
{
    const size_t flags = JSON_COMPACT | JSON_ENCODE_ANY;
    size_t n = json_dumpb(v, NULL, 0, flags);
    char *dst = sl_rowset_reserve(rs, n);
    if (!dst || json_dumpb(v, dst, n, flags) != n)
        return OOM;
    sl_rowset_commit(rs, row, col, n);
    return 0;
}

static int apply_string(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row, size_t col,
                        char *err, size_t errlen)
{
    char buf[64];
    const char *s;
    size_t len;
    if (scalar_text(v, buf, sizeof buf, &s, &len))
        return bad(err, errlen, "expected a string, got %s (use type json)", kind_name(v));
    return store_string(c, s, len, rs, row, col, err, errlen);
}

int sl_conv_apply(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row, size_t col,
                  char *err, size_t errlen)
{
    if (!v || json_is_null(v))
        return 0;
    switch (c->kind) {
    case CONV_INT:
    case CONV_BIGINT: return apply_int(c, v, rs, row, col, err, errlen);
    case CONV_DECIMAL: return apply_decimal(c, v, rs, row, col, err, errlen);
    case CONV_DATETIME: return apply_datetime(c, v, rs, row, col, err, errlen);
    case CONV_BOOL: return apply_bool(v, rs, row, col, err, errlen);
    case CONV_ENUM: return apply_enum(c, v, rs, row, col, err, errlen);
    case CONV_JOIN: return apply_join(c, v, rs, row, col, err, errlen);
    case CONV_REGEX: return apply_regex(c, v, rs, row, col, err, errlen);
    case CONV_JSON: return apply_json(v, rs, row, col);
    case CONV_VARCHAR:
    case CONV_TEXT:
    case CONV_COUNT: break;
    }
    return apply_string(c, v, rs, row, col, err, errlen);
}

int sl_conv_default_text(const sl_conv *conv, const json_t *value, char **out, char *err,
                         size_t errlen)
{
    sl_rowset rs = {.n_cols = 1};
    int32_t len;
    int rc = -1;
    *out = NULL;
    if (sl_rowset_add_row(&rs) == SIZE_MAX) {
        snprintf(err, errlen, "out of memory");
        goto out;
    }
    rc = sl_conv_apply(conv, value, &rs, 0, 0, err, errlen);
    if (rc == OOM)
        snprintf(err, errlen, "out of memory");
    if (rc)
        goto out;
    const char *s = sl_rowset_get(&rs, 0, 0, &len);
    if (len >= 0 && !(*out = strndup(s ? s : "", (size_t)len))) {
        snprintf(err, errlen, "out of memory");
        rc = -1;
    }
out:
    free(rs.cells);
    free(rs.parent);
    free(rs.dead);
    free(rs.text);
    return rc < 0 ? -1 : 0;
}
