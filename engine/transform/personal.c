/* personal.c: see personal.h. The mask keeps at most half a value's characters (UTF-8
 * characters, an invalid byte counting as one): keep_first from the start, then keep_last from
 * the end, each cut to what is left of that half; every other character becomes one '*'. The
 * hash is HMAC-SHA256 keyed by personal.hash_key over the text's bytes, as 64 lowercase hex
 * digits, so equal values give equal hashes in every table and job sharing the key. */
#include "personal.h"

#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "jpath.h"
#include "text.h"

/* Writes the mask of s[0..len) into out (len bytes of room: a masked character takes one
 * byte, at most what it took); returns the bytes written. */
static size_t mask_text(const sl_personal_plan *pp, const char *s, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; n++) {
        size_t cl = sl_text_char_len(s + i, len - i);
        i += cl ? cl : 1;
    }
    size_t half = n / 2;
    size_t first = (size_t)pp->keep_first < half ? (size_t)pp->keep_first : half;
    size_t last = (size_t)pp->keep_last < half - first ? (size_t)pp->keep_last : half - first;
    size_t w = 0, ch = 0;
    for (size_t i = 0; i < len; ch++) {
        size_t cl = sl_text_char_len(s + i, len - i);
        cl = cl ? cl : 1;
        if (ch < first || ch >= n - last) {
            memcpy(out + w, s + i, cl);
            w += cl;
        } else {
            out[w++] = '*';
        }
        i += cl;
    }
    return w;
}

/* Writes the hex HMAC of s[0..len) into out (SL_DIGEST_TEXT bytes); returns 64. */
static size_t hash_text(const sl_personal_plan *pp, const char *s, size_t len, char *out)
{
    sl_digest d;
    uint8_t mac[SL_DIGEST_MAX];
    sl_digest_init(&d, SL_HASH_SHA256, pp->key, pp->key_len);
    sl_digest_update(&d, s, len);
    size_t n = sl_digest_final(&d, mac);
    return sl_digest_encode(mac, n, SL_ENC_HEX, out);
}

int sl_personal_cell(const sl_personal_plan *pp, sl_personal mode, sl_rowset *rs, size_t row,
                     size_t col)
{
    if (mode != SL_PERSONAL_MASK && mode != SL_PERSONAL_HASH)
        return 0;
    if (mode == SL_PERSONAL_HASH && pp->key_len == 0)
        return -1; /* never hashed without the key (load_plan reads it) */
    int32_t len;
    if (!sl_rowset_get(rs, row, col, &len) || len < 0)
        return 0;
    /* room first: reserving may move the arena the cell's text is in */
    size_t room = mode == SL_PERSONAL_HASH ? SL_DIGEST_TEXT : (size_t)len;
    char *out = sl_rowset_reserve(rs, room ? room : 1);
    if (!out)
        return -1;
    const char *s = sl_rowset_get(rs, row, col, &len);
    size_t w = mode == SL_PERSONAL_HASH ? hash_text(pp, s, (size_t)len, out)
                                        : mask_text(pp, s, (size_t)len, out);
    sl_rowset_commit(rs, row, col, w);
    return 0;
}

const char *sl_personal_marked(const json_t *v, sl_personal mode)
{
    const json_t *m = json_object_get(v, SL_PERSONAL_MARK);
    const json_t *text = json_object_get(v, "value");
    if (!json_is_string(m) || !json_is_string(text) || mode < SL_PERSONAL_CLEAR ||
        strcmp(json_string_value(m), sl_personal_names[mode - 1]))
        return NULL;
    return json_string_value(text);
}

/* The marker for v (a field as received) under mode; NULL when out of memory. */
static json_t *marker_new(const sl_personal_plan *pp, sl_personal mode, const json_t *v)
{
    char *dump = json_is_string(v) ? NULL : json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    const char *s = json_is_string(v) ? json_string_value(v) : dump;
    size_t len = json_is_string(v) ? json_string_length(v) : dump ? strlen(dump) : 0;
    char hex[SL_DIGEST_TEXT], *masked = mode == SL_PERSONAL_MASK ? malloc(len + 1) : NULL;
    json_t *m = NULL;
    if (s && (mode != SL_PERSONAL_MASK || masked)) {
        size_t w = mode == SL_PERSONAL_HASH ? hash_text(pp, s, len, hex)
                                            : mask_text(pp, s, len, masked);
        m = json_pack("{s:s, s:s%}", SL_PERSONAL_MARK, sl_personal_names[mode - 1], "value",
                      mode == SL_PERSONAL_HASH ? hex : masked, w);
    }
    free(masked);
    free(dump);
    return m;
}

/* Protects the field path reaches in root (the caller's copy): a marker in its place, or
 * removed for a drop. Returns -1 when out of memory. */
static int protect_field(const sl_personal_plan *pp, sl_personal mode, const sl_jpath *path,
                         json_t *root)
{
    json_t *up = (json_t *)sl_jpath_holder(path, root); /* in the caller's copy */
    size_t last = sl_jpath_n_steps(path) - 1, index = sl_jpath_step_index(path, last);
    const char *key = NULL;
    bool by_key = up && sl_jpath_step(path, last, &key) == SL_JPATH_KEY;
    json_t *v = !up ? NULL : by_key ? json_object_get(up, key) : json_array_get(up, index);
    if (!v || json_is_null(v) || sl_personal_marked(v, mode))
        return 0;
    json_t *m = mode == SL_PERSONAL_DROP ? json_null() : marker_new(pp, mode, v);
    if (!m)
        return -1;
    if (by_key && mode == SL_PERSONAL_DROP) {
        json_decref(m);
        return json_object_del(up, key) == 0 ? 0 : -1;
    }
    return (by_key ? json_object_set_new(up, key, m) : json_array_set_new(up, index, m)) == 0
               ? 0
               : -1;
}

typedef struct walk {
    const sl_plan *plan;
    size_t table; /* 0 the top table, 1 + i child i */
    int rc;
} walk;

static int protect_table(const sl_plan *plan, size_t ti, json_t *src);

static int protect_item(const json_t *item, void *ctx)
{
    walk *w = ctx;
    /* the copy is the caller's: its items may be changed */
    return protect_table(w->plan, w->table, (json_t *)item);
}

/* The personal fields of table ti (0 the top one) in src, then its child tables' items. */
static int protect_table(const sl_plan *plan, size_t ti, json_t *src)
{
    const sl_table *t = ti == 0 ? &plan->table : &plan->children[ti - 1];
    for (size_t ci = 0; ci < t->n_cols; ci++)
        if (t->cols[ci].path && t->cols[ci].personal > SL_PERSONAL_CLEAR &&
            protect_field(&plan->personal, t->cols[ci].personal, t->cols[ci].path, src))
            return -1;
    for (size_t i = ti, end = sl_plan_kids_end(plan, ti); i < end; i++) {
        if (plan->children[i].up != ti)
            continue;
        walk w = {plan, 1 + i, 0};
        if (sl_jpath_each(plan->children[i].each, src, protect_item, &w))
            return -1;
    }
    return 0;
}

json_t *sl_personal_record_new(const sl_plan *plan, const json_t *record)
{
    json_t *copy = json_deep_copy(record);
    if (copy && plan->personal.any && protect_table(plan, 0, copy) != 0) {
        json_decref(copy);
        return NULL;
    }
    return copy;
}
