/* dsn.h: parsing the target database URL. The URL holds a password, so a parsed DSN is only
 * ever shown through sl_dsn_describe, which leaves the password out. */
#ifndef SLUICE_DSN_H
#define SLUICE_DSN_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/* <scheme>://user[:password]@host[:port]/database[?socket=/path], scheme a sink's (sinks.def).
 * Every part is percent-decoded; host "localhost" with a socket connects over the socket. */
typedef struct sl_dsn {
    const char *scheme; /* the sink's scheme, "mysql" (static) */
    unsigned default_port; /* the sink's, for messages when port is 0 */
    char *user;
    char *password; /* secret; may be "" */
    char *host;
    unsigned port;  /* 0 = the client's default (3306) */
    char *database;
    char *socket;   /* NULL unless ?socket= was given */
} sl_dsn;

/* The schemes of the sinks for messages: "mysql://", "a:// or b://" (static). */
const char *sl_dsn_schemes(void);
/* The line of sinks.def (0-based) whose scheme url starts with ("mysql://"), or -1; nothing
 * else is checked. */
int sl_dsn_sink(const char *url);
/* Parses url into *dsn (owned strings; free with sl_dsn_clear). Returns SL_OK, or
 * SL_ERR_CONFIG with a message that never quotes the URL (it may hold the password). */
sl_status sl_dsn_parse(const char *url, sl_dsn *dsn, sl_error *err);
/* Frees the strings of dsn and zeroes it; a zeroed dsn is fine. */
void sl_dsn_clear(sl_dsn *dsn);
/* Writes "user@host:port/db" or "user@localhost/db (socket /path)" into out: no password. */
void sl_dsn_describe(const sl_dsn *dsn, char *out, size_t outlen);

#endif
