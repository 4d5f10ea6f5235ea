/* guess_scan.c: what the replies hold. A first pass finds the records path (the list of objects
 * found in the most replies); a second walks every record into one tracker per leaf field (child
 * tables for lists of objects), and watches the envelope's integers for the paging total. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "grow.h"
#include "guess_int.h"
#include "jarena.h"
#include "jpath.h"

enum {
    MAX_FIELDS = 1000,     /* columns of one table (the engine's limit is 1017) */
    MAX_CHILDREN = 64,     /* child tables of a job */
    MAX_CANDIDATES = 256,  /* lists of objects, integers that may be the total */
    MAX_KEY_SETS = 24,     /* fields whose uniqueness is tracked, in all (4 MiB each at most) */
    TABLE_KEY_SETS = 4,    /* and in one table: its first field and its first ids */
    PATH_MAX_BYTES = 1024,
};

/* ---- JSON paths as text ---- */

static bool bare_key(const char *k)
{
    if (!*k)
        return false;
    for (const unsigned char *p = (const unsigned char *)k; *p; p++)
        if (!(*p >= 0x80 || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
            return false;
    return true;
}

/* Appends key to the path in buf (len bytes used); false when it would not fit. */
static bool path_push(char *buf, size_t *len, const char *key)
{
    size_t n = *len;
    if (n && n < PATH_MAX_BYTES)
        buf[n++] = '.';
    if (bare_key(key)) {
        size_t k = strlen(key);
        if (n + k >= PATH_MAX_BYTES)
            return false;
        memcpy(buf + n, key, k + 1);
        *len = n + k;
        return true;
    }
    if (n + 2 >= PATH_MAX_BYTES)
        return false;
    buf[n++] = '"';
    for (const char *p = key; *p; p++) {
        if (n + 4 >= PATH_MAX_BYTES)
            return false;
        if (*p == '"' || *p == '\\')
            buf[n++] = '\\';
        buf[n++] = *p;
    }
    buf[n++] = '"';
    buf[n] = '\0';
    *len = n;
    return true;
}

/* ---- reading a reply ---- */

json_t *gs_read_reply(gs_model *m, const char *path, sl_error *err)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0) {
        sl_error_set(err, SL_ERR_CONFIG, "%s: error: cannot open: %s", path, strerror(errno));
        if (f)
            fclose(f);
        return NULL;
    }
    if (!S_ISREG(st.st_mode) || (size_t)st.st_size > GS_MAX_REPLY) {
        sl_error_set(err, SL_ERR_CONFIG, "%s: error: %s", path,
                     S_ISREG(st.st_mode) ? "larger than 64 MiB" : "not a file");
        fclose(f);
        return NULL;
    }
    json_error_t je;
    sl_jarena_begin(m->arena);
    json_t *doc = json_loadf(f, JSON_DECODE_ANY, &je);
    sl_jarena_end();
    fclose(f);
    if (!doc && sl_jarena_over_limit(m->arena))
        sl_error_set(err, SL_ERR_CONFIG, "%s: error: its JSON tree takes more than 128 MiB",
                     path);
    else if (!doc)
        sl_error_set(err, SL_ERR_CONFIG, "%s:%d:%d: error: not JSON: %s", path, je.line,
                     je.column, je.text);
    if (!doc)
        sl_jarena_drop(m->arena, NULL);
    return doc;
}

static sl_status parent_table(gs_model *m, sl_error *err);

/* ---- the records path ---- */

typedef struct list_cand {
    char path[PATH_MAX_BYTES];
    size_t replies, items;
} list_cand;

typedef struct list_cands {
    list_cand *c;
    size_t n, cap;
} list_cands;

static bool objects_only(const json_t *a)
{
    size_t i;
    const json_t *v;
    json_array_foreach(a, i, v)
        if (!json_is_object(v))
            return false;
    return json_array_size(a) > 0;
}

static sl_status note_list(list_cands *lc, const char *path, const json_t *a)
{
    size_t i;
    for (i = 0; i < lc->n && strcmp(lc->c[i].path, path); i++)
        ;
    if (i == lc->n) {
        if (lc->n == MAX_CANDIDATES)
            return SL_OK;
        list_cand *c = sl_grow(lc->c, &lc->cap, lc->n + 1, sizeof *c, 8);
        if (!c)
            return SL_ERR_INTERNAL;
        lc->c = c;
        memset(&c[lc->n], 0, sizeof *c);
        strcpy(c[lc->n++].path, path);
    }
    lc->c[i].replies++;
    lc->c[i].items += json_array_size(a);
    return SL_OK;
}

/* Notes every list of objects reached through object keys from v (at path buf). */
static sl_status find_lists(list_cands *lc, const json_t *v, char *buf, size_t len, int depth)
{
    if (json_is_array(v))
        return objects_only(v) ? note_list(lc, len ? buf : "$", v) : SL_OK;
    if (!json_is_object(v) || depth == GS_MAX_DEPTH)
        return SL_OK;
    const char *k;
    const json_t *m;
    json_object_foreach((json_t *)v, k, m) {
        size_t n = len;
        if (path_push(buf, &n, k) && find_lists(lc, m, buf, n, depth + 1) != SL_OK)
            return SL_ERR_INTERNAL;
        buf[len] = '\0';
    }
    return SL_OK;
}

sl_status gs_find_records(gs_model *m, const gs_input *in, size_t n, sl_error *err)
{
    list_cands lc = {0};
    sl_status st = SL_OK;
    char buf[PATH_MAX_BYTES];
    for (size_t i = 0; i < n && st == SL_OK; i++) {
        json_t *doc = gs_read_reply(m, in[i].path, err);
        if (!doc)
            st = err->code;
        else if ((buf[0] = '\0', find_lists(&lc, doc, buf, 0, 0)) != SL_OK)
            st = sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
        if (doc)
            sl_jarena_drop(m->arena, doc);
    }
    const list_cand *best = NULL;
    for (size_t i = 0; i < lc.n; i++) {
        const list_cand *c = &lc.c[i];
        if (!best || c->replies > best->replies ||
            (c->replies == best->replies && c->items > best->items))
            best = c;
    }
    if (st == SL_OK && !best)
        st = sl_error_set(err, SL_ERR_CONFIG,
                          "%s: error: no list of objects found (the records of a reply are a "
                          "list of JSON objects)%s", in[0].path, n > 1 ? ", in any reply" : "");
    if (st == SL_OK && !(m->records = strdup(best->path)))
        st = sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    free(lc.c);
    return st == SL_OK ? parent_table(m, err) : st;
}

/* ---- the trackers ---- */

/* A SQL name from a path: lower case letters, digits and '_', not starting with a digit. */
static void sql_name(const char *path, char *out, size_t cap)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)path; *p && n + 1 < cap; p++) {
        char c = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (ok)
            out[n++] = c;
        else if (n && out[n - 1] != '_')
            out[n++] = '_';
    }
    while (n && out[n - 1] == '_')
        n--;
    out[n] = '\0';
    if (n == 0 || (out[0] >= '0' && out[0] <= '9')) {
        memmove(out + 2, out, n + 1 < cap - 2 ? n + 1 : cap - 2);
        memcpy(out, "c_", 2);
        out[cap - 1] = '\0';
    }
}

/* name made unique among the first n of names (stride apart): name_2, name_3, ... */
static char *unique_name(const char *want, const char *const *names, size_t n)
{
    char buf[80];
    snprintf(buf, sizeof buf, "%.56s", want);
    for (int k = 2;; k++) {
        size_t i;
        for (i = 0; i < n && strcmp(names[i], buf); i++)
            ;
        if (i == n)
            return strdup(buf);
        snprintf(buf, sizeof buf, "%.56s_%d", want, k);
    }
}

static const char *last_key(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : path;
}

/* The parent table, named after the records' key ("records" for a list at the top). */
static sl_status parent_table(gs_model *m, sl_error *err)
{
    char name[64];
    sql_name(strcmp(m->records, "$") ? last_key(m->records) : "records", name, sizeof name);
    m->tables = sl_grow(NULL, &m->cap_tables, 1, sizeof *m->tables, 4);
    if (!m->tables || !(m->tables[0] = (gs_table){.name = strdup(name)}).name)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    m->n_tables = 1;
    return SL_OK;
}

static size_t n_key_sets(const gs_model *m, const gs_table *only)
{
    size_t n = 0;
    for (size_t t = 0; t < m->n_tables; t++)
        for (size_t i = 0; i < m->tables[t].n_fields; i++)
            n += m->tables[t].fields[i].ids != NULL && (!only || only == &m->tables[t]);
    return n;
}

/* Ids and the first field of a table are tracked for uniqueness: the key is among them. */
static bool key_like(const gs_model *m, const gs_table *t, const char *path)
{
    return (t->n_fields == 0 || gs_id_name(last_key(path))) &&
           n_key_sets(m, t) < TABLE_KEY_SETS && n_key_sets(m, NULL) < MAX_KEY_SETS;
}

static gs_field *new_field(gs_model *m, gs_table *t, const char *path)
{
    if (t->n_fields == MAX_FIELDS) {
        t->n_dropped++;
        return NULL;
    }
    gs_field *f = sl_grow(t->fields, &t->cap_fields, t->n_fields + 1, sizeof *f, 16);
    if (!f)
        return NULL;
    t->fields = f;
    f = &f[t->n_fields];
    char name[64];
    sql_name(path, name, sizeof name);
    const char *names[MAX_FIELDS];
    for (size_t i = 0; i < t->n_fields; i++)
        names[i] = t->fields[i].name;
    *f = (gs_field){.path = strdup(path), .name = unique_name(name, names, t->n_fields)};
    if (key_like(m, t, path))
        f->ids = calloc(1, sizeof *f->ids);
    if (!f->path || !f->name) {
        free(f->path);
        free(f->name);
        free(f->ids);
        return NULL;
    }
    gs_type_init(&f->type, last_key(path));
    t->n_fields++;
    return f;
}

static gs_field *field_at(gs_table *t, const char *path)
{
    for (size_t k = 0; k < t->n_fields; k++) {
        size_t i = (t->hint + k) % t->n_fields;
        if (!strcmp(t->fields[i].path, path)) {
            t->hint = i + 1;
            return &t->fields[i];
        }
    }
    return NULL;
}

static sl_status add_value(gs_model *m, gs_table *t, const char *path, const json_t *v)
{
    gs_field *f = field_at(t, path);
    if (!f && !(f = new_field(m, t, path)))
        return t->n_fields == MAX_FIELDS ? SL_OK : SL_ERR_INTERNAL;
    if (f->ids)
        gs_track_id(f->ids, v, m->record_hash[t != m->tables]);
    return gs_type_add(&f->type, m->convs, v);
}

/* ---- records and their child tables ---- */

static gs_table *child_table(gs_model *m, const char *each)
{
    for (size_t i = 1; i < m->n_tables; i++)
        if (!strcmp(m->tables[i].each, each))
            return &m->tables[i];
    if (m->n_tables == MAX_CHILDREN + 1)
        return NULL;
    gs_table *t = sl_grow(m->tables, &m->cap_tables, m->n_tables + 1, sizeof *t, 4);
    if (!t)
        return NULL;
    m->tables = t;
    char want[64], part[64];
    sql_name(each, part, sizeof part);
    snprintf(want, sizeof want, "%.28s_%.28s", m->tables[0].name, part);
    const char *names[MAX_CHILDREN + 1];
    for (size_t i = 0; i < m->n_tables; i++)
        names[i] = m->tables[i].name;
    t = &t[m->n_tables];
    *t = (gs_table){.each = strdup(each), .name = unique_name(want, names, m->n_tables)};
    if (!t->each || !t->name) {
        free(t->each);
        free(t->name);
        return NULL;
    }
    m->n_tables++;
    return t;
}

static sl_status walk_object(gs_model *m, size_t ti, char *buf, size_t len, const json_t *obj,
                             int depth);

/* A list of objects in a record is a child table; its items are walked into it. */
static sl_status walk_items(gs_model *m, char *buf, size_t len, const json_t *a)
{
    if (len + 4 >= PATH_MAX_BYTES)
        return SL_OK;
    memcpy(buf + len, "[*]", 4);
    gs_table *t = child_table(m, buf);
    buf[len] = '\0';
    if (!t)
        return m->n_tables == MAX_CHILDREN + 1 ? SL_OK : SL_ERR_INTERNAL;
    size_t ti = (size_t)(t - m->tables), i;
    const json_t *item;
    json_array_foreach(a, i, item) {
        char sub[PATH_MAX_BYTES] = "";
        m->tables[ti].n_items++;
        m->record_hash[1] = gs_hash_json(item, m->record_hash[0], 0);
        sl_status st = walk_object(m, ti, sub, 0, item, 0);
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

static bool has_child(const gs_model *m, const char *path)
{
    size_t n = strlen(path);
    for (size_t i = 1; i < m->n_tables; i++)
        if (!strncmp(m->tables[i].each, path, n) && !strcmp(m->tables[i].each + n, "[*]"))
            return true;
    return false;
}

/* One member of a record (or item) at path buf: objects are walked into, lists of objects in
 * a record become child tables, everything else is a column. */
static sl_status walk_member(gs_model *m, size_t ti, char *buf, size_t len, const json_t *v,
                             int depth)
{
    if (json_is_object(v) && depth < GS_MAX_DEPTH) {
        gs_field *f = field_at(&m->tables[ti], buf); /* a scalar elsewhere: a json column */
        if (f && gs_type_add(&f->type, m->convs, v) != SL_OK)
            return SL_ERR_INTERNAL;
        return walk_object(m, ti, buf, len, v, depth + 1);
    }
    if (json_is_array(v) && ti == 0 && objects_only(v))
        return walk_items(m, buf, len, v);
    if (json_is_array(v) && ti == 0 && json_array_size(v) == 0 && has_child(m, buf))
        return SL_OK;
    return add_value(m, &m->tables[ti], buf, v);
}

static sl_status walk_object(gs_model *m, size_t ti, char *buf, size_t len, const json_t *obj,
                             int depth)
{
    const char *k;
    const json_t *v;
    json_object_foreach((json_t *)obj, k, v) {
        size_t n = len;
        if (!path_push(buf, &n, k))
            continue;
        sl_status st = walk_member(m, ti, buf, n, v, depth);
        buf[len] = '\0';
        if (st != SL_OK)
            return st;
    }
    return SL_OK;
}

/* ---- the paging total and the windows ---- */

static gs_total *total_at(gs_model *m, const char *path)
{
    for (size_t i = 0; i < m->n_totals; i++)
        if (!strcmp(m->totals[i].path, path))
            return &m->totals[i];
    if (m->n_totals == MAX_CANDIDATES)
        return NULL;
    gs_total *t = sl_grow(m->totals, &m->cap_totals, m->n_totals + 1, sizeof *t, 8);
    if (!t)
        return NULL;
    m->totals = t;
    t = &t[m->n_totals];
    *t = (gs_total){.path = strdup(path), .win = SIZE_MAX};
    if (!t->path)
        return NULL;
    m->n_totals++;
    return t;
}

/* Every non-negative integer of the envelope (outside the records) may be the total: it must
 * hold at least the page's records and stay the same on each page of a window. */
static void watch_totals(gs_model *m, const json_t *v, const json_t *records, char *buf,
                         size_t len, int depth, size_t count)
{
    if (v == records || depth == GS_MAX_DEPTH)
        return;
    if (json_is_integer(v) && len) {
        gs_total *t = total_at(m, buf);
        int64_t n = json_integer_value(v);
        if (!t)
            return;
        t->seen++;
        if (n < 0 || (size_t)n < count || (t->win == m->n_windows - 1 && n != t->last))
            t->bad = true;
        t->last = n;
        t->win = m->n_windows - 1;
        return;
    }
    const char *k;
    const json_t *mv;
    if (json_is_object(v))
        json_object_foreach((json_t *)v, k, mv) {
            size_t n = len;
            if (path_push(buf, &n, k))
                watch_totals(m, mv, records, buf, n, depth + 1, count);
            buf[len] = '\0';
        }
}

/* Closes the current window: the totals that equal its records count it as exact. */
static void close_window(gs_model *m)
{
    if (m->n_windows == 0)
        return;
    const gs_window *w = &m->windows[m->n_windows - 1];
    for (size_t i = 0; i < m->n_totals; i++)
        if (m->totals[i].win == m->n_windows - 1 && m->totals[i].last == (int64_t)w->records)
            m->totals[i].exact++;
}

static sl_status note_page(gs_model *m, const gs_input *in, size_t count)
{
    gs_window *w = m->n_windows ? &m->windows[m->n_windows - 1] : NULL;
    if (!w || !in->named || !w->named || w->from != in->from || w->to != in->to) {
        close_window(m);
        w = sl_grow(m->windows, &m->cap_windows, m->n_windows + 1, sizeof *w, 16);
        if (!w)
            return SL_ERR_INTERNAL;
        m->windows = w;
        w = &w[m->n_windows++];
        *w = (gs_window){.named = in->named, .from = in->from, .to = in->to,
                         .min_page = in->page, .max_page = in->page, .last_count = count};
    } else if (in->page > w->max_page) { /* the page before is not the last: it is full */
        w->page_size = w->last_count > w->page_size ? w->last_count : w->page_size;
        w->max_page = in->page;
        w->last_count = count;
    } else {
        w->page_size = count > w->page_size ? count : w->page_size;
        w->min_page = in->page < w->min_page ? in->page : w->min_page;
    }
    w->records += count;
    return SL_OK;
}

sl_status gs_add_reply(gs_model *m, const gs_input *in, const json_t *doc, sl_error *err)
{
    sl_jpath *rp = sl_jpath_compile(m->records, NULL);
    const json_t *records = rp ? sl_jpath_get(rp, doc) : NULL;
    sl_jpath_free(rp);
    size_t count = json_is_array(records) ? json_array_size(records) : 0, i;
    m->n_replies++;
    m->n_records += count;
    m->max_page_records = count > m->max_page_records ? count : m->max_page_records;
    if (note_page(m, in, count) != SL_OK)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    char buf[PATH_MAX_BYTES] = "";
    watch_totals(m, doc, records, buf, 0, 0, count);
    const json_t *rec;
    json_array_foreach(records, i, rec) {
        if (!json_is_object(rec)) {
            m->n_not_objects++;
            continue;
        }
        m->tables[0].n_items++;
        m->record_hash[0] = gs_hash_json(rec, 0, 0);
        if (walk_object(m, 0, buf, 0, rec, 0) != SL_OK)
            return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    }
    return SL_OK;
}

void gs_model_finish(gs_model *m)
{
    close_window(m);
}

const gs_total *gs_best_total(const gs_model *m)
{
    const gs_total *best = NULL;
    int best_score = -1;
    for (size_t i = 0; i < m->n_totals; i++) {
        const gs_total *t = &m->totals[i];
        if (t->bad || t->seen < m->n_replies)
            continue;
        const char *k = last_key(t->path);
        int score = (t->exact == m->n_windows) * 4 + (strstr(k, "total") != NULL) * 2 +
                    (strstr(k, "count") != NULL);
        if (score > best_score) {
            best = t;
            best_score = score;
        }
    }
    return best;
}

size_t gs_table_key(const gs_table *t)
{
    for (size_t i = 0; i < t->n_fields; i++) {
        const gs_field *f = &t->fields[i];
        if (f->ids && !f->ids->dup && gs_type_keyable(&f->type, t->n_items))
            return i;
    }
    return SIZE_MAX;
}

void gs_model_done(gs_model *m)
{
    for (size_t t = 0; t < m->n_tables; t++) {
        gs_table *tb = &m->tables[t];
        for (size_t i = 0; i < tb->n_fields; i++) {
            free(tb->fields[i].path);
            free(tb->fields[i].name);
            if (tb->fields[i].ids)
                free(tb->fields[i].ids->slots);
            free(tb->fields[i].ids);
        }
        free(tb->fields);
        free(tb->each);
        free(tb->name);
    }
    free(m->tables);
    for (size_t i = 0; i < m->n_totals; i++)
        free(m->totals[i].path);
    free(m->totals);
    free(m->windows);
    free(m->records);
    gs_convs_free(m->convs);
    sl_jarena_free(m->arena);
}
