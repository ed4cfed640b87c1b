import Foundation

/// A bar chart of per-minute values as inline SVG, drawn on the server (no script, no library).
///
/// The bars are `<rect>`s sized by attributes (the CSP forbids inline styles), and an optional
/// limit is a dashed line across (the project's tokens-per-minute budget).
enum Chart {
    static let width = 540
    static let height = 90

    static func bars(_ values: [Int], limit: Int? = nil, label: String) -> HTML {
        let top = max(values.max() ?? 0, limit ?? 0, 1)
        let step = Double(width) / Double(max(values.count, 1))
        let bars: [HTML] = values.enumerated().compactMap { index, value -> HTML? in
            guard value > 0 else { return nil }
            let barHeight = max(1, Int((Double(value) / Double(top) * Double(height)).rounded()))
            let x = String(format: "%.1f", Double(index) * step)
            let w = String(format: "%.1f", max(step - 0.5, 0.5))
            return
                "<rect x=\"\(x)\" y=\"\(height - barHeight)\" width=\"\(w)\" height=\"\(barHeight)\" class=\"bar\"><title>\(Format.count(value))</title></rect>"
        }
        var line: HTML = .empty
        if let limit {
            let y = height - Int((Double(limit) / Double(top) * Double(height)).rounded())
            line =
                "<line x1=\"0\" x2=\"\(width)\" y1=\"\(y)\" y2=\"\(y)\" class=\"limit\"><title>budget \(Format.count(limit))</title></line>"
        }
        return """
            <svg class="chart" viewBox="0 0 \(width) \(height)" width="\(width)" height="\(height)" role="img" aria-label="\(label)">\
            <rect x="0" y="0" width="\(width)" height="\(height)" class="frame"/>\(bars)\(line)</svg>
            """
    }
}
