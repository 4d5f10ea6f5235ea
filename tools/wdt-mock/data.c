/* data.c: the mock's record set. Every record is kept as its pre-rendered JSON text plus the
 * few fields queries filter on, in an index sorted by (modified, refund_id), so a window is two
 * binary searches and a page is a concatenation. A mutation re-parses one record, edits it and
 * renders it again. Readers (pages, truth) share a rwlock; mutations take it exclusively. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mock.h"
#include "timeutil.h"

typedef struct rec {
    int64_t refund_id, modified_ms;
    int status, type, stockin;
    char shop_no[16], refund_no[40];
    char *json;
    size_t len;
} rec;

/* A record generator: its random stream and the ids it hands out. The initial records each
 * get their own (seeded by position, with disjoint id ranges) so they can be generated in
 * parallel and still be the same for a seed; later records come from the data set's own. */
typedef struct gen {
    mock_rng rng;
    int64_t seq, rec_id, amount_id;
} gen;

#define DETAIL_ID0 1137000 /* first goods line rec_id; 4 ids reserved per initial record */
#define AMOUNT_ID0 88000   /* first amount line rec_id; 2 ids reserved per initial record */

struct mock_data {
    pthread_rwlock_t lock;
    rec **idx; /* sorted by (modified_ms, refund_id) */
    size_t n, cap;
    gen g; /* for records and lines made after start */
    atomic_llong now; /* the data clock, epoch seconds */
};

/* ---- catalogues of realistic text ---- */

typedef struct goods {
    const char *no, *name;
    int64_t price; /* cents */
} goods;
static const goods GOODS[] = {
    {"G001", "纯棉圆领短袖T恤", 6990},       {"G002", "男士商务中筒袜(5双装)", 3550},
    {"G003", "女士修身碎花连衣裙", 25900},   {"G004", "轻便透气跑步运动鞋", 39900},
    {"G005", "304不锈钢保温杯500ml", 8900},  {"G006", "儿童卡通双肩书包", 12800},
    {"G007", "降噪无线蓝牙耳机", 19900},     {"G008", "羊毛混纺格纹围巾", 15800},
    {"G009", "明前西湖龙井礼盒250g", 26800}, {"G010", "家用多功能破壁料理机", 59900},
};
static const char *const SPECS[][2] = {
    {"红色 M", "RM"}, {"黑色 L", "BL"}, {"白色 S", "WS"}, {"藏青 XL", "NX"}, {"灰色 均码", "GF"},
};
static const char *const REASONS[] = {"无", "七天无理由退换货", "质量问题", "不想要了",
                                      "尺码不合适", "发错货", "商品破损", "与商品描述不符"};
static const char *const LOGISTICS[] = {"中通快递", "圆通速递", "顺丰速运", "韵达快递",
                                        "申通快递", "京东物流", "邮政EMS"};
static const char *const REMARKS[] = {"", "", "", "客户要求尽快处理",
                                      "已与买家电话沟通，同意退货", "外包装破损，已拍照留证",
                                      "赠品需一并退回", "买家反馈尺码偏小", "仓库已签收，待质检"};
static const char *const OPERATORS[] = {"系统", "张伟", "王芳", "李娜", "刘洋", "陈静"};
static const char *const FLAGS[] = {"无", "无", "加急", "重点客户", "待跟进"};
static const char *const NICKS[] = {"快乐的小猫咪", "tb_8812034", "~AQ8Lk2mFq5X==~1~", "王**",
                                    "lj", "清风徐来2019", ""};
static const char *const RECEIVERS[] = {"王先生", "李女士", "张**", "赵*明", "Tony", ""};
static const char *const LINE_REMARKS[] = {"", "", "", "颜色与图片不符", "线头较多", "少发配件"};
static const int STATUSES[] = {10, 20, 30, 40, 80, 81, 85, 86, 87, 90};
static const int PROCESS[] = {0, 15, 25, 35};
static const int TYPES[] = {1, 1, 1, 2, 2, 2, 2, 3, 4, 6};
#define COUNT(a) ((int64_t)(sizeof(a) / sizeof((a)[0])))
#define PICK(r, a) ((a)[mock_rng_range((r), 0, COUNT(a) - 1)])

/* ---- JSON helpers ---- */

static json_t *money(int64_t cents)
{
    return cents % 100 == 0 ? json_integer(cents / 100) : json_real((double)cents / 100.0);
}

static int64_t cents_of(const json_t *v)
{
    return (int64_t)llround(json_number_value(v) * 100.0);
}

static void set_s(json_t *o, const char *k, const char *v)
{
    json_object_set_new(o, k, json_string(v));
}

static void set_i(json_t *o, const char *k, int64_t v)
{
    json_object_set_new(o, k, json_integer(v));
}

static void set_time(json_t *o, const char *k, int64_t epoch)
{
    char t[20];
    sl_time_format(epoch, MOCK_TZ, t);
    set_s(o, k, t);
}

static void set_fmt(json_t *o, const char *k, const char *fmt, long long v)
{
    char t[64];
    snprintf(t, sizeof t, fmt, v);
    set_s(o, k, t);
}

/* ---- generation ---- */

/* What a record's lines share with it. */
typedef struct rec_ctx {
    int64_t refund_id, trade_id, created, modified;
    char tid[24], trade_no[24], raw_refund_no[24];
    int platform_id;
} rec_ctx;

static json_t *line_new(gen *g, const rec_ctx *c)
{
    mock_rng *r = &g->rng;
    int64_t gi = mock_rng_range(r, 0, COUNT(GOODS) - 1), s = mock_rng_range(r, 0, COUNT(SPECS) - 1);
    int64_t num = mock_rng_range(r, 1, 3), rnum = mock_rng_range(r, 1, num);
    int64_t price = GOODS[gi].price, total = price * num;
    int64_t discount = mock_rng_range(r, 0, total / 5), paid = total - discount;
    json_t *l = json_object();
    set_i(l, "rec_id", g->rec_id++);
    set_i(l, "refund_id", c->refund_id);
    set_fmt(l, "oid", "O%lld", (long long)(c->trade_id * 10 + mock_rng_range(r, 0, 9)));
    set_s(l, "tid", c->tid);
    set_s(l, "trade_no", c->trade_no);
    set_i(l, "trade_order_id", 5270000 + mock_rng_range(r, 0, 999999));
    set_i(l, "sales_trade_id", c->trade_id);
    set_i(l, "platform_id", c->platform_id);
    set_s(l, "goods_no", GOODS[gi].no);
    set_s(l, "goods_name", GOODS[gi].name);
    char spec_no[32];
    snprintf(spec_no, sizeof spec_no, "%s-%s", GOODS[gi].no, SPECS[s][1]);
    set_s(l, "spec_no", spec_no);
    set_s(l, "spec_name", SPECS[s][0]);
    set_s(l, "spec_code", SPECS[s][1]);
    set_fmt(l, "barcode", "69000000%05lld", (long long)(gi * 10 + s));
    set_fmt(l, "goods_id", "65100%02lld", (long long)gi);
    set_fmt(l, "spec_id", "4410%03lld", (long long)(gi * 10 + s));
    set_i(l, "sys_goods_id", 105060 + gi);
    set_i(l, "sys_spec_id", 273300 + gi * 10 + s);
    set_s(l, "api_goods_name", GOODS[gi].name);
    set_s(l, "api_spec_name", SPECS[s][0]);
    set_i(l, "num", num);
    set_i(l, "refund_num", rnum);
    json_object_set_new(l, "price", money(price));
    json_object_set_new(l, "original_price", money(price + mock_rng_range(r, 0, 20) * 100));
    json_object_set_new(l, "checked_cost_price", money(price * 3 / 10));
    json_object_set_new(l, "total_amount", money(total));
    json_object_set_new(l, "refund_amount", money(paid * rnum / num));
    set_i(l, "stockin_num", 0);
    json_object_set_new(l, "discount", money(discount));
    json_object_set_new(l, "paid", money(paid));
    json_object_set_new(l, "is_guarantee", json_boolean(mock_rng_range(r, 0, 9) < 8));
    set_i(l, "suite_id", 0);
    set_i(l, "suite_num", 0);
    set_i(l, "gift_type", mock_rng_range(r, 0, 9) == 0 ? 1 : 0);
    set_s(l, "remark", PICK(r, LINE_REMARKS));
    set_s(l, "raw_refund_no", c->raw_refund_no);
    set_s(l, "raw_refund_nos", c->raw_refund_no);
    set_time(l, "created", c->created);
    set_i(l, "modified", c->modified * 1000);
    set_time(l, "modified_date", c->modified);
    return l;
}

/* Recomputes the record's amounts from its goods lines, so edits stay consistent. */
static void totals(json_t *o)
{
    json_t *lines = json_object_get(o, "detail_list"), *l;
    size_t i;
    int64_t amount = 0, count = 0;
    json_array_foreach(lines, i, l) {
        amount += cents_of(json_object_get(l, "refund_amount"));
        count += json_integer_value(json_object_get(l, "refund_num"));
    }
    int64_t type = json_integer_value(json_object_get(o, "type"));
    bool goods_back = type == 2 || type == 3;
    set_i(o, "return_goods_count", goods_back ? count : 0);
    json_object_set_new(o, "return_goods_amount", money(goods_back ? amount : 0));
    json_object_set_new(o, "guarantee_refund_amount", money(amount));
    json_object_set_new(o, "actual_refund_amount", money(type == 3 ? 0 : amount));
    json_t *ad = json_array_get(json_object_get(o, "amount_detail_list"), 0);
    if (ad)
        json_object_set_new(ad, "refund_amount", money(amount));
}

static json_t *amount_line(gen *g, int64_t refund_id, int type, int64_t cents)
{
    json_t *a = json_object();
    set_i(a, "rec_id", g->amount_id++);
    set_i(a, "refund_id", refund_id);
    set_i(a, "refund_type", type);
    set_i(a, "is_return", 0);
    json_object_set_new(a, "refund_amount", money(cents));
    set_i(a, "receive_amount", 0);
    json_object_set_new(a, "is_guarantee", json_true());
    set_i(a, "account_id", 0);
    set_s(a, "pay_account", "");
    set_s(a, "account_name", "");
    set_s(a, "account_bank", "");
    json_object_set_new(a, "is_auto", json_boolean(type == 1));
    set_s(a, "remark", type == 2 ? "运费补偿" : "");
    return a;
}

static json_t *swap_order(gen *g, const rec_ctx *c, const char *shop_no)
{
    mock_rng *r = &g->rng;
    int64_t gi = mock_rng_range(r, 0, COUNT(GOODS) - 1), s = mock_rng_range(r, 0, COUNT(SPECS) - 1);
    json_t *o = json_object(), *line = json_object(), *list = json_array();
    set_s(o, "tid", c->tid);
    set_s(o, "shop_no", shop_no);
    set_s(o, "shop_name", "旗舰店");
    set_s(o, "warehouse_no", "wh01");
    set_i(o, "shop_id", 711);
    set_i(o, "warehouse_id", 624);
    set_s(o, "swap_province", "浙江省");
    set_s(o, "swap_city", "杭州市");
    set_s(o, "swap_district", "西湖区");
    set_s(o, "swap_area", "浙江省 杭州市 西湖区");
    set_i(o, "swap_logistics_id", 3);
    set_i(o, "post_amount", 0);
    set_i(o, "other_amount", 0);
    set_s(line, "goods_no", GOODS[gi].no);
    set_s(line, "goods_name", GOODS[gi].name);
    set_s(line, "spec_name", SPECS[s][0]);
    set_i(line, "num", 1);
    json_object_set_new(line, "price", money(GOODS[gi].price));
    json_array_append_new(list, line);
    json_object_set_new(o, "swap_order_detail_list", list);
    return o;
}

static void gen_times(json_t *o, gen *g, const rec_ctx *c, int status)
{
    mock_rng *r = &g->rng;
    int64_t span = c->modified - c->created;
    int64_t check = c->created + mock_rng_range(r, 0, span / 2);
    int64_t settle = check + mock_rng_range(r, 0, c->modified - check);
    set_time(o, "refund_time", c->created - mock_rng_range(r, 0, 7200));
    if (status >= 30)
        set_time(o, "check_time", check);
    else
        set_s(o, "check_time", "");
    if (status >= 80)
        set_time(o, "settle_time", settle);
    else
        set_s(o, "settle_time", "");
    if (status == 90)
        set_time(o, "current_phase_timeout", c->modified);
    else
        set_s(o, "current_phase_timeout", "");
    set_i(o, "created", c->created * 1000);
    set_i(o, "modified", c->modified * 1000);
    set_time(o, "modified_date", c->modified);
}

static void gen_parties(json_t *o, mock_rng *r, int64_t shop)
{
    const char *nick = PICK(r, NICKS), *recv = PICK(r, RECEIVERS);
    set_s(o, "buyer_nick", nick);
    set_s(o, "customer_name", nick);
    set_i(o, "customer_id", 17580000 + mock_rng_range(r, 0, 99999));
    set_s(o, "receiver_name", recv);
    if (*recv)
        set_fmt(o, "receiver_telno", "%lld", 13600000000LL + mock_rng_range(r, 0, 99999999));
    else
        set_s(o, "receiver_telno", "");
    set_s(o, "operator_name", PICK(r, OPERATORS));
    if (shop % 4 == 3) /* only distribution shops have a 分销商; omitted otherwise */
        set_s(o, "fenxiao_nick_name", shop % 8 == 3 ? "华东分销商" : "分销A");
}

static void gen_head(json_t *o, gen *g, const rec_ctx *c, int64_t shop, int type, int st)
{
    mock_rng *r = &g->rng;
    char buf[40];
    sl_time_format(c->created, MOCK_TZ, buf);
    set_i(o, "refund_id", c->refund_id);
    set_fmt(o, "refund_no", "TK%lld", (long long)(c->refund_id + 2400000000LL));
    set_s(o, "src_tids", c->tid);
    set_s(o, "tid_list", c->tid);
    set_s(o, "trade_no_list", c->trade_no);
    set_i(o, "trade_id", c->trade_id);
    set_i(o, "type", type);
    set_i(o, "status", st);
    set_i(o, "stockin_status", type == 1 ? 0 : mock_rng_range(r, 0, 4));
    set_i(o, "process_status", PICK(r, PROCESS));
    set_i(o, "rr_status", mock_rng_range(r, 0, 5));
    set_i(o, "from_type", mock_rng_range(r, 0, 9) < 7 ? 0 : mock_rng_range(r, 1, 3));
    set_s(o, "flag_name", PICK(r, FLAGS));
    set_s(o, "remark", PICK(r, REMARKS));
    set_i(o, "note_count", mock_rng_range(r, 0, 3));
    snprintf(buf, sizeof buf, "shop%02lld", (long long)shop + 1);
    set_s(o, "shop_no", buf);
    set_i(o, "shop_id", 711 + shop);
    set_i(o, "shop_platform_id", c->platform_id);
    set_i(o, "sub_platform_id", 0);
    set_fmt(o, "platform_id", "%lld", c->platform_id);
}

static void gen_return(json_t *o, mock_rng *r, int64_t shop, int type)
{
    int64_t wh = shop % 3;
    char buf[24];
    snprintf(buf, sizeof buf, "wh%02lld", (long long)wh + 1);
    set_s(o, "return_warehouse_no", buf);
    set_i(o, "return_warehouse_id", 624 + wh);
    set_i(o, "warehouse_type", wh == 2 ? 3 : 1);
    bool back = type == 2 || type == 3;
    if (back)
        set_fmt(o, "return_logistics_no", "%lld", 238900000000LL + mock_rng_range(r, 0, 99999999));
    else
        set_s(o, "return_logistics_no", "");
    set_s(o, "return_logistics_name", back ? PICK(r, LOGISTICS) : "");
    /* amounts: placed here in the sample's order, filled in by totals() */
    set_i(o, "return_goods_count", 0);
    set_i(o, "return_goods_amount", 0);
    set_i(o, "guarantee_refund_amount", 0);
    set_i(o, "actual_refund_amount", 0);
}

static void gen_misc(json_t *o, mock_rng *r, const rec_ctx *c, int64_t shop)
{
    int64_t reason = mock_rng_range(r, 0, COUNT(REASONS) - 1);
    set_i(o, "direct_refund_amount", 0);
    set_i(o, "receive_amount", 0);
    set_i(o, "reason_id", reason);
    set_s(o, "reason_name", REASONS[reason]);
    set_s(o, "refund_reason", reason ? REASONS[reason] : "1");
    set_i(o, "revert_reason", 0);
    set_s(o, "revert_reason_name", "无");
    gen_parties(o, r, shop);
    set_s(o, "raw_refund_nos", c->raw_refund_no);
    set_fmt(o, "pay_id", "2024%015lld", (long long)mock_rng_range(r, 0, 999999999999999LL));
    set_s(o, "provider_refund_no", "");
    set_i(o, "bad_reason", 0);
    set_i(o, "consign_mode", mock_rng_range(r, 0, 9) < 8 ? 0 : mock_rng_range(r, 1, 2));
    set_s(o, "return_mask_info", "");
    set_s(o, "wms_owner_no", "");
    set_s(o, "fenxiao_tid", "");
    set_s(o, "fenxiao_nick_no", shop % 4 == 3 ? "FX01" : "");
}

/* A new record modified at `modified` (epoch s), ids from the data set's counters. */
static json_t *record_new(gen *g, int64_t modified)
{
    mock_rng *r = &g->rng;
    rec_ctx c = {0};
    int64_t shop = mock_rng_range(r, 0, 7);
    int type = PICK(r, TYPES), st = PICK(r, STATUSES);
    c.refund_id = 1130000 + g->seq++;
    c.trade_id = 2740000 + mock_rng_range(r, 0, 999999);
    c.modified = modified;
    c.created = modified - mock_rng_range(r, 0, 3 * 86400);
    c.platform_id = shop < 4 ? 127 : 1;
    snprintf(c.tid, sizeof c.tid, "T%lld", (long long)(c.trade_id * 37 + 202400000000LL));
    snprintf(c.trade_no, sizeof c.trade_no, "JY%lld", (long long)(c.trade_id + 2400000000LL));
    snprintf(c.raw_refund_no, sizeof c.raw_refund_no, "RR%lld", (long long)c.refund_id * 3);
    json_t *o = json_object(), *lines = json_array(), *amounts = json_array();
    gen_head(o, g, &c, shop, type, st);
    gen_return(o, r, shop, type);
    gen_misc(o, r, &c, shop);
    gen_times(o, g, &c, st);
    for (int64_t i = mock_rng_range(r, 1, 4); i > 0; i--)
        json_array_append_new(lines, line_new(g, &c));
    if (type != 3)
        json_array_append_new(amounts, amount_line(g, c.refund_id, 1, 0));
    if (type != 3 && mock_rng_range(r, 0, 9) == 0)
        json_array_append_new(amounts, amount_line(g, c.refund_id, 2, 800));
    json_object_set_new(o, "detail_list", lines);
    json_object_set_new(o, "amount_detail_list", amounts);
    if (type == 3)
        json_object_set_new(o, "swap_order", swap_order(g, &c, "shop01"));
    totals(o);
    return o;
}

/* ---- records and the index ---- */

/* Re-renders rec from o (consumed) and refreshes its index fields. */
static void rec_sync(rec *x, json_t *o)
{
    free(x->json);
    x->json = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(15));
    if (!x->json)
        abort();
    x->len = strlen(x->json);
    x->refund_id = json_integer_value(json_object_get(o, "refund_id"));
    x->modified_ms = json_integer_value(json_object_get(o, "modified"));
    x->status = (int)json_integer_value(json_object_get(o, "status"));
    x->type = (int)json_integer_value(json_object_get(o, "type"));
    x->stockin = (int)json_integer_value(json_object_get(o, "stockin_status"));
    snprintf(x->shop_no, sizeof x->shop_no, "%s", json_string_value(json_object_get(o, "shop_no")));
    snprintf(x->refund_no, sizeof x->refund_no, "%s",
             json_string_value(json_object_get(o, "refund_no")));
    json_decref(o);
}

static int rec_cmp_key(const rec *x, int64_t ms, int64_t id)
{
    if (x->modified_ms != ms)
        return x->modified_ms < ms ? -1 : 1;
    return x->refund_id < id ? -1 : x->refund_id > id;
}

static int rec_cmp(const void *a, const void *b)
{
    const rec *y = *(rec *const *)b;
    return rec_cmp_key(*(rec *const *)a, y->modified_ms, y->refund_id);
}

/* First index position whose key is >= (ms, id). */
static size_t lower_bound(const mock_data *d, int64_t ms, int64_t id)
{
    size_t lo = 0, hi = d->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (rec_cmp_key(d->idx[mid], ms, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void index_reserve(mock_data *d)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 1024;
        d->idx = realloc(d->idx, d->cap * sizeof(rec *));
        if (!d->idx)
            abort();
    }
}

static void index_insert(mock_data *d, rec *x)
{
    index_reserve(d);
    size_t pos = lower_bound(d, x->modified_ms, x->refund_id);
    memmove(d->idx + pos + 1, d->idx + pos, (d->n - pos) * sizeof(rec *));
    d->idx[pos] = x;
    d->n++;
}

static void index_remove(mock_data *d, rec *x)
{
    size_t pos = lower_bound(d, x->modified_ms, x->refund_id);
    if (pos >= d->n || d->idx[pos] != x)
        abort(); /* the index is corrupt: a bug */
    memmove(d->idx + pos, d->idx + pos + 1, (d->n - pos - 1) * sizeof(rec *));
    d->n--;
}

/* Adds a new record made by the data set's own generator, in index order. */
static void rec_add(mock_data *d, int64_t modified)
{
    rec *x = mock_xcalloc(1, sizeof *x);
    rec_sync(x, record_new(&d->g, modified));
    index_insert(d, x);
}

/* The generator of initial record i: its stream depends on (seed, i) only. */
static gen gen_initial(uint64_t seed, int64_t i)
{
    mock_rng t = {seed ^ ((uint64_t)i * 0xD1B54A32D192ED03ULL)};
    gen g = {{mock_rng_next(&t)}, i, DETAIL_ID0 + 4 * i, AMOUNT_ID0 + 2 * i};
    return g;
}

typedef struct gen_job {
    rec **out;
    const int64_t *times;
    int64_t lo, hi;
    uint64_t seed;
} gen_job;

static void *gen_run(void *arg)
{
    gen_job *j = arg;
    for (int64_t i = j->lo; i < j->hi; i++) {
        gen g = gen_initial(j->seed, i);
        rec *x = mock_xcalloc(1, sizeof *x);
        rec_sync(x, record_new(&g, j->times[i]));
        j->out[i] = x;
    }
    return NULL;
}

/* Renders records [0, n) on a few threads: start-up time matters for big data sets. */
static void generate(mock_data *d, uint64_t seed, const int64_t *times, int64_t n)
{
    enum { MAX_JOBS = 8 };
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int64_t jobs = n < 1000 ? 1 : cores < 1 ? 1 : cores > MAX_JOBS ? MAX_JOBS : cores;
    pthread_t th[MAX_JOBS];
    gen_job job[MAX_JOBS];
    json_decref(json_object()); /* initialise jansson's hash seed before the threads */
    for (int64_t k = 0; k < jobs; k++) {
        job[k] = (gen_job){d->idx, times, n * k / jobs, n * (k + 1) / jobs, seed};
        if (k && pthread_create(&th[k], NULL, gen_run, &job[k]) != 0)
            abort();
    }
    gen_run(&job[0]);
    for (int64_t k = 1; k < jobs; k++)
        pthread_join(th[k], NULL);
}

static int cmp_int64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* True when the drop takes record x: in its range and shop, by a draw of its own id. */
static bool dropped(const rec *x, const mock_drop *drop, uint64_t seed)
{
    int64_t t = x->modified_ms / 1000;
    if (t < drop->from || t >= drop->to || (drop->shop[0] && strcmp(x->shop_no, drop->shop)))
        return false;
    mock_rng r = {seed ^ ((uint64_t)x->refund_id * 0x9E3779B97F4A7C15ULL)};
    return mock_rng_unit(&r) < drop->share;
}

/* Removes (and frees) the records the drop takes from d's index, keeping its order. */
static void apply_drop(mock_data *d, const mock_drop *drop, uint64_t seed)
{
    if (!drop || drop->share <= 0)
        return;
    size_t kept = 0;
    for (size_t i = 0; i < d->n; i++) {
        rec *x = d->idx[i];
        if (!dropped(x, drop, seed)) {
            d->idx[kept++] = x;
            continue;
        }
        free(x->json);
        free(x);
    }
    d->n = kept;
}

mock_data *mock_data_new(uint64_t seed, int64_t n, int64_t from, int64_t to, int64_t now,
                         const mock_drop *drop)
{
    mock_data *d = mock_xcalloc(1, sizeof *d);
    pthread_rwlock_init(&d->lock, NULL);
    atomic_store(&d->now, now);
    mock_rng r = {seed};
    int64_t *times = mock_xcalloc((size_t)n, sizeof(int64_t));
    for (int64_t i = 0; i < n; i++) /* about one record in six shares the previous second */
        times[i] = i && mock_rng_range(&r, 0, 5) == 0 ? times[i - 1] : mock_rng_range(&r, from, to);
    /* refund_id grows with time, as WDT's auto-increment ids do (record i gets id 1130000 + i). */
    qsort(times, (size_t)n, sizeof *times, cmp_int64);
    d->cap = n > 0 ? (size_t)n : 1;
    d->idx = mock_xcalloc(d->cap, sizeof(rec *));
    generate(d, seed, times, n);
    d->n = (size_t)n;
    free(times);
    if (d->n > 1)
        qsort(d->idx, d->n, sizeof(rec *), rec_cmp);
    d->g = (gen){{seed ^ 0xA5A5A5A5A5A5A5A5ULL}, n, DETAIL_ID0 + 4 * n, AMOUNT_ID0 + 2 * n};
    apply_drop(d, drop, seed);
    return d;
}

void mock_data_free(mock_data *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++) {
        free(d->idx[i]->json);
        free(d->idx[i]);
    }
    free(d->idx);
    pthread_rwlock_destroy(&d->lock);
    free(d);
}

/* ---- queries ---- */

/* True if s is one of the comma-separated tokens of list. */
static bool in_list(const char *list, const char *s)
{
    size_t n = strlen(s);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && strncmp(p, s, n) == 0)
            return true;
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

/* Number filters other than refund_no read the record's own text (rare, so slow is fine). */
static bool number_match(const rec *x, const char *key, const char *val)
{
    if (strcmp(key, "refund_no") == 0)
        return strcmp(x->refund_no, val) == 0;
    static const char *const map[][2] = {{"tid", "src_tids"},
                                         {"trade_no", "trade_no_list"},
                                         {"buyer_nick", "buyer_nick"},
                                         {"return_logistics_no", "return_logistics_no"},
                                         {"raw_refund_nos", "raw_refund_nos"}};
    const char *field = NULL;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i][0], key) == 0)
            field = map[i][1];
    json_t *o = field ? json_loads(x->json, 0, NULL) : NULL;
    const char *v = json_string_value(json_object_get(o, field));
    bool hit = v && in_list(v, val);
    json_decref(o);
    return hit;
}

static bool matches(const rec *x, const mock_query *q)
{
    if (q->shop_nos[0] && !in_list(q->shop_nos, x->shop_no))
        return false;
    if (q->has_type && x->type != q->type)
        return false;
    if (q->has_stockin && x->stockin != q->stockin)
        return false;
    if (q->n_status) {
        int i = 0;
        while (i < q->n_status && q->status[i] != x->status)
            i++;
        if (i == q->n_status)
            return false;
    }
    return !q->num_key || number_match(x, q->num_key, q->num_val);
}

static bool has_filters(const mock_query *q)
{
    return q->shop_nos[0] || q->has_type || q->has_stockin || q->n_status || q->num_key;
}

static void window(const mock_data *d, const mock_query *q, size_t *lo, size_t *hi)
{
    *lo = 0;
    *hi = d->n;
    if (q->has_window) {
        *lo = lower_bound(d, q->from * 1000, INT64_MIN);
        *hi = lower_bound(d, q->to * 1000 + 1, INT64_MIN);
        if (*hi < *lo)
            *hi = *lo;
    }
}

/* Which kind of bad literal record x carries (the bad-literals knob): 0 none, 1 in unread
 * fields, 2 in trade_id (read), 3 in remark (read). */
static int bad_kind(const rec *x, int64_t every)
{
    if (every <= 0)
        return 0;
    int64_t m = x->refund_id % every;
    return m == 0 ? 1 : m == 1 ? 2 : m == 2 ? 3 : 0;
}

/* x's text with at (a position in it) followed by ins. */
static void emit_with(mock_buf *out, const rec *x, const char *at, const char *ins, size_t n)
{
    size_t head = (size_t)(at - x->json);
    mock_buf_add(out, x->json, head);
    mock_buf_add(out, ins, n);
    mock_buf_add(out, at, x->len - head);
}

/* One record of a page, with the bad literals the knob asks for. */
static void emit_rec(mock_buf *out, const rec *x, int64_t every)
{
    static const char unread[] = "\"x_big\":123456789012345678901234567890,\"x_inf\":1e400,"
                                 "\"x_nul\":\"a\\u0000b\",\"x_utf8\":\"\xff\xfe\","
                                 "\"x_lone\":\"\\ud800\",\"x\\u0000key\":[-1e999],";
    const char *at;
    switch (bad_kind(x, every)) {
    case 1:
        emit_with(out, x, x->json + 1, unread, sizeof unread - 1);
        return;
    case 2:
        if ((at = strstr(x->json, "\"trade_id\":"))) {
            at += strlen("\"trade_id\":");
            while (*at >= '0' && *at <= '9')
                at++;
            emit_with(out, x, at, "000000000000000000000", 21);
            return;
        }
        break;
    case 3:
        if ((at = strstr(x->json, "\"remark\":\""))) {
            emit_with(out, x, at + strlen("\"remark\":\""), "\xff", 1);
            return;
        }
        break;
    }
    mock_buf_add(out, x->json, x->len);
}

/* Appends "total_count":N, (if asked) and "order":[...] for the page's records. */
static void emit(mock_buf *out, const rec *const *page, size_t n, int64_t total, bool with_total,
                 int64_t bad_literals)
{
    if (with_total)
        mock_buf_fmt(out, "\"total_count\":%lld,", (long long)total);
    mock_buf_str(out, "\"order\":[");
    for (size_t i = 0; i < n; i++) {
        if (i)
            mock_buf_add(out, ",", 1);
        emit_rec(out, page[i], bad_literals);
    }
    mock_buf_add(out, "]", 1);
}

int64_t mock_data_page(mock_data *d, const mock_query *q, bool with_total, mock_buf *out,
                       int64_t *total)
{
    size_t lo, hi, n = 0;
    int64_t start = q->page_no * q->page_size, end = start + q->page_size, count = 0;
    const rec **page = mock_xcalloc((size_t)q->page_size, sizeof(rec *));
    pthread_rwlock_rdlock(&d->lock);
    window(d, q, &lo, &hi);
    if (!has_filters(q)) {
        count = (int64_t)(hi - lo);
        for (int64_t i = start; i < end && i < count; i++)
            page[n++] = q->desc ? d->idx[hi - 1 - (size_t)i] : d->idx[lo + (size_t)i];
    } else {
        for (size_t k = 0; k < hi - lo; k++) {
            const rec *x = q->desc ? d->idx[hi - 1 - k] : d->idx[lo + k];
            if (!matches(x, q))
                continue;
            if (count >= start && count < end)
                page[n++] = x;
            count++;
        }
    }
    emit(out, page, n, q->total_cap > 0 && count > q->total_cap ? q->total_cap : count,
         with_total, q->bad_literals);
    pthread_rwlock_unlock(&d->lock);
    free(page);
    *total = count;
    return (int64_t)n;
}

/* ---- mutation ---- */

static void line_touch(json_t *l, mock_rng *r, int64_t now)
{
    int64_t num = json_integer_value(json_object_get(l, "num"));
    int64_t paid = cents_of(json_object_get(l, "paid"));
    if (mock_rng_range(r, 0, 1)) {
        int64_t rnum = mock_rng_range(r, 1, num);
        set_i(l, "refund_num", rnum);
        json_object_set_new(l, "refund_amount", money(paid * rnum / num));
    } else {
        set_s(l, "remark", LINE_REMARKS[mock_rng_range(r, 3, COUNT(LINE_REMARKS) - 1)]);
    }
    set_i(l, "modified", now * 1000);
    set_time(l, "modified_date", now);
}

/* Edits the goods lines: changes values, sometimes drops or adds a line (1..4 lines kept). */
static void lines_edit(mock_data *d, json_t *o, int64_t now)
{
    json_t *lines = json_object_get(o, "detail_list");
    size_t n = json_array_size(lines);
    int64_t dice = mock_rng_range(&d->g.rng, 0, 3);
    if (dice == 0 && n > 1) {
        json_array_remove(lines, n - 1);
    } else if (dice == 1 && n < 4) {
        json_t *first = json_array_get(lines, 0);
        rec_ctx c = {0};
        c.refund_id = json_integer_value(json_object_get(o, "refund_id"));
        c.trade_id = json_integer_value(json_object_get(o, "trade_id"));
        c.created = json_integer_value(json_object_get(o, "created")) / 1000;
        c.modified = now;
        c.platform_id = (int)json_integer_value(json_object_get(first, "platform_id"));
        snprintf(c.tid, sizeof c.tid, "%s", json_string_value(json_object_get(o, "src_tids")));
        snprintf(c.trade_no, sizeof c.trade_no, "%s",
                 json_string_value(json_object_get(o, "trade_no_list")));
        snprintf(c.raw_refund_no, sizeof c.raw_refund_no, "%s",
                 json_string_value(json_object_get(o, "raw_refund_nos")));
        json_array_append_new(lines, line_new(&d->g, &c));
    }
    size_t i;
    json_t *l;
    json_array_foreach(lines, i, l) line_touch(l, &d->g.rng, now);
}

/* Moves x to modified = now with edited lines and perhaps a later status; keeps the index. */
static void rec_modify(mock_data *d, rec *x, int64_t now)
{
    json_t *o = json_loads(x->json, 0, NULL);
    if (!o)
        abort();
    index_remove(d, x);
    set_i(o, "modified", now * 1000);
    set_time(o, "modified_date", now);
    lines_edit(d, o, now);
    int64_t st = json_integer_value(json_object_get(o, "status"));
    for (int64_t i = 0; i + 1 < COUNT(STATUSES) && mock_rng_range(&d->g.rng, 0, 1); i++)
        if (STATUSES[i] == st) {
            set_i(o, "status", STATUSES[i + 1]);
            if (STATUSES[i + 1] == 30)
                set_time(o, "check_time", now);
            break;
        }
    set_i(o, "note_count", json_integer_value(json_object_get(o, "note_count")) + 1);
    totals(o);
    rec_sync(x, o);
    index_insert(d, x);
}

void mock_data_mutate(mock_data *d, const mock_query *q, int64_t k, double share, int64_t m)
{
    size_t lo, hi;
    int64_t now = atomic_load(&d->now);
    pthread_rwlock_wrlock(&d->lock);
    window(d, q, &lo, &hi);
    /* k distinct records drawn at random among the window's (a partial shuffle), so records
     * on every page move, not only the first ones */
    rec **pick = mock_xcalloc(hi - lo + 1, sizeof(rec *));
    size_t n = 0;
    for (size_t i = lo; i < hi; i++)
        if (d->idx[i]->modified_ms != now * 1000)
            pick[n++] = d->idx[i];
    size_t want = (size_t)k + (size_t)llround(share * (double)n);
    if (want > n)
        want = n;
    for (size_t i = 0; i < want; i++) {
        size_t j = i + (size_t)mock_rng_range(&d->g.rng, 0, (int64_t)(n - i) - 1);
        rec *t = pick[i];
        pick[i] = pick[j];
        pick[j] = t;
    }
    for (size_t i = 0; i < want; i++)
        rec_modify(d, pick[i], now);
    for (int64_t i = 0; i < m; i++)
        rec_add(d, now);
    pthread_rwlock_unlock(&d->lock);
    free(pick);
}

void mock_data_change(mock_data *d, int64_t add, int64_t modify)
{
    int64_t now = atomic_load(&d->now);
    pthread_rwlock_wrlock(&d->lock);
    /* random distinct records not yet at now; give up after many misses (all are at now) */
    for (int64_t done = 0, tries = 0; done < modify && d->n && tries < 100 * modify; tries++) {
        rec *x = d->idx[mock_rng_range(&d->g.rng, 0, (int64_t)d->n - 1)];
        if (x->modified_ms != now * 1000) {
            rec_modify(d, x, now);
            done++;
        }
    }
    for (int64_t i = 0; i < add; i++)
        rec_add(d, now);
    pthread_rwlock_unlock(&d->lock);
}

bool mock_data_set_field(mock_data *d, int64_t i, const char *field, const json_t *v)
{
    if (strcmp(field, "refund_id") == 0 || strcmp(field, "modified") == 0)
        return false;
    pthread_rwlock_wrlock(&d->lock);
    bool ok = i >= 0 && (size_t)i < d->n;
    if (ok) {
        rec *x = d->idx[i];
        json_t *o = json_loads(x->json, 0, NULL);
        if (!o)
            abort();
        json_object_set_new(o, field, json_deep_copy(v));
        rec_sync(x, o);
    }
    pthread_rwlock_unlock(&d->lock);
    return ok;
}

void mock_data_truth(mock_data *d, int64_t bad_literals, mock_buf *out)
{
    pthread_rwlock_rdlock(&d->lock);
    for (size_t i = 0; i < d->n; i++) {
        if (bad_kind(d->idx[i], bad_literals) > 1)
            continue;
        mock_buf_add(out, d->idx[i]->json, d->idx[i]->len);
        mock_buf_add(out, "\n", 1);
    }
    pthread_rwlock_unlock(&d->lock);
}

int64_t mock_data_count(mock_data *d)
{
    pthread_rwlock_rdlock(&d->lock);
    int64_t n = (int64_t)d->n;
    pthread_rwlock_unlock(&d->lock);
    return n;
}

int64_t mock_data_now(mock_data *d)
{
    return atomic_load(&d->now);
}

void mock_data_set_now(mock_data *d, int64_t now)
{
    atomic_store(&d->now, now);
}
