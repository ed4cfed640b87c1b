import LonghaulCore

/// Rows of a usage report as a table: jobs by how they ended, tokens and cost. The usage page
/// shows it by day, model or tag; a batch's page by model.
enum UsageTable {
    static func render(_ rows: [UsageRow], groupLabel: String) -> HTML {
        let body: [HTML] = rows.map { row -> HTML in
            """
            <tr><td class="source">\(row.group)</td><td class="num">\(Format.count(row.jobs))</td><td class="num">\(Format.count(row.completed))</td>\
            <td class="num">\(Format.count(row.failed + row.incomplete))</td><td class="num">\(Format.count(row.cancelled))</td>\
            <td class="num">\(Format.count(row.inputTokens))</td><td class="num">\(Format.count(row.cachedTokens))</td>\
            <td class="num">\(Format.count(row.outputTokens))</td><td class="num">\(Format.count(row.reasoningTokens))</td>\
            <td class="num">\(row.cost.map { Format.cost($0, currency: row.currency ?? "USD") } ?? "no price")</td></tr>
            """
        }
        let currencies = Set(rows.compactMap(\.currency))
        let total: HTML =
            rows.count > 1 && rows.allSatisfy({ $0.cost != nil || $0.inputTokens + $0.outputTokens == 0 }) && currencies.count == 1
            ? """
            <tr class="total"><th>total</th><td class="num">\(Format.count(rows.map(\.jobs).reduce(0, +)))</td><td colspan="7"></td>\
            <td class="num">\(Format.cost(rows.compactMap(\.cost).reduce(0, +), currency: currencies.first ?? "USD"))</td></tr>
            """ : .empty
        return """
            <table class="usage"><thead><tr><th>\(groupLabel)</th><th class="num">jobs</th><th class="num">completed</th>\
            <th class="num">failed / incomplete</th><th class="num">cancelled</th><th class="num">input</th><th class="num">cached</th>\
            <th class="num">output</th><th class="num">reasoning</th><th class="num">cost</th></tr></thead>
            <tbody>\(rows.isEmpty ? HTML("<tr><td colspan=\"10\">No job ended in this period.</td></tr>") : HTML.joined(body))\(total)</tbody></table>
            """
    }
}
