/* recipe.c: the signer `recipe`: a signature declared in the job file (docs/signing.md). Its
 * option rows, their lowering into an sl_recipe (recipe_eval.h) with every cross-check at the
 * key it is about, and the request: a form POST like `none`'s (the filter's members, the method
 * when given, the page), plus the recipe's added and generated parameters and its signature. */
#include <stdlib.h>
#include <string.h>

#include "jsonbody.h"
#include "kind.h"
#include "recipe_eval.h"
#include "sign.h"

typedef struct recipe_opts {
    sl_optval secret, add, params, exclude, skip_empty, sort, json, json_form, sign_from,
        body_param, pair, join, before, after, hash, encoding, sign_param, sign_header, timestamp,
        timestamp_zone, timestamp_epoch, timestamp_param, timestamp_header, nonce_param,
        nonce_header, nonce_length;
} recipe_opts;

#define F(f) offsetof(recipe_opts, f)
#define UNBOUNDED 1, 0
#define N_ROWS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const sort_names[] = {"key", "none", NULL};
static const char *const json_form_names[] = {"sorted", "flat", NULL};
/* index = hash + 3 * hmac, as lowered by lower_hash */
static const char *const hash_names[] = {"md5",      "sha1",      "sha256",
                                         "hmac-md5", "hmac-sha1", "hmac-sha256", NULL};
static const char *const encoding_names[] = {"hex", "hex-upper", "base64", NULL}; /* sl_encoding */

static const sl_opt recipe_rows[] = {
    {"secret", SL_T_SECRET, 0, NULL, UNBOUNDED, F(secret), NULL, NULL,
     "the signing secret: {secret} in the templates, and the HMAC key"},
    {"add", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(add), NULL, NULL,
     "parameters sent with every request (and signed like the others), e.g. "
     "{app_key: \"${env:APP_KEY}\", sign_method: md5}"},
    {"params", SL_T_LIST, 0, NULL, UNBOUNDED, F(params), NULL, NULL,
     "the parameters that take part, in this order when sort is none (default: all)"},
    {"exclude", SL_T_LIST, 0, NULL, UNBOUNDED, F(exclude), NULL, NULL,
     "parameters that never take part (the signature's own parameter never does)"},
    {"skip_empty", SL_T_BOOL, 0, "false", UNBOUNDED, F(skip_empty), NULL, NULL,
     "a parameter whose value is empty takes no part (it is still sent)"},
    {"sort", SL_T_ENUM, 0, "key", UNBOUNDED, F(sort), sort_names, NULL,
     "key (pairs by key, byte order) or none (request order, or the order of params)"},
    {"json", SL_T_LIST, 0, NULL, UNBOUNDED, F(json), NULL, NULL,
     "parameters whose value, a JSON object or array, is signed in canonical form "
     "(other values as sent)"},
    {"json_form", SL_T_ENUM, 0, "sorted", UNBOUNDED, F(json_form), json_form_names, NULL,
     "the canonical form: sorted (JSON, keys sorted, no spaces) or flat (keys sorted, "
     "each key then its value, recursively, nulls left out)"},
    {"sign_from", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(sign_from), NULL, NULL,
     "name: text; that parameter's value is signed from the first occurrence of text "
     "on (whole when text is absent)"},
    {"body_param", SL_T_STRING, 0, NULL, UNBOUNDED, F(body_param), NULL, NULL,
     "the request body's exact bytes take part as a parameter of this name"},
    {"pair", SL_T_STRING, 0, "{key}{value}", UNBOUNDED, F(pair), NULL, NULL,
     "how one pair is written ({key}, {value})"},
    {"join", SL_T_STRING, 0, "", UNBOUNDED, F(join), NULL, NULL,
     "what goes between two pairs, e.g. \"&\""},
    {"before", SL_T_STRING, 0, "", UNBOUNDED, F(before), NULL, NULL,
     "what comes before the pairs, e.g. \"{secret}\" ({secret}, {timestamp}, {nonce}, "
     "{http_method}, {path}, {body}; {{ for a '{')"},
    {"after", SL_T_STRING, 0, "", UNBOUNDED, F(after), NULL, NULL,
     "what comes after the pairs, e.g. \"&key={secret}\" (placeholders as before)"},
    {"hash", SL_T_ENUM, SL_OF_REQUIRED, NULL, UNBOUNDED, F(hash), hash_names, NULL,
     "the hash; hmac-* are keyed by secret"},
    {"encoding", SL_T_ENUM, 0, "hex", UNBOUNDED, F(encoding), encoding_names, NULL,
     "the signature's text: hex (lower case), hex-upper or base64"},
    {"sign_param", SL_T_STRING, 0, NULL, UNBOUNDED, F(sign_param), NULL, NULL,
     "the parameter the signature is sent in (or sign_header)"},
    {"sign_header", SL_T_STRING, 0, NULL, UNBOUNDED, F(sign_header), NULL, NULL,
     "the header the signature is sent in (or sign_param)"},
    {"timestamp", SL_T_STRING, 0, NULL, UNBOUNDED, F(timestamp), NULL, NULL,
     "a timestamp made per request: epoch (seconds), epoch_ms, or a strftime pattern "
     "in timestamp_zone"},
    {"timestamp_zone", SL_T_TIMEZONE, 0, "+00:00", UNBOUNDED, F(timestamp_zone), NULL, NULL,
     "the zone of a timestamp pattern and of timestamp_epoch"},
    {"timestamp_epoch", SL_T_DATETIME, 0, NULL, UNBOUNDED, F(timestamp_epoch), NULL, NULL,
     "epoch and epoch_ms count from this instant (default 1970-01-01 00:00:00 UTC)"},
    {"timestamp_param", SL_T_STRING, 0, NULL, UNBOUNDED, F(timestamp_param), NULL, NULL,
     "the parameter the timestamp is sent in"},
    {"timestamp_header", SL_T_STRING, 0, NULL, UNBOUNDED, F(timestamp_header), NULL, NULL,
     "the header the timestamp is sent in"},
    {"nonce_param", SL_T_STRING, 0, NULL, UNBOUNDED, F(nonce_param), NULL, NULL,
     "a random nonce (letters and digits) is sent in this parameter"},
    {"nonce_header", SL_T_STRING, 0, NULL, UNBOUNDED, F(nonce_header), NULL, NULL,
     "a random nonce is sent in this header"},
    {"nonce_length", SL_T_INT, 0, "16", 8, SL_RECIPE_NONCE_MAX, F(nonce_length), NULL, NULL,
     "characters of the nonce"},
};

static const sl_opt_table table = {"signer", "recipe", recipe_rows, N_ROWS(recipe_rows)};


/* ---- compile ---- */

static const sl_optval section; /* not written: messages about the whole section go there */

/* A list option (a name or a list of names) as an ordered set; NULL when absent. */
static sl_params *lower_list(sl_kind_ctx *c, const sl_optval *v)
{
    if (!v->set || !v->node)
        return NULL;
    sl_params *set = sl_params_new();
    const sl_ynode *n = v->node;
    bool ok = set != NULL;
    if (ok && n->kind == SL_Y_SCALAR)
        ok = sl_params_set(set, n->str, "");
    for (size_t i = 0; ok && n->kind == SL_Y_SEQ && i < n->n; i++)
        ok = sl_params_set(set, n->items[i]->str, "");
    if (!ok)
        sl_kind_oom(c);
    return set;
}

/* Entry i of map as an option value of its own, so messages and origins point at it; false
 * (reported) when it is not a single value. */
static bool entry(sl_kind_ctx *c, const char *key, const sl_ynode *map, size_t i, sl_optval *v)
{
    const sl_ynode *val = map->items[i];
    *v = (sl_optval){.node = val, .set = true, .s = val->str};
    if (val->kind == SL_Y_SCALAR && !sl_ynode_is_null(val))
        return true;
    sl_kind_error(c, v, "'%s': '%s' must be a single value, not %s", key, map->keys[i]->str,
                  sl_ynode_is_null(val) ? "nothing" : sl_ynode_kind_name(val));
    return false;
}

/* sign_from: a map of name -> text. */
static sl_params *lower_sign_from(sl_kind_ctx *c, const sl_optval *v)
{
    if (!v->set || !v->node)
        return NULL;
    sl_params *map = sl_params_new();
    const sl_ynode *n = v->node;
    sl_optval e;
    if (!map)
        sl_kind_oom(c);
    for (size_t i = 0; map && i < n->n; i++)
        if (entry(c, "sign_from", n, i, &e) && !sl_params_set(map, n->keys[i]->str, e.s))
            sl_kind_oom(c);
    return map;
}

/* add: each value keeps its own address, so one read through a reference prints as such. */
static void lower_add(sl_kind_ctx *c, const sl_optval *v, sl_recipe *r)
{
    const sl_ynode *n = v->node;
    sl_optval e;
    if (!v->set || !n || n->n == 0)
        return;
    r->add_keys = calloc(n->n, sizeof *r->add_keys);
    r->add_vals = calloc(n->n, sizeof *r->add_vals);
    if (!r->add_keys || !r->add_vals) {
        sl_kind_oom(c);
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        if (!entry(c, "add", n, i, &e))
            continue;
        r->add_keys[r->n_add] = strdup(n->keys[i]->str);
        sl_kind_text(c, &e, &r->add_vals[r->n_add]);
        if (!r->add_keys[r->n_add++])
            sl_kind_oom(c);
    }
}

static void lower_templates(sl_kind_ctx *c, const recipe_opts *o, sl_recipe *r)
{
    const sl_optval *opts[] = {&o->pair, &o->join, &o->before, &o->after};
    sl_tpl **dst[] = {&r->pair, &r->join, &r->before, &r->after};
    const char *keys[] = {"pair", "join", "before", "after"};
    for (size_t i = 0; i < 4; i++) {
        sl_error err = {0};
        sl_tpl *t = sl_tpl_compile(opts[i]->s ? opts[i]->s : "",
                                   i == 0 ? SL_TPL_USE_PAIR : SL_TPL_USE_OTHER, &err);
        if (!t && err.code == SL_ERR_INTERNAL)
            sl_kind_oom(c);
        else if (!t)
            sl_kind_error(c, opts[i], "'%s': %s", keys[i], err.msg);
        if (t) {
            sl_tpl_free(*dst[i]);
            *dst[i] = t;
        }
    }
}

static void lower_stamp(sl_kind_ctx *c, const recipe_opts *o, sl_recipe *r)
{
    r->stamp_zone_s = (int)o->timestamp_zone.i;
    if (o->timestamp_epoch.set && o->timestamp_epoch.s) /* the loader checked the text */
        sl_time_parse(o->timestamp_epoch.s, strlen(o->timestamp_epoch.s), r->stamp_zone_s,
                      &r->stamp_epoch_s);
    if (!o->timestamp.set || sl_kind_unread(&o->timestamp))
        return;
    const char *f = o->timestamp.s;
    sl_error why = {0};
    size_t off = 0;
    if (strcmp(f, "epoch") == 0) {
        r->stamp = SL_STAMP_EPOCH;
    } else if (strcmp(f, "epoch_ms") == 0) {
        r->stamp = SL_STAMP_EPOCH_MS;
    } else if (sl_time_format_check(f, &why, &off) != 0) {
        sl_kind_error(c, &o->timestamp,
                      "'timestamp' must be epoch, epoch_ms or a strftime pattern: %s (at byte "
                      "%zu)",
                      why.msg, off);
    } else {
        r->stamp = SL_STAMP_FORMAT;
        sl_kind_text(c, &o->timestamp, &r->stamp_format);
    }
}

/* True when any of the four templates holds {name}. */
static bool uses(const sl_recipe *r, const char *name)
{
    return sl_tpl_has(r->pair, name) || sl_tpl_has(r->join, name) ||
           sl_tpl_has(r->before, name) || sl_tpl_has(r->after, name);
}

/* What the recipe signs that a request without a JSON body (json false) can't give it, or
 * NULL: a form body holds the signature itself, so it can't be signed. */
static const char *unsendable(const sl_recipe *r, bool json)
{
    return json              ? NULL
           : r->body_param   ? "body_param"
           : uses(r, "body") ? "{body}"
                             : NULL;
}

static void check_secret(sl_kind_ctx *c, const recipe_opts *o, const sl_recipe *r)
{
    if (!o->secret.set && (r->hmac || uses(r, "secret")))
        sl_kind_error(c, &section, "this recipe needs 'secret' (%s)",
                      r->hmac ? "the HMAC key" : "{secret} in a template");
    if (o->secret.set && !r->hmac && !uses(r, "secret"))
        sl_kind_warning(c, &o->secret,
                        "'secret' takes no part: no template names {secret} and the hash is "
                        "no HMAC");
}

static void cross_check(sl_kind_ctx *c, const recipe_opts *o, const sl_recipe *r)
{
    if (!o->sign_param.set == !o->sign_header.set)
        sl_kind_error(c, o->sign_param.set ? &o->sign_header : &section,
                      o->sign_param.set ? "a recipe sends its signature in 'sign_param' or "
                                          "'sign_header', not both"
                                        : "a recipe needs 'sign_param' or 'sign_header' (where "
                                          "the signature goes)");
    check_secret(c, o, r);
    const sl_optval *stamp_uses[] = {&o->timestamp_param, &o->timestamp_header,
                                     &o->timestamp_epoch};
    for (size_t i = 0; i < 3 && !o->timestamp.set; i++)
        if (stamp_uses[i]->set && stamp_uses[i]->node)
            sl_kind_error(c, stamp_uses[i], "this needs 'timestamp' (its format)");
    if (!o->timestamp.set && uses(r, "timestamp"))
        sl_kind_error(c, &section, "{timestamp} needs 'timestamp' (its format)");
    if (!r->nonce_len && uses(r, "nonce"))
        sl_kind_error(c, &section, "{nonce} needs 'nonce_param' or 'nonce_header'");
    const char *no = unsendable(r, c->plan->source.json_body != NULL);
    if (no)
        sl_kind_error(c, o->body_param.node ? &o->body_param : &section,
                      "%s signs the request body: that needs a JSON body "
                      "(source.request.body: json); a form body holds the signature itself",
                      no);
}

static void lower_fields(sl_kind_ctx *c, const recipe_opts *o, sl_recipe *r)
{
    sl_kind_secret(c, &o->secret, &r->secret);
    const sl_optval *texts[] = {&o->body_param,      &o->sign_param,   &o->sign_header,
                                &o->timestamp_param, &o->timestamp_header, &o->nonce_param,
                                &o->nonce_header};
    char **fields[] = {&r->body_param,  &r->sign_param,   &r->sign_header, &r->stamp_param,
                       &r->stamp_header, &r->nonce_param, &r->nonce_header};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        sl_kind_text(c, texts[i], fields[i]);
    if (r->nonce_param || r->nonce_header)
        r->nonce_len = (size_t)o->nonce_length.i;
    lower_add(c, &o->add, r);
    r->sign_from = lower_sign_from(c, &o->sign_from);
    r->only = lower_list(c, &o->params);
    r->exclude = lower_list(c, &o->exclude);
    r->json = lower_list(c, &o->json);
    r->skip_empty = o->skip_empty.i != 0;
    r->sort = o->sort.i == 0;
    r->json_flat = o->json_form.i == 1;
    r->hash = (sl_hash)(o->hash.i % 3);
    r->hmac = o->hash.i >= 3;
    r->encoding = (sl_encoding)o->encoding.i;
}

static void *compile(sl_kind_ctx *c, const void *opts)
{
    const recipe_opts *o = opts;
    sl_recipe *r = sl_recipe_new();
    if (!r)
        return NULL;
    lower_fields(c, o, r);
    lower_templates(c, o, r);
    lower_stamp(c, o, r);
    cross_check(c, o, r);
    return r;
}

static void free_cfg(void *cfg)
{
    sl_recipe_free(cfg);
}

/* ---- sluice plan ---- */

/* The names of a set, comma-separated, into buf. */
static const char *names_text(const sl_params *set, char *buf, size_t cap)
{
    size_t o = 0;
    buf[0] = '\0';
    for (size_t i = 0; set && i < sl_params_count(set) && o < cap; i++)
        o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? ", " : "", sl_params_key(set, i));
    return buf;
}

static void dump_generated(const sl_recipe *r, FILE *out)
{
    static const char *const stamps[] = {"", "epoch", "epoch_ms", ""};
    if (r->stamp != SL_STAMP_NONE) {
        int z = r->stamp_zone_s < 0 ? -r->stamp_zone_s : r->stamp_zone_s;
        bool pattern = r->stamp == SL_STAMP_FORMAT;
        fprintf(out, "    timestamp: %s%s%s", pattern ? "\"" : "",
                pattern ? r->stamp_format : stamps[r->stamp], pattern ? "\"" : "");
        if (pattern)
            fprintf(out, " in %c%02d:%02d", r->stamp_zone_s < 0 ? '-' : '+', z / 3600,
                    z % 3600 / 60);
        else if (r->stamp_epoch_s)
            fprintf(out, " counted from %lld", (long long)r->stamp_epoch_s);
        fprintf(out, "%s%s%s%s\n", r->stamp_param ? " -> param " : "",
                r->stamp_param ? r->stamp_param : "", r->stamp_header ? " -> header " : "",
                r->stamp_header ? r->stamp_header : "");
    }
    if (r->nonce_len)
        fprintf(out, "    nonce: %zu characters%s%s%s%s\n", r->nonce_len,
                r->nonce_param ? " -> param " : "", r->nonce_param ? r->nonce_param : "",
                r->nonce_header ? " -> header " : "", r->nonce_header ? r->nonce_header : "");
}

static void dump_selection(const sl_recipe *r, FILE *out)
{
    char buf[512];
    fprintf(out, "    takes part: %s", r->only ? names_text(r->only, buf, sizeof buf) : "all");
    if (r->exclude)
        fprintf(out, "; never %s", names_text(r->exclude, buf, sizeof buf));
    if (r->body_param)
        fprintf(out, "; the body as %s", r->body_param);
    fprintf(out, "%s; %s\n", r->skip_empty ? "; empty values skipped" : "",
            r->sort ? "sorted by key" : "in order");
    if (r->json)
        fprintf(out, "    json (%s): %s\n", r->json_flat ? "flat" : "sorted",
                names_text(r->json, buf, sizeof buf));
    for (size_t i = 0; r->sign_from && i < sl_params_count(r->sign_from); i++)
        fprintf(out, "    %s signed from \"%s\"\n", sl_params_key(r->sign_from, i),
                sl_params_value(r->sign_from, i));
}

static void dump(const void *cfg, const sl_plan *plan, FILE *out)
{
    static const char *const hashes[] = {"md5", "sha1", "sha256"};
    static const char *const encodings[] = {"hex", "hex-upper", "base64"};
    const sl_recipe *r = cfg;
    char t[4][256];
    fputs("  signer: recipe\n", out);
    if (r->secret)
        sl_plan_put_field(plan, out, "    secret", &r->secret);
    for (size_t i = 0; i < r->n_add; i++) {
        char label[96];
        snprintf(label, sizeof label, "    add %s", r->add_keys[i]);
        sl_plan_put_field(plan, out, label, &r->add_vals[i]);
    }
    dump_generated(r, out);
    dump_selection(r, out);
    sl_tpl_text(r->before, t[0], sizeof t[0]);
    sl_tpl_text(r->pair, t[1], sizeof t[1]);
    sl_tpl_text(r->join, t[2], sizeof t[2]);
    sl_tpl_text(r->after, t[3], sizeof t[3]);
    fprintf(out, "    string: \"%s\" then pairs \"%s\" joined by \"%s\" then \"%s\"\n", t[0], t[1],
            t[2], t[3]);
    fprintf(out, "    signature: %s%s, %s -> %s %s\n", r->hmac ? "hmac-" : "", hashes[r->hash],
            encodings[r->encoding], r->sign_param ? "param" : "header",
            r->sign_param ? r->sign_param : r->sign_header);
}

/* ---- the request ---- */

/* A POST of the JSON body (taken) with the recipe's parameters p (its added ones, timestamp,
 * nonce, signature) in the query. */
static sl_status json_request(const sl_params *p, char *body, size_t len, sl_request *out)
{
    size_t qlen = 0;
    char *q = sl_params_count(p) ? sl_params_encode(p, &qlen) : NULL;
    out->body = body;
    out->body_len = len;
    out->content_type = "application/json";
    out->query = malloc(qlen + 2);
    if (out->query)
        snprintf(out->query, qlen + 2, "%s%s", q ? "?" : "", q ? q : "");
    free(q);
    return out->query && (q || !sl_params_count(p)) ? SL_OK : SL_ERR_INTERNAL;
}

static sl_status build(const void *cfg, const sl_page_req *r, sl_request *out, sl_error *err)
{
    const sl_recipe *recipe = cfg;
    sl_params *p = sl_params_new(), *h = sl_params_new();
    sl_recipe_call call = {.http_method = r->http_method ? r->http_method : "POST",
                           .path = r->path ? r->path : ""};
    size_t blen = 0;
    char *body = NULL;
    sl_status rc = SL_ERR_INTERNAL;
    if (unsendable(recipe, r->json_body != NULL)) {
        rc = sl_error_set(err, SL_ERR_CONFIG, "signer recipe: '%s' needs a JSON body",
                          unsendable(recipe, false));
        goto out;
    }
    if (!p || !h || (r->json_body ? !(body = sl_json_body_new(r, &blen))
                                  : !sl_sign_plain_params(p, r)))
        goto out;
    call.body = body;
    call.body_len = blen;
    rc = sl_recipe_prepare(recipe, r->now * 1000, NULL, &call, p, h, err);
    if (rc == SL_OK)
        rc = sl_recipe_sign(recipe, p, h, &call, err);
    if (rc == SL_OK) {
        rc = body ? json_request(p, body, blen, out) : sl_request_form(p, out);
        body = NULL; /* taken */
    }
    if (rc == SL_OK && sl_params_count(h)) {
        out->headers = h;
        h = NULL;
    }
out:
    free(body);
    sl_params_free(p);
    sl_params_free(h);
    return rc;
}

static const sl_signer_ops ops = {.needs_method = false, .json_body = true, .build = build};

const sl_kind sl_kind_signer_recipe = {
    .family = "signer",
    .name = "recipe",
    .doc = "A signature declared in the job file (docs/signing.md): the filter, the method and "
           "the page as source.request sends them, plus the recipe's parameters, headers and "
           "signature.",
    .opts = &table,
    .opts_size = sizeof(recipe_opts),
    .compile = compile,
    .dump = dump,
    .free = free_cfg,
    .ops = &ops,
};
