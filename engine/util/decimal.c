/* decimal.c: see decimal.h. Doubles: the fast path finds the fewest fraction digits k with an
 * integer r such that r / 10^k == v exactly in binary (division of exact operands is correctly
 * rounded, as strtod is), so the digits read back as v; the rest go through "%.*e". */
#include "decimal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double pow10_tab[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

size_t sl_i64_text(int64_t v, char out[21])
{
    char tmp[21];
    size_t n = 0, len = 0;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        out[len++] = '-';
    while (n)
        out[len++] = tmp[--n];
    return len;
}

/* Drops leading and trailing zeros of the digit string (trailing ones move into exp). */
static void normalize(sl_dec *d)
{
    int lead = 0;
    while (lead < d->n && d->dig[lead] == '0')
        lead++;
    if (lead) {
        memmove(d->dig, d->dig + lead, (size_t)(d->n - lead));
        d->n -= lead;
    }
    while (d->n > 0 && d->dig[d->n - 1] == '0') {
        d->n--;
        d->exp++;
    }
    if (d->n == 0) {
        d->exp = 0;
        d->neg = false;
    }
}

static void from_u64(sl_dec *d, bool neg, uint64_t u, int exp)
{
    char tmp[20];
    int n = 0;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    d->neg = neg;
    d->n = 0;
    while (n)
        d->dig[d->n++] = tmp[--n];
    d->exp = exp;
    normalize(d);
}

void sl_dec_from_int(sl_dec *d, int64_t v)
{
    from_u64(d, v < 0, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, 0);
}

static bool parse_exp(const char *s, size_t len, size_t i, int *exp)
{
    bool neg = false;
    int e = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    if (i == len)
        return false;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9' || e > 400)
            return false;
        e = e * 10 + (s[i] - '0');
    }
    if (e > 400)
        return false;
    *exp = neg ? -e : e;
    return true;
}

bool sl_dec_from_text(sl_dec *d, const char *s, size_t len)
{
    size_t i = 0;
    int seen = 0, frac = 0, exp = 0;
    bool dot = false;
    d->neg = false;
    d->n = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        d->neg = s[i++] == '-';
    for (; i < len; i++) {
        char c = s[i];
        if (c == '.' && !dot) {
            dot = true;
        } else if (c >= '0' && c <= '9') {
            seen++;
            if (dot)
                frac++;
            if (d->n == 0 && c == '0')
                continue; /* leading zero */
            if (d->n == SL_DEC_MAX_DIGITS)
                return false;
            d->dig[d->n++] = c;
        } else {
            break;
        }
    }
    if (!seen)
        return false;
    if (i < len && (s[i] != 'e' && s[i] != 'E'))
        return false;
    if (i < len && !parse_exp(s, len, i + 1, &exp))
        return false;
    d->exp = exp - frac;
    normalize(d);
    return true;
}

static void from_double_slow(sl_dec *d, double v)
{
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
        if (prec == 17 || strtod(buf, NULL) == v)
            break;
    }
    sl_dec_from_text(d, buf, strlen(buf)); /* "d.ddde+xx" always parses */
}

void sl_dec_from_double(sl_dec *d, double v)
{
    double a = fabs(v);
    if (a == 0) {
        from_u64(d, false, 0, 0);
        return;
    }
    if (a < 1e15 && a >= 1e-5) {
        for (int k = 0; k <= 22; k++) {
            double x = a * pow10_tab[k];
            if (x >= 9007199254740992.0)
                break;
            double r = nearbyint(x);
            /* r is the nearest candidate; its neighbours cover the product's rounding error. */
            const double cand[3] = {r, r - 1, r + 1};
            for (int c = 0; c < 3; c++) {
                if (cand[c] > 0 && cand[c] / pow10_tab[k] == a) {
                    from_u64(d, v < 0, (uint64_t)cand[c], -k);
                    return;
                }
            }
        }
    }
    from_double_slow(d, v);
}

/* Adds one unit in the last place of dig[0..n); returns the new n (a carry may add a digit,
 * which then stands in front). */
static int increment(char *dig, int n)
{
    int i = n - 1;
    while (i >= 0 && dig[i] == '9')
        dig[i--] = '0';
    if (i >= 0) {
        dig[i]++;
        return n;
    }
    memmove(dig + 1, dig, (size_t)n);
    dig[0] = '1';
    return n + 1;
}

int sl_dec_format(const sl_dec *d, int p, int s, char *out, size_t cap)
{
    char dig[SL_DEC_MAX_DIGITS + 2];
    int n = d->n, exp = d->exp;
    memcpy(dig, d->dig, (size_t)n);
    if (n && -exp > s) { /* round away the digits past s places */
        int drop = -exp - s;
        bool up = drop <= n && dig[n - drop] >= '5';
        n = drop < n ? n - drop : 0;
        exp = -s;
        if (up)
            n = n ? increment(dig, n) : (dig[0] = '1', 1);
    }
    int int_digits = n + exp > 0 ? n + exp : 0;
    if (int_digits > p - s || (size_t)(int_digits + s + 3) > cap)
        return -1;
    size_t len = 0;
    if (d->neg && n)
        out[len++] = '-';
    /* digit at position j (0 = units, negative = fraction) */
    for (int j = (int_digits ? int_digits - 1 : 0); j >= -s; j--) {
        int idx = n - 1 - (j - exp); /* index in dig of the 10^j digit */
        out[len++] = idx >= 0 && idx < n ? dig[idx] : '0';
        if (j == 0 && s > 0)
            out[len++] = '.';
    }
    return (int)len;
}

int sl_dec_plain(const sl_dec *d, char *out, size_t cap)
{
    int n = d->n, exp = d->exp;
    int int_digits = n + exp > 0 ? n + exp : 0;
    int frac = exp < 0 ? -exp : 0;
    if ((size_t)(int_digits + frac + 3) > cap)
        return -1;
    size_t len = 0;
    if (d->neg && n)
        out[len++] = '-';
    for (int j = (int_digits ? int_digits - 1 : 0); j >= -frac; j--) {
        int idx = n - 1 - (j - exp);
        out[len++] = idx >= 0 && idx < n ? d->dig[idx] : '0';
        if (j == 0 && frac > 0)
            out[len++] = '.';
    }
    return (int)len;
}

/* Magnitudes of two normalized non-zero decimals: the leading digit's power first. */
static int cmp_abs(const sl_dec *a, const sl_dec *b)
{
    int ta = a->n + a->exp, tb = b->n + b->exp;
    if (ta != tb)
        return ta < tb ? -1 : 1;
    for (int i = 0; i < a->n || i < b->n; i++) {
        char x = i < a->n ? a->dig[i] : '0', y = i < b->n ? b->dig[i] : '0';
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

int sl_dec_cmp(const sl_dec *a, const sl_dec *b)
{
    int sa = a->n == 0 ? 0 : a->neg ? -1 : 1, sb = b->n == 0 ? 0 : b->neg ? -1 : 1;
    if (sa != sb || sa == 0)
        return sa < sb ? -1 : sa > sb;
    return sa * cmp_abs(a, b);
}

/* ---- arithmetic on little-endian digit arrays (one digit a byte, 10^e at index 0) ---- */

enum { LE_CAP = 2 * 400 + 2 * SL_DEC_MAX_DIGITS + 2 }; /* exponents are within +-400 */

/* d's magnitude at exponent e (e <= d->exp) into le; returns its length, or -1 past LE_CAP. */
static int to_le(const sl_dec *d, int e, unsigned char *le)
{
    int shift = d->exp - e, n = d->n + shift;
    if (shift < 0 || n > LE_CAP)
        return -1;
    memset(le, 0, (size_t)n);
    for (int i = 0; i < d->n; i++)
        le[shift + i] = (unsigned char)(d->dig[d->n - 1 - i] - '0');
    return n;
}

static bool from_le(sl_dec *d, bool neg, const unsigned char *le, int n, int e)
{
    int lo = 0, hi = n - 1;
    while (lo < n && le[lo] == 0)
        lo++;
    while (hi >= lo && le[hi] == 0)
        hi--;
    if (hi - lo + 1 > SL_DEC_MAX_DIGITS)
        return false;
    d->neg = neg;
    d->n = 0;
    for (int i = hi; i >= lo; i--)
        d->dig[d->n++] = (char)('0' + le[i]);
    d->exp = e + lo;
    normalize(d);
    return true;
}

bool sl_dec_add(sl_dec *out, const sl_dec *a, const sl_dec *b)
{
    if (a->n == 0 || b->n == 0) {
        *out = a->n == 0 ? *b : *a;
        return true;
    }
    unsigned char x[LE_CAP + 1], y[LE_CAP + 1];
    int e = a->exp < b->exp ? a->exp : b->exp;
    bool a_big = cmp_abs(a, b) >= 0, neg = a_big ? a->neg : b->neg;
    int nx = to_le(a_big ? a : b, e, x), ny = to_le(a_big ? b : a, e, y);
    if (nx < 0 || ny < 0)
        return false;
    int carry = 0, sub = a->neg != b->neg; /* |x| >= |y|, so x - y never borrows past the top */
    for (int i = 0; i < nx || carry; i++) {
        int v = (i < nx ? x[i] : 0) + (sub ? -carry : carry) + (i < ny ? (sub ? -y[i] : y[i]) : 0);
        carry = sub ? v < 0 : v > 9;
        x[i] = (unsigned char)(sub ? (v + 10) % 10 : v % 10);
        if (i >= nx)
            nx = i + 1;
    }
    return from_le(out, neg, x, nx, e);
}

bool sl_dec_mul_int(sl_dec *out, const sl_dec *a, uint32_t k)
{
    unsigned char x[LE_CAP + 12];
    int n = to_le(a, a->exp, x);
    if (n < 0)
        return false;
    uint64_t carry = 0;
    for (int i = 0; i < n || carry; i++) {
        uint64_t v = (i < n ? x[i] : 0) * (uint64_t)k + carry;
        x[i] = (unsigned char)(v % 10);
        carry = v / 10;
        if (i >= n)
            n = i + 1;
    }
    return from_le(out, k ? a->neg : false, x, n, a->exp);
}
