/* runlog.c: see runlog.h. */
#include "runlog.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text.h"
#include "timeutil.h"

/* The whole message, the plan's secrets masked, then cut to cap bytes on a character: cutting
 * first would leave the beginning of a secret that crosses the cut unmasked. */
static void format_redacted(const sl_plan *plan, char *out, size_t cap, const char *fmt,
                            va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(out, cap, fmt, ap);
    size_t room = n < 0 ? 0 : 3 * (size_t)n + 1; /* each masked byte may become "***" */
    char *full = n < 0 || (size_t)n < cap ? NULL : malloc(room);
    if (full) {
        vsnprintf(full, room, fmt, again);
        sl_plan_redact(plan, full, room);
        sl_text_cut(full, cap - 1);
        memcpy(out, full, strlen(full) + 1);
    } else if (n < 0 || (size_t)n >= cap) { /* nothing known safe to show */
        snprintf(out, cap, "(a message that could not be masked: %s)",
                 n < 0 ? "bad format" : "out of memory");
    } else {
        sl_plan_redact(plan, out, cap);
    }
    va_end(again);
    free(full);
}

sl_status sl_runlog_fail(sl_runlog *rl, sl_status code, const char *fmt, ...)
{
    if (rl->status != SL_OK)
        return rl->status;
    char msg[sizeof rl->err->msg];
    va_list ap;
    va_start(ap, fmt);
    format_redacted(rl->plan, msg, sizeof msg, fmt, ap);
    va_end(ap);
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
    format_redacted(rl->plan, msg, sizeof msg, fmt, ap);
    va_end(ap);
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
