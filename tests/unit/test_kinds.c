/* Unit tests of typed sections (kind.h): choosing a kind by `type` or the row's default, the
 * kind's own keys, the messages for keys of other kinds and missing ones, and the signer
 * registry (signers.def). */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "kind.h"
#include "sign.h"

typedef struct alpha_opts {
    sl_optval path, size;
} alpha_opts;

typedef struct beta_opts {
    sl_optval flag;
} beta_opts;

static const sl_opt alpha_rows[] = {
    {"path", SL_T_STRING, SL_OF_REQUIRED, NULL, 1, 0, offsetof(alpha_opts, path), NULL, NULL,
     "a required key"},
    {"size", SL_T_INT, 0, "5", 1, 10, offsetof(alpha_opts, size), NULL, NULL, "with a default"},
};
static const sl_opt beta_rows[] = {
    {"flag", SL_T_BOOL, 0, "false", 1, 0, offsetof(beta_opts, flag), NULL, NULL, "a bool"},
};
static const sl_opt_table alpha_table = {"test", "alpha", alpha_rows, 2};
static const sl_opt_table beta_table = {"test", "beta", beta_rows, 1};
static const sl_kind alpha = {.family = "test", .name = "alpha", .doc = "first",
                              .opts = &alpha_table, .opts_size = sizeof(alpha_opts)};
static const sl_kind beta = {.family = "test", .name = "beta", .doc = "second",
                             .opts = &beta_table, .opts_size = sizeof(beta_opts)};
static const sl_kind *const kinds[] = {&alpha, &beta};
static const sl_kind_family family = {{"test", "a test family", NULL, 0}, kinds, 2};

static const sl_opt with_default = {"test", SL_T_KIND, 0, "alpha", 1, 0, 0, NULL,
                                    &family.section, "defaults to alpha"};
static const sl_opt without_default = {"test", SL_T_KIND, SL_OF_REQUIRED, NULL, 1, 0, 0, NULL,
                                       &family.section, "needs a type"};

typedef struct loaded {
    const sl_kind *kind;
    void *opts;
    size_t errors;
    char *messages; /* what `validate` would print */
    sl_ydoc *doc;   /* the options point into it */
} loaded;

/* Loads text (NULL: the section is absent) as a typed section of row. */
static loaded load(const sl_opt *row, const char *text)
{
    loaded l = {0};
    sl_diag *diag = sl_diag_new("t.yml");
    sl_ydoc *doc = text ? sl_yaml_load_text(text, strlen(text), diag) : NULL;
    CHECK(!text || doc);
    l.kind = sl_options_load_kind(row, doc ? sl_ydoc_root(doc) : NULL, (sl_pos){1, 1}, &l.opts,
                                  diag);
    l.errors = sl_diag_errors(diag);
    size_t len;
    FILE *f = open_memstream(&l.messages, &len);
    sl_diag_print(diag, f);
    fclose(f);
    l.doc = doc;
    sl_diag_free(diag);
    return l;
}

static void loaded_free(loaded *l)
{
    free(l->opts);
    free(l->messages);
    sl_ydoc_free(l->doc);
}

static bool says(const loaded *l, const char *text)
{
    return strstr(l->messages, text) != NULL;
}

static void default_kind(void)
{
    loaded l = load(&with_default, "path: x\n");
    CHECK(l.kind == &alpha && l.errors == 0);
    const alpha_opts *o = l.opts;
    CHECK(o && o->size.i == 5 && !strcmp(o->path.s, "x"));
    loaded_free(&l);
    l = load(&with_default, NULL); /* absent: the default kind, its required key missing */
    CHECK(l.kind == &alpha && l.errors == 1 && says(&l, "error: test 'alpha' needs 'path'"));
    loaded_free(&l);
    l = load(&without_default, "path: x\n");
    CHECK(!l.kind && !l.opts && l.errors == 1 && says(&l, "missing required key 'type' in test"));
    loaded_free(&l);
}

static void chosen_kind(void)
{
    loaded l = load(&with_default, "type: beta\nflag: true\n");
    CHECK(l.kind == &beta && l.errors == 0);
    CHECK(l.opts && ((const beta_opts *)l.opts)->flag.i == 1);
    loaded_free(&l);
    l = load(&with_default, "type: beta\npath: x\n");
    CHECK(l.kind == &beta && l.errors == 1 && says(&l, "'path' is not used by test 'beta'"));
    loaded_free(&l);
    l = load(&with_default, "type: beta\nflg: true\n");
    CHECK(l.errors == 1 && says(&l, "unknown key 'flg' in test 'beta' (did you mean 'flag'?); "
                                    "allowed: type, flag"));
    loaded_free(&l);
    l = load(&with_default, "type: alpha\npath: x\nsize: 11\n");
    CHECK(l.errors == 1 && says(&l, "'size' must be between 1 and 10"));
    loaded_free(&l);
}

static void unknown_kind(void)
{
    loaded l = load(&with_default, "type: alhpa\npath: x\nflags: 1\n");
    CHECK(!l.kind && !l.opts && l.errors == 2);
    CHECK(says(&l, "unknown type 'alhpa' (did you mean 'alpha'?); expected one of: alpha, beta"));
    CHECK(says(&l, "unknown key 'flags' in test (did you mean 'flag'?); allowed: type, path, "
                   "size, flag"));
    loaded_free(&l);
    l = load(&with_default, "type: [alpha]\n");
    CHECK(!l.kind && l.errors == 1 && says(&l, "'type' must be a single value, not a list"));
    loaded_free(&l);
}

/* The lines of signers.def, counted here so a new kind needs no edit of this test. */
static const size_t n_signers_listed = 0
#define SL_KIND(id) +1
#include "signers.def"
#undef SL_KIND
    ;

/* Every signer of signers.def is a complete descriptor, found by its name. */
static void signer_registry(void)
{
    const sl_kind_family *f = &sl_kinds_signer;
    CHECK(f->n_kinds == n_signers_listed && f->n_kinds >= 3 &&
          !strcmp(f->section.name, "signer"));
    for (size_t i = 0; i < f->n_kinds; i++) {
        const sl_kind *k = f->kinds[i];
        CHECK(!strcmp(k->family, "signer") && k->name && k->doc && k->compile && k->dump &&
              k->free && k->ops);
        CHECK(((const sl_signer_ops *)k->ops)->build != NULL);
        CHECK(sl_kind_find(f, k->name) == k);
        CHECK(!k->opts || k->opts_size > 0);
    }
    CHECK(sl_kind_find(f, "qimen") == NULL);
}

int main(void)
{
    default_kind();
    chosen_kind();
    unknown_kind();
    signer_registry();
    return check_done();
}
