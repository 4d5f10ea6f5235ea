#!/usr/bin/env bash
# completion.sh SLUICE ROOT: the bash completion (tools/completion/sluice.bash), sourced and
# called as bash calls it (COMP_WORDS, COMP_CWORD), offers what `sluice --help` and each
# `sluice CMD --help` list: the commands, each command's options, state's actions, folders for
# DIR values, the words of a value that is one of a list (plan --format), and job files (*.yml,
# *.yaml, folders) as operands. Then the zsh completion: its
# syntax, and that it gives _arguments every option of every command (zsh's completion functions
# are stubbed; skipped, saying so, where zsh is not installed).
SLUICE=${1:?usage: completion.sh SLUICE ROOT}
ROOT=${2:?}
source "$(dirname "$0")/lib.sh"
set +e # the completion functions run as bash runs them, without errexit

# want_options CMD: every option `sluice CMD --help` lists (long and short forms), sorted.
want_options() {
    "$SLUICE" "$1" --help | awk '/^options:/ { on = 1; next } on && /^  -/ {
        for (i = 1; i <= NF && $i ~ /^-/; i++) { sub(/,$/, "", $i); print $i } }' | sort
}

# candidates WORD...: what completing `sluice WORD...` offers (the last word is the one being
# completed), sorted, one a line.
candidates() {
    COMP_WORDS=(sluice "$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMPREPLY=()
    _sluice
    [ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort
}

# expect "WANT (space-separated)" WORD...: fails unless completing WORD... offers exactly WANT.
expect() {
    local want got
    want=$(printf '%s\n' $1 | sort)
    shift
    got=$(candidates "$@")
    [ "$got" = "$want" ] || bad "sluice $* <TAB>: offers [$(echo $got)], want [$(echo $want)]"
}

# shellcheck source=/dev/null
source "$ROOT/tools/completion/sluice.bash"
complete -p sluice | grep -q -- '-F _sluice' || bad "sluice.bash does not register _sluice"

CMDS=$(commands)
expect "$CMDS help -h --help --version" ""
expect "run" ru
expect "$CMDS" help ""
for c in $CMDS; do
    expect "$(want_options "$c")" "$c" -
done
expect "--now --no-migrate" run --n

mkdir -p "$T/w/sub" "$T/w/replies"
touch "$T/w/a.yml" "$T/w/b.yaml" "$T/w/notes.txt" "$T/w/sub/c.yml"
cd "$T/w" || exit 1
expect "a.yml b.yaml replies sub" run ""
expect "a.yml" run a
expect "sub/c.yml" plan sub/
expect "a.yml b.yaml replies sub" validate a.yml ""
expect "reset show" state ""
expect "a.yml b.yaml replies sub" state show ""
expect "reset show" state --to "2024-01-01 00:00:00" ""
expect "a.yml b.yaml replies sub" run --replay replies --now T ""
expect "replies sub" dry-run --replay ""
expect "" run --now ""
expect "dot mermaid text" plan --format ""
expect "mermaid" plan a.yml --format m
[ $FAILS -eq 0 ] || exit 1

if ! command -v zsh >/dev/null; then
    echo "SKIP: zsh is not installed (tools/deps.sh installs it); the zsh completion is untested"
    exit 77
fi
zsh -n "$ROOT/tools/completion/_sluice" || bad "zsh -n: _sluice does not parse"
# zsh_specs CMD: the option specs _sluice gives _arguments for CMD, as option names, sorted.
zsh_specs() {
    zsh -f -c '
        _arguments() { [ "$1" = -s ] && print -rl -- "${@:2}"; state=args; return 0 }
        _describe() { print -rl -- "$@" }
        _sluice_run() { words=("$@"); _sluice }
        source "$1"
        shift
        _sluice_run "$@"' zsh "$ROOT/tools/completion/_sluice" "$1" |
        sed -n 's/^([^)]*)//; /^-/ { s/[=[].*//; p }' | sort
}
for c in $CMDS; do
    got=$(zsh_specs "$c")
    [ "$got" = "$(want_options "$c")" ] ||
        bad "zsh completion of '$c' offers [$(echo $got)], want [$(echo $(want_options "$c"))]"
done
[ $FAILS -eq 0 ] || exit 1
