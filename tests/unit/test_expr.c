/* Unit tests of error-rule conditions: parsing errors with columns, and evaluation against
 * the replies of wdt-api.md (gateway failures, WDT throttles, success). */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "headers.h"
#include "expr.h"

static bool eval_on(const char *cond, const char *reply)
{
    sl_error err = {0};
    int col = 0;
    sl_expr *e = sl_expr_compile(cond, &err, &col);
    json_t *doc = json_loads(reply, 0, NULL);
    if (!e || !doc) {
        fprintf(stderr, "setup failed for %s: %s\n", cond, e ? "bad json" : err.msg);
        check_failed_count++;
        sl_expr_free(e);
        json_decref(doc);
        return false;
    }
    bool r = sl_expr_eval(e, doc);
    sl_expr_free(e);
    json_decref(doc);
    return r;
}

/* Compiles cond expecting failure; returns the error column (0 when it compiled). */
static int error_col(const char *cond, sl_error *err)
{
    int col = 0;
    *err = (sl_error){0};
    sl_expr *e = sl_expr_compile(cond, err, &col);
    if (e) {
        sl_expr_free(e);
        return 0;
    }
    return col;
}

/* Evaluates cond on a reply of HTTP status with this body; false when it doesn't compile. */
static bool eval_status(const char *cond, long status, const char *reply)
{
    sl_error err = {0};
    sl_expr *e = sl_expr_compile(cond, &err, NULL);
    json_t *doc = json_loads(reply, JSON_DECODE_ANY, NULL);
    bool r = e && doc && sl_expr_eval_reply(e, doc, status);
    CHECK(e != NULL && doc != NULL);
    sl_expr_free(e);
    json_decref(doc);
    return r;
}

/* @header.NAME: a reply header's value, any case, compared as a string or a number. */
static void test_header(void)
{
    static sl_headers h;
    sl_headers_clear(&h);
    const char *lines[] = {"HTTP/1.1 429 Too Many\r\n", "X-Rate-Limit-Remaining: 0\r\n",
                           "X-Mode:  slow down \r\n", "\r\n"};
    for (size_t i = 0; i < 4; i++)
        sl_headers_add_line(&h, lines[i], strlen(lines[i]));
    sl_error err = {0};
    struct {
        const char *cond;
        bool want;
    } cases[] = {
        {"@header.x-rate-limit-remaining == 0", true},
        {"@header.X-RATE-LIMIT-REMAINING < 1 && @status == 429", true},
        {"@header.x-mode == \"slow down\"", true},
        {"@header.x-mode =~ \"^slow\"", true},
        {"@header.x-absent", false},
        {"@header.x-absent != 1", true},
        {"!@header.x-absent", true},
        {"@header.x-rate-limit-remaining > 0", false},
    };
    json_t *doc = json_object();
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sl_expr *e = sl_expr_compile(cases[i].cond, &err, NULL);
        CHECK(e != NULL);
        bool got = e && sl_expr_eval_http(e, doc, 429, &h);
        if (got != cases[i].want)
            fprintf(stderr, "header case %zu: %s\n", i, cases[i].cond);
        CHECK(got == cases[i].want);
        CHECK(!e || !sl_expr_eval_reply(e, doc, 429) || !cases[i].want ||
              strstr(cases[i].cond, "absent")); /* no headers: none is present */
        sl_expr_free(e);
    }
    json_decref(doc);
    CHECK(error_col("a == 1 && @header. == 2", &err) == 19);
    CHECK(error_col("@headers.x == 2", &err) == 1);
}

/* @status: the reply's HTTP status; 200 for sl_expr_eval; only conditions naming it read it. */
static void test_status(void)
{
    const char *wide = "@status == 422 && error == \"range_too_wide\"";
    CHECK(eval_status(wide, 422, "{\"error\":\"range_too_wide\"}"));
    CHECK(!eval_status(wide, 200, "{\"error\":\"range_too_wide\"}"));
    CHECK(!eval_status(wide, 422, "\"range_too_wide\""));
    CHECK(eval_status("@status >= 500 || @status == 401", 401, "null"));
    CHECK(!eval_status("@status >= 500", 404, "null"));
    CHECK(eval_status("@status", 404, "{}"));
    CHECK(eval_on("@status == 200", "{}"));
    sl_error err = {0};
    sl_expr *e = sl_expr_compile("@status == 1", &err, NULL);
    CHECK(e && sl_expr_uses_status(e));
    sl_expr_free(e);
    e = sl_expr_compile("status == 1", &err, NULL);
    CHECK(e && !sl_expr_uses_status(e));
    sl_expr_free(e);
    CHECK(error_col("@stat == 1", &err) == 1);
    CHECK(error_col("a == 1 && @statuses == 2", &err) == 11);
}

static const char limited[] =
    "{\"response\":{\"flag\":\"failure\",\"code\":7,\"message\":\"App Call Limited\","
    "\"sub_message\":\"This ban will last for 1 more seconds\"}}";
static const char badsign[] =
    "{\"response\":{\"flag\":\"failure\",\"code\":25,\"message\":\"Invalid signature\"}}";
static const char wdt_busy[] =
    "{\"response\":{\"status\":100,\"message\":\"超过每分钟最大调用频率限制，请稍后重试\"}}";
static const char wdt_ok[] = "{\"response\":{\"status\":0,\"data\":{\"total_count\":2}}}";
static const char code_text[] = "{\"response\":{\"code\":\"7\",\"ok\":true,\"n\":null}}";

int main(void)
{
    const char *throttle = "response.flag == \"failure\" && response.code == 7";
    CHECK(eval_on(throttle, limited));
    CHECK(!eval_on(throttle, badsign));
    CHECK(!eval_on(throttle, wdt_busy)); /* flag missing: unequal */
    const char *busy = "response.status == 100 && response.message =~ \"频率|并发\"";
    CHECK(eval_on(busy, wdt_busy));
    CHECK(!eval_on(busy, wdt_ok));
    /* missing paths compare unequal to everything */
    CHECK(eval_on("response.status != 0", limited));
    CHECK(!eval_on("response.status == 0", limited));
    CHECK(!eval_on("response.status < 1", limited));
    CHECK(eval_on("response.message !~ \"x\"", wdt_ok));
    CHECK(!eval_on("response.status != 0", wdt_ok));
    /* precedence: && binds tighter than ||; ! and parentheses */
    CHECK(eval_on("response.code == 25 || response.code == 7 && response.flag == \"x\"", badsign));
    CHECK(!eval_on("(response.code == 25 || response.code == 7) && response.flag == \"x\"",
                   badsign));
    CHECK(eval_on("!(response.code == 7)", badsign));
    CHECK(eval_on("!response.missing", badsign));
    CHECK(eval_on("response.flag", badsign)); /* a lone operand: present and non-empty */
    /* numbers against numeric strings; booleans; null; orderings */
    CHECK(eval_on("response.code == 7", code_text));
    CHECK(eval_on("response.code >= 6.5", code_text));
    CHECK(eval_on("response.ok == true && response.n == null", code_text));
    CHECK(!eval_on("response.ok == false", code_text));
    CHECK(eval_on("response.code =~ \"^7$\"", code_text));
    CHECK(eval_on("response.status =~ \"^1\\d\\d$\"", wdt_busy)); /* numbers matched as text */
    CHECK(eval_on("response.message == \"Invalid signature\"", badsign));
    /* A match that gives up at its limit decides nothing: =~ and !~ are both false (it was a
     * silent no-match, so !~ held). */
    const char *aaa = "{\"m\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"}";
    CHECK(!eval_on("m =~ \"^(a+)+$\"", aaa));
    CHECK(!eval_on("m !~ \"^(a+)+$\"", aaa));
    CHECK(eval_on("m !~ \"^(a+)+$\"", "{\"m\":\"b\"}"));

    sl_error err;
    CHECK(error_col("response.code = 7", &err) == 15);
    CHECK(error_col("response.code == ", &err) == 18);
    CHECK_STR(err.msg, "unexpected end of condition");
    CHECK(error_col("(response.code == 7", &err) == 20);
    CHECK_STR(err.msg, "expected ')'");
    CHECK(error_col("response.message =~ \"(\"", &err) == 23);
    CHECK(error_col("response.message =~ 7", &err) == 21);
    CHECK(error_col("items[*].x == 1", &err) == 1);
    CHECK(error_col("response.message == \"unterminated", &err) == 21);
    CHECK(error_col("\"频率\" == x y", &err) == 11); /* columns count characters */
    CHECK(error_col("", &err) == 1);
    /* The tree stays small, so evaluating and freeing it never recurse deep. */
    char chain[2048] = "x == 0";
    for (int i = 1; i < 100; i++)
        snprintf(chain + strlen(chain), sizeof chain - strlen(chain), " || x == %d", i);
    CHECK(error_col(chain, &err) > 1);
    CHECK_STR(err.msg, "condition too complex: at most 256 operands and operators");
    test_status();
    test_header();
    return check_done();
}
