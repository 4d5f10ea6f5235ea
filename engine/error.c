/* error.c: the first-error record. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>

sl_status sl_error_set(sl_error *err, sl_status code, const char *fmt, ...)
{
    if (!err || err->code != SL_OK)
        return code;
    err->code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
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
    case SL_ERR_INTERNAL: return "internal";
    }
    return "unknown";
}
