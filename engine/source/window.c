/* window.c: see window.h. */
#include "window.h"

#include <stdlib.h>

void sl_wq_init(sl_window_queue *q, int64_t start, int64_t end, int64_t max_span, int64_t overlap)
{
    *q = (sl_window_queue){.cursor = start, .end = end, .max_span = max_span < 1 ? 1 : max_span,
                           .overlap = overlap < 0 ? 0 : overlap, .watermark = INT64_MIN,
                           .exhausted = start > end};
}

sl_window *sl_wq_cut(sl_window_queue *q)
{
    if (q->exhausted)
        return NULL;
    sl_window *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->from = q->cursor;
    w->to = q->end - q->cursor > q->max_span ? q->cursor + q->max_span : q->end;
    w->seq = q->next_seq++;
    if (w->to >= q->end) {
        q->exhausted = true;
    } else {
        int64_t next = w->to - q->overlap;
        q->cursor = next > w->from ? next : w->to; /* always move forward */
    }
    if (q->tail)
        q->tail->next = w;
    else
        q->head = w;
    q->tail = w;
    return w;
}

bool sl_wq_can_split(const sl_window *w)
{
    return w->to - w->from >= 2;
}

sl_window *sl_wq_split(sl_window_queue *q, sl_window *w)
{
    if (!sl_wq_can_split(w))
        return NULL;
    sl_window *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    int64_t mid = w->from + (w->to - w->from) / 2;
    b->from = mid;
    b->to = w->to;
    b->seq = q->next_seq++;
    w->to = mid;
    b->next = w->next;
    w->next = b;
    if (q->tail == w)
        q->tail = b;
    return b;
}

bool sl_wq_finish(sl_window_queue *q, sl_window *w, void (*popped)(sl_window *, void *),
                  void *ctx)
{
    w->done = true;
    bool moved = false;
    while (q->head && q->head->done) {
        sl_window *h = q->head;
        q->head = h->next;
        if (!q->head)
            q->tail = NULL;
        q->watermark = h->to;
        moved = true;
        if (popped)
            popped(h, ctx);
        free(h);
    }
    return moved;
}

void sl_wq_clear(sl_window_queue *q)
{
    while (q->head) {
        sl_window *h = q->head;
        q->head = h->next;
        free(h);
    }
    q->tail = NULL;
}
