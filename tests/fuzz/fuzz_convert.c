/* fuzz_convert.c: differential fuzzing of the decimal(p,s) converter against a slow, separately
 * written reference (string point-shifting and long-hand rounding; doubles through "%.*e" with
 * the fewest digits that read back), plus properties of varchar truncation and datetime.
 * Input: byte 0 = mode (0: numeric text, 1: 8 bytes of a double, 2: varchar(p) truncate,
 * 3: datetime auto), byte 1 = p, byte 2 = s, then the payload. A disagreement aborts. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "fuzz_convert.h"
#include "timeutil.h"

#define BIG 1200

/* Slow reference for text: returns the length of "[-]I.F" in out, -1 when more than p - s
 * integer digits, -2 when the text is not a number (with the converter's documented limits:
 * at most 96 digits from the first non-zero one, |exponent| <= 400). */
static int ref_text(const char *t, size_t n, int p, int s, char *out)
{
    char a[BIG] = "", b[BIG] = "";
    size_t i = 0, na = 0, nb = 0, sig = 0;
    int neg = 0, dot = 0, digits = 0, started = 0;
    long e = 0;
    if (i < n && (t[i] == '+' || t[i] == '-'))
        neg = t[i++] == '-';
    for (; i < n && ((t[i] >= '0' && t[i] <= '9') || (t[i] == '.' && !dot)); i++) {
        if (t[i] == '.') {
            dot = 1;
            continue;
        }
        digits++;
        started |= t[i] != '0';
        sig += started;
        if (sig > 96)
            return -2;
        if (dot)
            b[nb++] = t[i];
        else
            a[na++] = t[i];
    }
    if (!digits)
        return -2;
    if (i < n) {
        if (t[i] != 'e' && t[i] != 'E')
            return -2;
        int eneg = 0, ed = 0;
        i++;
        if (i < n && (t[i] == '+' || t[i] == '-'))
            eneg = t[i++] == '-';
        for (; i < n; i++, ed++) {
            if (t[i] < '0' || t[i] > '9')
                return -2;
            e = e * 10 + (t[i] - '0');
            if (e > 400)
                return -2;
        }
        if (!ed)
            return -2;
        e = eneg ? -e : e;
    }
    /* shift the point e places */
    for (; e > 0; e--) {
        a[na++] = nb ? b[0] : '0';
        if (nb)
            memmove(b, b + 1, nb--);
    }
    for (; e < 0; e++) {
        memmove(b + 1, b, nb++);
        b[0] = na ? a[--na] : '0';
    }
    /* round b to s digits, half away from zero */
    int up = (int)nb > s && b[s] >= '5';
    while ((int)nb < s)
        b[nb++] = '0';
    nb = (size_t)s;
    if (up) {
        int k = (int)nb - 1;
        while (k >= 0 && b[k] == '9')
            b[k--] = '0';
        if (k >= 0) {
            b[k]++;
        } else {
            int j = (int)na - 1;
            while (j >= 0 && a[j] == '9')
                a[j--] = '0';
            if (j >= 0) {
                a[j]++;
            } else {
                if (na + 1 >= sizeof a)
                    return -2;
                memmove(a + 1, a, na++);
                a[0] = '1';
            }
        }
    }
    size_t lead = 0;
    while (lead < na && a[lead] == '0')
        lead++;
    if ((int)(na - lead) > p - s)
        return -1;
    int zero = na == lead;
    for (size_t k = 0; k < nb; k++)
        zero &= b[k] == '0';
    int len = 0;
    if (neg && !zero)
        out[len++] = '-';
    if (na == lead)
        out[len++] = '0';
    memcpy(out + len, a + lead, na - lead);
    len += (int)(na - lead);
    if (s) {
        out[len++] = '.';
        memcpy(out + len, b, nb);
        len += (int)nb;
    }
    return len;
}

/* The fewest significant digits that read back as v, as "%.*e" text. */
static void ref_double_text(double v, char *buf, size_t cap)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, cap, "%.*e", prec - 1, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Runs the converter: the cell text in out (length returned), -1 on a conversion error, -2
 * for a NULL cell. */
static int run_conv(const sl_conv *c, const json_t *v, char *out, char *err, size_t errlen)
{
    sl_rowset rs = {.n_cols = 1};
    sl_error e = {0};
    int32_t len = -1;
    int rc = -1;
    if (sl_rowset_add_row(&rs) != SIZE_MAX && sl_conv_apply(c, v, &rs, 0, 0, &e) == 0) {
        const char *s = sl_rowset_get(&rs, 0, 0, &len);
        memcpy(out, s ? s : "", len > 0 ? (size_t)len : 0);
        rc = len < 0 ? -2 : len;
    }
    free(rs.cells);
    free(rs.parent);
    free(rs.dead);
    free(rs.text);
    snprintf(err, errlen, "%.200s", e.msg);
    return rc;
}

static void disagree(const char *what, const char *in, size_t n, const char *want, int wl,
                     const char *got, int gl, const char *err)
{
    fprintf(stderr, "fuzz_convert: %s: input \"%.*s\": reference %.*s (%d), converter %.*s (%d) %s\n",
            what, (int)n, in, wl > 0 ? wl : 0, want, wl, gl > 0 ? gl : 0, got, gl, err);
    abort();
}

/* varchar(p) truncate: a prefix of the input, cut at a code-point boundary, at most p code
 * points, and the whole input when that fits. */
static void check_varchar(int p, const char *in, size_t n)
{
    char type[32], err[256] = "", got[BIG];
    snprintf(type, sizeof type, "varchar(%d)", p);
    sl_conv_spec spec = {.type = type, .on_overflow = "truncate"};
    sl_conv *c = sl_conv_compile(&spec, &(sl_error){0}, NULL);
    json_t *v = json_stringn(in, n);
    if (!c)
        abort();
    if (v) {
        int gl = run_conv(c, v, got, err, sizeof err);
        size_t chars = 0, total = 0;
        for (size_t i = 0; i < n; i++)
            total += ((unsigned char)in[i] & 0xC0) != 0x80;
        for (int i = 0; i < gl; i++)
            chars += ((unsigned char)got[i] & 0xC0) != 0x80;
        if (gl < 0 || memcmp(got, in, (size_t)gl) != 0 || chars > (size_t)p ||
            ((size_t)gl < n && ((unsigned char)in[gl] & 0xC0) == 0x80) ||
            (chars < (size_t)p && (size_t)gl != n) || (total <= (size_t)p && (size_t)gl != n))
            disagree("varchar", in, n, "", 0, got, gl, err);
    }
    json_decref(v);
    sl_conv_free(c);
}

/* datetime auto in +08:00: either an error or 19 characters that parse back. */
static void check_datetime(const char *in, size_t n)
{
    char err[256] = "", got[BIG];
    int64_t e;
    sl_conv_spec spec = {.type = "datetime", .timezone = "+08:00"};
    sl_conv *c = sl_conv_compile(&spec, &(sl_error){0}, NULL);
    json_t *v = json_stringn(in, n);
    if (!c)
        abort();
    if (v) {
        int gl = run_conv(c, v, got, err, sizeof err);
        if (gl >= 0 && (gl != 19 || !sl_time_parse(got, 19, 0, &e)))
            disagree("datetime", in, n, "", 0, got, gl, err);
    }
    json_decref(v);
    sl_conv_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3 || size > 300)
        return 0;
    if ((data[0] & 3) == 2) {
        check_varchar(1 + data[1] % 40, (const char *)data + 3, size - 3);
        return 0;
    }
    if ((data[0] & 3) == 3) {
        check_datetime((const char *)data + 3, size - 3);
        return 0;
    }
    int p = 1 + data[1] % 65, s = data[2] % 31;
    if (s > p)
        s = p;
    char type[32], err[256] = "", want[BIG], got[BIG], text[64];
    snprintf(type, sizeof type, "decimal(%d,%d)", p, s);
    sl_conv_spec spec = {.type = type};
    sl_conv *c = sl_conv_compile(&spec, &(sl_error){0}, NULL);
    if (!c)
        abort();
    const char *in = (const char *)data + 3;
    size_t n = size - 3;
    json_t *v;
    int wl;
    if (data[0] & 1) {
        double d;
        if (n < 8)
            goto out;
        memcpy(&d, in, 8);
        if (d != d || d - d != 0) /* NaN, infinity: not JSON */
            goto out;
        ref_double_text(d, text, sizeof text);
        wl = ref_text(text, strlen(text), p, s, want);
        in = text;
        n = strlen(text);
        v = json_real(d);
    } else {
        wl = ref_text(in, n, p, s, want);
        v = json_stringn(in, n);
    }
    if (!v) /* not UTF-8: never reaches the converter */
        goto out;
    int gl = run_conv(c, v, got, err, sizeof err);
    json_decref(v);
    if (n == 0 && !(data[0] & 1)) { /* "" is NULL */
        if (gl != -2)
            disagree("empty", in, n, "NULL", 4, got, gl, err);
        goto out;
    }
    if (wl == -2 && !(gl < 0 && strstr(err, "not a number")))
        disagree("invalid text", in, n, "", 0, got, gl, err);
    if (wl == -1 && !(gl < 0 && strstr(err, "does not fit")))
        disagree("overflow", in, n, "", 0, got, gl, err);
    if (wl >= 0 && (gl != wl || memcmp(want, got, (size_t)wl) != 0))
        disagree("value", in, n, want, wl, got, gl, err);
out:
    sl_conv_free(c);
    return 0;
}
