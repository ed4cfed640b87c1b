#!/usr/bin/env bash
# The speed of Longhaul's o200k_base tokenizer: Sources/Tokenizers compiled with `swiftc -O`
# beside bench/tokenizer-speed/main.swift (no package build), the ranks loaded once, then 1 MiB
# made of each sample counted. The ranks: LONGHAUL_O200K_RANKS, else .build-python's bpe-openai.
# Usage: bench/tokenizer-speed.sh [sample-file...]   (default: English, Japanese and Swift samples)
set -euo pipefail
cd "$(dirname "$0")/.."
RANKS=${LONGHAUL_O200K_RANKS:-$(ls .build-python/lib/python*/site-packages/bpe_openai/data/o200k_base.tiktoken.gz 2>/dev/null | head -1)}
[ -n "$RANKS" ] || { echo "no o200k_base ranks: run scripts/setup --test or set LONGHAUL_O200K_RANKS" >&2; exit 1; }
OUT=$(mktemp -d /tmp/longhaul-bench-tokenizer.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
swiftc -O -o "$OUT/tokenizer-speed" bench/tokenizer-speed/main.swift Sources/Tokenizers/*.swift
[ $# -gt 0 ] || set -- examples/docs/essays/on-maintenance.txt examples/docs/japanese/kawabe-no-asa.ja.txt \
    Sources/LonghaulCore/LongDocuments/DocumentChunker.swift
for sample in "$@"; do
    printf '%s: ' "$sample"
    "$OUT/tokenizer-speed" "$RANKS" "$sample"
done
