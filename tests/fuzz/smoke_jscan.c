/* smoke_jscan.c: runs fuzz_jscan without libFuzzer (gcc builds, ctest label fuzz-smoke): each
 * corpus file named by the directory argument, then a fixed pseudo-random set of mutants of them
 * (bytes replaced, JSON fragments inserted, ranges deleted or repeated, truncations; same seed
 * every run). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_jscan.h"

#define MAX_SEEDS 64
#define MUTANTS 20000

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

typedef struct seed {
    uint8_t *data;
    size_t len;
} seed;

static size_t load_dir(const char *dir, seed *seeds)
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
        FILE *f;
        long len;
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        if (!(f = fopen(path, "rb")))
            continue;
        if (!fseek(f, 0, SEEK_END) && (len = ftell(f)) >= 0 && !fseek(f, 0, SEEK_SET) &&
            (seeds[n].data = malloc((size_t)len + 1))) {
            seeds[n].len = fread(seeds[n].data, 1, (size_t)len, f);
            LLVMFuzzerTestOneInput(seeds[n].data, seeds[n].len);
            n++;
        }
        fclose(f);
    }
    closedir(d);
    return n;
}

/* One mutation of b[0..*len) in place (cap bytes available). */
static void mutate(uint8_t *b, size_t *len, size_t cap)
{
    static const char *const frags[] = {
        "\"", "\\", "\\u00e9", "\\ud83d\\ude00", "\\ud83d", "\\u0000", "\xc3\xa9", "\xc3", "\xed\xa0\x80",
        "\xf4\x90\x80\x80", "\xff", "-0", "1e400", "9223372036854775808", "-9223372036854775809",
        "1.5", "[", "]", "{", "}", ",", ":", "null", "true", "\0", " ", "[[[[[[[[", "]]]]]]]]",
        "{\"a\":", "\"refund_id\":", "\"detail_list\":[", "\"tid_list\":", "\x01", "0"};
    size_t at = *len ? (size_t)(next() % *len) : 0;
    switch (next() % 5) {
    case 0: /* replace a byte */
        if (*len)
            b[at] = next() % 3 ? (uint8_t)frags[next() % (sizeof frags / sizeof *frags)][0] : (uint8_t)next();
        break;
    case 1: { /* insert a fragment (the "\0" fragment inserts one NUL byte) */
        const char *f = frags[next() % (sizeof frags / sizeof *frags)];
        size_t n = *f ? strlen(f) : 1;
        if (*len + n <= cap) {
            memmove(b + at + n, b + at, *len - at);
            memcpy(b + at, f, n);
            *len += n;
        }
        break;
    }
    case 2: { /* delete a short range */
        size_t n = (size_t)(next() % 8) + 1;
        if (at + n <= *len) {
            memmove(b + at, b + at + n, *len - at - n);
            *len -= n;
        }
        break;
    }
    case 3: { /* repeat a short range */
        size_t n = (size_t)(next() % 16) + 1;
        if (at + n <= *len && *len + n <= cap) {
            memmove(b + at + n, b + at, *len - at);
            *len += n;
        }
        break;
    }
    default: /* truncate */
        *len = at;
    }
}

int main(int argc, char **argv)
{
    seed seeds[MAX_SEEDS];
    if (argc != 2) {
        fprintf(stderr, "usage: smoke_jscan CORPUS_DIR\n");
        return 2;
    }
    size_t n = load_dir(argv[1], seeds);
    if (!n) {
        fprintf(stderr, "smoke: empty corpus\n");
        return 2;
    }
    for (size_t i = 0; i < MUTANTS; i++) {
        const seed *s = &seeds[next() % n];
        size_t cap = s->len + 256, len = s->len;
        uint8_t *b = malloc(cap);
        if (!b)
            return 2;
        memcpy(b, s->data, len);
        for (int k = (int)(next() % 4); k >= 0; k--)
            mutate(b, &len, cap);
        LLVMFuzzerTestOneInput(b, len);
        free(b);
    }
    for (size_t i = 0; i < n; i++)
        free(seeds[i].data);
    printf("smoke_jscan: %zu corpus files, %d mutants, no difference\n", n, MUTANTS);
    return 0;
}
