#!/usr/bin/env bash
# rest_mutation_link: the pager `link` with holds: key, following the Link header's rel="next"
# whose URL carries rest-mock's keyset cursor, misses no order that stayed in the window over 20
# seeds while orders change; the negative control, next URLs carrying an offset (--link-via
# offset), misses some.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/rest/mutation.sh"

db_create
PAGING='{ type: link, limit_param: limit, limit: 10, holds: key }'
mut_claim "link (keyset cursor)" link/orders "$PAGING" --link-in header --link-via cursor
mut_control "link (via offset)" link/orders "$PAGING" --link-in header --link-via offset
