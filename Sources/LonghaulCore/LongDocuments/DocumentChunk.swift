/// One piece of a document cut for a map call: its text, where it sits and under which headings.
public struct DocumentChunk: Sendable, Equatable, Codable {
    /// 0-based position in document order.
    public var index: Int
    /// The text sent: the overlap carried from the previous chunk (if any), then the chunk's own text.
    public var text: String
    /// The headings in effect where the chunk's own text begins, outermost first.
    public var headingPath: [String]
    /// UTF-8 offsets of the chunk's own text (without the overlap) in the document.
    public var startOffset: Int
    public var endOffset: Int
    /// Estimated tokens of `text`.
    public var estimatedTokens: Int
    /// Estimated tokens of the overlap at the start of `text`.
    public var overlapTokens: Int

    public init(
        index: Int, text: String, headingPath: [String], startOffset: Int, endOffset: Int, estimatedTokens: Int, overlapTokens: Int
    ) {
        self.index = index
        self.text = text
        self.headingPath = headingPath
        self.startOffset = startOffset
        self.endOffset = endOffset
        self.estimatedTokens = estimatedTokens
        self.overlapTokens = overlapTokens
    }
}
