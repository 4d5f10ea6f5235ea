/* Unit tests of personal data (transform/personal.c and its use in transform.c): the mask's
 * widths on ASCII and UTF-8, short values; the hash against an HMAC-SHA256 computed apart
 * (Python's hmac, by hand: values below); a rejected record keeps markers and loses dropped
 * fields; a marked field is not marked again; a stored record's markers are taken as they are
 * (no second hash), while a fresh record with the same marker shape is converted as any value;
 * a record the decoder could not represent is stored protected, not as its raw text. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "diag.h"
#include "personal.h"
#include "pii.h"
#include "transform.h"

/* key 00 01 .. 1f */
static const char job[] = "version: 1\n"
                          "name: p\n"
                          "source:\n"
                          "  endpoint: https://h.example/x\n"
                          "  method: m\n"
                          "  signer: { type: none }\n"
                          "  window: { from_param: f, to_param: t, start: \"2024-01-01 00:00:00\" }\n"
                          "  paging: { page_param: p, size_param: s, total: total }\n"
                          "  records: items\n"
                          "target: { dsn: \"mysql://u@h/db\", table: t, key: [id] }\n"
                          "personal:\n"
                          "  hash_key: \"${env:P_KEY}\"\n"
                          "  keep_first: 3\n"
                          "  keep_last: 2\n"
                          "columns:\n"
                          "  id: { path: id, type: int, required: true }\n"
                          "  name: { path: name, type: varchar(16), personal: mask }\n"
                          "  email: { path: c.email, type: varchar(64), personal: hash }\n"
                          "  addr: { path: c.addr, type: text, personal: drop }\n"
                          "  n: { path: n, type: int }\n"
                          "children:\n"
                          "  - table: k\n"
                          "    each: kids[*]\n"
                          "    key: [kid]\n"
                          "    columns:\n"
                          "      kid: { path: id, type: int }\n"
                          "      pid: { from_parent: id }\n"
                          "      tel: { path: tel, type: varchar(64), personal: hash }\n";

#define BOB_HASH "efb36d74c2dc5e69902fc691ff37c14dfdbbd19ee58cb44cfe8d268ccee757ed"
#define TEL_HASH "05ec8d79e8cc09ed99aa938b4d7714e3d1bafdeefa21bb9f942fb862f50cfcd2"

static sl_plan *compile(void)
{
    setenv("P_KEY", "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", 1);
    sl_diag *diag = sl_diag_new("p.yml");
    sl_compile_options o = {.resolve_secrets = true};
    sl_plan *plan = sl_compile_text("p.yml", job, sizeof job - 1, &o, diag);
    if (!plan)
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

static const char *cell(sl_rowset *rs, size_t row, size_t col)
{
    static char buf[4096];
    int32_t len;
    const char *s = sl_rowset_get(rs, row, col, &len);
    if (len < 0)
        return "NULL";
    snprintf(buf, sizeof buf, "%.*s", (int)len, s);
    return buf;
}

static void test_mask(const sl_plan *plan)
{
    static const char *const cases[][2] = {
        {"13812345678", "138******78"}, /* 11: 3 + 2 kept */
        {"张三丰", "张**"},             /* 3 characters: 1 kept */
        {"Li", "L*"},        {"a", "*"},       {"", ""},
        {"Alice Smith", "Ali******th"}, {"王小明先生", "王小***"}, /* 5: 2 kept */
    };
    sl_batch *b = sl_batch_new(plan);
    sl_rowset *rs = sl_batch_parent(b);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t row = sl_rowset_add_row(rs);
        CHECK(sl_rowset_set(rs, row, 1, cases[i][0], strlen(cases[i][0])) == 0);
        CHECK(sl_personal_cell(&plan->personal, SL_PERSONAL_MASK, rs, row, 1) == 0);
        CHECK_STR(cell(rs, row, 1), cases[i][1]);
    }
    size_t row = sl_rowset_add_row(rs); /* NULL stays NULL */
    CHECK(sl_personal_cell(&plan->personal, SL_PERSONAL_MASK, rs, row, 1) == 0);
    CHECK_STR(cell(rs, row, 1), "NULL");
    sl_batch_free(b);
}

/* Transforms record (text) into a fresh batch; returns the batch (owned). */
static sl_batch *run(const sl_plan *plan, const char *text, bool stored, int want)
{
    json_t *rec = json_loads(text, 0, NULL);
    CHECK(rec != NULL);
    sl_batch *b = sl_batch_new(plan);
    sl_error err = {0};
    int rc = stored ? sl_transform_stored(plan, rec, b, NULL, &err)
                    : sl_transform_record(plan, rec, b, &err);
    CHECK(rc == want);
    json_decref(rec);
    return b;
}

static void test_rows(const sl_plan *plan)
{
    sl_batch *b = run(plan,
                      "{\"id\":1,\"name\":\"Alice Smith\",\"c\":{\"email\":\"bob@example.com\","
                      "\"addr\":\"1 Main St\"},\"n\":2,\"kids\":[{\"id\":7,\"tel\":\"13812345678\"}]}",
                      false, 0);
    sl_rowset *rs = sl_batch_parent(b);
    CHECK_STR(cell(rs, 0, 1), "Ali******th");
    CHECK_STR(cell(rs, 0, 2), BOB_HASH);
    CHECK_STR(cell(rs, 0, 3), "NULL");
    CHECK_STR(cell(sl_batch_child(b, 0), 0, 2), TEL_HASH);
    sl_batch_free(b);
}

static void test_reject_and_replay(const sl_plan *plan)
{
    /* rejected by n: the stored record holds markers, no address, no clear value */
    sl_batch *b = run(plan,
                      "{\"id\":2,\"name\":\"Alice Smith\",\"c\":{\"email\":\"bob@example.com\","
                      "\"addr\":\"1 Main St\"},\"n\":\"x\",\"kids\":[{\"id\":8,\"tel\":\"13812345678\"}]}",
                      false, 1);
    sl_rowset *rj = sl_batch_rejects(b);
    char raw[2048];
    snprintf(raw, sizeof raw, "%s", cell(rj, 0, SL_REJ_RAW));
    CHECK(!strstr(raw, "Alice") && !strstr(raw, "bob@") && !strstr(raw, "Main") &&
          !strstr(raw, "13812345678"));
    CHECK(strstr(raw, "\"addr\"") == NULL);
    CHECK(strstr(raw, "{\"sluice_personal\":\"hash\",\"value\":\"" BOB_HASH "\"}") != NULL);
    CHECK(strstr(raw, "{\"sluice_personal\":\"hash\",\"value\":\"" TEL_HASH "\"}") != NULL);
    CHECK(strstr(raw, "{\"sluice_personal\":\"mask\",\"value\":\"Ali******th\"}") != NULL);
    /* the stored record, fixed (n) and replayed: the markers are the cells, not hashed again */
    json_t *rec = json_loads(raw, 0, NULL);
    json_object_set_new(rec, "n", json_integer(3));
    char *fixed = json_dumps(rec, JSON_COMPACT);
    sl_batch_free(b);
    b = run(plan, fixed, true, 0);
    CHECK_STR(cell(sl_batch_parent(b), 0, 1), "Ali******th");
    CHECK_STR(cell(sl_batch_parent(b), 0, 2), BOB_HASH);
    CHECK_STR(cell(sl_batch_child(b, 0), 0, 2), TEL_HASH);
    sl_batch_free(b);
    /* the same record from the API is not trusted: a marker there is a value like any other
     * (an object does not convert to varchar: rejected) */
    b = run(plan, fixed, false, 1);
    sl_batch_free(b);
    /* a marked field is not marked again */
    json_t *again = sl_personal_record_new(plan, rec);
    char *twice = json_dumps(again, JSON_COMPACT);
    CHECK_STR(twice, fixed);
    free(twice);
    json_decref(again);
    free(fixed);
    json_decref(rec);
}

/* A record the decoder could not represent is stored as decoded and protected, not as the raw
 * text it came in (which holds the values in clear). */
static void test_reject_raw(const sl_plan *plan)
{
    const char *raw = "{\"id\":9,\"name\":\"Alice Smith\",\"c\":{\"email\":\"bob@example.com\"},"
                      "\"n\":1e999}";
    json_t *rec = json_pack("{s:i, s:s, s:{s:s}}", "id", 9, "name", "Alice Smith", "c", "email",
                            "bob@example.com");
    sl_batch *b = sl_batch_new(plan);
    sl_error err = {0};
    CHECK(sl_transform_reject(plan, rec, "a number too large", raw, strlen(raw), b, &err) == 1);
    const char *stored = cell(sl_batch_rejects(b), 0, SL_REJ_RAW);
    CHECK(!strstr(stored, "Alice") && !strstr(stored, "bob@"));
    CHECK(strstr(stored, BOB_HASH) != NULL);
    CHECK_STR(cell(sl_batch_rejects(b), 0, SL_REJ_KEY), "9");
    sl_batch_free(b);
    json_decref(rec);
}

static void test_pii_words(void)
{
    CHECK_STR(sl_pii_kind("receiver_telno"), "a phone number");
    CHECK_STR(sl_pii_kind("Receiver_Name"), "a person's name");
    CHECK_STR(sl_pii_kind("fenxiao_nick_name"), "a nickname");
    CHECK_STR(sl_pii_kind("id_card"), "an identity document");
    CHECK(sl_pii_kind("goods_name") == NULL && sl_pii_kind("operator_name") == NULL &&
          sl_pii_kind("shop_id") == NULL && sl_pii_kind("telemetry") == NULL);
}

int main(void)
{
    sl_plan *plan = compile();
    CHECK(plan != NULL);
    if (plan) {
        CHECK(plan->personal.any && plan->personal.key_len == 32);
        test_mask(plan);
        test_rows(plan);
        test_reject_and_replay(plan);
        test_reject_raw(plan);
    }
    test_pii_words();
    sl_plan_free(plan);
    return check_done();
}
