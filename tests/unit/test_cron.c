/* Unit tests of cron.c: parsing (every item form, every error with its offset) and the next
 * firing, against known instants and against a brute-force walk minute by minute. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "cron.h"
#include "timeutil.h"

static int64_t at(const char *text, int tz)
{
    int64_t t = 0;
    sl_time_parse(text, 19, tz, &t);
    return t;
}

/* The next firing after `after` (a "YYYY-MM-DD HH:MM:SS" in zone tz), written in that zone. */
static const char *next_text(const char *expr, const char *after, int tz)
{
    static char out[20];
    static char err[200];
    sl_cron c;
    size_t off;
    if (sl_cron_parse(expr, &c, err, sizeof err, &off) != 0)
        return err;
    int64_t t = sl_cron_next(&c, at(after, tz), tz);
    if (t == INT64_MIN)
        return "never";
    sl_time_format(t, tz, out);
    return out;
}

static void test_next(void)
{
    CHECK_STR(next_text("*/5 * * * *", "2024-01-01 00:00:00", 0), "2024-01-01 00:05:00");
    CHECK_STR(next_text("*/5 * * * *", "2024-01-01 00:04:59", 0), "2024-01-01 00:05:00");
    CHECK_STR(next_text("* * * * *", "2024-01-01 23:59:30", 0), "2024-01-02 00:00:00");
    CHECK_STR(next_text("30 2 * * 1-5", "2024-06-01 10:00:00", 8 * 3600), /* a Saturday */
              "2024-06-03 02:30:00");
    CHECK_STR(next_text("0 0 29 2 *", "2024-03-01 00:00:00", 0), "2028-02-29 00:00:00");
    CHECK_STR(next_text("0 12 13 * 5", "2024-01-01 00:00:00", 0), /* the 13th or a Friday */
              "2024-01-05 12:00:00");
    CHECK_STR(next_text("0 12 * * 7", "2024-01-01 00:00:00", 0), "2024-01-07 12:00:00");
    CHECK_STR(next_text("15,45 9-17/4 * 1,7 *", "2024-01-01 17:50:00", 0),
              "2024-01-02 09:15:00");
    CHECK_STR(next_text("10/20 * * * *", "2024-01-01 00:31:00", 0), "2024-01-01 00:50:00");
    CHECK_STR(next_text("  0   0 1 1 *  ", "1969-12-31 23:00:00", 0), "1970-01-01 00:00:00");
    /* the zone moves the firing instant: 00:00 at +08:00 is 16:00 UTC the day before */
    sl_cron c;
    char err[200];
    size_t off;
    CHECK(sl_cron_parse("0 0 * * *", &c, err, sizeof err, &off) == 0);
    CHECK(sl_cron_next(&c, at("2024-01-01 12:00:00", 0), 8 * 3600) ==
          at("2024-01-01 16:00:00", 0));
}

static void check_error(const char *expr, const char *want, size_t want_off)
{
    sl_cron c;
    char err[200];
    size_t off = 999;
    CHECK(sl_cron_parse(expr, &c, err, sizeof err, &off) == -1);
    CHECK_STR(err, want);
    if (off != want_off)
        fprintf(stderr, "%s: offset %zu, want %zu\n", expr, off, want_off);
    CHECK(off == want_off);
}

static void test_errors(void)
{
    check_error("", "needs 5 fields (minute hour day-of-month month day-of-week), found 0", 0);
    check_error("* * * *", "needs 5 fields (minute hour day-of-month month day-of-week), found 4",
                7);
    check_error("* * * * * *", "has more than 5 fields (minute hour day-of-month month "
                               "day-of-week)", 10);
    check_error("* 24 * * *", "field 2 (hour): 24 is out of range 0-23", 2);
    check_error("0 0 0 * *", "field 3 (day of month): 0 is out of range 1-31", 4);
    check_error("0 0 * 1,13 *", "field 4 (month): 13 is out of range 1-12", 8);
    check_error("0 0 * * 8", "field 5 (day of week): 8 is out of range 0-7", 8);
    check_error("*/0 * * * *", "field 1 (minute): a step needs a number of at least 1 after '/'",
                0);
    check_error("5-1 * * * *", "field 1 (minute): the range 5-1 goes downwards", 0);
    check_error("1- * * * *", "field 1 (minute): a range needs a number after '-'", 0);
    check_error("x * * * *", "field 1 (minute): expected a number, '*' or a range", 0);
    check_error("1,,2 * * * *", "field 1 (minute): an empty item", 2);
    check_error("1x * * * *", "field 1 (minute): unexpected text in '1x'", 0);
    check_error("0 0 30 2 *", "never fires (no such day in 5 years)", 0);
    char big[SL_CRON_MAX_TEXT + 2];
    memset(big, ' ', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    check_error(big, "is longer than 256 characters", 0);
}

/* Whether minute t (epoch seconds, zone tz) matches c, read straight off its civil fields. */
static bool brute_match(const sl_cron *c, int64_t t, int tz)
{
    char s[20];
    sl_time_format(t, tz, s);
    int mo = atoi(s + 5), d = atoi(s + 8), h = atoi(s + 11), mi = atoi(s + 14);
    int64_t days = (t + tz) / 86400 - ((t + tz) % 86400 < 0);
    int wd = (int)(((days % 7) + 11) % 7);
    bool dom = c->dom >> d & 1, dow = c->dow >> wd & 1;
    bool day = c->dom_any || c->dow_any ? dom && dow : dom || dow;
    return (c->minute >> mi & 1) && (c->hour >> h & 1) && (c->month >> mo & 1) && day;
}

/* Expressions across the item forms: sl_cron_next equals the first minute a walk finds. */
static void test_against_brute_force(void)
{
    const char *exprs[] = {"*/7 */5 * * *", "0 3 1-7 * 1", "59 23 31 * *", "0 0 * * 0",
                           "*/15 9-17 * * 1-5", "5 4 * 2-4 *", "0 */6 1,15 * *"};
    int tzs[] = {0, 8 * 3600, -(5 * 3600 + 30 * 60)};
    for (size_t e = 0; e < sizeof exprs / sizeof exprs[0]; e++) {
        sl_cron c;
        char err[200];
        size_t off;
        CHECK(sl_cron_parse(exprs[e], &c, err, sizeof err, &off) == 0);
        for (size_t z = 0; z < 3; z++) {
            int64_t after = at("2023-12-30 22:17:41", 0) + (int64_t)e * 86400 * 13;
            int64_t want = (after / 60 + 1) * 60;
            while (!brute_match(&c, want, tzs[z]) && want < after + 62 * 86400)
                want += 60;
            int64_t got = sl_cron_next(&c, after, tzs[z]);
            if (got != want)
                fprintf(stderr, "%s in %d: got %lld want %lld\n", exprs[e], tzs[z],
                        (long long)got, (long long)want);
            CHECK(got == want);
        }
    }
}

int main(void)
{
    test_next();
    test_errors();
    test_against_brute_force();
    return check_done();
}
