/* truth.c: the truth reader. Lines are assembled from a file or a libcurl transfer and each is
 * converted as soon as it is complete, so the JSON of 200,000 records is never held at once. */
#include "truth.h"

#include <curl/curl.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_BYTES (16u << 20)

typedef struct reader {
    const orc_rules *r;
    const char *from, *to;
    orc_rowset **sets;
    orc_truth_stats *st;
    orc_cell *cells;   /* ORC_MAX_COLS scratch cells per table depth */
    char *line;
    size_t len, cap;
    size_t lineno;
    int failed;
    char *err;
    size_t errlen;
} reader;

static int fail(reader *rd, const char *msg, const char *detail)
{
    if (!rd->failed)
        snprintf(rd->err, rd->errlen, "truth line %zu: %s%s%s", rd->lineno, msg,
                 detail ? ": " : "", detail ? detail : "");
    rd->failed = 1;
    return -1;
}

static int in_window(const reader *rd, const orc_cell *c)
{
    if (c->is_null)
        return !rd->from && !rd->to;
    return (!rd->from || strcmp(c->text, rd->from) >= 0) && (!rd->to || strcmp(c->text, rd->to) <= 0);
}

static int64_t key_of(const orc_cell *c) { return c->is_null ? 0 : strtoll(c->text, NULL, 10); }

/* Converts the columns of table t from obj; the parent's cells fill ORC_PARENT columns. */
static int convert_row(reader *rd, const orc_table *t, json_t *obj, const orc_cell *parent,
                       orc_cell *cells)
{
    for (int i = 0; i < t->ncols; i++) {
        const orc_col *c = &t->cols[i];
        if (c->type == ORC_PARENT)
            cells[i] = parent[c->parent_col];
        else if (orc_cell_from_json(c, obj, &cells[i]) < 0) {
            if (i == t->key_col)
                return fail(rd, "unusable key", c->path);
            rd->st->unconvertible++;
        }
    }
    if (cells[t->key_col].is_null)
        return fail(rd, "record without a key", t->cols[t->key_col].path);
    return 0;
}

static int put(reader *rd, int ti, const orc_cell *cells, int64_t parent_key, int win)
{
    const orc_table *t = &rd->r->tables[ti];
    if (orc_rowset_put(rd->sets[ti], key_of(&cells[t->key_col]), parent_key, win, cells,
                       &rd->st->dups[ti]) < 0)
        return fail(rd, "out of memory", NULL);
    return 0;
}

/* The rows of every child table of table pti found in rec, and theirs in turn (a child of a
 * child); depth picks the scratch cells of this level. */
static int children(reader *rd, int pti, json_t *rec, int64_t pkey, int win, int depth)
{
    const orc_cell *pcells = rd->cells + (size_t)depth * ORC_MAX_COLS;
    orc_cell *cells = rd->cells + (size_t)(depth + 1) * ORC_MAX_COLS;
    for (int ti = 1; ti < rd->r->ntables; ti++) {
        const orc_table *t = &rd->r->tables[ti];
        json_t *arr = json_object_get(rec, t->each), *item;
        size_t i;
        if (t->parent != pti || !arr)
            continue;
        if (!json_is_array(arr))
            return fail(rd, "not an array", t->each);
        json_array_foreach(arr, i, item) {
            if (convert_row(rd, t, item, pcells, cells) < 0 || put(rd, ti, cells, pkey, win) < 0 ||
                children(rd, ti, item, key_of(&cells[t->key_col]), win, depth + 1) < 0)
                return -1;
        }
    }
    return 0;
}

static int record(reader *rd, const char *s, size_t n)
{
    const orc_table *top = &rd->r->tables[0];
    json_error_t je;
    json_t *rec;
    int rc = -1, win;
    rd->lineno++;
    while (n && (s[n - 1] == '\r' || s[n - 1] == ' '))
        n--;
    if (n == 0)
        return 0;
    rec = json_loadb(s, n, 0, &je);
    if (!json_is_object(rec)) {
        fail(rd, "not a JSON object", je.text);
        goto out;
    }
    rd->st->records++;
    if (convert_row(rd, top, rec, NULL, rd->cells) < 0)
        goto out;
    win = top->window_col < 0 || in_window(rd, &rd->cells[top->window_col]);
    if (put(rd, 0, rd->cells, 0, win) < 0)
        goto out;
    rc = children(rd, 0, rec, key_of(&rd->cells[top->key_col]), win, 0);
out:
    json_decref(rec);
    return rc;
}

/* Appends bytes and converts every complete line. */
static int feed(reader *rd, const char *p, size_t n)
{
    while (n && !rd->failed) {
        const char *nl = memchr(p, '\n', n);
        size_t take = nl ? (size_t)(nl - p) : n;
        if (rd->len == 0 && nl) { /* a whole line in the input: no copy */
            if (record(rd, p, take) < 0)
                return -1;
        } else {
            if (rd->len + take > LINE_MAX_BYTES)
                return fail(rd, "line too long", NULL);
            if (rd->len + take > rd->cap) {
                size_t cap = (rd->len + take) * 2;
                char *l = realloc(rd->line, cap);
                if (!l)
                    return fail(rd, "out of memory", NULL);
                rd->line = l;
                rd->cap = cap;
            }
            memcpy(rd->line + rd->len, p, take);
            rd->len += take;
            if (nl) {
                if (record(rd, rd->line, rd->len) < 0)
                    return -1;
                rd->len = 0;
            }
        }
        p += take + (nl ? 1 : 0);
        n -= take + (nl ? 1 : 0);
    }
    return rd->failed ? -1 : 0;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    return feed(ud, p, size * nmemb) < 0 ? 0 : size * nmemb;
}

static int read_http(reader *rd, const char *src)
{
    char url[2048];
    long status = 0;
    CURLcode cc;
    CURL *h = curl_easy_init();
    const char *path = strchr(src + strlen("http://") + 1, '/');
    if (!h)
        return fail(rd, "curl init failed", NULL);
    snprintf(url, sizeof url, "%s%s", src, path && strstr(path, "_truth") ? "" : "/_truth");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, rd);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    cc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    if (rd->failed)
        return -1;
    if (cc != CURLE_OK)
        return fail(rd, "fetching the truth failed", curl_easy_strerror(cc));
    if (status != 200)
        return fail(rd, "the truth endpoint did not answer 200", NULL);
    return 0;
}

static int read_file(reader *rd, const char *path)
{
    char buf[1 << 16];
    size_t n;
    FILE *f = fopen(path, "rb");
    if (!f)
        return fail(rd, "cannot open", path);
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        if (feed(rd, buf, n) < 0)
            break;
    fclose(f);
    return rd->failed ? -1 : 0;
}

int orc_truth_load(const char *src, const orc_rules *r, const char *from, const char *to,
                   orc_rowset **sets, orc_truth_stats *st, char *err, size_t errlen)
{
    reader rd = {r, from, to, sets, st, NULL, NULL, 0, 0, 0, 0, err, errlen};
    int rc;
    memset(st, 0, sizeof *st);
    rd.cells = calloc((size_t)ORC_MAX_TABLES * ORC_MAX_COLS, sizeof *rd.cells);
    if (!rd.cells)
        return fail(&rd, "out of memory", NULL);
    if (strncmp(src, "file:", 5) == 0)
        rc = read_file(&rd, src + 5);
    else if (strncmp(src, "http://", 7) == 0 || strncmp(src, "https://", 8) == 0)
        rc = read_http(&rd, src);
    else
        rc = fail(&rd, "the truth must be http(s)://... or file:PATH", NULL);
    if (rc == 0 && rd.len > 0)
        rc = record(&rd, rd.line, rd.len);
    free(rd.line);
    free(rd.cells);
    return rc;
}
