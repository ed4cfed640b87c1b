#!/usr/bin/env python3
"""How far Longhaul's token estimate is from the real o200k_base count (gpt-oss, gpt-5).

The ranks come from PyPI's `bpe-openai` wheel (bpe_openai/data/o200k_base.tiktoken.gz, MIT) and
are counted with `tiktoken` given those ranks, so nothing is fetched at run time. Needs a Python
with `tiktoken bpe-openai trafilatura lxml_html_clean` (pip install them into any venv).

Corpora: the English and Japanese examples shipped here, web pages (main text by trafilatura)
from any mdBook folder given with --html, and this repository's Swift sources. Each is cut into
chunks of 8,000 characters; for each estimator it prints estimate / actual over all chunks
(mean, 5th and 95th percentile, min, max) and the count speed of tiktoken (Rust) for reference.

Usage: bench/token-estimate.py [--html DIR] [--japanese-html DIR]
"""
import argparse
import base64
import glob
import gzip
import importlib.util
import os
import statistics
import time

import tiktoken

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# o200k_base's pre-tokenizer, as OpenAI publishes it.
O200K_PATTERN = "|".join([
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""\p{N}{1,3}""", r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""", r"""\s*[\r\n]+""", r"""\s+(?!\S)""", r"""\s+""",
])


def o200k():
    spec = importlib.util.find_spec("bpe_openai")
    path = os.path.join(os.path.dirname(spec.origin), "data", "o200k_base.tiktoken.gz")
    ranks = {}
    with gzip.open(path, "rt") as ranks_file:
        for line in ranks_file:
            token, rank = line.split()
            ranks[base64.b64decode(token)] = int(rank)
    return tiktoken.Encoding("o200k_base", pat_str=O200K_PATTERN, mergeable_ranks=ranks, special_tokens={})


def wide(character):
    value = ord(character)
    return (0x3000 <= value <= 0x9FFF or 0xAC00 <= value <= 0xD7AF or 0xF900 <= value <= 0xFAFF
            or 0xFF00 <= value <= 0xFFEF or 0x20000 <= value <= 0x2FFFF)


def longhaul_estimate(text):
    """LonghaulCore's TokenEstimate: 4 bytes a token for Latin text, a token per CJK character."""
    cjk = sum(1 for c in text if wide(c))
    latin = sum(len(c.encode()) for c in text if not wide(c))
    return max(1, (latin + 3) // 4 + cjk)


ESTIMATORS = {
    "longhaul (latin bytes/4 + CJK chars)": longhaul_estimate,
    "UTF-8 bytes/4": lambda t: max(1, (len(t.encode()) + 3) // 4),
    "characters/4": lambda t: max(1, (len(t) + 3) // 4),
}


def chunks(text, size=8000):
    for start in range(0, len(text), size):
        piece = text[start:start + size]
        if len(piece) > 500:
            yield piece


def read(path):
    """The file's text, or "" for one that is not UTF-8 (examples/docs holds hostile files on purpose)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError:
        return ""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--html", help="a folder of English HTML pages (an mdBook's output)")
    parser.add_argument("--japanese-html", help="a folder of Japanese HTML pages")
    args = parser.parse_args()
    encoding = o200k()
    corpora = {}
    english = [p for p in glob.glob(f"{ROOT}/examples/docs/**/*.*", recursive=True)
               if p.endswith((".txt", ".md")) and "/japanese/" not in p and not p.endswith("broken.txt")]
    corpora["english (examples)"] = [read(p) for p in english]
    corpora["japanese (examples)"] = [read(p) for p in glob.glob(f"{ROOT}/examples/docs/japanese/*.txt")]
    if args.html or args.japanese_html:
        import trafilatura
        if args.html:
            pages = sorted(glob.glob(f"{args.html}/**/*.html", recursive=True))[:60]
            corpora["english web pages"] = [trafilatura.extract(read(p)) or "" for p in pages]
        if args.japanese_html:
            pages = sorted(glob.glob(f"{args.japanese_html}/**/*.html", recursive=True))[:80]
            corpora["japanese web pages"] = [trafilatura.extract(read(p)) or "" for p in pages]
    corpora["swift source"] = [read(p) for p in sorted(glob.glob(f"{ROOT}/Sources/**/*.swift", recursive=True))[:200]]

    print(f"{'corpus':22} {'chunks':>6} {'tokens':>8}  estimator: estimate/actual mean [p5, p95] (min, max)")
    for name, documents in corpora.items():
        pieces = list(chunks("\n\n".join(documents)))
        if not pieces:
            continue
        actual = [len(encoding.encode_ordinary(piece)) for piece in pieces]
        for estimator, estimate in ESTIMATORS.items():
            ratios = sorted(estimate(p) / a for p, a in zip(pieces, actual))
            pick = lambda q: ratios[min(len(ratios) - 1, int(q * len(ratios)))]
            print(f"{name:22} {len(pieces):6} {sum(actual):8}  {estimator}: {statistics.mean(ratios):.3f} "
                  f"[{pick(0.05):.3f}, {pick(0.95):.3f}] ({ratios[0]:.3f}, {ratios[-1]:.3f})")
    text = "\n\n".join(corpora["english (examples)"]) * 20
    started = time.perf_counter()
    count = len(encoding.encode_ordinary(text))
    elapsed = time.perf_counter() - started
    print(f"tiktoken (Rust): {len(text.encode()) / 1e6:.2f} MB, {count} tokens in {elapsed:.3f} s")


if __name__ == "__main__":
    main()
