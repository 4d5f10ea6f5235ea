#!/bin/sh
# plan_masks_references.sh [SLUICE]: `sluice plan --strict` on a job where EVERY text option
# (and a static param, the DSN, the webhook) is read through ${env:} or ${file:}, each with a
# distinctive value. The plan is printed (exit 0), and none of the values, nor the DSN's
# password (raw '@' and '/' in it) or a part of it, appears on stdout or stderr, in any case,
# in the text plan nor in its diagrams (--format mermaid, dot).
set -u
sluice=${1:-${SLUICE_BUILD:-}/engine/sluice}
[ -x "$sluice" ] || { echo "no sluice binary at $sluice" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cat >"$dir/job.yml" <<'YML'
version: 1
name: masks
source:
  endpoint: ${env:S_ENDPOINT}
  method: ${env:S_METHOD}
  signer: { type: none }
  params: { shop: "${env:S_PARAM}" }
  window:
    from_param: ${env:S_FROM}
    to_param: ${env:S_TO}
    format: ${env:S_FORMAT}
    start: "2024-01-01 00:00:00"
  paging:
    page_param: ${env:S_PAGE}
    size_param: ${env:S_SIZE}
    total: data.total
  records: data.items
  errors:
    - when: code != 0
      then: fail
      hint: ${file:hint.txt}
target:
  dsn: ${env:S_DSN}
  table: items
  key: [id]
columns:
  id: { path: id, type: bigint, required: true }
  tags: { path: tags, type: join, join: "${env:S_JOIN}" }
  note: { path: note, type: "${env:S_TYPE}", comment: "${env:S_COMMENT}" }
alerts:
  webhook: ${env:S_WEBHOOK}
YML
printf 'Hint-Qx17 ask the ops team\n' >"$dir/hint.txt"
cd "$dir" || exit 2
fail=0
for format in text mermaid dot; do
env -i PATH="$PATH" \
    S_ENDPOINT='https://api.example/router?token=Endpoint-Qx01' \
    S_METHOD='Method-Qx02' S_PARAM='Param-Qx03' S_FROM='From-Qx04' S_TO='To-Qx05' \
    S_FORMAT='Fmt-Qx06 %Y-%m-%d %H:%M:%S' S_PAGE='Page-Qx07' S_SIZE='Size-Qx08' \
    S_DSN='mysql://loader:Pw-Qx09@x/y@127.0.0.1:3306/shop' S_TYPE='varchar(77)' \
    S_JOIN='Join-Qx10' S_COMMENT='Comment-Qx11' \
    S_WEBHOOK='https://hooks.example/send?key=Hook-Qx12' \
    "$sluice" plan --strict --format "$format" job.yml >stdout 2>stderr
status=$?
if [ "$status" != 0 ]; then
    echo "plan --strict --format $format exited $status, want 0" >&2
    cat stderr >&2
    fail=1
fi
for v in Endpoint-Qx01 Method-Qx02 Param-Qx03 From-Qx04 To-Qx05 Fmt-Qx06 Page-Qx07 Size-Qx08 \
         Pw-Qx09 x/y varchar\(77\) Join-Qx10 Comment-Qx11 Hook-Qx12 Hint-Qx17; do
    if grep -Fiq -e "$v" stdout stderr; then
        echo "--format $format: the value '$v' read through a reference was printed:" >&2
        grep -Fi -e "$v" stdout stderr >&2
        fail=1
    fi
done
# The plan still says where each value came from.
# (The diagrams leave out the hints and the column comments.)
refs='env:S_METHOD env:S_FROM env:S_PAGE env:S_DSN env:S_WEBHOOK'
[ "$format" = text ] && refs="$refs file:hint.txt env:S_COMMENT"
for ref in $refs; do
    grep -Fq "$ref" stdout || { echo "--format $format: the plan does not name $ref" >&2; fail=1; }
done
done
exit $fail
