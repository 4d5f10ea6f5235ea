/* page_number.h: the page-number pager (page_number.c); its config is the plan's
 * sl_paging_plan. */
#ifndef SLUICE_PAGE_NUMBER_H
#define SLUICE_PAGE_NUMBER_H

#include "pager.h"

extern const sl_pager_ops sl_pager_page_number;

#endif
