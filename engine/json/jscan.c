/* jscan.c: the decoder of jscan.h, recursive descent over the reply that builds the values
 * the projection keeps (jansson nodes) and skips the rest while applying jansson's rules. The
 * hot path: the projection is built in jscan_project.c, notes on bad records in jscan_note.c. */
#include "jscan.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "jscan_int.h"

static const pnode keep_all = {.all = true};

/* Bytes a string's fast loop stops at: '"', '\\', control characters, non-ASCII. A constant
 * table (read-only data): decoders on several threads share it without a race. */
#define STOP16 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1
#define PASS16 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
static const bool stop_tab[256] = {
    STOP16, STOP16,                                 /* 0x00-0x1f: control characters */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x22 '"' */
    PASS16, PASS16,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x5c '\\' */
    PASS16, PASS16,
    STOP16, STOP16, STOP16, STOP16, STOP16, STOP16, STOP16, STOP16, /* 0x80-0xff */
};

/* A lexer's answer for a well-formed literal that was wanted but names no value jansson can
 * hold (s->why says why): an integer past int64, a real past a double, text that is no valid
 * Unicode (invalid UTF-8, \u0000, a lone surrogate). Skipped, such a literal is fine. */
enum { UNREP = 1 };

typedef struct scan {
    const char *start, *p, *end;
    int depth;
    sl_error *err;
    char *buf; /* unescaped text of the last string read with want */
    size_t buf_len, buf_cap;
    const char *why;   /* set with UNREP */
    bool want_bad;     /* the caller takes notes on bad records (else they fail the decode) */
    json_t *bad;       /* those notes */
    bool in_record;    /* building an item of the records list */
    int untracked;     /* inside records the decoder does not tell apart */
    size_t rec_index;  /* items of the records list begun */
    const char *rec_why; /* the current record's first value that cannot be represented */
    size_t rec_at, rec_len;
} scan;

/* Records the first problem (later ones follow from it). */
static int fail(scan *s, const char *why)
{
    sl_error_set(s->err, SL_ERR_SOURCE, "%s near byte %zu", why, (size_t)(s->p - s->start));
    return -1;
}

static void skip_ws(scan *s)
{
    while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
        s->p++;
}
/* Grows the unescape buffer; unescaped text is never longer than the input. */
static int grow_buf(scan *s, size_t need)
{
    size_t cap = s->buf_cap ? s->buf_cap : 256, most = (size_t)(s->end - s->start) + 1;
    while (cap < need)
        cap *= 2;
    if (cap > most && need <= most)
        cap = most;
    char *b = scratch_alloc(cap);
    if (!b)
        return fail(s, "out of memory");
    if (s->buf_len)
        memcpy(b, s->buf, s->buf_len);
    scratch_free(s->buf);
    s->buf = b;
    s->buf_cap = cap;
    return 0;
}

static int put(scan *s, const char *src, size_t n)
{
    if (!n)
        return 0;
    if (s->buf_len + n > s->buf_cap && grow_buf(s, s->buf_len + n))
        return -1;
    memcpy(s->buf + s->buf_len, src, n);
    s->buf_len += n;
    return 0;
}

/* Length of the valid UTF-8 sequence at p (lead byte >= 0x80), or 0. Out of line: inlined into
 * string() it costs the fast loop a register move per byte. */
static __attribute__((noinline)) size_t utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t n;
    unsigned lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        if (c == 0xE0)
            lo = 0xA0;
        else if (c == 0xED)
            hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        if (c == 0xF0)
            lo = 0x90;
        else if (c == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if ((size_t)(end - p) < n || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

static int hex4(const char *p, const char *end)
{
    int v = 0;
    if (end - p < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        char c = p[i];
        int d = c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f' ? c - 'a' + 10
                : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                       : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

static int put_utf8(scan *s, long cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | (cp >> 6));
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | (cp >> 12));
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        b[0] = (char)(0xF0 | (cp >> 18));
        b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return put(s, b, n);
}

/* The code point of the \u escape at s->p (after the 'u'), a surrogate pair joined; -1 for a
 * lone surrogate (well-formed, but no character). */
static long code_point(scan *s, long cp)
{
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return -1;
    if (cp < 0xD800 || cp > 0xDBFF)
        return cp;
    long lo = s->end - s->p >= 2 && s->p[0] == '\\' && s->p[1] == 'u' ? hex4(s->p + 2, s->end) : -2;
    if (lo == -1)
        return -2;
    if (lo < 0xDC00 || lo > 0xDFFF)
        return -1; /* what follows is read as an escape of its own */
    s->p += 6;
    return ((cp - 0xD800) << 10) + (lo - 0xDC00) + 0x10000;
}

/* The escape at s->p (after the backslash); appends its text when want. A well-formed escape
 * that names no character (\u0000, a lone surrogate) sets *bad (when not set) instead. */
static int escape(scan *s, bool want, const char **bad)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    if (s->p >= s->end)
        return fail(s, "premature end of input");
    const char *e = *s->p ? strchr(from, *s->p) : NULL;
    if (e) {
        s->p++;
        return want ? put(s, &to[e - from], 1) : 0;
    }
    long cp = *s->p == 'u' ? hex4(s->p + 1, s->end) : -1;
    if (cp < 0)
        return fail(s, "invalid escape");
    s->p += 5;
    cp = code_point(s, cp);
    if (cp == -2)
        return fail(s, "invalid escape");
    if (cp <= 0) {
        if (!*bad)
            *bad = cp ? "a lone UTF-16 surrogate" : "\\u0000 in a string";
        return 0;
    }
    return want ? put_utf8(s, cp) : 0;
}

/* Bytes a skipped string's loop stops at: '"', '\\', control characters (its bytes need not be
 * UTF-8: nothing will read them). */
static const bool skip_tab[256] = {
    STOP16, STOP16,                                 /* 0x00-0x1f: control characters */
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x22 '"' */
    PASS16, PASS16,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, /* 0x5c '\\' */
    PASS16, PASS16,
    PASS16, PASS16, PASS16, PASS16, PASS16, PASS16, PASS16, PASS16, /* 0x80-0xff */
};
#undef STOP16
#undef PASS16

/* The string at s->p ('"'), its syntax checked. With want, its text is *out (into the input or
 * s->buf), or UNREP when it is no valid Unicode. */
static int string(scan *s, bool want, const char **out, size_t *len)
{
    const bool *stop = want ? stop_tab : skip_tab;
    const char *run = ++s->p, *bad = NULL;
    bool escaped = false;
    s->buf_len = 0;
    for (;;) {
        while (s->p < s->end && !stop[(unsigned char)*s->p])
            s->p++;
        if (s->p >= s->end)
            return fail(s, "premature end of input");
        unsigned char c = (unsigned char)*s->p;
        if (c == '"')
            break;
        if (c < 0x20)
            return fail(s, "control character in string");
        if (c >= 0x80) { /* wanted text only */
            size_t n = utf8_len((const unsigned char *)s->p, (const unsigned char *)s->end);
            if (!n && !bad)
                bad = "invalid UTF-8";
            s->p += n ? n : 1;
            continue;
        }
        if (want && put(s, run, (size_t)(s->p - run)))
            return -1;
        escaped = true;
        s->p++;
        if (escape(s, want, &bad))
            return -1;
        run = s->p;
    }
    if (want && bad) {
        s->p++;
        s->why = bad;
        return UNREP;
    }
    if (want) {
        if (escaped && put(s, run, (size_t)(s->p - run)))
            return -1;
        *out = escaped ? s->buf : run;
        *len = escaped ? s->buf_len : (size_t)(s->p - run);
    }
    s->p++;
    return 0;
}

/* strtod/strtoll need a terminated copy; numbers are short, but not bounded. */
static int number_text(scan *s, const char *start, size_t n, char *small, size_t cap,
                       char **text)
{
    *text = small;
    if (n >= cap && !(*text = scratch_alloc(n + 1)))
        return fail(s, "out of memory");
    memcpy(*text, start, n);
    (*text)[n] = '\0';
    return 0;
}

/* Stores v in *out; fails when jansson could not build it. */
static int made(scan *s, json_t **out, json_t *v)
{
    if (!(*out = v))
        return fail(s, "out of memory");
    return 0;
}

static int real(scan *s, const char *start, size_t n, json_t **out)
{
    char small[64], *text;
    if (number_text(s, start, n, small, sizeof small, &text))
        return -1;
    errno = 0;
    double d = strtod(text, NULL);
    bool over = (d == HUGE_VAL || d == -HUGE_VAL) && errno == ERANGE;
    if (text != small)
        scratch_free(text);
    if (over) {
        s->why = "a real number out of a double's range";
        return UNREP;
    }
    return made(s, out, json_real(d));
}

static int integer(scan *s, const char *start, size_t n, size_t digits, json_t **out)
{
    json_int_t v = 0;
    if (digits < 19) {
        for (const char *q = start + (*start == '-'); q < start + n; q++)
            v = v * 10 + (*q - '0');
        if (*start == '-')
            v = -v;
    } else {
        char small[32], *text = NULL;
        if (digits == 19 && number_text(s, start, n, small, sizeof small, &text))
            return -1;
        errno = 0;
        if (text)
            v = strtoll(text, NULL, 10);
        if (!text || errno == ERANGE) {
            s->why = "an integer out of range";
            return UNREP;
        }
    }
    return made(s, out, json_integer(v));
}

/* jansson reads one byte past a number or a literal and puts it back; a NUL byte put back is
 * lost, so one NUL right after such a token is skipped. Accept the same documents. */
static void drop_nul(scan *s)
{
    if (s->p < s->end && *s->p == '\0')
        s->p++;
}

static bool is_digit(const scan *s)
{
    return s->p < s->end && *s->p >= '0' && *s->p <= '9';
}

static size_t digits(scan *s)
{
    const char *from = s->p;
    while (is_digit(s))
        s->p++;
    return (size_t)(s->p - from);
}

/* The number at s->p, by jansson's grammar, into *out (out NULL: skipped, any size). */
static int number(scan *s, json_t **out)
{
    const char *start = s->p;
    if (*s->p == '-')
        s->p++;
    if (!is_digit(s))
        return fail(s, "invalid token");
    size_t int_digits = *s->p == '0' ? (s->p++, 1) : digits(s);
    bool is_real = false;
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        is_real = true;
        if (!digits(s))
            return fail(s, "invalid token");
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        is_real = true;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
            s->p++;
        if (!digits(s))
            return fail(s, "invalid token");
    }
    size_t n = (size_t)(s->p - start);
    drop_nul(s);
    if (!out)
        return 0;
    return is_real ? real(s, start, n, out) : integer(s, start, n, int_digits, out);
}

static int literal(scan *s, const char *word, size_t n)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n))
        return fail(s, "invalid token");
    s->p += n;
    drop_nul(s);
    return 0;
}

/* A kept literal at[0..s->p) that cannot be represented: inside a record, the record becomes a
 * reject (noted; the value reads as null); in records the decoder does not tell apart, or when
 * the caller takes no notes, the decode fails; in the envelope it reads as null. Returns 0, or
 * -1 when the decode fails. */
static int unrepresentable(scan *s, const char *at)
{
    if (s->in_record ? !s->want_bad : s->untracked > 0)
        return fail(s, s->why);
    if (s->in_record && !s->rec_why) {
        s->rec_why = s->why;
        s->rec_at = (size_t)(at - s->start);
        s->rec_len = (size_t)(s->p - at);
    }
    return 0;
}

static json_t *value(scan *s, const pnode *n);
static int skip(scan *s);

/* Where a member's value goes: kept with a projection, or NULL (skipped). */
static const pnode *member_of(const pnode *n, const char *k, size_t len)
{
    if (n->all)
        return n;
    const pnode *kid = lookup(n, k, len);
    return kid ? kid : n->rest ? &keep_all : NULL;
}

static const pnode *items_of(const pnode *n)
{
    if (n->all)
        return n;
    return n->items ? n->items : n->rest ? &keep_all : NULL;
}

/* After an item: ',' (more follow) returns 1, the closing bracket 0, else -1. */
static int next_item(scan *s, char close)
{
    skip_ws(s);
    if (s->p < s->end && *s->p == ',') {
        s->p++;
        skip_ws(s);
        return 1;
    }
    if (s->p < s->end && *s->p == close) {
        s->p++;
        return 0;
    }
    return fail(s, s->p < s->end ? "expected ',' or a closing bracket" : "premature end of input");
}

/* One member "key": value into obj (NULL: skip the value). A key that cannot be represented
 * matches no listed key; in an object kept whole its member is dropped, as unrepresentable. */
static int member(scan *s, const pnode *n, json_t *obj)
{
    const char *k = NULL, *at = s->p;
    size_t len = 0;
    char *owned = NULL;
    if (s->p >= s->end || *s->p != '"')
        return fail(s, "string or '}' expected");
    int krc = string(s, obj != NULL, &k, &len);
    if (krc < 0 || (krc == UNREP && (n->all || n->rest) && unrepresentable(s, at)))
        return -1;
    skip_ws(s);
    if (s->p >= s->end || *s->p != ':')
        return fail(s, "':' expected");
    s->p++;
    skip_ws(s);
    const pnode *kid = obj && krc == 0 ? member_of(n, k, len) : NULL;
    if (!kid)
        return skip(s);
    if (k == s->buf) { /* the value's strings reuse the buffer */
        if (!(owned = scratch_alloc(len + 1)))
            return fail(s, "out of memory");
        memcpy(owned, k, len);
        k = owned;
    }
    json_t *v = value(s, kid);
    int rc = v ? json_object_setn_new_nocheck(obj, k, len, v) : -1;
    scratch_free(owned);
    return rc ? fail(s, "out of memory") : 0;
}

/* The object at s->p ('{'); obj NULL skips it. */
static int object(scan *s, const pnode *n, json_t *obj)
{
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return 0;
    }
    int more;
    do {
        if (member(s, n, obj))
            return -1;
    } while ((more = next_item(s, '}')) == 1);
    return more;
}

/* The array at s->p ('['); arr NULL skips it. */
static int array(scan *s, const pnode *n, json_t *arr)
{
    const pnode *item = arr ? items_of(n) : NULL;
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return 0;
    }
    int more;
    do {
        if (!item) {
            if (skip(s))
                return -1;
            continue;
        }
        json_t *v = value(s, item);
        if (!v || json_array_append_new(arr, v))
            return v ? fail(s, "out of memory") : -1;
    } while ((more = next_item(s, ']')) == 1);
    return more;
}

static int enter(scan *s)
{
    if (++s->depth > JSON_PARSER_MAX_DEPTH)
        return fail(s, "maximum parsing depth reached");
    if (s->p >= s->end)
        return fail(s, "premature end of input");
    return 0;
}

static json_t *container(scan *s, const pnode *n)
{
    bool obj = *s->p == '{';
    json_t *v = obj ? json_object() : json_array();
    if (!v) {
        fail(s, "out of memory");
        return NULL;
    }
    if (obj ? object(s, n, v) : array(s, n, v)) {
        json_decref(v);
        return NULL;
    }
    return v;
}

/* The value at s->p, kept through projection n. */
static json_t *build(scan *s, const pnode *n)
{
    json_t *v = NULL;
    const char *str, *at = s->p;
    size_t len;
    int rc = 0;
    if (enter(s))
        return NULL;
    switch (*s->p) {
    case '{':
    case '[':
        v = container(s, n);
        break;
    case '"':
        if (!(rc = string(s, true, &str, &len)) && !(v = json_stringn_nocheck(str, len)))
            fail(s, "out of memory");
        break;
    case 't':
        v = literal(s, "true", 4) ? NULL : json_true();
        break;
    case 'f':
        v = literal(s, "false", 5) ? NULL : json_false();
        break;
    case 'n':
        v = literal(s, "null", 4) ? NULL : json_null();
        break;
    default:
        if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
            rc = number(s, &v);
        else
            fail(s, "invalid token");
    }
    if (rc == UNREP && !unrepresentable(s, at))
        v = json_null();
    s->depth--;
    return v;
}
/* Notes the record text[from, s->p) that holds a value which cannot be represented. */
static int note_bad(scan *s, size_t index, const char *from)
{
    jscan_bad b = {index, s->rec_why, s->start, s->rec_at, s->rec_len, from,
                   (size_t)(s->p - from)};
    return sl_jscan_note_bad(&s->bad, &b) ? fail(s, "out of memory") : 0;
}

/* An item of the records list, with what it holds that cannot be represented noted. */
static json_t *record(scan *s, const pnode *n)
{
    const char *from = s->p;
    int untracked = s->untracked;
    s->untracked = 0;
    s->in_record = true;
    s->rec_why = NULL;
    json_t *v = build(s, n);
    s->in_record = false;
    s->untracked = untracked;
    size_t index = s->rec_index++;
    if (v && s->rec_why && note_bad(s, index, from)) {
        json_decref(v);
        return NULL;
    }
    return v;
}

static json_t *value(scan *s, const pnode *n)
{
    if (n->record)
        return record(s, n);
    if (!n->records_inside)
        return build(s, n);
    s->untracked++;
    json_t *v = build(s, n);
    s->untracked--;
    return v;
}

/* Checks and steps over the value at s->p without building it. */
static int skip(scan *s)
{
    int rc;
    if (enter(s))
        return -1;
    switch (*s->p) {
    case '{':
        rc = object(s, NULL, NULL);
        break;
    case '[':
        rc = array(s, NULL, NULL);
        break;
    case '"':
        rc = string(s, false, NULL, NULL);
        break;
    case 't':
        rc = literal(s, "true", 4);
        break;
    case 'f':
        rc = literal(s, "false", 5);
        break;
    case 'n':
        rc = literal(s, "null", 4);
        break;
    default:
        if (*s->p == '-' || (*s->p >= '0' && *s->p <= '9'))
            rc = number(s, NULL);
        else
            rc = fail(s, "invalid token");
    }
    s->depth--;
    return rc;
}

json_t *sl_jscan_decode(const sl_jscan *js, const char *buf, size_t len, json_t **bad,
                        sl_error *err)
{
    scan s = {.start = buf, .p = buf, .end = buf + len, .err = err, .want_bad = bad != NULL};
    json_t *doc = NULL;
    skip_ws(&s);
    if (s.p >= s.end || (*s.p != '{' && *s.p != '['))
        fail(&s, "'[' or '{' expected");
    else if ((doc = value(&s, js->root))) {
        skip_ws(&s);
        if (s.p != s.end) {
            fail(&s, "end of file expected");
            json_decref(doc);
            doc = NULL;
        }
    }
    scratch_free(s.buf);
    if (!doc) {
        json_decref(s.bad);
        s.bad = NULL;
    }
    if (bad)
        *bad = s.bad;
    return doc;
}
