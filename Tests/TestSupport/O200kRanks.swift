import Foundation

/// Where the `o200k_base` ranks are for tests: `LONGHAUL_O200K_RANKS`, else the copy that
/// `scripts/setup --test` installs with PyPI's bpe-openai wheel into `.build-python`; nil when neither exists.
public func o200kRanksPath() -> String? {
    if let path = ProcessInfo.processInfo.environment["LONGHAUL_O200K_RANKS"], !path.isEmpty { return path }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let lib = root.appendingPathComponent(".build-python/lib")
    let versions = (try? FileManager.default.contentsOfDirectory(atPath: lib.path)) ?? []
    return versions.sorted().map { lib.appendingPathComponent("\($0)/site-packages/bpe_openai/data/o200k_base.tiktoken.gz").path }
        .first { FileManager.default.fileExists(atPath: $0) }
}

/// What to do when `o200kRanksPath()` finds nothing.
public let o200kRanksMissing = "no o200k_base ranks: run scripts/setup --test (it installs PyPI's bpe-openai) or set LONGHAUL_O200K_RANKS"
