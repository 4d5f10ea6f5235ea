/* yaml_load.h: a job file -> a tree of scalars, maps and sequences in which every node keeps
 * the 1-based line:col where it starts. Built from libyaml's parser events with limits (file
 * size, nesting depth, entries per map or list, values per file) that bound its memory and
 * time whatever the input; anchors, aliases, tags and multiple documents are rejected; a
 * duplicate key in a map is an error. The tree is read-only for its users and owned by its
 * sl_ydoc. */
#ifndef SLUICE_YAML_LOAD_H
#define SLUICE_YAML_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "plan.h"

enum {
    SL_YAML_MAX_BYTES = 1 << 20,  /* a larger job file is refused */
    SL_YAML_MAX_DEPTH = 32,       /* deeper nesting is refused */
    SL_YAML_MAX_ENTRIES = 10000,  /* keys of one map, items of one list */
    SL_YAML_MAX_NODES = 100000,   /* scalars, maps and lists of one file, keys included */
};

typedef enum sl_ynode_kind {
    SL_Y_SCALAR,
    SL_Y_MAP,
    SL_Y_SEQ,
} sl_ynode_kind;

typedef struct sl_ynode sl_ynode;
struct sl_ynode {
    sl_ynode_kind kind;
    sl_pos pos;
    /* scalars */
    char *str;   /* NUL-terminated value (a value holding a NUL is refused) */
    size_t len;
    bool quoted; /* written '...' or "..." (or a block scalar): never a number, bool or null */
    /* maps (keys[i] -> items[i]; keys are scalars) and sequences (items[i]) */
    sl_ynode **keys;
    sl_ynode **items;
    size_t n;
    size_t cap;
    /* set by the compiler's reference resolution: the value came from ${env:}/${file:} */
    char *ref;       /* e.g. "env:QIMEN_APP_SECRET" (owned); NULL for a literal */
    bool unresolved; /* a reference not read (validate without secrets): value is empty */
};

typedef struct sl_ydoc sl_ydoc;

/* Reads and parses `path`; reports every problem into diag and returns NULL on any error.
 * Also hands the file's text to diag for source excerpts. */
sl_ydoc *sl_yaml_load_file(const char *path, sl_diag *diag);
/* Parses text (len bytes) as if read from diag's file; NULL on error (reported), including
 * text longer than SL_YAML_MAX_BYTES. */
sl_ydoc *sl_yaml_load_text(const char *text, size_t len, sl_diag *diag);
/* Frees the document and every node; NULL is fine. */
void sl_ydoc_free(sl_ydoc *doc);
/* The root node (borrowed); NULL for an empty document. */
sl_ynode *sl_ydoc_root(const sl_ydoc *doc);

/* In a map, the value of key (borrowed), or NULL. */
const sl_ynode *sl_ynode_get(const sl_ynode *map, const char *key);
/* Short name of a node's kind for messages: "a scalar", "a map", "a list". */
const char *sl_ynode_kind_name(const sl_ynode *node);
/* The position of the col-th (1-based) character of a scalar's text; the node's own when the
 * text spans lines or col is not positive. */
sl_pos sl_ynode_pos_at(const sl_ynode *node, int col);
/* The 1-based character (not byte) column of byte offset off in the UTF-8 text s. */
int sl_char_col(const char *s, size_t off);
/* True when a scalar is YAML null: unquoted "", "~", "null". */
bool sl_ynode_is_null(const sl_ynode *node);

#endif
