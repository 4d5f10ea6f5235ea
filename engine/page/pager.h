/* pager.h: the runtime interface of a pager, the part of the source that knows how an API pages
 * one window: what to ask for next, what a reply says about the window's total, and whether the
 * window has been read completely. The source drives it (engine/source/source.c): it asks, sends,
 * classifies the reply, then hands every good reply to the pager and does what it answers (take
 * the records, read the window again, split it, fail). A pager keeps one window's paging state
 * in a zeroed block of state_size bytes the source owns; cfg is the pager's compiled config. */
#ifndef SLUICE_PAGER_H
#define SLUICE_PAGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "headers.h"
#include "sign.h"

/* What the next request says about the page: the pager fills the paging part of req (its
 * parameters' names and values) and names the page in label, which keys recorded replies
 * (run --record / --replay) and log lines. */
typedef struct sl_page_ask {
    sl_page_req *req;
    int64_t label;
} sl_page_ask;

/* A good reply (one that passed the error rules), as the pager sees it. */
typedef struct sl_page_reply {
    const json_t *doc;   /* the decoded body */
    size_t n;            /* records on this page */
    int64_t max_records; /* a window holding more must be split (source.window.max_records) */
    const sl_headers *headers; /* the reply's headers; NULL when it has none (--replay) */
    const char *endpoint;      /* source.endpoint: where the first page is asked for */
} sl_page_reply;

/* What the source does with a reply, or with a window read to its end. */
typedef enum sl_page_act {
    SL_PAGE_SKIP,   /* ignore this page's records; ask the next page */
    SL_PAGE_TAKE,   /* take this page's records; ask the next page */
    SL_PAGE_LAST,   /* take this page's records; the read is over: ask complete() */
    SL_PAGE_DONE,   /* complete(): the window is read completely */
    SL_PAGE_REREAD, /* refuse what was read: log "window W: <note>", read the window again */
    SL_PAGE_SPLIT,  /* the window holds too much: split it in halves (note says why) */
    SL_PAGE_FAIL,   /* fail the run with "window W: <note>"; the watermark stays before it */
    SL_PAGE_REFUSE, /* fail the run with the note alone: the reply breaks the pager's rules */
} sl_page_act;

/* Why a pager answered as it did, in words for a log line or an error. */
typedef struct sl_page_note {
    char text[600];
} sl_page_note;

typedef struct sl_pager_ops {
    size_t state_size; /* bytes of one window's paging state */
    /* (Re)starts reading a window from its first page; the state keeps what outlives a
     * re-read (the count of re-reads). */
    void (*start)(const void *cfg, void *st);
    /* Fills ask for the next page; false when out of memory. */
    bool (*ask)(const void *cfg, const void *st, sl_page_ask *ask);
    /* Reads the window's total from a reply into *total (-1 when the pager reads none); false,
     * with the note, when the reply's total is missing or no count. */
    bool (*total)(const void *cfg, const sl_page_reply *rp, int64_t *total, sl_page_note *note);
    /* What to do with a reply whose total is known; moves the state to the next page. */
    sl_page_act (*step)(const void *cfg, void *st, const sl_page_reply *rp, int64_t total,
                        sl_page_note *note);
    /* After the last page: DONE, REREAD or FAIL, given the distinct records received. */
    sl_page_act (*complete)(const void *cfg, void *st, size_t distinct, sl_page_note *note);
} sl_pager_ops;

#endif
