/* regex.h: PCRE2 patterns (8-bit, UTF mode, JIT when available) compiled once. Every match
 * runs under a match limit and a depth limit, so a pattern that backtracks catastrophically
 * gives up in about a millisecond with SL_RE_FAILED and its reason, never a silent no-match.
 * Thread safety: each sl_regex owns one match-data block, so a pattern may be used by ONE
 * thread at a time. That fits the engine: converter patterns are used only by the transform
 * thread, error-rule patterns only by the source thread. Compile a second copy to share. */
#ifndef SLUICE_REGEX_H
#define SLUICE_REGEX_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

typedef struct sl_regex sl_regex;

enum {
    /* PCRE2 match() calls per match; its default, 10M, let ^(a+)+$ spend 224 ms on 48 a's and
     * a '!' (JIT); 100K gives up in about 2 ms, and common patterns (a word, digits, an
     * anchored group) scan a 64 KB value well within it. */
    SL_REGEX_MATCH_LIMIT = 100000,
    SL_REGEX_DEPTH_LIMIT = 10000, /* backtracking depth (interpreter): about 2 MB of frames */
};

/* The outcome of a match. */
typedef enum sl_regex_rc {
    SL_RE_FAILED = -1, /* PCRE2 gave up (a limit, bad UTF-8): sl_regex_failure says why */
    SL_RE_NOMATCH = 0,
    SL_RE_MATCHED = 1,
} sl_regex_rc;

/* Compiles pattern into an owned regex, or returns NULL with the reason in err (SL_ERR_CONFIG,
 * or SL_ERR_INTERNAL when out of memory; err may be NULL) and the 0-based byte offset of the
 * problem in *err_offset (may be NULL). */
sl_regex *sl_regex_compile(const char *pattern, sl_error *err, size_t *err_offset);
/* Frees a regex; NULL is fine. */
void sl_regex_free(sl_regex *re);
/* Number of capture groups in the pattern. */
int sl_regex_groups(const sl_regex *re);
/* Whether the pattern matches somewhere in the len bytes at s. */
sl_regex_rc sl_regex_match(const sl_regex *re, const char *s, size_t len);
/* Matches and reports group (0 = whole match) as a byte range of s; SL_RE_NOMATCH also when
 * the group did not take part in the match. */
sl_regex_rc sl_regex_group(const sl_regex *re, const char *s, size_t len, int group,
                           size_t *start, size_t *glen);
/* Why the last match of re was SL_RE_FAILED (borrowed; valid until its next match). */
const char *sl_regex_failure(const sl_regex *re);

#endif
