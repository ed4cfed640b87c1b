// The speed of the o200k_base tokenizer (Sources/Tokenizers), compiled with -O on its own by
// bench/tokenizer-speed.sh: load the ranks, then count a 1 MiB text made of one sample file.
import Foundation
let path = CommandLine.arguments[1]
let started = ContinuousClock.now
let ranks = try BPERanks(contentsOf: path)
let loaded = ContinuousClock.now
let tokenizer = O200kTokenizer(ranks: ranks)
let sample = try String(contentsOfFile: CommandLine.arguments[2], encoding: .utf8)
let text = String(repeating: sample + "\n\n", count: (1 << 20) / sample.utf8.count + 1)
let t0 = ContinuousClock.now
let count = tokenizer.count(text)
let t1 = ContinuousClock.now
print("ranks loaded in \(loaded - started); \(text.utf8.count) bytes -> \(count) tokens in \(t1 - t0)")
