import CLibPQ

/// Reading a `PGresult` and a `PGconn`'s error state into Swift values. Every function here runs
/// on the connection's own queue, right after the libpq call, as libpq's error state requires.
enum LibPQResult {
    /// The parts of one statement's outcome that outlive the `PGresult`.
    static func rows(from result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var names: [String] = []
        var types: [PostgresDataType] = []
        names.reserveCapacity(columnCount)
        types.reserveCapacity(columnCount)
        for column in 0..<Int32(columnCount) {
            names.append(PQfname(result, column).map { String(cString: $0) } ?? "?column?")
            types.append(PostgresDataType(oid: PQftype(result, column)))
        }
        var cells: [String?] = []
        cells.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                // PQgetisnull first: PQgetvalue gives "" for NULL, indistinguishable from empty text.
                if PQgetisnull(result, row, column) == 1 {
                    cells.append(nil)
                } else if let value = PQgetvalue(result, row, column) {
                    let length = Int(PQgetlength(result, row, column))
                    cells.append(
                        value.withMemoryRebound(to: UInt8.self, capacity: length) {
                            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                        }
                    )
                } else {
                    cells.append(nil)
                }
            }
        }
        let storage =
            rowCount == 0 && columnCount == 0
            ? PostgresResultStorage.empty
            : PostgresResultStorage(columnNames: names, columnTypes: types, cells: cells, rowCount: rowCount)
        let affected = PQcmdTuples(result).map { Int(String(cString: $0)) ?? 0 } ?? 0
        let tag = PQcmdStatus(result).map { String(cString: $0) } ?? ""
        return PostgresRows(storage: storage, affectedRows: affected, commandTag: tag)
    }

    /// The server's error fields, or the connection's error message when the result carries none.
    static func error(from result: OpaquePointer?, connection: OpaquePointer) -> PostgresError {
        func field(_ code: Unicode.Scalar) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(UInt8(ascii: code))) else { return nil }
            return String(cString: value)
        }
        let sqlState = field("C")
        let lost = PQstatus(connection) != CONNECTION_OK
        let fallback = result.flatMap { PQresultErrorMessage($0) }.map { String(cString: $0) } ?? ""
        let message = field("M") ?? trimmed(fallback.isEmpty ? connectionMessage(connection) : fallback)
        return PostgresError(
            kind: lost ? .connection : (sqlState == nil ? .protocol : .server),
            message: lost && sqlState == nil ? "the connection to PostgreSQL was lost: \(message)" : message,
            sqlState: sqlState,
            detail: field("D"),
            hint: field("H"),
            constraint: field("n"),
            table: field("t"),
            column: field("c")
        )
    }

    /// `PQerrorMessage`, trimmed; libpq never puts the password in it.
    static func connectionMessage(_ connection: OpaquePointer) -> String {
        trimmed(PQerrorMessage(connection).map { String(cString: $0) } ?? "unknown libpq error")
    }

    static func trimmed(_ text: String) -> String {
        var text = Substring(text)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text.replacing("\n", with: " "))
    }
}
