#!/usr/bin/env bash
# rest_mutation_cursor: the pager `cursor` with holds: key against rest-mock's keyset cursor
# (the last record's (updated, id), resumed after) misses no order that stayed in the window
# over 20 seeds while orders change; the negative control, rest-mock's offset-kind cursor
# (--cursor-kind offset: a position in disguise, which validate warns about), misses some.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rest/mutation.sh"

db_create
PAGING='{ type: cursor, cursor_param: cursor, limit_param: limit, limit: 10, next: next_cursor, holds: key }'
mut_claim "cursor (keyset)" cursor/orders "$PAGING"
mut_control "cursor (offset kind)" cursor/orders "$PAGING" --cursor-kind offset
