/* cron.h: a five-field cron expression ("0 2 * * 1-5": minute, hour, day of month, month, day
 * of week) parsed into bit sets, and the next minute it fires in a fixed UTC offset. Items are
 * `*`, `N`, `N-M`, each with an optional step `/S`, joined by commas; day of week 0-7 (0 and 7
 * are Sunday). As in Vixie cron, when both day fields are restricted (neither starts with `*`)
 * a day matching either fires; otherwise both must match. No names, no `@daily`. */
#ifndef SLUICE_CRON_H
#define SLUICE_CRON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct sl_cron {
    uint64_t minute; /* bit m: minute m, 0-59 */
    uint32_t hour;   /* bit h: hour h, 0-23 */
    uint32_t dom;    /* bit d: day of month d, 1-31 */
    uint16_t month;  /* bit m: month m, 1-12 */
    uint8_t dow;     /* bit d: day of week d, 0 (Sunday) - 6 */
    bool dom_any, dow_any; /* the field starts with `*` */
} sl_cron;

enum {
    SL_CRON_MAX_TEXT = 256,   /* a longer expression is refused */
    SL_CRON_HORIZON_DAYS = 5 * 366 + 1, /* sl_cron_next looks this far ahead (Feb 29 on Mon) */
};

/* Parses text into *out. Returns 0, or -1 with the reason in err (cap bytes, e.g. "field 2
 * (hour): 24 is out of range 0-23") and the byte offset of the offending item in *off. An
 * expression that can never fire (Feb 30) is an error too. */
int sl_cron_parse(const char *text, sl_cron *out, char *err, size_t cap, size_t *off);

/* The first whole minute strictly after `after` (epoch seconds) that c matches, its fields
 * read in the zone tz_offset_s (seconds east of UTC); INT64_MIN when none within
 * SL_CRON_HORIZON_DAYS. */
int64_t sl_cron_next(const sl_cron *c, int64_t after, int tz_offset_s);

#endif
