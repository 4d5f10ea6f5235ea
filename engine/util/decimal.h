/* decimal.h: exact decimal text without printf/scanf: numbers as sign, digit string and power
 * of ten, from JSON integers, doubles (shortest round-trip digits) and numeric strings, and
 * rounded half away from zero to DECIMAL(p,s) text. */
#ifndef SLUICE_DECIMAL_H
#define SLUICE_DECIMAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SL_DEC_MAX_DIGITS 96

/* value = (neg ? -1 : 1) * dig[0..n) * 10^exp; dig has no leading zeros; n == 0 is zero. */
typedef struct sl_dec {
    bool neg;
    int n;
    int exp;
    char dig[SL_DEC_MAX_DIGITS];
} sl_dec;

/* Parses [+-]digits[.digits][e[+-]digits] (or .digits) of exactly len bytes; false if malformed,
 * over SL_DEC_MAX_DIGITS significant digits or an exponent beyond +-400. */
bool sl_dec_from_text(sl_dec *d, const char *s, size_t len);
/* Exact. */
void sl_dec_from_int(sl_dec *d, int64_t v);
/* The shortest decimal that reads back as v (v finite), e.g. 12.98 for 12.98. */
void sl_dec_from_double(sl_dec *d, double v);
/* Writes d rounded half away from zero to s places as "[-]int.frac" (s digits after the point,
 * none and no point when s == 0) into out (cap >= p + 3); returns the length, or -1 when more
 * than p - s integer digits remain. p <= 65, s <= 30. */
int sl_dec_format(const sl_dec *d, int p, int s, char *out, size_t cap);
/* Writes d as plain text without exponent or trailing fraction zeros ("12.98", "-0.001",
 * "1000"); returns the length, or -1 when cap is too small. */
int sl_dec_plain(const sl_dec *d, char *out, size_t cap);
/* -1, 0 or 1 as a is less than, equal to or greater than b; exact (1.50 equals 1.5). */
int sl_dec_cmp(const sl_dec *a, const sl_dec *b);
/* out = a + b, exactly (out may be a or b); false when the result has more than
 * SL_DEC_MAX_DIGITS significant digits. */
bool sl_dec_add(sl_dec *out, const sl_dec *a, const sl_dec *b);
/* out = a * k, exactly (out may be a); false as sl_dec_add. */
bool sl_dec_mul_int(sl_dec *out, const sl_dec *a, uint32_t k);
/* Writes v in decimal; returns the length (at most 20). */
size_t sl_i64_text(int64_t v, char out[21]);

#endif
