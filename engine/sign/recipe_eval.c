/* recipe_eval.c: see recipe_eval.h. The string to sign is streamed, piece by piece, into the digest (or
 * a test's sink); only canonicalised JSON values are materialised. */
#include "recipe_eval.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "grow.h"
#include "suggest.h"

/* ---- templates ---- */

typedef enum part_kind {
    P_TEXT,
    P_SECRET,
    P_KEY,
    P_VALUE,
    P_TIMESTAMP,
    P_NONCE,
    P_HTTP_METHOD,
    P_PATH,
    P_BODY,
} part_kind;

/* Placeholder names, indexed by part_kind (P_TEXT has none). */
static const char *const part_names[] = {NULL,    "secret", "key",         "value", "timestamp",
                                         "nonce", "http_method", "path", "body"};

typedef struct part {
    part_kind kind;
    char *text; /* P_TEXT: owned literal */
    size_t len;
} part;

struct sl_tpl {
    part *v;
    size_t n, cap;
};

void sl_tpl_free(sl_tpl *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].text);
    free(t->v);
    free(t);
}

static bool tpl_add(sl_tpl *t, part_kind kind, const char *text, size_t len)
{
    part *nv = sl_grow(t->v, &t->cap, t->n + 1, sizeof *nv, 4);
    if (!nv)
        return false;
    t->v = nv;
    char *copy = NULL;
    if (kind == P_TEXT && !(copy = strndup(text, len)))
        return false;
    t->v[t->n++] = (part){kind, copy, len};
    return true;
}

/* The placeholder named by len bytes at name, or -1. */
static int placeholder(const char *name, size_t len)
{
    for (int k = P_SECRET; k <= P_BODY; k++)
        if (strlen(part_names[k]) == len && memcmp(part_names[k], name, len) == 0)
            return k;
    return -1;
}

/* Reads the placeholder at s + *i (just after its "{"); adds it or reports why not. */
static bool tpl_placeholder(sl_tpl *t, const char *s, size_t *i, sl_tpl_use use, sl_error *err)
{
    const char *close = strchr(s + *i, '}');
    if (!close) {
        sl_error_set(err, SL_ERR_CONFIG, "'{' at offset %zu is not closed (write {{ for a '{')",
                     *i - 1);
        return false;
    }
    size_t len = (size_t)(close - (s + *i));
    int k = placeholder(s + *i, len);
    if (k < 0) {
        char word[48];
        snprintf(word, sizeof word, "%.*s", (int)(len < sizeof word ? len : sizeof word - 1),
                 s + *i);
        const char *near = sl_did_you_mean(word, part_names + 1, P_BODY);
        sl_error_set(err, SL_ERR_CONFIG, "unknown placeholder '{%s}' at offset %zu (%s%s%s)", word,
                     *i - 1, near ? "did you mean '{" : "known: secret, key, value, timestamp, "
                                                        "nonce, http_method, path, body",
                     near ? near : "", near ? "}'?" : "");
        return false;
    }
    if ((k == P_KEY || k == P_VALUE) && use != SL_TPL_USE_PAIR) {
        sl_error_set(err, SL_ERR_CONFIG, "'{%s}' belongs in 'pair' only", part_names[k]);
        return false;
    }
    *i += len + 1;
    if (!tpl_add(t, (part_kind)k, "", 0)) {
        sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
        return false;
    }
    return true;
}

sl_tpl *sl_tpl_compile(const char *s, sl_tpl_use use, sl_error *err)
{
    sl_tpl *t = calloc(1, sizeof *t);
    size_t i = 0;
    if (!t)
        goto oom;
    while (s[i]) {
        size_t start = i;
        while (s[i] && s[i] != '{')
            i++;
        if (i > start && !tpl_add(t, P_TEXT, s + start, i - start))
            goto oom;
        if (!s[i])
            break;
        i++;
        if (s[i] == '{') { /* "{{": a literal "{" */
            if (!tpl_add(t, P_TEXT, "{", 1))
                goto oom;
            i++;
        } else if (!tpl_placeholder(t, s, &i, use, err)) {
            sl_tpl_free(t);
            return NULL;
        }
    }
    return t;
oom:
    sl_tpl_free(t);
    sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    return NULL;
}

void sl_tpl_text(const sl_tpl *t, char *out, size_t cap)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < t->n && o + 1 < cap; i++) {
        const part *x = &t->v[i];
        if (x->kind != P_TEXT) {
            o += (size_t)snprintf(out + o, cap - o, "{%s}", part_names[x->kind]);
            continue;
        }
        for (size_t j = 0; j < x->len && o + 3 < cap; j++) {
            char c = x->text[j];
            if (c == '\n' || c == '{')
                out[o++] = c == '\n' ? '\\' : '{';
            out[o++] = c == '\n' ? 'n' : c;
        }
        out[o] = '\0';
    }
}

bool sl_tpl_has(const sl_tpl *t, const char *name)
{
    int k = placeholder(name, strlen(name));
    for (size_t i = 0; k >= 0 && i < t->n; i++)
        if ((int)t->v[i].kind == k)
            return true;
    return false;
}

/* ---- the recipe ---- */

sl_recipe *sl_recipe_new(void)
{
    sl_recipe *r = calloc(1, sizeof *r);
    sl_error err = {0};
    if (!r)
        return NULL;
    r->sort = true;
    r->hash = SL_HASH_MD5;
    r->encoding = SL_ENC_HEX;
    r->pair = sl_tpl_compile("{key}{value}", SL_TPL_USE_PAIR, &err);
    r->join = sl_tpl_compile("", SL_TPL_USE_OTHER, &err);
    r->before = sl_tpl_compile("", SL_TPL_USE_OTHER, &err);
    r->after = sl_tpl_compile("", SL_TPL_USE_OTHER, &err);
    if (!r->pair || !r->join || !r->before || !r->after) {
        sl_recipe_free(r);
        return NULL;
    }
    return r;
}

void sl_recipe_free(sl_recipe *r)
{
    if (!r)
        return;
    char *strings[] = {r->secret,      r->stamp_format, r->stamp_param, r->stamp_header,
                       r->nonce_param, r->nonce_header, r->body_param,  r->sign_param,
                       r->sign_header};
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++)
        free(strings[i]);
    for (size_t i = 0; i < r->n_add; i++) {
        free(r->add_keys[i]);
        free(r->add_vals[i]);
    }
    free(r->add_keys);
    free(r->add_vals);
    sl_params *lists[] = {r->only, r->exclude, r->json, r->sign_from};
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
        sl_params_free(lists[i]);
    sl_tpl *tpls[] = {r->pair, r->join, r->before, r->after};
    for (size_t i = 0; i < sizeof tpls / sizeof *tpls; i++)
        sl_tpl_free(tpls[i]);
    free(r);
}

/* ---- per request: generated values ---- */

/* Fills out with n random letters and digits (uniform: bytes past 247 are drawn again). */
static bool random_nonce(char *out, size_t n)
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    size_t have = 0;
    while (have < n) {
        unsigned char b[SL_RECIPE_NONCE_MAX];
        ssize_t got = getrandom(b, sizeof b, 0);
        if (got <= 0)
            return false;
        for (ssize_t i = 0; i < got && have < n; i++)
            if (b[i] < 248) /* 248 = 4 * 62 */
                out[have++] = alnum[b[i] % 62];
    }
    out[n] = '\0';
    return true;
}

static bool stamp_text(const sl_recipe *r, int64_t now_ms, char *out, size_t cap)
{
    int64_t since_ms = now_ms - r->stamp_epoch_s * 1000;
    switch (r->stamp) {
    case SL_STAMP_NONE:
        out[0] = '\0';
        return true;
    case SL_STAMP_EPOCH: /* floor, also before the epoch */
        snprintf(out, cap, "%" PRId64, since_ms / 1000 - (since_ms % 1000 < 0));
        return true;
    case SL_STAMP_EPOCH_MS:
        snprintf(out, cap, "%" PRId64, since_ms);
        return true;
    case SL_STAMP_FORMAT: {
        int64_t s = now_ms / 1000 - (now_ms % 1000 < 0);
        return sl_time_strftime(r->stamp_format, s, r->stamp_zone_s, out, cap) >= 0;
    }
    }
    return false;
}

/* Sets value under name into params and/or headers (either name may be NULL). */
static bool send_value(sl_params *params, const char *pname, sl_params *headers,
                       const char *hname, const char *value)
{
    return (!pname || sl_params_set(params, pname, value)) &&
           (!hname || !headers || sl_params_set(headers, hname, value));
}

sl_status sl_recipe_prepare(const sl_recipe *r, int64_t now_ms, const char *fixed_nonce,
                            sl_recipe_call *call, sl_params *params, sl_params *headers,
                            sl_error *err)
{
    for (size_t i = 0; i < r->n_add; i++)
        if (!sl_params_set(params, r->add_keys[i], r->add_vals[i] ? r->add_vals[i] : ""))
            return sl_error_set(err, SL_ERR_INTERNAL, "signer: out of memory");
    if (!stamp_text(r, now_ms, call->timestamp, sizeof call->timestamp))
        return sl_error_set(err, SL_ERR_INTERNAL, "signer: the timestamp does not fit");
    call->nonce[0] = '\0';
    if (fixed_nonce)
        snprintf(call->nonce, sizeof call->nonce, "%s", fixed_nonce);
    else if (r->nonce_len && !random_nonce(call->nonce, r->nonce_len))
        return sl_error_set(err, SL_ERR_INTERNAL, "signer: no randomness for the nonce");
    bool ok = (r->stamp == SL_STAMP_NONE ||
               send_value(params, r->stamp_param, headers, r->stamp_header, call->timestamp)) &&
              (!r->nonce_len ||
               send_value(params, r->nonce_param, headers, r->nonce_header, call->nonce));
    return ok ? SL_OK : sl_error_set(err, SL_ERR_INTERNAL, "signer: out of memory");
}

/* ---- per request: the string to sign ---- */

typedef struct pair_ref {
    const char *key;
    const char *val;
    size_t len;
} pair_ref;

typedef struct writer {
    const sl_recipe *r;
    const sl_recipe_call *call;
    sl_sign_sink *sink;
    void *ctx;
    bool failed; /* out of memory canonicalising a value */
} writer;

static void put(writer *w, const char *s, size_t len)
{
    if (len)
        w->sink(w->ctx, s, len);
}

static void put_str(writer *w, const char *s)
{
    if (s)
        put(w, s, strlen(s));
}

/* A value as signed: from sign_from's text on, JSON canonicalised when listed in json. */
static void put_value(writer *w, const char *key, const char *val, size_t len)
{
    const char *from = w->r->sign_from ? sl_params_get(w->r->sign_from, key) : NULL;
    const char *at = from ? strstr(val, from) : NULL;
    if (at) {
        len -= (size_t)(at - val);
        val = at;
    }
    json_t *j = NULL;
    if (w->r->json && sl_params_get(w->r->json, key) && (val[0] == '{' || val[0] == '['))
        j = json_loadb(val, len, 0, NULL);
    if (!j) { /* not JSON text: signed as sent */
        put(w, val, len);
        return;
    }
    if (w->r->json_flat) {
        sl_sign_json_flat(j, w->sink, w->ctx);
    } else {
        char *c = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
        if (c)
            put_str(w, c);
        w->failed |= !c;
        free(c);
    }
    json_decref(j);
}

static void put_tpl(writer *w, const sl_tpl *t, const pair_ref *p)
{
    const sl_recipe_call *c = w->call;
    for (size_t i = 0; i < t->n; i++) {
        const part *x = &t->v[i];
        switch (x->kind) {
        case P_TEXT: put(w, x->text, x->len); break;
        case P_SECRET: put_str(w, w->r->secret); break;
        case P_KEY: put_str(w, p->key); break;
        case P_VALUE: put_value(w, p->key, p->val, p->len); break;
        case P_TIMESTAMP: put_str(w, c->timestamp); break;
        case P_NONCE: put_str(w, c->nonce); break;
        case P_HTTP_METHOD: put_str(w, c->http_method); break;
        case P_PATH: put_str(w, c->path); break;
        case P_BODY: put(w, c->body ? c->body : "", c->body ? c->body_len : 0); break;
        }
    }
}

static bool takes_part(const sl_recipe *r, const char *key, const char *val)
{
    return !(r->exclude && sl_params_get(r->exclude, key)) &&
           !(r->sign_param && strcmp(key, r->sign_param) == 0) &&
           !(r->skip_empty && val[0] == '\0');
}

static int pair_cmp(const void *a, const void *b)
{
    return strcmp(((const pair_ref *)a)->key, ((const pair_ref *)b)->key);
}

/* The pairs that take part, in signing order; *n set. NULL (and *n 0) on out of memory. */
static pair_ref *select_pairs(const sl_recipe *r, const sl_params *params,
                              const sl_recipe_call *call, size_t *n)
{
    const sl_params *names = r->only ? r->only : params;
    size_t max = sl_params_count(names) + 1;
    pair_ref *v = malloc(max * sizeof *v);
    *n = 0;
    if (!v)
        return NULL;
    for (size_t i = 0; i < sl_params_count(names); i++) {
        const char *key = sl_params_key(names, i);
        const char *val = sl_params_get(params, key);
        if (val && takes_part(r, key, val))
            v[(*n)++] = (pair_ref){key, val, strlen(val)};
    }
    if (r->body_param && !sl_params_get(params, r->body_param)) {
        const char *body = call->body ? call->body : "";
        size_t len = call->body ? call->body_len : 0;
        if (takes_part(r, r->body_param, body))
            v[(*n)++] = (pair_ref){r->body_param, body, len};
    }
    if (r->sort)
        qsort(v, *n, sizeof *v, pair_cmp);
    return v;
}

bool sl_recipe_write(const sl_recipe *r, const sl_params *params, const sl_recipe_call *call,
                     sl_sign_sink *sink, void *ctx)
{
    writer w = {r, call, sink, ctx, false};
    size_t n;
    pair_ref *v = select_pairs(r, params, call, &n);
    if (!v)
        return false;
    put_tpl(&w, r->before, NULL);
    for (size_t i = 0; i < n; i++) {
        if (i)
            put_tpl(&w, r->join, NULL);
        put_tpl(&w, r->pair, &v[i]);
    }
    put_tpl(&w, r->after, NULL);
    free(v);
    return !w.failed;
}

static void digest_sink(void *ctx, const void *data, size_t len)
{
    sl_digest_update(ctx, data, len);
}

bool sl_recipe_compute(const sl_recipe *r, const sl_params *params, const sl_recipe_call *call,
                       char out[SL_DIGEST_TEXT])
{
    sl_digest d;
    uint8_t raw[SL_DIGEST_MAX];
    const char *key = r->hmac ? (r->secret ? r->secret : "") : NULL;
    sl_digest_init(&d, r->hash, key, key ? strlen(key) : 0);
    bool ok = sl_recipe_write(r, params, call, digest_sink, &d);
    sl_digest_encode(raw, sl_digest_final(&d, raw), r->encoding, out);
    return ok;
}

sl_status sl_recipe_sign(const sl_recipe *r, sl_params *params, sl_params *headers,
                         const sl_recipe_call *call, sl_error *err)
{
    char sig[SL_DIGEST_TEXT];
    if (!sl_recipe_compute(r, params, call, sig) ||
        !send_value(params, r->sign_param, headers, r->sign_header, sig))
        return sl_error_set(err, SL_ERR_INTERNAL, "signer: out of memory");
    return SL_OK;
}
