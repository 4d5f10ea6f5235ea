/* guess.c: `sluice guess`: a job skeleton from recorded replies (`run --record DIR`) or a
 * sample reply. Two passes over the inputs, one reply in memory at a time: the first finds the
 * records path, the second gathers the columns, the total and the windows (guess_int.h). */
#include "guess.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "guess_int.h"
#include "jarena.h"

typedef struct inputs {
    gs_input *in;
    size_t n, cap;
} inputs;

static sl_status add_input(inputs *li, const char *dir, const char *name, sl_error *err)
{
    gs_input *in = sl_grow(li->in, &li->cap, li->n + 1, sizeof *in, 16);
    if (!in)
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    li->in = in;
    in = &in[li->n];
    *in = (gs_input){0};
    size_t len = (dir ? strlen(dir) + 1 : 0) + strlen(name) + 1;
    if (!(in->path = malloc(len)))
        return sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    snprintf(in->path, len, "%s%s%s", dir ? dir : "", dir ? "/" : "", name);
    int used = 0;
    in->named = dir && sscanf(name, "%" SCNd64 "_%" SCNd64 "_%" SCNd64 ".json%n", &in->from,
                              &in->to, &in->page, &used) == 3 &&
                (size_t)used == strlen(name);
    li->n++;
    return SL_OK;
}

/* Recorded windows in time order, their pages in order; other files by name after them. */
static int by_window(const void *a, const void *b)
{
    const gs_input *x = a, *y = b;
    if (x->named != y->named)
        return x->named ? -1 : 1;
    if (!x->named)
        return strcmp(x->path, y->path);
    if (x->from != y->from)
        return x->from < y->from ? -1 : 1;
    if (x->to != y->to)
        return x->to < y->to ? -1 : 1;
    return x->page < y->page ? -1 : x->page > y->page;
}

/* The *.json files of dir. */
static sl_status list_dir(inputs *li, const char *dir, sl_error *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return sl_error_set(err, SL_ERR_CONFIG, "%s: error: cannot open: %s", dir,
                            strerror(errno));
    sl_status st = SL_OK;
    size_t before = li->n;
    struct dirent *e;
    while (st == SL_OK && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 5 && !strcmp(e->d_name + n - 5, ".json"))
            st = add_input(li, dir, e->d_name, err);
    }
    closedir(d);
    if (st == SL_OK && li->n == before)
        st = sl_error_set(err, SL_ERR_CONFIG,
                          "%s: error: no *.json replies in it (record some with run --record)",
                          dir);
    return st;
}

/* Second pass: every reply into the model. */
static sl_status gather(gs_model *m, const inputs *li, sl_error *err)
{
    for (size_t i = 0; i < li->n; i++) {
        json_t *doc = gs_read_reply(m, li->in[i].path, err);
        if (!doc)
            return err->code;
        sl_status st = gs_add_reply(m, &li->in[i], doc, err);
        sl_jarena_drop(m->arena, doc);
        if (st != SL_OK)
            return st;
    }
    gs_model_finish(m);
    if (m->tables[0].n_fields == 0)
        return sl_error_set(err, SL_ERR_CONFIG, "%s: error: the records at %s hold no fields",
                            li->in[0].path, m->records);
    return SL_OK;
}

static sl_status guess(const cli_opts *o, const inputs *li, sl_error *err)
{
    gs_model m = {.convs = gs_convs_new(),
                  .arena = sl_jarena_new((size_t)1 << 20, (size_t)32 << 20, 2 * GS_MAX_REPLY)};
    sl_status st = m.convs && m.arena ? SL_OK
                                      : sl_error_set(err, SL_ERR_INTERNAL, "out of memory");
    if (st == SL_OK)
        st = gs_find_records(&m, li->in, li->n, err);
    if (st == SL_OK)
        st = gather(&m, li, err);
    if (st == SL_OK)
        gs_emit(&m, o->replay_dir, o->job, stdout);
    gs_model_done(&m);
    return st;
}

int sl_cmd_guess(const cli_opts *o)
{
    if (!o->replay_dir && o->n_args == 0)
        return sl_cli_usage_error("guess", "wants a sample reply or --replay DIR");
    inputs li = {0};
    sl_error err = {0};
    sl_status st = o->replay_dir ? list_dir(&li, o->replay_dir, &err) : SL_OK;
    if (st == SL_OK && o->n_args > 0)
        st = add_input(&li, NULL, o->job, &err);
    if (st == SL_OK) {
        qsort(li.in, li.n, sizeof *li.in, by_window);
        st = guess(o, &li, &err);
    }
    if (st != SL_OK)
        fprintf(stderr, "%s%s\n", strstr(err.msg, ": error: ") ? "" : "sluice: error: ",
                err.msg);
    for (size_t i = 0; i < li.n; i++)
        free(li.in[i].path);
    free(li.in);
    return st;
}
