/* fuzz_sign.c: differential fuzz target for the request signers (engine/sign/sign.c, md5.c,
 * urlcode.c). Input, split at newlines: byte 0 = request kind (0 none, 1 qimen-wdt,
 * 2 wdt-direct, 3 no request), byte 1 = which signer credentials are unset (bit i for the
 * i-th of app_key, app_secret, target_app_key, sid, wdt_appkey, wdt_secret, wdt_salt), then
 * line 1 = the secret, line 2 = the body (the filter too when it is a JSON object), each
 * further line a "key=value" parameter. A disagreement aborts.
 *   - each signature's source string (the _write form) equals one built here from the
 *     recipes of sign.h, written independently (own sort, own JSON canonical form);
 *   - each signature is the MD5 of that source (OpenSSL's EVP when built with it, else the
 *     engine's own MD5), 32 hex digits in the recipe's case;
 *   - the signatures do not depend on the order the parameters were set in;
 *   - form encoding round-trips through sl_params_parse_form;
 *   - a built request verifies as the mock server verifies it: its signatures recomputed
 *     from what it sends; a missing credential is a configuration error. */
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_target.h"
#include "md5.h"
#include "kind.h"
#include "sign.h"
#include "wdt_creds.h"
#ifdef SLUICE_FUZZ_OPENSSL
#include <openssl/evp.h>
#endif

#define MAX_PAIRS 64

typedef struct pair {
    const char *k, *v;
} pair;

typedef struct buf {
    char *s;
    size_t len, cap;
} buf;

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_sign: %s: %s\n", what, detail ? detail : "");
    abort();
}

static void add(buf *b, const void *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        if (!(b->s = realloc(b->s, b->cap)))
            abort();
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void adds(buf *b, const char *s)
{
    add(b, s, strlen(s));
}

static void sink(void *ctx, const void *data, size_t len)
{
    add(ctx, data, len);
}

/* Hex MD5 of b, from OpenSSL when available. */
static void ref_md5(const buf *b, bool upper, char out[33])
{
#ifdef SLUICE_FUZZ_OPENSSL
    unsigned char d[16];
    unsigned int n = 0;
    if (!EVP_Digest(b->s ? b->s : "", b->len, d, &n, EVP_md5(), NULL) || n != 16)
        fail("EVP_Digest", NULL);
    for (int i = 0; i < 16; i++)
        snprintf(out + 2 * i, 3, upper ? "%02X" : "%02x", d[i]);
#else
    sl_md5_hex(b->s ? b->s : "", b->len, upper, out);
#endif
}

static int pair_cmp(const void *a, const void *b)
{
    return strcmp(((const pair *)a)->k, ((const pair *)b)->k);
}

/* The pairs of p sorted by key (owned). */
static pair *sorted(const sl_params *p, size_t *n)
{
    *n = sl_params_count(p);
    pair *v = malloc((*n + 1) * sizeof *v);
    if (!v)
        abort();
    for (size_t i = 0; i < *n; i++)
        v[i] = (pair){sl_params_key(p, i), sl_params_value(p, i)};
    qsort(v, *n, sizeof *v, pair_cmp);
    return v;
}

static void canon(const json_t *j, buf *b);

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* wdt_sign's canonical form of a JSON value: object keys sorted, nulls skipped, numbers as
 * their shortest text. */
static void canon(const json_t *j, buf *b)
{
    char t[40];
    if (json_is_object(j)) {
        const char **keys = malloc((json_object_size(j) + 1) * sizeof *keys), *k;
        size_t n = 0;
        json_t *v;
        json_object_foreach((json_t *)j, k, v) keys[n++] = k;
        qsort(keys, n, sizeof *keys, str_cmp);
        for (size_t i = 0; i < n; i++)
            if (!json_is_null(json_object_get(j, keys[i]))) {
                adds(b, keys[i]);
                canon(json_object_get(j, keys[i]), b);
            }
        free(keys);
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++)
            canon(json_array_get(j, i), b);
    } else if (json_is_string(j)) {
        add(b, json_string_value(j), json_string_length(j));
    } else if (json_is_integer(j)) {
        snprintf(t, sizeof t, "%lld", (long long)json_integer_value(j));
        adds(b, t);
    } else if (json_is_real(j)) {
        int p = 1;
        do
            snprintf(t, sizeof t, "%.*g", p, json_real_value(j));
        while (strtod(t, NULL) != json_real_value(j) && ++p <= 17);
        adds(b, t);
    } else if (json_is_boolean(j)) {
        adds(b, json_is_true(j) ? "true" : "false");
    }
}

static void ref_wdt(const sl_params *p, const char *secret, buf *b)
{
    size_t n;
    pair *v = sorted(p, &n);
    adds(b, secret);
    for (size_t i = 0; i < n; i++) {
        json_t *j = NULL;
        if (!strcmp(v[i].k, "wdt3_customer_id") || !strcmp(v[i].k, "wdt_sign"))
            continue;
        adds(b, v[i].k);
        if (!strcmp(v[i].k, "method"))
            adds(b, strstr(v[i].v, "wdt.") ? strstr(v[i].v, "wdt.") : v[i].v);
        else if ((v[i].v[0] == '{' || v[i].v[0] == '[') &&
                 (j = json_loads(v[i].v, JSON_DECODE_ANY, NULL)))
            canon(j, b);
        else
            adds(b, v[i].v);
        json_decref(j);
    }
    adds(b, secret);
    free(v);
}

static void ref_top(const sl_params *p, const char *secret, buf *b)
{
    size_t n;
    pair *v = sorted(p, &n);
    adds(b, secret);
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].k, "sign") && *v[i].v) {
            adds(b, v[i].k);
            adds(b, v[i].v);
        }
    adds(b, secret);
    free(v);
}

static void ref_direct(const sl_params *p, const char *body, size_t blen, const char *secret,
                       buf *b)
{
    size_t n, m = 0;
    pair *v = sorted(p, &n), *w = malloc((n + 2) * sizeof *w);
    if (!w)
        abort();
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].k, "sign") && strcmp(v[i].k, "body"))
            w[m++] = v[i];
    w[m++] = (pair){"body", NULL};
    qsort(w, m, sizeof *w, pair_cmp);
    adds(b, secret);
    for (size_t i = 0; i < m; i++) {
        adds(b, w[i].k);
        if (w[i].v)
            adds(b, w[i].v);
        else
            add(b, body, blen);
    }
    adds(b, secret);
    free(v);
    free(w);
}

/* One signer: the _write source equals the reference's, the signature is its MD5. */
static void check_sig(const char *name, const buf *want, const buf *got, const char *sig,
                      bool upper)
{
    char md5[33];
    if (want->len != got->len || memcmp(want->s, got->s, want->len) != 0)
        fail(name, "source string differs from the recipe's");
    ref_md5(want, upper, md5);
    if (strlen(sig) != 32 || strcmp(sig, md5) != 0)
        fail(name, "signature is not the MD5 of its source");
}

/* All three signers over p; their signatures in sigs[3]. */
static void check_signers(const sl_params *p, const char *secret, const char *body, size_t blen,
                          char sigs[3][33])
{
    buf want = {0}, got = {0};
    ref_wdt(p, secret, &want);
    sl_sign_wdt_write(p, secret, sink, &got);
    sl_sign_wdt(p, secret, sigs[0]);
    check_sig("wdt_sign", &want, &got, sigs[0], false);
    want.len = got.len = 0;
    ref_top(p, secret, &want);
    sl_sign_top_write(p, secret, sink, &got);
    sl_sign_top(p, secret, sigs[1]);
    check_sig("TOP sign", &want, &got, sigs[1], true);
    want.len = got.len = 0;
    ref_direct(p, body, blen, secret, &want);
    sl_sign_direct_write(p, body, blen, secret, sink, &got);
    sl_sign_direct(p, body, blen, secret, sigs[2]);
    check_sig("direct sign", &want, &got, sigs[2], false);
    free(want.s);
    free(got.s);
}

/* Encoding then parsing gives the same pairs in the same order. */
static void check_form(const sl_params *p)
{
    size_t len;
    char *enc = sl_params_encode(p, &len);
    sl_params *q = sl_params_new();
    if (!enc || !q || !sl_params_parse_form(q, enc, len))
        fail("form", "encoded parameters do not parse back");
    if (sl_params_count(q) != sl_params_count(p))
        fail("form", enc);
    for (size_t i = 0; i < sl_params_count(p); i++)
        if (strcmp(sl_params_key(p, i), sl_params_key(q, i)) ||
            strcmp(sl_params_value(p, i), sl_params_value(q, i)))
            fail("form", enc);
    sl_params_free(q);
    free(enc);
}

/* The pairs of a form (the query without its "?"), or an abort. */
static sl_params *parsed(const char *form)
{
    sl_params *p = sl_params_new();
    if (!p || !sl_params_parse_form(p, form, strlen(form)))
        fail("request", "what it sends does not parse");
    return p;
}

/* sigs' field equals the hex MD5 of the source in b (which is emptied). */
static void check_sent(const char *name, const sl_params *sent, const char *field, buf *b,
                       bool upper)
{
    char md5[33];
    const char *got = sl_params_get(sent, field);
    ref_md5(b, upper, md5);
    if (!got || strcmp(got, md5) != 0)
        fail(name, "the sent signature does not verify");
    b->len = 0;
}

/* A qimen-wdt request: wdt_sign over the WDT params, sign over all. */
static void verify_qimen(const sl_request *r, const sl_wdt_creds *s)
{
    static const char *const biz[] = {"method", "datetime", "params", "pager", "wdt_appkey",
                                      "wdt_salt", "wdt3_customer_id"};
    sl_params *p = parsed(r->body), *w = sl_params_new();
    buf b = {0};
    for (size_t i = 0; i < sizeof biz / sizeof *biz; i++)
        if (!sl_params_get(p, biz[i]) || !sl_params_set(w, biz[i], sl_params_get(p, biz[i])))
            fail("qimen request", biz[i]);
    ref_wdt(w, s->wdt_secret, &b);
    check_sent("qimen wdt_sign", p, "wdt_sign", &b, false);
    ref_top(p, s->app_secret, &b);
    check_sent("qimen sign", p, "sign", &b, true);
    if (strcmp(sl_params_get(p, "app_key"), s->app_key) ||
        strcmp(sl_params_get(p, "wdt3_customer_id"), s->sid))
        fail("qimen request", "credentials not sent as set");
    free(b.s);
    sl_params_free(w);
    sl_params_free(p);
}

/* A wdt-direct request: sign over the query and the exact body. */
static void verify_direct(const sl_request *r, const sl_wdt_creds *s)
{
    if (r->query[0] != '?')
        fail("direct request", r->query);
    sl_params *q = parsed(r->query + 1);
    buf b = {0};
    ref_direct(q, r->body, r->body_len, s->wdt_secret, &b);
    check_sent("direct sign", q, "sign", &b, false);
    free(b.s);
    sl_params_free(q);
}

/* Builds a request of kind with the credentials not in unset, checks it as a server would. */
static void check_request(int kind, unsigned unset, const sl_params *fw, const char *secret,
                          const char *body)
{
    enum { NONE, QIMEN_WDT, WDT_DIRECT }; /* the input's byte 0 */
    static const char *const names[] = {[NONE] = "none", [QIMEN_WDT] = "qimen-wdt",
                                        [WDT_DIRECT] = "wdt-direct"};
    sl_wdt_creds s = {0};
    sl_kind_ref signer = {sl_kind_find(&sl_kinds_signer, names[kind]), &s};
    char **cred[] = {&s.app_key, &s.app_secret, &s.target_app_key, &s.sid,
                     &s.wdt_appkey, &s.wdt_secret, &s.wdt_salt};
    bool missing = false;
    for (size_t i = 0; i < 7; i++) {
        const char *v = i == 5 ? secret : i < sl_params_count(fw) ? sl_params_value(fw, i) : "c";
        *cred[i] = unset >> i & 1 ? NULL : (char *)v;
        missing |= !*cred[i] && (kind == QIMEN_WDT || i >= 3);
    }
    json_t *filter = json_loads(body, 0, NULL);
    if (!json_is_object(filter)) {
        json_decref(filter);
        filter = json_object();
        for (size_t i = 0; i < sl_params_count(fw); i++)
            json_object_set_new(filter, sl_params_key(fw, i), json_string(sl_params_value(fw, i)));
    }
    const char *method = sl_params_get(fw, "method");
    sl_page_req req = {.method = method ? method : "wdt.aftersales.refund.refund.search",
                       .filter = filter, .page_param = "page_no", .size_param = "page_size",
                       .page_no = (int64_t)strlen(secret) - 3, .page_size = 50,
                       .now = 1700000000};
    sl_request r;
    sl_error err = {0};
    sl_status rc = sl_request_build(&signer, &req, &r, &err);
    if (kind != NONE && missing ? rc != SL_ERR_CONFIG : rc != SL_OK)
        fail("request", err.msg);
    if (rc == SL_OK && kind == QIMEN_WDT)
        verify_qimen(&r, &s);
    if (rc == SL_OK && kind == WDT_DIRECT)
        verify_direct(&r, &s);
    if (rc == SL_OK && kind == NONE)
        sl_params_free(parsed(r.body));
    sl_request_clear(&r);
    json_decref(filter);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text, *line[MAX_PAIRS + 2];
    size_t n = 0;
    if (size < 2 || memchr(data + 2, '\0', size - 2))
        return 0; /* parameters are C strings */
    if (!(text = malloc(size - 1)))
        abort();
    memcpy(text, data + 2, size - 2);
    text[size - 2] = '\0';
    for (char *s = text; s && n < MAX_PAIRS + 2; n++) {
        line[n] = s;
        if ((s = strchr(s, '\n')))
            *s++ = '\0';
    }
    const char *secret = line[0], *body = n > 1 ? line[1] : "";
    sl_params *fw = sl_params_new(), *bw = sl_params_new();
    for (size_t i = 2; i < n; i++) {
        char *eq = strchr(line[i], '=');
        size_t kl = eq ? (size_t)(eq - line[i]) : strlen(line[i]);
        if (!sl_params_setn(fw, line[i], kl, eq ? eq + 1 : "", eq ? strlen(eq + 1) : 0))
            abort();
    }
    for (size_t i = sl_params_count(fw); i-- > 0;) /* the same pairs, set in reverse order */
        if (!sl_params_set(bw, sl_params_key(fw, i), sl_params_value(fw, i)))
            abort();
    char a[3][33], b[3][33];
    check_signers(fw, secret, body, strlen(body), a);
    check_signers(bw, secret, body, strlen(body), b);
    if (memcmp(a, b, sizeof a) != 0)
        fail("order", "a signature depends on the order the parameters were set in");
    check_form(fw);
    if ((data[0] & 3) != 3)
        check_request(data[0] & 3, data[1], fw, secret, body);
    sl_params_free(fw);
    sl_params_free(bw);
    free(text);
    return 0;
}
