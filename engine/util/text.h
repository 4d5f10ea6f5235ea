/* text.h: text that came from outside (API replies, the database, the network) made safe to
 * print, log, store in a column or send in an alert. Everything here reads any bytes, writes
 * valid UTF-8 and never cuts inside a character, so a cut value is still accepted by a utf8mb4
 * column, a JSON encoder and a terminal. */
#ifndef SLUICE_TEXT_H
#define SLUICE_TEXT_H

#include <stddef.h>

/* Length of the valid UTF-8 character at s[0..len) (1 for ASCII), or 0 if the bytes there are
 * not one (truncated, overlong, surrogate, above U+10FFFF, stray continuation byte). */
size_t sl_text_char_len(const char *s, size_t len);

/* Longest prefix of s[0..len), at most max bytes, that does not end inside a character
 * (an invalid byte counts as a character of its own). */
size_t sl_text_cut_len(const char *s, size_t len, size_t max);

/* Longest prefix of s[0..len) of at most max characters (as a utf8mb4 VARCHAR(max) counts
 * them; an invalid byte counts as one), in bytes. */
size_t sl_text_cut_chars(const char *s, size_t len, size_t max);

/* Cuts the NUL-terminated s in place to at most max bytes, on a character boundary. */
void sl_text_cut(char *s, size_t max);

/* Copies src[0..len) to dst as one readable line: LF, CR and TAB become \n \r \t, other C0
 * controls, DEL and invalid bytes \xHH, C1 controls \u0080..\u009f; stops before the first
 * character or escape that does not fit. dst holds cap bytes (cap >= 1) and is always
 * NUL-terminated. Returns the bytes of src written out: len when nothing was cut. */
size_t sl_text_escape(char *dst, size_t cap, const char *src, size_t len);

/* sl_text_escape into a new buffer of at most max bytes plus the NUL; NULL when out of memory. */
char *sl_text_escape_new(const char *src, size_t len, size_t max);

#endif
