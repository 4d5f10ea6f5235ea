#!/usr/bin/env bash
# rest_mutation_numbered: page-number and offset with the total in the X-Total-Count header
# (backward, count checked) miss no order that stayed in the window over 20 seeds while orders
# change; the negative control, the same pagers without a total (forward until a short page,
# which validate warns about), misses some.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rest/mutation.sh"

db_create
mut_claim "page-number (header total)" page/orders \
    '{ page_param: page, size_param: per_page, first_page: 1, size: 10, total_from: header }' \
    --total header
mut_claim "offset (header total)" offset/orders \
    '{ type: offset, offset_param: offset, limit_param: limit, limit: 10, total_from: header }' \
    --total header
mut_control "page-number (no total)" page/orders \
    '{ page_param: page, size_param: per_page, first_page: 1, size: 10, total_from: none }' \
    --total none
mut_control "offset (no total)" offset/orders \
    '{ type: offset, offset_param: offset, limit_param: limit, limit: 10, total_from: none }' \
    --total none
