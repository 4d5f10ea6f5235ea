/* reading.c: see reading.h. */
#include "reading.h"

#include <stdlib.h>
#include <time.h>

int64_t sl_source_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int sl_source_window_open(sl_source *src, sl_window *w)
{
    win_read *wr = calloc(1, sizeof *wr + src->pager->state_size);
    if (!wr)
        return -1;
    src->pager->start(src->pager_cfg, wr->paging);
    w->read = wr;
    if (src->hooks->opened(w, src->hooks->ctx) != 0) {
        free(wr);
        w->read = NULL;
        return -1;
    }
    src->open++;
    return 0;
}

void sl_source_window_free(sl_window *w)
{
    win_read *wr = read_of(w);
    if (!wr)
        return;
    sl_keyset_free(&wr->keys);
    free(wr);
    w->read = NULL;
}

void sl_source_window_restart(sl_source *src, sl_window *w)
{
    win_read *wr = read_of(w);
    src->pager->start(src->pager_cfg, wr->paging);
    wr->attempts = 0;
    wr->turn = 0; /* starts again: first in line, in queue order, like a new window */
    sl_keyset_clear(&wr->keys);
}

static void on_popped(sl_window *w, void *ctx)
{
    sl_source *src = ctx;
    src->hooks->popped(w, src->hooks->ctx);
    sl_source_window_free(w);
}

void sl_source_window_finish(sl_source *src, sl_window *w)
{
    src->open--;
    sl_wq_finish(&src->q, w, on_popped, src);
    src->hooks->finished(src->hooks->ctx);
}

