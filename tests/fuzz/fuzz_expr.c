/* fuzz_expr.c: fuzz target for the condition language (engine/json/expr.c, with jpath.c and
 * regex.c). Input: the condition up to the first newline, then a JSON document (any value; a
 * reply-like default when the rest is not JSON). Properties, a violation aborts:
 *   - a refused condition has a reason and a column within the text (1 .. characters + 1);
 *   - a compiled one keeps its text, lists only real paths, and evaluates the same twice;
 *   - against its own result: !(c) is the negation, (c) || (c) the same, (c) && !(c) false
 *     (each compiles unless it is too long or too deep for the limits).
 * Crashes, leaks and hangs (catastrophic patterns) are libFuzzer's to catch. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "fuzz_target.h"

static const char default_doc[] =
    "{\"response\":{\"flag\":\"failure\",\"code\":7,\"status\":100,\"message\":\"超过每分钟最大"
    "调用频率限制\",\"sub_message\":\"This ban will last for 12 more seconds\",\"data\":"
    "{\"total_count\":\"120\",\"order\":[{\"a\":1},{\"a\":\"x\"}]}},\"n\":1.5,\"s\":\"\","
    "\"z\":0,\"t\":true,\"f\":false,\"nul\":null,\"big\":1e300,\"neg\":-9223372036854775807}";

static void fail(const char *what, const char *cond)
{
    fprintf(stderr, "fuzz_expr: %s: condition \"%s\"\n", what, cond);
    abort();
}

static size_t chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void count_path(const sl_jpath *path, void *ctx)
{
    if (!path)
        fail("a NULL path", "");
    ++*(size_t *)ctx;
}

/* Compiles pre + cond + post and evaluates it on doc: 0/1, or -1 when refused for a limit. */
static int eval_wrapped(const char *pre, const char *cond, const char *post, const json_t *doc)
{
    size_t n = strlen(pre) + strlen(cond) + strlen(post) + 1;
    char *text = malloc(n);
    sl_error err = {0};
    int col = 0, rc = -1;
    if (!text)
        abort();
    snprintf(text, n, "%s%s%s", pre, cond, post);
    sl_expr *e = sl_expr_compile(text, &err, &col);
    if (e)
        rc = sl_expr_eval(e, doc);
    else if (!strstr(err.msg, "too deeply") && !strstr(err.msg, "too long"))
        fail("a wrapped condition was refused", text);
    sl_expr_free(e);
    free(text);
    return rc;
}

static void check(const char *cond, const json_t *doc)
{
    sl_error err = {0};
    int col = 0;
    sl_expr *e = sl_expr_compile(cond, &err, &col);
    if (!e) {
        if (!err.msg[0] || col < 1 || (size_t)col > chars(cond) + 1)
            fail("refused without a reason or at a column outside the text", cond);
        return;
    }
    size_t n_paths = 0;
    sl_expr_paths(e, count_path, &n_paths);
    if (strcmp(sl_expr_text(e), cond) != 0)
        fail("the text was not kept", cond);
    bool r = sl_expr_eval(e, doc);
    if (sl_expr_eval(e, doc) != r)
        fail("two evaluations differ", cond);
    sl_expr_free(e);
    int w;
    if ((w = eval_wrapped("!(", cond, ")", doc)) >= 0 && w == r)
        fail("!(c) is not the negation", cond);
    size_t len = strlen(cond) + 3;
    char *twice = malloc(2 * len + 8);
    if (!twice)
        abort();
    snprintf(twice, 2 * len + 8, "%s) || (%s", cond, cond);
    if ((w = eval_wrapped("(", twice, ")", doc)) >= 0 && w != r)
        fail("(c) || (c) differs from c", cond);
    snprintf(twice, 2 * len + 8, "%s) && !(%s", cond, cond);
    if ((w = eval_wrapped("(", twice, ")", doc)) > 0)
        fail("(c) && !(c) holds", cond);
    free(twice);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *nl = memchr(data, '\n', size);
    size_t clen = nl ? (size_t)(nl - (const char *)data) : size;
    if (memchr(data, '\0', clen) || clen > 8192)
        return 0; /* a condition is a C string of a YAML scalar */
    char *cond = malloc(clen + 1);
    if (!cond)
        abort();
    memcpy(cond, data, clen);
    cond[clen] = '\0';
    json_t *doc = nl ? json_loadb(nl + 1, size - clen - 1, JSON_DECODE_ANY, NULL) : NULL;
    if (!doc)
        doc = json_loads(default_doc, 0, NULL);
    check(cond, doc);
    json_decref(doc);
    free(cond);
    return 0;
}
