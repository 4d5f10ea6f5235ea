/* guess_hash.c: is a field's value unique across the records? Values are kept as 64-bit
 * hashes, each with the hash of the record holding it, so a record read twice (overlapping
 * windows, re-reads) does not count against its key. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "guess_int.h"

enum { KEY_SET_VALUES = 1 << 18 }; /* values tracked per field: 4 MiB of slots at most */

static uint64_t hash_text(int kind, const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)kind;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h ? h : 1;
}

static void hset_add(gs_hset *s, uint64_t h, uint64_t record)
{
    if (s->dup || s->full)
        return;
    if (s->n * 2 >= s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        gs_hslot *slots = cap / 2 > KEY_SET_VALUES ? NULL : calloc(cap, sizeof *slots);
        if (!slots) { /* checked on the values seen so far only */
            s->full = true;
            return;
        }
        for (size_t i = 0; i < s->cap; i++)
            for (size_t j = s->slots[i].value & (cap - 1); s->slots[i].value;
                 j = (j + 1) & (cap - 1))
                if (!slots[j].value) {
                    slots[j] = s->slots[i];
                    break;
                }
        free(s->slots);
        s->slots = slots;
        s->cap = cap;
    }
    size_t j = h & (s->cap - 1);
    for (; s->slots[j].value; j = (j + 1) & (s->cap - 1))
        if (s->slots[j].value == h) {
            s->dup = s->slots[j].record != record;
            return;
        }
    s->slots[j] = (gs_hslot){h, record};
    s->n++;
}

void gs_track_id(gs_hset *s, const json_t *v, uint64_t record)
{
    char buf[24];
    if (json_is_string(v))
        hset_add(s, hash_text(1, json_string_value(v), json_string_length(v)), record);
    else if (json_is_integer(v))
        hset_add(s, hash_text(2, buf, (size_t)snprintf(buf, sizeof buf, "%lld",
                                                       (long long)json_integer_value(v))),
                 record);
    else if (v && !json_is_null(v))
        s->dup = true; /* no key */
}

uint64_t gs_hash_json(const json_t *v, uint64_t h, int depth)
{
    char buf[32];
    const char *k;
    const json_t *m;
    size_t i;
    h = (h ^ (uint64_t)json_typeof(v)) * 1099511628211ULL;
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        json_object_foreach((json_t *)v, k, m)
            if (depth < GS_MAX_DEPTH)
                h = gs_hash_json(m, h ^ hash_text(0, k, strlen(k)), depth + 1);
        return h;
    case JSON_ARRAY:
        json_array_foreach(v, i, m)
            if (depth < GS_MAX_DEPTH)
                h = gs_hash_json(m, h, depth + 1);
        return h;
    case JSON_STRING: return h ^ hash_text(1, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return h ^ hash_text(2, buf, (size_t)snprintf(buf, sizeof buf, "%lld",
                                                      (long long)json_integer_value(v)));
    case JSON_REAL:
        return h ^ hash_text(3, buf,
                             (size_t)snprintf(buf, sizeof buf, "%.17g", json_real_value(v)));
    default: return h;
    }
}
