/* Unit tests of signing recipes: every vector of signing-vectors.md and the WDT vectors of
 * wdt-api.md section 1 reproduce from a job file (tests/unit/data/signing/) compiled by
 * the compiler, string to sign and signature, with the vector's instant as the clock and its
 * nonce; plus templates, generated values and the errors of a bad recipe. */
#include <stdlib.h>

#include "check.h"
#include "compile.h"
#include "kind.h"
#include "recipe_eval.h"

typedef struct text {
    char s[4096];
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

/* Compiles a job (a file, or yaml when it is non-NULL) with every reference read; NULL
 * (diagnostics into *diag_out, or printed) on errors. */
static sl_plan *compile_job(const char *path, const char *yaml, sl_diag **diag_out)
{
    sl_diag *diag = sl_diag_new(path);
    sl_compile_options opts = {.resolve_secrets = true};
    sl_plan *plan = yaml ? sl_compile_text(path, yaml, strlen(yaml), &opts, diag)
                         : sl_compile_file_opts(path, &opts, diag);
    if (diag_out) {
        *diag_out = diag;
        return plan;
    }
    if (!plan)
        sl_diag_print(diag, stderr);
    sl_diag_free(diag);
    return plan;
}

/* The recipe of a compiled job (borrowed), or NULL when its signer is another kind. */
static const sl_recipe *recipe_of(const sl_plan *plan)
{
    const sl_kind_ref *s = &plan->source.signer;
    return s->kind && strcmp(s->kind->name, "recipe") == 0 ? s->cfg : NULL;
}

/* A job around a signer section written at column 0 (each line indented under signer:). */
static char *job_around(const char *signer)
{
    static const char head[] = "version: 1\nname: t\nsource:\n  endpoint: http://127.0.0.1:9/x\n"
                               "  method: m\n  signer:\n";
    static const char tail[] =
        "  window: {from_param: f, to_param: t, start: \"2024-01-01 00:00:00\"}\n"
        "  paging: {page_param: p, size_param: s, total: total}\n  records: items\n"
        "target: {dsn: \"${env:SLUICE_DB}\", table: t, key: [id]}\n"
        "columns: {id: {path: id, type: bigint}}\n";
    char *job = malloc(sizeof head + sizeof tail + 2 * strlen(signer) + 64);
    char *o = job + sprintf(job, "%s", head);
    for (const char *l = signer; *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l + 1) : strlen(l);
        o += sprintf(o, "    %.*s", (int)len, l);
        l += len;
    }
    strcpy(o, tail);
    return job;
}

/* Compiles a signer section written in YAML (inside a job); NULL on errors. The plan owns the
 * recipe: *plan_out is set to free it. */
static const sl_recipe *compile_yaml(const char *signer, sl_plan **plan_out, sl_diag **diag_out)
{
    char *job = job_around(signer);
    *plan_out = compile_job("recipe.yml", job, diag_out);
    free(job);
    return *plan_out ? recipe_of(*plan_out) : NULL;
}

/* The pairs of a flat JSON object of strings, in order. */
static sl_params *params_of(const char *json)
{
    json_t *o = json_loads(json, 0, NULL);
    sl_params *p = sl_params_new();
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) sl_params_set(p, k, json_string_value(v));
    json_decref(o);
    return p;
}

typedef struct vector {
    const char *name;
    const char *file;    /* the job, in tests/unit/data/signing/ */
    const char *env;     /* the secrets it reads: NAME=value, space-separated */
    const char *params;  /* the request's own parameters (not those the recipe adds) */
    int64_t now;         /* the clock, epoch seconds */
    const char *nonce;   /* fixed nonce, or NULL */
    const char *method, *path, *body;
    const char *source;  /* the string to sign */
    const char *where;   /* "param NAME" or "header NAME" */
    const char *signature;
} vector;

/* ---- signing-vectors.md ---- */

#define TOP_PARAMS                                                                            \
    "{\"method\": \"taobao.trades.sold.get\", \"session\": \"test\", \"fields\": "            \
    "\"tid,type,status,payment,orders\", \"page_no\": \"1\", \"page_size\": \"40\", "          \
    "\"buyer_nick\": \"\"}"
static const vector vectors[] = {
    {"1. TOP md5", "top_md5", "TOP_APP_SECRET=helloworld TOP_APP_KEY=12345678", TOP_PARAMS, 1704135845, NULL, "POST",
     "/router/rest", NULL,
     "helloworldapp_key12345678fieldstid,type,status,payment,ordersformatjsonmethodtaobao."
     "trades.sold.getpage_no1page_size40sessiontestsign_methodmd5timestamp2024-01-02 "
     "03:04:05v2.0helloworld",
     "param sign", "709CD5ADE12FD1AFD417464960844DDB"},
    {"2. TOP hmac", "top_hmac", "TOP_APP_SECRET=helloworld TOP_APP_KEY=12345678", TOP_PARAMS, 1704135845, NULL, "POST",
     "/router/rest", NULL,
     "app_key12345678fieldstid,type,status,payment,ordersformatjsonmethodtaobao.trades.sold."
     "getpage_no1page_size40sessiontestsign_methodhmactimestamp2024-01-02 03:04:05v2.0",
     "param sign", "51760ED0FD3F5C5C9012C477DB127A70"},
    {"3. secret prefix, md5 lower", "secret_prefix",
     "ERP_SECRET=99c4cef262f34ca882975a7064de0b87 ERP_APP_KEY=b0b7d1db226d4216a3d58df9ffa2dde5 ERP_TOKEN=a3f1c8e2d4b5",
     "{\"biz\": \"{\\\"page_index\\\":1,\\\"page_size\\\":50,\\\"modified_begin\\\":\\\"2024-01-"
     "01 00:00:00\\\",\\\"modified_end\\\":\\\"2024-01-01 23:59:59\\\"}\"}",
     1700000000, NULL, "POST", "/api", NULL,
     "99c4cef262f34ca882975a7064de0b87access_tokena3f1c8e2d4b5app_keyb0b7d1db226d4216a3d58df9ff"
     "a2dde5biz{\"page_index\":1,\"page_size\":50,\"modified_begin\":\"2024-01-01 00:00:00\","
     "\"modified_end\":\"2024-01-01 23:59:59\"}charsetutf-8timestamp1700000000version2",
     "param sign", "73430d923f5a095b92bcc8842c13aaae"},
    {"4. key=value&...&key=SECRET", "wechat_pay",
     "MCH_KEY=192006250b4c09247ec02edce69f6a2d APPID=wx2421b1c4370ec43b MCH_ID=10000100",
     "{\"body\": \"test\", \"out_trade_no\": \"20240102030405\", \"total_fee\": \"1\", "
     "\"device_info\": \"\"}",
     1704135845, "ibuaiVcKdpRxkhJA", "POST", "/pay/unifiedorder", NULL,
     "appid=wx2421b1c4370ec43b&body=test&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA&out_trade_"
     "no=20240102030405&total_fee=1&key=192006250b4c09247ec02edce69f6a2d",
     "param sign", "EE43046C4D9324BFF467D487A268CF46"},
    {"5. HMAC-SHA256, canonical param_json", "param_json_hmac_sha256",
     "SHOP_SECRET=6ff3ab4e-2f4e-4ff6-9f6b-0e9f6bd0d9a1 SHOP_APP_KEY=7152331588175513100",
     "{\"method\": \"order.searchList\", \"param_json\": \"{\\\"page\\\":0,\\\"size\\\":50,"
     "\\\"update_start_time\\\":1704067200,\\\"order_by\\\":\\\"update_time\\\"}\"}",
     1704135845, NULL, "POST", "/order/searchList", NULL,
     "6ff3ab4e-2f4e-4ff6-9f6b-0e9f6bd0d9a1app_key7152331588175513100methodorder.searchListparam"
     "_json{\"order_by\":\"update_time\",\"page\":0,\"size\":50,\"update_start_time\":1704067200}"
     "timestamp2024-01-02 03:04:05v26ff3ab4e-2f4e-4ff6-9f6b-0e9f6bd0d9a1",
     "param sign", "f7618d9b89699537e83c7900c53c3ecb813488bd5cc32a2b10b0a65a77e27b0d"},
    {"6. canonical request, base64, header", "canonical_request",
     "API_SECRET=s3cr3t-k3y",
     "{\"updated_at_min\": \"2024-03-01T00:00:00+08:00\", \"limit\": \"50\", \"cursor\": "
     "\"eyJpZCI6MTIzfQ\"}",
     1709222400, NULL, "GET", "/v2/orders", NULL,
     "GET\n/v2/orders\ncursor=eyJpZCI6MTIzfQ&limit=50&updated_at_min=2024-03-01T00:00:00+08:00"
     "\n1709222400",
     "header X-Signature", "Tnc9hBs5o3nfrUIo5JKs02MxkraThroxEMF6/V7WWYg="},
};

/* ---- wdt-api.md section 1 ---- */

#define REFUND_PARAMS "{\"modified_from\":\"2024-06-01 00:00:00\",\"modified_to\":\"2024-06-01 01:00:00\"}"
#define REFUND_JSON "\"{\\\"modified_from\\\":\\\"2024-06-01 00:00:00\\\",\\\"modified_to\\\":\\\"2024-06-01 01:00:00\\\"}\""

static const vector wdt_vectors[] = {
    {"wdt_sign, Go client vector", "wdt_sign", "WDT_SECRET=secret",
     "{\"method\": \"3ldsmu02o9.wdt.wms.stockspec.querychangehistory\", \"datetime\": "
     "\"2020-09-17 19:22:26\", \"wdt_salt\": \"salt\", \"wdt_appkey\": \"wdt_appkey\", "
     "\"pager\": \"{\\\"page_no\\\":1,\\\"page_size\\\":10}\", \"params\": "
     "\"{\\\"end_date\\\":\\\"2020-09-20 00:00:00\\\", \\\"spec_no\\\":null, "
     "\\\"start_date\\\":\\\"2020-08-23 00:00:00\\\", \\\"warehouse_no\\\":\\\"1001\\\"}\"}",
     1600341746, NULL, "POST", "/router/qm", NULL,
     "secretdatetime2020-09-17 19:22:26methodwdt.wms.stockspec.querychangehistorypagerpage_no1"
     "page_size10paramsend_date2020-09-20 00:00:00start_date2020-08-23 00:00:00warehouse_no1001"
     "wdt_appkeywdt_appkeywdt_saltsaltsecret",
     "param wdt_sign", "1f5e87bbbc8bc68f4f0af70f79620b7d"},
    {"wdt_sign, refund example", "wdt_sign", "WDT_SECRET=testsecret",
     "{\"method\": \"wdt.aftersales.refund.refund.search\", \"datetime\": \"2024-06-01 "
     "12:00:00\", \"params\": " REFUND_JSON ", \"pager\": "
     "\"{\\\"page_no\\\":0,\\\"page_size\\\":50}\", \"wdt_appkey\": \"testkey\", \"wdt_salt\": "
     "\"testsalt\", \"wdt3_customer_id\": \"wdtapi3\"}",
     1717214400, NULL, "POST", "/router/qm", NULL,
     "testsecretdatetime2024-06-01 12:00:00methodwdt.aftersales.refund.refund.searchpagerpage_no0"
     "page_size50paramsmodified_from2024-06-01 00:00:00modified_to2024-06-01 01:00:00wdt_appkey"
     "testkeywdt_salttestsalttestsecret",
     "param wdt_sign", "7e1cf4387371737a43efd854b62a120e"},
    {"TOP sign, refund example", "qimen_top_sign",
     "QIMEN_APP_SECRET=qmsecret QIMEN_APP_KEY=12345678 QIMEN_TARGET_APP_KEY=87654321",
     "{\"method\": \"wdt.aftersales.refund.refund.search\", \"datetime\": \"2024-06-01 "
     "12:00:00\", \"params\": " REFUND_JSON ", \"pager\": "
     "\"{\\\"page_no\\\":0,\\\"page_size\\\":50}\", \"wdt_appkey\": \"testkey\", \"wdt_salt\": "
     "\"testsalt\", \"wdt3_customer_id\": \"wdtapi3\", \"wdt_sign\": "
     "\"7e1cf4387371737a43efd854b62a120e\"}",
     1717214400, NULL, "POST", "/router/qm", NULL,
     "qmsecretapp_key12345678datetime2024-06-01 12:00:00formatjsonmethodwdt.aftersales.refund."
     "refund.searchpager{\"page_no\":0,\"page_size\":50}params" REFUND_PARAMS
     "sign_methodmd5target_app_key87654321timestamp2024-06-01 12:00:00v2.0wdt3_customer_idwdtap"
     "i3wdt_appkeytestkeywdt_salttestsaltwdt_sign7e1cf4387371737a43efd854b62a120eqmsecret",
     "param sign", "F2089812E241192B29DB00B477C20BCF"},
    {"wdt-direct, Go client vector", "wdt_direct",
     "WDT_SECRET=secret WDT_SID=wdtapi3 WDT_APPKEY=appkey WDT_SALT=salt",
     "{\"method\": \"goods.Goods.queryWithSpec\"}",
     1325347200 + 100, NULL, "POST", "/openapi", "[{\"goods_no\":\"G001\"}]",
     "secretbody[{\"goods_no\":\"G001\"}]keyappkeymethodgoods.Goods.queryWithSpecsaltsaltsidwdta"
     "pi3timestamp100v1.0secret",
     "param sign", "703b2c4b5b16565883e6b58d18e254a2"},
    {"wdt-direct, refund example", "wdt_direct",
     "WDT_SECRET=testsecret WDT_SID=wdtapi3 WDT_APPKEY=testkey WDT_SALT=testsalt",
     "{\"method\": \"aftersales.refund.Refund.search\", \"page_size\": \"50\", "
     "\"page_no\": \"0\", \"calc_total\": \"1\"}",
     1717214400, NULL, "POST", "/openapi", "[" REFUND_PARAMS "]",
     "testsecretbody[" REFUND_PARAMS "]calc_total1keytestkeymethodaftersales.refund.Refund."
     "searchpage_no0page_size50salttestsaltsidwdtapi3timestamp391867200v1.0testsecret",
     "param sign", "e8ce7c3e60726929c0530b4967ec940a"},
};

/* Sets each NAME=value of the space-separated list into the environment. */
static void set_env(const char *list)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", list);
    for (char *save = NULL, *kv = strtok_r(buf, " ", &save); kv; kv = strtok_r(NULL, " ", &save)) {
        char *eq = strchr(kv, '=');
        *eq = '\0';
        setenv(kv, eq + 1, 1);
    }
}

/* Signs one vector's parameters with its job's recipe: the string and signature must match. */
static void check_vector(const vector *v)
{
    char path[256];
    snprintf(path, sizeof path, "tests/unit/data/signing/%s.yml", v->file);
    set_env(v->env);
    sl_plan *plan = compile_job(path, NULL, NULL);
    const sl_recipe *r = plan ? recipe_of(plan) : NULL;
    CHECK(r != NULL);
    if (!r) {
        fprintf(stderr, "vector %s: %s did not compile to a recipe\n", v->name, path);
        sl_plan_free(plan);
        return;
    }
    sl_params *params = params_of(v->params), *headers = sl_params_new();
    sl_recipe_call call = {v->method, v->path, v->body, v->body ? strlen(v->body) : 0, "", ""};
    sl_error err = {0};
    CHECK(sl_recipe_prepare(r, v->now * 1000 + 999, v->nonce, &call, params, headers, &err) ==
          SL_OK);
    text t = {.len = 0};
    CHECK(sl_recipe_write(r, params, &call, text_sink, &t));
    if (strcmp(t.s, v->source) != 0)
        fprintf(stderr, "vector %s: string to sign differs\n", v->name);
    CHECK_STR(t.s, v->source);
    CHECK(sl_recipe_sign(r, params, headers, &call, &err) == SL_OK);
    bool header = strncmp(v->where, "header ", 7) == 0;
    const char *name = strchr(v->where, ' ') + 1;
    CHECK_STR(sl_params_get(header ? headers : params, name), v->signature);
    CHECK(sl_params_get(header ? params : headers, name) == NULL);
    sl_params_free(params);
    sl_params_free(headers);
    sl_plan_free(plan);
}

/* The message of the first diagnostic of a recipe that must not compile. */
static void check_refused(const char *yaml, const char *want)
{
    sl_diag *diag = NULL;
    sl_plan *plan = NULL;
    const sl_recipe *r = compile_yaml(yaml, &plan, &diag);
    CHECK(r == NULL);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sl_diag_print(diag, f);
    fclose(f);
    if (!strstr(buf, want))
        fprintf(stderr, "want \"%s\" in:\n%s", want, buf);
    CHECK(strstr(buf, want) != NULL);
    free(buf);
    sl_diag_free(diag);
    sl_plan_free(plan);
}

static void test_refused(void)
{
    check_refused("type: recipe\nhash: md5\n",
                  "recipe.yml:7:5: error: a recipe needs 'sign_param' or 'sign_header'");
    check_refused("type: recipe\nhash: md5\nsign_param: s\nsign_header: S\n",
                  "recipe.yml:10:18: error: a recipe sends its signature in 'sign_param' or");
    check_refused("type: recipe\nhash: hmac-sha1\nsign_param: s\n",
                  "error: this recipe needs 'secret' (the HMAC key)");
    check_refused("type: recipe\nhash: md5\nsign_param: s\nbefore: \"{secret}\"\n",
                  "error: this recipe needs 'secret' ({secret} in a template)");
    check_refused("type: recipe\nhash: md5\nsign_param: s\npair: \"{key}{valeu}\"\n",
                  "recipe.yml:10:11: error: 'pair': unknown placeholder '{valeu}' at offset 5 "
                  "(did you mean '{value}'?)");
    check_refused("type: recipe\nhash: md5\nsign_param: s\nbefore: \"{sercet}{x}\"\n",
                  "'before': unknown placeholder '{sercet}' at offset 0 (did you mean "
                  "'{secret}'?)");
    check_refused("type: recipe\nhash: md5\nsign_param: s\nbefore: \"{xyzzy}\"\n",
                  "'{xyzzy}' at offset 0 (known: secret, key, value, timestamp, nonce, "
                  "http_method, path, body)");
    check_refused("type: recipe\nhash: md5\nsign_param: s\nafter: \"{key\"\n",
                  "recipe.yml:10:12: error: 'after': '{' at offset 0 is not closed");
    check_refused("type: recipe\nhash: md5\nsign_param: s\njoin: \"{value}\"\n",
                  "error: 'join': '{value}' belongs in 'pair' only");
    check_refused("type: recipe\nhash: md5\nsign_param: s\nafter: \"{timestamp}\"\n",
                  "error: {timestamp} needs 'timestamp' (its format)");
    check_refused("type: recipe\nhash: md5\nsign_param: s\ntimestamp_param: ts\n",
                  "recipe.yml:10:22: error: this needs 'timestamp' (its format)");
    check_refused("type: recipe\nhash: md5\nsign_param: s\nbefore: \"{nonce}\"\n",
                  "error: {nonce} needs 'nonce_param' or 'nonce_header'");
    check_refused("type: recipe\nhash: md5\nsign_param: s\ntimestamp: \"%Q\"\n",
                  "recipe.yml:10:16: error: 'timestamp' must be epoch, epoch_ms or a strftime");
    check_refused("type: recipe\nhash: md5\nsign_param: s\nadd: {v: [1, 2]}\n",
                  "recipe.yml:10:14: error: 'add': 'v' must be a single value, not a list");
    check_refused("type: recipe\nhash: sha512\nsign_param: s\n", "recipe.yml:8:11: error:");
    check_refused("type: recipe\nhash: md5\nsign_param: s\nnonce_param: n\nnonce_length: 4\n",
                  "recipe.yml:11:19: error:");
}

/* A pair template with literal braces, request order, epoch_ms and a random nonce. */
static void test_generated(void)
{
    sl_plan *plan = NULL;
    const sl_recipe *r = compile_yaml("type: recipe\n"
                                "hash: sha1\n"
                                "sort: none\n"
                                "params: [z, a]\n"
                                "pair: \"{{{key}:{value}}\"\n"
                                "after: \"|{nonce}|{timestamp}\"\n"
                                "timestamp: epoch_ms\n"
                                "nonce_header: X-Nonce\n"
                                "nonce_length: 20\n"
                                "sign_param: s\n",
                                &plan, NULL);
    CHECK(r != NULL);
    if (!r)
        return;
    sl_params *p = params_of("{\"a\": \"1\", \"z\": \"2\", \"other\": \"3\"}");
    sl_params *h = sl_params_new();
    sl_recipe_call call = {"GET", "/", NULL, 0, "", ""};
    sl_error err = {0};
    CHECK(sl_recipe_prepare(r, 1709222400123, NULL, &call, p, h, &err) == SL_OK);
    const char *nonce = sl_params_get(h, "X-Nonce");
    CHECK(nonce && strlen(nonce) == 20 && strspn(nonce, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
                                                       "nopqrstuvwxyz0123456789") == 20);
    char want[128];
    snprintf(want, sizeof want, "{z:2}{a:1}|%s|1709222400123", nonce ? nonce : "");
    text t = {.len = 0};
    CHECK(sl_recipe_write(r, p, &call, text_sink, &t));
    CHECK_STR(t.s, want);
    char first[SL_RECIPE_NONCE_MAX + 1];
    snprintf(first, sizeof first, "%s", call.nonce);
    CHECK(sl_recipe_prepare(r, 1709222400123, NULL, &call, p, h, &err) == SL_OK);
    CHECK(strcmp(first, call.nonce) != 0); /* 62^20 values: a repeat means no randomness */
    sl_params_free(p);
    sl_params_free(h);
    sl_plan_free(plan);
}

/* The request a recipe job builds: a form POST whose sign is TOP's (sl_sign_top, the built-in
 * signer, as the oracle) over everything sent; a recipe with a header is refused. */
static void test_request(void)
{
    set_env("TOP_APP_SECRET=helloworld TOP_APP_KEY=12345678 API_SECRET=s3cr3t-k3y");
    sl_plan *plan = compile_job("tests/unit/data/signing/top_md5.yml", NULL, NULL);
    json_t *filter = json_pack("{s:s,s:s,s:s}", "start_modified", "2024-01-01 00:00:00",
                               "end_modified", "2024-01-02 00:00:00", "buyer_nick", "");
    sl_page_req req = {.method = "taobao.trades.sold.get", .filter = filter,
                       .page_param = "page_no", .size_param = "page_size", .page_no = 1,
                       .page_size = 40, .now = 1704135845};
    sl_request out;
    sl_error err = {0};
    CHECK(plan && sl_request_build(&plan->source.signer, &req, &out, &err) == SL_OK);
    sl_params *sent = sl_params_new();
    char want[33];
    CHECK(plan && sl_params_parse_form(sent, out.body, out.body_len));
    sl_sign_top(sent, "helloworld", want);
    CHECK_STR(sl_params_get(sent, "sign"), want);
    CHECK_STR(sl_params_get(sent, "timestamp"), "2024-01-02 03:04:05");
    CHECK_STR(sl_params_get(sent, "app_key"), "12345678");
    CHECK_STR(sl_params_get(sent, "page_no"), "1");
    CHECK(strstr(out.body, "helloworld") == NULL);
    sl_params_free(sent);
    sl_request_clear(&out);
    sl_plan_free(plan);

    /* A recipe whose signature and timestamp go in headers, signing the method and the path:
     * the headers come with the built request, the signature over what is sent. */
    plan = compile_job("tests/unit/data/signing/canonical_request.yml", NULL, NULL);
    req.http_method = "GET";
    req.path = "/v2/orders";
    CHECK(plan && sl_request_build(&plan->source.signer, &req, &out, &err) == SL_OK);
    sent = sl_params_new();
    CHECK(plan && out.headers && sl_params_parse_form(sent, out.body, out.body_len));
    CHECK(out.headers && sl_params_count(out.headers) == 2);
    CHECK_STR(out.headers ? sl_params_get(out.headers, "X-Timestamp") : NULL, "1704135845");
    sl_recipe_call call = {.http_method = "GET", .path = "/v2/orders"};
    snprintf(call.timestamp, sizeof call.timestamp, "1704135845");
    char sig[SL_DIGEST_TEXT] = "";
    CHECK(plan && sl_recipe_compute(plan->source.signer.cfg, sent, &call, sig));
    CHECK_STR(out.headers ? sl_params_get(out.headers, "X-Signature") : NULL, sig);
    CHECK(sl_params_get(sent, "X-Signature") == NULL && strlen(sig) == 44);
    sl_params_free(sent);
    sl_request_clear(&out);
    sl_plan_free(plan);
    json_decref(filter);
}

int main(void)
{
    setenv("SLUICE_DB", "mysql://u@localhost/d", 1);
    test_refused();
    test_generated();
    test_request();
    for (size_t i = 0; i < sizeof vectors / sizeof *vectors; i++)
        check_vector(&vectors[i]);
    for (size_t i = 0; i < sizeof wdt_vectors / sizeof *wdt_vectors; i++)
        check_vector(&wdt_vectors[i]);
    return check_done();
}
