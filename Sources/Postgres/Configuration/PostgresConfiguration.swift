import CLibPQ

/// Where and how to connect to PostgreSQL: a `postgres://` URL or a libpq conninfo string.
///
/// The string is kept as given and parsed by libpq itself (`PQconnectdbParams` with
/// `expand_dbname`), so every libpq feature — Unix sockets, TLS modes, service files, `PG*`
/// environment variables — works as it does for `psql`. Only ``description`` looks inside it, and it
/// never shows the password.
public struct PostgresConfiguration: Sendable {
    /// The connection string as given; it may hold a password, so it is never printed.
    let connectionString: String

    /// The `application_name` the server shows in `pg_stat_activity`.
    public var applicationName: String = "longhaul"

    /// How long one connection attempt may take before it fails (libpq's `connect_timeout`,
    /// whole seconds, at least 2).
    public var connectTimeout: Duration = .seconds(10)

    /// A database name that replaces the one in the connection string, if set.
    ///
    /// Tests use it to point the same server's URL at a database of their own.
    public var database: String?

    /// Stores a `postgres://` URL or a libpq conninfo string (`host=/tmp dbname=app`) for libpq to parse.
    public init(_ urlOrConninfo: String) {
        self.connectionString = urlOrConninfo
    }

    /// Host or socket directory, port, database and user, as libpq will read them; never the password.
    public var description: String {
        guard let fields = parsedFields() else {
            return "PostgreSQL (malformed connection string)"
        }
        let host = fields["host"] ?? fields["hostaddr"] ?? "default socket"
        let isSocket = host.hasPrefix("/") || host.hasPrefix("@")
        var parts = [isSocket ? "socket \(host)" : "host \(host)"]
        if let port = fields["port"] { parts.append("port \(port)") }
        parts.append("database \(database ?? fields["dbname"] ?? fields["user"] ?? "(default)")")
        if let user = fields["user"] { parts.append("user \(user)") }
        return "PostgreSQL at " + parts.joined(separator: ", ")
    }

    /// The keyword/value pairs given to `PQconnectdbParams`, the connection string first so that
    /// the later entries override it.
    var connectParameters: [(keyword: String, value: String)] {
        let seconds = max(2, Int((connectTimeout + .nanoseconds(999_999_999)).components.seconds))
        var parameters: [(keyword: String, value: String)] = [
            ("dbname", connectionString),
            ("application_name", applicationName),
            ("connect_timeout", String(seconds)),
        ]
        if let database {
            // libpq expands only the first `dbname`; a later one is a plain database name.
            parameters.append(("dbname", database))
        }
        return parameters
    }

    /// True when libpq can parse the connection string.
    var isWellFormed: Bool { parsedFields() != nil }

    /// The non-empty fields of the connection string, password excluded, as libpq parses them.
    private func parsedFields() -> [String: String]? {
        var errorMessage: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(connectionString, &errorMessage) else {
            // The message may quote part of the string (which may hold a password): drop it.
            PQfreemem(errorMessage)
            return nil
        }
        defer { PQconninfoFree(options) }
        var fields: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            let name = String(cString: keyword)
            if name != "password", let value = option.pointee.val {
                let text = String(cString: value)
                if !text.isEmpty { fields[name] = text }
            }
            option += 1
        }
        return fields
    }
}

extension PostgresConfiguration: CustomStringConvertible {}
