/* none.c: the signer `none`: a plain form POST of the filter's members, the method (when
 * given) and the page parameters, unsigned. It has no keys and no config. */
#include <stdlib.h>

#include "jsonbody.h"
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

static sl_status build(const void *cfg, const sl_page_req *r, sl_request *out, sl_error *err)
{
    (void)cfg;
    (void)err;
    if (r->json_body)
        return sl_request_json(r, out);
    sl_params *p = sl_params_new();
    sl_status rc = p && sl_sign_plain_params(p, r) ? sl_request_form(p, out) : SL_ERR_INTERNAL;
    sl_params_free(p);
    return rc;
}

static const sl_signer_ops ops = {.needs_method = false, .json_body = true, .build = build};

const sl_kind sl_kind_signer_none = {
    .family = "signer",
    .name = "none",
    .doc = "No signature: the filter, the method and the page as they are (a form POST, a "
           "GET's query or a JSON body, as source.request says).",
    .opts = NULL,
    .opts_size = 0,
    .compile = compile,
    .dump = dump,
    .free = free_cfg,
    .ops = &ops,
};
