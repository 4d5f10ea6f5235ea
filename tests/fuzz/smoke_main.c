/* smoke_main.c: runs fuzz_convert without libFuzzer (gcc builds, ctest label fuzz-smoke): the
 * corpus files named on the command line, then a fixed pseudo-random set of numeric texts and
 * doubles (same seed every run). */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_convert.h"

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static void run_file(const char *path)
{
    uint8_t buf[512];
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
}

static size_t run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t n = 0;
    char path[4096];
    if (!d) {
        fprintf(stderr, "smoke: cannot open %s\n", dir);
        exit(2);
    }
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        run_file(path);
        n++;
    }
    closedir(d);
    return n;
}

/* A numeric-looking text: sign, digits, point, digits, exponent, sometimes a stray byte. */
static size_t gen_text(uint8_t *b)
{
    static const char alpha[] = "0123456789.+-eE x";
    size_t n = 3;
    if (next() % 8 == 0) {
        size_t len = next() % 24;
        for (size_t i = 0; i < len; i++)
            b[n++] = (uint8_t)alpha[next() % (sizeof alpha - 1)];
        return n;
    }
    if (next() % 3 == 0)
        b[n++] = next() % 2 ? '-' : '+';
    for (size_t k = next() % 22; k > 0; k--)
        b[n++] = (uint8_t)('0' + next() % 10);
    if (next() % 2) {
        b[n++] = '.';
        for (size_t k = next() % 26; k > 0; k--)
            b[n++] = (uint8_t)(next() % 4 ? '0' + next() % 10 : (next() % 2 ? '5' : '9'));
    }
    if (next() % 4 == 0)
        n += (size_t)snprintf((char *)b + n, 16, "e%d", (int)(next() % 61) - 30);
    return n;
}

/* Mixed ASCII and multi-byte UTF-8 (sometimes broken) for the varchar property. */
static size_t gen_utf8(uint8_t *b)
{
    static const char *const parts[] = {"a", "Z", "1", " ", "红", "袜子", "é", "\xf0\x9f\x98\x80",
                                        "\xe7\xba"};
    size_t n = 3;
    for (size_t k = next() % 16; k > 0; k--) {
        const char *p = parts[next() % (sizeof parts / sizeof parts[0])];
        memcpy(b + n, p, strlen(p));
        n += strlen(p);
    }
    return n;
}

/* A datetime-ish text: a real date, digits, or noise. */
static size_t gen_datetime(uint8_t *b)
{
    switch (next() % 3) {
    case 0:
        return 3 + (size_t)snprintf((char *)b + 3, 40, "%04d-%02d-%02d %02d:%02d:%02d",
                                    (int)(next() % 10000), (int)(next() % 14), (int)(next() % 33),
                                    (int)(next() % 25), (int)(next() % 61), (int)(next() % 61));
    case 1:
        return 3 + (size_t)snprintf((char *)b + 3, 40, "%lld",
                                    (long long)(next() % 400000000000000ull) - 100000000000000ll);
    default: return gen_text(b);
    }
}

static double gen_double(void)
{
    static const double pw[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e8};
    double d;
    switch (next() % 4) {
    case 0: {
        uint64_t bits = next();
        memcpy(&d, &bits, 8);
        return d;
    }
    case 1: return (double)(int64_t)(next() % 2000000000000ull) / pw[next() % 8];
    case 2: return ((double)(next() % 100000) + 0.5) / pw[next() % 6]; /* half-way cases */
    default: return ldexp((double)(next() >> 11), (int)(next() % 120) - 100);
    }
}

int main(int argc, char **argv)
{
    size_t files = 0, gen = 0;
    for (int i = 1; i < argc; i++)
        files += run_dir(argv[i]);
    for (int i = 0; i < 200000; i++, gen++) {
        uint8_t b[128];
        size_t n;
        b[0] = (uint8_t)(i & 3);
        b[1] = (uint8_t)(next() % 2 ? 18 : next()); /* p: often 19 */
        b[2] = (uint8_t)(next() % 2 ? 4 : next());  /* s: often 4 */
        if ((i & 3) == 1) {
            double d = gen_double();
            memcpy(b + 3, &d, 8);
            n = 11;
        } else if ((i & 3) == 2) {
            n = gen_utf8(b);
        } else if ((i & 3) == 3) {
            n = gen_datetime(b);
        } else {
            n = gen_text(b);
        }
        LLVMFuzzerTestOneInput(b, n);
    }
    printf("fuzz_convert smoke: %zu corpus files, %zu generated inputs, no disagreement\n", files,
           gen);
    return 0;
}
