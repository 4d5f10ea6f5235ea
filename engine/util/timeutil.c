/* timeutil.c: see timeutil.h. Date arithmetic after H. Hinnant's days_from_civil. */
#include "timeutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "suggest.h"

int64_t sl_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void sl_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static bool digits(const char *s, int n, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return true;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
    static const unsigned dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : dm[m - 1];
}

bool sl_time_parse(const char *s, size_t len, int tz_offset_s, int64_t *epoch)
{
    unsigned y, mo, d, h, mi, se;
    if (len != 19 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':')
        return false;
    if (!digits(s, 4, &y) || !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) ||
        !digits(s + 11, 2, &h) || !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &se))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 59)
        return false;
    *epoch = sl_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - tz_offset_s;
    return true;
}

static void put2(char *p, unsigned v)
{
    p[0] = (char)('0' + v / 10 % 10);
    p[1] = (char)('0' + v % 10);
}

void sl_time_format(int64_t epoch, int tz_offset_s, char out[20])
{
    int64_t t = epoch + tz_offset_s;
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t secs = t - days * 86400;
    int64_t y;
    unsigned m, d;
    sl_civil_from_days(days, &y, &m, &d);
    put2(out, (unsigned)(y / 100));
    put2(out + 2, (unsigned)(y % 100));
    out[4] = '-';
    put2(out + 5, m);
    out[7] = '-';
    put2(out + 8, d);
    out[10] = ' ';
    put2(out + 11, (unsigned)(secs / 3600));
    out[13] = ':';
    put2(out + 14, (unsigned)(secs / 60 % 60));
    out[16] = ':';
    put2(out + 17, (unsigned)(secs % 60));
    out[19] = '\0';
}

bool sl_tz_parse(const char *s, int *offset_s)
{
    unsigned h, m;
    if (!strcmp(s, "Z") || !strcmp(s, "UTC")) {
        *offset_s = 0;
        return true;
    }
    if (strlen(s) != 6 || (s[0] != '+' && s[0] != '-') || s[3] != ':' || !digits(s + 1, 2, &h) ||
        !digits(s + 4, 2, &m) || h > 14 || m > 59)
        return false;
    *offset_s = (int)(h * 3600 + m * 60) * (s[0] == '-' ? -1 : 1);
    return true;
}

bool sl_duration_parse(const char *s, int64_t *ms)
{
    int64_t v = 0;
    size_t i = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++) {
        if (v > INT64_MAX / 10 - 10)
            return false;
        v = v * 10 + (s[i] - '0');
    }
    if (i == 0)
        return false;
    const char *u = s + i;
    int64_t scale;
    if (!strcmp(u, "ms"))
        scale = 1;
    else if (!strcmp(u, "s"))
        scale = 1000;
    else if (!strcmp(u, "m"))
        scale = 60000;
    else if (!strcmp(u, "h"))
        scale = 3600000;
    else if (!strcmp(u, "d"))
        scale = 86400000;
    else
        return false;
    if (v > INT64_MAX / scale)
        return false;
    *ms = v * scale;
    return true;
}

/* The conversions a window bound may use and the most bytes each makes (C locale, years of
 * four digits). */
static int conv_width(char c)
{
    static const struct {
        char conv;
        int width;
    } convs[] = {
        {'Y', 4}, {'C', 2}, {'y', 2}, {'G', 4}, {'g', 2}, {'m', 2}, {'d', 2}, {'e', 2},
        {'j', 3}, {'H', 2}, {'I', 2}, {'M', 2}, {'S', 2}, {'p', 2}, {'a', 3}, {'A', 9},
        {'b', 3}, {'h', 3}, {'B', 9}, {'F', 10}, {'T', 8}, {'D', 8}, {'R', 5}, {'u', 1},
        {'w', 1}, {'U', 2}, {'W', 2}, {'V', 2}, {'z', 5}, {'s', 20}, {'%', 1}, {'n', 1},
        {'t', 1},
    };
    for (size_t i = 0; i < sizeof convs / sizeof convs[0]; i++)
        if (convs[i].conv == c)
            return convs[i].width;
    return -1;
}

int sl_time_format_check(const char *fmt, sl_error *err, size_t *off)
{
    size_t longest = 0;
    for (size_t i = 0; fmt[i]; i++) {
        if (fmt[i] != '%') {
            longest++;
            continue;
        }
        int w = conv_width(fmt[i + 1]);
        if (w < 0) {
            *off = i;
            if (fmt[i + 1] == 'Z')
                sl_error_set(err, SL_ERR_CONFIG,
                             "%%Z (a zone's name) is not supported: use %%z, the "
                             "window's UTC offset (e.g. +0800)");
            else
                sl_error_set(err, SL_ERR_CONFIG,
                             "unsupported conversion '%%%.1s' (use strftime's "
                             "%%Y %%m %%d %%H %%M %%S %%z %%s and the like)",
                             fmt + i + 1);
            return -1;
        }
        longest += (size_t)w;
        i++;
    }
    if (longest >= SL_TIME_FMT_MAX) {
        *off = 0;
        sl_error_set(err, SL_ERR_CONFIG, "makes bounds up to %zu bytes long; at most %d",
                     longest, SL_TIME_FMT_MAX - 1);
        return -1;
    }
    return 0;
}

/* One conversion c of epoch (tm: its civil time in the zone) into out; its length or -1. */
static int put_conv(char c, int64_t epoch, int tz_offset_s, const struct tm *tm, char *out,
                    size_t cap)
{
    char spec[3] = {'%', c, '\0'};
    int n;
    if (c == 's') {
        n = snprintf(out, cap, "%" PRId64, epoch);
    } else if (c == 'z') {
        int a = tz_offset_s < 0 ? -tz_offset_s : tz_offset_s;
        n = snprintf(out, cap, "%c%02d%02d", tz_offset_s < 0 ? '-' : '+', a / 3600,
                     a / 60 % 60);
    } else {
        n = (int)strftime(out, cap, spec, tm);
        if (n == 0 && cap > 0)
            return -1; /* nothing fits: no conversion here makes empty text */
    }
    return n >= 0 && (size_t)n < cap ? n : -1;
}

int sl_time_strftime(const char *fmt, int64_t epoch, int tz_offset_s, char *out, size_t cap)
{
    size_t off, len = 0;
    if (cap == 0 || sl_time_format_check(fmt, NULL, &off) != 0)
        return -1;
    time_t t = (time_t)(epoch + tz_offset_s);
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return -1;
    for (size_t i = 0; fmt[i]; i++) {
        if (fmt[i] != '%') {
            if (len + 1 >= cap)
                return -1;
            out[len++] = fmt[i];
            continue;
        }
        int n = put_conv(fmt[++i], epoch, tz_offset_s, &tm, out + len, cap - len);
        if (n < 0)
            return -1;
        len += (size_t)n;
    }
    out[len] = '\0';
    return (int)len;
}

/* ---- ISO-8601 ---- */

/* Reads "hh:mm", "hhmm" or "hh" (len bytes, after the sign) into seconds; false if malformed. */
static bool iso_offset(const char *s, size_t len, int *secs)
{
    unsigned h, m = 0;
    if (len == 5 && s[2] != ':')
        return false;
    if ((len != 2 && len != 4 && len != 5) || !digits(s, 2, &h) ||
        (len > 2 && !digits(s + len - 2, 2, &m)) || h > 23 || m > 59)
        return false;
    *secs = (int)(h * 3600 + m * 60);
    return true;
}

/* Reads the zone designator of s[0..len): nothing, Z, or +/- and an offset. */
static bool iso_zone(const char *s, size_t len, int *zone_s, bool *zoned)
{
    *zone_s = 0;
    *zoned = len > 0;
    if (len == 0)
        return true;
    if (len == 1 && (s[0] == 'Z' || s[0] == 'z'))
        return true;
    if ((s[0] != '+' && s[0] != '-') || !iso_offset(s + 1, len - 1, zone_s))
        return false;
    if (s[0] == '-')
        *zone_s = -*zone_s;
    return true;
}

bool sl_time_parse_iso(const char *s, size_t len, int64_t *wall, int *zone_s, bool *zoned)
{
    char plain[19];
    size_t i = 19;
    if (len < 19 || (s[10] != 'T' && s[10] != 't' && s[10] != ' '))
        return false;
    memcpy(plain, s, 19);
    plain[10] = ' ';
    if (!sl_time_parse(plain, 19, 0, wall))
        return false;
    if (i < len && (s[i] == '.' || s[i] == ',')) {
        size_t start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == start)
            return false; /* a separator without digits */
    }
    return iso_zone(s + i, len - i, zone_s, zoned);
}

/* ---- window bounds ---- */

static const char *const bound_names[] = {"iso8601", "epoch", "epoch_ms"};

sl_bound_form sl_time_bound_form(const char *format)
{
    for (size_t i = 0; i < sizeof bound_names / sizeof bound_names[0]; i++)
        if (!strcmp(format, bound_names[i]))
            return (sl_bound_form)(SL_BOUND_ISO8601 + i);
    return SL_BOUND_STRFTIME;
}

const char *sl_time_bound_guess(const char *format)
{
    return sl_did_you_mean(format, bound_names, sizeof bound_names / sizeof bound_names[0]);
}

/* "2024-03-03T15:23:32+08:00": epoch seen in the zone, and the zone's offset. */
static int put_iso(int64_t epoch, int tz_offset_s, char *out, size_t cap)
{
    char civil[20];
    int a = tz_offset_s < 0 ? -tz_offset_s : tz_offset_s;
    sl_time_format(epoch, tz_offset_s, civil);
    civil[10] = 'T';
    int n = snprintf(out, cap, "%s%c%02d:%02d", civil, tz_offset_s < 0 ? '-' : '+', a / 3600,
                     a / 60 % 60);
    return n >= 0 && (size_t)n < cap ? n : -1;
}

int sl_time_bound(const char *format, int64_t epoch, int tz_offset_s, char *out, size_t cap)
{
    int n;
    switch (sl_time_bound_form(format)) {
    case SL_BOUND_ISO8601: return put_iso(epoch, tz_offset_s, out, cap);
    case SL_BOUND_EPOCH: n = snprintf(out, cap, "%" PRId64, epoch); break;
    case SL_BOUND_EPOCH_MS:
        if (epoch > INT64_MAX / 1000 || epoch < INT64_MIN / 1000)
            return -1;
        n = snprintf(out, cap, "%" PRId64, epoch * 1000);
        break;
    case SL_BOUND_STRFTIME:
    default: return sl_time_strftime(format, epoch, tz_offset_s, out, cap);
    }
    return n >= 0 && (size_t)n < cap ? n : -1;
}
