/// One row of a result, decoded column by column into Swift types.
///
/// ```swift
/// let id = try row.decode("id", as: Int64.self)
/// let finishedAt = try row.decode("finished_at", as: Date?.self)   // NULL becomes nil
/// ```
public struct PostgresRow: Sendable {
    let storage: PostgresResultStorage
    let rowIndex: Int

    /// The column names, in order.
    public var columns: [String] { storage.columnNames }

    /// Decodes the named column; a non-optional type throws on NULL, naming the column.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try T.decode(cell(named: column))
    }

    /// Decodes the column at `index` (0-based).
    public func decode<T: PostgresDecodable>(at index: Int, as type: T.Type = T.self) throws -> T {
        guard storage.columnNames.indices.contains(index) else {
            throw PostgresError(
                kind: .decoding,
                message: "column index \(index) is out of range; the result has \(storage.columnNames.count) columns"
            )
        }
        return try T.decode(cell(at: index))
    }

    /// The named column's cell; a missing column gives a NULL cell (``decode(_:as:)`` throws instead).
    public subscript(column: String) -> PostgresCell {
        guard let index = storage.columnIndex[column] else {
            return PostgresCell(text: nil, columnName: column, dataType: .unknown)
        }
        return cell(at: index)
    }

    private func cell(named column: String) throws -> PostgresCell {
        guard let index = storage.columnIndex[column] else {
            throw PostgresError(
                kind: .decoding,
                message: "no column \"\(column)\" in the result; it has \(storage.columnNames.joined(separator: ", "))"
            )
        }
        return cell(at: index)
    }

    private func cell(at index: Int) -> PostgresCell {
        let value = storage.cells[rowIndex * storage.columnNames.count + index]
        return PostgresCell(
            text: value.map { $0[...] },
            columnName: storage.columnNames[index],
            dataType: storage.columnTypes[index]
        )
    }
}
