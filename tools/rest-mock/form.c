/* form.c: request bodies as parameters: application/x-www-form-urlencoded pairs, or a JSON
 * object whose scalar members, at any depth, are parameters by their own names (so
 * {"filter": {"updated_from": T}, "page": {"limit": 50}} reads like ?updated_from=T&limit=50). */
#include <stdlib.h>
#include <string.h>

#include "rest.h"

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decodes n bytes of s (%XX, '+' for a space) into a new string. */
static char *url_decode(const char *s, size_t n)
{
    char *out = mock_xmalloc(n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%' && i + 2 < n + 1 && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
            *o++ = (char)(hex(s[i + 1]) * 16 + hex(s[i + 2]));
            i += 2;
        } else {
            *o++ = s[i] == '+' ? ' ' : s[i];
        }
    }
    *o = '\0';
    return out;
}

void rm_form_parse(const char *body, rm_param_fn fn, void *cls)
{
    for (const char *p = body; *p;) {
        size_t n = strcspn(p, "&"), k = strcspn(p, "=");
        if (n > 0) {
            char *key = url_decode(p, k < n ? k : n);
            char *value = url_decode(k < n ? p + k + 1 : p + n, k < n ? n - k - 1 : 0);
            fn(cls, key, value);
        }
        p += n + (p[n] == '&');
    }
}

static bool json_params(const json_t *o, rm_param_fn fn, void *cls)
{
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)o, k, v) {
        if (json_is_object(v)) {
            if (!json_params(v, fn, cls))
                return false;
            continue;
        }
        if (json_is_array(v) || json_is_null(v))
            return false;
        char *text = json_is_string(v) ? mock_xstrdup(json_string_value(v))
                                       : json_dumps(v, JSON_ENCODE_ANY);
        if (!text)
            abort();
        fn(cls, mock_xstrdup(k), text);
    }
    return true;
}

bool rm_json_params(const char *body, size_t len, rm_param_fn fn, void *cls)
{
    json_t *o = json_loadb(body, len, 0, NULL);
    bool ok = json_is_object(o) && json_params(o, fn, cls);
    json_decref(o);
    return ok;
}
