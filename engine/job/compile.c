/* compile.c: see compile.h. Stage 1 loads the YAML, stage 2 resolves references (resolve.c),
 * stage 3 checks each component against its option table (options.c), stage 4 lowers the
 * checked options into the plan and cross-checks names (compile_source.c, compile_tables.c,
 * compile_target.c; the kinds' own compile through kind.h). */
#include "compile.h"

#include <stdlib.h>
#include <string.h>

#include "compile_int.h"
#include "plan_int.h"

static void check_options(cc *c, const sl_ynode *root)
{
    job_opts *o = &c->opts;
    sl_options_load(&sl_opts_job, "the job file", root, root->pos, &o->job, c->diag);
    const sl_ynode *src = o->job.source.node;
    if (src && src->kind == SL_Y_MAP)
        cc_check_source(c, src);
    const sl_ynode *tgt = o->job.target.node;
    if (tgt && tgt->kind == SL_Y_MAP)
        sl_options_load(&sl_opts_target, NULL, tgt, tgt->pos, &o->tgt, c->diag);
    if (tgt && tgt->kind == SL_Y_MAP && cc_loadable(&o->tgt.refresh))
        cc_load_section(c, &sl_opts_refresh, &o->tgt.refresh, tgt, &o->refresh);
    cc_load_columns(c, &o->job.columns, &o->parent);
    cc_load_children(c, o);
    cc_check_job_columns(c);
    cc_load_quality(c, o);
    if (o->job.alerts.node && cc_loadable(&o->job.alerts))
        cc_load_section(c, &sl_opts_alerts, &o->job.alerts, root, &o->alerts);
    if (o->job.schedule.node && cc_loadable(&o->job.schedule))
        cc_load_section(c, &sl_opts_schedule, &o->job.schedule, root, &o->schedule);
    if (cc_loadable(&o->job.personal))
        cc_load_section(c, &sl_opts_personal, &o->job.personal, root, &o->personal);
    if (o->job.volume.node && cc_loadable(&o->job.volume))
        cc_load_section(c, &sl_opts_volume, &o->job.volume, root, &o->volume);
}

static void lower(cc *c)
{
    sl_plan *p = c->plan;
    p->name = strdup(c->opts.job.name.s);
    cc_lower_source(c);
    cc_lower_target(c);
    p->table.pos = c->opts.tgt.table.node->pos;
    p->table.name = strdup(c->opts.tgt.table.s);
    cc_lower_table(c, &c->opts.parent, &p->table, &c->opts.tgt.key, NULL);
    cc_lower_children(c);
    cc_lower_refresh(c);
    cc_lower_window_column(c);
    cc_lower_alerts(c);
    cc_lower_schedule(c);
    cc_lower_quality(c);
    cc_lower_accounts(c);
    cc_lower_personal(c);
    cc_lower_volume(c);
}

static void free_opts(job_opts *o)
{
    free(o->parent.cols);
    for (size_t i = 0; i < o->n_children; i++)
        free(o->children[i].cols);
    free(o->children);
    free(o->rules);
    free(o->quality);
    free(o->quality_nodes);
    free(o->signer.opts);
    free(o->auth.opts);
    free(o->pager.opts);
}

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return strdup(".");
    if (slash == path)
        return strdup("/");
    return strndup(path, (size_t)(slash - path));
}

/* sl_diag_rewrite's callback: masks the plan's secret values in one message. */
static void redact_message(const void *plan, char *buf, size_t cap)
{
    sl_plan_redact(plan, buf, cap);
}

/* Stages 2-4 on a loaded document (NULL when loading failed); takes doc. */
static sl_plan *compile_doc(sl_ydoc *doc, const char *path, const sl_compile_options *opts,
                            sl_diag *diag)
{
    cc c = {.diag = diag, .resolve = opts ? opts->resolve_secrets : true,
            .skip_target = opts && opts->skip_target_secrets,
            .want_account = opts ? opts->account : NULL,
            .read_personal = opts && opts->read_personal};
    sl_ynode *root = doc ? sl_ydoc_root(doc) : NULL;
    if (doc && (!root || root->kind != SL_Y_MAP))
        sl_diag_error(diag, root ? root->pos : (sl_pos){1, 1},
                      "a job file must be a map of keys (version, name, source, ...)");
    c.plan = sl_plan_alloc();
    c.k = (sl_kind_ctx){.diag = diag, .plan = c.plan};
    c.dir = dir_of(path);
    if (sl_diag_errors(diag) == 0 && c.plan && c.dir)
        cc_find_accounts(&c, root);
    if (sl_diag_errors(diag) == 0 && c.plan && c.dir)
        cc_resolve_root(&c, root);
    if (sl_diag_errors(diag) == 0 && c.plan)
        check_options(&c, root);
    if (sl_diag_errors(diag) == 0 && c.plan) {
        c.plan->file = strdup(path);
        lower(&c);
    }
    if (!c.plan || !c.dir)
        sl_diag_error(diag, (sl_pos){0, 0}, "out of memory");
    free_opts(&c.opts);
    cc_free_accounts(&c);
    free(c.dir);
    sl_ydoc_free(doc);
    if (c.plan) /* a message may quote a value read through a reference */
        sl_diag_rewrite(diag, redact_message, c.plan);
    if (sl_diag_errors(diag) > 0) {
        sl_plan_free(c.plan);
        return NULL;
    }
    return c.plan;
}

sl_plan *sl_compile_file_opts(const char *path, const sl_compile_options *opts, sl_diag *diag)
{
    return compile_doc(sl_yaml_load_file(path, diag), path, opts, diag);
}

sl_plan *sl_compile_text(const char *path, const char *text, size_t len,
                         const sl_compile_options *opts, sl_diag *diag)
{
    if (len <= SL_YAML_MAX_BYTES)
        sl_diag_set_source(diag, text, len);
    return compile_doc(sl_yaml_load_text(text, len, diag), path, opts, diag);
}

sl_plan *sl_compile_file(const char *path, sl_diag *diag)
{
    sl_compile_options opts = {.resolve_secrets = true};
    return sl_compile_file_opts(path, &opts, diag);
}
