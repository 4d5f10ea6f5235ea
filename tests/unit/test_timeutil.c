/* Unit tests of timeutil against known instants. */
#include "check.h"
#include "timeutil.h"

/* Window bounds are written in the job's zone: %z is that zone (it was +0000 with strftime on
 * a shifted struct tm: windows 8 hours late), %s the bound's own epoch (it followed the host's
 * TZ); conversions that can't be honoured, and formats too long for a bound, are refused. */
static void check_window_formats(void)
{
    char out[SL_TIME_FMT_MAX];
    sl_error err = {0};
    size_t off = 99;
    const int64_t t = 1717208130; /* 2024-06-01 10:15:30 +08:00 */
    CHECK(sl_time_strftime("%Y-%m-%d %H:%M:%S", t, 8 * 3600, out, sizeof out) == 19);
    CHECK_STR(out, "2024-06-01 10:15:30");
    CHECK(sl_time_strftime("%Y-%m-%dT%H:%M:%S%z", t, 8 * 3600, out, sizeof out) > 0);
    CHECK_STR(out, "2024-06-01T10:15:30+0800");
    CHECK(sl_time_strftime("%H:%M %z", t, -(5 * 3600 + 30 * 60), out, sizeof out) > 0);
    CHECK_STR(out, "20:45 -0530");
    CHECK(sl_time_strftime("%s", t, 8 * 3600, out, sizeof out) > 0);
    CHECK_STR(out, "1717208130");
    CHECK(sl_time_strftime("%a %d %b %Y, 100%%", t, 0, out, sizeof out) > 0);
    CHECK_STR(out, "Sat 01 Jun 2024, 100%");
    CHECK(sl_time_strftime("%Y-%m-%d", t, 0, out, 5) == -1); /* too small: no overflow */
    CHECK(sl_time_format_check("%Y-%m-%d %H:%M:%S %Z", &err, &off) == -1);
    CHECK(off == 18);
    CHECK(sl_time_format_check("%c", &err, &off) == -1 && off == 0);
    CHECK(sl_time_format_check("%Ey", &err, &off) == -1);
    CHECK(sl_time_format_check("%-d", &err, &off) == -1);
    CHECK(sl_time_format_check("trailing %", &err, &off) == -1 && off == 9);
    CHECK(sl_time_format_check("%A, %B %d %Y %H:%M:%S and twenty-seven more bytes", &err,
                               &off) == -1);
    CHECK(sl_time_format_check("%A, %B %d %Y %H:%M:%S %z", &err, &off) == 0);
    CHECK(sl_time_strftime("%A, %B %d %Y %H:%M:%S %z", t, 0, out, sizeof out) > 0);
}

/* ISO-8601 parsing: the civil time, the written offset, and whether there was one. */
static void check_iso(void)
{
    int64_t wall;
    int zone = 1;
    bool zoned = true;
    CHECK(sl_time_parse_iso("2024-03-03T15:23:32+08:00", 25, &wall, &zone, &zoned));
    CHECK(wall - zone == 1709450612 && zone == 28800 && zoned); /* 2024-03-03 07:23:32Z */
    CHECK(sl_time_parse_iso("2024-03-03 15:23:32.5-0530", 26, &wall, &zone, &zoned));
    CHECK(zone == -19800 && zoned);
    CHECK(sl_time_parse_iso("2024-03-03T15:23:32", 19, &wall, &zone, &zoned));
    CHECK(wall == 1709479412 && zone == 0 && !zoned);
    CHECK(sl_time_parse_iso("2024-02-29T00:00:00Z", 20, &wall, &zone, &zoned));
    CHECK(wall == 1709164800 && zone == 0 && zoned);
    CHECK(!sl_time_parse_iso("2023-02-29T00:00:00Z", 20, &wall, &zone, &zoned));
    CHECK(!sl_time_parse_iso("2024-03-03T15:23:32+0800x", 25, &wall, &zone, &zoned));
    CHECK(!sl_time_parse_iso("2024-03-03T15:23:32+08:0", 24, &wall, &zone, &zoned));
    CHECK(!sl_time_parse_iso("2024-03-03X15:23:32", 19, &wall, &zone, &zoned));
    CHECK(!sl_time_parse_iso("2024-03-03T15:23", 16, &wall, &zone, &zoned));
}

/* window.format's keywords and patterns: the one function that writes a bound. */
static void check_bounds(void)
{
    char out[SL_TIME_FMT_MAX];
    const int64_t t = 1717208130; /* 2024-06-01 10:15:30 +08:00 */
    CHECK(sl_time_bound("iso8601", t, 8 * 3600, out, sizeof out) == 25);
    CHECK_STR(out, "2024-06-01T10:15:30+08:00");
    CHECK(sl_time_bound("iso8601", t, -(5 * 3600 + 30 * 60), out, sizeof out) == 25);
    CHECK_STR(out, "2024-05-31T20:45:30-05:30");
    CHECK(sl_time_bound("iso8601", t, 0, out, sizeof out) == 25);
    CHECK_STR(out, "2024-06-01T02:15:30+00:00");
    CHECK(sl_time_bound("epoch", t, 8 * 3600, out, sizeof out) == 10);
    CHECK_STR(out, "1717208130");
    CHECK(sl_time_bound("epoch_ms", t, 8 * 3600, out, sizeof out) == 13);
    CHECK_STR(out, "1717208130000");
    CHECK(sl_time_bound("epoch_ms", -1, 0, out, sizeof out) == 5);
    CHECK_STR(out, "-1000");
    CHECK(sl_time_bound("%Y-%m-%d %H:%M:%S", t, 8 * 3600, out, sizeof out) == 19);
    CHECK_STR(out, "2024-06-01 10:15:30");
    CHECK(sl_time_bound("iso8601", t, 0, out, 25) == -1); /* too small: no overflow */
    /* The examples of docs/job-format.md "Times and money". */
    const struct {
        const char *format;
        int tz;
        const char *from, *to;
    } doc[] = {
        {"%Y-%m-%d %H:%M:%S", 28800, "2024-03-03 00:00:00", "2024-03-03 23:59:59"},
        {"iso8601", 28800, "2024-03-03T00:00:00+08:00", "2024-03-03T23:59:59+08:00"},
        {"epoch", 28800, "1709395200", "1709481599"},
        {"epoch_ms", 28800, "1709395200000", "1709481599000"},
        {"%Y-%m-%dT%H:%M:%SZ", 0, "2024-03-02T16:00:00Z", "2024-03-03T15:59:59Z"},
    };
    for (size_t i = 0; i < sizeof doc / sizeof doc[0]; i++) {
        CHECK(sl_time_bound(doc[i].format, 1709395200, doc[i].tz, out, sizeof out) > 0);
        CHECK_STR(out, doc[i].from);
        CHECK(sl_time_bound(doc[i].format, 1709481599, doc[i].tz, out, sizeof out) > 0);
        CHECK_STR(out, doc[i].to);
    }
    CHECK(sl_time_bound_form("epoch") == SL_BOUND_EPOCH);
    CHECK(sl_time_bound_form("epoch_s") == SL_BOUND_STRFTIME); /* not a keyword */
}

int main(void)
{
    int64_t t;
    char buf[20];
    CHECK(sl_time_parse("2024-06-01 10:15:30", 19, 8 * 3600, &t));
    CHECK(t == 1717208130); /* the sample's modified_date / modified (ms) of wdt-api.md */
    sl_time_format(1717208130, 8 * 3600, buf);
    CHECK_STR(buf, "2024-06-01 10:15:30");
    sl_time_format(0, 0, buf);
    CHECK_STR(buf, "1970-01-01 00:00:00");
    sl_time_format(-1, 0, buf);
    CHECK_STR(buf, "1969-12-31 23:59:59");
    CHECK(sl_time_parse("2024-02-29 00:00:00", 19, 0, &t));
    CHECK(!sl_time_parse("2023-02-29 00:00:00", 19, 0, &t));
    CHECK(!sl_time_parse("2024/02/06 00:00:00", 19, 0, &t));
    CHECK(!sl_time_parse("2024-01-01 24:00:00", 19, 0, &t));
    CHECK(!sl_time_parse("2024-01-01", 10, 0, &t));
    int off;
    CHECK(sl_tz_parse("+08:00", &off) && off == 28800);
    CHECK(sl_tz_parse("-05:30", &off) && off == -19800);
    CHECK(!sl_tz_parse("+8", &off));
    int64_t ms;
    CHECK(sl_duration_parse("90s", &ms) && ms == 90000);
    CHECK(sl_duration_parse("5m", &ms) && ms == 300000);
    CHECK(sl_duration_parse("500ms", &ms) && ms == 500);
    CHECK(sl_duration_parse("1d", &ms) && ms == 86400000);
    CHECK(!sl_duration_parse("5x", &ms));
    CHECK(!sl_duration_parse("m", &ms));
    check_window_formats();
    check_iso();
    check_bounds();
    return check_done();
}
