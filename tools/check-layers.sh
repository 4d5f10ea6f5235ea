#!/usr/bin/env bash
# check-layers.sh [ROOT]: engine/ has layers you can draw (docs/architecture.md, "Layers").
# A file depends on another when it includes it (#include "x.h", found by bare name anywhere in
# engine/, as the compiler finds it), or when a .c file calls a function that another .c file
# defines (not static, not defined in the caller's own file): a header shared by several .c
# files hides who calls whom, the calls do not. It fails (exit 1) when
#   - modules depend on each other in a cycle (a module is a file without its extension:
#     transform/convert = convert.c, convert.h and convert.def); each cycle is named edge by edge;
#   - a file depends on a file of a higher layer, or a file is in no layer.
# The layers are the lines of the ```layers block of ROOT/docs/architecture.md, lowest first.
# Each line ("NAME: " first, optionally) names folders of engine/, modules ("job/plan") or files
# ("job/plan.h"); the most specific entry wins, so "sink" also covers sink/mysql unless
# sink/mysql has an entry of its own. Files of one layer may depend on each other (no cycle).
# ROOT is the repository (default: this script's); tests point it at a doctored copy.
set -euo pipefail
root=$(cd "${1:-$(dirname "$0")/..}" && pwd)
cd "$root"
doc=docs/architecture.md
[ -f "$doc" ] || { echo "no $doc: it holds the layers" >&2; exit 2; }
layers=$(awk '/^```layers[ \t]*$/ { on = 1; next } on && /^```/ { exit } on' "$doc" |
    sed 's/#.*//' | awk 'NF { n++; label = ""
                             if ($1 ~ /:$/) { label = substr($1, 1, length($1) - 1); $1 = "" }
                             for (i = 1; i <= NF; i++) if ($i != "") print n, $i, label }')
[ -n "$layers" ] || { echo "$doc has no \`\`\`layers block" >&2; exit 2; }

files=$(cd engine && find . -type f \( -name '*.c' -o -name '*.h' -o -name '*.def' \) |
    sed 's|^\./||' | LC_ALL=C sort)

# One edge per line: FROM_FILE TO_FILE WHY (paths under engine/).
edges() {
    local f
    for f in $files; do
        grep -HnoE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"[^"]+"' "engine/$f" |
            sed -E 's/^engine\/([^:]*):([0-9]+):.*"([^"]+)"/\1 \2 \3/'
    done | awk -v all="$files" '
        BEGIN {
            n = split(all, fs, " ")
            for (i = 1; i <= n; i++) {
                base = fs[i]; sub(/.*\//, "", base)
                dup = base in where               # (mawk creates where[base] first)
                where[base] = dup ? "?" : fs[i]
            }
        }
        function mod(p) { sub(/\.(c|h|def)$/, "", p); return p }
        {
            target = $3; sub(/.*\//, "", target)
            if (!(target in where)) next          # a system or generated header
            if (where[target] == "?") { print "AMBIGUOUS " $1 ":" $2 " " target; next }
            if ($1 != where[target]) print $1, where[target], $1 ":" $2 " includes " $3
        }'
    # Calls: definitions at column 0 of .c files, then every identifier followed by "(".
    local cfiles
    cfiles=$(echo "$files" | grep '\.c$' || true)
    [ -n "$cfiles" ] || return 0
    (cd engine && awk '
        FNR == 1 { incomment = 0 }
        {
            line = $0
            # drop comments and literals so their words are not taken for calls
            if (incomment) {
                if (!sub(/^.*\*\//, "", line)) next
                incomment = 0
            }
            gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, " ", line)
            if (sub(/\/\*.*$/, "", line)) incomment = 1
            sub(/\/\/.*$/, "", line)
            gsub(/"([^"\\]|\\.)*"/, "\"\"", line)
            gsub(/'\''([^'\''\\]|\\.)*'\''/, "0", line)
            if (line ~ /^[A-Za-z_][A-Za-z0-9_ \t*]*[ \t*][A-Za-z_][A-Za-z0-9_]*\(/ &&
                line !~ /;[ \t]*$/ && line !~ /^(typedef|return|extern|else)[ \t]/) {
                name = line; sub(/\(.*/, "", name); sub(/.*[ \t*]/, "", name)
                own[FILENAME, name] = 1
                if (line !~ /^static[ \t]/ && !(name in def)) def[name] = FILENAME
                sub(/^[^(]*\(/, "(", line)       # the parameters: no calls of their own
            }
            while (match(line, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
                name = substr(line, RSTART, RLENGTH); sub(/[ \t]*\($/, "", name)
                calls[++nc] = FILENAME SUBSEP name SUBSEP FNR
                line = substr(line, RSTART + RLENGTH)
            }
        }
        END {
            for (i = 1; i <= nc; i++) {
                split(calls[i], c, SUBSEP)
                if (!(c[2] in def) || own[c[1], c[2]]) continue
                if (c[1] != def[c[2]] && !((c[1], def[c[2]]) in seen)) {
                    seen[c[1], def[c[2]]] = 1
                    print c[1], def[c[2]], c[1] ":" c[3] " calls " c[2] "()"
                }
            }
        }' $cfiles)
}

file_edges=$(edges | LC_ALL=C sort -u -k1,1 -k2,2)
status=0
if grep -q '^AMBIGUOUS ' <<<"$file_edges"; then
    grep '^AMBIGUOUS ' <<<"$file_edges" | while read -r _ at name; do
        echo "engine/$at: \"$name\" names two files of engine/ (headers go by bare name)"
    done
    status=1
fi
file_edges=$(grep -v '^AMBIGUOUS ' <<<"$file_edges" | awk '!seen[$1 FS $2]++' || true)
# The same between modules, the first reason of each pair kept.
mod_edges=$(awk '{ a = $1; b = $2; sub(/\.(c|h|def)$/, "", a); sub(/\.(c|h|def)$/, "", b)
                   if (a != b && !seen[a FS b]++) print a, b, substr($0, length($1 $2) + 3) }' \
    <<<"$file_edges")

# Cycles: the strongly connected components of the module graph (Tarjan), each printed as one
# cycle through it, edge by edge. A header without a .c of its name (sink_int.h) is no module of
# its own here: including it is including what it includes (so sink.c including sink_int.h,
# which includes sink.h, is no cycle), while the layer check below still sees it.
cmods=$(echo "$files" | grep '\.c$' | sed 's/\.c$//' || true)
cycles=$(awk '
    NR == FNR { hasc[$1] = 1; next }
    NF >= 2 { e[++ne] = $0; out[$1] = out[$1] SUBSEP $2; w0[$1, $2] = substr($0, length($1 $2) + 3) }
    # The modules with a .c that including b amounts to, each with the header it came through.
    function reach(b, via,    parts, i, n) {
        if (hasc[b]) { got[b] = via; return }
        if (b in done) return
        done[b] = 1
        n = split(out[b], parts, SUBSEP)
        for (i = 2; i <= n; i++) reach(parts[i], via)
    }
    function add(a, b, text) {
        if (a == b || (a, b) in why) return
        n = ++deg[a]; adj[a, n] = b; why[a, b] = text
        if (!(a in node)) { node[a] = 1; nodes[++nn] = a }
        if (!(b in node)) { node[b] = 1; nodes[++nn] = b }
    }
    END {
        for (i = 1; i <= ne; i++) {
            split(e[i], f, " "); a = f[1]; b = f[2]
            if (!hasc[a]) continue
            if (hasc[b]) { add(a, b, w0[a, b]); continue }
            split("", got); split("", done)
            reach(b, b)
            for (t in got) add(a, t, w0[a, b] ", which leads to " t)
        }
        # in input order (sorted), so the same tree always prints the same cycles
        for (i = 1; i <= nn; i++) if (!(nodes[i] in index_)) connect(nodes[i])
        for (c = 1; c <= k; c++) if (c in big) show(big[c], c)
    }
    function connect(v,    i, w) {
        index_[v] = low[v] = ++counter; stack[++sp] = v; on[v] = 1
        for (i = 1; i <= deg[v]; i++) {
            w = adj[v, i]
            if (!(w in index_)) { connect(w); if (low[w] < low[v]) low[v] = low[w] }
            else if (on[w] && index_[w] < low[v]) low[v] = index_[w]
        }
        if (low[v] == index_[v]) {
            k++; size = 0
            do {
                w = stack[sp--]; on[w] = 0; comp[w] = k; size++
                members[k] = members[k] " " w
                if (first == "" || w < first) first = w
            } while (w != v)
            if (size > 1) { big[k] = first; sizes[k] = size }   # from its first module by name
            first = ""
        }
    }
    # A shortest way back to start inside its component (breadth first), edge by edge.
    function show(start, c,    q, head, tail, v, i, w, prev, seen, rev, n, j, line) {
        head = tail = 1; q[1] = start; seen[start] = 1
        while (head <= tail) {
            v = q[head++]
            for (i = 1; i <= deg[v]; i++) {
                w = adj[v, i]
                if (comp[w] != c) continue
                if (w == start) {
                    n = 0
                    for (w = v; w != start; w = prev[w]) rev[++n] = w
                    rev[++n] = start
                    line = "cycle: " start
                    for (j = n - 1; j >= 1; j--) line = line " -> " rev[j]
                    print line " -> " start
                    for (j = n; j >= 2; j--) print "    " why[rev[j], rev[j - 1]]
                    print "    " why[v, start]
                    if (sizes[c] > n)
                        print "    (the same tangle holds" members[c] ")"
                    return
                }
                if (!(w in seen)) { seen[w] = 1; prev[w] = v; q[++tail] = w }
            }
        }
    }
    ' <(echo "$cmods") <(echo "$mod_edges"))
if [ -n "$cycles" ]; then
    echo "$cycles"
    status=1
fi

# Layers: each file takes the layer of its most specific entry (file, module, folder).
violations=$(awk -v files="$files" '
    NR == FNR { layer[$2] = $1
                name[$1] = $3 != "" ? $3 : name[$1] == "" ? $2 : name[$1] "|" $2; next }
    function of(f,    d) {
        if (f in cache) return cache[f]
        if (f in layer) return cache[f] = layer[f]
        d = f
        if (sub(/\.(c|h|def)$/, "", d) && d in layer) return cache[f] = layer[d]
        while (sub(/\/[^\/]*$/, "", d)) if (d in layer) return cache[f] = layer[d]
        return cache[f] = 0
    }
    FNR == 1 && !started {
        started = 1
        n = split(files, fs, " ")
        for (i = 1; i <= n; i++)
            if (!of(fs[i])) print "engine/" fs[i] ": in no layer of docs/architecture.md"
    }
    function mod(f) { sub(/\.(c|h|def)$/, "", f); return f }
    NF >= 2 {
        a = of($1); b = of($2)
        if (!a || !b || a >= b) next
        k = mod($1) " " mod($2)     # one line per pair of modules, an include first
        if (!(k in up) || (why[k] ~ / calls / && $0 ~ / includes /)) {
            if (!(k in up)) order[++nk] = k
            up[k] = sprintf("upward: %s (layer %d, %s) -> %s (layer %d, %s): ", $1, a, name[a],
                            $2, b, name[b])
            why[k] = substr($0, length($1 $2) + 3)
        }
    }
    END { for (i = 1; i <= nk; i++) print up[order[i]] why[order[i]] }
    ' <(echo "$layers") <(echo "$file_edges"; echo))
# The empty line above makes sure the file list is read even when there are no edges.
if [ -n "$violations" ]; then
    echo "$violations"
    status=1
fi
[ $status -eq 0 ] && echo "engine/: $(echo "$files" | wc -l) files, no cycle, every dependency points down or across"
exit $status
