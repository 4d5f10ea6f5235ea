/* test_jarena.c: a reply decoded into the arena equals the same reply decoded by jansson's
 * default allocator, also when it does not fit the block (the overflow path, which then grows
 * it); allocations outside begin/end and on other threads are ordinary heap blocks that
 * survive a drop. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jarena.h"
#include "check.h"

/* A page like the API's: n records with nested lists and strings. */
static char *page(int n)
{
    json_t *order = json_array();
    for (int i = 0; i < n; i++) {
        json_t *d = json_pack("[{s:i, s:s, s:f}, {s:i, s:s, s:b}]", "rec_id", i * 2, "goods_name",
                              "降噪无线蓝牙耳机", "price", 199.5, "rec_id", i * 2 + 1,
                              "goods_name", "cup", "is_guarantee", 1);
        json_array_append_new(order, json_pack("{s:i, s:s, s:I, s:o}", "refund_id", 1000 + i,
                                               "remark", "外包装破损", "modified",
                                               (json_int_t)1704038404000, "detail_list", d));
    }
    json_t *doc = json_pack("{s:{s:i, s:{s:i, s:o}}}", "response", "status", 0, "data",
                            "total_count", n, "order", order);
    char *s = json_dumps(doc, JSON_COMPACT);
    json_decref(doc);
    return s;
}

static void same_as_heap(sl_jarena *a, const char *text)
{
    json_t *want = json_loads(text, 0, NULL);
    sl_jarena_begin(a);
    json_t *got = json_loads(text, 0, NULL);
    sl_jarena_end();
    CHECK(want && got);
    CHECK(json_equal(want, got));
    char *dump = json_dumps(got, JSON_COMPACT); /* after end: a heap block, freed with free() */
    CHECK(dump && strcmp(dump, text) == 0);
    free(dump);
    sl_jarena_drop(a, got);
    json_decref(want);
}

static void *other_thread(void *arg)
{
    (void)arg;
    json_t *v = json_pack("{s:[i,i,s]}", "k", 1, 2, "x"); /* must not come from the arena */
    return v;
}

/* Decodes text in a; returns the tree (NULL when it failed). */
static json_t *decode_in(sl_jarena *a, const char *text)
{
    sl_jarena_begin(a);
    json_t *doc = json_loads(text, 0, NULL);
    sl_jarena_end();
    return doc;
}

/* Past its limit (in the block or spilled to the heap) the arena refuses, says so, and the
 * next reply after the drop starts from zero. */
static void test_limit(const char *small, const char *big)
{
    size_t blocks[] = {4096, 1 << 20}; /* the big page spills, or fits the block */
    for (size_t i = 0; i < 2; i++) {
        sl_jarena *a = sl_jarena_new(blocks[i], 1 << 20, 64 << 10);
        CHECK(a != NULL);
        json_t *doc = decode_in(a, big);
        CHECK(doc == NULL);
        CHECK(sl_jarena_over_limit(a));
        sl_jarena_drop(a, doc);
        CHECK(!sl_jarena_over_limit(a));
        for (int round = 0; round < 3; round++) { /* the limit is per reply, not cumulative */
            doc = decode_in(a, small);
            CHECK(doc != NULL && !sl_jarena_over_limit(a));
            sl_jarena_drop(a, doc);
        }
        sl_jarena_free(a);
    }
    sl_jarena *a = sl_jarena_new(4096, 1 << 20, SIZE_MAX);
    json_t *doc = decode_in(a, big);
    CHECK(doc != NULL && !sl_jarena_over_limit(a));
    sl_jarena_drop(a, doc);
    sl_jarena_free(a);
}

int main(void)
{
    char *small = page(3), *big = page(400);
    sl_jarena *a = sl_jarena_new(4096, 1 << 20, SIZE_MAX);
    CHECK(a != NULL);
    same_as_heap(a, small); /* fits */
    same_as_heap(a, big);   /* overflows: partly heap, walked and freed by the drop */
    same_as_heap(a, big);   /* again, into the grown block */
    same_as_heap(a, small);

    /* A value made by another thread while this one decodes outlives the drop. */
    sl_jarena_begin(a);
    json_t *doc = json_loads(small, 0, NULL);
    pthread_t t;
    void *res = NULL;
    CHECK(pthread_create(&t, NULL, other_thread, NULL) == 0 && pthread_join(t, &res) == 0);
    sl_jarena_end();
    sl_jarena_drop(a, doc);
    json_t *again = json_loads(big, 0, NULL); /* reuses the arena's block if res lived there */
    json_t *want = json_pack("{s:[i,i,s]}", "k", 1, 2, "x");
    CHECK(json_equal(res, want));
    json_decref(want);
    json_decref(again);
    json_decref(res);

    /* A malformed reply: jansson frees its partial tree inside the arena; the drop resets. */
    sl_jarena_begin(a);
    json_t *bad = json_loads("{\"a\": [1, 2, \"x\"", 0, NULL);
    sl_jarena_end();
    CHECK(bad == NULL);
    sl_jarena_drop(a, NULL);
    same_as_heap(a, small);

    sl_jarena_free(a);
    test_limit(small, big);
    free(small);
    free(big);
    return check_done();
}
