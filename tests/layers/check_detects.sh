#!/usr/bin/env bash
# check_detects: tools/check-layers.sh fails on what it must catch, on small planted trees (the
# real engine/ is not needed): an include cycle, a cycle of calls through one shared header, an
# include from a lower layer up to a higher one, and a file in no layer; and it passes the same
# tree without them, so that it can be told apart from a check that always fails.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
CHECK=$SRC/tools/check-layers.sh
WORK=$(mktemp -d "${TMPDIR:-/tmp}/sluice-layers.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# put ROOT FILE LINE...: writes engine/FILE of the tree ROOT, one line per argument.
put() {
    local root=$1 file=$2
    shift 2
    mkdir -p "$(dirname "$root/engine/$file")"
    printf '%s\n' "$@" >"$root/engine/$file"
}

# tree NAME: a clean tree of three layers (util < json < run); prints its root. text.c includes
# text_int.h, which includes text.h: a private header is no cycle.
tree() {
    local root=$WORK/$1
    mkdir -p "$root/docs"
    printf '%s\n' '# Architecture' '```layers' 'util' 'json' 'top: run  # the pipeline' '```' \
        >"$root/docs/architecture.md"
    put "$root" util/text.h '#include <stddef.h>' 'int sl_text(void);'
    put "$root" util/text_int.h '#include "text.h"' '#define SL_TEXT_ONE 1'
    put "$root" util/text.c '#include "text_int.h"' 'int sl_text(void)' '{' '    return SL_TEXT_ONE;' '}'
    put "$root" json/jpath.h '#include "text.h"' 'int sl_jpath(void);'
    put "$root" json/jpath.c '#include "jpath.h"' '/* sl_fake() in a comment is no call */' \
        'int sl_jpath(void)' '{' '    return sl_text() + (int)sizeof "sl_run()";' '}'
    put "$root" run/runner.h 'int sl_run(void);'
    put "$root" run/runner.c '#include "runner.h"' '#include "jpath.h"' '#include "text.h"' \
        'int sl_run(void)' '{' '    return sl_jpath() + sl_text();' '}'
    echo "$root"
}

# flags NAME WANT...: the check fails on tree NAME and prints every WANT (a fixed string).
flags() {
    local name=$1 rc=0
    shift
    bash "$CHECK" "$WORK/$name" >"$WORK/$name.out" 2>&1 || rc=$?
    cat "$WORK/$name.out"
    [ $rc -eq 1 ] || fail "$name: the check exited $rc, want 1"
    for want in "$@"; do
        grep -qF -- "$want" "$WORK/$name.out" || fail "$name: the output lacks '$want'"
    done
}

root=$(tree clean)
bash "$CHECK" "$root" || fail "the check refused a clean tree"

# An include cycle between two modules of one layer.
root=$(tree include-cycle)
put "$root" json/jscan.h '#include "jpath.h"' 'int sl_jscan(void);'
put "$root" json/jscan.c '#include "jscan.h"' 'int sl_jscan(void) { return 0; }'
put "$root" json/jpath.h '#include "text.h"' '#include "jscan.h"' 'int sl_jpath(void);'
flags include-cycle "cycle: json/jpath -> json/jscan -> json/jpath" \
    "json/jpath.h:2 includes jscan.h" "json/jscan.h:1 includes jpath.h"

# A cycle of calls, hidden behind one header that both .c files include.
root=$(tree call-cycle)
put "$root" run/run_int.h 'int sl_a(void);' 'int sl_b(void);'
put "$root" run/a.c '#include "run_int.h"' 'int sl_a(void)' '{' '    return sl_b();' '}'
put "$root" run/b.c '#include "run_int.h"' 'int sl_b(void)' '{' '    return sl_a();' '}'
flags call-cycle "cycle: run/a -> run/b -> run/a" "run/a.c:4 calls sl_b()" "run/b.c:4 calls sl_a()"

# An include from a lower layer up to a higher one (no cycle: nothing in run/report depends on
# json/).
root=$(tree upward)
put "$root" run/report.h '#define SL_REPORT 1'
put "$root" json/jpath.c '#include "jpath.h"' '#include "report.h"' 'int sl_jpath(void) { return 0; }'
flags upward "upward: json/jpath.c (layer 2, json) -> run/report.h (layer 3, top)" \
    "json/jpath.c:2 includes report.h"
grep -q '^cycle' "$WORK/upward.out" && fail "upward: a cycle reported where there is none"

# A call up a layer through a header of its own layer.
root=$(tree upward-call)
put "$root" json/up.h 'int sl_run(void);'
put "$root" json/up.c '#include "up.h"' 'int sl_up(void)' '{' '    return sl_run();' '}'
flags upward-call "upward: json/up.c (layer 2, json) -> run/runner.c (layer 3, top): json/up.c:4 calls sl_run()"

# A file of a folder the layers do not name.
root=$(tree no-layer)
put "$root" page/cursor.c 'int sl_cursor(void) { return 0; }'
flags no-layer "engine/page/cursor.c: in no layer of docs/architecture.md"
echo "check_detects: ok"
