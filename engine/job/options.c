/* options.c: the generic option loader (see options.h): a YAML map checked against a table,
 * typed sections included, and the helpers the generated reference shares with it. */
#include "options.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"
#include "timeutil.h"
#include "yaml_load.h"

#define N_ROWS(a) (sizeof(a) / sizeof((a)[0]))
#define DAY_MS INT64_C(86400000)

/* ---- small helpers --------------------------------------------------------------------- */

bool sl_ident_valid(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || (s[0] >= '0' && s[0] <= '9'))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return true;
}

void sl_duration_format(int64_t ms, char *buf, size_t len)
{
    static const struct {
        int64_t scale;
        const char *unit;
    } units[] = {{DAY_MS, "d"}, {3600000, "h"}, {60000, "m"}, {1000, "s"}};
    for (size_t i = 0; i < N_ROWS(units); i++)
        if (ms != 0 && ms % units[i].scale == 0) {
            snprintf(buf, len, "%" PRId64 "%s", ms / units[i].scale, units[i].unit);
            return;
        }
    snprintf(buf, len, "%" PRId64 "%s", ms, ms == 0 ? "s" : "ms");
}

bool sl_opt_bounded(const sl_opt *row)
{
    return row->min <= row->max;
}

/* ---- the loader ------------------------------------------------------------------------ */

static const sl_opt_table no_keys = {"", "", NULL, 0}; /* a kind without keys of its own */

typedef struct load_ctx {
    const sl_opt_table *table;
    const char *label; /* the component in messages */
    sl_diag *diag;
    size_t errors;
    const sl_kind *kind; /* a typed section: the kind chosen by its `type`, or NULL */
} load_ctx;

static void err_at(load_ctx *c, const sl_ynode *node, sl_pos where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void err_at(load_ctx *c, const sl_ynode *node, sl_pos where, const char *fmt, ...)
{
    char buf[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    sl_diag_error(c->diag, node ? node->pos : where, "%s", buf);
    c->errors++;
}

static bool parse_int(const char *s, int64_t *v)
{
    if (!*s || (*s != '-' && *s != '+' && (*s < '0' || *s > '9')))
        return false;
    char *end;
    errno = 0;
    long long x = strtoll(s, &end, 10);
    if (errno || *end)
        return false;
    *v = x;
    return true;
}

static bool parse_size(const char *s, int64_t *v)
{
    int64_t n = 0;
    size_t i = 0;
    for (; s[i] >= '0' && s[i] <= '9'; i++) {
        if (n > INT64_MAX / 10 - 10)
            return false;
        n = n * 10 + (s[i] - '0');
    }
    if (i == 0)
        return false;
    int shift = 0;
    const char *u = s + i;
    if (!strcmp(u, "K") || !strcmp(u, "KiB"))
        shift = 10;
    else if (!strcmp(u, "M") || !strcmp(u, "MiB"))
        shift = 20;
    else if (!strcmp(u, "G") || !strcmp(u, "GiB"))
        shift = 30;
    else if (*u)
        return false;
    if (n > (INT64_MAX >> shift))
        return false;
    *v = n << shift;
    return true;
}

void sl_opt_bound_text(const sl_opt *row, int64_t v, char *buf, size_t len)
{
    if (row->type == SL_T_DURATION || row->type == SL_T_RANGE)
        sl_duration_format(v, buf, len);
    else
        snprintf(buf, len, "%" PRId64, v);
}

static bool in_bounds(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_pos where,
                      int64_t v)
{
    if (!sl_opt_bounded(row) || (v >= row->min && v <= row->max))
        return true;
    char lo[32], hi[32];
    sl_opt_bound_text(row, row->min, lo, sizeof lo);
    sl_opt_bound_text(row, row->max, hi, sizeof hi);
    if (row->max == INT64_MAX)
        err_at(c, node, where, "'%s' must be at least %s", row->key, lo);
    else if (row->min == row->max)
        err_at(c, node, where, "'%s' must be %s", row->key, lo);
    else
        err_at(c, node, where, "'%s' must be between %s and %s", row->key, lo, hi);
    return false;
}

static bool parse_range(const char *s, int64_t *lo, int64_t *hi)
{
    const char *dots = strstr(s, "..");
    if (!dots || (size_t)(dots - s) >= 32)
        return false;
    char first[32];
    memcpy(first, s, (size_t)(dots - s));
    first[dots - s] = '\0';
    return sl_duration_parse(first, lo) && sl_duration_parse(dots + 2, hi);
}

static bool is_bool_text(const char *s, int64_t *v)
{
    if (!strcmp(s, "true")) {
        *v = 1;
        return true;
    }
    if (!strcmp(s, "false")) {
        *v = 0;
        return true;
    }
    return false;
}

void sl_names_text(const char *const *names, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; names[i] && used < len; i++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", names[i]);
}

static size_t count_names(const char *const *names)
{
    size_t n = 0;
    while (names[n])
        n++;
    return n;
}

static void load_enum(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_pos where,
                      const char *s, sl_optval *v)
{
    for (size_t i = 0; row->names[i]; i++)
        if (!strcmp(s, row->names[i])) {
            v->i = (int64_t)i;
            return;
        }
    char list[256];
    sl_names_text(row->names, list, sizeof list);
    const char *guess = sl_did_you_mean(s, row->names, count_names(row->names));
    if (guess)
        err_at(c, node, where, "unknown %s '%s' (did you mean '%s'?); expected one of: %s",
               row->key, s, guess, list);
    else
        err_at(c, node, where, "unknown %s '%s'; expected one of: %s", row->key, s, list);
}

/* A list of names from row->names: sets bit (1 << index) of v->i for the name s. */
static void load_list_name(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_pos where,
                           const char *s, sl_optval *v)
{
    sl_optval one = {.i = -1};
    load_enum(c, row, node, where, s, &one);
    if (one.i >= 0)
        v->i |= INT64_C(1) << one.i;
}

/* Numeric types (int, duration, range, size): converts v->s into v, within the row's bounds. */
static void load_number(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_pos where,
                        sl_optval *v)
{
    const char *s = v->s;
    bool quoted = node && node->quoted;
    switch (row->type) {
    case SL_T_INT:
        if (quoted || !parse_int(s, &v->i))
            err_at(c, node, where, "'%s' must be an integer%s", row->key,
                   quoted ? " (written without quotes)" : "");
        else
            in_bounds(c, row, node, where, v->i);
        break;
    case SL_T_DURATION:
        if (!sl_duration_parse(s, &v->i))
            err_at(c, node, where,
                   "'%s' must be a duration: a whole number and a unit ms, s, m, h or d "
                   "(e.g. 500ms, 90s, 5m, 1h, 1d)",
                   row->key);
        else
            in_bounds(c, row, node, where, v->i);
        break;
    case SL_T_RANGE:
        if (!parse_range(s, &v->i, &v->i2))
            err_at(c, node, where, "'%s' must be a range of two durations, e.g. 500ms..30s",
                   row->key);
        else if (in_bounds(c, row, node, where, v->i) && in_bounds(c, row, node, where, v->i2) &&
                 v->i > v->i2)
            err_at(c, node, where, "'%s': the first duration must not exceed the second",
                   row->key);
        break;
    case SL_T_SIZE:
        if (!parse_size(s, &v->i))
            err_at(c, node, where, "'%s' must be a size in bytes, e.g. 1048576, 512K, 64M, 1G",
                   row->key);
        else
            in_bounds(c, row, node, where, v->i);
        break;
    default: break;
    }
}

/* The other scalar types: converts v->s into v. */
static void load_text(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_pos where,
                      sl_optval *v)
{
    const char *s = v->s;
    bool quoted = node && node->quoted;
    switch (row->type) {
    case SL_T_BOOL:
        if (quoted || !is_bool_text(s, &v->i))
            err_at(c, node, where, "'%s' must be true or false", row->key);
        break;
    case SL_T_ENUM: load_enum(c, row, node, where, s, v); break;
    case SL_T_LIST: /* only a default reaches here */
        if (row->names)
            load_list_name(c, row, node, where, s, v);
        break;
    case SL_T_DATETIME:
        if (!sl_time_parse(s, strlen(s), 0, &v->i))
            err_at(c, node, where, "'%s' must be a date and time \"YYYY-MM-DD HH:MM:SS\"",
                   row->key);
        break;
    case SL_T_TIMEZONE: {
        int off = 0;
        if (!sl_tz_parse(s, &off))
            err_at(c, node, where,
                   "'%s' must be a UTC offset such as \"+08:00\" or \"-05:30\", or \"UTC\"",
                   row->key);
        v->i = off;
        break;
    }
    case SL_T_IDENT:
        if (!sl_ident_valid(s))
            err_at(c, node, where,
                   "'%s' is not a valid SQL name (letters, digits and _, not starting with a "
                   "digit, at most 64)",
                   s);
        break;
    default: break;
    }
}

/* Scalar types: converts v->s (from node, or the default when node is NULL) into v. */
static void load_scalar(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_pos where,
                        sl_optval *v)
{
    if (row->type == SL_T_INT || row->type == SL_T_DURATION || row->type == SL_T_RANGE ||
        row->type == SL_T_SIZE)
        load_number(c, row, node, where, v);
    else
        load_text(c, row, node, where, v);
}

static bool is_scalar_type(sl_opt_type t)
{
    return t != SL_T_LIST && t != SL_T_ANY && t != SL_T_OBJECT && t != SL_T_SECTION &&
           t != SL_T_MAPOF && t != SL_T_SEQOF && t != SL_T_KIND;
}

static const char *type_text(sl_opt_type t)
{
    switch (t) {
    case SL_T_INT: return "an integer";
    case SL_T_BOOL: return "true or false";
    case SL_T_LIST: return "a name or a list of names";
    case SL_T_ANY: return "a single value";
    case SL_T_OBJECT:
    case SL_T_SECTION:
    case SL_T_KIND:
    case SL_T_MAPOF: return "a map";
    case SL_T_SEQOF: return "a list";
    default: return "a single value";
    }
}

/* Checks a node's shape against the row's type before any conversion. */
static bool shape_ok(load_ctx *c, const sl_opt *row, const sl_ynode *node)
{
    sl_ynode_kind want = SL_Y_SCALAR;
    if (row->type == SL_T_OBJECT || row->type == SL_T_SECTION || row->type == SL_T_MAPOF ||
        row->type == SL_T_KIND)
        want = SL_Y_MAP;
    else if (row->type == SL_T_SEQOF)
        want = SL_Y_SEQ;
    bool ok = node->kind == want || (row->type == SL_T_LIST && node->kind == SL_Y_SEQ);
    if (ok && node->kind == SL_Y_SCALAR && sl_ynode_is_null(node) && row->type != SL_T_ANY)
        ok = false;
    if (!ok) {
        const char *got = sl_ynode_is_null(node) ? "nothing" : sl_ynode_kind_name(node);
        err_at(c, node, node->pos, "'%s' must be %s, not %s", row->key, type_text(row->type),
               got);
    }
    return ok;
}

static void load_list(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_optval *v)
{
    if (node->kind != SL_Y_SEQ) {
        if (row->names)
            load_list_name(c, row, node, node->pos, node->str, v);
        return;
    }
    if (node->n == 0)
        err_at(c, node, node->pos, "'%s' must not be empty", row->key);
    for (size_t i = 0; i < node->n; i++) {
        const sl_ynode *it = node->items[i];
        if (it->kind != SL_Y_SCALAR || sl_ynode_is_null(it))
            err_at(c, it, it->pos, "'%s' must list names, not %s", row->key,
                   sl_ynode_kind_name(it));
        else if (row->names)
            load_list_name(c, row, it, it->pos, it->str, v);
    }
}

/* A map or list of sections longer than its row's maximum: reported at the first entry past
 * it. (Its minimum is the compiler's to word, e.g. "a table needs at least one column".) */
static void check_count(load_ctx *c, const sl_opt *row, const sl_ynode *node)
{
    if ((row->type != SL_T_MAPOF && row->type != SL_T_SEQOF) || !sl_opt_bounded(row) ||
        node->n <= (size_t)row->max)
        return;
    const sl_ynode *at = node->kind == SL_Y_MAP ? node->keys[row->max] : node->items[row->max];
    err_at(c, at, at->pos, "'%s' holds at most %" PRId64 " %s", row->key, row->max,
           node->kind == SL_Y_MAP ? "entries" : "items");
}

static void load_present(load_ctx *c, const sl_opt *row, const sl_ynode *node, sl_optval *v)
{
    v->node = node;
    v->set = true;
    if (!shape_ok(c, row, node))
        return;
    check_count(c, row, node);
    if (node->ref && row->type != SL_T_STRING && row->type != SL_T_SECRET) {
        err_at(c, node, node->pos, "'%s' can't come from a reference; only text values can",
               row->key);
        return;
    }
    if (node->kind == SL_Y_SCALAR)
        v->s = node->str;
    if (row->type == SL_T_LIST)
        load_list(c, row, node, v);
    else if (is_scalar_type(row->type) && !node->unresolved)
        load_scalar(c, row, node, node->pos, v);
    if (row->type == SL_T_SECRET && !node->ref)
        sl_diag_warning(c->diag, node->pos,
                        "'%s' is written into the job file; use ${env:NAME} or ${file:PATH}",
                        row->key);
}

static const sl_opt *find_row(const sl_opt_table *t, const char *key)
{
    for (size_t i = 0; i < t->n_rows; i++)
        if (!strcmp(t->rows[i].key, key))
            return &t->rows[i];
    return NULL;
}

enum { MAX_KEYS = 64 }; /* listed in an "unknown key" message */

static void unknown_key_of(load_ctx *c, const sl_ynode *key, const char *const *names, size_t n)
{
    char list[512];
    size_t used = 0;
    list[0] = '\0';
    for (size_t i = 0; i < n && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", names[i]);
    const char *guess = sl_did_you_mean(key->str, names, n);
    if (guess)
        err_at(c, key, key->pos, "unknown key '%s' in %s (did you mean '%s'?); allowed: %s",
               key->str, c->label, guess, list);
    else
        err_at(c, key, key->pos, "unknown key '%s' in %s; allowed: %s", key->str, c->label, list);
}

/* Adds the keys of t not yet in names (n of them, at most MAX_KEYS). */
static size_t add_keys(const sl_opt_table *t, const char **names, size_t n)
{
    for (size_t i = 0; t && i < t->n_rows && n < MAX_KEYS; i++) {
        size_t j = 0;
        while (j < n && strcmp(names[j], t->rows[i].key))
            j++;
        if (j == n)
            names[n++] = t->rows[i].key;
    }
    return n;
}

static void unknown_key(load_ctx *c, const sl_ynode *key)
{
    const char *names[MAX_KEYS];
    size_t n = 0;
    if (c->kind) /* a typed section's `type` is allowed too */
        names[n++] = "type";
    unknown_key_of(c, key, names, add_keys(c->table, names, n));
}

/* The keys of a typed section whose kind is unknown: those of no kind of the family. */
static void check_family_keys(load_ctx *c, const sl_kind_family *f, const sl_ynode *map)
{
    const char *names[MAX_KEYS] = {"type"};
    size_t n = 1;
    for (size_t i = 0; i < f->n_kinds; i++)
        n = add_keys(f->kinds[i]->opts, names, n);
    for (size_t i = 0; map && i < map->n; i++) {
        size_t j = 0;
        while (j < n && strcmp(names[j], map->keys[i]->str))
            j++;
        if (j == n)
            unknown_key_of(c, map->keys[i], names, n);
    }
}

/* A key of another kind of the family in a typed section: reported at its value. */
static bool other_kinds_key(load_ctx *c, const sl_kind_family *f, const char *key,
                            const sl_ynode *value)
{
    for (size_t i = 0; f && i < f->n_kinds; i++)
        if (f->kinds[i] != c->kind && f->kinds[i]->opts && find_row(f->kinds[i]->opts, key)) {
            err_at(c, value, value->pos, "'%s' is not used by %s", key, c->label);
            return true;
        }
    return false;
}

static void load_keys(load_ctx *c, const sl_ynode *map, const sl_kind_family *f, void *out)
{
    for (size_t i = 0; i < map->n; i++) {
        const char *key = map->keys[i]->str;
        const sl_opt *row = find_row(c->table, key);
        if (row)
            load_present(c, row, map->items[i], (sl_optval *)((char *)out + row->offset));
        else if (c->kind && !strcmp(key, "type"))
            continue; /* it chose the kind */
        else if (!other_kinds_key(c, f, key, map->items[i]))
            unknown_key(c, map->keys[i]);
    }
}

/* Required keys missing and defaults of the keys not written. */
static void load_defaults(load_ctx *c, sl_pos where, void *out)
{
    for (size_t i = 0; i < c->table->n_rows; i++) {
        const sl_opt *row = &c->table->rows[i];
        sl_optval *v = (sl_optval *)((char *)out + row->offset);
        if (v->set)
            continue;
        if ((row->flags & SL_OF_REQUIRED) && c->kind) {
            err_at(c, NULL, where, "%s needs '%s'", c->label, row->key);
        } else if (row->flags & SL_OF_REQUIRED) {
            err_at(c, NULL, where, "missing required key '%s' in %s", row->key, c->label);
        } else if (row->def) {
            v->set = true;
            v->s = row->def;
            load_scalar(c, row, NULL, where, v);
        }
    }
}

size_t sl_options_load(const sl_opt_table *table, const char *label, const sl_ynode *map,
                       sl_pos where, void *out, sl_diag *diag)
{
    load_ctx c = {table, label ? label : table->name, diag, 0, NULL};
    if (map && map->kind != SL_Y_MAP) {
        err_at(&c, map, where, "%s must be a map of keys, not %s", c.label,
               sl_ynode_is_null(map) ? "nothing" : sl_ynode_kind_name(map));
        return c.errors;
    }
    if (map) {
        where = map->pos;
        load_keys(&c, map, NULL, out);
    }
    load_defaults(&c, where, out);
    return c.errors;
}

const sl_kind *sl_kind_find(const sl_kind_family *f, const char *name)
{
    for (size_t i = 0; i < f->n_kinds; i++)
        if (!strcmp(f->kinds[i]->name, name))
            return f->kinds[i];
    return NULL;
}

const sl_opt *sl_options_row(const sl_opt_table *table, const char *key)
{
    return find_row(table, key);
}


void sl_kind_names(const sl_kind_family *f, const char **names)
{
    size_t n = f->n_kinds < SL_MAX_KINDS ? f->n_kinds : SL_MAX_KINDS;
    for (size_t i = 0; i < n; i++)
        names[i] = f->kinds[i]->name;
    names[n] = NULL;
}

/* The kind a typed section's `type` names (or the row's default when absent); NULL when
 * reported. */
static const sl_kind *choose_kind(load_ctx *c, const sl_opt *row, const sl_ynode *map,
                                  sl_pos where)
{
    const sl_kind_family *f = sl_kind_family_of(row);
    const char *names[SL_MAX_KINDS + 1];
    sl_kind_names(f, names);
    const sl_ynode *type = map ? sl_ynode_get(map, "type") : NULL;
    if (!type && row->def)
        return sl_kind_find(f, row->def);
    if (!type) {
        err_at(c, NULL, where, "missing required key 'type' in %s", c->label);
        return NULL;
    }
    sl_opt type_row = {.key = "type", .type = SL_T_ENUM, .min = 1, .names = names};
    sl_optval v = {.i = -1};
    size_t before = c->errors;
    load_present(c, &type_row, type, &v);
    return c->errors == before && v.i >= 0 ? f->kinds[v.i] : NULL;
}

const sl_kind *sl_options_load_kind(const sl_opt *row, const sl_ynode *map, sl_pos where,
                                    void **opts, sl_diag *diag)
{
    load_ctx c = {&no_keys, sl_kind_family_of(row)->section.name, diag, 0, NULL};
    *opts = NULL;
    if (map)
        where = map->pos;
    const sl_kind *k = choose_kind(&c, row, map, where);
    if (!k) {
        check_family_keys(&c, sl_kind_family_of(row), map);
        return NULL;
    }
    char label[128];
    snprintf(label, sizeof label, "%s '%s'", sl_kind_family_of(row)->section.name, k->name);
    c = (load_ctx){k->opts ? k->opts : &no_keys, label, diag, 0, k};
    if (!(*opts = calloc(1, k->opts_size ? k->opts_size : 1))) {
        sl_diag_error(diag, where, "out of memory");
        return NULL;
    }
    if (map)
        load_keys(&c, map, sl_kind_family_of(row), *opts);
    load_defaults(&c, where, *opts);
    return k;
}
