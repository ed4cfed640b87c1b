public import Foundation

/// A spending cap of a project for a period, and where it stands now.
public struct ProjectBudget: Sendable, Equatable, Codable {
    public enum Period: String, Sendable, Codable, CaseIterable {
        /// The UTC day.
        case day
        /// The UTC month.
        case month
        /// Since the cap was set, for ever.
        case total

        /// "today", "this month", "in total", as a sentence says it.
        public var phrase: String {
            switch self {
            case .day: "today"
            case .month: "this month"
            case .total: "in total"
            }
        }
    }

    public var period: Period
    /// The cap in tokens (input + output), or nil.
    public var maxTokens: Int64?
    /// The cap in money at the model prices, or nil.
    public var maxCost: Double?
    /// The prices' currency, when they have one.
    public var currency: String?
    /// What finished calls spent this period.
    public var spentTokens: Int64
    public var spentCost: Double
    /// The worst case of the calls in flight (released as they end).
    public var reservedTokens: Int64
    public var reservedCost: Double
    /// When the period's spending goes back to zero; nil for `total`.
    public var resetsAt: Date?
    /// True when what is left cannot admit the project's next queued job: its jobs wait.
    public var blocksNextJob: Bool

    public init(
        period: Period, maxTokens: Int64?, maxCost: Double?, currency: String?, spentTokens: Int64, spentCost: Double,
        reservedTokens: Int64, reservedCost: Double, resetsAt: Date?, blocksNextJob: Bool
    ) {
        self.period = period
        self.maxTokens = maxTokens
        self.maxCost = maxCost
        self.currency = currency
        self.spentTokens = spentTokens
        self.spentCost = spentCost
        self.reservedTokens = reservedTokens
        self.reservedCost = reservedCost
        self.resetsAt = resetsAt
        self.blocksNextJob = blocksNextJob
    }

    /// "budget for project acme reached: $50.00 of $50.00 this month (12 in flight reserved); resets 2027-01-01".
    public func message(project: String) -> String {
        var caps: [String] = []
        if let maxCost { caps.append("\(Money.format(spentCost + reservedCost, currency: currency)) of \(Money.format(maxCost, currency: currency))") }
        if let maxTokens { caps.append("\(spentTokens + reservedTokens) of \(maxTokens) tokens") }
        let resets = resetsAt.map { "; resets \($0.formatted(.iso8601.year().month().day()))" } ?? "; raise the cap to go on"
        return "budget for project \(project) reached: \(caps.joined(separator: " and ")) \(period.phrase), counting calls in flight at "
            + "their worst case\(resets); its queued jobs wait and run when the cap is raised or the period ends"
    }
}
