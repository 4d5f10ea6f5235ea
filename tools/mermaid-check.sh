#!/usr/bin/env bash
# mermaid-check.sh SLUICE CACHE_DIR: renders the Mermaid text of `sluice plan --format mermaid`
# for every shipped job (mappings/*.yml, mappings/examples/*.yml) and the escaping job of
# tests/golden/plan-diagrams/ with Mermaid itself, in headless chromium, as a code host would:
# every diagram must render (as many nodes drawn as the text declares, no element smuggled in
# through a label) and the escaping job's rule must read as written; a broken diagram (a label
# with a bare quote) must fail to render, so the check can fail. Mermaid comes from npm
# (mermaid@11.17.2, pinned) into CACHE_DIR, once; without it and without a way to fetch it,
# or without chromium, it exits 77 (skipped), saying why.
set -uo pipefail
sluice=${1:?usage: mermaid-check.sh SLUICE CACHE_DIR}
cache=${2:?}
mkdir -p "$cache" && cache=$(cd "$cache" && pwd) # the page loads mermaid by an absolute URL
root=$(cd "$(dirname "$0")/.." && pwd)
version=11.17.2
js=$cache/node_modules/mermaid/dist/mermaid.min.js
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "skipped: no chromium (tools/deps.sh installs it)"; exit 77; }
if [ ! -f "$js" ]; then
    command -v npm >/dev/null || { echo "skipped: no npm to fetch mermaid@$version"; exit 77; }
    mkdir -p "$cache"
    (cd "$cache" && timeout 300 npm install --no-audit --no-fund --silent "mermaid@$version") \
        >"$cache/npm.log" 2>&1 || { echo "skipped: npm could not fetch mermaid@$version"; exit 77; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$root" || exit 2
for job in mappings/*.yml mappings/examples/*.yml tests/golden/plan-diagrams/escaping.yml; do
    env -i PATH="$PATH" "$sluice" plan --format mermaid "$job" >"$tmp/$(basename "$job" .yml).mmd" ||
        { echo "plan --format mermaid $job failed" >&2; exit 1; }
done
printf 'flowchart TB\n    n0["a"b"]\n' >"$tmp/broken-control.mmd"
python3 - "$tmp" "$js" <<'EOF'
import glob, json, os, sys
tmp, js = sys.argv[1], sys.argv[2]
texts = {os.path.basename(f)[:-4]: open(f, encoding="utf-8").read()
         for f in sorted(glob.glob(tmp + "/*.mmd"))}
page = """<!doctype html><html><head><meta charset="utf-8"><script src="file://%s"></script></head>
<body><pre id="out">pending</pre><script>
const texts = %s;
mermaid.initialize({startOnLoad: false, securityLevel: 'strict', maxTextSize: 500000});
(async () => {
  const lines = [];
  let i = 0;
  for (const [name, t] of Object.entries(texts)) {
    const declared = (t.match(/^    n[0-9]+[\\[(]/gm) || []).length;
    try {
      const r = await mermaid.render('d' + (i++), t);
      const box = document.createElement('div');
      box.innerHTML = r.svg;
      const drawn = box.querySelectorAll('g.node').length;
      const smuggled = box.querySelectorAll('script, iframe, img, b').length;
      lines.push(name + ' rendered ' + drawn + '/' + declared + ' smuggled ' + smuggled +
                 ' text ' + JSON.stringify(Array.from(box.querySelectorAll('g.node'))
                                               .map(n => n.textContent).join(' | ')));
    } catch (e) { lines.push(name + ' error ' + String(e.message || e).split('\\n')[0]); }
  }
  document.getElementById('out').textContent = lines.join('\\n');
})();
</script></body></html>""" % (js, json.dumps(texts))
open(tmp + "/page.html", "w", encoding="utf-8").write(page)
EOF
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --allow-file-access-from-files \
    --virtual-time-budget=30000 --dump-dom "file://$tmp/page.html" 2>/dev/null |
    python3 -c 'import html, re, sys
m = re.search(r"<pre id=\"out\">(.*?)</pre>", sys.stdin.read(), re.S)
print(html.unescape(m.group(1)) if m else "no output")' >"$tmp/result"
fail=0
n=0
while read -r name verdict rest; do
    case $name in
    broken-control)
        [ "$verdict" = error ] || { echo "the broken control rendered: the check cannot fail" >&2; fail=1; } ;;
    *)
        n=$((n + 1))
        if [ "$verdict" != rendered ]; then
            echo "$name: Mermaid $version refused it: $rest" >&2; fail=1
        else
            read -r counts _ smuggled _ <<<"$rest"
            [ "${counts%/*}" = "${counts#*/}" ] && [ "${counts%/*}" -gt 3 ] ||
                { echo "$name: $counts nodes drawn/declared" >&2; fail=1; }
            [ "$smuggled" = 0 ] || { echo "$name: $smuggled elements from labels" >&2; fail=1; }
        fi ;;
    esac
done <"$tmp/result"
[ $n -ge 9 ] || { echo "only $n diagrams rendered:" >&2; cat "$tmp/result" >&2; fail=1; }
grep -F 'escaping rendered' "$tmp/result" | grep -qF "[v2] %%{init: {'securityLevel': 'loose'}}%%" ||
    { echo "escaping: a directive in a label was not kept as text:" >&2; grep '^escaping' "$tmp/result" >&2; fail=1; }
grep -F 'escaping rendered' "$tmp/result" | grep -qF 'msg == \"a\\\"b]<script>x</script>#&| `c` \\\\ end\"' ||
    { echo "escaping: the rule does not read as written:" >&2; grep '^escaping' "$tmp/result" >&2; fail=1; }
[ $fail = 0 ] && echo "ok: $n diagrams rendered by Mermaid $version in $(basename "$browser"); the broken control did not"
exit $fail
