/// The values of one result, copied out of the `PGresult` so that it can be cleared at once and
/// the rows can outlive it and cross tasks.
final class PostgresResultStorage: Sendable {
    /// Column names in order.
    let columnNames: [String]
    /// Column type OIDs in order.
    let columnTypes: [PostgresDataType]
    /// Column index by name (the first column wins when names repeat, as in `psql`).
    let columnIndex: [String: Int]
    /// The values, row-major; `nil` is NULL.
    let cells: [String?]
    /// Rows in the result.
    let rowCount: Int

    init(columnNames: [String], columnTypes: [PostgresDataType], cells: [String?], rowCount: Int) {
        self.columnNames = columnNames
        self.columnTypes = columnTypes
        self.cells = cells
        self.rowCount = rowCount
        var index: [String: Int] = [:]
        for (position, name) in columnNames.enumerated() where index[name] == nil {
            index[name] = position
        }
        self.columnIndex = index
    }

    static let empty = PostgresResultStorage(columnNames: [], columnTypes: [], cells: [], rowCount: 0)
}
