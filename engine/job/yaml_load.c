/* yaml_load.c: see yaml_load.h. Events are folded into the tree with an explicit stack, so
 * depth is bounded and no recursion depends on the input. */
#include "yaml_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "grow.h"

struct sl_ydoc {
    sl_ynode *root;
};

typedef struct builder {
    sl_diag *diag;
    sl_ynode *root;
    sl_ynode *stack[SL_YAML_MAX_DEPTH + 1];
    sl_ynode *pend[SL_YAML_MAX_DEPTH + 1]; /* an open map's key waiting for its value */
    bool flow[SL_YAML_MAX_DEPTH + 1];      /* the open container is written { } or [ ] */
    int depth;
    int n_docs;
    size_t n_nodes;
    bool failed;
    bool stop; /* a limit was hit: read no further */
} builder;

static sl_pos mark_pos(yaml_mark_t m)
{
    return (sl_pos){(int)m.line + 1, (int)m.column + 1};
}

static void node_free(sl_ynode *node)
{
    if (!node)
        return;
    for (size_t i = 0; i < node->n; i++) {
        if (node->keys)
            node_free(node->keys[i]);
        node_free(node->items[i]);
    }
    free(node->keys);
    free(node->items);
    free(node->str);
    free(node->ref);
    free(node);
}

static sl_ynode *node_new(sl_ynode_kind kind, yaml_mark_t m)
{
    sl_ynode *node = calloc(1, sizeof *node);
    if (node) {
        node->kind = kind;
        node->pos = mark_pos(m);
    }
    return node;
}

static int node_push(sl_ynode *parent, sl_ynode *key, sl_ynode *item)
{
    /* items and keys (maps only) grow in step: each from a copy of the one capacity */
    size_t cap = parent->cap, key_cap = parent->cap;
    sl_ynode **items = sl_grow(parent->items, &cap, parent->n + 1, sizeof *items, 8);
    if (!items)
        return -1;
    parent->items = items;
    if (parent->kind == SL_Y_MAP) {
        sl_ynode **keys = sl_grow(parent->keys, &key_cap, parent->n + 1, sizeof *keys, 8);
        if (!keys)
            return -1;
        parent->keys = keys;
    }
    parent->cap = cap;
    if (parent->kind == SL_Y_MAP)
        parent->keys[parent->n] = key;
    parent->items[parent->n++] = item;
    return 0;
}

typedef struct keyref {
    const sl_ynode *key;
    size_t i; /* position in the map: ties keep the order of the file */
} keyref;

static int cmp_keyref(const void *pa, const void *pb)
{
    const keyref *a = pa, *b = pb;
    if (a->key->len != b->key->len)
        return a->key->len < b->key->len ? -1 : 1;
    int c = memcmp(a->key->str, b->key->str, a->key->len);
    if (c)
        return c;
    return a->i < b->i ? -1 : a->i > b->i;
}

/* Reports every key of map that repeats an earlier one: sorted, so n log n whatever n is. */
static void check_duplicates(builder *b, const sl_ynode *map)
{
    if (map->n < 2)
        return;
    keyref *refs = malloc(map->n * sizeof *refs);
    if (!refs) {
        sl_diag_error(b->diag, map->pos, "out of memory");
        b->failed = true;
        return;
    }
    for (size_t i = 0; i < map->n; i++)
        refs[i] = (keyref){map->keys[i], i};
    qsort(refs, map->n, sizeof *refs, cmp_keyref);
    size_t first = 0;
    for (size_t i = 1; i < map->n; i++) {
        const sl_ynode *k = refs[i].key, *f = refs[first].key;
        if (k->len != f->len || memcmp(k->str, f->str, k->len) != 0) {
            first = i;
            continue;
        }
        sl_diag_error(b->diag, k->pos, "duplicate key '%s' (first at line %d)", k->str,
                      f->pos.line);
        b->failed = true;
    }
    free(refs);
}

/* Counts a new node against the file's and its container's limits; false (reported, parsing
 * stops) when one is exceeded. */
static bool within_limits(builder *b, yaml_mark_t m)
{
    const sl_ynode *parent = b->depth > 0 ? b->stack[b->depth - 1] : NULL;
    bool is_key = parent && parent->kind == SL_Y_MAP && !b->pend[b->depth - 1];
    if (++b->n_nodes > SL_YAML_MAX_NODES)
        sl_diag_error(b->diag, mark_pos(m), "a job file holds at most %d values (keys included)",
                      SL_YAML_MAX_NODES);
    else if (parent && (parent->kind == SL_Y_SEQ || is_key) && parent->n >= SL_YAML_MAX_ENTRIES)
        sl_diag_error(b->diag, mark_pos(m), "a %s holds at most %d %s",
                      parent->kind == SL_Y_MAP ? "map" : "list", SL_YAML_MAX_ENTRIES,
                      parent->kind == SL_Y_MAP ? "keys" : "items");
    else
        return true;
    b->failed = b->stop = true;
    return false;
}

/* Attaches a finished node to the open container (or makes it the root). */
static void attach(builder *b, sl_ynode *node)
{
    if (b->depth == 0) {
        b->root = node;
        return;
    }
    sl_ynode *parent = b->stack[b->depth - 1];
    if (parent->kind == SL_Y_SEQ) {
        if (node_push(parent, NULL, node) != 0)
            node_free(node);
        return;
    }
    sl_ynode **key = &b->pend[b->depth - 1];
    if (!*key) {
        if (node->kind != SL_Y_SCALAR) {
            sl_diag_error(b->diag, node->pos, "a map key must be a plain name, not %s",
                          sl_ynode_kind_name(node));
            b->failed = true;
            node_free(node);
            *key = node_new(SL_Y_SCALAR, (yaml_mark_t){0, 0, 0});
            if (*key && !((*key)->str = strdup(""))) {
                free(*key);
                *key = NULL;
            }
            return;
        }
        *key = node;
        return;
    }
    if (node_push(parent, *key, node) != 0) {
        node_free(*key);
        node_free(node);
    }
    *key = NULL;
}

/* Reports an anchor or an explicit tag; the node itself is still built, to keep the shape. */
static void reject_extras(builder *b, yaml_char_t *anchor, yaml_char_t *tag, bool implicit_tag,
                          yaml_mark_t m)
{
    if (anchor) {
        sl_diag_error(b->diag, mark_pos(m), "anchors and aliases are not allowed in job files");
        b->failed = true;
    } else if (tag && !implicit_tag) {
        sl_diag_error(b->diag, mark_pos(m), "YAML tags ('%s') are not allowed in job files",
                      (const char *)tag);
        b->failed = true;
    }
}

/* Stands in for a node that was refused, so the map's keys and values stay paired. */
static void attach_empty(builder *b, yaml_mark_t m)
{
    if (!within_limits(b, m))
        return;
    sl_ynode *node = node_new(SL_Y_SCALAR, m);
    if (node && (node->str = strdup("")) != NULL)
        attach(b, node);
    else
        free(node);
}

static void on_scalar(builder *b, const yaml_event_t *ev)
{
    const yaml_mark_t m = ev->start_mark;
    reject_extras(b, ev->data.scalar.anchor, ev->data.scalar.tag,
                  ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit, m);
    if (!within_limits(b, m))
        return;
    sl_ynode *node = node_new(SL_Y_SCALAR, m);
    if (!node)
        return;
    node->len = ev->data.scalar.length;
    node->str = malloc(node->len + 1);
    if (!node->str) {
        free(node);
        return;
    }
    memcpy(node->str, ev->data.scalar.value, node->len);
    node->str[node->len] = '\0';
    if (memchr(node->str, '\0', node->len)) {
        sl_diag_error(b->diag, mark_pos(m), "a value holds a NUL character (\\0)");
        b->failed = true;
    }
    node->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
    attach(b, node);
}

static void on_start(builder *b, const yaml_event_t *ev, sl_ynode_kind kind)
{
    const yaml_mark_t m = ev->start_mark;
    if (kind == SL_Y_MAP)
        reject_extras(b, ev->data.mapping_start.anchor, ev->data.mapping_start.tag,
                      ev->data.mapping_start.implicit, m);
    else
        reject_extras(b, ev->data.sequence_start.anchor, ev->data.sequence_start.tag,
                      ev->data.sequence_start.implicit, m);
    if (b->depth >= SL_YAML_MAX_DEPTH) {
        sl_diag_error(b->diag, mark_pos(m), "nesting deeper than %d levels", SL_YAML_MAX_DEPTH);
        b->failed = true;
        return;
    }
    if (!within_limits(b, m))
        return;
    sl_ynode *node = node_new(kind, m);
    if (!node) {
        b->failed = true;
        return;
    }
    b->pend[b->depth] = NULL;
    b->flow[b->depth] = kind == SL_Y_MAP
                            ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                            : ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    b->stack[b->depth++] = node;
}

/* True when s has more '(' than ')'. */
static bool unbalanced(const char *s)
{
    int depth = 0;
    for (; *s; s++)
        depth += (*s == '(') - (*s == ')');
    return depth > 0;
}

/* In a flow map, `type: decimal(19,4)` reads as `type: "decimal(19"` and a key `4)` without a
 * value, because a comma ends a plain value there. The intent is plain, so the two are joined
 * back, with a warning that says how to write it. */
static bool mendable(const sl_ynode *v, const sl_ynode *k, const sl_ynode *next)
{
    return v->kind == SL_Y_SCALAR && !v->quoted && !k->quoted && unbalanced(v->str) &&
           strchr(k->str, ')') && !unbalanced(k->str) && sl_ynode_is_null(next);
}

/* Appends "," and k's text to the scalar v, with the warning; -1 when out of memory. */
static int join_value(builder *b, sl_ynode *v, const sl_ynode *k)
{
    size_t len = v->len + 1 + k->len;
    char *joined = malloc(len + 1);
    if (!joined)
        return -1;
    snprintf(joined, len + 1, "%s,%s", v->str, k->str);
    free(v->str);
    v->str = joined;
    v->len = len;
    sl_diag_warning(b->diag, v->pos, "inside { } a comma ends a value: write \"%s\" in quotes",
                    joined);
    return 0;
}

/* One pass, compacting the map as pairs are joined. */
static void mend_flow_commas(builder *b, sl_ynode *map)
{
    size_t out = 0;
    for (size_t i = 0; i < map->n; i++, out++) {
        sl_ynode *v = map->items[i];
        map->keys[out] = map->keys[i];
        map->items[out] = v;
        while (i + 1 < map->n && mendable(v, map->keys[i + 1], map->items[i + 1]) &&
               join_value(b, v, map->keys[i + 1]) == 0) {
            node_free(map->keys[i + 1]);
            node_free(map->items[i + 1]);
            i++;
        }
    }
    map->n = out;
}

static void on_end(builder *b)
{
    sl_ynode *node = b->stack[--b->depth];
    if (node->kind == SL_Y_MAP)
        check_duplicates(b, node);
    if (node->kind == SL_Y_MAP && b->flow[b->depth])
        mend_flow_commas(b, node);
    node_free(b->pend[b->depth]);
    b->pend[b->depth] = NULL;
    attach(b, node);
}

/* Finds line `line` (0-based) of text; returns its start and sets *n to its length. */
static const char *line_at(const char *text, size_t len, size_t line, size_t *n)
{
    const char *p = text, *end = text + len;
    for (size_t l = 0; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *n = nl ? (size_t)(nl - p) : (size_t)(end - p);
    return p;
}

/* libyaml places a reader error (bytes that are not UTF-8, a control character) by byte offset
 * only, its mark left at 0: turn the offset into a line and a column (in characters). */
static yaml_mark_t reader_mark(const yaml_parser_t *parser, const char *text, size_t len)
{
    yaml_mark_t m = {0};
    size_t end = parser->problem_offset < len ? parser->problem_offset : len;
    for (size_t i = 0; i < end; i++) {
        if (text[i] == '\n') {
            m.line++;
            m.column = 0;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            m.column++;
        }
    }
    return m;
}

/* Rewrites libyaml's problem text for the cases users actually hit: tabs, and ${...}
 * references inside { } (where '{' and '}' are syntax, so the value must be quoted). */
static void report_parse_error(builder *b, const yaml_parser_t *parser, const char *text,
                               size_t len)
{
    yaml_mark_t m = parser->error == YAML_READER_ERROR ? reader_mark(parser, text, len)
                                                       : parser->problem_mark;
    const char *problem = parser->problem ? parser->problem : "malformed YAML";
    size_t n;
    const char *line = line_at(text, len, m.line, &n);
    bool tab = memchr(line, '\t', n) && strstr(problem, "tab");
    bool in_flow = parser->context && strstr(parser->context, "flow");
    if (tab || (m.column < n && line[m.column] == '\t')) {
        sl_diag_error(b->diag, mark_pos(m), "tab character in indentation (indent with spaces)");
    } else if (in_flow && memmem(line, n, "${", 2)) {
        sl_diag_error(b->diag, mark_pos(m),
                      "YAML syntax error: inside { } or [ ] a ${...} reference must be quoted, "
                      "e.g. \"${env:NAME}\"");
    } else if (parser->context) {
        sl_diag_error(b->diag, mark_pos(m), "YAML syntax error: %s %s started at line %zu",
                      problem, parser->context, parser->context_mark.line + 1);
    } else {
        sl_diag_error(b->diag, mark_pos(m), "YAML syntax error: %s", problem);
    }
    b->failed = true;
}

static bool handle(builder *b, const yaml_event_t *ev)
{
    switch (ev->type) {
    case YAML_DOCUMENT_START_EVENT:
        if (++b->n_docs > 1) {
            sl_diag_error(b->diag, mark_pos(ev->start_mark),
                          "a job file holds one YAML document");
            b->failed = true;
            return false;
        }
        break;
    case YAML_ALIAS_EVENT:
        sl_diag_error(b->diag, mark_pos(ev->start_mark),
                      "anchors and aliases are not allowed in job files");
        b->failed = true;
        attach_empty(b, ev->start_mark);
        break;
    case YAML_SCALAR_EVENT: on_scalar(b, ev); break;
    case YAML_MAPPING_START_EVENT: on_start(b, ev, SL_Y_MAP); break;
    case YAML_SEQUENCE_START_EVENT: on_start(b, ev, SL_Y_SEQ); break;
    case YAML_MAPPING_END_EVENT:
    case YAML_SEQUENCE_END_EVENT:
        if (b->depth > 0)
            on_end(b);
        break;
    case YAML_STREAM_END_EVENT: return false;
    default: break;
    }
    /* Too deep: the refused container was never opened, so its end event can't be matched. */
    return !b->stop && !(b->failed && b->depth >= SL_YAML_MAX_DEPTH);
}

sl_ydoc *sl_yaml_load_text(const char *text, size_t len, sl_diag *diag)
{
    builder b = {.diag = diag};
    if (len > SL_YAML_MAX_BYTES) {
        sl_diag_error(diag, (sl_pos){0, 0}, "a job file is at most %d bytes (1 MiB)",
                      SL_YAML_MAX_BYTES);
        return NULL;
    }
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return NULL;
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            report_parse_error(&b, &parser, text, len);
            break;
        }
        bool more = handle(&b, &ev);
        yaml_event_delete(&ev);
        if (!more)
            break;
    }
    yaml_parser_delete(&parser);
    while (b.depth > 0) {
        b.depth--;
        node_free(b.pend[b.depth]);
        b.pend[b.depth] = NULL;
        node_free(b.stack[b.depth]);
    }
    sl_ydoc *doc = NULL;
    if (!b.failed)
        doc = calloc(1, sizeof *doc);
    if (!doc) {
        node_free(b.root);
        return NULL;
    }
    doc->root = b.root;
    return doc;
}

sl_ydoc *sl_yaml_load_file(const char *path, sl_diag *diag)
{
    sl_pos none = {0, 0};
    FILE *f = fopen(path, "rb");
    if (!f) {
        sl_diag_error(diag, none, "cannot open: %s", strerror(errno));
        return NULL;
    }
    char *text = malloc(SL_YAML_MAX_BYTES + 1);
    size_t len = text ? fread(text, 1, SL_YAML_MAX_BYTES + 1, f) : 0;
    bool read_error = ferror(f) != 0;
    fclose(f);
    sl_ydoc *doc = NULL;
    if (!text || read_error)
        sl_diag_error(diag, none, "cannot read the file");
    else {
        if (len <= SL_YAML_MAX_BYTES)
            sl_diag_set_source(diag, text, len);
        doc = sl_yaml_load_text(text, len, diag);
    }
    free(text);
    return doc;
}

void sl_ydoc_free(sl_ydoc *doc)
{
    if (!doc)
        return;
    node_free(doc->root);
    free(doc);
}

sl_ynode *sl_ydoc_root(const sl_ydoc *doc)
{
    return doc->root;
}

const sl_ynode *sl_ynode_get(const sl_ynode *map, const char *key)
{
    if (!map || map->kind != SL_Y_MAP)
        return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i]->str, key) == 0)
            return map->items[i];
    return NULL;
}

const char *sl_ynode_kind_name(const sl_ynode *node)
{
    switch (node->kind) {
    case SL_Y_MAP: return "a map";
    case SL_Y_SEQ: return "a list";
    default: return "a scalar";
    }
}

bool sl_ynode_is_null(const sl_ynode *node)
{
    if (node->kind != SL_Y_SCALAR || node->quoted || node->ref)
        return false;
    return node->len == 0 || strcmp(node->str, "~") == 0 || strcmp(node->str, "null") == 0;
}

sl_pos sl_ynode_pos_at(const sl_ynode *node, int col)
{
    sl_pos p = node->pos;
    if (node->kind != SL_Y_SCALAR || strchr(node->str, '\n') || col < 1)
        return p;
    p.col += col - 1 + (node->quoted ? 1 : 0);
    return p;
}

int sl_char_col(const char *s, size_t off)
{
    int col = 1;
    for (size_t i = 0; i < off && s[i]; i++)
        col += ((unsigned char)s[i] & 0xC0) != 0x80;
    return col;
}
