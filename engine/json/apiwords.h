/* apiwords.h: an API's own words for a message about a reply it refused (any HTTP status
 * other than 200, a token endpoint's refusal), taken from the reply's body, bounded and safe to
 * print: sluice holds no API's wording, so it quotes the body instead. */
#ifndef SLUICE_APIWORDS_H
#define SLUICE_APIWORDS_H

#include <stddef.h>

enum { SL_API_WORDS_MAX = 300 };

/* Masks every secret the caller knows in text (NUL-terminated, room for cap bytes) in place. */
typedef void sl_words_mask(void *ctx, char *text, size_t cap);

/* Writes the words of body[0..len) into out (cap bytes, at most SL_API_WORDS_MAX + 1 used): a
 * JSON body compact (its members in the order sent, controls as JSON escapes), a text body on
 * one line (white space runs as one space, controls and invalid bytes escaped), cut on a
 * character. Empty for an empty body and for markup: a gateway's HTML page says no more than
 * its status. A body over 64 KiB is quoted as text, never decoded. mask (NULL: none) masks the
 * secrets before the cut, so that no secret is cut in two and half of it printed. */
void sl_api_words(const char *body, size_t len, sl_words_mask *mask, void *ctx, char *out,
                  size_t cap);

/* Copies text[0..len) into out (cap bytes) cut on a character, its secrets masked by mask
 * before the cut (as sl_api_words). */
void sl_api_quote(const char *text, size_t len, sl_words_mask *mask, void *ctx, char *out,
                  size_t cap);

#endif
