/* none.c: the signer `none`: a plain form POST of the filter's members, the method (when
 * given) and the page parameters, unsigned. It has no keys and no config. */
#include <stdlib.h>

#include "kind.h"
#include "sign.h"

static const char no_cfg; /* compile returns NULL only when out of memory */

static void *compile(sl_kind_ctx *c, const void *opts)
{
    (void)c;
    (void)opts;
    return (void *)&no_cfg;
}

static void dump(const void *cfg, const sl_plan *plan, FILE *out)
{
    (void)cfg;
    (void)plan;
    fputs("  signer: none\n", out);
}

static void free_cfg(void *cfg)
{
    (void)cfg;
}

static bool fill(sl_params *p, const sl_page_req *r)
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
    return (!r->method || sl_params_set(p, "method", r->method)) &&
           sl_params_set_int(p, r->page_param, r->page_no) &&
           sl_params_set_int(p, r->size_param, r->page_size);
}

static sl_status build(const void *cfg, const sl_page_req *r, sl_request *out, sl_error *err)
{
    (void)cfg;
    (void)err;
    sl_params *p = sl_params_new();
    sl_status rc = p && fill(p, r) ? sl_request_form(p, out) : SL_ERR_INTERNAL;
    sl_params_free(p);
    return rc;
}

static const sl_signer_ops ops = {.needs_method = false, .build = build};

const sl_kind sl_kind_signer_none = {
    .family = "signer",
    .name = "none",
    .doc = "No signature: a plain form POST of the filter, the method and the page.",
    .opts = NULL,
    .opts_size = 0,
    .compile = compile,
    .dump = dump,
    .free = free_cfg,
    .ops = &ops,
};
