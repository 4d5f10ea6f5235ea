/* wdt_direct.c: the signer `wdt-direct`: WDT's own OpenAPI (wdt-api.md section 1). The body is
 * the filter as a JSON array "[filter]"; the query carries sid, key, salt, method, v,
 * timestamp (seconds since SL_WDT_DIRECT_EPOCH), the page, calc_total=1 and the sign over the
 * query and the exact body bytes. */
#include <stdlib.h>
#include <string.h>

#include "kind.h"
#include "sign.h"
#include "wdt_creds.h"

typedef struct direct_opts {
    sl_optval sid, wdt_appkey, wdt_appsecret;
} direct_opts;

#define ROW(key, field, doc)                                                                   \
    {key, SL_T_SECRET, SL_OF_REQUIRED, NULL, 1, 0, offsetof(direct_opts, field), NULL, NULL, doc}
static const sl_opt rows[] = {
    ROW("sid", sid, "the WDT sid"),
    ROW("wdt_appkey", wdt_appkey, "the WDT app key"),
    ROW("wdt_appsecret", wdt_appsecret, "the WDT app secret as \"secret:salt\""),
};
#undef ROW

static const sl_opt_table table = {"signer", "wdt-direct", rows, sizeof rows / sizeof rows[0]};

static void *compile(sl_kind_ctx *c, const void *opts)
{
    const direct_opts *o = opts;
    sl_wdt_creds *w = calloc(1, sizeof *w);
    if (w)
        sl_wdt_creds_compile(c, &o->sid, &o->wdt_appkey, &o->wdt_appsecret, w);
    return w;
}

static void dump(const void *cfg, const sl_plan *plan, FILE *out)
{
    sl_wdt_creds_dump("wdt-direct", cfg, plan, out);
}

static bool fill(sl_params *q, const sl_wdt_creds *s, const sl_page_req *r, const char *body,
                 size_t body_len)
{
    char sign[33];
    bool ok = sl_params_set(q, "sid", s->sid) && sl_params_set(q, "key", s->wdt_appkey) &&
              sl_params_set(q, "salt", s->wdt_salt) && sl_params_set(q, "method", r->method) &&
              sl_params_set(q, "v", "1.0") &&
              sl_params_set_int(q, "timestamp", r->now - SL_WDT_DIRECT_EPOCH) &&
              sl_params_set_int(q, r->size_param, r->page_size) &&
              sl_params_set_int(q, r->page_param, r->page_no) &&
              sl_params_set(q, "calc_total", "1");
    if (!ok)
        return false;
    sl_sign_direct(q, body, body_len, s->wdt_secret, sign);
    return sl_params_set(q, "sign", sign);
}

/* "?" and the encoded query (owned), or NULL when out of memory. */
static char *query_text(const sl_params *q)
{
    size_t len;
    char *qs = sl_params_encode(q, &len);
    char *text = qs ? malloc(len + 2) : NULL;
    if (text) {
        text[0] = '?';
        memcpy(text + 1, qs, len + 1);
    }
    free(qs);
    return text;
}

static sl_status build(const void *cfg, const sl_page_req *r, sl_request *out, sl_error *err)
{
    const sl_wdt_creds *s = cfg;
    const char *vals[] = {s->sid, s->wdt_appkey, s->wdt_secret, s->wdt_salt};
    const char *names[] = {"sid", "wdt_appkey", "wdt_secret", "wdt_salt"};
    const char *miss = sl_sign_missing(vals, names, sizeof vals / sizeof *vals);
    if (miss)
        return sl_error_set(err, SL_ERR_CONFIG, "wdt-direct signer: %s is not set", miss);
    sl_status rc = SL_ERR_INTERNAL;
    json_t *arr = json_array();
    sl_params *q = sl_params_new();
    if (!arr || !q || json_array_append(arr, (json_t *)r->filter) != 0)
        goto out;
    if (!(out->body = json_dumps(arr, JSON_COMPACT)))
        goto out;
    out->body_len = strlen(out->body);
    if (!fill(q, s, r, out->body, out->body_len) || !(out->query = query_text(q)))
        goto out;
    out->content_type = "application/json; charset=UTF-8";
    rc = SL_OK;
out:
    json_decref(arr);
    sl_params_free(q);
    return rc;
}

static const sl_signer_ops ops = {.needs_method = true, .build = build};

const sl_kind sl_kind_signer_wdt_direct = {
    .family = "signer",
    .name = "wdt-direct",
    .doc = "WDT's own OpenAPI: a JSON array body, the query signed together with the body.",
    .opts = &table,
    .opts_size = sizeof(direct_opts),
    .compile = compile,
    .dump = dump,
    .free = sl_wdt_creds_free,
    .ops = &ops,
};
