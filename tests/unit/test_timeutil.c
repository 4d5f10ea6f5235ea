/* Unit tests of timeutil against known instants. */
#include "check.h"
#include "timeutil.h"

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
    return check_done();
}
