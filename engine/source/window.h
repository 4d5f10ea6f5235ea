/* window.h: the time windows of a run, in order. Windows are cut lazily from a range
 * [start, end] (epoch seconds, both ends inclusive): each at most max_span long, consecutive
 * windows sharing `overlap` seconds (at least the boundary second, because the API's times
 * are finer than its one-second bounds). A window can be split in halves in place. The
 * watermark advances only over the longest finished prefix, never past an unfinished window.
 * The source hangs its paging state on each window (`read`), the pipeline its rows (`rows`). */
#ifndef SLUICE_WINDOW_H
#define SLUICE_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

typedef struct sl_window {
    int64_t from; /* inclusive, epoch seconds */
    int64_t to;   /* inclusive */
    uint64_t seq; /* creation order, for logs */
    bool done;
    void *read;   /* the source's state for this window (source_int.h) */
    void *rows;   /* the pipeline's state for this window (runner.c) */
    struct sl_window *next;
} sl_window;

typedef struct sl_window_queue {
    sl_window *head; /* oldest unfinished window */
    sl_window *tail;
    int64_t cursor;  /* where the next new window starts */
    int64_t end;
    int64_t max_span;
    int64_t overlap;
    int64_t watermark; /* end of the finished prefix, or INT64_MIN before any */
    uint64_t next_seq;
    bool exhausted;    /* every window of the range has been cut */
} sl_window_queue;

/* Prepares q to cut [start, end]; max_span >= 1, overlap >= 0. */
void sl_wq_init(sl_window_queue *q, int64_t start, int64_t end, int64_t max_span, int64_t overlap);
/* Cuts the next window and appends it; NULL once the range is exhausted or out of memory. */
sl_window *sl_wq_cut(sl_window_queue *q);
/* Whether w can be split (its span is at least 2 s). */
bool sl_wq_can_split(const sl_window *w);
/* Splits w in place into [from, mid] and a new window [mid, to] right after it; returns the
 * new second half, or NULL if w can't be split or out of memory. */
sl_window *sl_wq_split(sl_window_queue *q, sl_window *w);
/* Marks w done and pops the finished prefix, calling popped(w, ctx) for each in order (the
 * callback must not free them; they are freed after it returns). Returns true when the
 * watermark moved. */
bool sl_wq_finish(sl_window_queue *q, sl_window *w, void (*popped)(sl_window *, void *),
                  void *ctx);
/* Frees every window still queued. */
void sl_wq_clear(sl_window_queue *q);

#endif
