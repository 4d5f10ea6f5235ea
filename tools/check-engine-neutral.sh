#!/usr/bin/env bash
# check-engine-neutral.sh [ROOT]: the engine holds no field list or API wording of its own.
# Fails if any column name, JSON path, table name or job name of a shipped mapping appears as a
# word in engine/ (generic one-word names such as "type" or "status" are left out: they are
# ordinary words there), or if a string or character literal in engine/ holds a non-ASCII byte
# (an API's own words, such as a Chinese error message, belong in a job's rules). ROOT is the
# repository (default: this script's); tests point it at a doctored copy.
set -euo pipefail
cd "${1:-$(dirname "$0")/..}"
names=$(grep -hoE '^ {2,6}[a-z][a-z0-9]*_[a-z0-9_]+: *\{|(path|each|table|name): *[a-z][a-z0-9_]*_[][a-z0-9_.*]+' mappings/*.yml |
    sed -E 's/^ +//; s/: *\{$//; s/^(path|each|table|name): *//; s/\[\*\]//; s/\..*//' | sort -u)
found=0
for n in $names; do
    if grep -rnw --include='*.[ch]' --include='*.def' -- "$n" engine/; then
        echo "engine/ mentions the mapping's name '$n'" >&2
        found=1
    fi
done
count=$(echo "$names" | wc -w)
[ "$count" -gt 40 ] || { echo "only $count names extracted from mappings/: the extraction is broken" >&2; exit 1; }

# Literals with a non-ASCII byte: comments are dropped first (they may quote an API in its own
# words); string and character literals are scanned with their escapes.
literals=$(find engine -name '*.[ch]' -o -name '*.def' | sort | xargs perl -0777 -ne '
    my $src = $_;
    while ($src =~ m{ (/\*.*?\*/) | (//[^\n]*) | ("(?:[^"\\\n]|\\.)*") | ('"'"'(?:[^'"'"'\\\n]|\\.)*'"'"') }gsx) {
        next unless defined $3 || defined $4;
        my ($lit, $at) = (defined $3 ? $3 : $4, $-[0]);
        next unless $lit =~ /[\x80-\xff]/;
        my $line = 1 + (substr($src, 0, $at) =~ tr/\n//);
        print "$ARGV:$line: $lit\n";
    }')
if [ -n "$literals" ]; then
    echo "$literals"
    echo "engine/ holds string literals with non-ASCII text (an API's words belong in a job's rules)" >&2
    found=1
fi
[ $found -eq 0 ] && echo "engine/ is free of the $count mapping-specific names and of non-ASCII literals"
exit $found
