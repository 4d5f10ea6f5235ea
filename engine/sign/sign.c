/* sign.c: see sign.h. The parts every signer shares: parameter lists, the MD5 signatures
 * (their sources streamed into an MD5 context, or a test's sink, piece by piece) and the
 * dispatch of a request to the plan's signer kind (signers.def). */
#include "sign.h"
#include "urlcode.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "kind.h"
#include "md5.h"

typedef struct sl_pair {
    char *key;
    char *val;
} sl_pair;

struct sl_params {
    sl_pair *v;
    size_t n, cap;
};

/* ---- parameter lists ---- */

sl_params *sl_params_new(void)
{
    return calloc(1, sizeof(sl_params));
}

void sl_params_free(sl_params *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].key);
        free(p->v[i].val);
    }
    free(p->v);
    free(p);
}

static char *dupn(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static sl_pair *find(const sl_params *p, const char *key, size_t klen)
{
    for (size_t i = 0; i < p->n; i++)
        if (strncmp(p->v[i].key, key, klen) == 0 && p->v[i].key[klen] == '\0')
            return &p->v[i];
    return NULL;
}

bool sl_params_setn(sl_params *p, const char *key, size_t klen, const char *val, size_t vlen)
{
    char *v = dupn(val, vlen);
    if (!v)
        return false;
    sl_pair *old = find(p, key, klen);
    if (old) {
        free(old->val);
        old->val = v;
        return true;
    }
    sl_pair *nv = sl_grow(p->v, &p->cap, p->n + 1, sizeof *nv, 16);
    if (!nv) {
        free(v);
        return false;
    }
    p->v = nv;
    char *k = dupn(key, klen);
    if (!k) {
        free(v);
        return false;
    }
    p->v[p->n].key = k;
    p->v[p->n].val = v;
    p->n++;
    return true;
}

bool sl_params_set(sl_params *p, const char *key, const char *val)
{
    return sl_params_setn(p, key, strlen(key), val, strlen(val));
}

const char *sl_params_get(const sl_params *p, const char *key)
{
    sl_pair *e = find(p, key, strlen(key));
    return e ? e->val : NULL;
}

size_t sl_params_count(const sl_params *p)
{
    return p->n;
}

const char *sl_params_key(const sl_params *p, size_t i)
{
    return p->v[i].key;
}

const char *sl_params_value(const sl_params *p, size_t i)
{
    return p->v[i].val;
}

static int pair_cmp(const void *a, const void *b)
{
    return strcmp(((const sl_pair *)a)->key, ((const sl_pair *)b)->key);
}

void sl_params_sort(sl_params *p)
{
    if (p->n > 1)
        qsort(p->v, p->n, sizeof(sl_pair), pair_cmp);
}

/* A growable string; on allocation failure it turns "failed" and ignores further writes. */
typedef struct strbuf {
    char *s;
    size_t len, cap;
    bool failed;
} strbuf;

static void sb_add(strbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    char *ns = sl_grow(b->s, &b->cap, b->len + n + 1, 1, 256);
    if (!ns) {
        b->failed = true;
        return;
    }
    b->s = ns;
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

/* Returns the built string (owned) or NULL if any write failed. */
static char *sb_take(strbuf *b, size_t *len)
{
    if (!b->failed && !b->s)
        sb_add(b, "", 0);
    if (b->failed) {
        free(b->s);
        return NULL;
    }
    if (len)
        *len = b->len;
    return b->s;
}

static void sb_escape(strbuf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '_' || c == '.' || c == '~') {
            sb_add(b, s, 1);
        } else {
            char e[3] = {'%', hex[c >> 4], hex[c & 15]};
            sb_add(b, e, 3);
        }
    }
}

char *sl_params_encode(const sl_params *p, size_t *len)
{
    strbuf b = {0};
    for (size_t i = 0; i < p->n; i++) {
        if (i)
            sb_add(&b, "&", 1);
        sb_escape(&b, p->v[i].key);
        sb_add(&b, "=", 1);
        sb_escape(&b, p->v[i].val);
    }
    return sb_take(&b, len);
}

bool sl_params_parse_form(sl_params *p, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        while (end < len && s[end] != '&')
            end++;
        size_t eq = i;
        while (eq < end && s[eq] != '=')
            eq++;
        if (end > i) {
            size_t kl = 0, vl = 0;
            char *k = sl_url_decode(s + i, eq - i, true, &kl);
            char *v = eq < end ? sl_url_decode(s + eq + 1, end - eq - 1, true, &vl) : dupn("", 0);
            bool ok = k && v && sl_params_setn(p, k, kl, v, vl);
            free(k);
            free(v);
            if (!ok)
                return false;
        }
        i = end + 1;
    }
    return true;
}

/* ---- signatures ---- */

static void md5_sink(void *ctx, const void *data, size_t len)
{
    sl_md5_update(ctx, data, len);
}

static void put(sl_sign_sink *sink, void *ctx, const char *s)
{
    sink(ctx, s, strlen(s));
}

/* Pair indexes of p sorted by key, without touching p; NULL on out of memory. */
static const sl_pair **sorted_view(const sl_params *p)
{
    const sl_pair **v = malloc((p->n ? p->n : 1) * sizeof(*v));
    if (!v)
        return NULL;
    for (size_t i = 0; i < p->n; i++)
        v[i] = &p->v[i];
    for (size_t i = 1; i < p->n; i++) { /* insertion sort: lists are short */
        const sl_pair *x = v[i];
        size_t j = i;
        for (; j > 0 && strcmp(v[j - 1]->key, x->key) > 0; j--)
            v[j] = v[j - 1];
        v[j] = x;
    }
    return v;
}

/* Shortest text that reads back as the same double, like Go's %v / Java's toString. */
static void put_real(sl_sign_sink *sink, void *ctx, double d)
{
    char buf[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    put(sink, ctx, buf);
}

static void put_json(const json_t *j, sl_sign_sink *sink, void *ctx);

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void put_object(const json_t *j, sl_sign_sink *sink, void *ctx)
{
    size_t n = json_object_size(j), i = 0;
    const char **keys = malloc((n ? n : 1) * sizeof(*keys));
    const char *k;
    const json_t *v;
    if (!keys)
        return; /* out of memory: the signature will simply not match */
    json_object_foreach((json_t *)j, k, v) keys[i++] = k;
    qsort(keys, n, sizeof(*keys), key_cmp);
    for (i = 0; i < n; i++) {
        v = json_object_get(j, keys[i]);
        if (json_is_null(v))
            continue;
        put(sink, ctx, keys[i]);
        put_json(v, sink, ctx);
    }
    free(keys);
}

static void put_json(const json_t *j, sl_sign_sink *sink, void *ctx)
{
    char buf[32];
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        put_object(j, sink, ctx);
        break;
    case JSON_ARRAY:
        for (size_t i = 0; i < json_array_size(j); i++)
            if (!json_is_null(json_array_get(j, i)))
                put_json(json_array_get(j, i), sink, ctx);
        break;
    case JSON_STRING:
        sink(ctx, json_string_value(j), json_string_length(j));
        break;
    case JSON_INTEGER:
        snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
        put(sink, ctx, buf);
        break;
    case JSON_REAL:
        put_real(sink, ctx, json_real_value(j));
        break;
    case JSON_TRUE:
        put(sink, ctx, "true");
        break;
    case JSON_FALSE:
        put(sink, ctx, "false");
        break;
    case JSON_NULL:
        break;
    }
}

void sl_sign_json_flat(const json_t *j, sl_sign_sink *sink, void *ctx)
{
    put_json(j, sink, ctx);
}

/* One wdt_sign value: method without its scene prefix, JSON containers canonicalised. */
static void put_wdt_value(const char *key, const char *val, sl_sign_sink *sink, void *ctx)
{
    if (strcmp(key, "method") == 0) {
        const char *w = strstr(val, "wdt.");
        put(sink, ctx, w ? w : val);
        return;
    }
    if (val[0] == '{' || val[0] == '[') {
        json_t *j = json_loads(val, JSON_DECODE_ANY, NULL);
        if (j) {
            put_json(j, sink, ctx);
            json_decref(j);
            return;
        }
    }
    put(sink, ctx, val);
}

void sl_sign_wdt_write(const sl_params *biz, const char *wdt_secret, sl_sign_sink *sink,
                       void *ctx)
{
    const sl_pair **v = sorted_view(biz);
    put(sink, ctx, wdt_secret);
    for (size_t i = 0; v && i < biz->n; i++) {
        if (strcmp(v[i]->key, "wdt3_customer_id") == 0 || strcmp(v[i]->key, "wdt_sign") == 0)
            continue;
        put(sink, ctx, v[i]->key);
        put_wdt_value(v[i]->key, v[i]->val, sink, ctx);
    }
    put(sink, ctx, wdt_secret);
    free(v);
}

void sl_sign_wdt(const sl_params *biz, const char *wdt_secret, char out[33])
{
    sl_md5 m;
    sl_md5_init(&m);
    sl_sign_wdt_write(biz, wdt_secret, md5_sink, &m);
    sl_md5_final_hex(&m, false, out);
}

void sl_sign_top_write(const sl_params *all, const char *app_secret, sl_sign_sink *sink,
                       void *ctx)
{
    const sl_pair **v = sorted_view(all);
    put(sink, ctx, app_secret);
    for (size_t i = 0; v && i < all->n; i++) {
        if (strcmp(v[i]->key, "sign") == 0 || v[i]->val[0] == '\0')
            continue;
        put(sink, ctx, v[i]->key);
        put(sink, ctx, v[i]->val);
    }
    put(sink, ctx, app_secret);
    free(v);
}

void sl_sign_top(const sl_params *all, const char *app_secret, char out[33])
{
    sl_md5 m;
    sl_md5_init(&m);
    sl_sign_top_write(all, app_secret, md5_sink, &m);
    sl_md5_final_hex(&m, true, out);
}

void sl_sign_direct_write(const sl_params *query, const char *body, size_t body_len,
                          const char *secret, sl_sign_sink *sink, void *ctx)
{
    const sl_pair **v = sorted_view(query);
    bool body_done = false;
    put(sink, ctx, secret);
    for (size_t i = 0; v && i <= query->n; i++) {
        const char *key = i < query->n ? v[i]->key : NULL;
        if (!body_done && (!key || strcmp(key, "body") > 0)) {
            put(sink, ctx, "body");
            sink(ctx, body, body_len);
            body_done = true;
        }
        if (!key || strcmp(key, "sign") == 0 || strcmp(key, "body") == 0)
            continue;
        put(sink, ctx, key);
        put(sink, ctx, v[i]->val);
    }
    put(sink, ctx, secret);
    free(v);
}

void sl_sign_direct(const sl_params *query, const char *body, size_t body_len,
                    const char *secret, char out[33])
{
    sl_md5 m;
    sl_md5_init(&m);
    sl_sign_direct_write(query, body, body_len, secret, md5_sink, &m);
    sl_md5_final_hex(&m, false, out);
}

/* ---- one page request ---- */

bool sl_params_set_int(sl_params *p, const char *key, int64_t v)
{
    char buf[24];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    return sl_params_set(p, key, buf);
}

const char *sl_sign_missing(const char *const *vals, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!vals[i])
            return names[i];
    return NULL;
}

bool sl_sign_plain_params(sl_params *p, const sl_page_req *r)
{
    const char *k;
    json_t *v;
    json_object_foreach((json_t *)r->filter, k, v) {
        bool ok;
        if (json_is_string(v)) {
            ok = sl_params_set(p, k, json_string_value(v));
        } else {
            char *t = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            ok = t && sl_params_set(p, k, t);
            free(t);
        }
        if (!ok)
            return false;
    }
    /* The order (filter, method, page, size) is the body's: recorded requests compare it. */
    if (r->method && *r->method && !sl_params_set(p, "method", r->method))
        return false;
    bool page = !r->page_param ||
                (r->page_token ? sl_params_set(p, r->page_param, r->page_token)
                               : sl_params_set_int(p, r->page_param, r->page_no));
    return page && (!r->size_param || sl_params_set_int(p, r->size_param, r->page_size));
}

sl_status sl_request_form(const sl_params *p, sl_request *out)
{
    out->body = sl_params_encode(p, &out->body_len);
    out->query = dupn("", 0);
    out->content_type = "application/x-www-form-urlencoded; charset=UTF-8";
    return out->body && out->query ? SL_OK : SL_ERR_INTERNAL;
}

sl_status sl_request_build(const sl_kind_ref *signer, const sl_page_req *req, sl_request *out,
                           sl_error *err)
{
    memset(out, 0, sizeof *out);
    const sl_signer_ops *ops = signer->kind ? signer->kind->ops : NULL;
    if (!ops)
        return sl_error_set(err, SL_ERR_CONFIG, "request: no signer");
    if (!json_is_object(req->filter))
        return sl_error_set(err, SL_ERR_CONFIG, "request: filter must be an object");
    /* The WDT signers (the ones signing the method) always send a page number and its size. */
    if (ops->needs_method && (!req->page_param || !req->size_param || req->page_token))
        return sl_error_set(err, SL_ERR_CONFIG,
                            "request: the signer needs page-number or offset paging");
    if (ops->needs_method && !req->method)
        return sl_error_set(err, SL_ERR_CONFIG, "request: a signed request needs a method");
    if (req->json_body && !ops->json_body)
        return sl_error_set(err, SL_ERR_CONFIG, "request: the signer sends no JSON body");
    sl_status rc = ops->build(signer->cfg, req, out, err);
    if (rc == SL_ERR_INTERNAL)
        sl_error_set(err, rc, "request: out of memory");
    if (rc != SL_OK)
        sl_request_clear(out);
    return rc;
}

void sl_request_clear(sl_request *r)
{
    if (!r)
        return;
    free(r->query);
    free(r->body);
    sl_params_free(r->headers);
    memset(r, 0, sizeof *r);
}
