import Foundation
import JSONReading
public import Postgres

/// A `jsonb` object of strings — a job's metadata and params, a project's tags — read by
/// `StrictJSON` where it can and by `JSONDecoder` otherwise. `JSONDecoder` per row was 1.6 % of
/// the API server's CPU in the read-back of every enqueue (`perf` under `bench/api.sh`), and each
/// claimed job reads two.
public struct JSONStringObject: PostgresDecodable, Sendable {
    public var value: [String: String]

    public init(postgresText text: Substring, type: PostgresDataType) throws {
        if let document = StrictJSON(bytes: Array(text.utf8)), let object = try? document.stringObject(document.root) {
            value = object
        } else {
            value = try PostgresJSON<[String: String]>(postgresText: text, type: type).value
        }
    }
}
