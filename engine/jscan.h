/* jscan.h: a projected JSON decoder for API replies. It builds a jansson tree holding the whole
 * envelope (everything outside the plan's records list) and, inside each record, only the keys
 * the plan's columns read (parent column paths; each child table's `each` path and its columns'
 * paths inside the items). Everything else is skipped without being built, but still checked:
 * the decoder accepts exactly what json_loadb(buf, len, 0) accepts (UTF-8 everywhere, escapes,
 * \u0000, number overflow, nesting depth, trailing bytes).
 *
 * What the tree holds: at a node on the records path, every other member is kept whole; the
 * records value's array items are records. At a record node, an object keeps only the listed
 * keys (each projected further), an array keeps every item projected by the node's item
 * projection (index and [*] steps alike) or none when no step goes into items, and a scalar is
 * kept. A path ending at a node keeps that value whole. A non-key step on the records path
 * keeps everything from there on. Envelope paths (paging total, error rules' conditions,
 * message and wait paths) that reach into the records list keep what they reach there too. */
#ifndef SLUICE_JSCAN_H
#define SLUICE_JSCAN_H

#include <stddef.h>

#include <jansson.h>

#include "plan.h"

typedef struct sl_jscan sl_jscan;

/* Compiles the projection of plan (its records path, column paths, envelope paths) once;
 * NULL when out of memory. The projection copies what it uses: the plan may go first. */
sl_jscan *sl_jscan_new(const sl_plan *plan);
/* Frees a projection; NULL is fine. */
void sl_jscan_free(sl_jscan *scan);
/* Decodes buf[0..len) into a new tree (the caller owns it: json_decref), or returns NULL with a
 * short reason in err when json_loadb(buf, len, 0) would fail. Thread-safe on a shared scan;
 * allocates everything (the tree and its scratch buffers) through jansson's allocator, so a
 * jarena between begin and end catches it and its limit bounds the decode. */
json_t *sl_jscan_decode(const sl_jscan *scan, const char *buf, size_t len, char *err,
                        size_t errlen);

#endif
