/* shadow.h: the shadow tables of a full refresh (docs/sink.md, "Full refresh"). A refresh
 * writes the rows of every job table into `<table>__sluice_new`; at the end one statement
 * renames each live table to `<table>__sluice_old` and each shadow to the live name (MariaDB
 * renames several tables atomically), and the old ones are dropped. The shadow plan is the
 * job's plan with its tables named after their shadows, so a sink writes a refresh's batches
 * with its ordinary code. */
#ifndef SLUICE_SHADOW_H
#define SLUICE_SHADOW_H

#include <stddef.h>

#include "plan.h"

#define SL_SHADOW_NEW "__sluice_new"
#define SL_SHADOW_OLD "__sluice_old"
/* The longest table name a full refresh can shadow: a SQL name has at most 64 characters. */
enum { SL_SHADOW_NAME_MAX = 64 - (int)sizeof SL_SHADOW_NEW + 1 };

typedef enum sl_shadow_role { SL_SHADOW_LIVE, SL_SHADOW_NEW_T, SL_SHADOW_OLD_T } sl_shadow_role;

typedef struct sl_shadow sl_shadow;

/* The shadows of plan's tables (plan borrowed: must outlive it); owned, NULL when out of
 * memory. */
sl_shadow *sl_shadow_new(const sl_plan *plan);
/* The plan whose job tables are the shadows; borrowed from sh. */
const sl_plan *sl_shadow_plan(const sl_shadow *sh);
/* How many job tables (the parent, then the children). */
size_t sl_shadow_tables(const sl_shadow *sh);
/* The name of job table ti (0: the parent) in role; borrowed from sh. */
const char *sl_shadow_name(const sl_shadow *sh, size_t ti, sl_shadow_role role);
/* Frees sh; NULL is fine. */
void sl_shadow_free(sl_shadow *sh);

#endif
