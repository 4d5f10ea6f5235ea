/* test_convert.c: every converter against hand-checked expected text: the sample values of
 * wdt-api.md 3 D, rounding, range and length overflow, bad input and the error text. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "convert.h"
#include "decimal.h"

static char got[70000];

/* Compiles spec or returns NULL with the error (and bad field) in got. */
static sl_conv *compile(const sl_conv_spec *spec)
{
    sl_error err = {0};
    const char *field = "?";
    sl_conv *c = sl_conv_compile(spec, &err, &field);
    if (!c)
        snprintf(got, sizeof got, "%s: %s", field, err.msg);
    return c;
}

/* Applies c to the JSON text in (NULL = missing): the cell text, "NULL" or "ERR: reason". */
static const char *apply(const sl_conv *c, const char *in)
{
    json_t *v = in ? json_loads(in, JSON_DECODE_ANY, NULL) : NULL;
    sl_rowset rs = {.n_cols = 2};
    sl_error err = {0};
    int32_t len;
    if (in && !v)
        return "BAD TEST JSON";
    sl_rowset_add_row(&rs);
    sl_rowset_set(&rs, 0, 0, "x", 1); /* a neighbour cell that must stay intact */
    int rc = sl_conv_apply(c, v, &rs, 0, 1, &err);
    const char *s = sl_rowset_get(&rs, 0, 1, &len);
    if (rc)
        snprintf(got, sizeof got, "ERR: %s", err.msg);
    else if (len < 0)
        snprintf(got, sizeof got, "NULL");
    else
        snprintf(got, sizeof got, "%.*s", (int)len, s);
    const char *nb = sl_rowset_get(&rs, 0, 0, &len);
    if (len != 1 || nb[0] != 'x')
        snprintf(got, sizeof got, "NEIGHBOUR CLOBBERED");
    free(rs.cells);
    free(rs.parent);
    free(rs.dead);
    free(rs.text);
    json_decref(v);
    return got;
}

#define T(type_) ((sl_conv_spec){.type = (type_)})

static void check_type(sl_conv_spec spec, const char *sql, const char *const *cases)
{
    sl_conv *c = compile(&spec);
    CHECK(c != NULL);
    if (!c) {
        fprintf(stderr, "  %s\n", got);
        return;
    }
    CHECK_STR(sl_conv_sql_type(c), sql);
    for (size_t i = 0; cases[i]; i += 2)
        CHECK_STR(apply(c, cases[i][0] == '\x01' ? NULL : cases[i]), cases[i + 1]);
    sl_conv_free(c);
}

#define MISSING "\x01"

static void test_int(void)
{
    const char *const ints[] = {"7", "7", "-2147483648", "-2147483648", "2147483647",
                                "2147483647", "2147483648",
                                "ERR: 2147483648 is out of range for INT", "\"42\"", "42",
                                "\"-0\"", "0", "5.0", "5", "5.5", "ERR: not an integer: 5.5",
                                "\"12a\"", "ERR: not an integer: \"12a\"", "\"\"", "NULL",
                                "null", "NULL", MISSING, "NULL", "true",
                                "ERR: expected an integer, got a boolean", "[1]",
                                "ERR: expected an integer, got an array", NULL};
    check_type(T("int"), "INT", ints);
    const char *const bigs[] = {"1130899", "1130899", "9223372036854775807",
                                "9223372036854775807", "\"-9223372036854775808\"",
                                "-9223372036854775808", "\"9223372036854775808\"",
                                "ERR: not an integer: \"9223372036854775808\"", "\"+12\"", "12",
                                "\" 12\"", "ERR: not an integer: \" 12\"", NULL};
    check_type(T("bigint"), "BIGINT", bigs);
}

static void test_decimal(void)
{
    const char *const d194[] = {
        /* wdt-api.md 3 D samples */
        "119.8", "119.8000", "59.9", "59.9000", "69", "69.0000", "35.5", "35.5000", "0",
        "0.0000", "2", "2.0000", "13.0000", "13.0000", "12.98", "12.9800",
        /* strings, exponents, rounding half away from zero */
        "\"12.98\"", "12.9800", "\"1e-3\"", "0.0010", "1e-3", "0.0010", "\"1.5E2\"", "150.0000",
        "0.00005", "0.0001", "0.00004999", "0.0000", "-0.00005", "-0.0001", "-0.00004", "0.0000",
        "1.23455", "1.2346", "\"1.23445\"", "1.2345", "\"-1.23445\"", "-1.2345",
        "\"9.99995\"", "10.0000", "\".5\"", "0.5000", "\"5.\"", "5.0000", "\"-0\"", "0.0000",
        "0.1", "0.1000", "0.3", "0.3000", "1234567.891", "1234567.8910",
        "\"000123.4500\"", "123.4500",
        /* range: 15 integer digits */
        "\"999999999999999.9999\"", "999999999999999.9999",
        "\"999999999999999.99995\"", "ERR: 999999999999999.99995 does not fit DECIMAL(19,4)",
        "1e15", "ERR: 1000000000000000 does not fit DECIMAL(19,4)",
        "123456789012345678", "ERR: 123456789012345678 does not fit DECIMAL(19,4)",
        /* bad input */
        "\"abc\"", "ERR: not a number: \"abc\"", "\"1.2.3\"", "ERR: not a number: \"1.2.3\"",
        "\"1e\"", "ERR: not a number: \"1e\"", "\"-\"", "ERR: not a number: \"-\"",
        "\"\"", "NULL", "null", "NULL", "true", "ERR: expected a number, got a boolean",
        "{}", "ERR: expected a number, got an object", NULL};
    check_type(T("decimal(19,4)"), "DECIMAL(19,4)", d194);
    const char *const d50[] = {"2.5", "3", "-2.5", "-3", "99999.4", "99999", "99999.5",
                               "ERR: 99999.5 does not fit DECIMAL(5,0)", "1e-300", "0",
                               "1.7976931348623157e308",
                               "ERR: value does not fit DECIMAL(5,0)", NULL};
    check_type(T("DECIMAL(5, 0)"), "DECIMAL(5,0)", d50);
    const char *const d22[] = {"0.995", "1.00", "0.994999", "0.99", "9.995",
                               "ERR: 9.995 does not fit DECIMAL(3,2)", "0.123", "0.12", NULL};
    check_type(T("decimal(3,2)"), "DECIMAL(3,2)", d22);
}

static void test_strings(void)
{
    const char *const v4[] = {"\"abcd\"", "abcd", "\"abcde\"",
                              "ERR: 5 characters, more than VARCHAR(4) holds", "\"红M袜子\"",
                              "红M袜子", "\"红M袜子!\"",
                              "ERR: 5 characters, more than VARCHAR(4) holds", "12", "12",
                              "12.5", "12.5", "true", "true", "\"\"", "", "{}",
                              "ERR: expected a string, got an object (use type json)", NULL};
    check_type(T("varchar(4)"), "VARCHAR(4)", v4);
    sl_conv_spec trunc = {.type = "varchar(3)", .on_overflow = "truncate"};
    const char *const v3[] = {"\"红M袜子\"", "红M袜", "\"abc\"", "abc", "\"ab\"", "ab",
                              "1234.5", "123", NULL};
    check_type(trunc, "VARCHAR(3)", v3);
    const char *const txt[] = {"\"中通\"", "中通", NULL};
    check_type(T("text"), "TEXT", txt);

    /* TEXT holds 65535 bytes: cut at a code-point boundary */
    char *big = malloc(70000);
    size_t n = 0;
    big[n++] = '"';
    for (int i = 0; i < 21846; i++) { /* 3 bytes each: 65538 bytes */
        memcpy(big + n, "\xe7\xba\xa2", 3);
        n += 3;
    }
    big[n++] = '"';
    big[n] = '\0';
    sl_conv_spec ts = {.type = "text", .on_overflow = "truncate"};
    sl_conv *c = compile(&ts);
    CHECK(c && strlen(apply(c, big)) == 65535);
    sl_conv_free(c);
    c = compile(&(sl_conv_spec){.type = "text"});
    CHECK_STR(apply(c, big), "ERR: 65538 bytes, more than TEXT holds (65535)");
    sl_conv_free(c);
    free(big);
}

static void test_datetime(void)
{
    sl_conv_spec ms = {.type = "datetime", .from = "epoch_ms", .timezone = "+08:00"};
    const char *const msv[] = {"1717208130000", "2024-06-01 10:15:30", "1717064400000",
                               "2024-05-30 18:20:00", "1717203599000", "2024-06-01 08:59:59",
                               "1717209605999", "2024-06-01 10:40:05", "\"1717209605000\"",
                               "2024-06-01 10:40:05", "0", "1970-01-01 08:00:00", "-1",
                               "1970-01-01 07:59:59", "\"\"", "NULL", "\"2024-06-01\"",
                               "ERR: not an epoch: \"2024-06-01\"", "1.5",
                               "ERR: not an integer: 1.5", "253402300800000",
                               "ERR: epoch ms 253402300800000 is outside DATETIME's range",
                               NULL};
    check_type(ms, "DATETIME", msv);
    sl_conv_spec s = {.type = "datetime", .from = "string"};
    const char *const sv[] = {"\"2024-06-01 09:02:11\"", "2024-06-01 09:02:11", "\"\"", "NULL",
                              "\"0000-00-00 00:00:00\"", "NULL", "\"2024-02-30 00:00:00\"",
                              "ERR: not a datetime YYYY-MM-DD HH:MM:SS: \"2024-02-30 00:00:00\"",
                              "\"2024-06-01T09:02:11\"",
                              "ERR: not a datetime YYYY-MM-DD HH:MM:SS: \"2024-06-01T09:02:11\"",
                              "1717208130000", "ERR: expected a datetime string, got a number",
                              NULL};
    check_type(s, "DATETIME", sv);
    sl_conv_spec sec = {.type = "datetime", .from = "epoch_s", .timezone = "-05:30"};
    const char *const secv[] = {"1717208130", "2024-05-31 20:45:30", "-9223372036854775808",
                                "ERR: epoch s -9223372036854775808 is outside DATETIME's range",
                                "-30610224000", "ERR: epoch s -30610224000 is outside DATETIME's range",
                                "-30610204200", "1000-01-01 00:00:00", NULL};
    check_type(sec, "DATETIME", secv);
    sl_conv_spec au = {.type = "datetime", .timezone = "UTC"};
    const char *const auv[] = {"1717208130000", "2024-06-01 02:15:30", "1717208130",
                               "2024-06-01 02:15:30", "\"1717208130\"", "2024-06-01 02:15:30",
                               "\"2024-06-01 10:15:30\"", "2024-06-01 10:15:30", NULL};
    check_type(au, "DATETIME", auv);
}

static void test_bool_enum_join_regex_json(void)
{
    const char *const bv[] = {"true", "1", "false", "0", "1", "1", "0", "0", "\"true\"", "1",
                              "\"0\"", "0", "2", "ERR: expected true/false or 0/1, got a number",
                              "\"yes\"", "ERR: not a boolean: \"yes\"", NULL};
    check_type(T("bool"), "TINYINT(1)", bv);

    json_t *map = json_loads("{\"1\":\"货款\",\"2\":\"邮费\",\"99\":\"返现\",\"x\":null,"
                             "\"true\":7}", 0, NULL);
    sl_conv_spec en = {.type = "enum", .map = map};
    const char *const ev[] = {"1", "货款", "\"2\"", "邮费", "99", "返现", "\"x\"", "NULL",
                              "true", "7", "3", "ERR: value \"3\" is not in the map", NULL};
    check_type(en, "VARCHAR(2)", ev);
    json_decref(map);

    sl_conv_spec jn = {.type = "join", .join = "|"};
    const char *const jv[] = {"[\"a\",\"b\",3,null,true]", "a|b|3|true", "[]", "", "\"solo\"",
                              "solo", "[[1]]", "ERR: join: element 0 is an array", NULL};
    check_type(jn, "TEXT", jv);
    sl_conv_spec j5 = {.type = "join(5)"};
    const char *const j5v[] = {"[\"ab\",\"cd\"]", "ab,cd", "[\"ab\",\"cde\"]",
                               "ERR: joined text of 6 characters is more than VARCHAR(5) holds",
                               NULL};
    check_type(j5, "VARCHAR(5)", j5v);

    sl_conv_spec rx = {.type = "regex(16)", .pattern = "last for (\\d+) more seconds"};
    const char *const rv[] = {"\"ban will last for 42 more seconds\"", "42", "\"no\"", "NULL",
                              NULL};
    check_type(rx, "VARCHAR(16)", rv);
    sl_conv_spec rx0 = {.type = "regex", .pattern = "[A-Z]+\\d", .has_group = true, .group = 0};
    const char *const r0v[] = {"\"tk TK2406 x\"", "TK2", NULL};
    check_type(rx0, "TEXT", r0v);

    /* A catastrophically backtracking pattern gives up at its match limit (was: a silent NULL
     * after ~25 ms at PCRE2's default limit): the record is rejected with the reason. */
    sl_conv_spec rxbad = {.type = "regex", .pattern = "^(a+)+$"};
    const char *const rbv[] = {"\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\"",
                               "ERR: the pattern gave up: match limit exceeded", "\"aaa\"", "aaa",
                               NULL};
    check_type(rxbad, "TEXT", rbv);

    const char *const jsv[] = {"{\"a\": [1, 2.5, \"红\"], \"b\": null}",
                               "{\"a\":[1,2.5,\"红\"],\"b\":null}", "\"s\"", "\"s\"", NULL};
    check_type(T("json"), "LONGTEXT", jsv);
}

static void check_compile_error(sl_conv_spec spec, const char *want)
{
    sl_conv *c = compile(&spec);
    CHECK(c == NULL);
    CHECK_STR(got, want);
    sl_conv_free(c);
}

static void test_compile_errors(void)
{
    check_compile_error(T("decimel(19,4)"), "type: unknown type 'decimel' (did you mean 'decimal'?)");
    check_compile_error(T("strng"), "type: unknown type 'strng'");
    check_compile_error(T("varchar"), "type: type varchar needs 1 argument, e.g. varchar(64)");
    check_compile_error(T("decimal(19)"), "type: type decimal needs 2 arguments, e.g. decimal(19,4)");
    check_compile_error(T("int(11)"), "type: type int takes no arguments");
    check_compile_error(T("decimal(4,5)"),
                        "type: decimal(4,5): precision must be 1..65 and scale 0..30, at most the precision");
    check_compile_error(T("varchar(0)"), "type: length 0 must be between 1 and 16383");
    check_compile_error(T("varchar(12"), "type: malformed type 'varchar(12': expected name or name(n) or name(p,s)");
    check_compile_error(((sl_conv_spec){.type = "datetime", .from = "epoc_ms"}),
                        "from: unknown from 'epoc_ms' (did you mean 'epoch_ms'?): expected string, epoch_ms, epoch_s or auto");
    check_compile_error(((sl_conv_spec){.type = "datetime", .timezone = "+8"}),
                        "timezone: bad timezone: expected +HH:MM, -HH:MM, Z or UTC");
    check_compile_error(((sl_conv_spec){.type = "int", .from = "string"}),
                        "from: 'from' does not apply to type int");
    check_compile_error(((sl_conv_spec){.type = "varchar(3)", .on_overflow = "cut"}),
                        "on_overflow: on_overflow must be error or truncate");
    check_compile_error(T("enum"), "type: type enum needs a 'map' of value: text");
    check_compile_error(T("regex"), "type: type regex needs a 'pattern'");
    check_compile_error(((sl_conv_spec){.type = "regex", .pattern = "(a"}),
                        "pattern: bad pattern at offset 2: missing closing parenthesis");
    check_compile_error(((sl_conv_spec){.type = "regex", .pattern = "(a)", .has_group = true, .group = 2}),
                        "group: group 2 does not exist: the pattern has 1 group");
    check_compile_error((sl_conv_spec){0}, "type: missing 'type'");
}

static void test_default_and_dump(void)
{
    sl_error err = {0};
    char *out = (char *)1;
    sl_conv_spec spec = {.type = "decimal(19,4)"};
    sl_conv *c = compile(&spec);
    json_t *zero = json_string("0"), *bad = json_string("zero");
    CHECK(sl_conv_default_text(c, zero, &out, &err) == 0);
    CHECK_STR(out, "0.0000");
    free(out);
    CHECK(sl_conv_default_text(c, json_null(), &out, &err) == 0 && out == NULL);
    CHECK(sl_conv_default_text(c, bad, &out, &err) == SL_ERR_CONFIG);
    CHECK_STR(err.msg, "not a number: \"zero\"");
    sl_conv_free(c);
    json_decref(zero);
    json_decref(bad);

    sl_conv_spec dt = {.type = "datetime", .from = "epoch_ms", .timezone = "+08:00"};
    c = compile(&dt);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sl_conv_dump(c, f);
    fclose(f);
    CHECK_STR(buf, "datetime -> DATETIME from=epoch_ms timezone=+08:00");
    CHECK_STR(sl_conv_name(c), "datetime");
    free(buf);
    sl_conv_free(c);
}

/* Shortest round-trip digits of doubles, checked against strtod. */
static void test_double_digits(void)
{
    const double vals[] = {0.1, 0.3, 119.8, 1e-5, 1.5e-10, 123456789.123, 5e-324,
                           1.7976931348623157e308, 9007199254740993.0, 0.1 + 0.2};
    const char *want[] = {"0.1", "0.3", "119.8", "0.00001", "0.00000000015", "123456789.123",
                          NULL, NULL, "9007199254740992", "0.30000000000000004"};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        sl_dec d;
        char buf[400];
        sl_dec_from_double(&d, vals[i]);
        int n = sl_dec_plain(&d, buf, sizeof buf);
        CHECK(n > 0);
        buf[n > 0 ? n : 0] = '\0';
        CHECK(strtod(buf, NULL) == vals[i]);
        if (want[i])
            CHECK_STR(buf, want[i]);
    }
}

/* A reason quotes at most 40 bytes of the value, cut on a character boundary, with control
 * characters escaped (issue 9 items 2 and 12): 18 Chinese characters are 54 bytes, and byte 40
 * falls inside the 14th. */
static void test_reason_excerpts(void)
{
    const char *const cases[] = {
        "\"一二三四五六七八九十一二三四五六七八\"",
        "ERR: not an integer: \"一二三四五六七八九十一二三...\"",
        "\"12\\u001b[2J\\r\\nforged\"", "ERR: not an integer: \"12\\x1b[2J\\r\\nforged\"",
        "\"😀😀😀😀😀😀😀😀😀😀😀\"", "ERR: not an integer: \"😀😀😀😀😀😀😀😀😀😀...\"",
        "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
        "ERR: not an integer: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"", NULL};
    check_type(T("int"), "INT", cases);
    const char *const bools[] = {"\"是是是是是是是是是是是是是是是\"",
                                 "ERR: not a boolean: \"是是是是是是是是是是是是是...\"", NULL};
    check_type(T("bool"), "TINYINT(1)", bools);
}

/* ISO-8601 record times (issue 11 item 5): the instant moves to the column's zone, or to the
 * job's when the column names none; no offset keeps the civil time; fractions are dropped.
 * Expected values checked by hand (and against Python's datetime.astimezone). */
static void test_datetime_iso(void)
{
    sl_conv_spec utc = {.type = "datetime", .timezone = "UTC"};
    const char *const uv[] = {
        "\"2024-03-03T15:23:32+08:00\"", "2024-03-03 07:23:32",
        "\"2024-03-03 15:23:32.123456+0800\"", "2024-03-03 07:23:32",
        "\"2024-03-03t15:23:32z\"", "2024-03-03 15:23:32",
        "\"2024-03-03T15:23:32+08\"", "2024-03-03 07:23:32",
        "\"2024-02-28T23:30:00-01:00\"", "2024-02-29 00:30:00",   /* into a leap day */
        "\"2023-02-28T23:30:00-01:00\"", "2023-03-01 00:30:00",   /* no leap day */
        "\"2024-03-01T00:00:00.999+05:30\"", "2024-02-29 18:30:00",
        "\"2024-01-01T00:00:00+05:45\"", "2023-12-31 18:15:00",
        "\"2024-01-01T00:00:00-00:00\"", "2024-01-01 00:00:00",
        "\"2024-06-01T09:02:11\"", "2024-06-01 09:02:11",         /* no zone: as written */
        "\"2024-06-01T09:02:11,5\"", "2024-06-01 09:02:11",
        "\"2024-06-01 09:02:11\"", "2024-06-01 09:02:11",
        "\"9999-12-31T23:00:00-05:00\"",
        "ERR: \"9999-12-31T23:00:00-05:00\" is outside DATETIME's range in UTC",
        "\"2024-03-03T15:23:32+8:00\"",
        "ERR: not a datetime (YYYY-MM-DD HH:MM:SS or ISO-8601): \"2024-03-03T15:23:32+8:00\"",
        "\"2024-03-03T15:23:32.+08:00\"",
        "ERR: not a datetime (YYYY-MM-DD HH:MM:SS or ISO-8601): \"2024-03-03T15:23:32.+08:00\"",
        "\"2024-03-03T15:23:32+24:00\"",
        "ERR: not a datetime (YYYY-MM-DD HH:MM:SS or ISO-8601): \"2024-03-03T15:23:32+24:00\"",
        "\"2024-02-30T00:00:00Z\"",
        "ERR: not a datetime (YYYY-MM-DD HH:MM:SS or ISO-8601): \"2024-02-30T00:00:00Z\"",
        "\"2024-03-03T15:23:32+08:00 \"",
        "ERR: not a datetime (YYYY-MM-DD HH:MM:SS or ISO-8601): \"2024-03-03T15:23:32+08:00 \"",
        NULL};
    check_type(utc, "DATETIME", uv);
    sl_conv_spec east = {.type = "datetime", .from = "auto", .timezone = "+08:00"};
    const char *const ev[] = {"\"2024-03-03T15:23:32+08:00\"", "2024-03-03 15:23:32",
                              "\"2024-03-03T15:23:32Z\"", "2024-03-03 23:23:32",
                              "\"2023-12-31T20:00:00-05:00\"", "2024-01-01 09:00:00",
                              "\"2100-02-28T20:00:00-05:00\"", "2100-03-01 09:00:00",
                              NULL};
    check_type(east, "DATETIME", ev);
    sl_conv_spec west = {.type = "datetime", .timezone = "-05:30"};
    const char *const wv[] = {"\"2024-03-03T15:23:32+08:00\"", "2024-03-03 01:53:32", NULL};
    check_type(west, "DATETIME", wv);
    /* No column zone: offsets go to the job's zone; epochs keep today's +00:00. */
    sl_conv_spec job = {.type = "datetime", .job_timezone = "+08:00"};
    const char *const jv[] = {"\"2024-03-03T07:23:32Z\"", "2024-03-03 15:23:32",
                              "\"2024-03-03T07:23:32.250Z\"", "2024-03-03 15:23:32",
                              "\"2024-03-03T15:23:32+08:00\"", "2024-03-03 15:23:32",
                              "\"2024-03-03T15:23:32\"", "2024-03-03 15:23:32",
                              "1709450612", "2024-03-03 07:23:32",
                              "1717208130", "2024-06-01 02:15:30", NULL};
    check_type(job, "DATETIME", jv);
    sl_conv_spec own = {.type = "datetime", .timezone = "UTC", .job_timezone = "+08:00"};
    const char *const ov[] = {"\"2024-03-03T07:23:32Z\"", "2024-03-03 07:23:32",
                              "\"2024-03-02 18:23:32-0500\"", "2024-03-02 23:23:32", NULL};
    check_type(own, "DATETIME", ov);
}

/* Minor units (fen, cents) to DECIMAL(p,s): exact at any size, never through a double. */
static void test_minor(void)
{
    const char *const m2[] = {
        "1999", "19.99", "\"1999\"", "19.99", "-1999", "-19.99", "\"-5\"", "-0.05", "5", "0.05",
        "0", "0.00", "\"+0001999\"", "19.99", "1999.0", "19.99", "\"\"", "NULL",
        "9223372036854775807", "92233720368547758.07",
        "-9223372036854775808", "-92233720368547758.08",
        "\"9223372036854775807\"", "92233720368547758.07",
        "\"123456789012345678901\"", "ERR: 1234567890123456789.01 does not fit DECIMAL(19,2)",
        "\"19.99\"", "ERR: not a whole number of minor units: \"19.99\"",
        "\"1e3\"", "ERR: not a whole number of minor units: \"1e3\"",
        "\"-\"", "ERR: not a whole number of minor units: \"-\"",
        "19.5", "ERR: not an exact whole number of minor units: 19.5",
        "1e300", "ERR: not an exact whole number of minor units: 1.0000000000000001e+300",
        "true", "ERR: expected a whole number of minor units, got a boolean",
        NULL};
    check_type(T("minor(19,2)"), "DECIMAL(19,2)", m2);
    const char *const big[] = {"\"123456789012345678901234567890\"",
                               "1234567890123456789012345678.90", NULL};
    check_type(T("minor(30,2)"), "DECIMAL(30,2)", big);
    const char *const small[] = {"99999", "999.99", "100000", "ERR: 1000 does not fit DECIMAL(5,2)",
                                 "-100000", "ERR: -1000 does not fit DECIMAL(5,2)", NULL};
    check_type(T("minor(5,2)"), "DECIMAL(5,2)", small);
    const char *const s0[] = {"1999", "1999", NULL};
    check_type(T("minor(10,0)"), "DECIMAL(10,0)", s0);
    const char *const s4[] = {"1999", "0.1999", "-1", "-0.0001", NULL};
    check_type(T("minor(19,4)"), "DECIMAL(19,4)", s4);
    check_compile_error(T("minor(19)"), "type: type minor needs 2 arguments, e.g. minor(19,2)");
    check_compile_error(T("minor(2,3)"),
                        "type: minor(2,3): precision must be 1..65 and scale 0..30, at most the precision");
}

/* verify's view of a window [2024-06-01 00:00:00, 23:59:59] +08:00 in each kind of column. */
static void test_window_ranges(void)
{
    const int64_t from = 1717171200, to = 1717257599;
    sl_window_plan wp = {.format = "%Y-%m-%d %H:%M:%S", .tz_offset_s = 8 * 3600};
    sl_conv_range r[2];
    struct {
        sl_conv_spec spec;
        const char *format;
        int n;
        const char *lo0, *hi0, *lo1, *hi1;
    } cases[] = {
        {{.type = "datetime", .from = "epoch_ms", .timezone = "+08:00"}, NULL, 1,
         "2024-06-01 00:00:00", "2024-06-01 23:59:59", NULL, NULL},
        {{.type = "datetime", .from = "epoch_ms"}, NULL, 1, /* stored in +00:00 */
         "2024-05-31 16:00:00", "2024-06-01 15:59:59", NULL, NULL},
        {{.type = "datetime", .from = "string", .timezone = "UTC"}, NULL, 1, /* as the API wrote */
         "2024-06-01 00:00:00", "2024-06-01 23:59:59", NULL, NULL},
        {{.type = "datetime", .job_timezone = "+08:00"}, NULL, 1,
         "2024-06-01 00:00:00", "2024-06-01 23:59:59", NULL, NULL},
        {{.type = "datetime", .timezone = "-05:00", .job_timezone = "+08:00"}, NULL, 1,
         "2024-05-31 11:00:00", "2024-06-01 10:59:59", NULL, NULL},
        {{.type = "bigint"}, NULL, 2, "1717171200", "1717257599", "1717171200000",
         "1717257599999"},
        {{.type = "varchar(32)"}, NULL, 1, "2024-06-01 00:00:00", "2024-06-01 23:59:59", NULL,
         NULL},
        {{.type = "varchar(32)"}, "iso8601", 1, "2024-06-01T00:00:00+08:00",
         "2024-06-01T23:59:59+08:00", NULL, NULL},
        {{.type = "text"}, "epoch_ms", 1, "1717171200000", "1717257599000", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        sl_conv *c = compile(&cases[i].spec);
        CHECK(c != NULL);
        if (!c)
            continue;
        wp.format = cases[i].format ? (char *)cases[i].format : "%Y-%m-%d %H:%M:%S";
        CHECK(sl_conv_window_ranges(c, &wp, from, to, r) == cases[i].n);
        CHECK_STR(r[0].lo, cases[i].lo0);
        CHECK_STR(r[0].hi, cases[i].hi0);
        if (cases[i].n == 2) {
            CHECK_STR(r[1].lo, cases[i].lo1);
            CHECK_STR(r[1].hi, cases[i].hi1);
        }
        sl_conv_free(c);
    }
}

int main(void)
{
    test_reason_excerpts();
    test_int();
    test_decimal();
    test_strings();
    test_datetime();
    test_bool_enum_join_regex_json();
    test_compile_errors();
    test_default_and_dump();
    test_double_digits();
    test_datetime_iso();
    test_minor();
    test_window_ranges();
    return check_done();
}
