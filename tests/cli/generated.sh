#!/usr/bin/env bash
# generated.sh SLUICE ROOT: the man pages and completions checked in are what `sluice gen`
# prints from the command and option tables (fails on drift, and says how to refresh them), and
# the man pages render without a warning from groff or man.
SLUICE=${1:?usage: generated.sh SLUICE ROOT}
ROOT=${2:?}
source "$(dirname "$0")/lib.sh"

for gen in man1:docs/man/sluice.1 man5:docs/man/sluice-job.5 bash:tools/completion/sluice.bash \
           zsh:tools/completion/_sluice; do
    what=${gen%%:*} file=${gen#*:}
    sl gen "$what"
    [ $RC -eq 0 ] && [ ! -s "$ERR" ] || bad "sluice gen $what: exit $RC, stderr: $(cat "$ERR")"
    diff -u "$ROOT/$file" "$OUT" >&2 ||
        bad "$file is out of date: regenerate it with 'sluice gen $what > $file'"
done
sl gen nonsense
[ $RC -eq 2 ] || bad "sluice gen nonsense: exit $RC, want 2"

# Both pages render with every groff warning on, and through man(1) as a user reads them.
for page in docs/man/sluice.1 docs/man/sluice-job.5; do
    groff -man -Tutf8 -ww -z "$ROOT/$page" 2>"$T/warn" || bad "groff failed on $page"
    [ ! -s "$T/warn" ] || { bad "groff warns on $page:"; cat "$T/warn" >&2; }
    MANWIDTH=80 man --warnings=w -l "$ROOT/$page" >"$T/page" 2>"$T/warn" || bad "man -l $page failed"
    [ ! -s "$T/warn" ] || { bad "man -l warns on $page:"; cat "$T/warn" >&2; }
    [ "$(wc -l <"$T/page")" -gt 40 ] || bad "man -l $page: only $(wc -l <"$T/page") lines"
done

# sluice(1) has a section for every command `sluice --help` lists, with each of its options.
MANWIDTH=200 man -l "$ROOT/docs/man/sluice.1" 2>/dev/null >"$T/man1"
for c in $(commands); do
    grep -q "^   $c " "$T/man1" || bad "sluice(1) has no section for '$c'"
    for o in $(options "$c" | cut -d' ' -f1); do
        awk -v c="$c" '$1 == c { on = 1; next } /^   [a-z]/ { on = 0 } on' "$T/man1" |
            grep -q -- "^       $o\b\|, $o\b" || bad "sluice(1): '$c' does not list $o"
    done
done
# sluice-job(5) has a section for every table of the reference (headings compared without
# their fonts, spaces and roff's escaped '-': a kind's heading is "`signer` type `qimen-wdt`").
man_sections=$(sed -n 's/^\.SH "\(.*\)"$/\1/p' "$ROOT/docs/man/sluice-job.5" | sed 's/\\f[BRI]//g; s/\\-/-/g; s/ //g')
for s in $(grep '^## `' "$ROOT/docs/job-format.md" | tr -d '#` '); do
    printf '%s\n' "$man_sections" | grep -qxF "$s" || bad "sluice-job(5) has no section '$s'"
done
[ $FAILS -eq 0 ] || exit 1
