/* cron.c: see cron.h. The next firing walks days, not minutes: a day that matches month and
 * day is searched for its first matching hour and minute, so the horizon costs ~1,800 steps. */
#include "cron.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "timeutil.h"

typedef struct field {
    const char *name;
    int lo, hi;
} field;

static const field fields[5] = {
    {"minute", 0, 59}, {"hour", 0, 23}, {"day of month", 1, 31}, {"month", 1, 12},
    {"day of week", 0, 7},
};

typedef struct parser {
    const char *text;
    char *err;
    size_t cap;
    size_t *off;
} parser;

__attribute__((format(printf, 4, 5))) static int bad(parser *p, const char *at, int f,
                                                      const char *fmt, ...)
{
    char reason[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    snprintf(p->err, p->cap, "field %d (%s): %s", f + 1, fields[f].name, reason);
    *p->off = (size_t)(at - p->text);
    return -1;
}

/* Reads a number of at most 4 digits at *s; -1 when there is none. */
static int number(const char **s)
{
    int v = 0, n = 0;
    while (**s >= '0' && **s <= '9' && n < 4) {
        v = v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    return n ? v : -1;
}

/* One item of field f, from s up to end: `*`, `N` or `N-M`, then `/S`; sets bits in *set. */
static int item(parser *p, int f, const char *s, const char *end, uint64_t *set)
{
    const char *at = s;
    int lo = fields[f].lo, hi = fields[f].hi, step = 1;
    if (*s == '*') {
        s++;
    } else {
        if ((lo = number(&s)) < 0)
            return bad(p, at, f, "expected a number, '*' or a range");
        hi = lo;
        bool ranged = *s == '-';
        if (ranged && (s++, (hi = number(&s)) < 0))
            return bad(p, at, f, "a range needs a number after '-'");
        if (!ranged && *s == '/')
            hi = fields[f].hi; /* N/S: from N to the field's end */
    }
    if (*s == '/' && (s++, (step = number(&s)) < 1))
        return bad(p, at, f, "a step needs a number of at least 1 after '/'");
    if (s != end)
        return bad(p, at, f, "unexpected text in '%.*s'", (int)(end - at), at);
    if (lo < fields[f].lo || hi > fields[f].hi)
        return bad(p, at, f, "%d is out of range %d-%d", lo < fields[f].lo ? lo : hi,
                   fields[f].lo, fields[f].hi);
    if (lo > hi)
        return bad(p, at, f, "the range %d-%d goes downwards", lo, hi);
    for (int v = lo; v <= hi; v += step)
        *set |= (uint64_t)1 << (f == 4 && v == 7 ? 0 : v);
    return 0;
}

/* Field f, from s up to end: items joined by commas. */
static int parse_field(parser *p, int f, const char *s, const char *end, uint64_t *set)
{
    while (s <= end) {
        const char *comma = memchr(s, ',', (size_t)(end - s));
        const char *stop = comma ? comma : end;
        if (stop == s)
            return bad(p, s, f, "an empty item");
        if (item(p, f, s, stop, set) != 0)
            return -1;
        s = stop + 1;
    }
    return 0;
}

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t';
}

int sl_cron_parse(const char *text, sl_cron *out, char *err, size_t cap, size_t *off)
{
    parser p = {text, err, cap, off};
    uint64_t sets[5] = {0};
    const char *s = text;
    *off = 0;
    if (strlen(text) > SL_CRON_MAX_TEXT) {
        snprintf(err, cap, "is longer than %d characters", SL_CRON_MAX_TEXT);
        return -1;
    }
    for (int f = 0; f < 5; f++) {
        while (is_space(*s))
            s++;
        const char *end = s;
        while (*end && !is_space(*end))
            end++;
        if (end == s) {
            snprintf(err, cap, "needs 5 fields (minute hour day-of-month month day-of-week), "
                               "found %d", f);
            *off = (size_t)(s - text);
            return -1;
        }
        if (f == 2 || f == 4)
            (f == 2 ? &out->dom_any : &out->dow_any)[0] = *s == '*';
        if (parse_field(&p, f, s, end, &sets[f]) != 0)
            return -1;
        s = end;
    }
    while (is_space(*s))
        s++;
    if (*s) {
        *off = (size_t)(s - text);
        snprintf(err, cap, "has more than 5 fields (minute hour day-of-month month day-of-week)");
        return -1;
    }
    out->minute = sets[0];
    out->hour = (uint32_t)sets[1];
    out->dom = (uint32_t)sets[2];
    out->month = (uint16_t)sets[3];
    out->dow = (uint8_t)sets[4];
    if (sl_cron_next(out, 0, 0) == INT64_MIN) {
        snprintf(err, cap, "never fires (no such day in %d years)", SL_CRON_HORIZON_DAYS / 366);
        return -1;
    }
    return 0;
}

static bool day_matches(const sl_cron *c, int64_t day)
{
    int64_t y;
    unsigned m, d;
    sl_civil_from_days(day, &y, &m, &d);
    if (!(c->month >> m & 1))
        return false;
    unsigned wd = (unsigned)(((day % 7) + 11) % 7); /* 1970-01-01 was a Thursday (4) */
    bool dom = c->dom >> d & 1, dow = c->dow >> wd & 1;
    return c->dom_any || c->dow_any ? dom && dow : dom || dow;
}

/* The first matching minute of the day at or after minute `from` (0-1439), or -1. */
static int first_minute(const sl_cron *c, int from)
{
    for (int h = from / 60; h < 24; h++) {
        if (!(c->hour >> h & 1))
            continue;
        for (int mi = h == from / 60 ? from % 60 : 0; mi < 60; mi++)
            if (c->minute >> mi & 1)
                return h * 60 + mi;
    }
    return -1;
}

int64_t sl_cron_next(const sl_cron *c, int64_t after, int tz_offset_s)
{
    int64_t local = after + tz_offset_s;
    int64_t minute = (local >= 0 ? local / 60 : (local - 59) / 60) + 1;
    int64_t day = minute >= 0 ? minute / 1440 : (minute - 1439) / 1440;
    int from = (int)(minute - day * 1440);
    for (int i = 0; i < SL_CRON_HORIZON_DAYS; i++, day++, from = 0) {
        if (!day_matches(c, day))
            continue;
        int m = first_minute(c, from);
        if (m >= 0)
            return (day * 1440 + m) * 60 - tz_offset_s;
    }
    return INT64_MIN;
}
