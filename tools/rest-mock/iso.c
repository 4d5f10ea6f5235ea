/* iso.c: the fixture's own ISO-8601 reading and writing (kept apart from the engine's on
 * purpose: the fixture is the ground truth the engine is judged against). */
#include <stdio.h>
#include <string.h>

#include "rest.h"

/* Days since 1970-01-01 of a civil date (H. Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

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

/* Reads n digits at *p into *v; false if any is not a digit. */
static bool digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return false;
        *v = *v * 10 + (**p - '0');
    }
    return true;
}

/* The zone suffix at p: Z, +hh:mm, +hhmm, or nothing (the server's zone). */
static bool zone(const char *p, int *off_s)
{
    int hh, mm;
    if (!*p) {
        *off_s = RM_TZ;
        return true;
    }
    if ((p[0] == 'Z' || p[0] == 'z') && !p[1]) {
        *off_s = 0;
        return true;
    }
    if (*p != '+' && *p != '-')
        return false;
    int sign = *p++ == '-' ? -1 : 1;
    if (!digits(&p, 2, &hh))
        return false;
    if (*p == ':')
        p++;
    if (!digits(&p, 2, &mm) || *p || hh > 23 || mm > 59)
        return false;
    *off_s = sign * (hh * 3600 + mm * 60);
    return true;
}

bool rm_iso_parse(const char *s, int64_t *ms)
{
    const char *p = s;
    int y, mo, d, h, mi, se, frac = 0, off;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
        !digits(&p, 2, &d) || (*p != 'T' && *p != ' ') || (p++, !digits(&p, 2, &h)) ||
        *p++ != ':' || !digits(&p, 2, &mi) || *p++ != ':' || !digits(&p, 2, &se))
        return false;
    if (*p == '.') {
        int n = 0;
        for (p++; *p >= '0' && *p <= '9'; p++, n++)
            if (n < 3)
                frac = frac * 10 + (*p - '0');
        if (n == 0)
            return false;
        for (; n < 3; n++)
            frac *= 10;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59 || !zone(p, &off))
        return false;
    int64_t secs = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 + mi * 60 + se;
    *ms = (secs - off) * 1000 + frac;
    return true;
}

bool rm_time_param(const char *s, int64_t *ms)
{
    size_t n = strspn(s, "0123456789");
    if (n > 0 && n <= 12 && !s[n]) {
        long long v = 0;
        sscanf(s, "%lld", &v);
        *ms = (int64_t)v * 1000;
        return true;
    }
    return rm_iso_parse(s, ms);
}

void rm_iso_format(int64_t ms, rm_time_style style, char out[RM_ISO_MAX])
{
    int off = style == RM_ISO_OFFSET || style == RM_ISO_OFFSET_MICRO ? RM_TZ : 0;
    int64_t local_ms = ms + (int64_t)off * 1000;
    int64_t secs = local_ms >= 0 ? local_ms / 1000 : (local_ms - 999) / 1000;
    int frac = (int)(local_ms - secs * 1000);
    int64_t days = secs >= 0 ? secs / 86400 : (secs - 86399) / 86400, y;
    int sod = (int)(secs - days * 86400);
    unsigned m, d;
    civil_from_days(days, &y, &m, &d);
    int w = snprintf(out, RM_ISO_MAX, "%04lld-%02u-%02uT%02d:%02d:%02d", (long long)y, m, d,
                     sod / 3600, sod / 60 % 60, sod % 60);
    if (style == RM_ISO_UTC_MILLI)
        w += snprintf(out + w, RM_ISO_MAX - (size_t)w, ".%03d", frac);
    else if (style == RM_ISO_OFFSET_MICRO)
        w += snprintf(out + w, RM_ISO_MAX - (size_t)w, ".%03d000", frac);
    snprintf(out + w, RM_ISO_MAX - (size_t)w, "%s", off ? "+08:00" : "Z");
}
