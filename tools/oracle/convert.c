/* convert.c: the oracle's converters, written apart from the engine's on purpose: bigint/int from
 * JSON integers, varchar(n) with truncation in UTF-8 code points, decimal(p,s) compared after
 * normalising to s decimals (or from integer minor units), datetime from epoch ms or s or
 * ISO-8601 in a fixed zone or from a string ("" is NULL), bool as 1/0. */
#include "convert.h"

#include <errno.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <inttypes.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static void set_text(orc_cell *out, const char *s, size_t n)
{
    if (n >= sizeof out->text)
        n = sizeof out->text - 1;
    memcpy(out->text, s, n);
    out->text[n] = '\0';
    out->len = n;
    out->is_null = 0;
}

static int set_raw(orc_cell *out, json_t *v)
{
    char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    set_text(out, s ? s : "?", s ? strlen(s) : 1);
    free(s);
    return -1;
}

static json_t *lookup(json_t *rec, const char *path)
{
    char seg[128];
    const char *p = path;
    while (rec && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof seg)
            return NULL;
        memcpy(seg, p, n);
        seg[n] = '\0';
        rec = json_object_get(rec, seg);
        p += n + (dot ? 1 : 0);
    }
    return rec;
}

/* Days since 1970-01-01 -> civil date (H. Hinnant's algorithm). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static void format_epoch_ms(int64_t ms, int tz, orc_cell *out)
{
    int64_t s = (ms >= 0 ? ms / 1000 : (ms - 999) / 1000) + tz;
    int64_t days = (s >= 0 ? s / 86400 : (s - 86399) / 86400), y;
    int64_t sod = s - days * 86400;
    unsigned m, d;
    char buf[64];
    civil_from_days(days, &y, &m, &d);
    snprintf(buf, sizeof buf, "%04" PRId64 "-%02u-%02u %02d:%02d:%02d", y, m, d, (int)(sod / 3600),
             (int)(sod / 60 % 60), (int)(sod % 60));
    set_text(out, buf, strlen(buf));
}

/* Days since 1970-01-01 of a civil date (the inverse of civil_from_days). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    return era * 146097 + (int64_t)(yoe * 365 + yoe / 4 - yoe / 100 + doy) - 719468;
}

/* YYYY-MM-DD(T| )HH:MM:SS[.frac](Z|+hh:mm|+hhmm) into epoch ms (the fraction cut to whole
 * seconds: a DATETIME keeps none); -1 if s is anything else, a zone-less text included. */
static int parse_iso(const char *s, int64_t *ms)
{
    int y, mo, d, h, mi, se, n = 0, zh = 0, zm = 0;
    char sep, sign = 0;
    if (sscanf(s, "%4d-%2d-%2d%c%2d:%2d:%2d%n", &y, &mo, &d, &sep, &h, &mi, &se, &n) != 7 ||
        n != 19 || (sep != 'T' && sep != ' ') || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
        mi > 59 || se > 59)
        return -1;
    s += 19;
    if (*s == '.' && s[1] >= '0' && s[1] <= '9')
        for (s++; *s >= '0' && *s <= '9'; s++)
            ;
    if (strcmp(s, "Z") != 0) {
        sign = *s;
        if ((sign != '+' && sign != '-') ||
            (sscanf(s + 1, "%2d:%2d%n", &zh, &zm, &n) != 2 &&
             sscanf(s + 1, "%2d%2d%n", &zh, &zm, &n) != 2) ||
            s[1 + n] || zh > 23 || zm > 59)
            return -1;
    }
    int64_t off = (sign == '-' ? -1 : 1) * (zh * 3600 + zm * 60);
    *ms = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se) - off) *
          1000;
    return 0;
}

static int parse_int64(const char *s, int64_t *v)
{
    char *end;
    if (!*s)
        return -1;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return *end || errno ? -1 : 0;
}

static int conv_integer(const orc_col *c, json_t *v, orc_cell *out)
{
    char buf[32];
    int64_t n;
    if (json_is_integer(v))
        n = json_integer_value(v);
    else if (json_is_real(v) && json_real_value(v) == (double)(int64_t)json_real_value(v))
        n = (int64_t)json_real_value(v);
    else if (json_is_string(v) && parse_int64(json_string_value(v), &n) == 0)
        ;
    else
        return set_raw(out, v);
    if (c->type == ORC_INT && (n < INT32_MIN || n > INT32_MAX))
        return set_raw(out, v);
    snprintf(buf, sizeof buf, "%" PRId64, n);
    set_text(out, buf, strlen(buf));
    return 0;
}

/* Byte length of the first max code points of the UTF-8 text s (n bytes). */
static size_t utf8_prefix(const char *s, size_t n, int max)
{
    size_t i = 0;
    for (int cp = 0; i < n && cp < max; cp++) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static size_t utf8_count(const char *s, size_t n)
{
    size_t cp = 0;
    for (size_t i = 0; i < n; i++)
        cp += ((unsigned char)s[i] & 0xC0) != 0x80;
    return cp;
}

static int conv_varchar(const orc_col *c, json_t *v, orc_cell *out)
{
    const char *s;
    size_t n;
    if (json_is_integer(v) || json_is_real(v)) {
        char *d = json_dumps(v, JSON_ENCODE_ANY);
        set_text(out, d ? d : "", d ? strlen(d) : 0);
        free(d);
        return 0;
    }
    if (!json_is_string(v))
        return set_raw(out, v);
    s = json_string_value(v);
    n = json_string_length(v);
    if (utf8_count(s, n) > (size_t)c->len) {
        if (!c->truncate)
            return set_raw(out, v); /* the engine must reject it: nothing stored can match */
        n = utf8_prefix(s, n, c->len);
    }
    set_text(out, s, n);
    return 0;
}

/* An integer count of minor units (cents) as a decimal of c's scale, exactly. */
static int conv_minor(const orc_col *c, json_t *v, orc_cell *out)
{
    char dig[48], buf[128];
    int64_t n;
    if (json_is_integer(v))
        n = json_integer_value(v);
    else if (!json_is_string(v) || parse_int64(json_string_value(v), &n) < 0)
        return set_raw(out, v);
    int len = snprintf(dig, sizeof dig, "%0*" PRIu64, c->scale + 1,
                       n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n);
    snprintf(buf, sizeof buf, "%s%.*s%s%s", n < 0 ? "-" : "", len - c->scale, dig,
             c->scale ? "." : "", dig + len - c->scale);
    set_text(out, buf, strlen(buf));
    return 0;
}

static int conv_decimal(const orc_col *c, json_t *v, orc_cell *out)
{
    char buf[128];
    if (c->from == ORC_FROM_MINOR)
        return conv_minor(c, v, out);
    if (json_is_integer(v))
        snprintf(buf, sizeof buf, "%" PRId64, (int64_t)json_integer_value(v));
    else if (json_is_real(v))
        snprintf(buf, sizeof buf, "%.*f", c->scale, json_real_value(v));
    else if (json_is_string(v) && json_string_length(v) > 0 && json_string_length(v) < sizeof buf)
        snprintf(buf, sizeof buf, "%s", json_string_value(v));
    else
        return set_raw(out, v);
    set_text(out, buf, strlen(buf)); /* normalised when compared */
    return 0;
}

static int conv_datetime(const orc_col *c, json_t *v, orc_cell *out)
{
    int64_t ms;
    if (json_is_string(v) && json_string_length(v) == 0) {
        out->is_null = 1;
        return 0;
    }
    if (c->from == ORC_FROM_ISO) {
        if (!json_is_string(v) || parse_iso(json_string_value(v), &ms) < 0)
            return set_raw(out, v);
        format_epoch_ms(ms, c->tz_offset_s, out);
        return 0;
    }
    if (c->from == ORC_FROM_EPOCH_MS || c->from == ORC_FROM_EPOCH_S) {
        int64_t unit = c->from == ORC_FROM_EPOCH_S ? 1000 : 1;
        if (json_is_integer(v))
            ms = json_integer_value(v) * unit;
        else if (json_is_string(v) && parse_int64(json_string_value(v), &ms) == 0)
            ms *= unit;
        else if (json_is_string(v) && json_string_length(v) == 19) {
            set_text(out, json_string_value(v), 19); /* already a datetime */
            return 0;
        } else
            return set_raw(out, v);
        format_epoch_ms(ms, c->tz_offset_s, out);
        return 0;
    }
    if (!json_is_string(v) || json_string_length(v) != 19)
        return set_raw(out, v);
    set_text(out, json_string_value(v), 19);
    return 0;
}

static int conv_bool(json_t *v, orc_cell *out)
{
    if (json_is_boolean(v))
        set_text(out, json_is_true(v) ? "1" : "0", 1);
    else if (json_is_integer(v) && (json_integer_value(v) == 0 || json_integer_value(v) == 1))
        set_text(out, json_integer_value(v) ? "1" : "0", 1);
    else
        return set_raw(out, v);
    return 0;
}

static int cell_from_json(const orc_col *c, json_t *rec, orc_cell *out);

/* The mask of the cell's text: at most half its characters kept, keep_first from the start,
 * then keep_last from the end (each cut to what is left of that half), the others one '*'. */
static void mask_cell(const orc_personal *pp, orc_cell *out)
{
    char buf[ORC_CELL_MAX];
    size_t n = utf8_count(out->text, out->len), half = n / 2, w = 0, ch = 0;
    size_t first = (size_t)pp->keep_first < half ? (size_t)pp->keep_first : half;
    size_t last = (size_t)pp->keep_last < half - first ? (size_t)pp->keep_last : half - first;
    for (size_t i = 0; i < out->len; ch++) {
        size_t cl = utf8_prefix(out->text + i, out->len - i, 1);
        cl = cl ? cl : 1;
        if (ch < first || ch >= n - last) {
            memcpy(buf + w, out->text + i, cl);
            w += cl;
        } else {
            buf[w++] = '*';
        }
        i += cl;
    }
    set_text(out, buf, w);
}

/* The cell's text replaced by its HMAC-SHA256 (OpenSSL's) in lowercase hex. */
static void hash_cell(const orc_personal *pp, orc_cell *out)
{
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    char hex[2 * EVP_MAX_MD_SIZE + 1];
    HMAC(EVP_sha256(), pp->key, (int)pp->key_len, (const unsigned char *)out->text, out->len,
         mac, &n);
    for (unsigned int i = 0; i < n; i++)
        snprintf(hex + 2 * i, 3, "%02x", mac[i]);
    set_text(out, hex, 2 * n);
}

/* The column's personal protection on a converted cell (a NULL stays NULL). */
static int protect(const orc_col *c, int rc, orc_cell *out)
{
    if (c->pii == ORC_PII_DROP) {
        out->is_null = 1;
        out->len = 0;
        out->text[0] = '\0';
        return 0;
    }
    if (rc != 0 || out->is_null || c->pii == ORC_PII_NONE)
        return rc;
    if (c->pii == ORC_PII_MASK)
        mask_cell(c->pp, out);
    else
        hash_cell(c->pp, out);
    return 0;
}

int orc_cell_from_json(const orc_col *c, json_t *rec, orc_cell *out)
{
    return protect(c, cell_from_json(c, rec, out), out);
}

static int cell_from_json(const orc_col *c, json_t *rec, orc_cell *out)
{
    json_t *v = lookup(rec, c->path);
    out->is_null = 0;
    out->len = 0;
    out->text[0] = '\0';
    if (!v || json_is_null(v)) {
        if (c->has_default)
            set_text(out, c->def, strlen(c->def));
        else
            out->is_null = 1;
        return 0;
    }
    switch (c->type) {
    case ORC_BIGINT:
    case ORC_INT: return conv_integer(c, v, out);
    case ORC_VARCHAR: return conv_varchar(c, v, out);
    case ORC_DECIMAL: return conv_decimal(c, v, out);
    case ORC_DATETIME: return conv_datetime(c, v, out);
    case ORC_BOOL: return conv_bool(v, out);
    case ORC_PARENT: break;
    }
    return set_raw(out, v);
}

/* Writes s (n bytes, a plain decimal) rounded half away from zero to scale decimals, without
 * leading zeros or a negative zero, into out; -1 if s is not a plain decimal. */
static int decimal_normal(const char *s, size_t n, int scale, char *out, size_t cap)
{
    char dig[96];
    size_t i = 0, nd = 0, intd = 0;
    int neg = 0, seen_dot = 0, frac = 0, round_up = 0;
    if (i < n && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    for (; i < n; i++) {
        if (s[i] == '.' && !seen_dot) {
            seen_dot = 1;
            continue;
        }
        if (s[i] < '0' || s[i] > '9' || nd + 1 >= sizeof dig)
            return -1;
        if (seen_dot && frac >= scale) {
            if (frac++ == scale)
                round_up = s[i] >= '5';
            continue;
        }
        dig[nd++] = s[i];
        frac += seen_dot;
        intd += !seen_dot;
    }
    if (nd == 0)
        return -1;
    for (; frac < scale; frac++)
        dig[nd++] = '0';
    for (size_t k = nd; round_up && k-- > 0;) {
        round_up = dig[k] == '9';
        dig[k] = round_up ? '0' : (char)(dig[k] + 1);
    }
    size_t lead = 0, o = 0;
    while (!round_up && lead + 1 < intd && dig[lead] == '0')
        lead++;
    int zero = !round_up;
    for (size_t k = 0; k < nd; k++)
        zero &= dig[k] == '0';
    if (cap < nd + 8)
        return -1;
    if (neg && !zero)
        out[o++] = '-';
    if (round_up)
        out[o++] = '1';
    if (intd == 0)
        out[o++] = '0';
    for (size_t k = lead; k < nd; k++) {
        if (k == intd && scale > 0)
            out[o++] = '.';
        out[o++] = dig[k];
    }
    out[o] = '\0';
    return 0;
}

int orc_cell_equal(const orc_col *c, const char *want, size_t wlen, int want_null, const char *got,
                   size_t glen)
{
    if (want_null || !got)
        return want_null && !got;
    if (c->type == ORC_DECIMAL) {
        char a[128], b[128];
        if (decimal_normal(want, wlen, c->scale, a, sizeof a) == 0 &&
            decimal_normal(got, glen, c->scale, b, sizeof b) == 0)
            return strcmp(a, b) == 0;
    }
    return wlen == glen && memcmp(want, got, wlen) == 0;
}
