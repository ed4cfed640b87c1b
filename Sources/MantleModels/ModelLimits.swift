/// Context windows and output limits by family, shared by Longhaul (which plans calls that fit)
/// and the simulator (which refuses the ones that do not, as Mantle does); a view of ``ModelTable``.
///
/// Figures from `shared/models.md`, "Context windows and output limits", which cites AWS's
/// model cards and the aws-samples per-model notebooks. gpt-oss's 32,768 output limit is the
/// simulator's figure, not confirmed on Mantle; the chat-only families share one row because
/// models.md gives one figure for them. AWS changes models per Region and month: these are the
/// defaults, and an unknown id gets ``fallback``.
public enum ModelLimits {
    /// One row: model ids that start with any of `prefixes` (lower-cased) have `limits`.
    public struct Row: Sendable {
        public let family: String
        public let prefixes: [String]
        public let limits: ContextLimits
    }

    /// Most specific prefix first: the rows of ``ModelTable/families``, so there is one table.
    public static let table: [Row] = ModelTable.families.map { family in
        Row(family: family.name, prefixes: family.idPrefixes, limits: family.limits)
    }

    /// For a model no row names: the smallest window in the table, so a plan made with it fits
    /// wherever the model turns out to belong.
    public static let fallback = ContextLimits(contextWindow: 128_000, maxOutputTokens: 8_192, tokenizer: .unknown)

    /// The limits of `modelID` (case-insensitive), or ``fallback``.
    public static func limits(for modelID: String) -> ContextLimits {
        row(for: modelID)?.limits ?? fallback
    }

    /// The row that names `modelID`, if one does (an inference-profile geography such as `us.` is ignored).
    public static func row(for modelID: String) -> Row? {
        guard let family = ModelTable.family(of: modelID) else { return nil }
        return table.first { $0.family == family.name }
    }
}
