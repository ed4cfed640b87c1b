/// A batch's spending cap over its whole life, and where it stands: what its finished calls spent
/// and what its calls in flight reserve at their worst case (`longhaul_batch_budget_state`).
public struct BatchBudget: Sendable, Equatable, Codable {
    /// The cap in tokens (input + output), or nil.
    public var maxTokens: Int64?
    /// The cap in money at the model prices, or nil.
    public var maxCost: Double?
    /// The prices' currency, when they have one.
    public var currency: String?
    /// What the batch's finished calls spent.
    public var spentTokens: Int64
    public var spentCost: Double
    /// The worst case of its calls in flight (released as they end).
    public var reservedTokens: Int64
    public var reservedCost: Double

    public init(
        maxTokens: Int64?, maxCost: Double?, currency: String?, spentTokens: Int64, spentCost: Double, reservedTokens: Int64,
        reservedCost: Double
    ) {
        self.maxTokens = maxTokens
        self.maxCost = maxCost
        self.currency = currency
        self.spentTokens = spentTokens
        self.spentCost = spentCost
        self.reservedTokens = reservedTokens
        self.reservedCost = reservedCost
    }

    /// Where the batch stands against its cap, for people (`longhaul batches budget`, the
    /// dashboard's batch page): "$1.20 spent and $0.30 reserved of $5.00; 9000 tokens spent and 2000 reserved of 900000".
    public var standing: String {
        var caps: [String] = []
        if let maxCost {
            caps.append(
                "\(Money.format(spentCost, currency: currency)) spent and \(Money.format(reservedCost, currency: currency)) reserved of "
                    + Money.format(maxCost, currency: currency))
        }
        if let maxTokens { caps.append("\(spentTokens) tokens spent and \(reservedTokens) reserved of \(maxTokens)") }
        return caps.joined(separator: "; ")
    }

    /// Why a queued job of batch `batch` whose worst case is `worstTokens` / `worstCost` waits:
    /// "budget for batch batch_x reached: $4.95 of $5.00 spent or reserved; this job's worst case, $0.12, does not fit …".
    public func message(batch: String, worstTokens: Int64, worstCost: Double?) -> String {
        var caps: [String] = []
        var worst: [String] = []
        if let maxCost {
            caps.append("\(Money.format(spentCost + reservedCost, currency: currency)) of \(Money.format(maxCost, currency: currency))")
            // 1e15 is the claim's stand-in for a model without a price.
            worst.append(worstCost.map { $0 >= 1e15 ? "unknown (its model has no price)" : Money.format($0, currency: currency) } ?? "unknown")
        }
        if let maxTokens {
            caps.append("\(spentTokens + reservedTokens) of \(maxTokens) tokens")
            worst.append("\(worstTokens) tokens")
        }
        return "budget for batch \(batch) reached: \(caps.joined(separator: " and ")) spent, or reserved by calls in flight at their worst case; "
            + "this job's worst case (\(worst.joined(separator: ", "))) does not fit. It waits, and runs when calls in flight end below their "
            + "worst case or the cap is raised (`longhaul batches budget \(batch)`)"
    }
}

/// The cap asked for a batch (`"budget"` in `POST /v1/batches`, `longhaul batch --budget`).
public struct BatchBudgetCap: Sendable, Equatable {
    public var maxTokens: Int64?
    public var maxCost: Double?

    /// Nil when neither is given (no cap).
    public init?(maxTokens: Int64?, maxCost: Double?) {
        guard maxTokens != nil || maxCost != nil else { return nil }
        self.maxTokens = maxTokens
        self.maxCost = maxCost
    }

    /// Refuses a negative or absurd cap, naming the field.
    func validated() throws -> BatchBudgetCap {
        if let maxCost, !maxCost.isFinite || maxCost < 0 || maxCost >= 1e12 {
            throw StoreError.invalid(field: "budget.max_cost", message: "a batch's cap in money is a number from 0 to 999999999999")
        }
        if let maxTokens, maxTokens < 0 {
            throw StoreError.invalid(field: "budget.max_tokens", message: "a batch's cap in tokens is 0 or more")
        }
        return self
    }
}
