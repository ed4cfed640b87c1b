/// The instructions and inputs of map and merge calls. The caller's own instructions travel
/// into every call, so each chunk is summarised for the summary that was asked for.
enum MapReducePrompts {
    /// A map call: summarise one chunk as notes for the final summary.
    static func mapInstructions(placement: ChunkPlacement, userInstructions: String) -> String {
        """
        You are summarising one part of a longer document: \(placement.label). Other parts are \
        summarised separately and all the summaries are merged afterwards. Write a summary of this \
        part only, to be merged into a final summary that follows these instructions:
        \(userInstructions)
        Keep names, figures, dates and section names exact. Do not introduce or conclude the whole document.
        """
    }

    /// A merge call: combine consecutive summaries, in document order, into one.
    static func reduceInstructions(userInstructions: String, isFinal: Bool) -> String {
        let goal =
            isFinal
            ? "Merge them into one summary of the whole document that follows these instructions:\n\(userInstructions)"
            : "Merge them into one summary of these parts, to be merged again with the summaries of other parts "
                + "into a final summary that follows these instructions:\n\(userInstructions)"
        return """
            Below are summaries of consecutive parts of one document, in document order, each headed \
            by its part numbers and section. \(goal)
            Keep the document's order and its section names; keep names, figures and dates exact; \
            do not mention parts or summaries.
            """
    }

    /// The input of a merge call: each summary under its label, in document order.
    static func reduceInput(_ items: [(placement: ChunkPlacement, text: String)]) -> String {
        items.map { "[\($0.placement.label)]\n\($0.text)" }.joined(separator: "\n\n")
    }
}
