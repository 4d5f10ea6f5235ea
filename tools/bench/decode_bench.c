/* decode_bench.c: how fast is the record loop? Times decoding alone and decoding plus
 * sl_transform_record, with mappings/wdt_refund.yml compiled by the real front end: jansson's
 * json_loadb on malloc, then on a bump allocator (json_set_alloc_funcs, reset per page, no
 * json_decref; what the runner's jarena does), then sl_jscan_decode (the projected decoder the
 * runner uses) on the same bump allocator. Pages: the files named on the command line (say,
 * replies recorded by `sluice run --record DIR`), else 50-record pages built from the
 * wdt-api.md 3 D sample (ids varied). Prints records per CPU-second (issue 5).
 * Not a test. Build (target decode_bench) and run from the repository root:
 *   build/tools/decode_bench [seconds per try; best of 3 tries] [page.json ...] */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile.h"
#include "jpath.h"
#include "jscan.h"
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
    /* The job's ${env:} references are not read: only its shape matters here. */
    const sl_compile_options no_refs = {.resolve_secrets = false};
    sl_diag *diag = sl_diag_new("mappings/wdt_refund.yml");
    sl_plan *plan = sl_compile_file_opts("mappings/wdt_refund.yml", &no_refs, diag);
    if (!plan)
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

typedef struct page {
    char *text;
    size_t len;
} page;

typedef struct bench {
    page *pages;
    size_t n_pages;
    const sl_plan *plan;
    sl_jscan *scan; /* NULL: decode with json_loadb */
    sl_batch *batch;
    bool transform;
    bool use_arena;
} bench;

/* Decodes (and transforms) every page once; returns the records seen. */
static size_t one_pass(const bench *bn)
{
    size_t records = 0;
    sl_error err = {0};
    for (size_t p = 0; p < bn->n_pages; p++) {
        const page *pg = &bn->pages[p];
        json_t *doc = bn->scan ? sl_jscan_decode(bn->scan, pg->text, pg->len, NULL, NULL)
                               : json_loadb(pg->text, pg->len, 0, NULL);
        if (!doc)
            exit(1);
        const json_t *order = sl_jpath_get(bn->plan->source.records, doc);
        records += json_array_size(order);
        for (size_t i = 0; bn->transform && i < json_array_size(order); i++)
            if (sl_transform_record(bn->plan, json_array_get(order, i), bn->batch, &err) != 0)
                exit(1);
        if (sl_batch_live_rows(bn->batch) >= 1000)
            sl_batch_clear(bn->batch);
        if (bn->use_arena)
            arena_used = 0;
        else
            json_decref(doc);
    }
    return records;
}

/* Best of three runs of about secs seconds each: records per CPU-second. On a shared machine the
 * fastest run is the least disturbed one. */
static double run(const bench *bn, double secs)
{
    double best = 0;
    for (int i = 0; i < 3; i++) {
        size_t records = 0;
        double t0 = now_s(), t;
        do {
            records += one_pass(bn);
            t = now_s() - t0;
        } while (t < secs);
        best = (double)records / t > best ? (double)records / t : best;
    }
    return best;
}

static char *read_page(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (f && !fseek(f, 0, SEEK_END) && (n = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
        (buf = malloc((size_t)n + 1)))
        *len = fread(buf, 1, (size_t)n, f);
    if (f)
        fclose(f);
    return buf;
}

int main(int argc, char **argv)
{
    double secs = argc > 1 ? strtod(argv[1], NULL) : 1.0;
    size_t n_pages = argc > 2 ? (size_t)argc - 2 : 1, bytes = 0;
    page *pages = calloc(n_pages, sizeof *pages);
    sl_plan *plan = compile_job();
    for (size_t i = 0; pages && i < n_pages; i++) {
        pages[i].text = argc > 2 ? read_page(argv[i + 2], &pages[i].len) : make_page(&pages[i].len);
        if (!pages[i].text) {
            fprintf(stderr, "decode_bench: cannot read %s\n", argc > 2 ? argv[i + 2] : "the sample");
            return 1;
        }
        bytes += pages[i].len;
    }
    if (!pages || !plan) {
        fprintf(stderr, "decode_bench: run from the repository root\n");
        return 1;
    }
    static const char *const names[6] = {"json_loadb",          "json_loadb + transform",
                                         "arena json_loadb",    "arena json_loadb + transform",
                                         "arena jscan",         "arena jscan + transform"};
    bench bn = {pages, n_pages, plan, NULL, sl_batch_new(plan), false, false};
    sl_jscan *scan = sl_jscan_new(plan);
    double r[6];
    if (!(arena = malloc(ARENA)) || !bn.batch || !scan)
        return 1;
    size_t records = one_pass(&bn);
    for (int i = 0; i < 6; i++) {
        if (i == 2)
            json_set_alloc_funcs(arena_alloc, arena_free);
        bn.use_arena = i >= 2;
        bn.scan = i >= 4 ? scan : NULL;
        bn.transform = i % 2;
        r[i] = run(&bn, secs);
    }
    printf("%zu pages, %zu records, %zu bytes\n", n_pages, records, bytes);
    printf("%-30s %12s %10s %8s\n", "scenario", "rec/cpu-s", "MB/s", "ratio");
    for (int i = 0; i < 6; i++)
        printf("%-30s %12.0f %10.1f %8.2f\n", names[i], r[i],
               r[i] * (double)bytes / (double)records / 1e6, r[i] / r[i % 2 ? 3 : 2]);
    printf("ratio: against arena json_loadb (decode alone) or arena json_loadb + transform; expect "
           "+-10%% noise on a busy machine\n");
    sl_batch_free(bn.batch);
    json_set_alloc_funcs(malloc, free);
    sl_jscan_free(scan);
    sl_plan_free(plan);
    for (size_t i = 0; i < n_pages; i++)
        free(pages[i].text);
    free(pages);
    free(arena);
    return 0;
}
