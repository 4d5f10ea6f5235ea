/* fuzz_job.c: fuzz target for the job loader and compiler (yaml_load.c, compile.c and what
 * they call: options, jpath, expr, regex, convert). Each input is a job file, compiled twice
 * from memory as "fuzz.yml" in the current folder:
 *   - as `validate` does (references checked, none read): a plan exactly when no error was
 *     reported, and well-formed diagnostics (below);
 *   - with every reference read (the seeds' variables set, the SLUICE_FUZZ_* ones to values
 *     holding a canary): the canary appears in neither the diagnostics nor the printed plan
 *     (`sluice plan`).
 * Well-formed diagnostics: every item is "fuzz.yml:L:C: error|warning: MESSAGE" (or without
 * L:C for the whole file) with L within the file and C >= 1, followed by the source excerpt
 * (two lines, "NNNNN | " and "      | ...^") when line L exists (lines as YAML counts them: CR,
 * LF, CR LF, NEL, LS, PS); the count line matches the number of errors; every message is valid
 * UTF-8 without control characters (it quotes the job, escaped). A violation aborts; crashes,
 * leaks and hangs are libFuzzer's to catch. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diag.h"
#include "fuzz_target.h"
#include "plan.h"

#define CANARY "c4n4ry-5ecret-7f3a"

static void fail(const char *what, const char *out, size_t len)
{
    fprintf(stderr, "fuzz_job: %s\n---- output ----\n%.*s\n----\n", what, (int)len, out);
    abort();
}

/* Length of the valid UTF-8 prefix of s[0..n) (overlongs, surrogates, > U+10FFFF invalid). */
static size_t utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i], k = c < 0x80 ? 0 : c >= 0xC2 && c < 0xE0 ? 1 : c >= 0xE0 && c < 0xF0 ? 2
                                            : c >= 0xF0 && c < 0xF5 ? 3 : 9;
        if (k == 9 || i + k >= n)
            return i;
        unsigned lo = 0x80, hi = 0xBF;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
        for (unsigned j = 1; j <= k; j++) {
            if (s[i + j] < (j == 1 ? lo : 0x80) || s[i + j] > (j == 1 ? hi : 0xBF))
                return i;
        }
        i += k + 1;
    }
    return i;
}

/* One header line "fuzz.yml[:L:C]: KIND: MSG"; returns 1 for an error, 0 for a warning, -1
 * when malformed; L in *line (0 when none). */
static int check_header(const char *l, size_t len, int n_lines, int *line)
{
    int col = 0, used = 0;
    *line = 0;
    const char *msg;
    if (len < 9 || memcmp(l, "fuzz.yml:", 9) != 0)
        return -1;
    if (sscanf(l + 9, "%d:%d: %n", line, &col, &used) >= 2 && used > 0) {
        if (*line < 1 || *line > n_lines + 1 || col < 1)
            return -1;
        msg = l + 9 + used;
    } else {
        msg = l + 10;
    }
    int err = !strncmp(msg, "error: ", 7) ? 1 : !strncmp(msg, "warning: ", 9) ? 0 : -1;
    if (err < 0)
        return -1;
    for (const char *p = msg; p < l + len; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return -1;
    if (utf8_valid((const unsigned char *)msg, (size_t)(l + len - msg)) != (size_t)(l + len - msg))
        return -1;
    return err;
}

/* Checks the printed diagnostics against the error count. */
static void check_diag(const char *out, size_t len, size_t n_errors, int n_lines)
{
    size_t errors = 0, i = 0;
    char count[32] = "";
    if (n_errors == 1)
        snprintf(count, sizeof count, "1 error");
    else if (n_errors > 1)
        snprintf(count, sizeof count, "%zu errors", n_errors);
    while (i < len) {
        const char *l = out + i, *nl = memchr(l, '\n', len - i);
        size_t ll = nl ? (size_t)(nl - l) : len - i;
        if (!nl)
            fail("output does not end in a newline", out, len);
        i += ll + 1;
        if (i == len && *count) {
            if (ll != strlen(count) || memcmp(l, count, ll) != 0)
                fail("count line does not match the errors", out, len);
            return;
        }
        int line, kind = check_header(l, ll, n_lines, &line);
        if (kind < 0)
            fail("malformed diagnostic line", out, len);
        errors += (size_t)kind;
        if (line >= 1 && line <= n_lines) { /* the excerpt: source line, caret line */
            const char *src = out + i, *caret = memchr(src, '\n', len - i);
            char *after;
            if (!caret || strtol(src, &after, 10) != line || after + 3 > caret ||
                memcmp(after, " | ", 3) ||
                (size_t)(caret - out) + 9 > len || memcmp(caret + 1, "      | ", 8))
                fail("a located diagnostic without its excerpt", out, len);
            const char *end = memchr(caret + 1, '\n', len - (size_t)(caret + 1 - out));
            if (!end || end[-1] != '^')
                fail("caret line does not end in ^", out, len);
            i = (size_t)(end - out) + 1;
        }
    }
    if (*count || errors != n_errors)
        fail("error count and printed errors disagree", out, len);
}

/* Compiles the job; returns the plan (owned) or NULL, the printed diagnostics in *out. */
static sl_plan *compile(const uint8_t *data, size_t size, bool resolve, char **out, size_t *len)
{
    const sl_compile_options opts = {.resolve_secrets = resolve};
    sl_diag *diag = sl_diag_new("fuzz.yml");
    sl_plan *plan = sl_compile_text("fuzz.yml", (const char *)data, size, &opts, diag);
    FILE *f = open_memstream(out, len);
    if (!diag || !f)
        abort();
    sl_diag_print(diag, f);
    fclose(f);
    if (!plan != (sl_diag_errors(diag) > 0))
        fail(plan ? "a plan despite errors" : "no plan and no error", *out, *len);
    if (!resolve) {
        int n_lines = 1;
        for (size_t i = 0; i < size; i++)
            n_lines += (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) || data[i] == '\r' ||
                       (i + 1 < size && data[i] == 0xC2 && data[i + 1] == 0x85) ||
                       (i + 2 < size && data[i] == 0xE2 && data[i + 1] == 0x80 &&
                        (data[i + 2] == 0xA8 || data[i + 2] == 0xA9));
        check_diag(*out, *len, sl_diag_errors(diag), n_lines);
    }
    sl_diag_free(diag);
    return plan;
}

/* The references of the seed corpus, set so that resolved jobs compile; the SLUICE_FUZZ_*
 * ones hold the canary (as a whole value, a password, a URL path, a "secret:salt"). */
static void set_env(void)
{
    static const char *const env[][2] = {
        {"SLUICE_FUZZ_SECRET", CANARY},
        {"SLUICE_FUZZ_PAIR", CANARY ":salt"},
        {"SLUICE_FUZZ_DSN", "mysql://u:" CANARY "@127.0.0.1/db"},
        {"SLUICE_FUZZ_URL", "https://api.example.com/" CANARY},
        {"API_URL", "https://api.example.com/x"}, {"WDT_ENDPOINT", "https://api.example.com/w"},
        {"DB", "mysql://u:p@127.0.0.1/db"}, {"SLUICE_DB", "mysql://u:p@127.0.0.1/db"},
        {"ALERT_WEBHOOK", "https://hooks.example.com/a"}, {"QIMEN_APP_KEY", "qk"},
        {"QIMEN_APP_SECRET", "qs"}, {"QIMEN_TARGET_APP_KEY", "qt"}, {"WDT_SID", "sid"},
        {"WDT_APPKEY", "wk"}, {"WDT_APPSECRET", "ws:salt"}};
    for (size_t i = 0; i < sizeof env / sizeof *env; i++)
        setenv(env[i][0], env[i][1], 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool env_set;
    char *out = NULL, *dump = NULL;
    size_t len = 0, dlen = 0;
    if (!env_set)
        set_env();
    env_set = true;
    if (memmem(data, size, CANARY, strlen(CANARY))) /* libFuzzer learns it from memmem */
        return 0;
    sl_plan_free(compile(data, size, false, &out, &len));
    free(out);
    sl_plan *plan = compile(data, size, true, &out, &len);
    if (memmem(out, len, CANARY, strlen(CANARY)))
        fail("a secret in the diagnostics", out, len);
    if (plan) {
        FILE *f = open_memstream(&dump, &dlen);
        if (!f)
            abort();
        sl_plan_dump(plan, f);
        fclose(f);
        if (memmem(dump, dlen, CANARY, strlen(CANARY)))
            fail("a secret in the printed plan", dump, dlen);
        free(dump);
    }
    sl_plan_free(plan);
    free(out);
    return 0;
}
