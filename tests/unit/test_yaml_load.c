/* Unit tests of the YAML loader: 1-based positions of every node, quoting, limits and the
 * refused constructs. */
#include <string.h>

#include "check.h"
#include "diag.h"
#include "yaml_load.h"

static sl_ydoc *load(const char *text, sl_diag **diag)
{
    *diag = sl_diag_new("t.yml");
    return sl_yaml_load_text(text, strlen(text), *diag);
}

static void positions(void)
{
    sl_diag *diag;
    sl_ydoc *doc = load("a: 1\nb:\n  c: \"0\"\n  d: [x, 'y']\n", &diag);
    CHECK(doc != NULL);
    if (!doc)
        return;
    const sl_ynode *root = sl_ydoc_root(doc);
    CHECK(root->kind == SL_Y_MAP && root->n == 2);
    CHECK(root->pos.line == 1 && root->pos.col == 1);
    const sl_ynode *a = sl_ynode_get(root, "a");
    CHECK(a && a->pos.line == 1 && a->pos.col == 4 && !a->quoted);
    const sl_ynode *b = sl_ynode_get(root, "b");
    const sl_ynode *c = sl_ynode_get(b, "c");
    CHECK(c && c->pos.line == 3 && c->pos.col == 6 && c->quoted);
    CHECK_STR(c ? c->str : NULL, "0");
    const sl_ynode *d = sl_ynode_get(b, "d");
    CHECK(d && d->kind == SL_Y_SEQ && d->n == 2);
    CHECK(d && d->items[1]->pos.col == 10 && d->items[1]->quoted);
    CHECK(root->keys[1]->pos.line == 2 && root->keys[1]->pos.col == 1);
    CHECK(sl_ynode_get(root, "zz") == NULL);
    CHECK(sl_diag_errors(diag) == 0);
    sl_ydoc_free(doc);
    sl_diag_free(diag);
}

/* Loads text expecting failure; returns the number of errors. */
static size_t errors_of(const char *text)
{
    sl_diag *diag;
    sl_ydoc *doc = load(text, &diag);
    size_t n = sl_diag_errors(diag);
    CHECK(doc == NULL);
    sl_ydoc_free(doc);
    sl_diag_free(diag);
    return n;
}

static void refusals(void)
{
    CHECK(errors_of("a: 1\na: 2\n") == 1);
    CHECK(errors_of("a: &x 1\nb: *x\n") == 2);
    CHECK(errors_of("a: !!str 1\n") == 1);
    CHECK(errors_of("a: 1\n---\nb: 2\n") == 1);
    CHECK(errors_of("a: [1, 2\n") == 1);
    CHECK(errors_of("a:\n\tb: 1\n") == 1);
    CHECK(errors_of("{[1]: 2}\n") >= 1);
    CHECK(errors_of("a: \"x\\0y\"\n") == 1);
    char deep[400] = "";
    for (int i = 0; i < SL_YAML_MAX_DEPTH + 2; i++)
        strcat(deep, "[");
    CHECK(errors_of(deep) >= 1);
}

static void flow_commas(void)
{
    sl_diag *diag;
    sl_ydoc *doc = load("c: { type: decimal(19,4), default: 0 }\n", &diag);
    CHECK(doc != NULL && sl_diag_errors(diag) == 0);
    if (doc) {
        const sl_ynode *c = sl_ynode_get(sl_ydoc_root(doc), "c");
        CHECK(c && c->n == 2);
        CHECK_STR(sl_ynode_get(c, "type") ? sl_ynode_get(c, "type")->str : NULL, "decimal(19,4)");
    }
    sl_ydoc_free(doc);
    sl_diag_free(diag);
}

static void nulls(void)
{
    sl_diag *diag;
    sl_ydoc *doc = load("a:\nb: ~\nc: null\nd: ''\ne: \"null\"\n", &diag);
    CHECK(doc != NULL);
    if (doc) {
        const sl_ynode *r = sl_ydoc_root(doc);
        CHECK(sl_ynode_is_null(sl_ynode_get(r, "a")));
        CHECK(sl_ynode_is_null(sl_ynode_get(r, "b")));
        CHECK(sl_ynode_is_null(sl_ynode_get(r, "c")));
        CHECK(!sl_ynode_is_null(sl_ynode_get(r, "d")));
        CHECK(!sl_ynode_is_null(sl_ynode_get(r, "e")));
    }
    sl_ydoc_free(doc);
    sl_diag_free(diag);
}

int main(void)
{
    positions();
    refusals();
    flow_commas();
    nulls();
    return check_done();
}
