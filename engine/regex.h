/* regex.h: PCRE2 patterns (8-bit, UTF mode, JIT when available) compiled once.
 * Thread safety: each sl_regex owns one match-data block, so a pattern may be used by ONE
 * thread at a time. That fits the engine: converter patterns are used only by the transform
 * thread, error-rule patterns only by the source thread. Compile a second copy to share. */
#ifndef SLUICE_REGEX_H
#define SLUICE_REGEX_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sl_regex sl_regex;

/* Compiles pattern into an owned regex, or returns NULL with the reason in err and the
 * 0-based byte offset of the problem in *err_offset (may be NULL). */
sl_regex *sl_regex_compile(const char *pattern, char *err, size_t errlen, size_t *err_offset);
/* Frees a regex; NULL is fine. */
void sl_regex_free(sl_regex *re);
/* Number of capture groups in the pattern. */
int sl_regex_groups(const sl_regex *re);
/* True when the pattern matches somewhere in the len bytes at s. */
bool sl_regex_match(const sl_regex *re, const char *s, size_t len);
/* Matches and reports group (0 = whole match) as a byte range of s; false when there is no
 * match or the group did not take part in it. */
bool sl_regex_group(const sl_regex *re, const char *s, size_t len, int group, size_t *start,
                    size_t *glen);

#endif
