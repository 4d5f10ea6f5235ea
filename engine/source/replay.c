/* replay.c: see replay.h. */
#include "replay.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

typedef struct replayed {
    sl_window *w;
    char *body;
    size_t len;
} replayed;

struct sl_replay {
    char *dir;
    int64_t max_body;
    replayed *pending; /* replies read, not yet handled */
    size_t n;
    size_t cap;
};

static void reply_path(const char *dir, const sl_window *w, int64_t label, char *out, size_t len)
{
    snprintf(out, len, "%s/%" PRId64 "_%" PRId64 "_%" PRId64 ".json", dir, w->from, w->to, label);
}

void sl_replay_save(const char *dir, const sl_window *w, int64_t label, const char *body,
                    size_t len, sl_runlog *rl)
{
    char path[4096];
    reply_path(dir, w, label, path, sizeof path);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(body, 1, len, f) != len) {
        if (f)
            fclose(f);
        sl_runlog_fail(rl, SL_ERR_INTERNAL, "can't record a reply into %s: %s", path,
                       strerror(errno));
        return;
    }
    fclose(f);
}

sl_replay *sl_replay_new(const char *dir, int64_t max_body)
{
    sl_replay *rp = calloc(1, sizeof *rp);
    if (!rp || !(rp->dir = strdup(dir))) {
        free(rp);
        return NULL;
    }
    rp->max_body = max_body;
    return rp;
}

void sl_replay_free(sl_replay *rp)
{
    if (!rp)
        return;
    for (size_t i = 0; i < rp->n; i++)
        free(rp->pending[i].body);
    free(rp->pending);
    free(rp->dir);
    free(rp);
}

/* The file's bytes NUL-terminated in *body, or NULL when unreadable; *over when over max_body. */
static char *read_reply(FILE *f, int64_t max_body, size_t *len, bool *over)
{
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    *over = n > max_body;
    if (*over || n < 0)
        return NULL;
    char *body = malloc((size_t)n + 1);
    if (body && fread(body, 1, (size_t)n, f) == (size_t)n) {
        *len = (size_t)n;
        body[n] = '\0';
        return body;
    }
    free(body);
    return NULL;
}

int sl_replay_request(sl_replay *rp, sl_window *w, int64_t label, sl_runlog *rl)
{
    char path[4096];
    reply_path(rp->dir, w, label, path, sizeof path);
    replayed one = {.w = w};
    bool over = false;
    FILE *f = fopen(path, "rb");
    if (f) {
        one.body = read_reply(f, rp->max_body, &one.len, &over);
        fclose(f);
    }
    if (over) /* as the API's reply would be */
        return sl_runlog_fail(rl, SL_ERR_SOURCE, "recorded reply %s is over source.max_body",
                              path), -1;
    if (!one.body)
        return sl_runlog_fail(rl, SL_ERR_SOURCE,
                              "no recorded reply %s (record with run --record)", path), -1;
    replayed *p = sl_grow(rp->pending, &rp->cap, rp->n + 1, sizeof *p, 16);
    if (!p) {
        free(one.body);
        return sl_runlog_fail(rl, SL_ERR_INTERNAL, "out of memory"), -1;
    }
    rp->pending = p;
    rp->pending[rp->n++] = one;
    return 0;
}

int sl_replay_poll(sl_replay *rp, sl_replay_fn *fn, void *ctx, sl_runlog *rl)
{
    size_t n = rp->n;
    if (n == 0)
        return 0;
    replayed *batch = malloc(n * sizeof *batch);
    if (!batch)
        return sl_runlog_fail(rl, SL_ERR_INTERNAL, "out of memory"), -1;
    memcpy(batch, rp->pending, n * sizeof *batch);
    rp->n = 0;
    for (size_t i = 0; i < n; i++) {
        fn(batch[i].w, batch[i].body, batch[i].len, ctx);
        free(batch[i].body);
    }
    free(batch);
    return 0;
}
