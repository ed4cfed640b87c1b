import CLibPQ

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A `PGconn` pointer handed from the queue that opened it to the connection that owns it.
///
/// `@unchecked Sendable` because the pointer crosses exactly once, from the connecting closure to
/// the new ``PostgresConnection``, which then uses it only on that same queue.
struct LibPQHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// Opening a `PGconn` with `PQconnectdbParams`: blocking, so only ever called on a connection's
/// own queue or the listener's thread.
enum LibPQConnector {
    /// Connects and prepares the session (UTC, ISO dates, no JIT). On any failure the `PGconn` is finished
    /// (exactly once) and the error names the server, never the password.
    static func open(_ configuration: PostgresConfiguration) throws -> LibPQHandle {
        guard configuration.isWellFormed else {
            throw PostgresError(
                kind: .connection,
                message: "the PostgreSQL connection string is malformed; expected a URL like postgres://user@host:5432/db or key=value pairs like 'host=/tmp dbname=app'"
            )
        }
        let parameters = configuration.connectParameters + [("client_encoding", "UTF8")]
        let keywords = parameters.map { strdup($0.keyword) }
        let values = parameters.map { strdup($0.value) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keywordPointers: [UnsafePointer<CChar>?] = keywords.map { $0.map { UnsafePointer($0) } } + [nil]
        let valuePointers: [UnsafePointer<CChar>?] = values.map { $0.map { UnsafePointer($0) } } + [nil]
        guard let connection = PQconnectdbParams(keywordPointers, valuePointers, 1) else {
            throw PostgresError(kind: .connection, message: "libpq could not allocate a connection (out of memory)")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let reason = LibPQResult.connectionMessage(connection)
            PQfinish(connection)
            throw PostgresError(
                kind: .connection,
                message: "could not connect to \(configuration.description): \(reason)"
            )
        }
        // The decoders read ISO timestamps in UTC; make sure whatever the server's defaults are.
        // JIT off: our queries are short, and on big tables the planner's costs (a LIMIT over
        // 1,000,000 jobs, a subplan per row) start JIT compilation that saves nothing: it took
        // 1.6 s of a 1.6 s page of 50 jobs (0.6 ms without) and 2.0 s of a 4.1 s usage report.
        let setup = PQexec(connection, "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, MDY'; SET jit TO off")
        defer { PQclear(setup) }
        guard let setup, PQresultStatus(setup) == PGRES_COMMAND_OK else {
            let error = LibPQResult.error(from: setup, connection: connection)
            PQfinish(connection)
            throw PostgresError(
                kind: .connection,
                message: "connected to \(configuration.description) but could not prepare the session (time zone, date style, JIT): \(error.message)"
            )
        }
        return LibPQHandle(pointer: connection)
    }
}
