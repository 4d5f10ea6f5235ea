/* jscan_int.h: the projection's nodes, built from the plan by jscan_project.c and read by the
 * decoder (jscan.c, the hot path). Private to engine/json. */
#ifndef SLUICE_JSCAN_INT_H
#define SLUICE_JSCAN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <jansson.h>

#include "jscan.h"
#include "jscan_note.h"
#include "jscratch.h"

typedef struct pnode pnode;
struct pnode {
    bool all;     /* keep the whole value */
    bool rest;    /* envelope: members and items not listed are kept whole */
    bool record;  /* an item of the records list */
    bool records_inside; /* the records list, or a value holding it kept whole */
    pnode *items; /* projection of array items, or NULL */
    char **keys;  /* listed object keys, owned */
    size_t *klens;
    pnode **kids;
    size_t n_keys, cap_keys;
    uint32_t *slots; /* open addressing over keys: index + 1, 0 = empty */
    size_t mask;
};

struct sl_jscan {
    pnode *root;
};

/* Constant time over the key: its length and its first and last 8 bytes (keys are short; the
 * probe compares the whole key anyway). Out of line like lookup, for the same reason. */
static __attribute__((noinline, unused)) size_t key_hash(const char *k, size_t len)
{
    uint64_t a = 0, b = 0;
    if (len >= 8) {
        memcpy(&a, k, 8);
        memcpy(&b, k + len - 8, 8);
    } else {
        memcpy(&a, k, len);
    }
    uint64_t h = (a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^ len;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    return (size_t)(h ^ (h >> 32));
}

/* The child listed under key k[0..len) of n, or NULL. Out of line, as when one file held the
 * projection and the decoder: inlined into the decoder's member loop it changes that loop's
 * generated code, which is benchmarked as it is. */
static __attribute__((noinline, unused)) pnode *lookup(const pnode *n, const char *k,
                                                       size_t len)
{
    if (!n->slots)
        return NULL;
    for (size_t i = key_hash(k, len) & n->mask;; i = (i + 1) & n->mask) {
        uint32_t s = n->slots[i];
        if (!s)
            return NULL;
        if (n->klens[s - 1] == len && !memcmp(n->keys[s - 1], k, len))
            return n->kids[s - 1];
    }
}

#endif
