/* test_jscan.c: engine/json/jscan.c against jansson. For every input, sl_jscan_decode must fail
 * when json_loadb fails (unless jansson stopped at a well-formed value it cannot hold) and
 * otherwise equal json_loadb's tree restricted to the plan's projection
 * (tests/fuzz/jscan_restrict.h, written independently of the decoder). Values that cannot be
 * represented have exact tests of their own (test_unrepresentable). Inputs: the
 * wdt-api.md sample page, generated 50-record pages, edge cases (escapes, surrogates, invalid
 * UTF-8 in kept and skipped strings, numbers, depth, trailing bytes), every truncation and many
 * one-byte corruptions of a page; for the reference job and for variants: nested column paths,
 * other records paths, envelope paths (total, error rules) reaching into the records. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../fuzz/jscan_restrict.h"
#include "check.h"
#include "compile.h"
#include "diag.h"
#include "text.h"

#define JOB "mappings/wdt_refund.yml"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    if (!f)
        return NULL;
    if (!fseek(f, 0, SEEK_END)) {
        long n = ftell(f);
        rewind(f);
        if (n >= 0 && (buf = malloc((size_t)n + 1)))
            *len = fread(buf, 1, (size_t)n, f);
    }
    fclose(f);
    return buf;
}

/* The reference job with each (from, to) replaced once in its text. */
static sl_plan *compile_variant(const char *const *subst, size_t n_subst)
{
    size_t len = 0;
    char *text = read_file(JOB, &len);
    CHECK(text != NULL);
    if (!text)
        return NULL;
    text[len] = '\0';
    for (size_t i = 0; i + 1 < n_subst; i += 2) {
        char *at = strstr(text, subst[i]);
        CHECK(at != NULL);
        if (!at)
            continue;
        size_t a = strlen(subst[i]), b = strlen(subst[i + 1]), off = (size_t)(at - text);
        char *t = malloc(len - a + b + 1);
        memcpy(t, text, off);
        memcpy(t + off, subst[i + 1], b);
        memcpy(t + off + b, at + a, len - off - a + 1);
        free(text);
        text = t;
        len = len - a + b;
    }
    /* The job's ${env:} references are not read: only its shape matters here. */
    const sl_compile_options no_refs = {.resolve_secrets = false};
    sl_diag *diag = sl_diag_new(JOB);
    sl_plan *plan = sl_compile_text(JOB, text, len, &no_refs, diag);
    if (!plan)
        sl_diag_print(diag, stderr);
    CHECK(plan != NULL);
    sl_diag_free(diag);
    free(text);
    return plan;
}

static const sl_plan *cur_plan;
static const sl_jscan *cur_scan;

static void agree(const char *buf, size_t len, const char *what)
{
    CHECK(rx_differ(cur_scan, cur_plan, buf, len, what) == 0);
}

static void agree_str(const char *text)
{
    agree(text, strlen(text), text);
}

/* Envelope and record fields holding edge-case values: kept (refund_id, remark, rec_id, the
 * envelope's message) and skipped (tid_list, amount_detail_list, a detail's unused field). */
static void test_edge_cases(void)
{
    static const char *const vals[] = {
        "\"caf\\u00e9\"", "\"\\ud83d\\ude00\"", "\"\\ud83d\"", "\"\\ude00\"", "\"\\ud83d\\u0041\"",
        "\"\\u0000\"", "\"a\\u0000b\"", "\"\\x\"", "\"\\u12\"", "\"\\u12G4\"", "\"\xc3\xa9\"",
        "\"\xc3\"", "\"\xe2\x82\"", "\"\xed\xa0\x80\"", "\"\xc0\xaf\"", "\"\xf4\x90\x80\x80\"",
        "\"\xf0\x9f\x98\x80\"", "\"\xff\"", "\"\x01\"", "\"\x7f\"", "\"\\/\\b\\f\\n\\r\\t\\\\\\\"\"",
        "-0", "0", "-", "01", "1.", ".5", "1e", "1e+", "1E-2", "-0.0", "1e400", "-1e400",
        "1e-400", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "123456789012345678901234", "1.5e308", "0.1e310",
        "true", "false", "null", "tru", "nul", "truex", "[]", "{}", "[1,]", "{\"a\":1,}",
        "{\"a\" 1}", "{1:2}", "[1 2]", "\"\\u00e9\\u4e2d\\uD800\\uDC00\"", "{\"\\u0000\":1}",
        "{\"k\\u00e9\":[1,{\"x\":\"y\"}]}", "{\"a\":1,\"a\":2}", "\"\xe0\x9f\xbf\"", "+1",
        "1" "0000000000000000000000000000000000000000000000000000000000000000000000000000000.5"};
    static const char *const tmpl[] = {
        "{\"response\":{\"status\":0,\"message\":%s,\"data\":{\"total_count\":1,\"order\":[{\"refund_id\":1}]}}}",
        "{\"response\":{\"status\":0,\"data\":{\"total_count\":1,\"order\":[{\"refund_id\":%s,\"x\":1}]}}}",
        "{\"response\":{\"data\":{\"order\":[{\"remark\":%s,\"refund_id\":2}]}}}",
        "{\"response\":{\"data\":{\"order\":[{\"tid_list\":%s,\"refund_id\":2}]}}}",
        "{\"response\":{\"data\":{\"order\":[{\"amount_detail_list\":[{\"a\":%s}],\"remark\":\"r\"}]}}}",
        "{\"response\":{\"data\":{\"order\":[{\"detail_list\":[{\"rec_id\":%s,\"zz\":1}]}]}}}",
        "{\"response\":{\"data\":{\"order\":[{\"detail_list\":[{\"unused\":%s,\"rec_id\":1}]}]}}}",
        "{\"response\":{\"data\":{\"order\":[{%s:1,\"refund_id\":3}]}}}",
        "{\"response\":{\"data\":{\"order\":%s}}}",
        "[%s]",
        "{\"x\":%s}",
    };
    char buf[1024];
    for (size_t t = 0; t < sizeof tmpl / sizeof tmpl[0]; t++)
        for (size_t v = 0; v < sizeof vals / sizeof vals[0]; v++) {
            int n = snprintf(buf, sizeof buf, tmpl[t], vals[v]);
            agree(buf, (size_t)n, buf);
        }
    static const char *const whole[] = {
        "", " ", "{}", "[]", " {} ", "{} x", "{}{}", "{},", "\"a\"", "1", "null", "{", "[",
        "{\"a\":1}\n\t\r ", "{\"response\":[1,2]}", "{\"response\":{\"data\":7}}", "\xef\xbb\xbf{}",
        "{\"response\":{\"data\":{\"order\":{\"refund_id\":1}}}}", "{\"response\":{\"data\":{\"order\":null}}}"};
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
        agree_str(whole[i]);
#define NUL_CASE(t) agree(t, sizeof t - 1, "NUL byte: " t)
    NUL_CASE("{\"a\":\"\0\"}");
    NUL_CASE("[1\0]"); /* jansson drops one NUL right after a number or a literal */
    NUL_CASE("[1\0\0]");
    NUL_CASE("[-0\0,true\0,null\0 ]");
    NUL_CASE("[1.5e3\0]");
    NUL_CASE("[\"a\"\0]");
    NUL_CASE("{\"a\"\0:1}");
    NUL_CASE("[1\0");
    NUL_CASE("{\"response\":{\"data\":{\"order\":[{\"tid_list\":1\0,\"refund_id\":2\0}]}}}");
    NUL_CASE("{\"response\":{\"data\":{\"order\":[{\"tid_list\":[false\0\0]}]}}}");
#undef NUL_CASE
    agree("{\"a\":1}\0", 8, "NUL byte after the document");
    CHECK(rx_differ(cur_scan, cur_plan, "{}", 2, "ok") == 0); /* the oracle itself can agree */
}

/* Nesting around jansson's limit (2048 values deep), in the envelope and in a skipped field. */
static void test_depth(void)
{
    static const char *const pre[] = {"", "{\"response\":{\"data\":{\"order\":[{\"tid_list\":"};
    static const char *const post[] = {"", "}]}}}"};
    size_t depths[] = {2040, 2046, 2047, 2048, 2049, 3000};
    for (size_t w = 0; w < 2; w++)
        for (size_t d = 0; d < sizeof depths / sizeof depths[0]; d++)
            for (int inner = 0; inner < 2; inner++) {
                size_t n = depths[d], len = 0;
                char *b = malloc(2 * n + 200);
                len += (size_t)snprintf(b, 200, "%s", pre[w]);
                for (size_t i = 0; i < n; i++)
                    b[len++] = '[';
                if (inner)
                    b[len++] = '1';
                for (size_t i = 0; i < n; i++)
                    b[len++] = ']';
                len += (size_t)snprintf(b + len, 200, "%s", post[w]);
                agree(b, len, "deep nesting");
                free(b);
            }
}

/* A page of n records built from the sample's two records, with varied ids and values. */
static char *make_page(const json_t *sample, size_t n, unsigned seed, size_t *len)
{
    json_t *src = json_deep_copy(sample), *out = json_array();
    json_t *data = json_object_get(json_object_get(src, "response"), "data");
    json_t *order = json_object_get(data, "order");
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_deep_copy(json_array_get(order, i % 2));
        json_object_set_new(r, "refund_id", json_integer((json_int_t)(seed * 1000 + i)));
        json_object_set_new(r, "remark", json_sprintf("r\xc3\xa9%u \"q\"\\ \n", seed + (unsigned)i));
        json_object_set_new(r, "tid_list", json_sprintf("\xe4\xb8\xad%zu\t", i));
        json_object_set_new(r, "receive_amount", json_real(0.1 * (double)i));
        json_t *line = json_array_get(json_object_get(r, "detail_list"), 0);
        json_object_set_new(line, "rec_id", json_integer((json_int_t)(seed * 5000 + i)));
        json_array_append_new(out, r);
    }
    json_object_set_new(data, "order", out);
    char *text = json_dumps(src, seed % 2 ? JSON_COMPACT : JSON_INDENT(2) | JSON_ENSURE_ASCII);
    json_decref(src);
    *len = text ? strlen(text) : 0;
    return text;
}

/* Every truncation, and one-byte corruptions at every offset, of the sample page. */
static void test_mutations(const char *page, size_t len)
{
    static const char bytes[] = {'"', '\\', '\x80', '\xff', '}', ']', ',', '0', 'x', ' ',
                                 '\0', '[', '{', ':', 'e', '\xc3', '-', '\x1f'};
    char *b = malloc(len);
    for (size_t cut = 0; cut < len; cut++)
        agree(page, cut, "truncated page");
    for (size_t i = 0; i < len; i++)
        for (size_t k = 0; k < 3; k++) {
            memcpy(b, page, len);
            char what[64];
            b[i] = bytes[(i * 7 + k * 5) % sizeof bytes];
            snprintf(what, sizeof what, "page with byte %zu set to 0x%02x", i, (unsigned char)b[i]);
            agree(b, len, what);
        }
    free(b);
}

static void run_plan(const sl_plan *plan, const json_t *sample, const char *page, size_t len)
{
    sl_jscan *scan = sl_jscan_new(plan);
    CHECK(scan != NULL);
    if (!scan)
        return;
    cur_plan = plan;
    cur_scan = scan;
    agree(page, len, "sample page");
    for (unsigned seed = 1; seed <= 6; seed++) {
        size_t n;
        char *p = make_page(sample, seed == 1 ? 50 : seed, seed, &n);
        agree(p, n, "generated page");
        free(p);
    }
    test_edge_cases();
    test_depth();
    test_mutations(page, len);
    sl_jscan_free(scan);
}

/* tmpl with its one %s replaced by v. */
static char *fill(const char *tmpl, const char *v, size_t *len)
{
    size_t n = strlen(tmpl) + strlen(v);
    char *b = malloc(n);
    *len = (size_t)snprintf(b, n, tmpl, v);
    return b;
}

static json_t *decode(const char *text, size_t len, json_t **bad)
{
    return sl_jscan_decode(cur_scan, text, len, bad, NULL);
}

/* Decoded with lit where ok (a representable literal) is: the same tree, no notes. */
static void same_as(const char *tmpl, const char *lit, const char *ok)
{
    size_t n, m;
    char *a = fill(tmpl, lit, &n), *b = fill(tmpl, ok, &m);
    json_t *bad = NULL, *got = decode(a, n, &bad), *want = decode(b, m, NULL);
    CHECK(got != NULL && want != NULL && bad == NULL);
    CHECK(json_equal(got, want));
    if (!got || bad || !json_equal(got, want))
        fprintf(stderr, "  with %s in %s\n", lit, tmpl);
    json_decref(got);
    json_decref(want);
    json_decref(bad);
    free(a);
    free(b);
}

/* Kept inside the second record: it reads as null, and the record is noted with its text. */
static void noted(const char *tmpl, const char *lit, const char *why)
{
    size_t n, m;
    char *a = fill(tmpl, lit, &n), *b = fill(tmpl, "null", &m);
    json_t *bad = NULL, *got = decode(a, n, &bad), *want = decode(b, m, NULL);
    json_t *note = json_array_get(bad, 0);
    const char *reason = json_string_value(json_object_get(note, "reason"));
    const char *raw = json_string_value(json_object_get(note, "raw"));
    CHECK(got != NULL && json_equal(got, want));
    CHECK(json_array_size(bad) == 1);
    CHECK(json_integer_value(json_object_get(note, "index")) == 1);
    CHECK(reason && strstr(reason, why) && strstr(reason, "cannot be represented"));
    /* The record's own text (the last item: up to "]}}}"), invalid bytes as U+FFFD. */
    const char *rec = strstr(a, "},") + 2, *end = a + n - 4;
    while (*rec == ' ' || *rec == '\n')
        rec++;
    char expect[256];
    size_t e = 0;
    for (const char *q = rec; q < end && e + 4 < sizeof expect;) {
        size_t k = sl_text_char_len(q, (size_t)(end - q));
        memcpy(expect + e, k ? q : "\xef\xbf\xbd", k ? k : 3);
        e += k ? k : 3;
        q += k ? k : 1;
    }
    expect[e] = '\0';
    CHECK(raw && !strcmp(raw, expect));
    if (!reason || !strstr(reason, why) || !raw || strcmp(raw, expect))
        fprintf(stderr, "  with %s in %s: reason %s, raw %s\n", lit, tmpl,
                reason ? reason : "(none)", raw ? raw : "(none)");
    CHECK(sl_jscan_decode(cur_scan, a, n, NULL, NULL) == NULL); /* no notes taken */
    json_decref(got);
    json_decref(want);
    json_decref(bad);
    free(a);
    free(b);
}

/* Issue 9 item 7: a value the plan does not read never stops a reply; one it reads that cannot
 * be represented makes its record a reject (noted), the envelope reads it as null. */
static void test_unrepresentable(void)
{
    static const struct {
        const char *lit, *why;
    } lits[] = {
        {"12345678901234567890", "integer out of range"},
        {"-9223372036854775809", "integer out of range"},
        {"123456789012345678901234567890", "integer out of range"},
        {"1e400", "out of a double's range"},
        {"-1.5e999", "out of a double's range"},
        {"\"\\u0000\"", "\\u0000"},
        {"\"a\\u0000b\"", "\\u0000"},
        {"\"\xff\"", "invalid UTF-8"},
        {"\"ok \xc3\"", "invalid UTF-8"},
        {"\"\xed\xa0\x80\"", "invalid UTF-8"},
        {"\"\xc0\xaf\\n\"", "invalid UTF-8"},
        {"\"\\ud83d\"", "lone UTF-16 surrogate"},
        {"\"\\ude00x\"", "lone UTF-16 surrogate"},
        {"\"\\ud83d\\u0041\"", "lone UTF-16 surrogate"},
    };
    static const char *const skipped[] = {
        "{\"response\":{\"data\":{\"order\":[{\"refund_id\":1},{\"tid_list\":%s,\"refund_id\":2}]}}}",
        "{\"response\":{\"data\":{\"order\":[{\"refund_id\":1,\"amount_detail_list\":[{\"a\":[%s]}]}]}}}",
        "{\"response\":{\"data\":{\"order\":[{\"detail_list\":[{\"unused\":{\"x\":%s},\"rec_id\":1}]}]}}}",
    };
    static const char *const kept[] = {
        "{\"response\":{\"data\":{\"total_count\":2,\"order\":[{\"refund_id\":1},{\"refund_id\":%s,\"x\":[1]}]}}}",
        "{\"response\":{\"data\":{\"order\":[{\"refund_id\":1},{\"refund_id\":2,\"remark\":%s}]}}}",
        "{\"response\":{\"data\":{\"order\":[{\"refund_id\":1},\n {\"detail_list\":[{\"rec_id\":3},{\"rec_id\":%s}]}]}}}",
    };
    static const char *envelope =
        "{\"response\":{\"message\":%s,\"data\":{\"order\":[{\"refund_id\":1}]}}}";
    for (size_t i = 0; i < sizeof lits / sizeof lits[0]; i++) {
        for (size_t t = 0; t < sizeof skipped / sizeof skipped[0]; t++)
            same_as(skipped[t], lits[i].lit, "0");
        for (size_t t = 0; t < sizeof kept / sizeof kept[0]; t++)
            noted(kept[t], lits[i].lit, lits[i].why);
        same_as(envelope, lits[i].lit, "null");
    }
    /* Keys: one that cannot be represented matches no column; in the envelope it is dropped. */
    same_as("{\"response\":{\"data\":{\"order\":[{%s:1,\"refund_id\":1}]}}}", "\"\\u0000k\"",
            "\"k\"");
    same_as("{\"response\":{\"z\":%s,\"data\":{\"order\":[]}}}", "{\"k\\udc00\":1,\"j\":2}",
            "{\"j\":2}");
    /* Still malformed: bad syntax in a skipped field fails the reply. */
    static const char *const broken[] = {"\"\\x\"", "\"\\u12G4\"", "\"\x01\"", "01", "1.", "-",
                                         "[1,]", "\"\\ud83d\\u12\"", "\"abc"};
    for (size_t i = 0; i < sizeof broken / sizeof broken[0]; i++) {
        size_t n;
        char *a = fill(skipped[0], broken[i], &n);
        json_t *bad = NULL;
        CHECK(decode(a, n, &bad) == NULL && bad == NULL);
        free(a);
    }
}

/* A records path through an index keeps the records whole and cannot tell them apart: a kept
 * value that cannot be represented there fails the reply rather than read as null unseen. */
static void test_unrepresentable_untracked(void)
{
    size_t n;
    char *a = fill("{\"response\":{\"data\":{\"order\":[{\"detail_list\":[{\"rec_id\":%s}]}]}}}",
                   "1e400", &n);
    json_t *bad = NULL;
    CHECK(decode(a, n, &bad) == NULL && bad == NULL);
    free(a);
}

/* Runs test with cur_scan decoding for plan. */
static void with_scan(const sl_plan *plan, void (*test)(void))
{
    sl_jscan *scan = plan ? sl_jscan_new(plan) : NULL;
    CHECK(scan != NULL);
    if (!scan)
        return;
    cur_plan = plan;
    cur_scan = scan;
    test();
    sl_jscan_free(scan);
}

/* The projection really drops unused fields and keeps used ones. */
static void test_projection(const sl_plan *plan, const char *page, size_t len)
{
    sl_jscan *scan = sl_jscan_new(plan);
    sl_error err = {0};
    json_t *doc = sl_jscan_decode(scan, page, len, NULL, &err);
    CHECK(doc != NULL);
    json_t *rec = json_array_get(
        json_object_get(json_object_get(json_object_get(doc, "response"), "data"), "order"), 0);
    CHECK(json_object_get(rec, "refund_id") != NULL);
    CHECK(json_object_get(rec, "tid_list") == NULL);
    CHECK(json_object_get(rec, "amount_detail_list") == NULL);
    json_t *line = json_array_get(json_object_get(rec, "detail_list"), 0);
    CHECK(json_object_get(line, "rec_id") != NULL);
    CHECK(json_object_size(line) < 25);
    CHECK(json_object_get(json_object_get(doc, "response"), "status") != NULL);
    json_decref(doc);
    CHECK(sl_jscan_decode(scan, page, len / 2, NULL, &err) == NULL && err.msg[0]);
    sl_jscan_free(scan);
}

int main(void)
{
    static const char *const nested[] = {
        "path: remark,", "path: '\"odd key\".x[1].y',",
        "path: trade_id,", "path: 'amount_detail_list[0].amount',",
        "path: src_tids,", "path: 'detail_list[0]',",
        "path: oid,", "path: 'oid.deep[2]',"};
    static const char *const records_object[] = {"records: response.data.order",
                                                 "records: response.data"};
    static const char *const records_index[] = {"records: response.data.order",
                                                "records: response.data.order[0].detail_list"};
    static const char *const into_records[] = {
        "total: response.data.total_count", "total: response.data.order[1].refund_no",
        "message: response.message", "message: response.data.order[0].tid_list",
        "when: response.status != 0", "when: response.data.order[0].amount_detail_list != 0"};
    size_t len = 0;
    char *page = read_file("tests/unit/data/wdt_sample_page.json", &len);
    json_t *sample = page ? json_loadb(page, len, 0, NULL) : NULL;
    CHECK(sample != NULL);
    if (!sample)
        return check_done();
    sl_plan *plans[] = {compile_variant(NULL, 0), compile_variant(nested, 8),
                        compile_variant(records_object, 2), compile_variant(records_index, 2),
                        compile_variant(into_records, 6)};
    if (plans[0])
        test_projection(plans[0], page, len);
    with_scan(plans[0], test_unrepresentable);
    with_scan(plans[3], test_unrepresentable_untracked);
    for (size_t i = 0; i < sizeof plans / sizeof plans[0]; i++) {
        if (plans[i])
            run_plan(plans[i], sample, page, len);
        sl_plan_free(plans[i]);
    }
    json_decref(sample);
    free(page);
    return check_done();
}
