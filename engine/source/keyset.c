/* keyset.c: see keyset.h. An open-addressing table with linear probing, kept at most half
 * full; the hashes are FNV-1a over the key values' bytes. */
#include "keyset.h"

#include <stdlib.h>
#include <string.h>

#include "jpath.h"

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* A record without a key (not an object, a key missing or null) is a reject, yet one record of
 * the API's total: it counts by its whole content, so two such records count two, not one
 * (which left every window holding two of them short of its total, run after run). */
static uint64_t content_key(const json_t *rec)
{
    char *dump = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    uint64_t h = dump ? hash_bytes(1099511628211ULL, dump, strlen(dump)) : 2;
    free(dump);
    return h ? h : 1;
}

static uint64_t record_key(const sl_plan *plan, const json_t *rec)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < plan->table.n_key; i++) {
        const sl_column *c = &plan->table.cols[plan->table.key[i]];
        if (!c->path) /* the account column: one value for the whole run */
            continue;
        const json_t *v = sl_jpath_get(c->path, rec);
        if (!v || json_is_null(v))
            return content_key(rec);
        if (json_is_string(v)) {
            h = hash_bytes(h, json_string_value(v), json_string_length(v));
        } else if (json_is_integer(v)) { /* the value's bytes: no formatting per record */
            json_int_t x = json_integer_value(v);
            h = hash_bytes(h, &x, sizeof x);
        } else {
            char *dump = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
            if (dump)
                h = hash_bytes(h, dump, strlen(dump));
            free(dump);
        }
        h = hash_bytes(h, "\x1f", 1);
    }
    return h ? h : 1;
}

/* Doubles the table (256 slots at first), placing every hash again. */
static int rehash(sl_keyset *ks)
{
    size_t cap = ks->cap ? ks->cap * 2 : 256;
    uint64_t *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < ks->cap; i++) {
        if (!ks->slots[i])
            continue;
        size_t j = ks->slots[i] & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = ks->slots[i];
    }
    free(ks->slots);
    ks->slots = slots;
    ks->cap = cap;
    return 0;
}

static int keyset_add(sl_keyset *ks, uint64_t h)
{
    if ((ks->n + 1) * 2 > ks->cap && rehash(ks) != 0)
        return -1;
    size_t j = h & (ks->cap - 1);
    while (ks->slots[j]) {
        if (ks->slots[j] == h)
            return 0;
        j = (j + 1) & (ks->cap - 1);
    }
    ks->slots[j] = h;
    ks->n++;
    return 0;
}

int sl_keyset_add_page(sl_keyset *ks, const sl_plan *plan, const json_t *records)
{
    size_t i;
    const json_t *rec;
    json_array_foreach(records, i, rec)
    {
        if (keyset_add(ks, record_key(plan, rec)) != 0)
            return -1;
    }
    return 0;
}

void sl_keyset_clear(sl_keyset *ks)
{
    if (ks->slots)
        memset(ks->slots, 0, ks->cap * sizeof *ks->slots);
    ks->n = 0;
}

void sl_keyset_free(sl_keyset *ks)
{
    free(ks->slots);
    *ks = (sl_keyset){0};
}
