import Crypto
import Foundation

/// One forward-only schema change, embedded in the binary from `sql/NNNN_name.sql`.
public struct Migration: Sendable, Equatable {
    public let name: String
    public let sql: String

    /// SHA-256 of the file, recorded when applied: an applied file must never change.
    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).hexString
    }

    init(name: String, bytes: [UInt8]) {
        self.name = name
        self.sql = String(decoding: bytes, as: UTF8.self)
    }
}

extension Migration {
    /// Every migration, in the order they apply. Add a line here with each new file in `sql/`
    /// (a test checks that the folder and this list agree).
    public static let all: [Migration] = [
        Migration(name: "0001_init.sql", bytes: PackageResources._001_init_sql),
        Migration(name: "0002_webhooks.sql", bytes: PackageResources._002_webhooks_sql),
        Migration(name: "0003_claim_budget_once.sql", bytes: PackageResources._003_claim_budget_once_sql),
    ]
}
