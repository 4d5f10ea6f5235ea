/* plan_tables.c: walking the plan's tables as a tree (plan.h): each child table names its
 * parent, and plan->children lists every table before its own children. */
#include "plan.h"

const sl_table *sl_plan_parent_table(const sl_plan *plan, const sl_table *t)
{
    if (t == &plan->table)
        return NULL;
    return t->up == 0 ? &plan->table : &plan->children[t->up - 1];
}

bool sl_plan_is_link(const sl_plan *plan, const sl_table *t, size_t col)
{
    const sl_table *up = sl_plan_parent_table(plan, t);
    int from = t->cols[col].from_parent;
    if (!up || from < 0)
        return false;
    for (size_t k = 0; k < up->n_key; k++)
        if (up->key[k] == (size_t)from)
            return true;
    return false;
}

size_t sl_plan_kids_end(const sl_plan *plan, size_t up)
{
    return up == 0 ? plan->n_children : sl_plan_subtree_end(plan, up - 1);
}

size_t sl_plan_subtree_end(const sl_plan *plan, size_t i)
{
    size_t end = i + 1;
    while (end < plan->n_children && plan->children[end].depth > plan->children[i].depth)
        end++;
    return end;
}
