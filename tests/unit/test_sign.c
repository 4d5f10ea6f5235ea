/* Unit tests of md5 and the signers against every vector of wdt-api.md section 1, plus the
 * request builder reproducing the worked refund examples end to end. */
#include <stdlib.h>

#include "check.h"
#include "jsonbody.h"
#include "md5.h"
#include "kind.h"
#include "sign.h"
#include "timeutil.h"
#include "wdt_creds.h"

typedef struct text {
    char s[2048];
    size_t len;
} text;

static void text_sink(void *ctx, const void *data, size_t len)
{
    text *t = ctx;
    if (t->len + len < sizeof t->s) {
        memcpy(t->s + t->len, data, len);
        t->len += len;
        t->s[t->len] = '\0';
    }
}

static void test_md5(void)
{
    char h[33];
    sl_md5_hex("", 0, false, h);
    CHECK_STR(h, "d41d8cd98f00b204e9800998ecf8427e");
    sl_md5_hex("abc", 3, false, h);
    CHECK_STR(h, "900150983cd24fb0d6963f7d28e17f72");
    sl_md5_hex("message digest", 14, true, h);
    CHECK_STR(h, "F96B697D7CB7938D525A2F31AAF161D0");
    const char *l = "1234567890123456789012345678901234567890"
                    "1234567890123456789012345678901234567890";
    sl_md5_hex(l, strlen(l), false, h);
    CHECK_STR(h, "57edf4a22be3c955ac49da2e2107b67a");
    sl_md5 m; /* same digest fed in uneven pieces */
    sl_md5_init(&m);
    sl_md5_update(&m, l, 3);
    sl_md5_update(&m, l + 3, 61);
    sl_md5_update(&m, l + 64, strlen(l) - 64);
    sl_md5_final_hex(&m, false, h);
    CHECK_STR(h, "57edf4a22be3c955ac49da2e2107b67a");
}

static sl_params *go_vector(void)
{
    sl_params *p = sl_params_new();
    sl_params_set(p, "method", "3ldsmu02o9.wdt.wms.stockspec.querychangehistory");
    sl_params_set(p, "datetime", "2020-09-17 19:22:26");
    sl_params_set(p, "wdt_salt", "salt");
    sl_params_set(p, "wdt_appkey", "wdt_appkey");
    sl_params_set(p, "pager", "{\"page_no\":1,\"page_size\":10}");
    sl_params_set(p, "params",
                  "{\"end_date\":\"2020-09-20 00:00:00\", \"spec_no\":null, "
                  "\"start_date\":\"2020-08-23 00:00:00\", \"warehouse_no\":\"1001\"}");
    return p;
}

static void test_wdt_go_vector(void)
{
    sl_params *p = go_vector();
    text t = {0};
    char h[33];
    sl_sign_wdt_write(p, "secret", text_sink, &t);
    CHECK_STR(t.s, "secretdatetime2020-09-17 19:22:26methodwdt.wms.stockspec.querychangehistory"
                   "pagerpage_no1page_size10paramsend_date2020-09-20 00:00:00start_date2020-08-23 "
                   "00:00:00warehouse_no1001wdt_appkeywdt_appkeywdt_saltsaltsecret");
    sl_sign_wdt(p, "secret", h);
    CHECK_STR(h, "1f5e87bbbc8bc68f4f0af70f79620b7d");
    /* wdt3_customer_id and wdt_sign are not signed; whitespace inside JSON does not matter */
    sl_params_set(p, "wdt3_customer_id", "anyone");
    sl_params_set(p, "wdt_sign", "x");
    sl_params_set(p, "pager", "{ \"page_size\" : 10, \"page_no\" : 1 }");
    sl_sign_wdt(p, "secret", h);
    CHECK_STR(h, "1f5e87bbbc8bc68f4f0af70f79620b7d");
    /* one byte of a signed value changes the signature */
    sl_params_set(p, "wdt_salt", "salu");
    sl_sign_wdt(p, "secret", h);
    CHECK(strcmp(h, "1f5e87bbbc8bc68f4f0af70f79620b7d") != 0);
    sl_params_free(p);
}

#define REFUND_PARAMS                                 \
    "{\"modified_from\":\"2024-06-01 00:00:00\"," \
    "\"modified_to\":\"2024-06-01 01:00:00\"}"
#define WDT_SRC                                                                              \
    "testsecretdatetime2024-06-01 12:00:00methodwdt.aftersales.refund.refund.searchpagerpage_" \
    "no0page_size50paramsmodified_from2024-06-01 00:00:00modified_to2024-06-01 01:00:00wdt_"  \
    "appkeytestkeywdt_salttestsalttestsecret"
#define TOP_SRC                                                                                 \
    "qmsecretapp_key12345678datetime2024-06-01 12:00:00formatjsonmethodwdt.aftersales.refund."   \
    "refund.searchpager{\"page_no\":0,\"page_size\":50}params" REFUND_PARAMS                      \
    "sign_methodmd5target_app_key87654321timestamp2024-06-01 12:00:00v2.0wdt3_customer_idwdtapi3" \
    "wdt_appkeytestkeywdt_salttestsaltwdt_sign7e1cf4387371737a43efd854b62a120eqmsecret"

static void test_refund_qimen(void)
{
    sl_params *p = sl_params_new();
    text t = {0};
    char h[33];
    sl_params_set(p, "method", "wdt.aftersales.refund.refund.search");
    sl_params_set(p, "datetime", "2024-06-01 12:00:00");
    sl_params_set(p, "params", REFUND_PARAMS);
    sl_params_set(p, "pager", "{\"page_no\":0,\"page_size\":50}");
    sl_params_set(p, "wdt_appkey", "testkey");
    sl_params_set(p, "wdt_salt", "testsalt");
    sl_params_set(p, "wdt3_customer_id", "wdtapi3");
    sl_sign_wdt_write(p, "testsecret", text_sink, &t);
    CHECK_STR(t.s, WDT_SRC);
    sl_sign_wdt(p, "testsecret", h);
    CHECK_STR(h, "7e1cf4387371737a43efd854b62a120e");
    sl_params_set(p, "wdt_sign", h);
    sl_params_set(p, "app_key", "12345678");
    sl_params_set(p, "target_app_key", "87654321");
    sl_params_set(p, "timestamp", "2024-06-01 12:00:00");
    sl_params_set(p, "format", "json");
    sl_params_set(p, "v", "2.0");
    sl_params_set(p, "sign_method", "md5");
    sl_params_set(p, "session", ""); /* empty values are skipped */
    t.len = 0;
    sl_sign_top_write(p, "qmsecret", text_sink, &t);
    CHECK_STR(t.s, TOP_SRC);
    sl_sign_top(p, "qmsecret", h);
    CHECK_STR(h, "F2089812E241192B29DB00B477C20BCF");
    sl_params_set(p, "sign", "ignored");
    sl_sign_top(p, "qmsecret", h);
    CHECK_STR(h, "F2089812E241192B29DB00B477C20BCF");
    /* TOP signs the JSON verbatim: one extra space changes it */
    sl_params_set(p, "pager", "{\"page_no\":0, \"page_size\":50}");
    sl_sign_top(p, "qmsecret", h);
    CHECK(strcmp(h, "F2089812E241192B29DB00B477C20BCF") != 0);
    sl_params_free(p);
}

static void test_direct(void)
{
    sl_params *q = sl_params_new();
    char h[33];
    const char *body = "[{\"goods_no\":\"G001\"}]";
    sl_params_set(q, "sid", "wdtapi3");
    sl_params_set(q, "key", "appkey");
    sl_params_set(q, "salt", "salt");
    sl_params_set(q, "method", "goods.Goods.queryWithSpec");
    sl_params_set(q, "timestamp", "100");
    sl_params_set(q, "v", "1.0");
    sl_sign_direct(q, body, strlen(body), "secret", h);
    CHECK_STR(h, "703b2c4b5b16565883e6b58d18e254a2");
    sl_sign_direct(q, "[{\"goods_no\":\"G002\"}]", strlen(body), "secret", h);
    CHECK(strcmp(h, "703b2c4b5b16565883e6b58d18e254a2") != 0);
    sl_params_free(q);

    q = sl_params_new();
    body = "[" REFUND_PARAMS "]";
    sl_params_set(q, "sid", "wdtapi3");
    sl_params_set(q, "key", "testkey");
    sl_params_set(q, "salt", "testsalt");
    sl_params_set(q, "method", "aftersales.refund.Refund.search");
    sl_params_set(q, "v", "1.0");
    sl_params_set(q, "timestamp", "391867200");
    sl_params_set(q, "page_size", "50");
    sl_params_set(q, "page_no", "0");
    sl_params_set(q, "calc_total", "1");
    sl_params_set(q, "sign", "ignored");
    sl_sign_direct(q, body, strlen(body), "testsecret", h);
    CHECK_STR(h, "e8ce7c3e60726929c0530b4967ec940a");
    sl_params_free(q);
}

/* The signer kind called name, configured with the fixture's credentials (in *creds). */
static sl_kind_ref fixture_signer(const char *name, sl_wdt_creds *creds)
{
    static char ak[] = "12345678", as[] = "qmsecret", tk[] = "87654321", sid[] = "wdtapi3",
                wk[] = "testkey", ws[] = "testsecret", wsalt[] = "testsalt";
    *creds = (sl_wdt_creds){ak, as, tk, sid, wk, ws, wsalt};
    sl_kind_ref s = {sl_kind_find(&sl_kinds_signer, name), creds};
    CHECK(s.kind != NULL);
    return s;
}

static void test_build(void)
{
    json_t *filter = json_loads(REFUND_PARAMS, 0, NULL);
    int64_t now;
    CHECK(sl_time_parse("2024-06-01 12:00:00", 19, 8 * 3600, &now));
    CHECK(now - SL_WDT_DIRECT_EPOCH == 391867200);
    sl_page_req r = {.method = "wdt.aftersales.refund.refund.search", .filter = filter,
                     .page_param = "page_no", .size_param = "page_size", .page_no = 0,
                     .page_size = 50, .now = now};
    sl_wdt_creds creds;
    sl_kind_ref s = fixture_signer("qimen-wdt", &creds);
    sl_request out;
    sl_error err = {0};
    CHECK(sl_request_build(&s, &r, &out, &err) == SL_OK);
    CHECK_STR(out.query, "");
    CHECK(strncmp(out.content_type, "application/x-www-form-urlencoded", 33) == 0);
    sl_params *p = sl_params_new();
    CHECK(sl_params_parse_form(p, out.body, out.body_len));
    CHECK_STR(sl_params_get(p, "wdt_sign"), "7e1cf4387371737a43efd854b62a120e");
    CHECK_STR(sl_params_get(p, "sign"), "F2089812E241192B29DB00B477C20BCF");
    CHECK_STR(sl_params_get(p, "params"), REFUND_PARAMS);
    CHECK_STR(sl_params_get(p, "timestamp"), "2024-06-01 12:00:00");
    CHECK(strstr(out.body, "wdt_secret") == NULL && strstr(out.body, "qmsecret") == NULL);
    sl_params_free(p);
    sl_request_clear(&out);

    s = fixture_signer("wdt-direct", &creds);
    r.method = "aftersales.refund.Refund.search";
    CHECK(sl_request_build(&s, &r, &out, &err) == SL_OK);
    CHECK_STR(out.body, "[" REFUND_PARAMS "]");
    CHECK(strstr(out.query, "&sign=e8ce7c3e60726929c0530b4967ec940a") != NULL);
    CHECK(strstr(out.query, "timestamp=391867200") != NULL);
    sl_request_clear(&out);

    creds.wdt_salt = NULL;
    CHECK(sl_request_build(&s, &r, &out, &err) == SL_ERR_CONFIG);
    CHECK(strstr(err.msg, "wdt_salt") != NULL);

    s = fixture_signer("none", &creds);
    CHECK(sl_request_build(&s, &r, &out, &err) == SL_OK);
    CHECK(strstr(out.body, "modified_from=2024-06-01%2000%3A00%3A00") != NULL);
    CHECK(strstr(out.body, "page_size=50") != NULL);
    sl_request_clear(&out);
    json_decref(filter);
}

static void test_form(void)
{
    sl_params *p = sl_params_new();
    sl_params_set(p, "a b", "x+y&z=1/中");
    sl_params_set(p, "k", "");
    size_t len;
    char *s = sl_params_encode(p, &len);
    CHECK_STR(s, "a%20b=x%2By%26z%3D1%2F%E4%B8%AD&k=");
    sl_params *q = sl_params_new();
    CHECK(sl_params_parse_form(q, s, len));
    CHECK_STR(sl_params_get(q, "a b"), "x+y&z=1/中");
    CHECK_STR(sl_params_get(q, "k"), "");
    CHECK(sl_params_parse_form(q, "x=a+b&y", 7));
    CHECK_STR(sl_params_get(q, "x"), "a b");
    CHECK_STR(sl_params_get(q, "y"), "");
    CHECK(!sl_params_parse_form(q, "x=%4", 4));
    CHECK(!sl_params_parse_form(q, "x=%zz", 5));
    sl_params_sort(q);
    CHECK_STR(sl_params_key(q, 0), "a b");
    CHECK(sl_params_count(q) == 4);
    free(s);
    sl_params_free(p);
    sl_params_free(q);
}

/* A JSON body from a template: placeholders take their parameter's type, one used twice is
 * placed twice, one of a parameter the request lacks is dropped with its member (in an object
 * and in a list), text that only holds braces is literal, and the parameters not placed go at
 * the top level in request order. */
static void test_json_body(void)
{
    json_t *tpl = json_loads("{\"filter\":{\"from\":\"{from}\",\"again\":\"{from}\","
                             "\"x\":\"{nope}\",\"lit\":\"a {b} c\",\"n\":7},"
                             "\"list\":[\"{page}\",\"{nope}\",null],\"c\":\"{cursor}\"}",
                             0, NULL);
    json_t *filter = json_pack("{s:s,s:i,s:b}", "from", "2024-03-03T00:00:00+08:00", "to",
                               1709481599, "flag", 1);
    sl_page_req req = {.method = "orders.get", .filter = filter, .page_param = "page",
                       .size_param = "size", .page_no = 2, .page_size = 50, .json_body = tpl};
    size_t len = 0;
    char *body = sl_json_body_new(&req, &len);
    CHECK_STR(body, "{\"filter\":{\"from\":\"2024-03-03T00:00:00+08:00\",\"again\":"
                    "\"2024-03-03T00:00:00+08:00\",\"lit\":\"a {b} c\",\"n\":7},\"list\":[2,"
                    "null],\"to\":1709481599,\"flag\":true,\"method\":\"orders.get\","
                    "\"size\":50}");
    CHECK(body && len == strlen(body));
    free(body);
    req.page_param = "cursor"; /* a cursor: text where the page was a number */
    req.page_token = "abc";
    req.method = NULL;
    body = sl_json_body_new(&req, &len);
    CHECK(body && strstr(body, "\"c\":\"abc\"") && !strstr(body, "\"page\"") &&
          !strstr(body, "method"));
    free(body);
    sl_request out = {0};
    CHECK(sl_request_json(&req, &out) == SL_OK);
    CHECK_STR(out.content_type, "application/json");
    CHECK_STR(out.query, "");
    sl_request_clear(&out);
    json_decref(tpl);
    json_decref(filter);
}

int main(void)
{
    test_md5();
    test_wdt_go_vector();
    test_refund_qimen();
    test_direct();
    test_build();
    test_form();
    test_json_body();
    return check_done();
}
