/* compile_target.c: `target` (the DSN, its password a secret of its own, write and load modes,
 * the engine's tables), `alerts` and `schedule` lowered into the plan. See compile_int.h. */
#include <stdlib.h>
#include <string.h>

#include "compile_int.h"
#include "dsn.h"
#include "plan_int.h"
#include "shadow.h"

/* The DSN's password, decoded, is a secret of its own: a server or client message may quote
 * it without the rest of the URL. */
static void add_dsn_secrets(cc *c, const char *url)
{
    sl_dsn d;
    if (sl_dsn_parse(url, &d, NULL) != SL_OK)
        return;
    if (sl_plan_add_secret(c->plan, d.password) != 0)
        sl_diag_error(c->diag, (sl_pos){0, 0}, "out of memory");
    sl_dsn_clear(&d);
}

void cc_lower_target(cc *c)
{
    const sl_o_target *o = &c->opts.tgt;
    sl_target_plan *t = &c->plan->target;
    sl_kind_secret(&c->k, &o->dsn, &t->dsn);
    const sl_ynode *dn = o->dsn.node;
    if (dn && !dn->unresolved && sl_dsn_sink(o->dsn.s) < 0)
        sl_diag_error(c->diag, dn->pos, "'dsn' must start with %s", sl_dsn_schemes());
    else if (dn && !dn->unresolved)
        add_dsn_secrets(c, o->dsn.s);
    t->write = (sl_write_mode)o->write.i;
    t->load = (sl_load_mode)o->load.i;
    if (t->load == SL_LOAD_DATA && t->write == SL_WRITE_UPSERT)
        sl_diag_error(c->diag, cc_pos_of(&o->load, c->opts.job.target.node),
                      "'load: load_data' cannot upsert (LOAD DATA only replaces rows);"
                      " use 'load: bulk' with 'write: upsert'");
    t->batch_rows = o->batch_rows.i;
    t->state_table = strdup(o->state_table.s);
    t->reject_table = strdup(o->reject_table.s);
    t->max_rejects = o->max_rejects.i;
    t->db_retry_budget_ms = o->db_retry_budget.i;
    if (cc_same_name(t->state_table, t->reject_table))
        sl_diag_error(c->diag, cc_pos_of(&o->reject_table, c->opts.job.target.node),
                      "'reject_table' and 'state_table' must differ");
    const char *seen[] = {t->state_table, t->reject_table};
    cc_check_table_name(c, o->table.s, o->table.node->pos, seen, 2);
}

/* A table a full refresh shadows needs room for the shadow's suffix in a SQL name. */
static void check_shadow_name(cc *c, const sl_table *t)
{
    if (t->name && strlen(t->name) > SL_SHADOW_NAME_MAX)
        sl_diag_error(c->diag, t->pos,
                      "table '%s' is too long for a full refresh: its shadow table '%s%s' "
                      "would pass 64 characters (at most %d here)",
                      t->name, t->name, SL_SHADOW_NEW, SL_SHADOW_NAME_MAX);
}

void cc_lower_refresh(cc *c)
{
    const sl_o_refresh *o = &c->opts.refresh;
    sl_refresh_plan *r = &c->plan->target.refresh;
    r->on = !c->opts.src.window.node;
    r->max_drop_percent = o->max_drop_percent.i;
    r->allow_empty = o->allow_empty.i != 0;
    const sl_ynode *n = c->opts.tgt.refresh.node;
    if (!r->on && n)
        sl_diag_error(c->diag, n->pos,
                      "'refresh' is for a full refresh, a job without 'source.window'; this "
                      "job has a window (drop one of them)");
    if (!r->on)
        return;
    check_shadow_name(c, &c->plan->table);
    for (size_t i = 0; i < c->plan->n_children; i++)
        check_shadow_name(c, &c->plan->children[i]);
}

void cc_lower_window_column(cc *c)
{
    const sl_optval *v = &c->opts.tgt.window_column;
    c->plan->target.window_column = -1;
    if (!v->set || !v->node)
        return;
    int idx = cc_find_column(&c->opts.parent, v->s);
    if (idx < 0)
        cc_unknown_column(c, v->node->pos, "window_column", v->s, &c->opts.parent,
                       c->opts.tgt.table.s);
    c->plan->target.window_column = idx;
}

void cc_lower_alerts(cc *c)
{
    const sl_o_alerts *o = &c->opts.alerts;
    if (!c->opts.job.alerts.node)
        return;
    sl_alert_plan *a = calloc(1, sizeof *a);
    if (!(c->plan->alerts = a)) {
        sl_diag_error(c->diag, (sl_pos){0, 0}, "out of memory");
        return;
    }
    sl_kind_secret(&c->k, &o->webhook, &a->webhook);
    cc_check_url(c, &o->webhook, &o->allow_insecure_http, "webhook", "alerts");
    a->format = (sl_alert_format)o->format.i;
    a->on = (unsigned)o->on.i;
    a->timeout_ms = o->timeout.i;
    a->max_lag_ms = o->max_lag.set ? o->max_lag.i : 0;
}

void cc_lower_schedule(cc *c)
{
    const sl_o_schedule *o = &c->opts.schedule;
    const sl_ynode *node = c->opts.job.schedule.node;
    sl_schedule_plan *s = &c->plan->schedule;
    if (!node || node->kind != SL_Y_MAP)
        return;
    bool every = o->every.node != NULL, cron = o->cron.node != NULL;
    if (every == cron) {
        sl_diag_error(c->diag, cron ? o->cron.node->pos : node->pos,
                      every ? "'schedule' takes 'every' or 'cron', not both"
                            : "'schedule' needs 'every' (e.g. every: 5m) or 'cron' (e.g. "
                              "cron: \"*/5 * * * *\")");
        return;
    }
    s->on = true;
    s->every_ms = every ? o->every.i : 0;
    s->tz_offset_s = (int)o->timezone.i;
    if (every)
        return;
    char err[200];
    size_t off = 0;
    if (sl_cron_parse(o->cron.s, &s->cron, err, sizeof err, &off) != 0)
        sl_diag_error(c->diag, sl_ynode_pos_at(o->cron.node, sl_char_col(o->cron.s, off)),
                      "'cron' %s", err);
    else if (!(s->cron_text = strdup(o->cron.s)))
        sl_diag_error(c->diag, (sl_pos){0, 0}, "out of memory");
}
