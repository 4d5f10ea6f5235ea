/* diag.c: see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "text.h"

enum {
    DIAG_MAX = 1000,    /* a file with more problems than this is not worth listing further */
    DIAG_MSG_MAX = 1023 /* bytes of a message before escaping */
};

typedef struct diag_item {
    sl_pos pos;
    bool warning;
    char *msg;
} diag_item;

struct sl_diag {
    char *file;
    char *text;
    size_t text_len;
    diag_item *items;
    size_t n_items;
    size_t cap_items;
    size_t n_errors;
};

sl_diag *sl_diag_new(const char *file)
{
    sl_diag *diag = calloc(1, sizeof *diag);
    if (!diag)
        return NULL;
    diag->file = strdup(file ? file : "-");
    if (!diag->file) {
        free(diag);
        return NULL;
    }
    return diag;
}

void sl_diag_free(sl_diag *diag)
{
    if (!diag)
        return;
    for (size_t i = 0; i < diag->n_items; i++)
        free(diag->items[i].msg);
    free(diag->items);
    free(diag->text);
    free(diag->file);
    free(diag);
}

void sl_diag_set_source(sl_diag *diag, const char *text, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return;
    memcpy(copy, text, len);
    copy[len] = '\0';
    free(diag->text);
    diag->text = copy;
    diag->text_len = len;
}

/* fmt formatted into a new string (owned), NULL when out of memory. */
static char *format_new(const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, again);
    va_end(again);
    return s;
}

static void add(sl_diag *diag, sl_pos pos, bool warning, const char *fmt, va_list ap)
{
    if (!warning)
        diag->n_errors++;
    if (diag->n_items >= DIAG_MAX)
        return;
    diag_item *items =
        sl_grow(diag->items, &diag->cap_items, diag->n_items + 1, sizeof *items, 16);
    if (!items)
        return;
    diag->items = items;
    char *full = format_new(fmt, ap), *msg;
    if (!full)
        return;
    sl_text_cut(full, DIAG_MSG_MAX); /* on a character boundary */
    /* a message quotes the job's values: one diagnostic stays one line on a terminal */
    msg = sl_text_escape_new(full, strlen(full), 4 * DIAG_MSG_MAX);
    free(full);
    if (!msg)
        return;
    diag->items[diag->n_items++] = (diag_item){pos, warning, msg};
}

static void add_fmt(sl_diag *diag, sl_pos pos, bool warning, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void add_fmt(sl_diag *diag, sl_pos pos, bool warning, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(diag, pos, warning, fmt, ap);
    va_end(ap);
}

void sl_diag_absorb(sl_diag *diag, const sl_diag *from, sl_pos at)
{
    size_t shown = 0;
    for (size_t i = 0; i < from->n_items; i++) {
        const diag_item *it = &from->items[i];
        shown += !it->warning;
        if (it->pos.line > 0)
            add_fmt(diag, at, it->warning, "%s:%d:%d: %s", from->file, it->pos.line, it->pos.col,
                    it->msg);
        else
            add_fmt(diag, at, it->warning, "%s: %s", from->file, it->msg);
    }
    diag->n_errors += from->n_errors - shown; /* past DIAG_MAX: counted only */
}

void sl_diag_error(sl_diag *diag, sl_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(diag, pos, false, fmt, ap);
    va_end(ap);
}

void sl_diag_warning(sl_diag *diag, sl_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(diag, pos, true, fmt, ap);
    va_end(ap);
}

void sl_diag_rewrite(sl_diag *diag, void (*fn)(const void *ctx, char *buf, size_t cap),
                     const void *ctx)
{
    for (size_t i = 0; i < diag->n_items; i++) {
        char buf[1024];
        snprintf(buf, sizeof buf, "%s", diag->items[i].msg);
        fn(ctx, buf, sizeof buf);
        char *msg = strdup(buf);
        if (!msg) { /* keep nothing rather than the unmasked text */
            diag->items[i].msg[0] = '\0';
            continue;
        }
        free(diag->items[i].msg);
        diag->items[i].msg = msg;
    }
}

size_t sl_diag_errors(const sl_diag *diag)
{
    return diag->n_errors;
}

size_t sl_diag_count(const sl_diag *diag)
{
    return diag->n_items;
}

/* Length of the line break at p (0 if none), as libyaml counts lines: CR LF, CR, LF, NEL,
 * LS and PS. */
static size_t line_break(const char *p, const char *end)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t left = (size_t)(end - p);
    if (left >= 2 && u[0] == '\r' && u[1] == '\n')
        return 2;
    if (u[0] == '\r' || u[0] == '\n')
        return 1;
    if (left >= 2 && u[0] == 0xC2 && u[1] == 0x85)
        return 2;
    if (left >= 3 && u[0] == 0xE2 && u[1] == 0x80 && (u[2] == 0xA8 || u[2] == 0xA9))
        return 3;
    return 0;
}

/* Finds line `line` (1-based) of the source; returns its start and sets *len, or NULL. */
static const char *source_line(const sl_diag *diag, int line, size_t *len)
{
    if (!diag->text || line < 1)
        return NULL;
    const char *p = diag->text, *end = diag->text + diag->text_len;
    for (int l = 1; l < line; l++) {
        while (p < end && !line_break(p, end))
            p++;
        if (p == end)
            return NULL;
        p += line_break(p, end);
    }
    const char *e = p;
    while (e < end && !line_break(e, end))
        e++;
    *len = (size_t)(e - p);
    return p;
}

enum { EXCERPT_MAX = 120 }; /* bytes of a source line shown around the caret */

/* Byte offset of character column col (1-based) in line, or len when the line is shorter. */
static size_t col_offset(const char *line, size_t len, int col)
{
    size_t i = 0;
    for (int c = 1; c < col && i < len; c++)
        while (++i < len && ((unsigned char)line[i] & 0xC0) == 0x80)
            ;
    return i;
}

/* Moves off back to the start of the UTF-8 character it falls in. */
static size_t char_start(const char *line, size_t off)
{
    while (off > 0 && ((unsigned char)line[off] & 0xC0) == 0x80)
        off--;
    return off;
}

/* Whether the n-byte character at s (n = 0: an invalid byte) prints as itself: valid UTF-8
 * and no control character but tab (C0, DEL, C1). */
static bool printable(const char *s, size_t n)
{
    unsigned char c = (unsigned char)s[0];
    if (n == 1)
        return (c >= 0x20 && c != 0x7F) || c == '\t';
    return n > 1 && !(n == 2 && c == 0xC2 && (unsigned char)s[1] < 0xA0);
}

/* Writes line[from..to) with every invalid byte and control character escaped as
 * sl_text_escape does, so the excerpt of any file is valid UTF-8 and one line; with pad, writes
 * instead the blanks that put a caret under the next character (tabs kept as tabs). */
static void put_excerpt(FILE *out, const char *line, size_t from, size_t to, bool pad)
{
    for (size_t i = from; i < to;) {
        size_t n = sl_text_char_len(line + i, to - i);
        bool as_is = printable(line + i, n);
        char esc[16] = "";
        if (!as_is)
            sl_text_escape(esc, sizeof esc, line + i, n ? n : 1);
        if (!pad && as_is)
            fwrite(line + i, 1, n, out);
        else if (!pad)
            fputs(esc, out);
        else
            fprintf(out, "%*s", as_is ? 1 : (int)strlen(esc), line[i] == '\t' ? "\t" : " ");
        i += n ? n : 1;
    }
}

/* Prints the source line and a caret under column col (counted in characters, not bytes);
 * tabs before the column are repeated so the caret lines up. A long line is cut to about
 * EXCERPT_MAX bytes around the caret, marked with "..."; invalid bytes and control characters
 * are escaped (a job file is not always UTF-8). */
static void print_excerpt(const sl_diag *diag, sl_pos pos, FILE *out)
{
    size_t len;
    const char *line = source_line(diag, pos.line, &len);
    if (!line)
        return;
    size_t caret = col_offset(line, len, pos.col), from = 0, to = len;
    if (len > EXCERPT_MAX) {
        from = char_start(line, caret > EXCERPT_MAX / 2 ? caret - EXCERPT_MAX / 2 : 0);
        to = from + EXCERPT_MAX < len ? char_start(line, from + EXCERPT_MAX) : len;
    }
    fprintf(out, "%5d | %s", pos.line, from > 0 ? "..." : "");
    put_excerpt(out, line, from, to, false);
    fprintf(out, "%s\n      | %s", to < len ? "..." : "", from > 0 ? "   " : "");
    put_excerpt(out, line, from, caret < to ? caret : to, true);
    fputs("^\n", out);
}

static int cmp_pos(const void *a, const void *b)
{
    const diag_item *x = *(diag_item *const *)a, *y = *(diag_item *const *)b;
    if (x->pos.line != y->pos.line)
        return x->pos.line < y->pos.line ? -1 : 1;
    if (x->pos.col != y->pos.col)
        return x->pos.col < y->pos.col ? -1 : 1;
    return x < y ? -1 : x > y; /* stable: keep the order of reporting */
}

void sl_diag_print(const sl_diag *diag, FILE *out)
{
    diag_item **order = malloc((diag->n_items + 1) * sizeof *order);
    if (!order)
        return;
    for (size_t i = 0; i < diag->n_items; i++)
        order[i] = &diag->items[i];
    qsort(order, diag->n_items, sizeof *order, cmp_pos);
    for (size_t i = 0; i < diag->n_items; i++) {
        const diag_item *it = order[i];
        const char *kind = it->warning ? "warning" : "error";
        if (it->pos.line > 0)
            fprintf(out, "%s:%d:%d: %s: %s\n", diag->file, it->pos.line, it->pos.col, kind, it->msg);
        else
            fprintf(out, "%s: %s: %s\n", diag->file, kind, it->msg);
        print_excerpt(diag, it->pos, out);
    }
    free(order);
    if (diag->n_errors == 1)
        fputs("1 error\n", out);
    else if (diag->n_errors > 1)
        fprintf(out, "%zu errors\n", diag->n_errors);
}
