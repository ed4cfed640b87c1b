import Foundation

/// Rows printed as aligned columns under a header, for people reading a terminal.
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: String...) {
        self.headers = headers
    }

    mutating func append(_ cells: String...) {
        rows.append(cells)
    }

    /// Every line, columns padded to their widest cell and separated by two spaces; the last
    /// column is not padded (no trailing blanks).
    func render() -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        return ([headers] + rows).map { cells in
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }.joined(separator: "\n")
    }

    /// Label–value pairs as two aligned columns (for `show` commands), without a header.
    static func fields(_ pairs: [(String, String)]) -> String {
        let width = pairs.map(\.0.count).max() ?? 0
        return pairs.map { label, value in (label + ":").padding(toLength: width + 1, withPad: " ", startingAt: 0) + "  " + value }
            .joined(separator: "\n")
    }
}
