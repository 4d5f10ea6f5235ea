/* decode_bench.c: how fast is the record loop? Times jansson's json_loadb alone and json_loadb
 * plus sl_transform_record on 50-record pages built from the wdt-api.md 3 D sample (ids varied),
 * with mappings/wdt_refund.yml compiled by the real front end; then the same with jansson on a
 * bump allocator (json_set_alloc_funcs, reset per page, no json_decref), to size that option.
 * Prints a small table (issue 5).
 * Not a test. Build and run from the repository root:
 *   cmake --build build && cc -O2 -Iengine tools/bench/decode_bench.c build/engine/libsluice_core.a \
 *     $(pkg-config --libs jansson libpcre2-8 yaml-0.1 libcurl libmariadb) -lm -lpthread \
 *     -o build/decode_bench && build/decode_bench [seconds per try; best of 3 tries] */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile.h"
#include "transform.h"

#define PAGE 50
#define ARENA (16u << 20)

/* Bump allocator for jansson, single-threaded (this bench only): reset after each page. */
static char *arena;
static size_t arena_used;

static void *arena_alloc(size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (arena_used + n > ARENA)
        return NULL;
    arena_used += n;
    return arena + arena_used - n;
}

static void arena_free(void *p)
{
    (void)p;
}

/* CPU time of this thread: other load on a shared machine barely moves it. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A Qimen reply with PAGE records: the two samples alternately, with fresh ids. */
static char *make_page(size_t *len)
{
    json_t *src = json_load_file("tests/unit/data/wdt_sample_page.json", 0, NULL);
    if (!src)
        return NULL;
    json_t *data = json_object_get(json_object_get(src, "response"), "data");
    json_t *order = json_object_get(data, "order"), *out = json_array();
    for (int i = 0; i < PAGE; i++) {
        json_t *r = json_deep_copy(json_array_get(order, (size_t)i % 2));
        json_object_set_new(r, "refund_id", json_integer(2000000 + i));
        json_t *line = json_array_get(json_object_get(r, "detail_list"), 0);
        json_object_set_new(line, "rec_id", json_integer(3000000 + i));
        json_array_append_new(out, r);
    }
    json_object_set_new(data, "order", out);
    char *text = json_dumps(src, JSON_COMPACT);
    json_decref(src);
    *len = text ? strlen(text) : 0;
    return text;
}

static sl_plan *compile_job(void)
{
    static const char *const env[] = {"WDT_ENDPOINT", "QIMEN_APP_KEY", "QIMEN_APP_SECRET",
                                      "QIMEN_TARGET_APP_KEY", "WDT_SID", "WDT_APPKEY"};
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++)
        setenv(env[i], "bench", 1);
    setenv("WDT_APPSECRET", "secret:salt", 1);
    setenv("SLUICE_DB", "mysql://u@localhost/db", 1);
    sl_diag *diag = sl_diag_new("mappings/wdt_refund.yml");
    sl_plan *plan = sl_compile_file("mappings/wdt_refund.yml", diag);
    if (!plan)
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

/* Runs pages for about secs seconds; returns pages per second. */
static double run_once(const char *text, size_t len, const sl_plan *plan, sl_batch *b, double secs,
                  bool use_arena)
{
    size_t pages = 0;
    double t0 = now_s(), t;
    sl_error err = {0};
    do {
        for (int k = 0; k < 20; k++, pages++) {
            json_t *page = json_loadb(text, len, 0, NULL);
            if (plan) {
                json_t *order = json_object_get(
                    json_object_get(json_object_get(page, "response"), "data"), "order");
                for (size_t i = 0; i < json_array_size(order); i++)
                    if (sl_transform_record(plan, json_array_get(order, i), b, &err) != 0)
                        exit(1);
                if (sl_batch_live_rows(b) >= 1000)
                    sl_batch_clear(b);
            }
            if (use_arena)
                arena_used = 0;
            else
                json_decref(page);
        }
        t = now_s() - t0;
    } while (t < secs);
    return (double)pages / t;
}

/* Best of three: the machine is shared, so the fastest run is the least disturbed one. */
static double run(const char *text, size_t len, const sl_plan *plan, sl_batch *b, double secs,
                  bool use_arena)
{
    double best = 0;
    for (int i = 0; i < 3; i++) {
        double r = run_once(text, len, plan, b, secs, use_arena);
        best = r > best ? r : best;
    }
    return best;
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? strtod(argv[1], NULL) : 1.0;
    size_t len;
    char *text = make_page(&len);
    sl_plan *plan = compile_job();
    if (!text || !plan) {
        fprintf(stderr, "decode_bench: run from the repository root\n");
        return 1;
    }
    sl_batch *b = sl_batch_new(plan);
    const double r[4] = {run(text, len, NULL, b, secs, false), run(text, len, plan, b, secs, false),
                         0, 0};
    const char *const names[4] = {"json_loadb", "json_loadb + transform", "arena json_loadb",
                                  "arena json_loadb + transform"};
    double *rr = (double *)r;
    if (!(arena = malloc(ARENA)))
        return 1;
    json_set_alloc_funcs(arena_alloc, arena_free);
    rr[2] = run(text, len, NULL, b, secs, true);
    rr[3] = run(text, len, plan, b, secs, true);
    printf("page: %d records, %zu bytes\n", PAGE, len);
    printf("%-30s %12s %10s %8s\n", "scenario", "rec/cpu-s", "MB/s", "ratio");
    for (int i = 0; i < 4; i++)
        printf("%-30s %12.0f %10.1f %8.2f\n", names[i], r[i] * PAGE, r[i] * (double)len / 1e6,
               r[i] / r[1]);
    printf("ratio: against json_loadb + transform with malloc; expect +-10%% noise on a busy machine\n");
    sl_batch_free(b);
    json_set_alloc_funcs(malloc, free);
    sl_plan_free(plan);
    free(text);
    free(arena);
    return 0;
}
