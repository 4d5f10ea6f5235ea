# walk.sh: a small independent REST client for the rest-mock smoke tests (curl and jq only):
# fetches with retries on injected faults, walks every paging style, and reads updated times
# with its own ISO-8601 arithmetic. Source after lib.sh; set AUTH=(curl args) for credentials.
AUTH=(-H "Authorization: Bearer test-token")
RETRIES=0

# rest_get URL: GETs URL into $WORK/h (headers) and $WORK/b (body) and sets CODE; for a 200,
# $WORK/p holds the page read by jq: the record count, the body's next cursor and next link
# ("" if none), then each record's compact JSON a line. An injected fault (5xx, 429, a 200
# whose body is not JSON) is retried, counted in RETRIES, up to 30 times.
rest_get() {
    local i
    for i in $(seq 1 30); do
        CODE=$(curl -sS -D "$WORK/h" -o "$WORK/b" -w '%{http_code}' "${AUTH[@]}" "$1")
        case $CODE in
        200) jq -c '(.data | length), (.next_cursor // ""), (.links.next // ""), .data[]' \
            "$WORK/b" >"$WORK/p" 2>/dev/null && return 0 ;;
        429 | 5??) ;;
        *) return 0 ;;
        esac
        RETRIES=$((RETRIES + 1))
    done
    fail "$1: still failing after 30 tries (HTTP $CODE)"
}

# header NAME: the value of response header NAME of the last rest_get ("" if absent).
header() { tr -d '\r' <"$WORK/h" | awk -v k="$(echo "$1" | tr A-Z a-z)" -F': ' 'tolower($1) == k { print substr($0, length($1) + 3) }'; }

# unquote N: line N of $WORK/p (a JSON string without escapes) without its quotes.
unquote() {
    local i line
    for ((i = 1; i <= $1; i++)); do read -r line; done <"$WORK/p"
    line=${line#\"}
    echo "${line%\"}"
}

# next_of STYLE FROM: the next cursor or link of the last page, from the body or a header.
next_of() {
    case $1/$2 in
    cursor/body) unquote 2 ;;
    cursor/header) header X-Next-Cursor ;;
    link/body) unquote 3 ;;
    link/header) header Link | sed -nE 's/^<([^>]*)>; rel="next"$/\1/p' ;;
    esac
}

# walk STYLE PATH OUT: pages PATH (with its query) to the end in STYLE (offset, page, cursor,
# link), each record's compact JSON a line in OUT; sets PAGES. SIZE (100) is the page size,
# BASE (1) the first page's number, FROM (body) where cursors and links are read. Offset and
# page walks stop on a short page, so they need no total.
walk() {
    local style=$1 path=$2 out=$3 size=${SIZE:-100} sep='?' pos=0 next='' url n
    [[ $path == *\?* ]] && sep='&'
    : >"$out"
    PAGES=0
    while :; do
        case $style in
        offset) url="$REST_URL$path${sep}offset=$pos&limit=$size" ;;
        page) url="$REST_URL$path${sep}page=$((pos + ${BASE:-1}))&per_page=$size" ;;
        cursor) url="$REST_URL$path${sep}limit=$size${next:+&cursor=$next}" ;;
        link) url=${next:-$REST_URL$path} ;;
        esac
        rest_get "$url"
        [ "$CODE" = 200 ] || fail "$url: HTTP $CODE: $(cat "$WORK/b")"
        PAGES=$((PAGES + 1))
        tail -n +4 "$WORK/p" >>"$out"
        read -r n <"$WORK/p"
        case $style in
        offset) pos=$((pos + n)) && [ "$n" -ge "$size" ] || break ;;
        page) pos=$((pos + 1)) && [ "$n" -ge "$size" ] || break ;;
        *) next=$(next_of "$style" "${FROM:-body}") && [ -n "$next" ] || break ;;
        esac
        [ "$PAGES" -le 10000 ] || fail "$url: more than 10000 pages"
    done
}

# ids FILE: the records' ids, one a line, in the file's order.
ids() { jq -r '.id | tostring' "$1"; }

# with_ms FILE: "MS<TAB>ID" per record, MS its updated_at in epoch ms, computed here.
with_ms() {
    jq -r '(.updated_at | capture("^(?<d>[0-9-]+T[0-9:]+)(?<f>\\.[0-9]+)?(?<z>Z|[+-][0-9][0-9]:[0-9][0-9])$")
            | ((.d + "Z" | fromdateiso8601)
               - (if .z == "Z" then 0 else ((.z[1:3] | tonumber) * 3600 + (.z[4:6] | tonumber) * 60)
                  * (if .z[0:1] == "-" then -1 else 1 end) end)) * 1000
              + (if .f then ((.f[1:] + "00")[0:3] | tonumber) else 0 end)) as $ms
           | "\($ms)\t\(.id)"' "$1"
}

# same_records NAME WALKED WANT: the walk holds exactly WANT's records, in WANT's order.
same_records() {
    jq -c . "$3" >"$WORK/$1.want.norm"
    cmp -s "$2" "$WORK/$1.want.norm" || {
        diff <(ids "$2") <(ids "$WORK/$1.want.norm") | head -5 >&2
        fail "$1: the walk differs from the truth ($(wc -l <"$2") records, want $(wc -l <"$3"))"
    }
}
