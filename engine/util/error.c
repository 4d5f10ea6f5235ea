/* error.c: the first-error record. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

#include "text.h"

sl_status sl_error_set(sl_error *err, sl_status code, const char *fmt, ...)
{
    if (!err || err->code != SL_OK)
        return code;
    err->code = code;
    /* Messages quote outside text (API messages, values, server errors): kept to one line of
     * valid UTF-8 so stderr, the runs table and alerts can take it as it is. The staging buffer
     * is larger than msg, so a cut by vsnprintf never reaches what is kept. */
    char raw[4 * sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    size_t len = n < 0 ? 0 : (size_t)n < sizeof raw ? (size_t)n : sizeof raw - 1;
    sl_text_escape(err->msg, sizeof err->msg, raw, len);
    return code;
}

const char *sl_status_name(sl_status code)
{
    switch (code) {
    case SL_OK: return "ok";
    case SL_ERR_FOUND: return "found";
    case SL_ERR_USAGE: return "usage";
    case SL_ERR_CONFIG: return "config";
    case SL_ERR_SOURCE: return "source";
    case SL_ERR_SINK: return "sink";
    case SL_ERR_DATA: return "data";
    case SL_ERR_LOCKED: return "locked";
    case SL_ERR_INTERRUPTED: return "interrupted";
    case SL_ERR_REFUSED: return "refused";
    case SL_ERR_INTERNAL: return "internal";
    }
    return "unknown";
}
