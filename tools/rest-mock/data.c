/* data.c: rest-mock's records. Orders (ids above 2^53, sent as strings; ISO-8601 times in
 * several styles; money as strings and as integer cents; a nested customer; line items with
 * discounts, a child of a child) and shops, all drawn from one seed, kept in id order with a
 * permutation in (updated, id) order that every change re-sorts. */
#include <stdlib.h>
#include <string.h>

#include "rest.h"

#define ID_BASE 9007199254740993ULL /* 2^53 + 1: every order id needs a string */
#define MAX_ITEMS 4
#define MAX_DISCS 2

typedef struct disc {
    int64_t id, cents;
    uint8_t code;
} disc;

typedef struct item {
    int64_t id, price_cents;
    int32_t sku, qty, ndisc;
    disc disc[MAX_DISCS];
} item;

typedef struct order {
    uint64_t id;
    int64_t created_ms, upd_ms, paid_s, shipping_cents;
    int32_t shop_id, version, nitems;
    uint8_t style, status, customer, city, note;
    item items[MAX_ITEMS];
} order;

typedef struct shop {
    int64_t id, opened_ms, upd_ms;
    uint8_t style, region;
    bool active, deleted;
} shop;

struct rm_data {
    mock_rng rng;
    order *o;
    size_t n_o, cap_o;
    shop *sh;
    size_t n_sh, cap_sh;
    int32_t *order_by_upd, *shop_by_upd;
    int64_t now_ms, next_k;
};

static const char *const STATUS[] = {"pending", "paid", "shipped", "completed", "cancelled",
                                     "refunded"};
static const char *const CUSTOMER[] = {"张伟", "Zoë Martín", "Seán O'Brien", "李娜",
                                       "Ana \"Nina\" Souza", "Jürgen Weiß", "王芳", "Mary Smith"};
static const char *const CITY[] = {"杭州", "Zürich", "São Paulo", "New York", "上海", "Kraków"};
static const char *const ZIP[] = {"310000", "8001", "01000-000", "10001", "200000", "30-001"};
static const char *const NOTE[] = {NULL, "请尽快发货", "leave at the \"back\" door",
                                   "gift wrap\nplease", "", "fragile / 易碎"};
static const char *const CODE[] = {"SPRING", "VIP10", "满100减10", "BUNDLE"};
static const char *const REGION[] = {"east", "north", "south", "west"};
#define COUNT(a) (sizeof a / sizeof a[0])

static size_t n_of(const rm_data *d, rm_resource r)
{
    return r == RM_ORDERS ? d->n_o : d->n_sh;
}

static rm_key key_at(const rm_data *d, rm_resource r, int32_t pos)
{
    if (r == RM_ORDERS)
        return (rm_key){d->o[pos].upd_ms, d->o[pos].id};
    return (rm_key){d->sh[pos].upd_ms, (uint64_t)d->sh[pos].id};
}

typedef struct keyed {
    rm_key k;
    int32_t pos;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const rm_key *x = &((const keyed *)a)->k, *y = &((const keyed *)b)->k;
    if (x->upd_ms != y->upd_ms)
        return x->upd_ms < y->upd_ms ? -1 : 1;
    return x->id < y->id ? -1 : x->id > y->id;
}

/* Rebuilds r's (updated, id) permutation after a change. */
static void resort(rm_data *d, rm_resource r)
{
    size_t n = n_of(d, r);
    keyed *k = mock_xcalloc(n, sizeof *k);
    for (size_t i = 0; i < n; i++)
        k[i] = (keyed){key_at(d, r, (int32_t)i), (int32_t)i};
    qsort(k, n, sizeof *k, cmp_keyed);
    int32_t **perm = r == RM_ORDERS ? &d->order_by_upd : &d->shop_by_upd;
    free(*perm);
    *perm = mock_xcalloc(n, sizeof **perm);
    for (size_t i = 0; i < n; i++)
        (*perm)[i] = k[i].pos;
    free(k);
}

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t c = *cap ? *cap * 2 : 64;
    while (c < need)
        c *= 2;
    void *q = realloc(p, c * size);
    if (!q)
        abort();
    *cap = c;
    return q;
}

static int64_t order_total(const order *o)
{
    int64_t t = o->shipping_cents;
    for (int i = 0; i < o->nitems; i++) {
        t += o->items[i].qty * o->items[i].price_cents;
        for (int j = 0; j < o->items[i].ndisc; j++)
            t -= o->items[i].disc[j].cents;
    }
    return t;
}

static void gen_disc(mock_rng *r, item *it, int j)
{
    it->disc[j].id = it->id * 10 + j + 1;
    it->disc[j].code = (uint8_t)mock_rng_range(r, 0, COUNT(CODE) - 1);
    it->disc[j].cents = mock_rng_range(r, 1, it->price_cents / 10 + 1);
}

static void gen_items(mock_rng *r, order *o, int64_t k)
{
    o->nitems = (int32_t)mock_rng_range(r, 1, MAX_ITEMS);
    for (int i = 0; i < o->nitems; i++) {
        item *it = &o->items[i];
        it->id = k * 10 + i + 1;
        it->sku = (int32_t)mock_rng_range(r, 1, 9999);
        it->qty = (int32_t)mock_rng_range(r, 1, 5);
        it->price_cents = mock_rng_range(r, 100, 99999);
        it->ndisc = (int32_t)mock_rng_range(r, 0, MAX_DISCS);
        for (int j = 0; j < it->ndisc; j++)
            gen_disc(r, it, j);
    }
}

/* Order number k, last updated at upd_ms (whole seconds when its style has no fraction). */
static void gen_order(rm_data *d, int64_t upd_ms)
{
    mock_rng *r = &d->rng;
    d->o = grow(d->o, &d->cap_o, d->n_o + 1, sizeof *d->o);
    order *o = &d->o[d->n_o++];
    int64_t k = d->next_k++;
    memset(o, 0, sizeof *o);
    o->id = ID_BASE + (uint64_t)k * 1000 + (uint64_t)mock_rng_range(r, 0, 999);
    o->style = (uint8_t)mock_rng_range(r, 0, RM_ISO_STYLES - 1);
    if (o->style == RM_ISO_OFFSET || o->style == RM_ISO_UTC)
        upd_ms -= upd_ms % 1000;
    o->upd_ms = upd_ms;
    o->created_ms = (upd_ms / 1000 - mock_rng_range(r, 0, 3 * 86400)) * 1000;
    o->status = (uint8_t)mock_rng_range(r, 0, COUNT(STATUS) - 1);
    o->paid_s = o->status ? o->created_ms / 1000 + mock_rng_range(r, 60, 3600) : 0;
    o->shop_id = d->n_sh ? (int32_t)d->sh[mock_rng_range(r, 0, (int64_t)d->n_sh - 1)].id : 0;
    o->version = 1;
    o->customer = (uint8_t)mock_rng_range(r, 0, COUNT(CUSTOMER) - 1);
    o->city = (uint8_t)mock_rng_range(r, 0, COUNT(CITY) - 1);
    o->note = (uint8_t)mock_rng_range(r, 0, COUNT(NOTE) - 1);
    o->shipping_cents = mock_rng_range(r, 0, 2) * 500;
    gen_items(r, o, k);
}

static void gen_shop(rm_data *d, int64_t upd_ms)
{
    mock_rng *r = &d->rng;
    d->sh = grow(d->sh, &d->cap_sh, d->n_sh + 1, sizeof *d->sh);
    shop *s = &d->sh[d->n_sh];
    s->id = d->n_sh ? d->sh[d->n_sh - 1].id + 1 : 1;
    d->n_sh++;
    s->style = (uint8_t)mock_rng_range(r, 0, RM_ISO_STYLES - 1);
    s->upd_ms = upd_ms - (s->style == RM_ISO_OFFSET || s->style == RM_ISO_UTC ? upd_ms % 1000 : 0);
    s->opened_ms = (upd_ms / 1000 - mock_rng_range(r, 86400, 400 * 86400)) * 1000;
    s->region = (uint8_t)mock_rng_range(r, 0, COUNT(REGION) - 1);
    s->active = mock_rng_range(r, 0, 4) != 0;
    s->deleted = false;
}

rm_data *rm_data_new(uint64_t seed, int64_t orders, int64_t shops, int64_t from_ms,
                     int64_t to_ms, int64_t now_ms)
{
    rm_data *d = mock_xcalloc(1, sizeof *d);
    d->rng.s = seed * 0x9E3779B97F4A7C15ULL + 17;
    rm_data_set_now(d, now_ms);
    for (int64_t i = 0; i < shops; i++)
        gen_shop(d, mock_rng_range(&d->rng, from_ms, to_ms));
    for (int64_t i = 0; i < orders; i++)
        gen_order(d, mock_rng_range(&d->rng, from_ms, to_ms));
    resort(d, RM_ORDERS);
    resort(d, RM_SHOPS);
    return d;
}

void rm_data_free(rm_data *d)
{
    if (!d)
        return;
    free(d->o);
    free(d->sh);
    free(d->order_by_upd);
    free(d->shop_by_upd);
    free(d);
}

static bool matches(const rm_data *d, rm_resource r, int32_t pos, const rm_filter *f)
{
    rm_key k = key_at(d, r, pos);
    if ((f->has_from && k.upd_ms < f->from_ms) ||
        (f->has_to && (f->to_exclusive ? k.upd_ms >= f->to_ms : k.upd_ms > f->to_ms)))
        return false;
    if (r == RM_SHOPS)
        return !d->sh[pos].deleted;
    const order *o = &d->o[pos];
    return (!f->status || strcmp(STATUS[o->status], f->status) == 0) &&
           (!f->shop_id || o->shop_id == f->shop_id);
}

int32_t *rm_data_select(const rm_data *d, rm_resource r, const rm_filter *f, size_t *n)
{
    size_t total = n_of(d, r), k = 0;
    const int32_t *perm = r == RM_ORDERS ? d->order_by_upd : d->shop_by_upd;
    int32_t *out = mock_xcalloc(total, sizeof *out);
    for (size_t i = 0; i < total; i++) {
        int32_t pos = f->by_id ? (int32_t)i : perm[i]; /* storage is in id order */
        if (matches(d, r, pos, f))
            out[k++] = pos;
    }
    *n = k;
    return out;
}

rm_key rm_data_key(const rm_data *d, rm_resource r, int32_t pos, bool by_id)
{
    rm_key k = key_at(d, r, pos);
    if (by_id)
        k.upd_ms = 0;
    return k;
}

size_t rm_data_count(const rm_data *d, rm_resource r)
{
    if (r == RM_ORDERS)
        return d->n_o;
    size_t live = 0;
    for (size_t i = 0; i < d->n_sh; i++)
        live += !d->sh[i].deleted;
    return live;
}

int64_t rm_data_now(const rm_data *d)
{
    return d->now_ms;
}

void rm_data_set_now(rm_data *d, int64_t now_ms)
{
    d->now_ms = now_ms - now_ms % 1000; /* changed records may be in a style without fraction */
}

/* ---- JSON ---- */

static void money(mock_buf *b, const char *name, int64_t cents)
{
    int64_t a = cents < 0 ? -cents : cents;
    mock_buf_fmt(b, ",\"%s\":\"%s%lld.%02lld\",\"%s_cents\":%lld", name, cents < 0 ? "-" : "",
                 (long long)(a / 100), (long long)(a % 100), name, (long long)cents);
}

static void time_field(mock_buf *b, const char *name, int64_t ms, rm_time_style style)
{
    char t[RM_ISO_MAX];
    rm_iso_format(ms, style, t);
    mock_buf_fmt(b, ",\"%s\":\"%s\"", name, t);
}

static void emit_items(const order *o, mock_buf *b)
{
    mock_buf_str(b, ",\"items\":[");
    for (int i = 0; i < o->nitems; i++) {
        const item *it = &o->items[i];
        mock_buf_fmt(b, "%s{\"id\":%lld,\"sku\":\"SKU-%04d\",\"qty\":%d", i ? "," : "",
                     (long long)it->id, it->sku, it->qty);
        money(b, "price", it->price_cents);
        mock_buf_str(b, ",\"discounts\":[");
        for (int j = 0; j < it->ndisc; j++) {
            mock_buf_fmt(b, "%s{\"id\":%lld,\"code\":", j ? "," : "", (long long)it->disc[j].id);
            mock_buf_json_str(b, CODE[it->disc[j].code]);
            money(b, "amount", it->disc[j].cents);
            mock_buf_str(b, "}");
        }
        mock_buf_str(b, "]}");
    }
    mock_buf_str(b, "]");
}

static void emit_order(const order *o, mock_buf *b)
{
    mock_buf_fmt(b, "{\"id\":\"%llu\",\"number\":\"SO-%08llu\",\"shop_id\":%d,\"status\":\"%s\","
                    "\"version\":%d",
                 (unsigned long long)o->id, (unsigned long long)(o->id - ID_BASE), o->shop_id,
                 STATUS[o->status], o->version);
    time_field(b, "created_at", o->created_ms, RM_ISO_OFFSET);
    time_field(b, "updated_at", o->upd_ms, (rm_time_style)o->style);
    if (o->paid_s)
        mock_buf_fmt(b, ",\"paid_at\":%lld", (long long)o->paid_s);
    else
        mock_buf_str(b, ",\"paid_at\":null");
    mock_buf_str(b, ",\"currency\":\"CNY\"");
    money(b, "total", order_total(o));
    money(b, "shipping", o->shipping_cents);
    mock_buf_str(b, ",\"customer\":{\"name\":");
    mock_buf_json_str(b, CUSTOMER[o->customer]);
    mock_buf_fmt(b, ",\"email\":\"c%d@example.com\",\"address\":{\"city\":", o->customer);
    mock_buf_json_str(b, CITY[o->city]);
    mock_buf_fmt(b, ",\"zip\":\"%s\"}}", ZIP[o->city]);
    mock_buf_str(b, ",\"note\":");
    if (NOTE[o->note])
        mock_buf_json_str(b, NOTE[o->note]);
    else
        mock_buf_str(b, "null");
    emit_items(o, b);
    mock_buf_str(b, "}");
}

static void emit_shop(const shop *s, mock_buf *b)
{
    mock_buf_fmt(b, "{\"id\":%lld,\"name\":\"Shop %02lld %s\",\"region\":\"%s\",\"active\":%s",
                 (long long)s->id, (long long)s->id, REGION[s->region], REGION[s->region],
                 s->active ? "true" : "false");
    time_field(b, "opened_at", s->opened_ms, RM_ISO_OFFSET);
    time_field(b, "updated_at", s->upd_ms, (rm_time_style)s->style);
    mock_buf_str(b, "}");
}

void rm_data_emit(const rm_data *d, rm_resource r, int32_t pos, mock_buf *out)
{
    if (r == RM_ORDERS)
        emit_order(&d->o[pos], out);
    else
        emit_shop(&d->sh[pos], out);
}

void rm_data_truth(const rm_data *d, rm_resource r, mock_buf *out)
{
    rm_filter all = {0};
    size_t n;
    int32_t *pos = rm_data_select(d, r, &all, &n);
    for (size_t i = 0; i < n; i++) {
        rm_data_emit(d, r, pos[i], out);
        mock_buf_str(out, "\n");
    }
    free(pos);
}

/* ---- changes ---- */

/* A visible edit: a new version and status, one more of the first item, its discounts
 * replaced (so a child of a child appears or disappears), with drop_item the last item gone
 * (a child and its children disappear), a new updated time. */
static void touch_order(rm_data *d, order *o, bool drop_item)
{
    if (drop_item && o->nitems > 1)
        o->nitems--;
    o->version++;
    o->status = (uint8_t)((o->status + 1) % COUNT(STATUS));
    item *it = &o->items[0];
    it->qty = it->qty % 5 + 1;
    it->ndisc = it->ndisc ? 0 : 1;
    if (it->ndisc)
        gen_disc(&d->rng, it, 0);
    o->upd_ms = d->now_ms;
}

void rm_data_mutate(rm_data *d, const int32_t *pick, size_t n, int64_t update, int64_t insert,
                    bool drop_item)
{
    for (int64_t i = 0; i < update && (n || d->n_o); i++) {
        int64_t j = mock_rng_range(&d->rng, 0, (int64_t)(n ? n : d->n_o) - 1);
        touch_order(d, &d->o[n ? pick[j] : j], drop_item);
    }
    for (int64_t i = 0; i < insert; i++) {
        gen_order(d, d->now_ms);
        d->o[d->n_o - 1].upd_ms = d->now_ms; /* whole seconds: the clock moves by seconds */
    }
    d->now_ms += 1000;
    resort(d, RM_ORDERS);
}

void rm_data_add_shops(rm_data *d, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        gen_shop(d, d->now_ms);
    d->now_ms += 1000;
    resort(d, RM_SHOPS);
}

bool rm_data_delete_shop(rm_data *d, int64_t id)
{
    for (size_t i = 0; i < d->n_sh; i++) {
        if (d->sh[i].id == id && !d->sh[i].deleted) {
            d->sh[i].deleted = true;
            return true;
        }
    }
    return false;
}
