/* truth.h: streams the mock's ground truth (one JSON record a line) into the expected rows of
 * every table of the rules. */
#ifndef ORC_TRUTH_H
#define ORC_TRUTH_H

#include <stddef.h>

#include "rowset.h"
#include "rules.h"

typedef struct orc_truth_stats {
    size_t records;                 /* top-level records read */
    size_t dups[ORC_MAX_TABLES];    /* keys seen twice (the later row kept) */
    size_t unconvertible;           /* cells whose input no converter accepts */
} orc_truth_stats;

/* Reads the truth at src ("http://HOST:PORT" (then /_truth is fetched), a full http(s) URL, or
 * "file:PATH") into sets[i] for table i of r. A top row is in the window when its window cell
 * lies in [from, to] (either may be NULL: unbounded); child rows inherit it. 0, or -1 with err. */
int orc_truth_load(const char *src, const orc_rules *r, const char *from, const char *to,
                   orc_rowset **sets, orc_truth_stats *st, char *err, size_t errlen);

#endif
