/* Unit tests of the window queue: cutting, overlap, splitting, the finished-prefix watermark. */
#include "check.h"
#include "window.h"

static int popped_count;
static void on_pop(sl_window *w, void *ctx)
{
    (void)w;
    (void)ctx;
    popped_count++;
}

int main(void)
{
    sl_window_queue q;
    sl_wq_init(&q, 0, 250, 100, 10);
    sl_window *a = sl_wq_cut(&q), *b = sl_wq_cut(&q), *c = sl_wq_cut(&q);
    CHECK(a->from == 0 && a->to == 100);
    CHECK(b->from == 90 && b->to == 190);
    CHECK(c->from == 180 && c->to == 250);
    CHECK(sl_wq_cut(&q) == NULL && q.exhausted);

    /* Finishing out of order: the watermark waits for the head. */
    CHECK(!sl_wq_finish(&q, b, on_pop, NULL));
    CHECK(q.watermark == INT64_MIN && popped_count == 0);
    CHECK(sl_wq_finish(&q, a, on_pop, NULL));
    CHECK(q.watermark == 190 && popped_count == 2);

    /* Split: halves share the middle second and stay in order. */
    sl_window *c2 = sl_wq_split(&q, c);
    CHECK(c->from == 180 && c->to == 215 && c2->from == 215 && c2->to == 250);
    CHECK(c->next == c2 && q.tail == c2);
    CHECK(!sl_wq_finish(&q, c2, on_pop, NULL));
    CHECK(sl_wq_finish(&q, c, on_pop, NULL) && q.watermark == 250);
    CHECK(q.head == NULL);

    /* A window of 1 s or less cannot be split. */
    sl_wq_init(&q, 10, 11, 100, 0);
    sl_window *w = sl_wq_cut(&q);
    CHECK(w->from == 10 && w->to == 11 && !sl_wq_can_split(w) && !sl_wq_split(&q, w));
    sl_wq_clear(&q);

    /* Overlap 0 still shares the boundary second; the range is covered exactly. */
    sl_wq_init(&q, 0, 30, 10, 0);
    int64_t prev_to = 0;
    int n = 0;
    while ((w = sl_wq_cut(&q))) {
        CHECK(w->from == prev_to);
        prev_to = w->to;
        n++;
    }
    CHECK(n == 3 && prev_to == 30);
    sl_wq_clear(&q);

    /* An empty range cuts nothing. */
    sl_wq_init(&q, 50, 40, 10, 0);
    CHECK(sl_wq_cut(&q) == NULL);
    return check_done();
}
