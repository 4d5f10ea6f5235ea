/* test_transform.c: the two sample records of wdt-api.md 3 D through a plan built by hand with
 * the columns of mappings/wdt_refund.yml; every cell checked against hand-derived values;
 * rejects (conversion, required, child) leave no rows; a key seen twice keeps the newer rows. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "compile.h"
#include "convert.h"
#include "jpath.h"
#include "text.h"
#include "transform.h"

typedef struct coldef {
    const char *name, *type, *from, *overflow, *def;
    bool required;
} coldef;

#define MS "epoch_ms"
static const coldef parent_defs[] = {
    {"refund_id", "bigint", 0, 0, 0, true},      {"src_tids", "varchar(1024)", 0, 0, 0, 0},
    {"refund_no", "varchar(64)", 0, 0, 0, 0},    {"remark", "varchar(1024)", 0, "truncate", 0, 0},
    {"type", "int", 0, 0, 0, 0},                 {"stockin_status", "int", 0, 0, 0, 0},
    {"flag_name", "varchar(64)", 0, 0, 0, 0},    {"return_goods_count", "decimal(19,4)", 0, 0, "0", 0},
    {"receiver_telno", "varchar(64)", 0, 0, 0, 0}, {"receiver_name", "varchar(128)", 0, 0, 0, 0},
    {"modified", "datetime", MS, 0, 0, true},    {"note_count", "int", 0, 0, 0, 0},
    {"shop_no", "varchar(64)", 0, 0, 0, 0},      {"from_type", "int", 0, 0, 0, 0},
    {"created", "datetime", MS, 0, 0, 0},        {"settle_time", "datetime", "string", 0, 0, 0},
    {"check_time", "datetime", "string", 0, 0, 0}, {"return_logistics_no", "varchar(64)", 0, 0, 0, 0},
    {"trade_no_list", "varchar(1024)", 0, 0, 0, 0}, {"guarantee_refund_amount", "decimal(19,4)", 0, 0, "0", 0},
    {"return_goods_amount", "decimal(19,4)", 0, 0, "0", 0}, {"return_logistics_name", "varchar(64)", 0, 0, 0, 0},
    {"reason_name", "varchar(128)", 0, 0, 0, 0}, {"refund_reason", "varchar(255)", 0, 0, 0, 0},
    {"buyer_nick", "varchar(128)", 0, 0, 0, 0},  {"operator_name", "varchar(64)", 0, 0, 0, 0},
    {"actual_refund_amount", "decimal(19,4)", 0, 0, "0", 0}, {"revert_reason_name", "varchar(128)", 0, 0, 0, 0},
    {"return_warehouse_no", "varchar(64)", 0, 0, 0, 0}, {"direct_refund_amount", "decimal(19,4)", 0, 0, "0", 0},
    {"receive_amount", "decimal(19,4)", 0, 0, "0", 0}, {"customer_name", "varchar(128)", 0, 0, 0, 0},
    {"fenxiao_nick_name", "varchar(128)", 0, 0, "", 0}, {"status", "int", 0, 0, 0, 0},
    {"shop_id", "int", 0, 0, 0, 0},              {"trade_id", "bigint", 0, 0, 0, 0},
    {"raw_refund_nos", "varchar(1024)", 0, 0, 0, 0}, {"pay_id", "varchar(64)", 0, 0, 0, 0},
    {"provider_refund_no", "varchar(64)", 0, 0, 0, 0},
};
static const coldef child_defs[] = {
    {"rec_id", "bigint", 0, 0, 0, true},         {"refund_id", NULL, 0, 0, 0, 0},
    {"oid", "varchar(64)", 0, 0, 0, 0},          {"tid", "varchar(64)", 0, 0, 0, 0},
    {"trade_no", "varchar(64)", 0, 0, 0, 0},     {"goods_no", "varchar(64)", 0, 0, 0, 0},
    {"goods_name", "varchar(255)", 0, "truncate", 0, 0}, {"spec_no", "varchar(64)", 0, 0, 0, 0},
    {"spec_name", "varchar(255)", 0, "truncate", 0, 0}, {"barcode", "varchar(64)", 0, 0, 0, 0},
    {"num", "decimal(19,4)", 0, 0, "0", 0},      {"price", "decimal(19,4)", 0, 0, "0", 0},
    {"original_price", "decimal(19,4)", 0, 0, "0", 0}, {"refund_num", "decimal(19,4)", 0, 0, "0", 0},
    {"total_amount", "decimal(19,4)", 0, 0, "0", 0}, {"refund_amount", "decimal(19,4)", 0, 0, "0", 0},
    {"is_guarantee", "bool", 0, 0, 0, 0},        {"created", "datetime", "string", 0, 0, 0},
    {"modified", "datetime", MS, 0, 0, 0},
};
#define N_PARENT (sizeof parent_defs / sizeof parent_defs[0])
#define N_CHILD (sizeof child_defs / sizeof child_defs[0])

static sl_column pcols[N_PARENT], ccols[N_CHILD];
static size_t pkey[1] = {0}, ckey[1] = {0};
static sl_table child_table;
static sl_plan plan;

static void build_columns(const coldef *defs, size_t n, sl_column *cols)
{
    for (size_t i = 0; i < n; i++) {
        cols[i] = (sl_column){.name = (char *)defs[i].name, .from_parent = -1,
                              .required = defs[i].required};
        if (!defs[i].type) {
            cols[i].from_parent = 0; /* refund_id */
            continue;
        }
        sl_conv_spec spec = {.type = defs[i].type, .from = defs[i].from,
                             .on_overflow = defs[i].overflow,
                             .timezone = defs[i].from && strcmp(defs[i].from, MS) == 0 ? "+08:00" : NULL};
        cols[i].path = sl_jpath_compile(defs[i].name, NULL);
        cols[i].conv = sl_conv_compile(&spec, &(sl_error){0}, NULL);
        CHECK(cols[i].path && cols[i].conv);
        if (defs[i].def) {
            json_t *d = json_string(defs[i].def);
            CHECK(sl_conv_default_text(cols[i].conv, d, &cols[i].default_text, &(sl_error){0}) == 0);
            json_decref(d);
        }
    }
}

static void free_columns(sl_column *cols, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        sl_jpath_free(cols[i].path);
        sl_conv_free(cols[i].conv);
        free(cols[i].default_text);
    }
}

static void build_plan(void)
{
    build_columns(parent_defs, N_PARENT, pcols);
    build_columns(child_defs, N_CHILD, ccols);
    child_table = (sl_table){.name = "aftersales_refund_refund_search_detail", .cols = ccols,
                             .n_cols = N_CHILD, .key = ckey, .n_key = 1,
                             .each = sl_jpath_compile("detail_list[*]", NULL)};
    plan = (sl_plan){.name = "wdt_refund",
                     .table = {.name = "aftersales_refund_refund_search", .cols = pcols,
                               .n_cols = N_PARENT, .key = pkey, .n_key = 1},
                     .children = &child_table, .n_children = 1};
}

/* Row `row` of rs as "a|b|NULL|..." */
static const char *row_text(const sl_rowset *rs, size_t row)
{
    static char buf[4096];
    size_t n = 0;
    for (size_t c = 0; c < rs->n_cols; c++) {
        int32_t len;
        const char *s = sl_rowset_get(rs, row, c, &len);
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%.*s", c ? "|" : "",
                              len < 0 ? 4 : (int)len, len < 0 ? "NULL" : s);
    }
    return buf;
}

static const char *const want_parent[2] = {
    "1130899|T20240530001|TK2406010001||2|1|无|2.0000|18621578833|Tony|2024-06-01 10:15:30|0|"
    "shop01|0|2024-05-30 18:20:00|NULL|2024-06-01 09:02:11|238943957239|JY2405300012|119.8000|"
    "119.8000|中通|无|7|lj|系统|119.8000|无|wh01|0.0000|0.0000|lj||30|711|2740715|RR9001|"
    "1495759864643715076|",
    "1130950|T20240531009|TK2406010007|未发货退款|1|0|无|0.0000|||2024-06-01 10:40:05|1|shop02|0|"
    "2024-06-01 08:59:59|2024-06-01 10:40:05|2024-06-01 09:02:11||JY2405310044|35.5000|0.0000||"
    "不想要了|不想要了||系统|35.5000|无|wh01|0.0000|0.0000||分销A|90|712|2741002|RR9007||",
};
static const char *const want_child[2] = {
    "1137182|1130899|O20240530001|T20240530001|JY2405300012|G001|T恤|G001-RED-M|红 M|"
    "6900000000017|2.0000|59.9000|69.0000|2.0000|119.8000|119.8000|1|2024-05-30 18:20:00|"
    "2024-06-01 10:15:30",
    "1137301|1130950|O20240531009|T20240531009|JY2405310044|G002|袜子|G002-BLK|黑|"
    "6900000000024|1.0000|35.5000|39.0000|1.0000|35.5000|35.5000|1|2024-05-31 20:00:00|"
    "2024-06-01 10:40:05",
};

static json_t *records(void)
{
    json_error_t je;
    json_t *page = json_load_file("tests/unit/data/wdt_sample_page.json", 0, &je);
    CHECK(page != NULL);
    json_t *order = json_object_get(json_object_get(json_object_get(page, "response"), "data"),
                                    "order");
    json_incref(order);
    json_decref(page);
    return order;
}

static void test_samples(sl_batch *b, json_t *order)
{
    sl_error err = {0};
    for (size_t i = 0; i < 2; i++)
        CHECK(sl_transform_record(&plan, json_array_get(order, i), b, &err) == 0);
    sl_rowset *p = sl_batch_parent(b), *c = sl_batch_child(b, 0);
    CHECK(p->n_rows == 2 && c->n_rows == 2 && sl_batch_rejects(b)->n_rows == 0);
    for (size_t i = 0; i < 2; i++) {
        CHECK_STR(row_text(p, i), want_parent[i]);
        CHECK_STR(row_text(c, i), want_child[i]);
        CHECK(c->parent[i] == i);
    }
}

/* A broken copy of record 0 is rejected with this column and reason; no rows remain. */
static void check_reject(sl_batch *b, json_t *order, const char *field, json_t *value,
                         bool in_detail, const char *key, const char *column, const char *reason)
{
    sl_error err = {0};
    json_t *rec = json_deep_copy(json_array_get(order, 0));
    json_t *obj = in_detail ? json_array_get(json_object_get(rec, "detail_list"), 0) : rec;
    if (value)
        json_object_set_new(obj, field, value);
    else
        json_object_del(obj, field);
    sl_rowset *p = sl_batch_parent(b), *c = sl_batch_child(b, 0), *rj = sl_batch_rejects(b);
    size_t prows = p->n_rows, ptext = p->text_len, crows = c->n_rows, ctext = c->text_len;
    size_t rrow = rj->n_rows;
    CHECK(sl_transform_record(&plan, rec, b, &err) == 1);
    CHECK(p->n_rows == prows && p->text_len == ptext && c->n_rows == crows && c->text_len == ctext);
    CHECK(rj->n_rows == rrow + 1);
    int32_t len;
    const char *raw = sl_rowset_get(rj, rrow, SL_REJ_RAW, &len);
    json_t *back = json_loadb(raw, (size_t)len, 0, NULL);
    CHECK(back && json_equal(back, rec)); /* the raw JSON is the record itself */
    json_decref(back);
    char want[512];
    snprintf(want, sizeof want, "%s|%s|%s", key, column, reason);
    char got[512];
    snprintf(got, sizeof got, "%s", row_text(rj, rrow));
    *strrchr(got, '|') = '\0'; /* drop the raw JSON */
    CHECK_STR(got, want);
    json_decref(rec);
}

static void test_rejects(sl_batch *b, json_t *order)
{
    check_reject(b, order, "modified", json_string("yesterday"), false, "1130899", "modified",
                 "not an epoch: \"yesterday\"");
    check_reject(b, order, "modified", NULL, false, "1130899", "modified",
                 "required value is missing");
    check_reject(b, order, "modified", json_string(""), false, "1130899", "modified",
                 "required value is empty");
    check_reject(b, order, "refund_id", json_null(), false, "", "refund_id",
                 "required value is null");
    check_reject(b, order, "refund_no", json_string("TK24060100010000000000000000000000000000000"
                                                    "0000000000000000000000001"),
                 false, "1130899", "refund_no", "68 characters, more than VARCHAR(64) holds");
    check_reject(b, order, "price", json_string("12,5"), true, "1130899",
                 "aftersales_refund_refund_search_detail.price", "not a number: \"12,5\"");
    check_reject(b, order, "rec_id", NULL, true, "1130899",
                 "aftersales_refund_refund_search_detail.rec_id", "required value is missing");
    CHECK(sl_batch_live_rows(b) == 2 + 7);
}

/* A record the decoder could not represent: one reject row with the given reason and raw
 * text, the key as far as it converts, no column; no rows remain (issue 9 item 7). */
static void check_decoder_reject(sl_batch *b, json_t *rec, const char *want)
{
    sl_error err = {0};
    static const char raw[] = "{\"refund_id\":1130899,\"trade_id\":123456789012345678901234}";
    sl_rowset *p = sl_batch_parent(b), *c = sl_batch_child(b, 0), *rj = sl_batch_rejects(b);
    size_t prows = p->n_rows, ptext = p->text_len, crows = c->n_rows, rrow = rj->n_rows;
    CHECK(sl_transform_reject(&plan, rec, "value cannot be represented: x", raw, sizeof raw - 1,
                              b, &err) == 1);
    CHECK(p->n_rows == prows && p->text_len == ptext && c->n_rows == crows);
    CHECK(rj->n_rows == rrow + 1);
    CHECK_STR(row_text(rj, rrow), want);
}

static void test_decoder_rejects(sl_batch *b, json_t *order)
{
    json_t *rec = json_deep_copy(json_array_get(order, 0));
    json_object_set_new(rec, "trade_id", json_null());
    check_decoder_reject(b, rec, "1130899|NULL|value cannot be represented: x|{\"refund_id\":"
                                 "1130899,\"trade_id\":123456789012345678901234}");
    json_object_set_new(rec, "refund_id", json_null()); /* the key itself was unrepresentable */
    check_decoder_reject(b, rec, "|NULL|value cannot be represented: x|{\"refund_id\":"
                                 "1130899,\"trade_id\":123456789012345678901234}");
    CHECK(sl_batch_live_rows(b) == 2 + 9); /* rejects count as live rows */
    json_decref(rec);
}

/* The same refund again with a different goods line: one live parent, only the new child. */
static void test_same_key_twice(sl_batch *b, json_t *order)
{
    sl_error err = {0};
    json_t *rec = json_deep_copy(json_array_get(order, 0));
    json_t *line = json_array_get(json_object_get(rec, "detail_list"), 0);
    json_object_set_new(line, "rec_id", json_integer(1137999));
    json_object_set_new(rec, "remark", json_string("changed"));
    CHECK(sl_transform_record(&plan, rec, b, &err) == 0);
    sl_rowset *p = sl_batch_parent(b), *c = sl_batch_child(b, 0);
    CHECK(p->n_rows == 3 && p->dead[0] && !p->dead[1] && !p->dead[2]);
    CHECK(c->n_rows == 3 && c->dead[0] && !c->dead[1] && !c->dead[2]);
    CHECK(c->parent[2] == 2);
    CHECK(strncmp(row_text(c, 2), "1137999|1130899|", 16) == 0);
    CHECK(strstr(row_text(p, 2), "|changed|") != NULL);
    CHECK(sl_batch_live_rows(b) == 2 + 9);
    json_decref(rec);
}

/* A reject row fits its columns (issue 9 item 2): "table.column" longer than column_name's 64
 * characters becomes the column, with the table leading the reason; a value's excerpt is cut
 * on a character. */
static void test_reject_fits(sl_batch *b, json_t *order)
{
    char *name = child_table.name;
    child_table.name = (char *)"refund_goods_lines_with_a_long_name_kept_from_the_old_system_x";
    check_reject(b, order, "is_guarantee", json_string("是是是是是是是是是是是是是是是"), true,
                 "1130899", "is_guarantee",
                 "table refund_goods_lines_with_a_long_name_kept_from_the_old_system_x: "
                 "not a boolean: \"是是是是是是是是是是是是是...\"");
    child_table.name = (char *)"refund_lines_sixty_characters_long_so_that_with_num_it_is_64";
    check_reject(b, order, "num", json_string("x"), true, "1130899",
                 "refund_lines_sixty_characters_long_so_that_with_num_it_is_64.num",
                 "not a number: \"x\""); /* exactly 64: kept whole */
    child_table.name = name;
}

/* A huge value's reject keeps at most SL_REJ_RAW_BYTES of the record, cut on a character, so
 * its INSERT fits a statement (a 10 MB string used to stop the run with exit 70). */
static void test_reject_raw_cut(sl_batch *b, json_t *order)
{
    sl_error err = {0};
    size_t n = 100000, bytes = strlen("是");
    char *big = malloc(n * bytes + 1);
    for (size_t i = 0; big && i < n; i++)
        memcpy(big + i * bytes, "是", bytes);
    if (big)
        big[n * bytes] = '\0';
    json_t *rec = json_deep_copy(json_array_get(order, 0));
    json_object_set_new(rec, "refund_no", json_string(big ? big : ""));
    sl_rowset *rj = sl_batch_rejects(b);
    size_t rrow = rj->n_rows;
    CHECK(big && sl_transform_record(&plan, rec, b, &err) == 1 && rj->n_rows == rrow + 1);
    int32_t len = 0;
    const char *raw = rj->n_rows > rrow ? sl_rowset_get(rj, rrow, SL_REJ_RAW, &len) : "";
    CHECK(len > SL_REJ_RAW_BYTES - 3 && len <= SL_REJ_RAW_BYTES && raw[0] == '{');
    CHECK(sl_text_cut_len(raw, (size_t)len, (size_t)len - 1) == (size_t)len - bytes);
    json_decref(rec);
    free(big);
}

/* The real job file through the front end's compiler gives the same cells. */
static void test_compiled_job(json_t *order)
{
    /* The job's ${env:} references are not read: only its shape matters here. */
    const sl_compile_options no_refs = {.resolve_secrets = false};
    sl_diag *diag = sl_diag_new("mappings/wdt_refund.yml");
    sl_plan *job = sl_compile_file_opts("mappings/wdt_refund.yml", &no_refs, diag);
    if (!job)
        sl_diag_print(diag, stderr);
    CHECK(job && job->table.n_cols == N_PARENT && job->n_children == 1);
    if (job && job->table.n_cols == N_PARENT && job->n_children == 1 &&
        job->children[0].n_cols == N_CHILD) {
        sl_batch *b = sl_batch_new(job);
        sl_error err = {0};
        for (size_t i = 0; i < N_PARENT; i++)
            CHECK_STR(job->table.cols[i].name, parent_defs[i].name);
        for (size_t i = 0; i < 2; i++)
            CHECK(sl_transform_record(job, json_array_get(order, i), b, &err) == 0);
        for (size_t i = 0; i < 2; i++) {
            CHECK_STR(row_text(sl_batch_parent(b), i), want_parent[i]);
            CHECK_STR(row_text(sl_batch_child(b, 0), i), want_child[i]);
        }
        sl_batch_free(b);
    }
    sl_plan_free(job);
    sl_diag_free(diag);
}

int main(void)
{
    build_plan();
    json_t *order = records();
    sl_batch *b = sl_batch_new(&plan);
    CHECK(b && order);
    if (b && order) {
        test_samples(b, order);
        test_rejects(b, order);
        test_decoder_rejects(b, order);
        test_same_key_twice(b, order);
        test_reject_fits(b, order);
        test_reject_raw_cut(b, order);
        test_compiled_job(order);
    }
    sl_batch_free(b);
    json_decref(order);
    free_columns(pcols, N_PARENT);
    free_columns(ccols, N_CHILD);
    sl_jpath_free(child_table.each);
    return check_done();
}
