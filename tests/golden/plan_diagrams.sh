#!/usr/bin/env bash
# plan_diagrams.sh SLUICE [--update]: `sluice plan --format mermaid|dot` of every shipped job
# (mappings/*.yml, mappings/examples/*.yml) and of plan-diagrams/escaping.yml (labels holding
# every character the formats must escape) equals the golden files in plan-diagrams/
# (NAME.mmd, NAME.dot); Graphviz's `dot -Tsvg` accepts every DOT output (and draws each node);
# every Mermaid line is a node, an edge or the header, no label's quotes broken; a bad
# --format is exit 2 with a message naming the formats. --update rewrites the golden files.
set -u
sluice=$1
update=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
gold=$here/plan-diagrams
command -v dot >/dev/null || { echo "Graphviz's dot is missing (tools/deps.sh installs it)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2
fail=0
jobs=(mappings/*.yml mappings/examples/*.yml tests/golden/plan-diagrams/escaping.yml)
# One Mermaid line: the header, the class, a node (box, round, cylinder; note class) whose
# quoted label holds no quote, or an edge (solid, labelled, dashed).
label='"[^"]*"'
node="    n[0-9]+(\[$label\]|\($label\)|\[\($label\)\])(:::note)?"
edge="    n[0-9]+ (-->|-->\|$label\||-\.-) n[0-9]+"
mermaid_ok="^(%% .*|flowchart TB|    classDef note .*|$node|$edge)\$"
names=()
for job in "${jobs[@]}"; do
    name=$(basename "$job" .yml)
    for n in "${names[@]}"; do [ "$n" != "$name" ] || { echo "two jobs named $name" >&2; fail=1; }; done
    names+=("$name")
    for fmt in mermaid dot; do
        ext=$([ $fmt = dot ] && echo dot || echo mmd)
        out=$tmp/$name.$ext
        if ! env -i PATH="$PATH" "$sluice" plan --format $fmt "$job" >"$out" 2>"$tmp/err"; then
            echo "$job: plan --format $fmt failed:" >&2; cat "$tmp/err" >&2; fail=1; continue
        fi
        [ -s "$out" ] || { echo "$job: plan --format $fmt printed nothing" >&2; fail=1; continue; }
        if [ "$update" = --update ]; then
            cp "$out" "$gold/$name.$ext"
        elif ! diff -u "$gold/$name.$ext" "$out" >"$tmp/diff" 2>&1; then
            echo "$job: --format $fmt differs from $gold/$name.$ext (check the diff, then" \
                 "tests/golden/plan_diagrams.sh SLUICE --update):" >&2
            head -40 "$tmp/diff" >&2
            fail=1
        fi
        if [ $fmt = dot ]; then
            if ! dot -Tsvg "$out" >"$tmp/$name.svg" 2>"$tmp/err" || [ -s "$tmp/err" ]; then
                echo "$job: dot -Tsvg refused the DOT output:" >&2; cat "$tmp/err" >&2; fail=1
            fi
            want=$(grep -c '^    n[0-9]* \[shape' "$out")
            got=$(grep -c 'class="node"' "$tmp/$name.svg")
            [ "$want" -gt 3 ] && [ "$want" = "$got" ] ||
                { echo "$job: $want nodes in the DOT, $got drawn" >&2; fail=1; }
        elif grep -Evn "$mermaid_ok" "$out" >"$tmp/bad"; then
            echo "$job: Mermaid lines that are no node or edge:" >&2; cat "$tmp/bad" >&2; fail=1
        fi
    done
done
# The escaping job's labels survive: the DOT's SVG shows the rule's text as written.
grep -Fq 'msg == &quot;a\&quot;b]&lt;script&gt;x&lt;/script&gt;#&amp;| `c` \\ end&quot;' \
    "$tmp/escaping.svg" || { echo "escaping.yml: the rule's text is not drawn as written" >&2; fail=1; }
# A bad --format: exit 2, the message names the formats, nothing on stdout.
"$sluice" plan --format svg mappings/wdt_refund.yml >"$tmp/out" 2>"$tmp/err"
st=$?
if [ $st != 2 ] || ! grep -q "unknown --format 'svg' (text, mermaid or dot)" "$tmp/err" ||
    [ -s "$tmp/out" ]; then
    echo "plan --format svg: exit $st, want 2 and the formats named:" >&2; cat "$tmp/err" >&2
    fail=1
fi
[ $fail = 0 ] && echo "ok: ${#jobs[@]} jobs' diagrams, dot accepts every DOT output"
exit $fail
