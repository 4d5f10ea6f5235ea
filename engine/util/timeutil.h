/* timeutil.h: civil time <-> epoch seconds in a fixed UTC offset, without the C library's
 * locale- and TZ-dependent functions (exact, allocation-free, fast enough for the row loop). */
#ifndef SLUICE_TIMEUTIL_H
#define SLUICE_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t sl_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The civil date (year, month 1-12, day 1-31) of z days since 1970-01-01. */
void sl_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d);
/* Parses exactly "YYYY-MM-DD HH:MM:SS" (len bytes) in zone tz_offset_s; false if malformed. */
bool sl_time_parse(const char *s, size_t len, int tz_offset_s, int64_t *epoch);
/* Writes "YYYY-MM-DD HH:MM:SS" (19 chars + NUL) for epoch seen in zone tz_offset_s. */
void sl_time_format(int64_t epoch, int tz_offset_s, char out[20]);
/* Parses a zone "+08:00" / "-05:30" / "Z" / "UTC"; false if malformed. */
bool sl_tz_parse(const char *s, int *offset_s);
/* Longest window bound text sl_time_strftime makes, its NUL included. */
enum { SL_TIME_FMT_MAX = 64 };
/* Checks a window bound format: every % conversion is one sl_time_strftime knows (strftime's,
 * less those of a named zone or the locale: %Z %c %x %X %r, the E/O modifiers and glibc's
 * flags), and the longest text it can make fits SL_TIME_FMT_MAX. Returns 0, or -1 with the
 * reason in err (SL_ERR_CONFIG; err may be NULL) and the byte offset of the problem in *off. */
int sl_time_format_check(const char *fmt, sl_error *err, size_t *off);
/* Writes epoch as fmt says, seen in the fixed zone tz_offset_s: %z is that zone's offset
 * (+0800), %s the epoch seconds, the rest as strftime in the C locale. Returns the length, or
 * -1 when fmt fails sl_time_format_check or the text does not fit in cap. */
int sl_time_strftime(const char *fmt, int64_t epoch, int tz_offset_s, char *out, size_t cap);
/* Parses an ISO-8601 date and time of exactly len bytes: "YYYY-MM-DD", 'T' ('t' or a space),
 * "HH:MM:SS", an optional fraction ('.' or ',' and digits: dropped, whole seconds are kept),
 * then nothing, "Z" or an offset "+hh:mm", "+hhmm" or "+hh" (or '-'). *wall is the civil time
 * read as if it were UTC, *zone_s the written offset (0 without one) and *zoned whether a zone
 * was written: the instant is *wall - *zone_s. False if malformed. */
bool sl_time_parse_iso(const char *s, size_t len, int64_t *wall, int *zone_s, bool *zoned);

/* How a window bound is written (window.format): a keyword, or else a strftime pattern. */
typedef enum sl_bound_form {
    SL_BOUND_STRFTIME, /* sl_time_strftime in the window's zone */
    SL_BOUND_ISO8601,  /* "iso8601": 2024-03-03T15:23:32+08:00, in the window's zone */
    SL_BOUND_EPOCH,    /* "epoch": seconds since 1970-01-01 UTC */
    SL_BOUND_EPOCH_MS, /* "epoch_ms": milliseconds, the bound's second times 1000 */
} sl_bound_form;
/* The form a window format names. */
sl_bound_form sl_time_bound_form(const char *format);
/* The keyword a format without any % conversion likely meant ("epoch_ms" for "epoch_msec"),
 * or NULL. Borrowed. */
const char *sl_time_bound_guess(const char *format);
/* Writes the window bound epoch as format says, seen in the fixed zone tz_offset_s. The one
 * place a bound is made. Returns the length, or -1 when it does not fit in cap (or a pattern
 * fails sl_time_format_check). */
int sl_time_bound(const char *format, int64_t epoch, int tz_offset_s, char *out, size_t cap);
/* Parses a duration "90s", "5m", "1h", "2d", "500ms" into milliseconds; false if malformed. */
bool sl_duration_parse(const char *s, int64_t *ms);

#endif
