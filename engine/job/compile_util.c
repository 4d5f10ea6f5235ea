/* compile_util.c: helpers shared by the compiler's files. See compile_int.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "compile_int.h"
#include "urlcode.h"

sl_pos cc_pos_of(const sl_optval *v, const sl_ynode *fallback)
{
    return v->node ? v->node->pos : fallback ? fallback->pos : (sl_pos){0, 0};
}

char *cc_dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* A YAML node as JSON: unquoted scalars become numbers, booleans or null when they read so. */
json_t *cc_node_to_json(const sl_ynode *n)
{
    if (n->kind == SL_Y_MAP) {
        json_t *o = json_object();
        for (size_t i = 0; o && i < n->n; i++)
            json_object_set_new(o, n->keys[i]->str, cc_node_to_json(n->items[i]));
        return o;
    }
    if (n->kind == SL_Y_SEQ) {
        json_t *a = json_array();
        for (size_t i = 0; a && i < n->n; i++)
            json_array_append_new(a, cc_node_to_json(n->items[i]));
        return a;
    }
    if (n->quoted || n->ref)
        return json_stringn(n->str, n->len);
    if (sl_ynode_is_null(n))
        return json_null();
    if (!strcmp(n->str, "true") || !strcmp(n->str, "false"))
        return json_boolean(n->str[0] == 't');
    json_error_t jerr;
    json_t *num = json_loads(n->str, JSON_DECODE_ANY, &jerr);
    if (num && json_is_number(num))
        return num;
    json_decref(num);
    return json_stringn(n->str, n->len);
}

bool cc_same_name(const char *a, const char *b)
{
    return strcasecmp(a, b) == 0;
}

/* Plain http to another machine is refused unless the section says it is intended. The URL
 * is checked once it is known (a reference is read at compile time by every command that
 * connects); the message names the host only, since the rest of a URL may hold a key. */
static void check_plain_http(cc *c, const sl_optval *url, const sl_optval *allow,
                             const char *key, const char *section)
{
    const sl_ynode *n = url->node;
    char host[256];
    if (!n || n->unresolved || !url->s || allow->i ||
        !sl_url_plain_remote(url->s, host, sizeof host))
        return;
    sl_diag_error(c->diag, n->pos,
                  "'%s' is plain http:// to '%s', not this machine: use https://, or set "
                  "'allow_insecure_http: true' in %s if unencrypted traffic is intended",
                  key, host, section);
}

/* An endpoint or webhook must be an http(s) URL (libcurl would take ftp:// or file:// and fail
 * at the first request, retried as if transient), and plain http to another machine needs the
 * section's consent. */
void cc_check_url(cc *c, const sl_optval *url, const sl_optval *allow, const char *key,
                      const char *section)
{
    const sl_ynode *n = url->node;
    if (n && !n->unresolved && url->s && strncmp(url->s, "http://", 7) != 0 &&
        strncmp(url->s, "https://", 8) != 0)
        sl_diag_error(c->diag, n->pos, "'%s' must be an http:// or https:// URL", key);
    else
        check_plain_http(c, url, allow, key, section);
}

/* Loads an optional or required sub-section; an absent one gets its defaults. */
void cc_load_section(cc *c, const sl_opt_table *t, const sl_optval *v, const sl_ynode *parent,
                         void *out)
{
    sl_options_load(t, NULL, v->node, parent ? parent->pos : (sl_pos){1, 1}, out, c->diag);
}

/* True when a section may be loaded: absent (defaults) or a map; anything else was already
 * reported by its parent's loader. */
bool cc_loadable(const sl_optval *v)
{
    return !v->node || v->node->kind == SL_Y_MAP;
}

bool cc_share_bp(const char *s, int64_t max_bp, int64_t *bp)
{
    sl_dec d, cap;
    size_t n = s ? strlen(s) : 0;
    char digits[16];
    int len = -1;
    sl_dec_from_int(&cap, max_bp / 100);
    if (n < 2 || s[n - 1] != '%' || !sl_dec_from_text(&d, s, n - 1) || d.neg ||
        sl_dec_cmp(&d, &cap) > 0 || (len = sl_dec_format(&d, 9, 2, digits, sizeof digits)) < 0)
        return false;
    int64_t v = 0;
    for (int i = 0; i < len; i++) /* "95.00": its digits are hundredths of a percent */
        if (digits[i] >= '0' && digits[i] <= '9')
            v = v * 10 + (digits[i] - '0');
    *bp = v;
    return true;
}
