/* Robustness of the front end: thousands of deterministic mutations of the refund job (byte
 * flips, deletions, duplicated and truncated spans) each either compile cleanly or fail with
 * at least one diagnostic, and the diagnostics print. Run under ASan/UBSan in CI. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compile.h"

static uint64_t rng = 0x2545F4914F6CDD1Dull;

static size_t pick(size_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? (size_t)(rng % n) : 0;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = malloc(1 << 20);
    *len = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    return buf;
}

/* Applies one random edit to src (len bytes) into dst (room for 2 * len + 16); returns length. */
static size_t mutate(const char *src, size_t len, char *dst)
{
    static const char bytes[] = ":{}[],-'\"\t\n #&*!$%0";
    size_t at = pick(len), span = 1 + pick(40);
    if (at + span > len)
        span = len - at;
    memcpy(dst, src, len);
    switch (pick(4)) {
    case 0: dst[at] = bytes[pick(sizeof bytes - 1)]; return len;
    case 1: memmove(dst + at, src + at + span, len - at - span); return len - span;
    case 2:
        memcpy(dst + at + span, src + at, len - at);
        return len + span;
    default: return at;
    }
}

int main(void)
{
    size_t len;
    char *job = read_all("mappings/wdt_refund.yml", &len);
    CHECK(job != NULL);
    if (!job)
        return check_done();
    char *buf = malloc(2 * len + 16);
    FILE *sink = fopen("/dev/null", "w");
    sl_compile_options opts = {.resolve_secrets = false};
    size_t ok = 0, failed = 0;
    for (int i = 0; i < 3000 && buf && sink; i++) {
        size_t n = mutate(job, len, buf);
        sl_diag *diag = sl_diag_new("mutant.yml");
        sl_plan *plan = sl_compile_text("mutant.yml", buf, n, &opts, diag);
        CHECK((plan != NULL) == (sl_diag_errors(diag) == 0));
        sl_diag_print(diag, sink);
        if (plan) {
            sl_plan_dump(plan, sink);
            ok++;
        } else {
            failed++;
        }
        sl_plan_free(plan);
        sl_diag_free(diag);
    }
    CHECK(ok > 0 && failed > 0);
    printf("%zu mutants compiled, %zu rejected\n", ok, failed);
    if (sink)
        fclose(sink);
    free(buf);
    free(job);
    return check_done();
}
