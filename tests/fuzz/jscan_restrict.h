/* jscan_restrict.h: the ground truth for engine/json/jscan.c, written independently of it: restricts
 * a tree decoded by json_loadb to what jscan.h promises to keep for a plan (the envelope whole,
 * inside each record only what the column paths reach), and a differential check of one input.
 * Shared by tests/unit/test_jscan.c and the fuzz harness. */
#ifndef SLUICE_JSCAN_RESTRICT_H
#define SLUICE_JSCAN_RESTRICT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "jpath.h"
#include "jscan.h"
#include "plan.h"

/* What is left of one path below the current value: from step i of [*] (when star), then the
 * steps of a, then those of b (may be NULL). Column paths start at the records list with star;
 * envelope paths into the list start after the records path's steps. */
typedef struct rx_sfx {
    const sl_jpath *a, *b;
    size_t i;
    bool star;
} rx_sfx;

static inline size_t rx_len(const rx_sfx *x)
{
    return x->star + sl_jpath_n_steps(x->a) + (x->b ? sl_jpath_n_steps(x->b) : 0);
}

static inline sl_jpath_kind rx_step(const rx_sfx *x, const char **key)
{
    size_t na = sl_jpath_n_steps(x->a), j = x->i - x->star;
    if (x->star && x->i == 0)
        return SL_JPATH_ALL;
    return j < na ? sl_jpath_step(x->a, j, key) : sl_jpath_step(x->b, j - na, key);
}

typedef struct rx_env {
    const sl_jpath *records;
    rx_sfx *sfx;
    size_t n;
} rx_env;

/* An envelope path whose leading keys are the records path's continues into the list. */
static inline void rx_env_path(const sl_jpath *p, void *vctx)
{
    rx_env *x = vctx;
    size_t nr = sl_jpath_n_steps(x->records);
    if (!p || sl_jpath_n_steps(p) < nr)
        return;
    for (size_t i = 0; i < nr; i++) {
        const char *a, *b;
        if (sl_jpath_step(p, i, &a) != SL_JPATH_KEY)
            return;
        sl_jpath_step(x->records, i, &b);
        if (strcmp(a, b))
            return;
    }
    x->sfx[x->n++] = (rx_sfx){p, NULL, nr, false};
}

/* v restricted to the suffixes sfx[0..n). */
static inline json_t *rx_record(const json_t *v, const rx_sfx *sfx, size_t n)
{
    rx_sfx *sub = malloc((n + 1) * sizeof *sub);
    json_t *out = NULL;
    for (size_t k = 0; k < n; k++)
        if (sfx[k].i == rx_len(&sfx[k])) {
            free(sub);
            return json_deep_copy(v);
        }
    if (json_is_object(v)) {
        const char *key, *sk;
        json_t *val;
        out = json_object();
        json_object_foreach ((json_t *)v, key, val) {
            size_t m = 0;
            for (size_t k = 0; k < n; k++)
                if (rx_step(&sfx[k], &sk) == SL_JPATH_KEY && !strcmp(sk, key)) {
                    sub[m] = sfx[k];
                    sub[m++].i++;
                }
            if (m)
                json_object_set_new(out, key, rx_record(val, sub, m));
        }
    } else if (json_is_array(v)) {
        const char *sk;
        size_t m = 0;
        for (size_t k = 0; k < n; k++)
            if (rx_step(&sfx[k], &sk) != SL_JPATH_KEY) {
                sub[m] = sfx[k];
                sub[m++].i++;
            }
        out = json_array();
        for (size_t j = 0; m && j < json_array_size(v); j++)
            json_array_append_new(out, rx_record(json_array_get(v, j), sub, m));
    } else {
        out = json_deep_copy(v);
    }
    free(sub);
    return out;
}

/* The records value: the column paths through every item, and the envelope's paths (total,
 * error rules) that reach into it. */
static inline json_t *rx_records(const json_t *v, const sl_plan *plan)
{
    const sl_source_plan *src = &plan->source;
    rx_env x = {src->records, malloc(4096 * sizeof(rx_sfx)), 0};
    for (size_t c = 0; c < plan->table.n_cols; c++)
        if (plan->table.cols[c].path)
            x.sfx[x.n++] = (rx_sfx){plan->table.cols[c].path, NULL, 0, true};
    for (size_t t = 0; t < plan->n_children; t++)
        for (size_t c = 0; c < plan->children[t].n_cols; c++)
            if (plan->children[t].cols[c].path)
                x.sfx[x.n++] =
                    (rx_sfx){plan->children[t].each, plan->children[t].cols[c].path, 0, true};
    for (size_t i = 0; i < src->n_reply_paths; i++)
        rx_env_path(src->reply_paths[i], &x);
    for (size_t i = 0; i < src->n_rules; i++) {
        rx_env_path(src->rules[i].message, &x);
        rx_env_path(src->rules[i].wait_path, &x);
        if (src->rules[i].when)
            sl_expr_paths(src->rules[i].when, rx_env_path, &x);
    }
    json_t *out = rx_record(v, x.sfx, x.n);
    free(x.sfx);
    return out;
}

/* The document restricted to the plan's projection, from step i of the records path. */
static inline json_t *rx_doc(const json_t *v, const sl_plan *plan, size_t i)
{
    const sl_jpath *rp = plan->source.records;
    const char *key, *sk;
    json_t *val;
    if (i == sl_jpath_n_steps(rp))
        return rx_records(v, plan);
    if (sl_jpath_step(rp, i, &sk) != SL_JPATH_KEY || !json_is_object(v))
        return json_deep_copy(v);
    json_t *out = json_object();
    json_object_foreach ((json_t *)v, key, val)
        json_object_set_new(out, key,
                            strcmp(key, sk) ? json_deep_copy(val) : rx_doc(val, plan, i + 1));
    return out;
}

/* jansson refused a well-formed value it cannot hold (too big a number, text that is no valid
 * Unicode): jscan refuses those only where it keeps them, so its answer is not jansson's. */
static inline bool rx_unrepresentable(const json_error_t *e)
{
    enum json_error_code c = json_error_code(e);
    return c == json_error_invalid_utf8 || c == json_error_null_character ||
           c == json_error_null_byte_in_key ||
           c == json_error_numeric_overflow || !strncmp(e->text, "invalid Unicode", 15);
}

/* Decodes buf with both decoders; returns 0 when they agree (both fail, or the jscan tree
 * equals the restricted jansson tree and notes no bad record), else prints why (with what) and
 * returns 1. Where jansson stopped at a value it cannot hold, jscan may do either. */
static inline int rx_differ(const sl_jscan *scan, const sl_plan *plan, const char *buf,
                            size_t len, const char *what)
{
    json_error_t jerr;
    sl_error err = {0};
    json_t *ref = json_loadb(buf, len, 0, &jerr), *bad = NULL;
    json_t *got = sl_jscan_decode(scan, buf, len, &bad, &err);
    int rc = 0;
    if (ref && bad) {
        fprintf(stderr, "%s: jansson ok, jscan notes %zu bad records\n", what, json_array_size(bad));
        rc = 1;
    } else if (!ref && rx_unrepresentable(&jerr)) {
        rc = 0;
    } else if (!ref || !got) {
        if (!ref != !got) {
            fprintf(stderr, "%s: jansson %s (%s), jscan %s (%s)\n", what, ref ? "ok" : "fails",
                    ref ? "" : jerr.text, got ? "ok" : "fails", err.msg);
            rc = 1;
        }
    } else {
        json_t *want = rx_doc(ref, plan, 0);
        if (!json_equal(want, got)) {
            char *a = json_dumps(want, JSON_COMPACT | JSON_SORT_KEYS);
            char *b = json_dumps(got, JSON_COMPACT | JSON_SORT_KEYS);
            fprintf(stderr, "%s: trees differ\n want %.300s\n got  %.300s\n", what, a, b);
            free(a);
            free(b);
            rc = 1;
        }
        json_decref(want);
    }
    json_decref(ref);
    json_decref(got);
    json_decref(bad);
    return rc;
}

#endif
