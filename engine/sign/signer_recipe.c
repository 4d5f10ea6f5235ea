/* signer_recipe.c: the `recipe` signer: its option rows, and their lowering into an sl_recipe
 * (recipe.h) with every cross-check located at the key it is about. See docs/signing.md. */
#include "signer_recipe.h"

#include <stdlib.h>
#include <string.h>

#include "options.h"

#define F(f) offsetof(sl_o_recipe, f)
#define UNBOUNDED 1, 0
#define N_ROWS(a) (sizeof(a) / sizeof((a)[0]))

static const char *const sort_names[] = {"key", "none", NULL};
static const char *const json_form_names[] = {"sorted", "flat", NULL};
/* index = hash + 3 * hmac, as lowered by lower_hash */
static const char *const hash_names[] = {"md5",      "sha1",      "sha256",
                                         "hmac-md5", "hmac-sha1", "hmac-sha256", NULL};
static const char *const encoding_names[] = {"hex", "hex-upper", "base64", NULL}; /* sl_encoding */

static const sl_opt recipe_rows[] = {
    {"type", SL_T_STRING, SL_OF_REQUIRED, NULL, UNBOUNDED, F(type), NULL, NULL, "recipe"},
    {"secret", SL_T_SECRET, 0, NULL, UNBOUNDED, F(secret), NULL, NULL,
     "recipe: the signing secret: {secret} in the templates, and the HMAC key"},
    {"add", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(add), NULL, NULL,
     "recipe: parameters sent with every request (and signed like the others), e.g. "
     "{app_key: ${env:APP_KEY}, sign_method: md5}"},
    {"params", SL_T_LIST, 0, NULL, UNBOUNDED, F(params), NULL, NULL,
     "recipe: the parameters that take part, in this order when sort is none (default: all)"},
    {"exclude", SL_T_LIST, 0, NULL, UNBOUNDED, F(exclude), NULL, NULL,
     "recipe: parameters that never take part (the signature's own parameter never does)"},
    {"skip_empty", SL_T_BOOL, 0, "false", UNBOUNDED, F(skip_empty), NULL, NULL,
     "recipe: a parameter whose value is empty takes no part (it is still sent)"},
    {"sort", SL_T_ENUM, 0, "key", UNBOUNDED, F(sort), sort_names, NULL,
     "recipe: key (pairs by key, byte order) or none (request order, or the order of params)"},
    {"json", SL_T_LIST, 0, NULL, UNBOUNDED, F(json), NULL, NULL,
     "recipe: parameters whose value, a JSON object or array, is signed in canonical form "
     "(other values as sent)"},
    {"json_form", SL_T_ENUM, 0, "sorted", UNBOUNDED, F(json_form), json_form_names, NULL,
     "recipe: the canonical form: sorted (JSON, keys sorted, no spaces) or flat (keys sorted, "
     "each key then its value, recursively, nulls left out)"},
    {"sign_from", SL_T_OBJECT, 0, NULL, UNBOUNDED, F(sign_from), NULL, NULL,
     "recipe: name: text; that parameter's value is signed from the first occurrence of text "
     "on (whole when text is absent)"},
    {"body_param", SL_T_STRING, 0, NULL, UNBOUNDED, F(body_param), NULL, NULL,
     "recipe: the request body's exact bytes take part as a parameter of this name"},
    {"pair", SL_T_STRING, 0, "{key}{value}", UNBOUNDED, F(pair), NULL, NULL,
     "recipe: how one pair is written ({key}, {value})"},
    {"join", SL_T_STRING, 0, "", UNBOUNDED, F(join), NULL, NULL,
     "recipe: what goes between two pairs, e.g. \"&\""},
    {"before", SL_T_STRING, 0, "", UNBOUNDED, F(before), NULL, NULL,
     "recipe: what comes before the pairs, e.g. \"{secret}\" ({secret}, {timestamp}, {nonce}, "
     "{http_method}, {path}, {body}; {{ for a '{')"},
    {"after", SL_T_STRING, 0, "", UNBOUNDED, F(after), NULL, NULL,
     "recipe: what comes after the pairs, e.g. \"&key={secret}\" (placeholders as before)"},
    {"hash", SL_T_ENUM, SL_OF_REQUIRED, NULL, UNBOUNDED, F(hash), hash_names, NULL,
     "recipe: the hash; hmac-* are keyed by secret"},
    {"encoding", SL_T_ENUM, 0, "hex", UNBOUNDED, F(encoding), encoding_names, NULL,
     "recipe: the signature's text: hex (lower case), hex-upper or base64"},
    {"sign_param", SL_T_STRING, 0, NULL, UNBOUNDED, F(sign_param), NULL, NULL,
     "recipe: the parameter the signature is sent in (or sign_header)"},
    {"sign_header", SL_T_STRING, 0, NULL, UNBOUNDED, F(sign_header), NULL, NULL,
     "recipe: the header the signature is sent in (or sign_param)"},
    {"timestamp", SL_T_STRING, 0, NULL, UNBOUNDED, F(timestamp), NULL, NULL,
     "recipe: a timestamp made per request: epoch (seconds), epoch_ms, or a strftime pattern "
     "in timestamp_zone"},
    {"timestamp_zone", SL_T_TIMEZONE, 0, "+00:00", UNBOUNDED, F(timestamp_zone), NULL, NULL,
     "recipe: the zone of a timestamp pattern and of timestamp_epoch"},
    {"timestamp_epoch", SL_T_DATETIME, 0, NULL, UNBOUNDED, F(timestamp_epoch), NULL, NULL,
     "recipe: epoch and epoch_ms count from this instant (default 1970-01-01 00:00:00 UTC)"},
    {"timestamp_param", SL_T_STRING, 0, NULL, UNBOUNDED, F(timestamp_param), NULL, NULL,
     "recipe: the parameter the timestamp is sent in"},
    {"timestamp_header", SL_T_STRING, 0, NULL, UNBOUNDED, F(timestamp_header), NULL, NULL,
     "recipe: the header the timestamp is sent in"},
    {"nonce_param", SL_T_STRING, 0, NULL, UNBOUNDED, F(nonce_param), NULL, NULL,
     "recipe: a random nonce (letters and digits) is sent in this parameter"},
    {"nonce_header", SL_T_STRING, 0, NULL, UNBOUNDED, F(nonce_header), NULL, NULL,
     "recipe: a random nonce is sent in this header"},
    {"nonce_length", SL_T_INT, 0, "16", 8, SL_RECIPE_NONCE_MAX, F(nonce_length), NULL, NULL,
     "recipe: characters of the nonce"},
};

const sl_opt_table sl_opts_recipe = {"signer", "a signing recipe (docs/signing.md)", recipe_rows,
                                     N_ROWS(recipe_rows)};

/* ---- lowering ---- */

typedef struct lower_ctx {
    sl_diag *diag;
    sl_pos where;
    bool oom;
} lower_ctx;

static char *copy_opt(lower_ctx *c, const sl_optval *v)
{
    if (!v->set || !v->s)
        return NULL;
    char *s = strdup(v->s);
    c->oom |= !s;
    return s;
}

/* A list option (a name or a list of names) as an ordered set; NULL when absent. */
static sl_params *lower_list(lower_ctx *c, const sl_optval *v)
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
    c->oom |= !ok;
    return set;
}

/* True when entry i of map (the option key) is a single value, else reported. */
static bool single_value(lower_ctx *c, const char *key, const sl_ynode *map, size_t i)
{
    const sl_ynode *val = map->items[i];
    if (val->kind == SL_Y_SCALAR && !sl_ynode_is_null(val))
        return true;
    sl_diag_error(c->diag, val->pos, "'%s': '%s' must be a single value, not %s", key,
                  map->keys[i]->str, sl_ynode_is_null(val) ? "nothing" : sl_ynode_kind_name(val));
    return false;
}

/* sign_from: a map of name -> text. */
static sl_params *lower_map(lower_ctx *c, const sl_optval *v, const char *key)
{
    if (!v->set || !v->node)
        return NULL;
    sl_params *map = sl_params_new();
    const sl_ynode *n = v->node;
    c->oom |= !map;
    for (size_t i = 0; map && i < n->n; i++)
        if (single_value(c, key, n, i) && !sl_params_set(map, n->keys[i]->str, n->items[i]->str))
            c->oom = true;
    return map;
}

/* add: its values keep their own addresses (a value from a reference prints as such). */
static void lower_add(lower_ctx *c, const sl_optval *v, sl_recipe *r)
{
    const sl_ynode *n = v->node;
    if (!v->set || !n || n->n == 0)
        return;
    r->add_keys = calloc(n->n, sizeof *r->add_keys);
    r->add_vals = calloc(n->n, sizeof *r->add_vals);
    if (!r->add_keys || !r->add_vals) {
        c->oom = true;
        return;
    }
    for (size_t i = 0; i < n->n; i++) {
        if (!single_value(c, "add", n, i))
            continue;
        char *key = strdup(n->keys[i]->str), *val = strdup(n->items[i]->str);
        c->oom |= !key || !val;
        r->add_keys[r->n_add] = key;
        r->add_vals[r->n_add++] = val;
    }
}

static sl_tpl *lower_tpl(lower_ctx *c, const sl_optval *v, const char *key, sl_tpl_use use)
{
    sl_error err = {0};
    sl_tpl *t = sl_tpl_compile(v->s, use, &err);
    if (!t && err.code == SL_ERR_INTERNAL)
        c->oom = true;
    else if (!t)
        sl_diag_error(c->diag, v->node ? v->node->pos : c->where, "'%s': %s", key, err.msg);
    return t;
}

static void lower_templates(lower_ctx *c, const sl_o_recipe *o, sl_recipe *r)
{
    const sl_optval *opts[] = {&o->pair, &o->join, &o->before, &o->after};
    sl_tpl **dst[] = {&r->pair, &r->join, &r->before, &r->after};
    const char *keys[] = {"pair", "join", "before", "after"};
    for (size_t i = 0; i < 4; i++) {
        sl_tpl *t = lower_tpl(c, opts[i], keys[i], i == 0 ? SL_TPL_USE_PAIR : SL_TPL_USE_OTHER);
        if (t) {
            sl_tpl_free(*dst[i]);
            *dst[i] = t;
        }
    }
}

static void lower_stamp(lower_ctx *c, const sl_o_recipe *o, sl_recipe *r)
{
    r->stamp_zone_s = (int)o->timestamp_zone.i;
    if (o->timestamp_epoch.set && o->timestamp_epoch.s)
        sl_time_parse(o->timestamp_epoch.s, strlen(o->timestamp_epoch.s), r->stamp_zone_s,
                      &r->stamp_epoch_s); /* the loader checked the text */
    if (!o->timestamp.set)
        return;
    const char *f = o->timestamp.s;
    char why[128];
    size_t off = 0;
    if (strcmp(f, "epoch") == 0) {
        r->stamp = SL_STAMP_EPOCH;
    } else if (strcmp(f, "epoch_ms") == 0) {
        r->stamp = SL_STAMP_EPOCH_MS;
    } else if (sl_time_format_check(f, why, sizeof why, &off) != 0) {
        sl_diag_error(c->diag, o->timestamp.node->pos,
                      "'timestamp' must be epoch, epoch_ms or a strftime pattern: %s (at byte "
                      "%zu)",
                      why, off);
    } else {
        r->stamp = SL_STAMP_FORMAT;
        r->stamp_format = copy_opt(c, &o->timestamp);
    }
}

/* True when any of the four templates holds {name}. */
static bool uses(const sl_recipe *r, const char *name)
{
    return (r->pair && sl_tpl_has(r->pair, name)) || (r->join && sl_tpl_has(r->join, name)) ||
           (r->before && sl_tpl_has(r->before, name)) || (r->after && sl_tpl_has(r->after, name));
}

/* Where the key named by v was written, else the section. */
static sl_pos at(const lower_ctx *c, const sl_optval *v)
{
    return v->node ? v->node->pos : c->where;
}

static void cross_check(lower_ctx *c, const sl_o_recipe *o, const sl_recipe *r)
{
    if (!o->sign_param.set == !o->sign_header.set)
        sl_diag_error(c->diag, o->sign_param.set ? at(c, &o->sign_header) : c->where,
                      o->sign_param.set ? "a recipe sends its signature in 'sign_param' or "
                                          "'sign_header', not both"
                                        : "a recipe needs 'sign_param' or 'sign_header' (where "
                                          "the signature goes)");
    if (!o->secret.set && (r->hmac || uses(r, "secret")))
        sl_diag_error(c->diag, c->where, "this recipe needs 'secret' (%s)",
                      r->hmac ? "the HMAC key" : "{secret} in a template");
    if (o->secret.set && !r->hmac && !uses(r, "secret"))
        sl_diag_warning(c->diag, at(c, &o->secret),
                        "'secret' takes no part: no template names {secret} and the hash is "
                        "no HMAC");
    const sl_optval *stamp_uses[] = {&o->timestamp_param, &o->timestamp_header,
                                     &o->timestamp_epoch};
    for (size_t i = 0; i < 3 && !o->timestamp.set; i++)
        if (stamp_uses[i]->set && stamp_uses[i]->node)
            sl_diag_error(c->diag, at(c, stamp_uses[i]), "this needs 'timestamp' (its format)");
    if (!o->timestamp.set && uses(r, "timestamp"))
        sl_diag_error(c->diag, c->where, "{timestamp} needs 'timestamp' (its format)");
    if (!r->nonce_len && uses(r, "nonce"))
        sl_diag_error(c->diag, c->where, "{nonce} needs 'nonce_param' or 'nonce_header'");
}

static void lower_fields(lower_ctx *c, const sl_o_recipe *o, sl_recipe *r)
{
    r->secret = copy_opt(c, &o->secret);
    r->body_param = copy_opt(c, &o->body_param);
    r->sign_param = copy_opt(c, &o->sign_param);
    r->sign_header = copy_opt(c, &o->sign_header);
    r->stamp_param = copy_opt(c, &o->timestamp_param);
    r->stamp_header = copy_opt(c, &o->timestamp_header);
    r->nonce_param = copy_opt(c, &o->nonce_param);
    r->nonce_header = copy_opt(c, &o->nonce_header);
    if (r->nonce_param || r->nonce_header)
        r->nonce_len = (size_t)o->nonce_length.i;
    lower_add(c, &o->add, r);
    r->sign_from = lower_map(c, &o->sign_from, "sign_from");
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

sl_recipe *sl_recipe_lower(const sl_o_recipe *o, sl_pos where, sl_diag *diag)
{
    lower_ctx c = {diag, where, false};
    size_t errors = sl_diag_errors(diag);
    sl_recipe *r = sl_recipe_new();
    if (!r) {
        sl_diag_error(diag, where, "out of memory");
        return NULL;
    }
    lower_fields(&c, o, r);
    lower_templates(&c, o, r);
    lower_stamp(&c, o, r);
    cross_check(&c, o, r);
    if (c.oom)
        sl_diag_error(diag, where, "out of memory");
    if (sl_diag_errors(diag) > errors) {
        sl_recipe_free(r);
        return NULL;
    }
    return r;
}
