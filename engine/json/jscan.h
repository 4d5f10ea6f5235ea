/* jscan.h: a projected JSON decoder for API replies. It builds a jansson tree holding the whole
 * envelope (everything outside the plan's records list) and, inside each record, only the keys
 * the plan's columns read (parent column paths; each child table's `each` path and its columns'
 * paths inside the items). Everything else is skipped without being built, but still checked
 * for syntax as json_loadb(buf, len, 0) checks it (escapes, control characters, nesting depth,
 * trailing bytes, truncation).
 *
 * Values that are well-formed JSON but that jansson cannot hold (an integer past int64, a real
 * past a double, text that is no valid Unicode: invalid UTF-8, \u0000, a lone surrogate) are
 * fine where they are skipped. Where they are kept (read by the plan): inside a record, the
 * value reads as null and the record is noted as one to reject; in the envelope, it reads as
 * null; in a records list the decoder keeps whole (a records path through an index), the
 * decode fails. An object key of that kind drops its member from an object kept whole.
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

#include "error.h"
#include "plan.h"

typedef struct sl_jscan sl_jscan;

/* Compiles the projection of plan (its records path, column paths, envelope paths) once;
 * NULL when out of memory. The projection copies what it uses: the plan may go first. */
sl_jscan *sl_jscan_new(const sl_plan *plan);
/* Frees a projection; NULL is fine. */
void sl_jscan_free(sl_jscan *scan);
/* Decodes buf[0..len) into a new tree (the caller owns it: json_decref), or returns NULL with a
 * short reason in err (SL_ERR_SOURCE; err may be NULL) when the reply is no JSON. *bad (bad NULL: such records fail the decode)
 * receives NULL or an array (owned: json_decref), in order, of notes on the records holding a
 * kept value that cannot be represented: {"index": its position in the records list,
 * "reason": what and where, "raw": its text in the reply, invalid bytes as U+FFFD}.
 * Thread-safe on a shared scan;
 * allocates everything (the tree and its scratch buffers) through jansson's allocator, so a
 * jarena between begin and end catches it and its limit bounds the decode. */
json_t *sl_jscan_decode(const sl_jscan *scan, const char *buf, size_t len, json_t **bad,
                        sl_error *err);

#endif
