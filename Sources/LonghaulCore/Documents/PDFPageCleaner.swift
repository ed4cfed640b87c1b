/// Drops what a PDF repeats on every page — running headers and footers, page numbers — from
/// `pdftotext`'s output, keeping the pages in order. Paid for on every page and meaningless to a
/// summary, they also cut sentences that run across a page break in two.
///
/// `pdftotext` ends every page with a form feed. A line is a running header (footer) when it is
/// among the first (last) `zoneLines` lines of at least `minimumShare` of the pages, compared with
/// its digits masked (so "Annual report · page 3" and "… page 4" match) and no more than one of
/// its numbers changing from page to page; a line that is only a
/// page number ("7", "Page 7", "7 of 20", "- 7 -", "vii") in those places goes too. Documents of
/// fewer than three pages are left alone: nothing can be seen to repeat.
enum PDFPageCleaner {
    static let zoneLines = 2
    static let minimumShare = 0.6

    static func clean(_ text: String) -> String {
        var pages = text.split(separator: "\u{0C}", omittingEmptySubsequences: false).map { page in
            page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        }
        while let last = pages.last, last.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) { pages.removeLast() }
        guard pages.count >= 3 else { return text }

        let tops = pages.map { zone(of: $0, fromTop: true) }
        let bottoms = pages.map { zone(of: $0, fromTop: false) }
        let running = repeated(tops, in: pages).union(repeated(bottoms, in: pages))
        for index in pages.indices {
            for line in tops[index] + bottoms[index] where running.contains(key(pages[index][line])) || isPageNumber(pages[index][line]) {
                pages[index][line] = ""
            }
        }
        return pages.map { $0.joined(separator: "\n") }.joined(separator: "\u{0C}")
    }

    /// Indices of a page's first (or last) `zoneLines` non-blank lines.
    private static func zone(of page: [String], fromTop: Bool) -> [Int] {
        let indices = fromTop ? Array(page.indices) : page.indices.reversed()
        return Array(indices.filter { !page[$0].allSatisfy(\.isWhitespace) }.prefix(zoneLines))
    }

    /// The masked lines found in one zone of at least `minimumShare` of the pages.
    private static func repeated(_ zones: [[Int]], in pages: [[String]]) -> Set<String> {
        var numbersByKey: [String: [[Substring]]] = [:]
        for (page, zone) in zip(pages, zones) {
            var seen: Set<String> = []
            for line in zone.map({ page[$0] }) where seen.insert(key(line)).inserted {
                numbersByKey[key(line), default: []].append(line.split(whereSeparator: { !$0.isNumber }))
            }
        }
        let needed = max(3, Int((Double(pages.count) * minimumShare).rounded(.up)))
        // A running line changes in one number at most (the page's): "Section 2 … quarter 2" on
        // every page is content that happens to be shaped alike, not a header.
        return Set(
            numbersByKey.filter { _, numbers in
                guard numbers.count >= needed, let width = numbers.first?.count else { return false }
                let varying = (0..<width).filter { position in Set(numbers.map { $0.count > position ? $0[position] : "" }).count > 1 }
                return varying.count <= 1
            }.keys)
    }

    /// A line compared across pages: trimmed, spaces collapsed, digits masked.
    static func key(_ line: String) -> String {
        line.split(whereSeparator: \.isWhitespace).joined(separator: " ").map { $0.isNumber ? "#" : $0 }.reduce(into: "") { $0.append($1) }
    }

    /// "7", "Page 7", "p. 7", "7 of 20", "7 / 20", "- 7 -", "vii".
    static func isPageNumber(_ line: String) -> Bool {
        let words = line.lowercased().split(whereSeparator: { $0.isWhitespace || $0 == "-" || $0 == "–" || $0 == "/" || $0 == "." })
            .filter { !["page", "p", "of", "seite", "ページ"].contains($0) }
        guard !words.isEmpty, words.count <= 2 else { return false }
        return words.allSatisfy { word in word.allSatisfy(\.isNumber) || romanNumerals.contains(String(word)) }
    }

    /// i to l, the numbers front matter is paged with.
    private static let romanNumerals: Set<String> = {
        let ones = ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"]
        let tens = ["", "x", "xx", "xxx", "xl", "l"]
        return Set(tens.flatMap { ten in ones.map { ten + $0 } }.filter { !$0.isEmpty })
    }()
}
