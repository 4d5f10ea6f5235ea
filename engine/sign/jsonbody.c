/* jsonbody.c: see jsonbody.h. */
#include "jsonbody.h"

#include <stdlib.h>
#include <string.h>

/* The request's parameters by name, typed (owned); NULL when out of memory. */
static json_t *params_of(const sl_page_req *r)
{
    json_t *p = json_deep_copy(r->filter);
    bool ok = p != NULL;
    if (ok && r->method && *r->method)
        ok = json_object_set_new(p, "method", json_string(r->method)) == 0;
    if (ok && r->page_param)
        ok = json_object_set_new(p, r->page_param,
                                 r->page_token ? json_string(r->page_token)
                                               : json_integer(r->page_no)) == 0;
    if (ok && r->size_param)
        ok = json_object_set_new(p, r->size_param, json_integer(r->page_size)) == 0;
    if (!ok)
        json_decref(p);
    return ok ? p : NULL;
}

/* The name in a placeholder "{name}" into name (cap bytes), or false when s is none. */
static bool placeholder(const json_t *s, char *name, size_t cap)
{
    const char *t = json_string_value(s);
    size_t n = t ? strlen(t) : 0;
    if (n < 3 || n - 2 >= cap || t[0] != '{' || t[n - 1] != '}' || strpbrk(t + 1, "{") ||
        strchr(t + 1, '}') != t + n - 1)
        return false;
    memcpy(name, t + 1, n - 2);
    name[n - 2] = '\0';
    return true;
}

typedef struct fill_ctx {
    json_t *params; /* owned */
    json_t *used;   /* names placed, as keys */
    bool oom;
} fill_ctx;

static json_t *fill(const json_t *t, fill_ctx *f);

/* A copy of the object or array t, every member filled; a member filled to nothing is
 * dropped. */
static json_t *fill_each(const json_t *t, fill_ctx *f)
{
    json_t *out = json_is_object(t) ? json_object() : json_array();
    const char *k;
    json_t *v;
    size_t i;
    if (!out)
        return f->oom = true, NULL;
    if (json_is_object(t)) {
        json_object_foreach((json_t *)t, k, v) {
            json_t *nv = fill(v, f);
            if (nv && json_object_set_new(out, k, nv) != 0)
                f->oom = true;
        }
    } else {
        json_array_foreach(t, i, v) {
            json_t *nv = fill(v, f);
            if (nv && json_array_append_new(out, nv) != 0)
                f->oom = true;
        }
    }
    return out;
}

/* The template value t with its placeholders replaced (owned), or NULL: a placeholder of a
 * parameter the request does not have (or out of memory, noted in f). */
static json_t *fill(const json_t *t, fill_ctx *f)
{
    char name[256];
    if (placeholder(t, name, sizeof name)) {
        json_t *v = json_object_get(f->params, name);
        if (v && json_object_set_new(f->used, name, json_true()) != 0)
            f->oom = true;
        return v ? json_deep_copy(v) : NULL;
    }
    if (json_is_object(t) || json_is_array(t))
        return fill_each(t, f);
    json_t *c = json_deep_copy(t);
    if (!c)
        f->oom = true;
    return c;
}

char *sl_json_body_new(const sl_page_req *r, size_t *len)
{
    fill_ctx f = {.params = params_of(r), .used = json_object()};
    json_t *doc = f.params && f.used ? fill(r->json_body, &f) : NULL;
    const char *k;
    json_t *v;
    char *text = NULL;
    if (doc && !f.oom) {
        json_object_foreach((json_t *)f.params, k, v) {
            if (!json_object_get(f.used, k) && json_object_set(doc, k, v) != 0)
                f.oom = true;
        }
        text = f.oom ? NULL : json_dumps(doc, JSON_COMPACT);
    }
    *len = text ? strlen(text) : 0;
    json_decref(doc);
    json_decref(f.params);
    json_decref(f.used);
    return text;
}

sl_status sl_request_json(const sl_page_req *r, sl_request *out)
{
    out->body = sl_json_body_new(r, &out->body_len);
    out->query = strdup("");
    out->content_type = "application/json";
    return out->body && out->query ? SL_OK : SL_ERR_INTERNAL;
}
