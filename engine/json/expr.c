/* expr.c: see expr.h. A recursive-descent parser into a small tree. Parsing depth and the
 * tree's size are capped, so neither the parser nor the recursive evaluation and free can go
 * as deep as a long input (a chain a || b || ... nests one level per operator). */
#include "expr.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "grow.h"
#include "headers.h"
#include "jpath.h"
#include "regex.h"


typedef enum node_kind {
    N_OR, N_AND, N_NOT, N_CMP, N_PATH, N_STATUS, N_HEADER, N_NUM, N_STR, N_BOOL, N_NULL,
} node_kind;

typedef enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE, OP_MATCH, OP_NOMATCH } cmp_op;

typedef struct node node;
struct node {
    node_kind kind;
    cmp_op op;
    node *a, *b;
    sl_jpath *path;
    sl_regex *re;
    double num;
    bool b_val;
    char *str; /* a string literal, or N_HEADER's header name */
};

struct sl_expr {
    node *root;
    char *text;
    bool numeric_text; /* two texts that read as numbers compare as numbers */
};

typedef struct parser {
    const char *text;
    size_t pos;
    int depth;
    int n_nodes;
    sl_error *err;
    int err_col;
} parser;

static void node_free(node *n)
{
    if (!n)
        return;
    node_free(n->a);
    node_free(n->b);
    sl_jpath_free(n->path);
    sl_regex_free(n->re);
    free(n->str);
    free(n);
}

/* Records the first problem; at is a byte offset, reported as a 1-based character column. */
static node *fail(parser *p, size_t at, const char *msg)
{
    if (p->err_col == 0) {
        sl_error_set(p->err, SL_ERR_CONFIG, "%s", msg);
        int col = 1;
        for (size_t i = 0; i < at && p->text[i]; i++)
            col += ((unsigned char)p->text[i] & 0xC0) != 0x80;
        p->err_col = col;
    }
    return NULL;
}

static void skip_ws(parser *p)
{
    while (p->text[p->pos] == ' ' || p->text[p->pos] == '\t' || p->text[p->pos] == '\n' ||
           p->text[p->pos] == '\r')
        p->pos++;
}

static bool accept(parser *p, const char *tok)
{
    skip_ws(p);
    size_t n = strlen(tok);
    if (strncmp(p->text + p->pos, tok, n) != 0)
        return false;
    p->pos += n;
    return true;
}

static node *new_node(parser *p, node_kind kind)
{
    if (++p->n_nodes > SL_EXPR_MAX_NODES) {
        char msg[80];
        snprintf(msg, sizeof msg, "condition too complex: at most %d operands and operators",
                 SL_EXPR_MAX_NODES);
        return fail(p, p->pos, msg);
    }
    node *n = calloc(1, sizeof *n);
    if (!n)
        fail(p, p->pos, "out of memory");
    else
        n->kind = kind;
    return n;
}

static node *parse_or(parser *p);

static node *parse_string(parser *p)
{
    size_t start = p->pos++;
    size_t cap = 0, len = 0;
    char *buf = NULL;
    for (;;) {
        char *nb = sl_grow(buf, &cap, len + 2, 1, 64); /* room for c and the NUL */
        if (!nb) {
            free(buf);
            return fail(p, start, "out of memory");
        }
        buf = nb;
        char c = p->text[p->pos];
        if (c == '\0') {
            free(buf);
            return fail(p, start, "unterminated string");
        }
        p->pos++;
        if (c == '"')
            break;
        if (c == '\\' && (p->text[p->pos] == '"' || p->text[p->pos] == '\\'))
            c = p->text[p->pos++]; /* other escapes stay as written: they are regex syntax */
        buf[len++] = c;
    }
    buf[len] = '\0';
    node *n = new_node(p, N_STR);
    if (!n)
        free(buf);
    else
        n->str = buf;
    return n;
}

static node *parse_number(parser *p)
{
    size_t start = p->pos;
    char *end;
    double v = strtod(p->text + p->pos, &end);
    size_t len = (size_t)(end - (p->text + p->pos));
    if (len == 0 || !isfinite(v))
        return fail(p, start, "malformed number");
    node *n = new_node(p, N_NUM);
    if (n && !(n->str = strndup(p->text + p->pos, len))) {
        node_free(n);
        return fail(p, start, "out of memory");
    }
    p->pos += len;
    if (n)
        n->num = v;
    return n;
}

static bool path_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c == '[' || c == ']' || c == '*' || c == '$';
}

static node *parse_word(parser *p)
{
    size_t start = p->pos, len = 0;
    while (path_char(p->text[start + len]))
        len++;
    p->pos += len;
    char word[512];
    if (len >= sizeof word)
        return fail(p, start, "path too long");
    memcpy(word, p->text + start, len);
    word[len] = '\0';
    node *n;
    if (!strcmp(word, "true") || !strcmp(word, "false")) {
        if ((n = new_node(p, N_BOOL)))
            n->b_val = word[0] == 't';
        return n;
    }
    if (!strcmp(word, "null"))
        return new_node(p, N_NULL);
    sl_error jerr = {0};
    sl_jpath *path = sl_jpath_compile(word, &jerr);
    if (!path) {
        char msg[sizeof word + sizeof jerr.msg + 16];
        snprintf(msg, sizeof msg, "bad path '%s': %s", word, jerr.msg);
        return fail(p, start, msg);
    }
    if (sl_jpath_is_multi(path)) {
        sl_jpath_free(path);
        return fail(p, start, "a condition's path can't use [*]");
    }
    if (!(n = new_node(p, N_PATH)))
        sl_jpath_free(path);
    else
        n->path = path;
    return n;
}

/* A header name's characters (RFC 9110 token, without the few a condition uses itself). */
static bool header_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c && strchr("-_.^`~+#$%'*", c));
}

/* @status, or @header.NAME: the value of the reply's header NAME (any case) as a string. */
static node *parse_property(parser *p)
{
    const char *at = p->text + p->pos;
    if (strncmp(at, "@status", 7) == 0 && !path_char(at[7])) {
        p->pos += 7;
        return new_node(p, N_STATUS);
    }
    if (strncmp(at, "@header.", 8) != 0)
        return fail(p, p->pos, "unknown reply property (use @status or @header.NAME)");
    size_t len = 0;
    while (header_char(at[8 + len]))
        len++;
    if (len == 0)
        return fail(p, p->pos + 8, "@header. needs a header name, e.g. @header.retry-after");
    node *n = new_node(p, N_HEADER);
    if (n && !(n->str = strndup(at + 8, len))) {
        node_free(n);
        return fail(p, p->pos, "out of memory");
    }
    p->pos += 8 + len;
    return n;
}

static node *parse_operand(parser *p)
{
    skip_ws(p);
    char c = p->text[p->pos];
    if (c == '(') {
        p->pos++;
        node *n = parse_or(p);
        if (n && !accept(p, ")")) {
            node_free(n);
            return fail(p, p->pos, "expected ')'");
        }
        return n;
    }
    if (c == '"')
        return parse_string(p);
    if (c == '@')
        return parse_property(p);
    if ((c >= '0' && c <= '9') || c == '-')
        return parse_number(p);
    if (c && path_char(c))
        return parse_word(p);
    return fail(p, p->pos, c ? "expected a path, a number, a string or '('"
                             : "unexpected end of condition");
}

static bool parse_op(parser *p, cmp_op *op)
{
    static const struct {
        const char *tok;
        cmp_op op;
    } ops[] = {{"==", OP_EQ},    {"!=", OP_NE}, {"=~", OP_MATCH}, {"!~", OP_NOMATCH},
               {"<=", OP_LE},    {">=", OP_GE}, {"<", OP_LT},     {">", OP_GT}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (accept(p, ops[i].tok)) {
            *op = ops[i].op;
            return true;
        }
    return false;
}

static node *compile_match(parser *p, node *cmp, size_t at)
{
    if (cmp->b->kind != N_STR) {
        node_free(cmp);
        return fail(p, at, "=~ and !~ need a \"pattern\" string on the right");
    }
    sl_error rerr = {0};
    size_t off = 0;
    cmp->re = sl_regex_compile(cmp->b->str, &rerr, &off);
    if (!cmp->re) {
        node_free(cmp);
        return fail(p, at + 1 + off, rerr.msg); /* +1: the opening quote */
    }
    return cmp;
}

static node *parse_cmp(parser *p)
{
    node *a = parse_operand(p);
    cmp_op op;
    if (!a || !parse_op(p, &op))
        return a;
    skip_ws(p);
    size_t at = p->pos;
    node *cmp = new_node(p, N_CMP);
    if (!cmp) {
        node_free(a);
        return NULL;
    }
    cmp->op = op;
    cmp->a = a;
    cmp->b = parse_operand(p);
    if (!cmp->b) {
        node_free(cmp);
        return NULL;
    }
    if (op == OP_MATCH || op == OP_NOMATCH)
        return compile_match(p, cmp, at);
    return cmp;
}

static node *parse_unary(parser *p)
{
    if (++p->depth > SL_EXPR_MAX_DEPTH)
        return fail(p, p->pos, "condition nested too deeply");
    node *n;
    skip_ws(p);
    if (p->text[p->pos] == '!' && p->text[p->pos + 1] != '=' && p->text[p->pos + 1] != '~') {
        p->pos++;
        node *inner = parse_unary(p);
        n = inner ? new_node(p, N_NOT) : NULL;
        if (n)
            n->a = inner;
        else
            node_free(inner);
    } else {
        n = parse_cmp(p);
    }
    p->depth--;
    return n;
}

static node *parse_binary(parser *p, node_kind kind)
{
    const char *tok = kind == N_OR ? "||" : "&&";
    node *left = kind == N_OR ? parse_binary(p, N_AND) : parse_unary(p);
    while (left && accept(p, tok)) {
        node *right = kind == N_OR ? parse_binary(p, N_AND) : parse_unary(p);
        node *n = right ? new_node(p, kind) : NULL;
        if (!n) {
            node_free(left);
            node_free(right);
            return NULL;
        }
        n->a = left;
        n->b = right;
        left = n;
    }
    return left;
}

static node *parse_or(parser *p)
{
    if (++p->depth > SL_EXPR_MAX_DEPTH)
        return fail(p, p->pos, "condition nested too deeply");
    node *n = parse_binary(p, N_OR);
    p->depth--;
    return n;
}

sl_expr *sl_expr_compile(const char *text, sl_error *err, int *err_col)
{
    parser p = {.text = text, .err = err};
    node *root = NULL;
    if (strlen(text) > SL_EXPR_MAX_TEXT)
        fail(&p, 0, "condition too long");
    else if ((root = parse_or(&p)) != NULL) {
        skip_ws(&p);
        if (text[p.pos] != '\0') {
            const char *msg = (text[p.pos] == '=' || text[p.pos] == '&' || text[p.pos] == '|')
                                  ? "unknown operator (use == != =~ !~ < <= > >= && || !)"
                                  : "expected an operator or the end of the condition";
            fail(&p, p.pos, msg);
            node_free(root);
            root = NULL;
        }
    }
    sl_expr *e = root ? calloc(1, sizeof *e) : NULL;
    if (e && !(e->text = strdup(text))) {
        free(e);
        e = NULL;
    }
    if (!e) {
        node_free(root);
        if (err_col)
            *err_col = p.err_col ? p.err_col : 1;
        if (root)
            sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
        return NULL;
    }
    e->root = root;
    return e;
}

/* ---- evaluation ------------------------------------------------------------------------ */

/* What a condition reads: the reply's decoded body, its HTTP status (a JSON integer) and the
 * headers it names (an object by header name, as written in the condition, of strings). */
typedef struct ectx {
    const json_t *doc;
    const json_t *status;
    const json_t *headers;
    bool numeric_text;
} ectx;

/* Paths and @status take their value from the reply; the other operands hold their own. */
static bool from_reply(const node *n)
{
    return n->kind == N_PATH || n->kind == N_STATUS || n->kind == N_HEADER;
}

/* The JSON value of an operand; *missing when a path finds nothing. Literals return NULL. */
static const json_t *operand_value(const node *n, const ectx *cx, bool *missing)
{
    *missing = false;
    if (n->kind == N_STATUS)
        return cx->status;
    if (n->kind != N_PATH && n->kind != N_HEADER)
        return NULL;
    const json_t *v = n->kind == N_HEADER ? json_object_get(cx->headers, n->str)
                                          : sl_jpath_get(n->path, cx->doc);
    *missing = v == NULL;
    return v;
}

static bool as_number(const node *lit, const json_t *v, double *out)
{
    if (lit) {
        if (lit->kind != N_NUM)
            return false;
        *out = lit->num;
        return true;
    }
    if (json_is_number(v)) {
        *out = json_number_value(v);
        return true;
    }
    if (json_is_string(v) && json_string_length(v) > 0) {
        char *end;
        *out = strtod(json_string_value(v), &end);
        return *end == '\0';
    }
    return false;
}

static const char *as_string(const node *lit, const json_t *v, char *buf, size_t len)
{
    if (lit)
        return lit->kind == N_STR ? lit->str : NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (json_is_integer(v)) {
        snprintf(buf, len, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return buf;
    }
    if (json_is_real(v)) {
        snprintf(buf, len, "%.17g", json_real_value(v));
        return buf;
    }
    return NULL;
}

/* The operand as an exact decimal: a literal's own text, a JSON integer, a double's shortest
 * digits, or a string holding a plain decimal number. */
static bool as_dec(const node *lit, const json_t *v, sl_dec *d)
{
    if (lit) {
        if (lit->kind != N_NUM)
            return false;
        return sl_dec_from_text(d, lit->str, strlen(lit->str));
    }
    if (json_is_integer(v))
        return sl_dec_from_int(d, json_integer_value(v)), true;
    if (json_is_real(v))
        return sl_dec_from_double(d, json_real_value(v)), true;
    return json_is_string(v) && sl_dec_from_text(d, json_string_value(v), json_string_length(v));
}

/* Numbers compare exactly as decimals (money is never rounded through a double); a string
 * that reads as a number only in strtod's looser syntax falls back to doubles. -2: not
 * numbers. */
static int compare_numbers(const node *la, const json_t *va, const node *lb, const json_t *vb)
{
    sl_dec a, b;
    double x, y;
    if (as_dec(la, va, &a) && as_dec(lb, vb, &b))
        return sl_dec_cmp(&a, &b);
    if (as_number(la, va, &x) && as_number(lb, vb, &y))
        return x < y ? -1 : x > y;
    return -2;
}

/* -2: not comparable; else -1 / 0 / 1. */
static int compare(const node *la, const json_t *va, const node *lb, const json_t *vb,
                   bool numeric_text)
{
    bool num_a = la ? la->kind == N_NUM : json_is_number(va);
    bool num_b = lb ? lb->kind == N_NUM : json_is_number(vb);
    sl_dec da, db;
    if (numeric_text && !num_a && !num_b && as_dec(la, va, &da) && as_dec(lb, vb, &db))
        return sl_dec_cmp(&da, &db);
    int nc = num_a || num_b ? compare_numbers(la, va, lb, vb) : -2;
    if (nc != -2)
        return nc;
    char ba[64], bb[64];
    const char *sa = as_string(la, va, ba, sizeof ba), *sb = as_string(lb, vb, bb, sizeof bb);
    if (sa && sb && !num_a && !num_b) {
        int c = strcmp(sa, sb);
        return c < 0 ? -1 : c > 0;
    }
    bool bool_a = la ? la->kind == N_BOOL : json_is_boolean(va);
    bool bool_b = lb ? lb->kind == N_BOOL : json_is_boolean(vb);
    if (bool_a && bool_b) {
        bool x_b = la ? la->b_val : json_is_true(va), y_b = lb ? lb->b_val : json_is_true(vb);
        return x_b == y_b ? 0 : -2;
    }
    bool null_a = la ? la->kind == N_NULL : json_is_null(va);
    bool null_b = lb ? lb->kind == N_NULL : json_is_null(vb);
    if (null_a && null_b)
        return 0;
    return -2;
}

static bool eval_match(const node *n, const ectx *cx)
{
    bool missing;
    const json_t *v = operand_value(n->a, cx, &missing);
    char buf[64];
    const char *s = missing ? NULL : as_string(from_reply(n->a) ? NULL : n->a, v, buf,
                                               sizeof buf);
    sl_regex_rc rc = s ? sl_regex_match(n->re, s, strlen(s)) : SL_RE_NOMATCH;
    if (rc == SL_RE_FAILED)
        return false; /* undecided: neither =~ nor !~ holds */
    return n->op == OP_MATCH ? rc == SL_RE_MATCHED : rc == SL_RE_NOMATCH;
}

static bool eval_cmp(const node *n, const ectx *cx)
{
    if (n->op == OP_MATCH || n->op == OP_NOMATCH)
        return eval_match(n, cx);
    bool miss_a, miss_b;
    const json_t *va = operand_value(n->a, cx, &miss_a);
    const json_t *vb = operand_value(n->b, cx, &miss_b);
    if (miss_a || miss_b)
        return n->op == OP_NE;
    int c = compare(from_reply(n->a) ? NULL : n->a, va, from_reply(n->b) ? NULL : n->b,
                    vb, cx->numeric_text);
    switch (n->op) {
    case OP_EQ: return c == 0;
    case OP_NE: return c != 0;
    case OP_LT: return c == -1;
    case OP_LE: return c == -1 || c == 0;
    case OP_GT: return c == 1;
    case OP_GE: return c == 1 || c == 0;
    default: return false;
    }
}

static bool truthy(const node *n, const ectx *cx)
{
    switch (n->kind) {
    case N_NUM: return n->num != 0;
    case N_STR: return n->str[0] != '\0';
    case N_BOOL: return n->b_val;
    case N_NULL: return false;
    case N_STATUS: return true;
    default: break;
    }
    bool missing;
    const json_t *v = operand_value(n, cx, &missing);
    if (!v || json_is_null(v) || json_is_false(v))
        return false;
    if (json_is_number(v))
        return json_number_value(v) != 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    return true;
}

static bool eval(const node *n, const ectx *cx)
{
    switch (n->kind) {
    case N_OR: return eval(n->a, cx) || eval(n->b, cx);
    case N_AND: return eval(n->a, cx) && eval(n->b, cx);
    case N_NOT: return !eval(n->a, cx);
    case N_CMP: return eval_cmp(n, cx);
    default: return truthy(n, cx);
    }
}

/* Adds the value of every header the condition names (found in h) to obj; false when out of
 * memory. */
static bool named_headers(const node *n, const sl_headers *h, json_t *obj)
{
    if (!n)
        return true;
    if (n->kind == N_HEADER) {
        const char *v = sl_headers_get(h, n->str);
        if (v && json_object_set_new(obj, n->str, json_string(v)) != 0)
            return false;
    }
    return named_headers(n->a, h, obj) && named_headers(n->b, h, obj);
}

bool sl_expr_eval_http(const sl_expr *e, const json_t *doc, long status, const sl_headers *h)
{
    json_t *st = json_integer(status), *hv = json_object();
    bool r = false; /* out of memory: no rule matches, the reply is read as a page */
    if (st && hv && named_headers(e->root, h, hv)) {
        ectx cx = {.doc = doc, .status = st, .headers = hv, .numeric_text = e->numeric_text};
        r = eval(e->root, &cx);
    }
    json_decref(st);
    json_decref(hv);
    return r;
}

bool sl_expr_eval_reply(const sl_expr *e, const json_t *doc, long status)
{
    return sl_expr_eval_http(e, doc, status, NULL);
}

bool sl_expr_eval(const sl_expr *e, const json_t *doc)
{
    return sl_expr_eval_reply(e, doc, 200);
}

static bool node_uses_status(const node *n)
{
    return n && (n->kind == N_STATUS || node_uses_status(n->a) || node_uses_status(n->b));
}

bool sl_expr_uses_status(const sl_expr *e)
{
    return node_uses_status(e->root);
}

void sl_expr_set_numeric_text(sl_expr *e)
{
    e->numeric_text = true;
}

const char *sl_expr_text(const sl_expr *e)
{
    return e->text;
}

void sl_expr_free(sl_expr *e)
{
    if (!e)
        return;
    node_free(e->root);
    free(e->text);
    free(e);
}

static void node_paths(const node *n, void (*fn)(const sl_jpath *path, void *ctx), void *ctx)
{
    if (!n)
        return;
    node_paths(n->a, fn, ctx);
    node_paths(n->b, fn, ctx);
    if (n->kind == N_PATH)
        fn(n->path, ctx);
}

void sl_expr_paths(const sl_expr *e, void (*fn)(const sl_jpath *path, void *ctx), void *ctx)
{
    node_paths(e->root, fn, ctx);
}
