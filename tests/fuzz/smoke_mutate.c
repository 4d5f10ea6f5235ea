/* smoke_mutate.c: runs a fuzz target without libFuzzer (gcc builds, ctest label fuzz-smoke):
 * each file of CORPUS_DIR, then a fixed pseudo-random set of mutants of them (bytes replaced,
 * tokens of the libFuzzer dictionary DICT inserted, ranges deleted, repeated or spliced from
 * another seed, truncations; same seed every run).
 *   usage: smoke_mutate CORPUS_DIR [DICT] */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"

#define MAX_SEEDS 256
#define MAX_TOKENS 512
#define MUTANTS 20000

typedef struct blob {
    uint8_t *data;
    size_t len;
} blob;

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* The whole file at path (owned, NUL-terminated), or data NULL. */
static blob slurp(const char *path)
{
    blob b = {0};
    FILE *f = fopen(path, "rb");
    long len;
    if (f && !fseek(f, 0, SEEK_END) && (len = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
        (b.data = malloc((size_t)len + 1))) {
        b.len = fread(b.data, 1, (size_t)len, f);
        b.data[b.len] = 0;
    }
    if (f)
        fclose(f);
    return b;
}

static size_t load_dir(const char *dir, blob *seeds)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;
    char path[4096];
    if (!d) {
        fprintf(stderr, "smoke: cannot open %s\n", dir);
        exit(2);
    }
    while ((e = readdir(d)) && n < MAX_SEEDS) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        seeds[n] = slurp(path);
        if (seeds[n].data) {
            LLVMFuzzerTestOneInput(seeds[n].data, seeds[n].len);
            n++;
        }
    }
    closedir(d);
    return n;
}

/* The dictionary's tokens: the quoted part of each line, with \\, \" and \xNN escapes. */
static size_t load_dict(const char *path, blob *toks)
{
    blob f = slurp(path);
    size_t n = 0;
    for (char *l = (char *)f.data; l && *l && n < MAX_TOKENS;) {
        char *nl = strchr(l, '\n'), *q = strchr(l, '"');
        if (nl)
            *nl = 0;
        if (*l != '#' && q && (toks[n].data = malloc(strlen(q)))) {
            size_t k = 0;
            for (q++; *q && *q != '"'; q++) {
                unsigned x;
                if (*q == '\\' && q[1] == 'x' && sscanf(q + 2, "%2x", &x) == 1) {
                    toks[n].data[k++] = (uint8_t)x;
                    q += 3;
                } else {
                    toks[n].data[k++] = (uint8_t)(*q == '\\' && q[1] ? *++q : *q);
                }
            }
            toks[n++].len = k;
        }
        l = nl ? nl + 1 : l + strlen(l);
    }
    free(f.data);
    return n;
}

/* Inserts n bytes of src at b[at] when they fit in cap. */
static void insert(uint8_t *b, size_t *len, size_t cap, size_t at, const uint8_t *src, size_t n)
{
    if (*len + n > cap)
        return;
    memmove(b + at + n, b + at, *len - at);
    memcpy(b + at, src, n);
    *len += n;
}

/* One mutation of b[0..*len) in place (cap bytes available). */
static void mutate(uint8_t *b, size_t *len, size_t cap, const blob *seeds, size_t n_seeds,
                   const blob *toks, size_t n_toks)
{
    size_t at = *len ? (size_t)(next() % *len) : 0, n = (size_t)(next() % 16) + 1;
    const blob *s = &seeds[next() % n_seeds];
    switch (next() % 6) {
    case 0: /* replace a byte */
        if (*len)
            b[at] = (uint8_t)next();
        break;
    case 1: /* insert a dictionary token */
        if (n_toks) {
            const blob *t = &toks[next() % n_toks];
            insert(b, len, cap, at, t->data, t->len);
        }
        break;
    case 2: /* delete a short range */
        if (at + n <= *len) {
            memmove(b + at, b + at + n, *len - at - n);
            *len -= n;
        }
        break;
    case 3: /* repeat a short range */
        if (at + n <= *len)
            insert(b, len, cap, at, b + at, n);
        break;
    case 4: { /* splice a range of another seed */
        size_t from = s->len ? (size_t)(next() % s->len) : 0;
        insert(b, len, cap, at, s->data + from, from + n <= s->len ? n : s->len - from);
        break;
    }
    default: /* truncate */
        *len = at;
    }
}

int main(int argc, char **argv)
{
    static blob seeds[MAX_SEEDS], toks[MAX_TOKENS];
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: smoke_mutate CORPUS_DIR [DICT]\n");
        return 2;
    }
    size_t n = load_dir(argv[1], seeds), n_toks = argc == 3 ? load_dict(argv[2], toks) : 0;
    if (!n) {
        fprintf(stderr, "smoke: empty corpus\n");
        return 2;
    }
    for (size_t i = 0; i < MUTANTS; i++) {
        const blob *s = &seeds[next() % n];
        size_t cap = s->len + 512, len = s->len;
        uint8_t *b = malloc(cap);
        if (!b)
            return 2;
        memcpy(b, s->data, len);
        for (int k = (int)(next() % 6); k >= 0; k--)
            mutate(b, &len, cap, seeds, n, toks, n_toks);
        LLVMFuzzerTestOneInput(b, len);
        free(b);
    }
    printf("smoke: %zu corpus files, %zu dictionary tokens, %d mutants, no failure\n", n, n_toks,
           MUTANTS);
    for (size_t i = 0; i < n; i++)
        free(seeds[i].data);
    for (size_t i = 0; i < n_toks; i++)
        free(toks[i].data);
    return 0;
}
