#!/usr/bin/env bash
# How clean Longhaul's HTML text is, against trafilatura (the reference main-content extractor):
# for each page, the share of trafilatura's words that Longhaul keeps (recall) and the share of
# Longhaul's words that trafilatura does not have (boilerplate added), by word multiset.
# Pages: every .html under the folders given (at most 40 per folder, sorted). Longhaul's text is
# what `longhaul batch --no-wait` stores, read back from a throwaway PostgreSQL; give a second
# binary with BEFORE=path to compare two builds.
# Needs a Python with `trafilatura lxml_html_clean` as PYTHON (default python3).
# Usage: bench/extraction.sh DIR... [BEFORE=/path/to/older/longhaul]
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
[ $# -ge 1 ] || { echo "usage: bench/extraction.sh DIR..." >&2; exit 2; }

swift build --product longhaul >&2
BIN="$(swift build --show-bin-path)/longhaul"

. bench/lib.sh
bench_scratch extraction
SERVER=$URL
mkdir -p "$WORK/pages"
n=0
for dir in "$@"; do
    n=$((n + 1))
    mkdir -p "$WORK/pages/$n"
    find "$dir" -name '*.html' -size +2k | sort | head -40 | while read -r page; do
        cp "$page" "$WORK/pages/$n/$(echo "$page" | tr '/' '_')"
    done
done

texts() {  # binary database-name output.json
    psql "$SERVER" -qAtc "CREATE DATABASE $2" >/dev/null
    local url
    url=$(echo "$SERVER" | sed "s|///postgres?|///$2?|")
    DATABASE_URL="$url" "$1" batch "$WORK/pages" --no-wait >/dev/null 2>"$WORK/$2.log" || { cat "$WORK/$2.log" >&2; exit 1; }
    psql "$url" -qAtc "SELECT coalesce(json_object_agg(source_name, body), '{}') FROM documents WHERE source_name IS NOT NULL" >"$3"
}
texts "$BIN" after "$WORK/after.json"
[ -n "${BEFORE:-}" ] && texts "$BEFORE" before "$WORK/before.json"

"$PYTHON" - "$WORK/pages" "$WORK/after.json" "${BEFORE:+$WORK/before.json}" <<'PY'
import collections, json, os, re, sys
import trafilatura
pages, after = sys.argv[1], json.load(open(sys.argv[2]))
before = json.load(open(sys.argv[3])) if len(sys.argv) > 3 and sys.argv[3] else None
words = lambda text: collections.Counter(re.findall(r"\w+", (text or "").lower()))
def score(ours, reference):
    kept = sum((ours & reference).values())
    return kept / max(1, sum(reference.values())), sum((ours - reference).values()) / max(1, sum(ours.values()))
rows = collections.defaultdict(list)
for path, text in after.items():
    html = open(os.path.join(pages, path), encoding="utf-8", errors="replace").read()
    reference = words(trafilatura.extract(html, include_tables=True))
    if not reference:
        continue
    group = path.split("/")[0]
    rows[group].append((score(words(text), reference), score(words(before.get(path)), reference) if before else None))
for group, scores in sorted(rows.items()):
    mean = lambda values: sum(values) / len(values)
    line = (f"folder {group}: {len(scores)} pages · kept {mean([s[0][0] for s in scores]):.1%} of trafilatura's words, "
            f"{mean([s[0][1] for s in scores]):.1%} of ours not in it")
    if before:
        line += (f" · before: kept {mean([s[1][0] for s in scores]):.1%}, {mean([s[1][1] for s in scores]):.1%} not in it")
    print(line)
PY
