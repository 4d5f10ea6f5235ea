/* jscan_note.h: the notes the reply decoder (jscan.c) takes on records that hold a kept value
 * jansson cannot hold (their form is in jscan.h). Private to engine/json. */
#ifndef SLUICE_JSCAN_NOTE_H
#define SLUICE_JSCAN_NOTE_H

#include <stddef.h>

#include <jansson.h>

/* A record holding a kept value that cannot be represented (jscan.h's notes). */
typedef struct jscan_bad {
    size_t index;      /* its position in the records list */
    const char *why;   /* what cannot be represented */
    const char *reply; /* the whole reply; the value is reply[at, at + len) */
    size_t at, len;
    const char *rec; /* the record's text, rec[0, rec_len) */
    size_t rec_len;
} jscan_bad;

/* Appends the note {"index", "reason", "raw"} on b to *notes (made on first use); 0, or -1
 * when out of memory. */
int sl_jscan_note_bad(json_t **notes, const jscan_bad *b);

#endif
