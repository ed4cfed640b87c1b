#!/usr/bin/env bash
# A long document through map-reduce, end to end: `longhaul batch` on one generated text of
# SIZE bytes (default 5 MB: chapters, sections and paragraphs, so chunks can follow headings),
# against a throwaway PostgreSQL and the in-process simulator at SPEED (default 100: Mantle's
# 2–6 s + 1 s per 1,000 input tokens, compressed). Prints the chunks, levels, calls, tokens and
# the wall time from the manifest, and the job's line from the closing table.
# Usage: bench/long-document.sh [size-bytes] [speed] [debug|release]   (defaults 5000000 100 release)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${1:-5000000}
SPEED=${2:-100}
CONFIG=${3:-release}

swift build -c "$CONFIG" --product longhaul >&2
BIN="$(swift build -c "$CONFIG" --show-bin-path)/longhaul"

. bench/lib.sh
bench_scratch long
SERVER=$URL

mkdir -p "$WORK/docs"
python3 - "$SIZE" "$WORK/docs/long.md" <<'PY'
import sys
size, path = int(sys.argv[1]), sys.argv[2]
parts, total, chapter = [], 0, 0
while total < size:
    chapter += 1
    for section in range(1, 5):
        text = f"## Section {chapter}.{section}\n\n" + "\n\n".join(
            " ".join(f"In chapter {chapter}, section {section}, the harbour log records entry {p * 10 + s}: "
                     f"the tide stood at {(chapter * 7 + s) % 23} decimetres and {s + p} vessels came in." for s in range(1, 7))
            for p in range(1, 5))
        parts.append((f"# Chapter {chapter}\n\n" if section == 1 else "") + text)
        total += len(parts[-1]) + 2
with open(path, "w") as f:
    f.write("\n\n".join(parts)[:size])
PY

start=$(date +%s.%N)
DATABASE_URL="$SERVER" LONGHAUL_SIMULATOR_SPEED="$SPEED" "$BIN" batch "$WORK/docs" --max-output-tokens 2000 >"$WORK/table.txt" 2>"$WORK/log.txt" || {
    cat "$WORK/log.txt" >&2
    exit 1
}
end=$(date +%s.%N)
python3 - "$WORK/docs.summaries/manifest.jsonl" "$start" "$end" "$SIZE" <<'PY'
import json, sys
line = json.loads(open(sys.argv[1]).readline())
split = line.get("split", {})
levels = split.get("levels", [])
print(f"document: {int(sys.argv[4]) / 1e6:.1f} MB, state {line['state']}, model {line['model']}")
print(f"chunks: {split.get('chunks')}, levels: {len(levels)} ({', '.join(str(l['jobs']) for l in levels)} jobs), calls: {split.get('calls')}")
usage = line.get("usage", {})
print(f"tokens: {usage.get('input_tokens')} in, {usage.get('output_tokens')} out, {usage.get('total_tokens')} total")
print(f"wall time: {float(sys.argv[3]) - float(sys.argv[2]):.1f} s (batch command, simulator speed as given)")
PY
