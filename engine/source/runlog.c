/* runlog.c: see runlog.h. */
#include "runlog.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "text.h"
#include "timeutil.h"

sl_status sl_runlog_fail(sl_runlog *rl, sl_status code, const char *fmt, ...)
{
    if (rl->status != SL_OK)
        return rl->status;
    char msg[sizeof rl->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sl_plan_redact(rl->plan, msg, sizeof msg);
    rl->status = code;
    sl_error_set(rl->err, code, "%s", msg);
    return code;
}

void sl_runlog_event(const sl_runlog *rl, const char *fmt, ...)
{
    if (!rl->log)
        return;
    char ts[20], msg[1024], line[1024];
    sl_time_format(time(NULL), 0, ts);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sl_plan_redact(rl->plan, msg, sizeof msg);
    sl_text_escape(line, sizeof line, msg, strlen(msg)); /* it may quote the API: one line */
    fprintf(rl->log, "%sZ sluice %s: %s\n", ts, rl->plan->name, line);
}

void sl_runlog_window(const sl_runlog *rl, int64_t from, int64_t to, char *out, size_t len)
{
    if (rl->plan->target.refresh.on) { /* its one window has no bounds to name */
        snprintf(out, len, "(everything: a full refresh)");
        return;
    }
    char a[20], b[20];
    int tz = rl->plan->source.window.tz_offset_s;
    sl_time_format(from, tz, a);
    sl_time_format(to, tz, b);
    snprintf(out, len, "[%s, %s]", a, b);
}
