/* kind.c: see kind.h. The lowering helpers here serve the compiler as well as the kinds, so a
 * value is copied, marked secret or compiled one way wherever it is. */
#include "kind.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "jpath.h"
#include "plan_int.h"
#include "yaml_load.h"

void sl_kind_ref_clear(sl_kind_ref *ref)
{
    if (ref->kind && ref->kind->free)
        ref->kind->free(ref->cfg);
    ref->kind = NULL;
    ref->cfg = NULL;
}

/* ---- messages ---- */

static void report(sl_kind_ctx *k, bool warning, const sl_optval *v, const char *fmt, va_list ap)
{
    char buf[900];
    vsnprintf(buf, sizeof buf, fmt, ap);
    sl_pos at = v && v->node ? v->node->pos : k->where;
    if (warning)
        sl_diag_warning(k->diag, at, "%s", buf);
    else
        sl_diag_error(k->diag, at, "%s", buf);
}

void sl_kind_error(sl_kind_ctx *k, const sl_optval *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(k, false, v, fmt, ap);
    va_end(ap);
}

void sl_kind_warning(sl_kind_ctx *k, const sl_optval *v, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    report(k, true, v, fmt, ap);
    va_end(ap);
}

void sl_kind_oom(sl_kind_ctx *k)
{
    sl_diag_error(k->diag, (sl_pos){0, 0}, "out of memory");
}

/* ---- text and secrets ---- */

/* A value read through a reference was registered for redaction when it was read; the plan
 * also remembers the field's origin, so `sluice plan` prints the reference instead. */
void sl_kind_text(sl_kind_ctx *k, const sl_optval *v, char **field)
{
    *field = v->s ? strdup(v->s) : NULL;
    const sl_ynode *n = v->node;
    if (*field && n && n->ref)
        sl_plan_mark_secret(k->plan, field, n->ref, !n->unresolved);
}

void sl_kind_secret(sl_kind_ctx *k, const sl_optval *v, char **field)
{
    if (!v->set || !v->s)
        return;
    *field = strdup(v->s);
    const sl_ynode *n = v->node;
    if (n) {
        sl_plan_mark_secret(k->plan, field, n->ref, !n->unresolved);
        if (!n->ref && v->s[0]) /* written in the file: only now known to be a secret */
            sl_plan_add_secret(k->plan, v->s);
    }
}

void sl_kind_secret_part(sl_kind_ctx *k, const sl_optval *v, char **field, const char *value,
                         size_t len)
{
    const sl_ynode *n = v->node;
    if (!(*field = strndup(value, len))) {
        sl_kind_oom(k);
        return;
    }
    if (!sl_kind_unread(v))
        sl_plan_add_secret(k->plan, *field);
    sl_plan_mark_secret(k->plan, field, n ? n->ref : NULL, !sl_kind_unread(v));
}

bool sl_kind_unread(const sl_optval *v)
{
    return v->node && v->node->unresolved;
}

/* ---- JSON paths ---- */

/* Splits "col N: reason" as jpath.h reports it; returns the reason and sets *col (or 1). */
static const char *split_col(const char *err, int *col)
{
    *col = 1;
    if (strncmp(err, "col ", 4) != 0)
        return err;
    char *end;
    long v = strtol(err + 4, &end, 10);
    if (end[0] != ':' || v < 1 || v > 100000)
        return err;
    *col = (int)v;
    return end[1] == ' ' ? end + 2 : end + 1;
}

sl_jpath *sl_kind_jpath_list(sl_kind_ctx *k, const sl_optval *v, const char *what)
{
    if (!v->set || !v->s)
        return NULL;
    sl_error err = {0};
    sl_jpath *p = sl_jpath_compile(v->s, &err);
    if (!p) {
        int col;
        const char *why = split_col(err.msg, &col);
        sl_diag_error(k->diag, sl_ynode_pos_at(v->node, col), "bad JSON path in '%s': %s", what,
                      why);
    }
    return p;
}

sl_jpath *sl_kind_jpath(sl_kind_ctx *k, const sl_optval *v, const char *what)
{
    sl_jpath *p = sl_kind_jpath_list(k, v, what);
    if (p && sl_jpath_is_multi(p)) {
        sl_diag_error(k->diag, v->node->pos, "'%s' must reach one value; [*] is not allowed here",
                      what);
        sl_jpath_free(p);
        p = NULL;
    }
    return p;
}

void sl_kind_reply_path(sl_kind_ctx *k, const sl_jpath *path)
{
    sl_source_plan *s = &k->plan->source;
    if (!path)
        return;
    const sl_jpath **p = sl_grow(s->reply_paths, &s->cap_reply_paths, s->n_reply_paths + 1,
                                 sizeof *p, 4);
    if (!p) {
        sl_kind_oom(k);
        return;
    }
    s->reply_paths = p;
    s->reply_paths[s->n_reply_paths++] = path;
}
