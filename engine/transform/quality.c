/* quality.c: see quality.h. Rules read the converted cells, so a bound, an allowed value and a
 * condition see what the table will hold; numbers are compared as exact decimals. A unique
 * rule keeps its values and the key that had each in an open-addressing table. */
#include "quality.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"
#include "regex.h"
#include "text.h"

/* The values a unique rule has seen: value -> the key of the record that had it. */
typedef struct uniq {
    char **vals, **keys; /* NULL slot: empty */
    size_t cap, n;
} uniq;

struct sl_quality {
    const sl_plan *plan;
    sl_dq_count *counts;
    uniq *uniqs;      /* per rule (used by unique rules) */
    json_t *row;      /* a check's view of the row: column name -> text or null */
    bool any_failed;
};

sl_quality *sl_quality_new(const sl_plan *plan)
{
    sl_quality *q = calloc(1, sizeof *q);
    size_t n = plan->n_quality ? plan->n_quality : 1;
    if (!q || !(q->counts = calloc(n, sizeof *q->counts)) ||
        !(q->uniqs = calloc(n, sizeof *q->uniqs)) || !(q->row = json_object())) {
        sl_quality_free(q);
        return NULL;
    }
    q->plan = plan;
    return q;
}

static void uniq_clear(uniq *u)
{
    for (size_t i = 0; i < u->cap; i++) {
        free(u->vals[i]);
        free(u->keys[i]);
    }
    free(u->vals);
    free(u->keys);
}

void sl_quality_free(sl_quality *q)
{
    if (!q)
        return;
    for (size_t i = 0; q->uniqs && i < q->plan->n_quality; i++)
        uniq_clear(&q->uniqs[i]);
    free(q->uniqs);
    free(q->counts);
    json_decref(q->row);
    free(q);
}

/* snprintf that may cut: reasons and examples are bounded on purpose. */
static void __attribute__((format(printf, 3, 4))) put(char *dst, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, n, fmt, ap);
    va_end(ap);
}

/* ---- the values a unique rule has seen ---- */

static size_t hash_of(const char *s, size_t len)
{
    size_t h = 1469598103934665603u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* The slot of val (len bytes): where it is, or the empty slot where it would go. */
static size_t uniq_slot(const uniq *u, const char *val, size_t len)
{
    size_t i = hash_of(val, len) & (u->cap - 1);
    while (u->vals[i] && (strlen(u->vals[i]) != len || memcmp(u->vals[i], val, len)))
        i = (i + 1) & (u->cap - 1);
    return i;
}

static int uniq_grow(uniq *u)
{
    uniq bigger = {.cap = u->cap ? u->cap * 2 : 1024};
    bigger.vals = calloc(bigger.cap, sizeof *bigger.vals);
    bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
    if (!bigger.vals || !bigger.keys) {
        free(bigger.vals);
        free(bigger.keys);
        return -1;
    }
    for (size_t i = 0; i < u->cap; i++)
        if (u->vals[i]) {
            size_t j = uniq_slot(&bigger, u->vals[i], strlen(u->vals[i]));
            bigger.vals[j] = u->vals[i];
            bigger.keys[j] = u->keys[i];
        }
    free(u->vals);
    free(u->keys);
    bigger.n = u->n;
    *u = bigger;
    return 0;
}

/* ---- one rule on one row ---- */

/* The row's key cells joined by ",", into buf. */
static void key_text(const sl_plan *plan, const sl_rowset *rs, size_t row, char *buf, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < plan->table.n_key && used + 1 < n; k++) {
        int32_t len;
        const char *s = sl_rowset_get(rs, row, plan->table.key[k], &len);
        used += (size_t)snprintf(buf + used, n - used, "%s%.*s", k ? "," : "", len > 0 ? len : 0,
                                 len > 0 ? s : "");
    }
}

/* A value quoted in a reason: at most 40 bytes, controls escaped, "..." after a cut. */
static const char *excerpt(const char *s, size_t len, char out[48])
{
    size_t used = sl_text_escape(out, 41, s, len);
    if (used < len)
        memcpy(out + strlen(out), "...", 4);
    return out;
}

typedef struct cell {
    const char *s;
    size_t len;
    char quoted[48];
} cell;

/* A DATETIME cell ("YYYY-MM-DD HH:MM:SS", perhaps a fraction) against a bound of the same
 * form without one: the text orders them; a fraction of digits other than 0 is later. */
static int datetime_cmp(const cell *v, const char *bound)
{
    size_t n = v->len < 19 ? v->len : 19;
    int c = memcmp(v->s, bound, n);
    if (c)
        return c < 0 ? -1 : 1;
    for (size_t i = n; i < v->len; i++)
        if (v->s[i] >= '1' && v->s[i] <= '9')
            return 1;
    return v->len < 19 ? -1 : 0;
}

static int bound_cmp(const sl_dq_rule *r, const cell *v, const char *text, const sl_dec *d)
{
    sl_dec x;
    if (!r->numeric)
        return datetime_cmp(v, text);
    if (!sl_dec_from_text(&x, v->s, v->len))
        return 0; /* a numeric column holds numbers: the converter made sure */
    return sl_dec_cmp(&x, d);
}

/* -1 below min, 1 above max, 0 within. */
static int range_side(const sl_dq_rule *r, const cell *v)
{
    if (r->min && bound_cmp(r, v, r->min, &r->min_dec) < 0)
        return -1;
    if (r->max && bound_cmp(r, v, r->max, &r->max_dec) > 0)
        return 1;
    return 0;
}

static bool allowed(const sl_dq_rule *r, const cell *v)
{
    sl_dec d;
    bool num = r->numeric && sl_dec_from_text(&d, v->s, v->len);
    for (size_t i = 0; i < r->n_values; i++)
        if (num ? sl_dec_cmp(&d, &r->values_dec[i]) == 0
                : strlen(r->values[i]) == v->len && !memcmp(r->values[i], v->s, v->len))
            return true;
    return false;
}

/* Unique: 1 when another key had the value (its key in why), 0 fine, -1 out of memory. */
static int seen_before(sl_quality *q, size_t ri, const cell *v, const char *key, char *why,
                       size_t n)
{
    uniq *u = &q->uniqs[ri];
    if (q->counts[ri].overflow)
        return 0;
    if ((u->n + 1) * 2 > u->cap && (u->n >= SL_DQ_UNIQUE_MAX || uniq_grow(u) != 0)) {
        if (u->n < SL_DQ_UNIQUE_MAX)
            return -1;
        q->counts[ri].overflow = true;
        return 0;
    }
    size_t i = uniq_slot(u, v->s, v->len);
    if (u->vals[i] && strcmp(u->keys[i], key) != 0) {
        put(why, n, "'%s' is also the value of record %s", v->quoted, u->keys[i]);
        return 1;
    }
    return 0;
}

static int uniq_add(sl_quality *q, size_t ri, const cell *v, const char *key)
{
    uniq *u = &q->uniqs[ri];
    if (q->counts[ri].overflow || !u->cap)
        return 0;
    size_t i = uniq_slot(u, v->s, v->len);
    if (u->vals[i])
        return 0;
    if (!(u->vals[i] = strndup(v->s, v->len)) || !(u->keys[i] = strdup(key)))
        return -1;
    u->n++;
    return 0;
}

/* A check: the row's columns it reads as texts (or null), then the condition. */
static int check_fails(sl_quality *q, const sl_dq_rule *r, const sl_rowset *rs, size_t row,
                       char *why, size_t n)
{
    const sl_table *t = &q->plan->table;
    for (size_t i = 0; i < r->n_check_cols; i++) {
        int32_t len;
        const char *s = sl_rowset_get(rs, row, r->check_cols[i], &len);
        json_t *v = len >= 0 ? json_stringn_nocheck(s, (size_t)len) : json_null();
        if (!v || json_object_set_new(q->row, t->cols[r->check_cols[i]].name, v))
            return -1;
    }
    if (sl_expr_eval(r->check, q->row))
        return 0;
    size_t used = (size_t)snprintf(why, n, "%s is false (", sl_expr_text(r->check));
    for (size_t i = 0; i < r->n_check_cols && i < 4 && used < n; i++) {
        const json_t *v = json_object_get(q->row, t->cols[r->check_cols[i]].name);
        char quoted[48];
        used += (size_t)snprintf(why + used, n - used, "%s%s %s%s%s", i ? ", " : "",
                                 t->cols[r->check_cols[i]].name, json_is_null(v) ? "" : "'",
                                 json_is_null(v) ? "NULL"
                                                 : excerpt(json_string_value(v),
                                                           json_string_length(v), quoted),
                                 json_is_null(v) ? "" : "'");
    }
    if (used < n)
        snprintf(why + used, n - used, ")");
    return 1;
}

/* 1 when rule ri fails the row (reason in why), 0 when it passes, -1 out of memory. */
static int rule_fails(sl_quality *q, size_t ri, const sl_rowset *rs, size_t row, const char *key,
                      char *why, size_t n)
{
    const sl_dq_rule *r = &q->plan->quality[ri];
    if (r->kind == SL_DQ_CHECK)
        return check_fails(q, r, rs, row, why, n);
    int32_t len;
    cell v = {.s = sl_rowset_get(rs, row, (size_t)r->column, &len)};
    if (r->kind == SL_DQ_NOT_NULL) {
        q->counts[ri].failed += len < 0;
        return 0;
    }
    if (len < 0)
        return 0;
    v.len = (size_t)len;
    excerpt(v.s, v.len, v.quoted);
    switch (r->kind) {
    case SL_DQ_RANGE: {
        int side = range_side(r, &v);
        if (side)
            snprintf(why, n, "'%s' is %s %s %s", v.quoted, side < 0 ? "below" : "above",
                     side < 0 ? "min" : "max", side < 0 ? r->min : r->max);
        return side != 0;
    }
    case SL_DQ_PATTERN: {
        sl_regex_rc rc = sl_regex_match(r->pattern, v.s, v.len);
        if (rc == SL_RE_FAILED)
            snprintf(why, n, "the pattern gave up on '%s' (%s)", v.quoted,
                     sl_regex_failure(r->pattern));
        else if (rc == SL_RE_NOMATCH)
            snprintf(why, n, "'%s' does not match the pattern", v.quoted);
        return rc != SL_RE_MATCHED;
    }
    case SL_DQ_VALUES:
        if (!allowed(r, &v))
            snprintf(why, n, "'%s' is not one of the allowed values", v.quoted);
        return !allowed(r, &v);
    default:
        return seen_before(q, ri, &v, key, why, n);
    }
}

/* Remembers the row's values of the unique rules, once the row is kept. */
static int remember(sl_quality *q, const sl_rowset *rs, size_t row, const char *key)
{
    for (size_t ri = 0; ri < q->plan->n_quality; ri++) {
        const sl_dq_rule *r = &q->plan->quality[ri];
        int32_t len;
        cell v = {0};
        if (r->kind != SL_DQ_UNIQUE || !(v.s = sl_rowset_get(rs, row, (size_t)r->column, &len)) ||
            len < 0)
            continue;
        v.len = (size_t)len;
        if (uniq_add(q, ri, &v, key) != 0)
            return -1;
    }
    return 0;
}

/* Rule ri on the row: counts it; 1 when a reject rule failed (why filled), -1 out of memory. */
static int apply(sl_quality *q, size_t ri, const sl_rowset *rs, size_t prow, const char *key,
                 char *why, size_t whylen)
{
    const sl_dq_rule *r = &q->plan->quality[ri];
    sl_dq_count *c = &q->counts[ri];
    char reason[400];
    int rc = rule_fails(q, ri, rs, prow, key, reason, sizeof reason);
    if (rc < 0)
        return -1;
    c->checked++;
    if (rc == 0)
        return 0;
    c->failed++;
    q->any_failed = true;
    if (!c->example[0])
        put(c->example, sizeof c->example, "record %s: %s", key, reason);
    if (r->action != SL_DQ_REJECT)
        return 0;
    put(why, whylen, "rule %s: %s", r->name, reason);
    return 1;
}

int sl_quality_row(sl_quality *q, const sl_rowset *rs, size_t prow, size_t *rule, char *why,
                   size_t whylen)
{
    const sl_plan *plan = q->plan;
    char key[256];
    if (!plan->n_quality)
        return 0;
    key_text(plan, rs, prow, key, sizeof key);
    /* Reject rules first: the warn rules and not_null count only the rows that are written. */
    for (int pass = 0; pass < 2; pass++)
        for (size_t ri = 0; ri < plan->n_quality; ri++) {
            if ((plan->quality[ri].action == SL_DQ_REJECT) != (pass == 0))
                continue;
            int rc = apply(q, ri, rs, prow, key, why, whylen);
            if (rc)
                return *rule = ri, rc;
        }
    return remember(q, rs, prow, key);
}

void sl_quality_finish(sl_quality *q)
{
    for (size_t ri = 0; ri < q->plan->n_quality; ri++) {
        const sl_dq_rule *r = &q->plan->quality[ri];
        sl_dq_count *c = &q->counts[ri];
        if (r->kind != SL_DQ_NOT_NULL || c->checked == 0)
            continue;
        /* with a value * 10000 < share * rows, in integers: no rounding decides it */
        c->run_failed = (c->checked - c->failed) * 10000 < (uint64_t)r->share_bp * c->checked;
        q->any_failed |= c->run_failed;
    }
}

const sl_dq_count *sl_quality_count(const sl_quality *q, size_t i)
{
    return &q->counts[i];
}

bool sl_quality_failed(const sl_quality *q)
{
    return q->any_failed;
}
