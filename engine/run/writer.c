/* writer.c: see writer.h. One mutex, two condition variables, a ring of queued batches. */
#include "writer.h"

#include <pthread.h>
#include <stdlib.h>

#include "grow.h"
#include "sink.h"

typedef struct item {
    sl_batch *batch;
    int has_watermark;
    int64_t watermark;
} item;

struct sl_writer {
    sl_sink *sink;
    const sl_plan *plan;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t changed;
    item *ring;
    size_t cap;
    size_t head;
    size_t count;
    sl_batch **spare; /* recycled batches: every batch made is kept until the end */
    size_t n_spare;
    size_t n_made;    /* batches made: spare has room for all of them */
    size_t cap_spare;
    int stopping;
    int abandon;
    int failed;
    sl_error err;
    sl_writer_stats stats;
};

static size_t count_live(const sl_rowset *rs)
{
    size_t n = 0;
    for (size_t i = 0; i < rs->n_rows; i++)
        n += !rs->dead[i];
    return n;
}

static void account(sl_writer *w, sl_batch *b, const item *it)
{
    w->stats.batches++;
    w->stats.rows += count_live(sl_batch_parent(b));
    for (size_t i = 0; i < w->plan->n_children; i++)
        w->stats.child_rows += count_live(sl_batch_child(b, i));
    w->stats.rejects += sl_batch_rejects(b)->n_rows;
    if (it->has_watermark)
        w->stats.watermark = it->watermark;
}

static void put_spare(sl_writer *w, sl_batch *b)
{
    sl_batch_clear(b);
    w->spare[w->n_spare++] = b;
}

static void *writer_main(void *arg)
{
    sl_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->count == 0 && !w->stopping)
            pthread_cond_wait(&w->changed, &w->mu);
        if (w->count == 0 || w->abandon || w->failed)
            break;
        item it = w->ring[w->head];
        pthread_mutex_unlock(&w->mu);
        sl_error err = {0};
        int rc = sl_sink_write(w->sink, it.batch, w->plan->name,
                               it.has_watermark ? &it.watermark : NULL, &err);
        pthread_mutex_lock(&w->mu);
        w->head = (w->head + 1) % w->cap;
        w->count--;
        if (rc != 0) {
            w->failed = 1;
            w->err = err;
            if (w->err.code == SL_OK)
                sl_error_set(&w->err, SL_ERR_SINK, "database write failed");
        } else {
            account(w, it.batch, &it);
        }
        put_spare(w, it.batch);
        pthread_cond_broadcast(&w->changed);
        if (w->failed)
            break;
    }
    /* Whatever is left is dropped (abandon or failure). */
    while (w->count > 0) {
        put_spare(w, w->ring[w->head].batch);
        w->head = (w->head + 1) % w->cap;
        w->count--;
    }
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

sl_writer *sl_writer_start(sl_sink *sink, const sl_plan *plan, size_t queue_cap)
{
    sl_writer *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    w->sink = sink;
    w->plan = plan;
    w->cap = queue_cap < 1 ? 1 : queue_cap;
    w->ring = calloc(w->cap, sizeof *w->ring);
    w->stats.watermark = INT64_MIN;
    if (!w->ring)
        goto fail;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->changed, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->changed);
        goto fail;
    }
    return w;
fail:
    free(w->ring);
    free(w->spare);
    free(w);
    return NULL;
}

/* Keeping every batch (rather than freeing the ones over a spare limit) keeps their grown
 * buffers: memory stays at the high-water mark of batches in use at once, which the runner
 * bounds, and is not churned into fragments by batches made and freed over a long run. */
sl_batch *sl_writer_batch(sl_writer *w)
{
    sl_batch *b = NULL;
    pthread_mutex_lock(&w->mu);
    if (w->n_spare > 0) {
        b = w->spare[--w->n_spare];
    } else {
        sl_batch **room = sl_grow(w->spare, &w->cap_spare, w->n_made + 1, sizeof *room, 8);
        if (room) {
            w->spare = room;
            if ((b = sl_batch_new(w->plan)))
                w->n_made++;
        }
    }
    pthread_mutex_unlock(&w->mu);
    return b;
}

void sl_writer_recycle(sl_writer *w, sl_batch *batch)
{
    pthread_mutex_lock(&w->mu);
    put_spare(w, batch);
    pthread_mutex_unlock(&w->mu);
}

int sl_writer_push(sl_writer *w, sl_batch *batch, const int64_t *watermark)
{
    pthread_mutex_lock(&w->mu);
    while (w->count == w->cap && !w->failed)
        pthread_cond_wait(&w->changed, &w->mu);
    if (w->failed) {
        put_spare(w, batch);
        pthread_mutex_unlock(&w->mu);
        return -1;
    }
    item *it = &w->ring[(w->head + w->count) % w->cap];
    *it = (item){.batch = batch, .has_watermark = watermark != NULL,
                 .watermark = watermark ? *watermark : 0};
    w->count++;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

int sl_writer_failed(sl_writer *w)
{
    pthread_mutex_lock(&w->mu);
    int f = w->failed;
    pthread_mutex_unlock(&w->mu);
    return f;
}

sl_status sl_writer_finish(sl_writer *w, int abandon, sl_writer_stats *stats, sl_error *err)
{
    pthread_mutex_lock(&w->mu);
    w->stopping = 1;
    w->abandon = abandon;
    pthread_cond_broadcast(&w->changed);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    sl_status st = w->failed ? w->err.code : SL_OK;
    if (w->failed && err)
        sl_error_set(err, w->err.code, "%s", w->err.msg);
    if (stats)
        *stats = w->stats;
    for (size_t i = 0; i < w->n_spare; i++)
        sl_batch_free(w->spare[i]);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->changed);
    free(w->ring);
    free(w->spare);
    free(w);
    return st;
}
