/* jscan_note.c: the notes sl_jscan_decode takes on records that hold a kept value jansson
 * cannot hold (jscan.h); off the decoder's hot path. */
#include "jscan_note.h"

#include <stdio.h>
#include <string.h>

#include "jscratch.h"
#include "text.h"

/* What a reject needs to show: text cut on a character boundary, invalid bytes as U+FFFD. */
static size_t valid_text(const char *p, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        size_t k = sl_text_char_len(p + i, n - i);
        if (out)
            memcpy(out + o, k ? p + i : "\xef\xbf\xbd", k ? k : 3);
        o += k ? k : 3;
        i += k ? k : 1;
    }
    return o;
}

int sl_jscan_note_bad(json_t **notes, const jscan_bad *b)
{
    char lit[48], reason[160];
    sl_text_escape(lit, sizeof lit, b->reply + b->at, b->len < 40 ? b->len : 40);
    snprintf(reason, sizeof reason, "value cannot be represented: %s (%s%s) at byte %zu", b->why,
             lit, b->len > 40 ? "..." : "", b->at);
    size_t raw_len = valid_text(b->rec, b->rec_len, NULL);
    char *raw = scratch_alloc(raw_len + 1);
    json_t *note = json_object();
    int rc = !raw || !note || (!*notes && !(*notes = json_array()));
    if (!rc) {
        valid_text(b->rec, b->rec_len, raw);
        rc = json_object_set_new_nocheck(note, "index", json_integer((json_int_t)b->index)) ||
             json_object_set_new_nocheck(note, "reason", json_string(reason)) ||
             json_object_set_new_nocheck(note, "raw", json_stringn_nocheck(raw, raw_len)) ||
             json_array_append(*notes, note);
    }
    scratch_free(raw);
    json_decref(note);
    return rc ? -1 : 0;
}
