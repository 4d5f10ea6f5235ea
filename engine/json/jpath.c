/* jpath.c: compile a path into an array of steps (key / index / wildcard); walk it per record
 * without allocating. */
#include "jpath.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { STEP_KEY, STEP_INDEX, STEP_ALL } step_kind;

typedef struct step {
    step_kind kind;
    char *key;    /* STEP_KEY: NUL-terminated, owned */
    size_t index; /* STEP_INDEX */
} step;

struct sl_jpath {
    char *text;
    step *steps;
    size_t n_steps;
    bool multi;
};

void sl_jpath_free(sl_jpath *path)
{
    if (!path)
        return;
    for (size_t i = 0; i < path->n_steps; i++)
        free(path->steps[i].key);
    free(path->steps);
    free(path->text);
    free(path);
}

static bool is_bare(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || (unsigned char)c >= 0x80; /* UTF-8 names too */
}

/* Appends a step; NULL when out of memory. The caller checked the step limit. */
static step *push_step(sl_jpath *p, step_kind kind)
{
    if (!p->steps && !(p->steps = calloc(SL_JPATH_MAX_STEPS, sizeof *p->steps)))
        return NULL;
    step *s = &p->steps[p->n_steps++];
    s->kind = kind;
    s->key = NULL;
    s->index = 0;
    return s;
}

static int fail_as(sl_error *err, sl_status code, size_t pos, const char *why)
{
    sl_error_set(err, code, "col %zu: %s", pos + 1, why);
    return -1;
}

static int fail(sl_error *err, size_t pos, const char *why)
{
    return fail_as(err, SL_ERR_CONFIG, pos, why);
}

/* Parses a bare or quoted key at t[*i]; advances *i. */
static int parse_key(sl_jpath *p, const char *t, size_t *i, sl_error *err)
{
    size_t start = *i, n = 0;
    char *key;
    if (t[*i] == '"') {
        size_t j = *i + 1;
        while (t[j] && t[j] != '"')
            j += t[j] == '\\' && (t[j + 1] == '"' || t[j + 1] == '\\') ? 2 : 1;
        if (t[j] != '"')
            return fail(err, start, "unterminated quoted key");
        key = malloc(j - *i); /* the quoted text's length bounds the key's */
        if (!key)
            return fail_as(err, SL_ERR_INTERNAL, start, "out of memory");
        for (size_t k = *i + 1; k < j; k++) {
            if (t[k] == '\\' && (t[k + 1] == '"' || t[k + 1] == '\\'))
                k++;
            key[n++] = t[k];
        }
        *i = j + 1;
    } else {
        while (is_bare(t[*i]))
            (*i)++;
        n = *i - start;
        if (n == 0)
            return fail(err, start, t[start] ? "expected a key" : "expected a key at the end");
        key = malloc(n + 1);
        if (!key)
            return fail_as(err, SL_ERR_INTERNAL, start, "out of memory");
        memcpy(key, t + start, n);
    }
    key[n] = '\0';
    step *s = push_step(p, STEP_KEY);
    if (!s) {
        free(key);
        return fail_as(err, SL_ERR_INTERNAL, start, "out of memory");
    }
    s->key = key;
    return 0;
}

/* Parses "[N]" or "[*]" at t[*i]; advances *i. */
static int parse_bracket(sl_jpath *p, const char *t, size_t *i, sl_error *err)
{
    size_t start = *i, j = *i + 1;
    step *s;
    if (t[j] == '*' && t[j + 1] == ']') {
        if (!(s = push_step(p, STEP_ALL)))
            return fail_as(err, SL_ERR_INTERNAL, start, "out of memory");
        p->multi = true;
        *i = j + 2;
        return 0;
    }
    size_t idx = 0, digits = 0, num = j;
    while (t[j] >= '0' && t[j] <= '9') {
        if (idx > 100000000)
            return fail(err, num, "array index too large");
        idx = idx * 10 + (size_t)(t[j++] - '0');
        digits++;
    }
    if (!digits)
        return fail(err, j, "expected an array index or '*'");
    if (t[j] != ']')
        return fail(err, j, "expected ']'");
    if (!(s = push_step(p, STEP_INDEX)))
        return fail_as(err, SL_ERR_INTERNAL, start, "out of memory");
    s->index = idx;
    *i = j + 1;
    return 0;
}

static int parse(sl_jpath *p, const char *t, sl_error *err)
{
    size_t i = 0;
    if (t[0] == '$') {
        i = 1;
        if (t[1] == '.')
            i = 2;
        if (!t[i])
            return 0;
    }
    if (t[i] != '[' && parse_key(p, t, &i, err))
        return -1;
    while (t[i]) {
        if (p->n_steps == SL_JPATH_MAX_STEPS) {
            char why[64];
            snprintf(why, sizeof why, "a path has at most %d steps", SL_JPATH_MAX_STEPS);
            return fail(err, i, why);
        }
        if (t[i] == '.') {
            i++;
            if (parse_key(p, t, &i, err))
                return -1;
        } else if (t[i] == '[') {
            if (parse_bracket(p, t, &i, err))
                return -1;
        } else {
            return fail(err, i, "expected '.' or '['");
        }
    }
    return 0;
}

sl_jpath *sl_jpath_compile(const char *text, sl_error *err)
{
    sl_jpath *p = calloc(1, sizeof *p);
    if (!p || !(p->text = strdup(text))) {
        sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
        free(p);
        return NULL;
    }
    if (!text[0]) {
        fail(err, 0, "empty path");
        goto fail;
    }
    if (parse(p, text, err))
        goto fail;
    return p;
fail:
    sl_jpath_free(p);
    return NULL;
}

const char *sl_jpath_text(const sl_jpath *path)
{
    return path->text;
}

bool sl_jpath_is_multi(const sl_jpath *path)
{
    return path->multi;
}

size_t sl_jpath_n_steps(const sl_jpath *path)
{
    return path->n_steps;
}

sl_jpath_kind sl_jpath_step(const sl_jpath *path, size_t i, const char **key)
{
    const step *s = &path->steps[i];
    *key = s->key;
    if (s->kind == STEP_KEY)
        return SL_JPATH_KEY;
    return s->kind == STEP_INDEX ? SL_JPATH_INDEX : SL_JPATH_ALL;
}

static const json_t *step_one(const step *s, const json_t *v)
{
    if (s->kind == STEP_KEY)
        return json_is_object(v) ? json_object_get(v, s->key) : NULL;
    return json_is_array(v) ? json_array_get(v, s->index) : NULL;
}

size_t sl_jpath_step_index(const sl_jpath *path, size_t i)
{
    return path->steps[i].kind == STEP_INDEX ? path->steps[i].index : 0;
}

const json_t *sl_jpath_holder(const sl_jpath *path, const json_t *root)
{
    if (path->multi || path->n_steps == 0)
        return NULL;
    const json_t *v = root;
    for (size_t i = 0; i + 1 < path->n_steps && v; i++)
        v = step_one(&path->steps[i], v);
    return v;
}

const json_t *sl_jpath_get(const sl_jpath *path, const json_t *root)
{
    if (path->multi)
        return NULL;
    const json_t *v = root;
    for (size_t i = 0; i < path->n_steps && v; i++)
        v = step_one(&path->steps[i], v);
    return v;
}

static int walk(const sl_jpath *path, size_t from, const json_t *v, sl_jpath_fn fn, void *ctx)
{
    for (size_t i = from; i < path->n_steps; i++) {
        if (path->steps[i].kind == STEP_ALL) {
            if (!json_is_array(v))
                return 0;
            for (size_t k = 0; k < json_array_size(v); k++) {
                int rc = walk(path, i + 1, json_array_get(v, k), fn, ctx);
                if (rc)
                    return rc;
            }
            return 0;
        }
        if (!(v = step_one(&path->steps[i], v)))
            return 0;
    }
    return fn(v, ctx);
}

int sl_jpath_each(const sl_jpath *path, const json_t *root, sl_jpath_fn fn, void *ctx)
{
    return root ? walk(path, 0, root, fn, ctx) : 0;
}

static int count_one(const json_t *item, void *ctx)
{
    (void)item;
    (*(size_t *)ctx)++;
    return 0;
}

size_t sl_jpath_count(const sl_jpath *path, const json_t *root)
{
    size_t n = 0;
    sl_jpath_each(path, root, count_one, &n);
    return n;
}
