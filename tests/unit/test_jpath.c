/* test_jpath.c: path compilation (errors with columns) and evaluation, including [*]. */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "jpath.h"

static json_t *doc;

static const json_t *get(const char *text)
{
    sl_error err = {0};
    sl_jpath *p = sl_jpath_compile(text, &err);
    if (!p) {
        fprintf(stderr, "compile %s: %s\n", text, err.msg);
        return NULL;
    }
    const json_t *v = sl_jpath_get(p, doc);
    sl_jpath_free(p);
    return v;
}

static void check_error(const char *text, const char *want)
{
    sl_error err = {0};
    sl_jpath *p = sl_jpath_compile(text, &err);
    CHECK(p == NULL);
    CHECK_STR(err.msg, want);
    sl_jpath_free(p);
}

static int sum_ints(const json_t *item, void *ctx)
{
    *(long long *)ctx += json_integer_value(json_object_get(item, "n"));
    return 0;
}

static int stop_at_second(const json_t *item, void *ctx)
{
    (void)item;
    return ++*(int *)ctx == 2 ? 42 : 0;
}

static void test_get(void)
{
    CHECK(json_integer_value(get("a.b.c")) == 7);
    CHECK(json_integer_value(get("$.a.b.c")) == 7);
    CHECK(json_integer_value(get("items[1].n")) == 2);
    CHECK_STR(json_string_value(get("\"odd key\".x")), "y");
    CHECK_STR(json_string_value(get("\"q\\\"k\"")), "quoted");
    CHECK(json_integer_value(get("m[0][1]")) == 4);
    CHECK(json_integer_value(get("金额.分")) == 5);
    CHECK(json_is_object(get("$")));
    CHECK(get("a.missing") == NULL);
    CHECK(get("items[9].n") == NULL);
    CHECK(get("a.b.c.d") == NULL);  /* through a scalar */
    CHECK(get("a[0]") == NULL);     /* index into an object */
    CHECK(get("items.n") == NULL);  /* key into an array */
    CHECK(get("items[*].n") == NULL); /* multi paths use each */
}

static void test_each(void)
{
    sl_jpath *p = sl_jpath_compile("items[*]", NULL);
    long long sum = 0;
    int seen = 0;
    CHECK(p && sl_jpath_is_multi(p));
    CHECK_STR(sl_jpath_text(p), "items[*]");
    CHECK(sl_jpath_count(p, doc) == 3);
    CHECK(sl_jpath_each(p, doc, sum_ints, &sum) == 0);
    CHECK(sum == 6);
    CHECK(sl_jpath_each(p, doc, stop_at_second, &seen) == 42 && seen == 2);
    sl_jpath_free(p);

    p = sl_jpath_compile("m[*][*]", NULL);
    CHECK(p && sl_jpath_count(p, doc) == 4);
    sl_jpath_free(p);
    p = sl_jpath_compile("none[*]", NULL);
    CHECK(p && sl_jpath_count(p, doc) == 0);
    sl_jpath_free(p);
    p = sl_jpath_compile("a.b", NULL);
    CHECK(p && !sl_jpath_is_multi(p) && sl_jpath_count(p, doc) == 1);
    CHECK(sl_jpath_count(p, NULL) == 0);
    sl_jpath_free(p);
}

static void test_errors(void)
{
    check_error("", "col 1: empty path");
    check_error("a..b", "col 3: expected a key");
    check_error("a.", "col 3: expected a key at the end");
    check_error("a[x]", "col 3: expected an array index or '*'");
    check_error("a[1", "col 4: expected ']'");
    check_error("a b", "col 2: expected '.' or '['");
    check_error("\"open", "col 1: unterminated quoted key");
    check_error("a[99999999999]", "col 3: array index too large");
}

int main(void)
{
    doc = json_loads("{\"a\":{\"b\":{\"c\":7}},\"items\":[{\"n\":1},{\"n\":2},{\"n\":3}],"
                     "\"odd key\":{\"x\":\"y\"},\"q\\\"k\":\"quoted\",\"金额\":{\"分\":5},\"m\":[[3,4],[5,6]]}",
                     0, NULL);
    CHECK(doc != NULL);
    test_get();
    test_each();
    test_errors();
    json_decref(doc);
    return check_done();
}
