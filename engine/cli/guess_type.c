/* guess_type.c: one column's type, inferred from the values seen. Each value is handed to the
 * engine's own converters (convert.h), so a type guessed is one whose converter accepted every
 * value: when one would be refused, the verdict widens (to bigint, to varchar, to json). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decimal.h"
#include "guess_int.h"
#include "text.h"

/* Epochs read as times only between 2000-01-01 and 2100-01-01 (UTC), so counters and ids of
 * other sizes stay numbers. */
#define EPOCH_S_MIN 946684800LL
#define EPOCH_S_MAX 4102444800LL

static const sl_conv_spec specs[GS_N_CANDS] = {
    [GS_BOOL] = {.type = "bool"},
    [GS_INT] = {.type = "int"},
    [GS_BIGINT] = {.type = "bigint"},
    [GS_EPOCH_MS] = {.type = "datetime", .from = "epoch_ms"},
    [GS_EPOCH_S] = {.type = "datetime", .from = "epoch_s"},
    [GS_DT_STRING] = {.type = "datetime", .from = "string"},
    [GS_DT_AUTO] = {.type = "datetime", .from = "auto"},
    [GS_DECIMAL] = {.type = "decimal(65,30)"},
};

gs_convs *gs_convs_new(void)
{
    gs_convs *cv = calloc(1, sizeof *cv);
    if (!cv)
        return NULL;
    cv->rs.n_cols = 1;
    for (int i = 0; i < GS_N_CANDS; i++) {
        sl_error err = {0};
        const char *field;
        if (!(cv->conv[i] = sl_conv_compile(&specs[i], &err, &field))) {
            gs_convs_free(cv);
            return NULL;
        }
    }
    return cv;
}

void gs_convs_free(gs_convs *cv)
{
    if (!cv)
        return;
    for (int i = 0; i < GS_N_CANDS; i++)
        sl_conv_free(cv->conv[i]);
    /* the scratch row set is no batch's: its buffers are freed here (batch.h's fields) */
    free(cv->rs.cells);
    free(cv->rs.parent);
    free(cv->rs.dead);
    free(cv->rs.text);
    free(cv);
}

/* Names that say a field holds a time; generic words, no API's. */
static bool looks_like_time(const char *name)
{
    static const char *const words[] = {"time", "date", "created", "modified", "updated",
                                        "deleted", "_at", "stamp"};
    char low[64];
    size_t i;
    for (i = 0; name[i] && i < sizeof low - 1; i++)
        low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
    low[i] = '\0';
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++)
        if (strstr(low, words[w]))
            return true;
    size_t n = strlen(low);
    return n >= 3 && !strcmp(low + n - 3, "_ts");
}

bool gs_id_name(const char *name)
{
    size_t n = strlen(name);
    return !strcasecmp(name, "id") ||
           (n > 2 && (!strcasecmp(name + n - 3, "_id") || !strcmp(name + n - 2, "Id") ||
                      !strcmp(name + n - 2, "ID")));
}

void gs_type_init(gs_type *t, const char *name)
{
    *t = (gs_type){.ok = (1u << GS_N_CANDS) - 1, .time_name = looks_like_time(name),
                   .id_name = gs_id_name(name)};
}

/* Drops the candidates the value's JSON kind rules out before any converter sees it. */
static unsigned kind_filter(const gs_type *t, const json_t *v)
{
    unsigned keep = 1u << GS_DECIMAL;
    int64_t n;
    switch (json_typeof(v)) {
    case JSON_TRUE:
    case JSON_FALSE:
        return 1u << GS_BOOL;
    case JSON_INTEGER:
        n = json_integer_value(v);
        keep |= 1u << GS_INT | 1u << GS_BIGINT;
        if (t->time_name && n >= EPOCH_S_MIN * 1000 && n < EPOCH_S_MAX * 1000)
            keep |= 1u << GS_EPOCH_MS;
        if (t->time_name && n >= EPOCH_S_MIN && n < EPOCH_S_MAX)
            keep |= 1u << GS_EPOCH_S;
        return keep;
    case JSON_REAL:
        return keep;
    case JSON_STRING: /* a numeric string is text (ids, codes) unless it holds a point */
        if (strspn(json_string_value(v), "-0123456789") == json_string_length(v))
            /* `from: auto` would read it as an epoch; an id past 2^53 sent as text is one */
            return t->id_name && json_string_value(v)[0] != '0' ? 1u << GS_BIGINT : 0;
        keep = 1u << GS_DT_STRING | 1u << GS_DT_AUTO;
        if (strchr(json_string_value(v), '.'))
            keep |= 1u << GS_DECIMAL;
        return keep;
    default:
        return 0;
    }
}

/* The value as text, as a varchar column would store it; its length in bytes, -1 if a tree. */
static int value_text(const json_t *v, char *buf, size_t cap, const char **s)
{
    sl_dec d;
    int n;
    switch (json_typeof(v)) {
    case JSON_STRING:
        *s = json_string_value(v);
        return json_string_length(v) > INT32_MAX ? INT32_MAX : (int)json_string_length(v);
    case JSON_INTEGER:
        *s = buf;
        return (int)sl_i64_text(json_integer_value(v), buf);
    case JSON_REAL:
        sl_dec_from_double(&d, json_real_value(v));
        n = sl_dec_plain(&d, buf, cap);
        *s = buf;
        return n < 0 ? 24 : n;
    case JSON_TRUE:
    case JSON_FALSE:
        *s = json_is_true(v) ? "true" : "false";
        return (int)strlen(*s);
    default:
        return -1;
    }
}

/* Digits before and after the point, as the decimal converter reads the value. */
static void note_digits(gs_type *t, const json_t *v)
{
    sl_dec d;
    if (json_is_integer(v))
        sl_dec_from_int(&d, json_integer_value(v));
    else if (json_is_real(v))
        sl_dec_from_double(&d, json_real_value(v));
    else if (!sl_dec_from_text(&d, json_string_value(v), json_string_length(v)))
        return;
    int ints = d.n + d.exp > 0 ? d.n + d.exp : 1, scale = d.exp < 0 ? -d.exp : 0;
    if (ints > t->int_digits)
        t->int_digits = ints;
    if (scale > t->scale)
        t->scale = scale;
}

static void keep_sample(gs_type *t, const char *s, size_t len)
{
    if (t->n_samples == GS_SAMPLES)
        return;
    char buf[GS_SAMPLE_BYTES];
    size_t keep = sl_text_cut_chars(s, len, 24);
    sl_text_escape(buf, sizeof buf - 3, s, keep);
    if (keep < len)
        strcat(buf, "...");
    for (size_t i = 0; i < t->n_samples; i++)
        if (!strcmp(t->samples[i], buf))
            return;
    memcpy(t->samples[t->n_samples++], buf, sizeof buf);
}

static void count_kind(gs_type *t, const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING: t->n_str++; break;
    case JSON_INTEGER: t->n_int++; break;
    case JSON_REAL: t->n_real++; break;
    case JSON_TRUE:
    case JSON_FALSE: t->n_bool++; break;
    default: t->n_tree++; break;
    }
}

sl_status gs_type_add(gs_type *t, gs_convs *cv, const json_t *v)
{
    if (!v)
        return SL_OK;
    if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
        t->n_empty++;
        return SL_OK;
    }
    t->n_values++;
    count_kind(t, v);
    char buf[128];
    const char *s;
    int len = value_text(v, buf, sizeof buf, &s);
    if (len < 0) { /* an object or a list: stored as json */
        t->ok = 0;
        keep_sample(t, json_is_array(v) ? "[...]" : "{...}", 5);
        return SL_OK;
    }
    size_t chars = 0;
    for (int i = 0; i < len; i++)
        chars += ((unsigned char)s[i] & 0xC0) != 0x80;
    t->max_chars = chars > t->max_chars ? chars : t->max_chars;
    t->max_bytes = (size_t)len > t->max_bytes ? (size_t)len : t->max_bytes;
    t->n_str_point += json_is_string(v) && memchr(s, '.', (size_t)len) != NULL;
    keep_sample(t, s, (size_t)len);
    t->ok &= kind_filter(t, v);
    for (int i = 0; i < GS_N_CANDS; i++) {
        if (!(t->ok & 1u << i))
            continue;
        sl_error err = {0};
        size_t row = sl_rowset_add_row(&cv->rs);
        if (row == SIZE_MAX)
            return SL_ERR_INTERNAL;
        sl_status st = sl_conv_apply(cv->conv[i], v, &cv->rs, row, 0, &err);
        sl_rowset_truncate(&cv->rs, 0, 0);
        if (st == SL_ERR_INTERNAL)
            return st;
        if (st != SL_OK)
            t->ok &= ~(1u << i);
    }
    if (t->ok & 1u << GS_DECIMAL)
        note_digits(t, v);
    return SL_OK;
}

/* varchar(n) wide enough for the longest value seen and half as much again; text, then json
 * (LONGTEXT) past what VARCHAR and TEXT hold. */
static void text_verdict(const gs_type *t, gs_verdict *out)
{
    static const size_t tiers[] = {16, 32, 64, 128, 255, 512, 1024, 2048, 4096, 8192, 16383};
    size_t want = t->max_chars + t->max_chars / 2;
    for (size_t i = 0; i < sizeof tiers / sizeof tiers[0]; i++) {
        if (tiers[i] >= want) {
            snprintf(out->type, sizeof out->type, "varchar(%zu)", tiers[i]);
            return;
        }
    }
    if (t->max_bytes <= 65535 / 2) {
        snprintf(out->type, sizeof out->type, "text");
        return;
    }
    snprintf(out->type, sizeof out->type, "json");
    out->note = "longer than TEXT holds: kept as a JSON string";
}

static bool set_datetime(gs_verdict *out, const char *from, bool tz)
{
    snprintf(out->type, sizeof out->type, "datetime");
    out->from = from;
    out->timezone = tz;
    return true;
}

/* Numbers only: epoch times, int, bigint, decimal(p,s); false when none holds them all. */
static bool number_verdict(const gs_type *t, gs_verdict *out)
{
    if (t->n_real == 0) {
        if (t->ok & 1u << GS_EPOCH_MS)
            return set_datetime(out, "epoch_ms", true);
        if (t->ok & 1u << GS_EPOCH_S)
            return set_datetime(out, "epoch_s", true);
        if (t->ok & (1u << GS_INT | 1u << GS_BIGINT)) {
            bool small = t->ok & 1u << GS_INT && !t->id_name; /* ids grow: bigint */
            snprintf(out->type, sizeof out->type, small ? "int" : "bigint");
            return true;
        }
    }
    if (!(t->ok & 1u << GS_DECIMAL))
        return false;
    /* room for larger amounts than seen; at least two places, as money has */
    int scale = t->scale < 2 ? 2 : t->scale, ints = t->int_digits + 4;
    if (ints < 15)
        ints = 15;
    if (scale > 30 || ints + scale > 65)
        return false;
    snprintf(out->type, sizeof out->type, "decimal(%d,%d)", ints + scale, scale);
    return true;
}

void gs_type_verdict(const gs_type *t, gs_verdict *out)
{
    *out = (gs_verdict){0};
    size_t n = t->n_values;
    if (n == 0) {
        snprintf(out->type, sizeof out->type, "varchar(255)");
        out->note = "always null, empty or missing: check the type";
        return;
    }
    if (t->n_tree) {
        snprintf(out->type, sizeof out->type, "json");
        if (t->n_tree < n)
            out->note = "a list or object in some records, a scalar in others";
        return;
    }
    if (t->n_bool == n && t->ok & 1u << GS_BOOL) {
        snprintf(out->type, sizeof out->type, "bool");
        return;
    }
    if (t->n_int + t->n_real == n && number_verdict(t, out))
        return;
    if (t->n_str == n && t->ok & 1u << GS_DT_STRING && set_datetime(out, "string", false))
        return;
    if (t->n_str == n && t->ok & 1u << GS_DT_AUTO && set_datetime(out, "auto", true))
        return;
    if (t->n_str == n && t->n_str_point == n && number_verdict(t, out))
        return;
    if (t->n_str == n && t->ok & 1u << GS_BIGINT) { /* an id as digits, no leading zero */
        snprintf(out->type, sizeof out->type, "bigint");
        return;
    }
    text_verdict(t, out);
    if (t->n_str && t->n_str < n && !out->note)
        out->note = "numbers in some records, text in others";
}

bool gs_type_keyable(const gs_type *t, size_t n_records)
{
    gs_verdict v;
    gs_type_verdict(t, &v);
    bool kind = !strcmp(v.type, "int") || !strcmp(v.type, "bigint") ||
                (!strncmp(v.type, "varchar(", 8) && t->max_chars <= 255);
    return kind && t->n_empty == 0 && t->n_values == n_records;
}
