/* compile_volume.c: the job's `volume` section (docs/volume.md) lowered into plan->volume:
 * the bucket, the time column (a datetime of the parent table; target.window_column unless
 * named), the summed column (a number), the band's shares and the history. See compile_int.h. */
#include <stdio.h>
#include <string.h>

#include "compile_int.h"
#include "convert.h"

enum { MAX_SHARE_BP = 10000000 }; /* 100000% */

/* The parent column named by v (a datetime when want_time, else a number), or -1. */
static int volume_column(cc *c, const sl_optval *v, const char *key, bool want_time)
{
    int idx = cc_find_column(&c->opts.parent, v->s);
    if (idx < 0) {
        char what[48];
        snprintf(what, sizeof what, "volume %s", key);
        cc_unknown_column(c, v->node->pos, what, v->s, &c->opts.parent, c->plan->table.name);
        return -1;
    }
    const sl_conv *conv = c->plan->table.cols[idx].conv;
    if (!conv)
        return -1;
    sl_ltype t = sl_conv_type(conv);
    bool number = t.kind == SL_LT_INT || t.kind == SL_LT_BIGINT || t.kind == SL_LT_DECIMAL;
    if (want_time && t.kind != SL_LT_DATETIME)
        sl_diag_error(c->diag, v->node->pos, "volume %s '%s' must be a datetime column", key,
                      v->s);
    else if (!want_time && !number)
        sl_diag_error(c->diag, v->node->pos,
                      "volume sum '%s' must be a number column (int, bigint or decimal)", v->s);
    return idx;
}

/* The time column: volume.time_column, else target.window_column. */
static void lower_time_column(cc *c, const sl_ynode *node)
{
    const sl_o_volume *o = &c->opts.volume;
    sl_volume_plan *v = &c->plan->volume;
    if (o->time_column.set)
        v->time_column = volume_column(c, &o->time_column, "time_column", true);
    else if (c->opts.tgt.window_column.set)
        v->time_column = volume_column(c, &c->opts.tgt.window_column, "window_column", true);
    else
        sl_diag_error(c->diag, node->pos,
                      "'volume' needs 'time_column' (or target.window_column): the datetime "
                      "column that places a row in its hour or day");
}

static void lower_shares(cc *c)
{
    const sl_o_volume *o = &c->opts.volume;
    sl_volume_plan *v = &c->plan->volume;
    if (!cc_share_bp(o->min_share.s, 10000, &v->min_share_bp))
        sl_diag_error(c->diag, cc_pos_of(&o->min_share, c->opts.job.volume.node),
                      "volume min_share is a share like \"20%%\" (0%% to 100%%)");
    if (o->max_share.set &&
        (!cc_share_bp(o->max_share.s, MAX_SHARE_BP, &v->max_share_bp) || v->max_share_bp < 10000))
        sl_diag_error(c->diag, o->max_share.node->pos,
                      "volume max_share is a share like \"500%%\" (100%% to 100000%%)");
    if (v->min_share_bp == 0 && !o->max_share.set)
        sl_diag_error(c->diag, cc_pos_of(&o->min_share, c->opts.job.volume.node),
                      "volume min_share 0%% without max_share judges nothing");
}

static void lower_history(cc *c)
{
    const sl_o_volume *o = &c->opts.volume;
    sl_volume_plan *v = &c->plan->volume;
    const int64_t day_ms = INT64_C(86400000);
    if (o->history.i % day_ms != 0)
        sl_diag_error(c->diag, o->history.node->pos,
                      "volume history is whole days (e.g. 7d): the same hour of each previous "
                      "day");
    v->history_days = o->history.i / day_ms;
    v->min_history = o->min_history.i;
    if (v->history_days > 0 && v->min_history > v->history_days)
        sl_diag_error(c->diag, cc_pos_of(&o->min_history, c->opts.job.volume.node),
                      "volume min_history %lld is more than the history (%lld day%s)",
                      (long long)v->min_history, (long long)v->history_days,
                      v->history_days == 1 ? "" : "s");
}

void cc_lower_volume(cc *c)
{
    const sl_ynode *node = c->opts.job.volume.node;
    const sl_o_volume *o = &c->opts.volume;
    sl_volume_plan *v = &c->plan->volume;
    if (!node || node->kind != SL_Y_MAP)
        return;
    *v = (sl_volume_plan){.on = true, .time_column = -1, .sum_column = -1};
    if (c->plan->target.refresh.on)
        sl_diag_error(c->diag, node->pos,
                      "'volume' needs source.window: a full refresh has no hours a run "
                      "completes");
    v->by_s = o->by.i == 1 ? 86400 : 3600;
    lower_time_column(c, node);
    if (o->sum.set)
        v->sum_column = volume_column(c, &o->sum, "sum", false);
    lower_shares(c);
    lower_history(c);
}
