/* reading.h: the state of a run's source (sl_source) and of each window it reads, and the
 * windows' life: opened, read again, finished. Shared by reply.c (what a reply means for its
 * window) and source.c (requests and the loop's steps), which sit above it. */
#ifndef SLUICE_READING_H
#define SLUICE_READING_H

#include <stdalign.h>
#include <stddef.h>

#include "auth.h"
#include "http.h"
#include "jarena.h"
#include "jscan.h"
#include "keyset.h"
#include "limiter.h"
#include "pager.h"
#include "replay.h"
#include "hooks.h"
#include "runlog.h"

/* The source's state of one window (sl_window.read), its pager's state at the end. */
typedef struct win_read {
    bool in_flight;
    uint64_t turn;      /* when it last sent (src->sends); the smallest sends next */
    int64_t not_before; /* ms: backoff */
    int attempts;       /* failures of the current request */
    int throttles;
    int64_t label;      /* the page asked for, as its pager names it */
    uint64_t auth_gen;  /* the fetched credential its request carried (sl_auth_ops) */
    uint64_t auth_refused_gen; /* the credential its request last got a 401 to (0: none) */
    sl_keyset keys;     /* distinct records received */
    alignas(max_align_t) unsigned char paging[];
} win_read;

struct sl_source {
    const sl_plan *plan;
    const sl_source_plan *sp;
    const sl_source_opts *opts;
    const sl_source_hooks *hooks;
    sl_runlog *rl;
    const sl_pager_ops *pager;
    const void *pager_cfg;
    sl_window_queue q;
    int open;          /* windows cut and not finished */
    uint64_t cut;      /* windows cut so far */
    uint64_t sends;    /* requests sent so far: the clock of win_read.turn */
    sl_http *http;
    sl_limiter *lim;
    sl_replay *replay;
    const sl_auth_ops *auth; /* the auth method's runtime operations, or NULL (a fixed one) */
    void *auth_session;      /* its session: the credential in force */
    uint64_t auth_gen;       /* the last credential a request carried */
    uint64_t auth_resends;   /* requests sent again after a 401 to their credential */
    int auth_refusals;       /* 401s sent again since a reply last passed */
    sl_jarena *arena;  /* the JSON tree of the reply being handled */
    sl_jscan *scan;    /* decodes replies keeping only what the plan reads */
    bool proven;       /* a reply has passed the error rules: the credentials work */
    const sl_headers *headers; /* the headers of the reply being handled; NULL when replayed */
    uint64_t rng;
    sl_source_stats stats;
};

static inline win_read *read_of(const sl_window *w)
{
    return w->read;
}

/* Milliseconds on the monotonic clock. */
int64_t sl_source_now_ms(void);
/* Opens a window just cut or split off: the source's state and the pipeline's; -1 on OOM. */
int sl_source_window_open(sl_source *src, sl_window *w);
/* Reads w again from its first page (a re-read or a split). */
void sl_source_window_restart(sl_source *src, sl_window *w);
/* w has been read completely: pops the finished prefix to the pipeline. */
void sl_source_window_finish(sl_source *src, sl_window *w);
/* Frees the source's state of w (its pipeline state is the pipeline's). */
void sl_source_window_free(sl_window *w);

#endif
