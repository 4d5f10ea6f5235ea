/* mockkit.h: what the fixture APIs (tools/wdt-mock, tools/rest-mock) share: growable buffers,
 * aborting allocation, clocks, a seedable PRNG, a knob table read by the command line, by
 * POST /_admin and by --help, and the loopback libmicrohttpd server frame (flags, port file,
 * request bodies, shutdown on a signal). A mock is a test tool: on out of memory it aborts
 * rather than limping on. */
#ifndef MOCKKIT_H
#define MOCKKIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>
#include <microhttpd.h>

/* ---- buffers, allocation, clocks, PRNG (util.c) ---- */

typedef struct mock_buf {
    char *s;
    size_t len, cap;
} mock_buf;

/* Appends n bytes (aborts on out of memory); s stays NUL-terminated. */
void mock_buf_add(mock_buf *b, const char *s, size_t n);
void mock_buf_str(mock_buf *b, const char *s);
void mock_buf_fmt(mock_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal (quotes and escapes). */
void mock_buf_json_str(mock_buf *b, const char *s);
/* Appends v compactly (JSON_COMPACT plus flags); v stays the caller's. */
void mock_buf_json(mock_buf *b, const json_t *v, size_t flags);
/* Allocation that aborts on failure. */
void *mock_xmalloc(size_t n);
void *mock_xcalloc(size_t n, size_t size);
char *mock_xstrdup(const char *s);
/* Milliseconds of the real wall clock. */
int64_t mock_wall_ms(void);
/* Sleeps ms milliseconds (a reply delay, not synchronisation). */
void mock_sleep_ms(int64_t ms);

/* splitmix64: small, seedable, good enough for test data and fault draws. */
typedef struct mock_rng {
    uint64_t s;
} mock_rng;
uint64_t mock_rng_next(mock_rng *r);
/* Uniform in [lo, hi] (inclusive). */
int64_t mock_rng_range(mock_rng *r, int64_t lo, int64_t hi);
/* Uniform in [0, 1). */
double mock_rng_unit(mock_rng *r);

/* ---- knob tables (knobs.c) ---- */

typedef enum mk_knob_kind { MK_INT, MK_RATE, MK_ENUM } mk_knob_kind;

/* One tunable: an int64_t (MK_INT, MK_ENUM: the index into names) or a double in [0, 1]
 * (MK_RATE) at offset off of the knobs struct. */
typedef struct mk_knob_def {
    const char *name; /* flag spelling; "_" is accepted for "-" */
    mk_knob_kind kind;
    size_t off;
    double min, max, def;
    const char *doc;
    const char *const *names; /* MK_ENUM: the values' names, NULL-terminated */
} mk_knob_def;

typedef struct mk_knob_table {
    const mk_knob_def *rows;
    size_t n;
} mk_knob_table;

/* Sets knob name of k from text (a number, or an enum's value name); false with a message in
 * err (size n) if unknown or out of bounds. */
bool mk_knob_set(const mk_knob_table *t, void *k, const char *name, const char *text, char *err,
                 size_t n);
/* Sets a knob from a JSON number (or string, for an enum); same contract as mk_knob_set. */
bool mk_knob_set_json(const mk_knob_table *t, void *k, const char *name, const json_t *v,
                      char *err, size_t n);
/* True if name is a knob of t. */
bool mk_knob_exists(const mk_knob_table *t, const char *name);
/* The knobs as a JSON object (owned). */
json_t *mk_knobs_json(const mk_knob_table *t, const void *k);
/* Fills k with the defaults. */
void mk_knobs_default(const mk_knob_table *t, void *k);
/* Prints one help line per knob. */
void mk_knobs_help(const mk_knob_table *t, FILE *out);

/* ---- the server frame (serve.c) ---- */

/* Called once per request with its whole body (NUL-terminated, never NULL); too_large when it
 * exceeded the cap and was dropped. Must queue a response on mc. */
typedef enum MHD_Result (*mk_handler)(void *cls, struct MHD_Connection *mc, const char *url,
                                      const char *method, const mock_buf *body, bool too_large);

/* Called for each --name value / --name=value flag; false after printing the error. */
typedef bool (*mk_option_fn)(void *cls, const char *name, const char *value);

/* Reads the flags: returns 0 to run, 1 on a usage error (printed), 2 after --help (usage(stdout)
 * called). prog prefixes messages. */
int mk_parse_args(int argc, char **argv, const char *prog, mk_option_fn option, void *cls,
                  void (*usage)(FILE *out));
/* Parses an integer flag in [lo, hi]; false after printing "prog: name must be ...". */
bool mk_parse_int(const char *prog, const char *name, const char *v, int64_t lo, int64_t hi,
                  int64_t *out);

typedef struct mk_server_opts {
    const char *prog;      /* for messages */
    int port;              /* 0 = any free port */
    const char *port_file; /* written once listening, or NULL */
    size_t max_body;       /* a larger request body is refused (too_large) */
} mk_server_opts;

/* Listens on 127.0.0.1 with a thread per connection (a delay in a handler must slow only its
 * own connection, as a slow API does), writes the port file, runs until SIGINT or SIGTERM,
 * then stops. Returns 0, or 1 after printing why it could not start. */
int mk_serve(const mk_server_opts *o, mk_handler handler, void *cls, void (*ready)(void *cls,
                                                                                 int port));

/* Queues a response with status, content type and body (taken: *body is emptied); headers is
 * NULL or a NULL-terminated list of name, value pairs. */
enum MHD_Result mk_respond_take(struct MHD_Connection *mc, unsigned status, const char *ctype,
                                mock_buf *body, const char *const *headers);

#endif
