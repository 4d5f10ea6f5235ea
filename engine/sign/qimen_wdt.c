/* qimen_wdt.c: the signer `qimen-wdt`: WDT through Alibaba's Qimen gateway (wdt-api.md
 * section 1). Every parameter is form-encoded in the body: the TOP system parameters, the
 * filter as compact JSON in `params`, the page as {page,size} JSON in `pager`, the wdt_*
 * parameters signed by wdt_sign, and everything signed by the TOP sign; timestamp and datetime
 * in GMT+8 "yyyy-MM-dd HH:mm:ss". */
#include <stdlib.h>

#include "kind.h"
#include "sign.h"
#include "timeutil.h"
#include "wdt_creds.h"

typedef struct qimen_opts {
    sl_optval app_key, app_secret, target_app_key, sid, wdt_appkey, wdt_appsecret;
} qimen_opts;

#define ROW(key, field, doc)                                                                   \
    {key, SL_T_SECRET, SL_OF_REQUIRED, NULL, 1, 0, offsetof(qimen_opts, field), NULL, NULL, doc}
static const sl_opt rows[] = {
    ROW("app_key", app_key, "the Qimen (TOP) app key"),
    ROW("app_secret", app_secret, "the Qimen (TOP) app secret"),
    ROW("target_app_key", target_app_key, "WDT's app key on Qimen"),
    ROW("sid", sid, "the WDT customer id (sent as wdt3_customer_id)"),
    ROW("wdt_appkey", wdt_appkey, "the WDT app key"),
    ROW("wdt_appsecret", wdt_appsecret, "the WDT app secret as \"secret:salt\""),
};
#undef ROW

static const sl_opt_table table = {"signer", "qimen-wdt", rows, sizeof rows / sizeof rows[0]};

static void *compile(sl_kind_ctx *c, const void *opts)
{
    const qimen_opts *o = opts;
    sl_wdt_creds *w = calloc(1, sizeof *w);
    if (!w)
        return NULL;
    sl_kind_secret(c, &o->app_key, &w->app_key);
    sl_kind_secret(c, &o->app_secret, &w->app_secret);
    sl_kind_secret(c, &o->target_app_key, &w->target_app_key);
    sl_wdt_creds_compile(c, &o->sid, &o->wdt_appkey, &o->wdt_appsecret, w);
    return w;
}

static void dump(const void *cfg, const sl_plan *plan, FILE *out)
{
    sl_wdt_creds_dump("qimen-wdt", cfg, plan, out);
}

static char *pager_json(const sl_page_req *r)
{
    json_t *o = json_object();
    char *s = NULL;
    if (o && json_object_set_new(o, r->page_param, json_integer(r->page_no)) == 0 &&
        json_object_set_new(o, r->size_param, json_integer(r->page_size)) == 0)
        s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static bool fill(sl_params *p, const sl_wdt_creds *s, const sl_page_req *r, const char *params,
                 const char *pager, const char *ts)
{
    char wsign[33], tsign[33];
    bool ok = sl_params_set(p, "method", r->method) && sl_params_set(p, "datetime", ts) &&
              sl_params_set(p, "params", params) && sl_params_set(p, "pager", pager) &&
              sl_params_set(p, "wdt_appkey", s->wdt_appkey) &&
              sl_params_set(p, "wdt_salt", s->wdt_salt) &&
              sl_params_set(p, "wdt3_customer_id", s->sid);
    if (!ok)
        return false;
    sl_sign_wdt(p, s->wdt_secret, wsign);
    ok = sl_params_set(p, "wdt_sign", wsign) && sl_params_set(p, "app_key", s->app_key) &&
         sl_params_set(p, "target_app_key", s->target_app_key) &&
         sl_params_set(p, "timestamp", ts) && sl_params_set(p, "format", "json") &&
         sl_params_set(p, "v", "2.0") && sl_params_set(p, "sign_method", "md5");
    if (!ok)
        return false;
    sl_sign_top(p, s->app_secret, tsign);
    return sl_params_set(p, "sign", tsign);
}

static sl_status build(const void *cfg, const sl_page_req *r, sl_request *out, sl_error *err)
{
    const sl_wdt_creds *s = cfg;
    const char *vals[] = {s->app_key, s->app_secret, s->target_app_key, s->sid,
                          s->wdt_appkey, s->wdt_secret, s->wdt_salt};
    const char *names[] = {"app_key", "app_secret", "target_app_key", "customer_id",
                           "wdt_appkey", "wdt_secret", "wdt_salt"};
    const char *miss = sl_sign_missing(vals, names, sizeof vals / sizeof *vals);
    if (miss)
        return sl_error_set(err, SL_ERR_CONFIG, "qimen-wdt signer: %s is not set", miss);
    sl_status rc = SL_ERR_INTERNAL;
    char ts[20];
    sl_time_format(r->now, 8 * 3600, ts);
    char *params = json_dumps(r->filter, JSON_COMPACT);
    char *pager = pager_json(r);
    sl_params *p = sl_params_new();
    if (params && pager && p && fill(p, s, r, params, pager, ts))
        rc = sl_request_form(p, out);
    free(params);
    free(pager);
    sl_params_free(p);
    return rc;
}

static const sl_signer_ops ops = {.needs_method = true, .build = build};

const sl_kind sl_kind_signer_qimen_wdt = {
    .family = "signer",
    .name = "qimen-wdt",
    .doc = "WDT through the Qimen gateway: TOP sign over a form-encoded body, wdt_sign over "
           "the WDT parameters.",
    .opts = &table,
    .opts_size = sizeof(qimen_opts),
    .compile = compile,
    .dump = dump,
    .free = sl_wdt_creds_free,
    .ops = &ops,
};
