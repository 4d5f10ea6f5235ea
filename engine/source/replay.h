/* replay.h: record and replay of replies. `run --record DIR` saves every good reply as
 * DIR/<from>_<to>_<label>.json (the window's bounds, the page's label from its pager);
 * `--replay DIR` answers each request from that file instead of the API, queued until the
 * source's next poll, as a reply from the network would be. */
#ifndef SLUICE_REPLAY_H
#define SLUICE_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "runlog.h"
#include "window.h"

typedef struct sl_replay sl_replay;

/* Receives one replayed reply body (borrowed until it returns). */
typedef void sl_replay_fn(sl_window *w, const char *body, size_t len, void *ctx);

/* Saves a reply body under dir; fails the run (rl) when it can't be written. */
void sl_replay_save(const char *dir, const sl_window *w, int64_t label, const char *body,
                    size_t len, sl_runlog *rl);

/* A new queue of replies read from dir (owned; free with sl_replay_free); NULL when out of
 * memory. Recorded replies over max_body are refused as the API's would be. */
sl_replay *sl_replay_new(const char *dir, int64_t max_body);
/* Frees the queue and the replies still in it; NULL is fine. */
void sl_replay_free(sl_replay *rp);
/* Reads the reply to w's page label into the queue; returns 0, or -1 having failed the run. */
int sl_replay_request(sl_replay *rp, sl_window *w, int64_t label, sl_runlog *rl);
/* Hands each reply queued so far to fn, in order, and frees it; replies queued meanwhile wait
 * for the next call. Returns 0, or -1 having failed the run (out of memory). */
int sl_replay_poll(sl_replay *rp, sl_replay_fn *fn, void *ctx, sl_runlog *rl);

#endif
