import Foundation

/// The merge ranks of a byte-level BPE in tiktoken's file format: one `base64(token) rank` a line.
///
/// Ranks are keyed by the token's bytes packed into integers where they fit (every `o200k_base`
/// token of up to 8 bytes — most of them), so looking a pair up in the merge loop hashes one
/// `UInt64` instead of an array.
public struct BPERanks: Sendable {
    var short: [UInt64: Int32]
    var long: [[UInt8]: Int32]

    /// Reads a `.tiktoken` file, or a gzip of one (`.gz`, through `gzip -dc`).
    public init(contentsOf path: String) throws {
        let data: Data
        if path.hasSuffix(".gz") {
            data = try Self.gunzip(path)
        } else {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        }
        try self.init(tiktokenFile: data)
    }

    init(tiktokenFile data: Data) throws {
        short = [:]
        long = [:]
        short.reserveCapacity(200_000)
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n")) where !line.isEmpty {
            lineNumber += 1
            let fields = line.split(separator: UInt8(ascii: " "))
            guard fields.count == 2, let token = Data(base64Encoded: Data(fields[0])),
                let rank = Int32(String(decoding: fields[1], as: UTF8.self))
            else {
                throw BPERanksError(message: "line \(lineNumber) is not 'base64-token rank'")
            }
            insert(Array(token), rank: rank)
        }
        guard lineNumber > 0 else { throw BPERanksError(message: "the file holds no ranks") }
    }

    mutating func insert(_ token: [UInt8], rank: Int32) {
        if let key = Self.pack(token[...]) { short[key] = rank } else { long[token] = rank }
    }

    /// The rank of `bytes`, if it is a token.
    func rank(_ bytes: ArraySlice<UInt8>) -> Int32? {
        if let key = Self.pack(bytes) { return short[key] }
        return long[Array(bytes)]
    }

    /// Up to 7 bytes and their count in one integer (the count keeps "a" and "a\0" apart).
    static func pack(_ bytes: ArraySlice<UInt8>) -> UInt64? {
        guard bytes.count <= 7 else { return nil }
        var key = UInt64(bytes.count)
        for byte in bytes { key = key << 8 | UInt64(byte) }
        return key
    }

    private static func gunzip(_ path: String) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec gzip -dc -- \"$0\"", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BPERanksError(message: "gzip -dc \(path) exited with status \(process.terminationStatus)")
        }
        return data
    }
}

/// A ranks file that could not be read, and why.
public struct BPERanksError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { "BPE ranks: \(message)" }
}
