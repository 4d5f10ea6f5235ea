/* timeutil.h: civil time <-> epoch seconds in a fixed UTC offset, without the C library's
 * locale- and TZ-dependent functions (exact, allocation-free, fast enough for the row loop). */
#ifndef SLUICE_TIMEUTIL_H
#define SLUICE_TIMEUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t sl_days_from_civil(int64_t y, unsigned m, unsigned d);
/* Parses exactly "YYYY-MM-DD HH:MM:SS" (len bytes) in zone tz_offset_s; false if malformed. */
bool sl_time_parse(const char *s, size_t len, int tz_offset_s, int64_t *epoch);
/* Writes "YYYY-MM-DD HH:MM:SS" (19 chars + NUL) for epoch seen in zone tz_offset_s. */
void sl_time_format(int64_t epoch, int tz_offset_s, char out[20]);
/* Parses a zone "+08:00" / "-05:30" / "Z" / "UTC"; false if malformed. */
bool sl_tz_parse(const char *s, int *offset_s);
/* Parses a duration "90s", "5m", "1h", "2d", "500ms" into milliseconds; false if malformed. */
bool sl_duration_parse(const char *s, int64_t *ms);

#endif
