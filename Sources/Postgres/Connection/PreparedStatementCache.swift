/// The statements one connection has prepared, by SQL text and parameter types.
///
/// The job queue runs the same few statements thousands of times a second; preparing each once
/// per connection saves the server parsing and planning them every time. The cache is bounded so
/// that a program building many distinct statements does not grow the server's memory without
/// limit: past the bound, new statements run unnamed.
struct PreparedStatementCache {
    struct Key: Hashable {
        var sql: String
        var types: [UInt32]
    }

    static let capacity = 256

    private var names: [Key: String] = [:]
    private var nextNumber = 0

    /// The prepared name of a statement, if prepared.
    func name(for key: Key) -> String? { names[key] }

    /// A fresh name to prepare the statement under, or nil when the cache is full.
    mutating func reserveName() -> String? {
        guard names.count < Self.capacity else { return nil }
        nextNumber += 1
        return "longhaul_\(nextNumber)"
    }

    /// Records a successful preparation.
    mutating func insert(_ name: String, for key: Key) { names[key] = name }

    /// Forgets a statement whose plan the server refuses to reuse.
    mutating func remove(_ key: Key) { names[key] = nil }
}
