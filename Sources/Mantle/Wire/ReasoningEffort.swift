/// How hard a reasoning model thinks (`reasoning.effort`); not every model takes every level.
public enum ReasoningEffort: String, Sendable, Hashable, Codable, CaseIterable {
    case none, minimal, low, medium, high, xhigh, max
}
