import Foundation

/// The parameters of a query, already in PostgreSQL's text format, with their declared types.
public struct PostgresBindings: Sendable {
    /// Each parameter's text; `nil` is NULL.
    public private(set) var values: [String?] = []
    /// Each parameter's declared type.
    public private(set) var types: [PostgresDataType] = []
    /// The first value that could not be encoded; the query throws it instead of running.
    var encodingError: PostgresError?

    /// No parameters.
    public init() {}

    /// The number of parameters.
    public var count: Int { values.count }

    /// Whether `text` holds a NUL byte, which no `text` value can (a NUL character is a 0 byte
    /// in UTF-8, and no other character has one). Read through the string's own storage with
    /// `memchr`: through the UTF-8 view's iterator it was 1.5 % of a worker's CPU (the endings'
    /// ~300 KB recordsets), as much of `longhaul batch`'s, and 1.3 % of the API server's (a job's
    /// document checked before it is stored).
    public static func containsNUL(_ text: String) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0, bytes.count) != nil
        } ?? text.utf8.contains(0)
    }

    /// Appends a value as the next parameter (`$count`).
    public mutating func append(_ value: some PostgresEncodable) {
        let type = type(of: value).postgresType
        do {
            let text = try value.postgresText()
            if let text, Self.containsNUL(text), encodingError == nil {
                encodingError = PostgresError(
                    kind: .encoding,
                    message: "parameter $\(values.count + 1) contains a NUL character, which PostgreSQL text cannot hold; use bytea for binary data"
                )
            }
            values.append(text)
        } catch {
            if encodingError == nil {
                encodingError = PostgresError(
                    kind: .encoding,
                    message: "parameter $\(values.count + 1) (\(Swift.type(of: value))) could not be encoded: \(error)"
                )
            }
            values.append(nil)
        }
        types.append(type)
    }

    /// Appends a value given as an existential (COPY rows and dynamic builders use this).
    public mutating func append(any value: any PostgresEncodable) {
        append(value)
    }
}
