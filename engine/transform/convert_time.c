/* convert_time.c: the datetime converter: "YYYY-MM-DD HH:MM:SS" text kept as it is, epoch
 * seconds or milliseconds written in the column's zone, ISO-8601 with an offset moved to the
 * column's zone (or the job's), all with timeutil.h (no libc time zones). */
#include <stdio.h>
#include <string.h>

#include "convert_int.h"
#include "timeutil.h"

/* DATETIME's range, as epoch seconds of its civil time. */
static const int64_t dt_lo = -30610224000LL; /* 1000-01-01 00:00:00 */
static const int64_t dt_hi = 253402300800LL; /* 10000-01-01 00:00:00 */

static const char *const from_names[] = {"auto", "string", "epoch_ms", "epoch_s"};

const char *conv_from_name(const sl_conv *c)
{
    return from_names[c->from];
}

static sl_status compile_from(sl_conv *c, const char *from, sl_error *err,
                              const char **bad_field)
{
    size_t i;
    for (i = 0; i < 4 && strcmp(from, from_names[i]) != 0; i++)
        ;
    if (i == 4) {
        char hint[64], msg[256];
        conv_did_you_mean(from, from_names, 4, hint, sizeof hint);
        snprintf(msg, sizeof msg,
                 "unknown from '%s'%s: expected string, epoch_ms, epoch_s or auto", from, hint);
        return conv_fail(err, bad_field, "from", msg);
    }
    c->from = (from_kind)i;
    return SL_OK;
}

sl_status conv_compile_DATETIME(sl_conv *c, const sl_conv_spec *sp, sl_error *err,
                                const char **bad_field)
{
    if (sp->from && compile_from(c, sp->from, err, bad_field))
        return SL_ERR_CONFIG;
    const char *tz = sp->timezone ? sp->timezone : "+00:00";
    if (!sl_tz_parse(tz, &c->tz) || strlen(tz) >= sizeof c->tz_text)
        return conv_fail(err, bad_field, "timezone",
                         "bad timezone: expected +HH:MM, -HH:MM, Z or UTC");
    snprintf(c->tz_text, sizeof c->tz_text, "%s", tz);
    /* Epochs keep today's default zone (+00:00); a value that names its own offset goes to the
     * job's zone when the column names none, the zone its windows and watermark are in. */
    const char *iso = !sp->timezone && sp->job_timezone ? sp->job_timezone : tz;
    if (!sl_tz_parse(iso, &c->iso_tz) || strlen(iso) >= sizeof c->iso_tz_text) {
        iso = tz; /* a bad window.timezone is reported where it is written */
        c->iso_tz = c->tz;
    }
    snprintf(c->iso_tz_text, sizeof c->iso_tz_text, "%s", iso);
    return SL_OK;
}

static bool is_zero_date(const char *s, size_t len)
{
    return len == 19 && memcmp(s, "0000-00-00 00:00:00", 19) == 0;
}

static bool looks_numeric(const char *s, size_t len)
{
    size_t i = len && s[0] == '-';
    for (; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return len > 0;
}

static sl_status put_epoch(const sl_conv *c, int64_t n, sl_rowset *rs, size_t row, size_t col,
                           sl_error *err)
{
    const int64_t lo = dt_lo, hi = dt_hi;
    bool ms = c->from == FROM_EPOCH_MS || (c->from == FROM_AUTO && (n > 100000000000LL ||
                                                                    n < -100000000000LL));
    int64_t secs = ms ? (n >= 0 ? n / 1000 : -((-(n + 1)) / 1000) - 1) : n;
    char buf[20];
    if (secs > hi || secs < lo || secs + c->tz < lo || secs + c->tz >= hi)
        return conv_bad(err, "epoch %s %lld is outside DATETIME's range", ms ? "ms" : "s",
                        (long long)n);
    sl_time_format(secs, c->tz, buf);
    return sl_rowset_set(rs, row, col, buf, 19) ? conv_oom(err) : SL_OK;
}

/* An ISO-8601 string: with an offset, the instant written in the column's (or job's) zone;
 * without one, its civil time as it is (as "YYYY-MM-DD HH:MM:SS" text is kept). */
static sl_status put_iso(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                         size_t col, sl_error *err)
{
    int64_t wall, t;
    int zone;
    bool zoned;
    char buf[20];
    if (!sl_time_parse_iso(json_string_value(v), json_string_length(v), &wall, &zone, &zoned))
        return conv_bad(err, "not a datetime (YYYY-MM-DD HH:MM:SS or ISO-8601): \"%s\"",
                        EXCERPT(v));
    t = zoned ? wall - zone + c->iso_tz : wall;
    if (t < dt_lo || t >= dt_hi)
        return conv_bad(err, "\"%s\" is outside DATETIME's range in %s", EXCERPT(v),
                        c->iso_tz_text);
    sl_time_format(t, 0, buf);
    return sl_rowset_set(rs, row, col, buf, 19) ? conv_oom(err) : SL_OK;
}

sl_status conv_apply_DATETIME(const sl_conv *c, const json_t *v, sl_rowset *rs, size_t row,
                              size_t col, sl_error *err)
{
    int64_t n, e;
    if (!json_is_string(v)) {
        bool empty;
        if (c->from == FROM_STRING)
            return conv_bad(err, "expected a datetime string, got %s", conv_kind_name(v));
        sl_status st = conv_to_i64(v, &n, &empty, err);
        return st ? st : put_epoch(c, n, rs, row, col, err);
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (len == 0 || is_zero_date(s, len))
        return SL_OK;
    if (c->from != FROM_STRING && looks_numeric(s, len)) {
        if (!conv_parse_i64(s, len, &n))
            return conv_bad(err, "not an epoch: \"%s\"", EXCERPT(v));
        return put_epoch(c, n, rs, row, col, err);
    }
    if (c->from == FROM_EPOCH_MS || c->from == FROM_EPOCH_S)
        return conv_bad(err, "not an epoch: \"%s\"", EXCERPT(v));
    if (sl_time_parse(s, len, 0, &e))
        return sl_rowset_set(rs, row, col, s, len) ? conv_oom(err) : SL_OK;
    if (c->from == FROM_AUTO)
        return put_iso(c, v, rs, row, col, err);
    return conv_bad(err, "not a datetime YYYY-MM-DD HH:MM:SS: \"%s\"", EXCERPT(v));
}

/* The zone a datetime column's values are written in: epochs in its timezone; strings as the
 * API wrote them, which is the zone it reads window bounds in; auto in the zone offsets go to. */
int conv_datetime_zone(const sl_conv *c, int window_tz)
{
    switch (c->from) {
    case FROM_STRING: return window_tz;
    case FROM_EPOCH_MS:
    case FROM_EPOCH_S: return c->tz;
    case FROM_AUTO: break;
    }
    return c->iso_tz;
}
