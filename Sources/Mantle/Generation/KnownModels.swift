import MantleModels

/// Model ids Longhaul knows by name (the model table, from the field test in `shared/models.md`): what enqueue offers
/// when a model id is unknown, closest first. A model of a known family is accepted even when it
/// is not listed here; AWS adds models every month.
public enum KnownModels {
    /// The ids of the model table (`MantleModels.ModelTable.knownModels`).
    public static var ids: [String] { ModelTable.knownModels.map(\.id) }

    /// Up to `limit` known ids closest to `model` by edit distance.
    public static func closest(to model: String, limit: Int = 3) -> [String] {
        let target = Array(model.lowercased().utf8.prefix(128))
        return ids.map { (distance(target, Array($0.utf8)), $0) }.sorted { $0 < $1 }.prefix(limit).map(\.1)
    }

    /// Levenshtein distance of two byte strings.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// Enqueue's check: nil when Longhaul can run `model` on some API, else why not, naming the
    /// closest ids it knows.
    public static func problem(with model: String) -> String? {
        let trimmed = model.trimmingWhitespace
        if ModelTable.family(of: trimmed) != nil { return nil }
        return "model '\(trimmed.prefix(128))' is not a Bedrock model Longhaul knows; did you mean "
            + closest(to: trimmed).joined(separator: ", ") + "? (`longhaul models` lists what your endpoint serves)"
    }
}
