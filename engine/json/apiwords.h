/* apiwords.h: an API's own words for a message about a reply it refused (any HTTP status
 * other than 200, a token endpoint's refusal), taken from the reply's body, bounded and safe to
 * print: sluice holds no API's wording, so it quotes the body instead. */
#ifndef SLUICE_APIWORDS_H
#define SLUICE_APIWORDS_H

#include <stddef.h>

enum { SL_API_WORDS_MAX = 300 };

/* Writes the words of body[0..len) into out (cap bytes, at most SL_API_WORDS_MAX + 1 used): a
 * JSON body compact (its members in the order sent, controls as JSON escapes), a text body on
 * one line (white space runs as one space, controls and invalid bytes escaped), cut on a
 * character. Empty for an empty body and for markup: a gateway's HTML page says no more than
 * its status. A body over 64 KiB is quoted as text, never decoded. Secrets are the caller's to
 * mask (the run log masks the plan's). */
void sl_api_words(const char *body, size_t len, char *out, size_t cap);

#endif
