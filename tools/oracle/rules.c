/* rules.c: parser of the oracle's rules file and the DDL it implies. One directive a line:
 *   table NAME KEY [window=COLUMN]
 *   child NAME KEY each=FIELD [of=TABLE]     (a child of TABLE, else of the last `table`)
 *   col NAME TYPE PATH [from=epoch_ms|epoch_s|iso|string|minor] [tz=+HH:MM] [default=TEXT]
 *       [truncate] [required]
 *   col NAME parent PARENT_COLUMN
 *   personal keep=FIRST,LAST [key_env=NAME]   (mask widths; the HMAC key, hex, from $NAME)
 * A col's personal=mask|hash|drop stores its value masked, as HMAC-SHA256 hex, or NULL.
 * from=iso reads ISO-8601 with any zone into tz (default UTC), fractions of a second cut;
 * from=minor reads a decimal as an integer count of its last unit (cents for decimal(P,2)).
 * TYPE: bigint int varchar(N) decimal(P,S) datetime bool. `#` starts a comment. */
#include "rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TOK 16

typedef struct parser {
    const char *path;
    int line;
    char *err;
    size_t errlen;
    orc_rules *r;
} parser;

static int perr(parser *p, const char *msg, const char *what)
{
    snprintf(p->err, p->errlen, "%s:%d: %s%s%s", p->path, p->line, msg, what ? " " : "",
             what ? what : "");
    return -1;
}

static int tokenize(char *s, char **tok)
{
    int n = 0;
    char *save = NULL;
    char *hash = strchr(s, '#');
    if (hash)
        *hash = '\0';
    for (char *t = strtok_r(s, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
        if (n == MAX_TOK)
            return -1;
        tok[n++] = t;
    }
    return n;
}

static int copy_name(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n == 0 || n >= cap)
        return -1;
    memcpy(dst, src, n + 1);
    return 0;
}

static int find_col(const orc_table *t, const char *name)
{
    for (int i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return i;
    return -1;
}

/* The index of an already declared table, or -1. */
static int find_table(const orc_rules *r, const char *name)
{
    for (int i = 0; i < r->ntables; i++)
        if (strcmp(r->tables[i].name, name) == 0)
            return i;
    return -1;
}

static int parse_tz(const char *s, int *off)
{
    unsigned h, m;
    char sign;
    if (strcmp(s, "Z") == 0 || strcmp(s, "UTC") == 0) {
        *off = 0;
        return 0;
    }
    if (sscanf(s, "%c%2u:%2u", &sign, &h, &m) != 3 || (sign != '+' && sign != '-') || h > 14 ||
        m > 59 || strlen(s) != 6)
        return -1;
    *off = (sign == '-' ? -1 : 1) * (int)(h * 3600 + m * 60);
    return 0;
}

static int parse_type(orc_col *c, const char *s)
{
    char tail;
    if (strcmp(s, "bigint") == 0)
        c->type = ORC_BIGINT;
    else if (strcmp(s, "int") == 0)
        c->type = ORC_INT;
    else if (strcmp(s, "datetime") == 0)
        c->type = ORC_DATETIME;
    else if (strcmp(s, "bool") == 0)
        c->type = ORC_BOOL;
    else if (sscanf(s, "varchar(%d%c", &c->len, &tail) == 2 && tail == ')' && c->len > 0)
        c->type = ORC_VARCHAR;
    else if (sscanf(s, "decimal(%d,%d%c", &c->len, &c->scale, &tail) == 3 && tail == ')' &&
             c->len > 0 && c->len <= 65 && c->scale >= 0 && c->scale <= 30 && c->scale <= c->len)
        c->type = ORC_DECIMAL;
    else
        return -1;
    return 0;
}

static int parse_option(parser *p, orc_col *c, const char *o)
{
    if (strcmp(o, "truncate") == 0)
        c->truncate = 1;
    else if (strcmp(o, "required") == 0)
        c->required = 1;
    else if (strcmp(o, "from=epoch_ms") == 0)
        c->from = ORC_FROM_EPOCH_MS;
    else if (strcmp(o, "from=string") == 0)
        c->from = ORC_FROM_STRING;
    else if (strcmp(o, "from=epoch_s") == 0)
        c->from = ORC_FROM_EPOCH_S;
    else if (strcmp(o, "from=iso") == 0)
        c->from = ORC_FROM_ISO;
    else if (strcmp(o, "from=minor") == 0)
        c->from = ORC_FROM_MINOR;
    else if (strncmp(o, "tz=", 3) == 0) {
        if (parse_tz(o + 3, &c->tz_offset_s) < 0)
            return perr(p, "bad zone", o);
    } else if (strcmp(o, "personal=mask") == 0) {
        c->pii = ORC_PII_MASK;
    } else if (strcmp(o, "personal=hash") == 0) {
        c->pii = ORC_PII_HASH;
        if (p->r->personal.key_len == 0)
            return perr(p, "personal=hash before a `personal ... key_env=NAME` line", NULL);
    } else if (strcmp(o, "personal=drop") == 0) {
        c->pii = ORC_PII_DROP;
    } else if (strncmp(o, "default=", 8) == 0) {
        const char *v = o + 8;
        size_t n = strlen(v);
        if (n >= 2 && v[0] == '"' && v[n - 1] == '"') { /* default="" is the empty string */
            v++;
            n -= 2;
        }
        if (n >= sizeof c->def)
            return perr(p, "default too long", NULL);
        memcpy(c->def, v, n);
        c->def[n] = '\0';
        c->has_default = 1;
    } else
        return perr(p, "unknown option", o);
    return 0;
}

static int parse_col(parser *p, char **tok, int n)
{
    orc_table *t;
    orc_col *c;
    if (p->r->ntables == 0)
        return perr(p, "col before any table", NULL);
    t = &p->r->tables[p->r->ntables - 1];
    if (n < 4)
        return perr(p, "expected: col NAME TYPE PATH [options]", NULL);
    if (t->ncols == ORC_MAX_COLS)
        return perr(p, "too many columns", NULL);
    c = &t->cols[t->ncols];
    memset(c, 0, sizeof *c);
    if (copy_name(c->name, sizeof c->name, tok[1]) < 0 || find_col(t, tok[1]) >= 0)
        return perr(p, "bad or duplicate column name", tok[1]);
    if (copy_name(c->path, sizeof c->path, tok[3]) < 0)
        return perr(p, "bad path", tok[3]);
    if (strcmp(tok[2], "parent") == 0) {
        c->type = ORC_PARENT;
        if (t->parent < 0)
            return perr(p, "parent column in a top table", NULL);
        c->parent_col = find_col(&p->r->tables[t->parent], tok[3]);
        if (c->parent_col < 0)
            return perr(p, "no such parent column", tok[3]);
    } else if (parse_type(c, tok[2]) < 0)
        return perr(p, "unknown type", tok[2]);
    c->pp = &p->r->personal;
    for (int i = 4; i < n; i++)
        if (parse_option(p, c, tok[i]) < 0)
            return -1;
    if (c->type == ORC_DATETIME && (c->from == ORC_FROM_NONE || c->from == ORC_FROM_MINOR))
        return perr(p, "datetime needs from=epoch_ms, epoch_s, iso or string", NULL);
    if (c->from == ORC_FROM_MINOR && c->type != ORC_DECIMAL)
        return perr(p, "from=minor is for decimal columns", NULL);
    t->ncols++;
    return 0;
}

static int hexval(char ch)
{
    return ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
           : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
}

/* personal keep=F,L [key_env=NAME] */
static int parse_personal(parser *p, char **tok, int n)
{
    orc_personal *pp = &p->r->personal;
    for (int i = 1; i < n; i++) {
        if (sscanf(tok[i], "keep=%d,%d", &pp->keep_first, &pp->keep_last) == 2)
            continue;
        if (strncmp(tok[i], "key_env=", 8) != 0)
            return perr(p, "unknown personal option", tok[i]);
        const char *hex = getenv(tok[i] + 8);
        size_t len = hex ? strlen(hex) : 0;
        if (len < 2 || len % 2 || len / 2 > sizeof pp->key)
            return perr(p, "the key variable is unset or not hex:", tok[i] + 8);
        for (size_t k = 0; k < len; k += 2) {
            int hi = hexval(hex[k]), lo = hexval(hex[k + 1]);
            if (hi < 0 || lo < 0)
                return perr(p, "the key is not hex:", tok[i] + 8);
            pp->key[k / 2] = (unsigned char)(hi << 4 | lo);
        }
        pp->key_len = len / 2;
    }
    return 0;
}

static int parse_table(parser *p, char **tok, int n, int child)
{
    orc_table *t;
    if (n < 3)
        return perr(p, "expected: table|child NAME KEY [...]", NULL);
    if (p->r->ntables == ORC_MAX_TABLES)
        return perr(p, "too many tables", NULL);
    if (child && p->r->ntables == 0)
        return perr(p, "child before any table", NULL);
    t = &p->r->tables[p->r->ntables];
    memset(t, 0, sizeof *t);
    t->parent = -1;
    t->window_col = -1;
    if (copy_name(t->name, sizeof t->name, tok[1]) < 0)
        return perr(p, "bad table name", tok[1]);
    if (child)
        for (int i = p->r->ntables - 1; i >= 0; i--)
            if (p->r->tables[i].parent < 0) {
                t->parent = i;
                break;
            }
    /* the key and window are resolved in finish_table, once the columns are known */
    if (copy_name(t->key_name, sizeof t->key_name, tok[2]) < 0)
        return perr(p, "bad key", tok[2]);
    for (int i = 3; i < n; i++) {
        const char *o = tok[i];
        if (!child && strncmp(o, "window=", 7) == 0 && copy_name(t->window_name, sizeof t->window_name, o + 7) == 0)
            continue;
        if (child && strncmp(o, "each=", 5) == 0 && copy_name(t->each, sizeof t->each, o + 5) == 0)
            continue;
        if (child && strncmp(o, "of=", 3) == 0 && (t->parent = find_table(p->r, o + 3)) >= 0)
            continue;
        return perr(p, "bad table option", o);
    }
    p->r->ntables++;
    return 0;
}

static int finish_table(parser *p, orc_table *t)
{
    t->key_col = find_col(t, t->key_name);
    if (t->key_col < 0 || t->cols[t->key_col].type != ORC_BIGINT)
        return perr(p, "the key must be a bigint column of table", t->name);
    if (t->window_name[0]) {
        t->window_col = find_col(t, t->window_name);
        if (t->window_col < 0 || t->cols[t->window_col].type != ORC_DATETIME)
            return perr(p, "the window must be a datetime column of table", t->name);
    }
    if (t->parent >= 0 && !t->each[0])
        return perr(p, "child table needs each=FIELD:", t->name);
    return 0;
}

int orc_rules_load(const char *path, orc_rules *r, char *err, size_t errlen)
{
    parser p = {path, 0, err, errlen, r};
    char buf[1024], *tok[MAX_TOK];
    int rc = -1, n;
    FILE *f = fopen(path, "r");
    memset(r, 0, sizeof *r);
    if (!f) {
        snprintf(err, errlen, "%s: cannot open", path);
        return -1;
    }
    while (fgets(buf, sizeof buf, f)) {
        p.line++;
        n = tokenize(buf, tok);
        if (n < 0 && perr(&p, "too many words", NULL))
            goto out;
        if (n == 0)
            continue;
        if (strcmp(tok[0], "table") == 0 || strcmp(tok[0], "child") == 0) {
            if (r->ntables > 0 && finish_table(&p, &r->tables[r->ntables - 1]) < 0)
                goto out;
            if (parse_table(&p, tok, n, tok[0][0] == 'c') < 0)
                goto out;
        } else if (strcmp(tok[0], "col") == 0) {
            if (parse_col(&p, tok, n) < 0)
                goto out;
        } else if (strcmp(tok[0], "personal") == 0) {
            if (parse_personal(&p, tok, n) < 0)
                goto out;
        } else {
            perr(&p, "unknown directive", tok[0]);
            goto out;
        }
    }
    if (r->ntables == 0) {
        perr(&p, "no table", NULL);
        goto out;
    }
    if (finish_table(&p, &r->tables[r->ntables - 1]) < 0)
        goto out;
    rc = 0;
out:
    fclose(f);
    return rc;
}

static void print_type(const orc_rules *r, const orc_table *t, const orc_col *c)
{
    if (c->type == ORC_PARENT) {
        print_type(r, &r->tables[t->parent], &r->tables[t->parent].cols[c->parent_col]);
        return;
    }
    switch (c->type) {
    case ORC_BIGINT: printf("BIGINT"); break;
    case ORC_INT: printf("INT"); break;
    case ORC_VARCHAR: printf("VARCHAR(%d)", c->len); break;
    case ORC_DECIMAL: printf("DECIMAL(%d,%d)", c->len, c->scale); break;
    case ORC_DATETIME: printf("DATETIME"); break;
    case ORC_BOOL: printf("TINYINT(1)"); break;
    case ORC_PARENT: break;
    }
}

void orc_rules_print_ddl(const orc_rules *r)
{
    for (int i = 0; i < r->ntables; i++) {
        const orc_table *t = &r->tables[i];
        printf("CREATE TABLE IF NOT EXISTS `%s` (\n", t->name);
        for (int j = 0; j < t->ncols; j++) {
            printf("  `%s` ", t->cols[j].name);
            print_type(r, t, &t->cols[j]);
            printf("%s,\n", t->cols[j].required || j == t->key_col ? " NOT NULL" : " NULL");
        }
        for (int j = 0; j < t->ncols; j++)
            if (t->cols[j].type == ORC_PARENT)
                printf("  KEY `ix_%s` (`%s`),\n", t->cols[j].name, t->cols[j].name);
        printf("  PRIMARY KEY (`%s`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;\n",
               t->cols[t->key_col].name);
    }
}
