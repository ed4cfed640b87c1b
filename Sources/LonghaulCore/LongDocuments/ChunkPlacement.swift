/// Where a child job sits in its parent's map-reduce: stored as the job's `chunk` (jsonb).
public struct ChunkPlacement: Sendable, Equatable, Codable {
    /// 1 for a map job (a chunk of the document), 2 and up for merges of the level below.
    public var level: Int
    /// 0-based position among the jobs of its level, in document order.
    public var position: Int
    /// The map chunks this job's text covers (0-based, inclusive), and how many there are.
    public var firstPart: Int
    public var lastPart: Int
    public var partsTotal: Int
    /// The headings in effect where its text begins, outermost first.
    public var headingPath: [String]

    public init(level: Int, position: Int, firstPart: Int, lastPart: Int, partsTotal: Int, headingPath: [String]) {
        self.level = level
        self.position = position
        self.firstPart = firstPart
        self.lastPart = lastPart
        self.partsTotal = partsTotal
        self.headingPath = headingPath
    }

    enum CodingKeys: String, CodingKey {
        case level, position, firstPart = "first_part", lastPart = "last_part", partsTotal = "parts_total", headingPath = "heading_path"
    }

    /// "Part 3 of 20 — Tides › Moorings", or "Parts 1–5 of 20 — Tides": the label a merge prompt
    /// gives this job's summary, so that order and section names survive the merge.
    public var label: String {
        let parts = firstPart == lastPart ? "Part \(firstPart + 1)" : "Parts \(firstPart + 1)–\(lastPart + 1)"
        let section = headingPath.isEmpty ? "" : " — " + headingPath.joined(separator: " › ")
        return "\(parts) of \(partsTotal)\(section)"
    }
}
