/* error.h: one status enum for the whole engine, doubling as the CLI's exit codes, and an
 * error record that keeps the first specific message (later ones never overwrite it). */
#ifndef SLUICE_ERROR_H
#define SLUICE_ERROR_H

/* Stable: these are the documented exit codes of the sluice CLI (README "Exit codes"). */
typedef enum sl_status {
    SL_OK = 0,
    SL_ERR_FOUND = 1,     /* the command ran and found a problem (verify: gaps) */
    SL_ERR_USAGE = 2,     /* bad command line */
    SL_ERR_CONFIG = 3,    /* the job file is invalid, or a ${env:}/${file:} reference can't be read */
    SL_ERR_SOURCE = 4,    /* the API failed permanently or retries ran out */
    SL_ERR_SINK = 5,      /* the database failed past its retry budget */
    SL_ERR_DATA = 6,      /* more rejected records than max_rejects */
    SL_ERR_LOCKED = 7,    /* another run of the same job holds the lock */
    SL_ERR_INTERRUPTED = 8, /* stopped by a signal; state is consistent */
    SL_ERR_REFUSED = 9,   /* a full refresh's guard refused the read; the table is unchanged */
    SL_ERR_INTERNAL = 70, /* a bug or out of memory */
} sl_status;

typedef struct sl_error {
    sl_status code;
    char msg[1024];
} sl_error;

/* Records code and message unless err already holds one; returns code. err may be NULL. The
 * message is kept as one line of valid UTF-8 (text.h's sl_text_escape), cut on a character. */
sl_status sl_error_set(sl_error *err, sl_status code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Short name of a status ("config", "source", ...). */
const char *sl_status_name(sl_status code);

#endif
