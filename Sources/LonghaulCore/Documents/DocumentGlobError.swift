/// A glob pattern that cannot be compiled, with what is wrong with it.
public struct DocumentGlobError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The pattern as written.
    public let pattern: String
    /// What is wrong, in words.
    public let problem: String

    /// An error for `pattern`, saying what is wrong with it.
    public init(pattern: String, problem: String) {
        self.pattern = pattern
        self.problem = problem
    }

    /// `"invalid pattern "[a-": a [ is never closed by ]"`.
    public var description: String { "invalid pattern \"\(pattern)\": \(problem)" }
}
