/* knobs.c: a mock's tunables as one table, read by the command line, by POST /_admin and by
 * --help, so the three never disagree. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mockkit.h"

static const mk_knob_def *knob_find(const mk_knob_table *t, const char *name)
{
    for (size_t i = 0; i < t->n; i++) {
        const char *a = t->rows[i].name, *b = name;
        while (*a && (*a == *b || (*a == '-' && *b == '_'))) {
            a++;
            b++;
        }
        if (!*a && !*b)
            return &t->rows[i];
    }
    return NULL;
}

bool mk_knob_exists(const mk_knob_table *t, const char *name)
{
    return knob_find(t, name) != NULL;
}

static bool knob_store(void *k, const mk_knob_def *d, double v, char *err, size_t n)
{
    bool real = d->kind == MK_RATE;
    if (!(v >= d->min && v <= d->max) || (!real && v != floor(v))) {
        snprintf(err, n, "%s must be %s between %g and %g", d->name,
                 real ? "a number" : "an integer", d->min, d->max);
        return false;
    }
    if (real)
        *(double *)((char *)k + d->off) = v;
    else
        *(int64_t *)((char *)k + d->off) = (int64_t)v;
    return true;
}

/* An enum's value by name; false with the allowed names in err. */
static bool enum_store(void *k, const mk_knob_def *d, const char *text, char *err, size_t n)
{
    for (int64_t i = 0; d->names[i]; i++) {
        if (strcmp(d->names[i], text) == 0) {
            *(int64_t *)((char *)k + d->off) = i;
            return true;
        }
    }
    int w = snprintf(err, n, "%s: '%s' is not one of", d->name, text);
    for (size_t i = 0; d->names[i] && w > 0 && (size_t)w < n; i++)
        w += snprintf(err + w, n - (size_t)w, " %s", d->names[i]);
    return false;
}

bool mk_knob_set(const mk_knob_table *t, void *k, const char *name, const char *text, char *err,
                 size_t n)
{
    const mk_knob_def *d = knob_find(t, name);
    if (!d) {
        snprintf(err, n, "unknown knob '%s' (see --help)", name);
        return false;
    }
    if (d->kind == MK_ENUM)
        return enum_store(k, d, text, err, n);
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end) {
        snprintf(err, n, "%s: '%s' is not a number", d->name, text);
        return false;
    }
    return knob_store(k, d, v, err, n);
}

bool mk_knob_set_json(const mk_knob_table *t, void *k, const char *name, const json_t *v,
                      char *err, size_t n)
{
    const mk_knob_def *d = knob_find(t, name);
    if (!d) {
        snprintf(err, n, "unknown knob '%s'", name);
        return false;
    }
    if (d->kind == MK_ENUM && json_is_string(v))
        return enum_store(k, d, json_string_value(v), err, n);
    if (!json_is_number(v) || d->kind == MK_ENUM) {
        snprintf(err, n, "%s: a %s is required", d->name, d->kind == MK_ENUM ? "name" : "number");
        return false;
    }
    return knob_store(k, d, json_number_value(v), err, n);
}

json_t *mk_knobs_json(const mk_knob_table *t, const void *k)
{
    json_t *o = json_object();
    for (size_t i = 0; i < t->n; i++) {
        const mk_knob_def *d = &t->rows[i];
        const char *p = (const char *)k + d->off;
        json_t *v = d->kind == MK_RATE   ? json_real(*(const double *)p)
                    : d->kind == MK_ENUM ? json_string(d->names[*(const int64_t *)p])
                                         : json_integer(*(const int64_t *)p);
        json_object_set_new(o, d->name, v);
    }
    return o;
}

void mk_knobs_default(const mk_knob_table *t, void *k)
{
    char err[160];
    for (size_t i = 0; i < t->n; i++)
        knob_store(k, &t->rows[i], t->rows[i].def, err, sizeof err);
}

void mk_knobs_help(const mk_knob_table *t, FILE *out)
{
    for (size_t i = 0; i < t->n; i++) {
        const mk_knob_def *d = &t->rows[i];
        if (d->kind != MK_ENUM) {
            fprintf(out, "  --%-20s %s (default %g)\n", d->name, d->doc, d->def);
            continue;
        }
        fprintf(out, "  --%-20s %s; one of", d->name, d->doc);
        for (size_t j = 0; d->names[j]; j++)
            fprintf(out, " %s", d->names[j]);
        fprintf(out, " (default %s)\n", d->names[(size_t)d->def]);
    }
}
