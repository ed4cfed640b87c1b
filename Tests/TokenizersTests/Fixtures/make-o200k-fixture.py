#!/usr/bin/env python3
"""Writes o200k-fixture.json beside this file: sample texts of this repository (English and
Japanese prose, Swift and SQL source, HTML extraction output) and hand-made edge cases, each with
its token count and ids from `tiktoken` given the `o200k_base` ranks of PyPI's `bpe-openai` wheel.
O200kTokenizerTests compares the Swift tokenizer with it. Needs `tiktoken bpe-openai`.
Usage: python3 Tests/TokenizersTests/Fixtures/make-o200k-fixture.py
"""
import base64, glob, gzip, importlib.util, json, os
import tiktoken

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
PATTERN = "|".join([
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?""",
    r"""\p{N}{1,3}""", r""" ?[^\s\p{L}\p{N}]+[\r\n/]*""", r"""\s*[\r\n]+""", r"""\s+(?!\S)""", r"""\s+""",
])
spec = importlib.util.find_spec("bpe_openai")
ranks = {}
with gzip.open(os.path.join(os.path.dirname(spec.origin), "data", "o200k_base.tiktoken.gz"), "rt") as f:
    for line in f:
        token, rank = line.split()
        ranks[base64.b64decode(token)] = int(rank)
encoding = tiktoken.Encoding("o200k_base", pat_str=PATTERN, mergeable_ranks=ranks, special_tokens={})

def text(path, limit=6000):
    try:
        with open(os.path.join(ROOT, path), encoding="utf-8") as f:
            return f.read()[:limit]
    except (UnicodeDecodeError, FileNotFoundError):
        return ""

samples = {
    "english essay": text("examples/docs/essays/on-maintenance.txt"),
    "english meeting notes": text("examples/docs/meetings/2024-05-14-planning-notes.txt"),
    "markdown report": text("examples/docs/reports/q3-operations-review.md"),
    "restructuredtext manual": text("examples/docs/guides/field-sensor-manual.rst"),
    "csv data": text("examples/docs/data/rainfall-2023.csv"),
    "json data": text("examples/docs/data/inventory.json"),
    "japanese story": text("examples/docs/japanese/kawabe-no-asa.ja.txt"),
    "swift source": text("Sources/LonghaulCore/LongDocuments/DocumentChunker.swift"),
    "sql source": text("Sources/LonghaulCore/Migrations/longhaul_claim_jobs.function.sql"),
    "contractions": "I'm sure you'll see they've gone; it's THEIR'S, WE'LL see, she'd've said. O'Neil's 'quote' ''",
    "numbers": "1 12 123 1234 12345 3.14159 1,000,000 2026-12-03T09:45:00Z ١٢٣ 五百 ½ Ⅻ",
    "whitespace": "a  b   c\n\n\nd \n e\t\tf\r\n\r\ng    \n    h   ",
    "symbols": "a->b => c != d; x += 1 // note /* c */ <p class=\"x\">&amp;</p> ... !!! ??? --- ***",
    "mixed scripts": "Привет, мир! Γειά σου. مرحبا بالعالم. שלום. 안녕하세요 세계. नमस्ते दुनिया। café naïve coöperate",
    "emoji": "Tides 🌊🌊 rising ⚓️ 👩🏽‍🚒 flags 🇯🇵🇫🇷 ok",
    "marks and case": "ÀÉÎÕÜ àéîõü ǅungla ʰmodifier ABCdef abcDEF MiXeD CamelCaseWord HTTPServer",
    "long word": "Donaudampfschifffahrtsgesellschaftskapitän supercalifragilisticexpialidocious " * 3,
}
fixture = [{"name": name, "text": sample, "count": len(encoding.encode_ordinary(sample)),
            "tokens": encoding.encode_ordinary(sample)[:200]} for name, sample in samples.items() if sample]
with open(os.path.join(HERE, "o200k-fixture.json"), "w", encoding="utf-8") as out:
    json.dump(fixture, out, ensure_ascii=False, indent=1)
print(f"{len(fixture)} samples, {sum(s['count'] for s in fixture)} tokens")
