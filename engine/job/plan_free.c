/* plan_free.c: sl_plan_free (plan.h): each element is freed by its own module (paths,
 * converters, conditions, patterns, kinds through their descriptors). */
#include <stdlib.h>
#include <string.h>

#include "convert.h"
#include "expr.h"
#include "jpath.h"
#include "kind.h"
#include "plan_int.h"
#include "regex.h"

static void table_free(sl_table *t)
{
    for (size_t i = 0; i < t->n_cols; i++) {
        sl_column *c = &t->cols[i];
        free(c->name);
        free(c->rename_from);
        sl_jpath_free(c->path);
        sl_conv_free(c->conv);
        free(c->default_text);
        free(c->comment);
    }
    free(t->cols);
    free(t->key);
    free(t->name);
    sl_jpath_free(t->each);
}

static void source_free(sl_source_plan *s)
{
    free(s->endpoint);
    free(s->method);
    sl_kind_ref_clear(&s->signer);
    json_decref(s->params);
    json_decref(s->json_body);
    for (size_t i = 0; i < s->n_headers; i++) {
        free(s->header_names[i]);
        free(s->header_values[i]);
    }
    free(s->header_names);
    free(s->header_values);
    free(s->window.from_param);
    free(s->window.to_param);
    free(s->window.format);
    sl_kind_ref_clear(&s->paging);
    sl_kind_ref_clear(&s->auth);
    free(s->reply_paths);
    sl_jpath_free(s->records);
    for (size_t i = 0; i < s->n_rules; i++) {
        sl_error_rule *r = &s->rules[i];
        sl_expr_free(r->when);
        sl_jpath_free(r->message);
        sl_jpath_free(r->wait_path);
        sl_regex_free(r->wait_regex);
        free(r->hint);
    }
    free(s->rules);
}

static void quality_free(sl_plan *plan)
{
    for (size_t i = 0; i < plan->n_quality; i++) {
        sl_dq_rule *r = &plan->quality[i];
        free(r->name);
        free(r->min);
        free(r->max);
        sl_regex_free(r->pattern);
        for (size_t v = 0; v < r->n_values; v++)
            free(r->values[v]);
        free(r->values);
        free(r->values_dec);
        sl_expr_free(r->check);
        free(r->check_cols);
    }
    free(plan->quality);
}

void sl_plan_free(sl_plan *plan)
{
    if (!plan)
        return;
    sl_plan_priv *priv = (sl_plan_priv *)plan;
    free(plan->file);
    free(plan->name);
    for (size_t i = 0; i < plan->n_accounts; i++)
        free(plan->accounts[i].id);
    free(plan->accounts);
    free(plan->account_column);
    free(plan->account);
    source_free(&plan->source);
    free(plan->target.dsn);
    free(plan->target.state_table);
    free(plan->target.reject_table);
    table_free(&plan->table);
    for (size_t i = 0; i < plan->n_children; i++)
        table_free(&plan->children[i]);
    free(plan->children);
    if (plan->alerts)
        free(plan->alerts->webhook);
    free(plan->alerts);
    free(plan->schedule.cron_text);
    explicit_bzero(plan->personal.key, sizeof plan->personal.key);
    free(plan->personal.hash_key);
    quality_free(plan);
    for (size_t i = 0; i < plan->n_secrets; i++)
        free(plan->secrets[i]);
    free(plan->secrets);
    for (size_t i = 0; i < priv->n_origins; i++)
        free(priv->origins[i].ref);
    free(priv->origins);
    free(priv);
}
