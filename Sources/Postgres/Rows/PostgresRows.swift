/// The rows a statement returned, already copied out of libpq, with the count of rows it affected.
public struct PostgresRows: Sendable, RandomAccessCollection {
    let storage: PostgresResultStorage

    /// Rows inserted, updated, deleted, copied or selected, from the command tag (`PQcmdTuples`);
    /// 0 for statements that report none.
    public let affectedRows: Int

    /// The command tag, e.g. `"UPDATE 3"` or `"COMMIT"`.
    public let commandTag: String

    init(storage: PostgresResultStorage, affectedRows: Int, commandTag: String) {
        self.storage = storage
        self.affectedRows = affectedRows
        self.commandTag = commandTag
    }

    /// The column names, in order.
    public var columns: [String] { storage.columnNames }

    /// The first row's index, 0.
    public var startIndex: Int { 0 }
    /// One past the last row's index.
    public var endIndex: Int { storage.rowCount }

    /// The row at `position`.
    public subscript(position: Int) -> PostgresRow {
        precondition(indices.contains(position), "row index \(position) out of range 0..<\(storage.rowCount)")
        return PostgresRow(storage: storage, rowIndex: position)
    }
}
