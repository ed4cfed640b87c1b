extension PostgresConnection {
    /// Bulk-inserts rows with `COPY table (columns) FROM STDIN` in text format and returns the
    /// number of rows copied.
    ///
    /// Each value is written in its text form with tab, newline, carriage return and backslash
    /// escaped and NULL as `\N`. `table` may be `schema.table`; names are quoted with
    /// `PQescapeIdentifier`. The rows are encoded before the COPY starts, so an unencodable value
    /// fails the call without sending anything.
    public func copyIn(
        table: String,
        columns: [String],
        rows: some Sequence<[any PostgresEncodable]>
    ) async throws -> Int {
        let data = try PostgresCopyText.encode(rows: rows, columnCount: columns.count)
        let copied = try await run(cancellable: true) { connection in
            let tableName = try table.split(separator: ".", omittingEmptySubsequences: false)
                .map { try connection.escapeIdentifier(String($0)) }
                .joined(separator: ".")
            let columnNames = try columns.map { try connection.escapeIdentifier($0) }.joined(separator: ", ")
            let started = try connection.performSimpleAllowingCopy("COPY \(tableName) (\(columnNames)) FROM STDIN")
            guard started else {
                throw PostgresError(kind: .protocol, message: "the server did not enter COPY mode for \(table)")
            }
            try connection.putCopyData(data)
            return try connection.collectResults(sent: 1).affectedRows
        }
        return copied
    }
}

/// COPY's text format: one line per row, tab-separated fields, `\N` for NULL.
enum PostgresCopyText {
    static func encode(rows: some Sequence<[any PostgresEncodable]>, columnCount: Int) throws -> [UInt8] {
        var data: [UInt8] = []
        for (rowNumber, row) in rows.enumerated() {
            guard row.count == columnCount else {
                throw PostgresError(
                    kind: .encoding,
                    message: "COPY row \(rowNumber + 1) has \(row.count) values for \(columnCount) columns"
                )
            }
            for (position, value) in row.enumerated() {
                if position > 0 { data.append(UInt8(ascii: "\t")) }
                let text: String?
                do {
                    text = try value.postgresText()
                } catch {
                    throw PostgresError(kind: .encoding, message: "COPY row \(rowNumber + 1), column \(position + 1) could not be encoded: \(error)")
                }
                guard let text else {
                    data.append(UInt8(ascii: "\\"))
                    data.append(UInt8(ascii: "N"))
                    continue
                }
                for byte in text.utf8 {
                    switch byte {
                    case UInt8(ascii: "\\"): data.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                    case UInt8(ascii: "\t"): data.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                    case UInt8(ascii: "\n"): data.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                    case UInt8(ascii: "\r"): data.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                    case 0:
                        throw PostgresError(kind: .encoding, message: "COPY row \(rowNumber + 1), column \(position + 1) contains a NUL character, which PostgreSQL text cannot hold")
                    default: data.append(byte)
                    }
                }
            }
            data.append(UInt8(ascii: "\n"))
        }
        return data
    }
}
